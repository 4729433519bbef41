/** The one binary file layer: atomic, checksummed writes and size-checked reads for model files and checkpoints, and the digest of a settings record. */
package org.cdln.io;

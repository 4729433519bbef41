/** The compressed network: {@link org.cdln.compress.SpectralInit} (C-DLN, docs/method.md §3) and the Law-of-Parsimony construction (§5). */
package org.cdln.compress;

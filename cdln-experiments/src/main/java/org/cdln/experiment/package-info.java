/** The paper's experiments on top of the library: reference settings and runs (recovery, theorem check, MLP, step benchmark) and the finder of the shared data folder. */
package org.cdln.experiment;

/** JMH benchmarks of the kernels (completion oracles, the training step, GEMM); run with the command in the README, never by the test phase. */
package org.cdln.bench;

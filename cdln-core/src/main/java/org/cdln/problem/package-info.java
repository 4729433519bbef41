/** The recovery problems (factorization, completion, sensing; docs/method.md §2), their surrogates, and their loss-and-gradient oracles ({@link org.cdln.problem.LossGradientOracle}), dense or sparse. */
package org.cdln.problem;

/** Nonlinear classifiers (docs/method.md §6): ReLU MLPs with a DLN or C-DLN block, their gradients, and the mini-batch trainer on the one training loop. */
package org.cdln.nn;

/** Measures of the learning dynamics (docs/method.md §4): spectra, principal angles, alignment, update ranks, incremental learning, and the listeners that record them. */
package org.cdln.analysis;

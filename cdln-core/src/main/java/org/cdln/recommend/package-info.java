/** Rating models: the deep-matrix-completion estimator (its settings declared once), AltMin and baselines, the immutable {@link org.cdln.recommend.CompletionModel} (predict, recommend, save/load), metrics and fold-in. */
package org.cdln.recommend;

/** First-order optimisers (GD, momentum, Adam, RMSprop) with per-layer rate multipliers (the discrepant rate α) and learning-rate schedules, for every trainer. */
package org.cdln.optim;

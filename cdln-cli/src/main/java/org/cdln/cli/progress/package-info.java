/** Progress of a training run on a terminal (a bar) or in a log (plain lines), as one {@link org.cdln.train.TrainingListener}. */
package org.cdln.cli.progress;

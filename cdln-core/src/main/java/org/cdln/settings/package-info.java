/**
 * Hyper-parameters declared once: a {@link org.cdln.settings.Setting} has a name, a label, a
 * description, a type, its allowed values ({@link org.cdln.settings.Rule}), a default and, where
 * the estimator can choose, the value "auto". An estimator lists its declarations in a
 * {@link org.cdln.settings.Schema}; front ends (the CLI, the Spark estimator) enumerate it to offer
 * options, and {@link org.cdln.settings.Settings} holds validated values.
 */
package org.cdln.settings;

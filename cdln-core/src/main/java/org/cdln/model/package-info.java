/** Deep linear networks W_L·…·W_1, their initialisations ({@link org.cdln.model.Initialization}) and the backward sweep ({@link org.cdln.model.Backprop}), docs/method.md §1. */
package org.cdln.model;

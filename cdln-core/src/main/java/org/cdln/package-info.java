/**
 * cdln: deep linear networks for low-rank matrix recovery and their compressed version (C-DLN).
 * The method is described in the repository at docs/method.md; the packages below follow its
 * vocabulary: problem → loss-and-gradient oracle → backprop → optimiser → training loop →
 * listeners → result with provenance.
 */
package org.cdln;

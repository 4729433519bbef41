package org.cdln.train;

/** Why a training run ended. */
public enum StopReason {
    /** The training loss fell below the tolerance. */
    CONVERGED,
    /** The step budget was used up. */
    BUDGET,
    /** An early-stopping rule saw no improvement for its patience. */
    EARLY_STOPPED,
    /** A wall-time limit was reached. */
    TIME_LIMIT,
    /** A listener asked to stop for another reason. */
    REQUESTED
}

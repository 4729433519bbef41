package org.cdln.train;

/**
 * What one model supplies to the {@link TrainingLoop}: its objective, its update and its
 * evaluation. The loop — step counting, stopping, timing, listeners — is written once; the
 * full-batch trainer of deep linear networks and the mini-batch MLP trainer each implement this.
 *
 * @param <P> the model's evaluation point
 */
public interface TrainingTask<P extends TrainingPoint> {
    /**
     * The training loss at the current parameters (after {@code step} updates) on the data of
     * update {@code step + 1}, recording the gradients that {@link #update} applies.
     */
    double lossAndGradients(long step);

    /** Applies update number {@code step + 1} from the gradients recorded at {@code step}. */
    void update(long step);

    /** Whether to evaluate after {@code step} updates; the loop also evaluates at the last step. */
    boolean evaluationDue(long step);

    /**
     * The evaluation after {@code step} updates.
     *
     * @param seconds training time so far
     * @param loss    the training loss computed at this point, NaN when none was
     */
    P evaluate(long step, double seconds, double loss);

    /**
     * Whether the loop computes the loss once more at the final point, after the last update: yes
     * for full-batch training (the convergence test and the final evaluation see it), no for
     * mini-batches (an epoch's end has no next batch).
     */
    boolean lossAtFinalPoint();
}

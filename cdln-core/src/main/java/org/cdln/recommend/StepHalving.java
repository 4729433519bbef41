package org.cdln.recommend;

import org.cdln.train.DivergenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What deep matrix completion does when its step size diverges, for the library's fit and the
 * Spark fit alike: an automatic η is halved and the fit restarted from the same initialisation,
 * at most {@link DeepMatrixCompletion#AUTO_STEP_MAX_HALVINGS} times; a given η fails at once
 * with the divergence's advice. One instance per fit of one r̂; not thread-safe.
 *
 * <pre>
 *   StepHalving h = new StepHalving(auto, eta);
 *   while (true) {
 *       try { train(h.eta(), h.halvings()); break; }
 *       catch (DivergenceException e) { h.afterDivergence(e, "c-dln r̂ = 10"); }   // rethrows when spent
 *   }
 * </pre>
 */
public final class StepHalving {
    private static final Logger LOG = LoggerFactory.getLogger(StepHalving.class);
    private final boolean automatic;
    private double eta;
    private int halvings;
    private final StringBuilder history = new StringBuilder();

    /**
     * @param automatic whether η came from the automatic rule (only then is it halved)
     * @param eta       the first attempt's step size
     */
    public StepHalving(boolean automatic, double eta) {
        this.automatic = automatic;
        this.eta = eta;
    }

    /** The step size of the next (or, after success, the last) attempt. */
    public double eta() {
        return eta;
    }

    /** How many times η was halved so far. */
    public int halvings() {
        return halvings;
    }

    /**
     * After an attempt diverged: halves η (and logs it) so that the caller restarts, or rethrows
     * {@code e} when η was given or {@link DeepMatrixCompletion#AUTO_STEP_MAX_HALVINGS} halvings
     * are spent.
     *
     * @param what names the fit in the log line, e.g. "c-dln r̂ = 10"
     */
    public void afterDivergence(DivergenceException e, String what) {
        if (!automatic || halvings >= DeepMatrixCompletion.AUTO_STEP_MAX_HALVINGS) {
            throw e;
        }
        LOG.warn("{}: the automatic step size diverged at step {}; halving η from {} to {} and "
                + "restarting from the initialisation", what, e.step(), DeepMatrixCompletion.g(eta),
                DeepMatrixCompletion.g(eta / 2));
        history.append(history.length() == 0 ? "" : ", ").append("η = ").append(DeepMatrixCompletion.g(eta))
                .append(" diverged at step ").append(e.step());
        eta /= 2;
        halvings++;
    }

    /** {@code rule}, followed by the halvings when there were any (for the provenance). */
    public String describe(String rule) {
        return halvings == 0 ? rule : rule + "; halved " + halvings + "× after divergence (" + history + ")";
    }

    /** Whether η came from the automatic rule (the provenance then records the halvings, 0 included). */
    public boolean automatic() {
        return automatic;
    }
}

package org.cdln.train;

import java.util.OptionalDouble;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.problem.Problem;

/**
 * Finds a step size that does not diverge, to suggest after a {@link DivergenceException}: halves
 * η (keeping α and everything else) and trains the same initial network for a short probe of
 * max(2000, 4 × the diverging step) steps, until a probe finishes without diverging or the time
 * allowance is spent. A probe that survives is evidence, not proof, of stability over a full run,
 * so the advice is half the surviving η: following it should not diverge again later in the run.
 */
public final class StableStepProbe {
    private StableStepProbe() {
    }

    /**
     * @param divergedAt the step at which the original run diverged
     * @param maxSeconds wall-time allowance for all probes
     * @return the largest η/2^k (k ≥ 1) whose probe did not diverge, or empty
     */
    public static OptionalDouble find(DeepLinearNetwork initial, Problem problem, TrainerConfig config, long divergedAt,
                                      LinearAlgebra la, double maxSeconds) {
        long probeSteps = Math.min(config.maxSteps(), Math.max(2000, 4 * divergedAt));
        double eta = config.optimizer().stepSize();
        long start = System.nanoTime();
        for (int k = 1; k <= 40 && (System.nanoTime() - start) * 1e-9 < maxSeconds; k++) {
            eta /= 2;
            TrainerConfig trial = config.withOptimizer(config.optimizer().withStepSize(eta)).withMaxSteps(probeSteps);
            try {
                new Trainer(trial, la).fit("probe", initial, problem);
                return OptionalDouble.of(eta);
            } catch (DivergenceException e) {
                // keep halving
            }
        }
        return OptionalDouble.empty();
    }

    /** The same divergence with the probe's finding as its advice. */
    public static DivergenceException advise(DivergenceException e, OptionalDouble stable, TrainerConfig config) {
        return advise(e, stable, config, 1);
    }

    /**
     * The same divergence with the probes' finding as its advice, when {@code networks} networks
     * that share the step size (the diverged one and those still to train) were probed.
     */
    public static DivergenceException advise(DivergenceException e, OptionalDouble stable, TrainerConfig config,
                                             int networks) {
        long probeSteps = Math.min(config.maxSteps(), Math.max(2000, 4 * e.step()));
        String fix = stable.isPresent()
                ? "lower the step size, e.g. η = " + Trainer.fmt(stable.getAsDouble() / 2) + " (half of η = "
                  + Trainer.fmt(stable.getAsDouble()) + ", which ran a " + probeSteps + "-step probe"
                  + (networks > 1 ? " of each of the " + networks + " networks still to train" : "")
                  + " without diverging: a probe is shorter than the run, so the advice keeps a margin)"
                : "no halving of η stayed stable in a short probe: lower the step size by orders of magnitude"
                  + (e.alpha() != 1.0 ? " or lower α" : "") + ", or check the data scale";
        return new DivergenceException(e.diagnosis(), fix, e.step(), e.loss(), e.stepSize(), e.alpha());
    }
}

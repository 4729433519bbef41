package org.cdln.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.model.Initialization;
import org.cdln.optim.OptimizerConfig;
import org.cdln.train.EvalPoint;
import org.cdln.train.TrainResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The paper's factorization theorem (docs/method.md §3): under incremental learning, the compressed
 * network's recovery error is at most the original's at every iteration. Small instance: d = 30,
 * r = 3, depth 3, ε = 1e-2, α = 1, r̂ = 2r, evaluated at every step.
 *
 * <p>Step size: the loss is normalised by 1/(2d²), so at η = 1 neither network leaves its
 * initial plateau within a few thousand steps (the comparison would be vacuous); η = 10 is
 * stable and both networks learn all three singular values and reach their floors within 3,000
 * steps. No slack is needed: the smallest relative margin (e_orig − e_comp)/e_orig, found at the
 * start of the run where the two errors differ only through the O(ε³) initial products, is
 * about 2e-7, far above rounding. At the end both sit on their ε-floors, set by the untrained
 * directions ε³ leaves behind, about ε⁶·(d − r)/(2d²) ≈ 1.5e-14 for the original and
 * ε⁶·(r̂ − r)/(2d²) ≈ 1.7e-15 for the compressed network, so the order is kept there too.
 */
class FactorizationRecoveryTest {
    private static final int STEPS = 3000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {0, 1, 2})
    void compressedErrorIsNeverAboveTheOriginals(long seed) {
        ReproduceSettings s = new ReproduceSettings(Experiment.FACTORIZATION, 30, 30, 3, 1.0, 0, 3, 1e-2, 10.0, 1.0,
                6, STEPS, 0.0, seed, 1, Initialization.ORTH, OptimizerConfig.Kind.GD);
        RecoveryExperiments.Outcome out = RecoveryExperiments.run(s, LinearAlgebra.instance(),
                ListenerFactory.none());
        TrainResult original = out.runs().get(0).result();
        TrainResult compressed = out.runs().get(1).result();
        List<EvalPoint> o = original.trajectory();
        List<EvalPoint> c = compressed.trajectory();
        assertEquals(STEPS + 1, o.size());
        assertEquals(STEPS + 1, c.size());
        for (int i = 0; i < o.size(); i++) {
            assertEquals(o.get(i).step(), c.get(i).step());
            double eo = o.get(i).recoveryError();
            double ec = c.get(i).recoveryError();
            assertTrue(ec <= eo, "step " + i + ": compressed " + ec + " > original " + eo);
        }
        // the claim is not vacuous: both networks learned Y (from ≈ 0.1 to the ε-floor)
        assertTrue(o.get(0).recoveryError() > 0.05);
        assertTrue(original.finalRecoveryError() < 1e-12, "original stalled at " + original.finalRecoveryError());
        assertTrue(compressed.finalRecoveryError() < 1e-12);
        // and the compressed one got there sooner
        assertTrue(compressed.stepsTo(1e-6) < original.stepsTo(1e-6),
                "to 1e-6: compressed " + compressed.stepsTo(1e-6) + ", original " + original.stepsTo(1e-6));
    }
}

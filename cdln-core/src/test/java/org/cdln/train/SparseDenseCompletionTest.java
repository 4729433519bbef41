package org.cdln.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.cdln.Oracle;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.LayerRates;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.SyntheticTarget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sparse completion evaluator (never forms P) and the dense one (forms P and G) must train
 * identically up to rounding: 300 GD steps (ε = 0.1) on a 12×12 rank-2 problem at p = 0.5,
 * evaluated every 10 steps, for the wide network (η = 10) and the compressed one (η = 5, α = 2;
 * η·α = 20 diverges).
 * The two paths sum the same terms in different orders, so they differ by rounding only; over 300
 * steps of this contracting run that stays near 1e-12, and 1e-10 relative is required.
 */
class SparseDenseCompletionTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();
    private static final double TOL = 1e-10;

    static Stream<Arguments> networks() {
        CompletionProblem p = CompletionProblem.sample(SyntheticTarget.generate(12, 12, 2, new Rng(1), LA).y(), 0.5,
                new Rng(2), "");
        return Stream.of(
                Arguments.of("wide depth 3", p,
                        DeepLinearNetwork.wide(12, 12, 12, 3, Initialization.ORTH, 0.1, new Rng(3), LA), 10.0, null),
                Arguments.of("compressed depth 3, α = 2", p, new SpectralInit(4, 3, 0.1).build(p, 4, LA), 5.0,
                        LayerRates.discrepant(3, 2)));
    }

    private static double rel(double a, double b) {
        return Math.abs(a - b) / Math.abs(b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void sparseAndDensePathsGiveTheSameTrajectory(String name, CompletionProblem p, DeepLinearNetwork net,
                                                  double eta, double[] rates) {
        TrainerConfig config = TrainerConfig.gd(eta, 300, 0, 10).withLayerRates(rates);
        TrainResult sparse = new Trainer(config, LA).fit(name, net, p);
        TrainResult dense = new Trainer(config, LA).fit(name, net, p.withDenseGradient());
        assertEquals(31, sparse.trajectory().size());
        assertEquals(dense.trajectory().size(), sparse.trajectory().size());
        for (int i = 0; i < dense.trajectory().size(); i++) {
            EvalPoint s = sparse.trajectory().get(i);
            EvalPoint d = dense.trajectory().get(i);
            assertEquals(d.step(), s.step());
            assertTrue(rel(s.trainLoss(), d.trainLoss()) < TOL, "loss at step " + s.step() + ": " + s.trainLoss()
                    + " vs " + d.trainLoss());
            assertTrue(rel(s.recoveryError(), d.recoveryError()) < TOL, "recovery error at step " + s.step() + ": "
                    + s.recoveryError() + " vs " + d.recoveryError());
        }
        for (int l = 1; l <= net.depth(); l++) {
            double r = Oracle.relativeFrobenius(sparse.network().layer(l), dense.network().layer(l));
            assertTrue(r < TOL, "W" + l + " differs by " + r);
        }
        // the run did learn: a comparison of two frozen networks would prove nothing
        assertTrue(sparse.finalTrainLoss() < 0.1 * sparse.trajectory().get(0).trainLoss());
    }
}

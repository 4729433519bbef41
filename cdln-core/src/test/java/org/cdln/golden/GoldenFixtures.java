package org.cdln.golden;

import org.cdln.data.Ratings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.SyntheticTarget;
import org.cdln.train.TrainerConfig;

/**
 * The inputs of the golden files in {@code src/test/resources/golden}: a tiny seeded ratings set
 * for the model file and a tiny completion run (Adam, so the optimiser state is not empty) for the
 * checkpoint. Everything runs on the pure-Java backend so that values do not depend on native
 * BLAS threading.
 */
final class GoldenFixtures {
    static final LinearAlgebra LA = LinearAlgebra.java();
    /** The checkpoint was written after this many steps. */
    static final int CHECKPOINT_STEPS = 40;
    static final int EVAL_EVERY = 10;

    private GoldenFixtures() {
    }

    static Ratings ratings() {
        Rng rng = new Rng(7);
        Ratings.Builder b = Ratings.builder("golden 12×15");
        for (int u = 0; u < 12; u++) {
            for (int i = 0; i < 15; i++) {
                if (rng.uniform(0, 1) < 0.6) {
                    b.add("u" + u, "i" + i, 1 + Math.floor(4 * rng.uniform(0, 1) + 0.3 * ((u + i) % 3)));
                }
            }
        }
        return b.build();
    }

    static CompletionProblem problem() {
        return CompletionProblem.sample(SyntheticTarget.generate(10, 10, 2, new Rng(1), LA).y(), 0.5, new Rng(2), "");
    }

    static DeepLinearNetwork network() {
        return DeepLinearNetwork.wide(10, 10, 10, 3, Initialization.ORTH, 0.1, new Rng(3), LA);
    }

    static TrainerConfig config(long steps) {
        return TrainerConfig.gd(1, steps, 0, EVAL_EVERY).withOptimizer(OptimizerConfig.adam(0.01));
    }
}

package org.cdln.problem;

import org.cdln.linalg.Rng;
import org.junit.jupiter.api.Nested;

/** {@link LossGradientOracleContract} run against every loss-and-gradient oracle of cdln. */
class LossGradientOracleContractTest {
    /** Factorization: the dense oracle. */
    @Nested
    class Factorization extends LossGradientOracleContract {
        @Override
        Problem problem(long seed) {
            return new FactorizationProblem(target(seed), "contract");
        }
    }

    /** Completion, forced onto the dense path. */
    @Nested
    class CompletionDense extends LossGradientOracleContract {
        @Override
        Problem problem(long seed) {
            return CompletionProblem.sample(target(seed), 0.5, new Rng(seed + 100), "contract").withDenseGradient();
        }
    }

    /** Completion, forced onto the sparse path. */
    @Nested
    class CompletionSparse extends LossGradientOracleContract {
        @Override
        Problem problem(long seed) {
            return CompletionProblem.sample(target(seed), 0.5, new Rng(seed + 100), "contract").withSparseGradient();
        }
    }

    /** Completion, the path chosen on this machine. */
    @Nested
    class CompletionChosen extends LossGradientOracleContract {
        @Override
        Problem problem(long seed) {
            return CompletionProblem.sample(target(seed), 0.5, new Rng(seed + 100), "contract");
        }
    }

    /** Sensing: Gaussian measurements. */
    @Nested
    class Sensing extends LossGradientOracleContract {
        @Override
        Problem problem(long seed) {
            return SensingProblem.gaussian(target(seed), 40, new Rng(seed + 200), LA, "contract");
        }
    }
}

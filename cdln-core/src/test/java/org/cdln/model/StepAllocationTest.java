package org.cdln.model;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.optim.Optimizer;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.CompletionProblem;
import org.cdln.problem.LossGradientOracle;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.LowRankTarget;
import org.cdln.problem.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A training step (Backprop + optimiser update) allocates nothing once its workspaces exist. */
class StepAllocationTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"completion-sparse, original", "completion-sparse, compressed", "completion-dense, original",
        "completion-dense, compressed", "factorization, original", "factorization, compressed"})
    void aTrainingStepAllocatesNothing(String problemKind, String model) {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM cannot count allocated bytes per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counting is off in this JVM");
        int d = 40;
        LowRankTarget t = LowRankTarget.random(d, d, 3, new Rng(1), LA);
        Problem problem = switch (problemKind) {
            case "completion-sparse" -> t.sampleCompletion(500, 300, new Rng(2), "t").withSparseGradient();
            case "completion-dense" -> t.sampleCompletion(500, 300, new Rng(2), "t").withDenseGradient();
            default -> new FactorizationProblem(t.toDense(LA));
        };
        DeepLinearNetwork net = model.equals("original")
                ? DeepLinearNetwork.wide(d, d, d, 3, Initialization.ORTH, 1e-2, new Rng(3), LA)
                : new SpectralInit(6, 3, 1e-2).build(problem, 1, LA);
        LossGradientOracle ev = problem.newOracle(net.layer(3).cols(), LA);
        Backprop bp = new Backprop(net.widths(), LA);
        Matrix[] g = Backprop.gradientBuffers(net);
        Optimizer opt = Optimizer.create(OptimizerConfig.gd(1e-3), net.layers(), new double[] {1, 1, 1});
        for (int i = 0; i < 3000; i++) {          // let the JIT compile the step
            bp.lossAndGradients(net, ev, g);
            opt.step(net.layers(), g);
        }
        long thread = Thread.currentThread().getId();
        int steps = 500;
        double perStep = Double.NaN;
        // the JIT may still be compiling (the vectorised kernel takes C2 longest, more so on a
        // busy machine): a step counts as allocation-free once one window of 500 compiled steps is
        for (int window = 0; window < 40 && !(perStep < 64); window++) {
            long before = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < steps; i++) {
                bp.lossAndGradients(net, ev, g);
                opt.step(net.layers(), g);
            }
            perStep = (mx.getThreadAllocatedBytes(thread) - before) / (double) steps;
        }
        assertTrue(perStep < 64, problemKind + "/" + model + " allocated " + perStep + " bytes per step");
    }
}

package org.cdln.bench;

import java.util.concurrent.TimeUnit;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.model.Backprop;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.LayerRates;
import org.cdln.optim.Optimizer;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.LossGradientOracle;
import org.cdln.problem.LowRankTarget;
import org.cdln.problem.Problem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step exactly as {@link org.cdln.train.Trainer} runs it — {@link Backprop} loss and
 * gradients, then one GD update with the compressed network's discrepant rate — on the reference
 * completion problem (d = 100, r = 5, p = 0.3) or a larger d, or on factorization
 * ({@code -p problem=factorization}: r = 10, r̂ = 20, step size 1). The network keeps training across
 * invocations at the reference step size, as in a real run. {@code cdln bench} measures the
 * same step through the Trainer itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrainingStep {
    @Param({"100"})
    int d;
    @Param({"original", "compressed"})
    String model;
    /** completion (r = 5, p = 0.3, r̂ = 10) or factorization (r = 10, r̂ = 20, fully observed). */
    @Param({"completion"})
    String problem;

    private DeepLinearNetwork net;
    private LossGradientOracle evaluator;
    private Backprop backprop;
    private Matrix[] grads;
    private Optimizer optimizer;

    @Setup
    public void setUp() {
        LinearAlgebra la = LinearAlgebra.instance();
        Rng rng = new Rng(1);
        boolean factorization = problem.equals("factorization");
        LowRankTarget t = LowRankTarget.random(d, d, factorization ? 10 : 5, rng.split(), la);
        Problem mc;
        if (factorization) {
            mc = new FactorizationProblem(t.toDense(la), "bench");
        } else {
            long observed = (long) Math.floor(0.3 * d * d);
            mc = t.sampleCompletion(observed, (long) d * d - observed, rng.split(), "bench");
        }
        double[] rates;
        if (model.equals("original")) {
            net = DeepLinearNetwork.wide(d, d, d, 3, Initialization.ORTH, 1e-2, rng.split(), la);
            rates = LayerRates.uniform(3);
        } else {
            net = new SpectralInit(factorization ? 20 : 10, 3, 1e-2).build(mc, 1, la);
            rates = LayerRates.discrepant(3, factorization ? 1.0 : 5.0);
        }
        evaluator = mc.newOracle(net.layer(3).cols(), la);
        backprop = new Backprop(net.widths(), la);
        grads = Backprop.gradientBuffers(net);
        optimizer = Optimizer.create(OptimizerConfig.gd(factorization ? 1.0 : 10.0), net.layers(), rates);
    }

    @Benchmark
    public double step() {
        double loss = backprop.lossAndGradients(net, evaluator, grads);
        optimizer.step(net.layers(), grads);
        return loss;
    }
}

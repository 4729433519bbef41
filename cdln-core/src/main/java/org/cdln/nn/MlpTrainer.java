package org.cdln.nn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cdln.Version;
import org.cdln.data.ImageDataset;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.optim.Optimizer;

/**
 * Mini-batch training of an {@link Mlp} with softmax cross-entropy.
 *
 * <p>Each epoch draws a fresh permutation of the training set from {@code new Rng(seed)} (the same
 * sequence of batches for every network trained with one config), then for each batch of B images
 * (the last one may be smaller): gather → {@link Mlp#forward} → {@link Mlp#backward} → one optimiser
 * step per layer with the layer's multiplier m_l and the schedule's factor s_t
 * (W_l ← W_l − s_t·η·m_l·u(∂ℓ/∂W_l)). After each epoch, and
 * once before training, the whole test set is evaluated; that time is not training time.
 * Everything a step touches (workspaces, gradients, optimiser state) is allocated before the
 * first step. The network passed in is copied, never modified.
 *
 * <p>Timing: the result's seconds are the sum over steps of gather + forward + backward + update;
 * {@link MlpTimings} splits them by layer, so that a linear block's share is measured, not estimated.
 */
public final class MlpTrainer {
    /**
     * A run has diverged when a mini-batch loss is NaN, infinite, or above this many times
     * log(classes), the loss of a uniform guess.
     */
    public static final double DIVERGED_LOSS_FACTOR = 1e4;

    private final MlpTrainerConfig config;
    private final LinearAlgebra la;
    private final List<MlpListener> listeners = new ArrayList<>();

    /** A trainer on the default backend. */
    public MlpTrainer(MlpTrainerConfig config) {
        this(config, LinearAlgebra.instance());
    }

    public MlpTrainer(MlpTrainerConfig config, LinearAlgebra la) {
        if (config == null || la == null) {
            throw new IllegalArgumentException("config and backend are required");
        }
        this.config = config;
        this.la = la;
    }

    /** Adds a listener (returns this). */
    public MlpTrainer addListener(MlpListener listener) {
        listeners.add(listener);
        return this;
    }

    public MlpTrainerConfig config() {
        return config;
    }

    /**
     * Trains a copy of {@code initial} on {@code train}, evaluating on {@code test} each epoch.
     *
     * @throws IllegalArgumentException when the data does not fit the network
     * @throws IllegalStateException    when the run diverges: a loss that is NaN, infinite or over
     *                                  {@link #DIVERGED_LOSS_FACTOR}·log(classes) (lower the step size)
     */
    public MlpResult fit(String label, Mlp initial, ImageDataset train, ImageDataset test) {
        MlpArchitecture arch = initial.architecture();
        if (train.features() != arch.inputs() || train.classes() != arch.classes()) {
            throw new IllegalArgumentException(train.name() + " has " + train.features() + " features and "
                    + train.classes() + " classes; the network takes " + arch.inputs() + " inputs and gives "
                    + arch.classes() + " classes");
        }
        Instant startedAt = Instant.now();
        Mlp net = initial.copy();
        int n = train.size();
        int depth = net.depth();
        int batch = Math.min(config.batchSize(), n);
        MlpWorkspace full = new MlpWorkspace(arch, batch);
        MlpWorkspace rest = n % batch == 0 ? null : new MlpWorkspace(arch, n % batch);
        int stepsPerEpoch = (n + batch - 1) / batch;
        long totalSteps = (long) stepsPerEpoch * config.epochs();
        double divergedLoss = DIVERGED_LOSS_FACTOR * Math.log(arch.classes());
        DatasetEvaluator evaluator = new DatasetEvaluator(arch, test, config.evalBatchSize());
        Matrix[][] params = new Matrix[depth][];
        Matrix[][] grads = new Matrix[depth][];
        Optimizer[] optimizers = new Optimizer[depth];
        Matrix[] allGrads = net.newGradients();
        int gi = 0;
        for (int l = 0; l < depth; l++) {
            params[l] = net.layerParameters(l);
            grads[l] = new Matrix[params[l].length];
            double[] mult = new double[params[l].length];
            for (int k = 0; k < params[l].length; k++) {
                grads[l][k] = allGrads[gi++];
                mult[k] = arch.layer(l).rate();
            }
            optimizers[l] = Optimizer.create(config.optimizer(), params[l], mult);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Rng shuffle = new Rng(config.seed());
        long[] updateNanos = new long[depth];
        long dataNanos = 0;
        long trainNanos = 0;
        long step = 0;
        long images = 0;
        String stopped = "completed";

        MlpContext context = new MlpContext(label, config, net, stepsPerEpoch);
        MlpListener[] stepListeners = listeners.toArray(new MlpListener[0]);
        List<EpochPoint> trajectory = new ArrayList<>();
        DatasetEvaluator.Evaluation e0 = evaluator.evaluate(net, la);
        trajectory.add(new EpochPoint(0, 0, 0.0, Double.NaN, Double.NaN, e0.loss(), e0.accuracy()));
        try {
            for (MlpListener l : listeners) {
                l.onStart(context);
            }
            epochs:
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                shuffle.shuffle(order);
                double lossSum = 0.0;
                long correct = 0;
                int seen = 0;
                for (int pos = 0; pos < n; ) {
                    MlpWorkspace ws = n - pos >= full.batch ? full : rest;
                    long t0 = System.nanoTime();
                    train.gather(order, pos, ws.batch, ws.act[0], ws.labels);
                    long t1 = System.nanoTime();
                    double loss = net.forward(ws, true, la);
                    if (!(loss <= divergedLoss)) {
                        throw new IllegalStateException(String.format(Locale.ROOT,
                                "%s diverged at step %d (epoch %d): the training loss is %s, over %.3g (10⁴ times "
                                        + "that of a uniform guess); lower the step size (η = %s) or the block's α",
                                label, step + 1, epoch, loss, divergedLoss, config.optimizer().stepSize()));
                    }
                    net.backward(ws, allGrads, la);
                    double rateFactor = config.schedule().factor(step, totalSteps);
                    for (int l = 0; l < depth; l++) {
                        optimizers[l].setRateScale(rateFactor);
                        long u0 = System.nanoTime();
                        optimizers[l].step(params[l], grads[l]);
                        updateNanos[l] += System.nanoTime() - u0;
                    }
                    long t2 = System.nanoTime();
                    dataNanos += t1 - t0;
                    trainNanos += t2 - t0;
                    step++;
                    images += ws.batch;
                    pos += ws.batch;
                    lossSum += loss * ws.batch;
                    correct += ws.correct;
                    seen += ws.batch;
                    for (MlpListener l : stepListeners) {
                        l.onStep(step, loss, context);
                    }
                    if (context.stopRequest() != null) {
                        stopped = context.stopRequest();
                        EpochPoint p = evaluate(evaluator, net, epoch, step, trainNanos, lossSum / seen,
                                correct / (double) seen);
                        trajectory.add(p);
                        for (MlpListener l : listeners) {
                            l.onEpoch(p, context);
                        }
                        break epochs;
                    }
                }
                EpochPoint p = evaluate(evaluator, net, epoch, step, trainNanos, lossSum / seen, correct / (double) seen);
                trajectory.add(p);
                for (MlpListener l : listeners) {
                    l.onEpoch(p, context);
                }
                if (context.stopRequest() != null) {
                    stopped = context.stopRequest();
                    break;
                }
            }
        } catch (RuntimeException ex) {
            for (MlpListener l : listeners) {
                try {
                    l.onFailure(ex, context);
                } catch (RuntimeException ignored) {
                    // the original failure matters more
                }
            }
            throw ex;
        }
        double[] layerSeconds = new double[depth];
        double[] updateSeconds = new double[depth];
        boolean[] block = new boolean[depth];
        for (int l = 0; l < depth; l++) {
            long fb = full.layerNanos[l] + (rest == null ? 0 : rest.layerNanos[l]);
            layerSeconds[l] = fb * 1e-9;
            updateSeconds[l] = updateNanos[l] * 1e-9;
            block[l] = arch.layer(l).inBlock();
        }
        double lossSeconds = (full.lossNanos + (rest == null ? 0 : rest.lossNanos)) * 1e-9;
        MlpTimings timings = new MlpTimings(dataNanos * 1e-9, layerSeconds, lossSeconds, updateSeconds, block);
        MlpProvenance prov = new MlpProvenance(Version.get(), la.description(), la.threads(),
                System.getProperty("java.version"), startedAt, config,
                arch.describe() + ", init seed " + initial.seed(),
                train + " / " + test);
        MlpResult result = new MlpResult(label, net, trajectory, step, trainNanos * 1e-9, images, timings, stopped,
                prov);
        for (MlpListener l : listeners) {
            l.onEnd(result);
        }
        return result;
    }

    private EpochPoint evaluate(DatasetEvaluator evaluator, Mlp net, int epoch, long step, long trainNanos,
                                double trainLoss, double trainAccuracy) {
        DatasetEvaluator.Evaluation e = evaluator.evaluate(net, la);
        return new EpochPoint(epoch, step, trainNanos * 1e-9, trainLoss, trainAccuracy, e.loss(), e.accuracy());
    }
}

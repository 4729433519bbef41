package org.cdln.nn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cdln.Version;
import org.cdln.data.ImageDataset;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.optim.Optimizer;
import org.cdln.train.DivergenceException;
import org.cdln.train.DivergenceGuard;
import org.cdln.train.Provenance;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.cdln.train.TrainingLoop;
import org.cdln.train.TrainingTask;

/**
 * Mini-batch training of an {@link Mlp} with softmax cross-entropy, on the one {@link TrainingLoop}
 * shared with the full-batch trainer: this class supplies the objective (a mini-batch's loss and
 * gradients), the update and the per-epoch evaluation; the loop, the listeners
 * ({@link TrainingListener}), the stop reasons and the divergence guard are the same.
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
    private final List<TrainingListener> listeners = new ArrayList<>();

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
    public MlpTrainer addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public MlpTrainerConfig config() {
        return config;
    }

    /**
     * Trains a copy of {@code initial} on {@code train}, evaluating on {@code test} before training
     * and after each epoch.
     *
     * @throws IllegalArgumentException when the data does not fit the network
     * @throws DivergenceException      when the run diverges: a loss that is NaN, infinite or over
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
        MiniBatches task = new MiniBatches(net, train, test, config, la);
        double alpha = 1.0;
        for (int l = 0; l < net.depth(); l++) {
            alpha = Math.max(alpha, arch.layer(l).rate());
        }
        List<TrainingListener> all = new ArrayList<>();
        all.add(DivergenceGuard.absolute(DIVERGED_LOSS_FACTOR * Math.log(arch.classes()),
                "10⁴ times the loss of a uniform guess"));
        all.addAll(listeners);
        TrainingContext context = new TrainingContext(label, config, net, null, null, 0, task.totalSteps,
                task.stepsPerEpoch, config.optimizer().stepSize(), alpha, List.of());
        Provenance<MlpTrainerConfig> prov = new Provenance<>(Version.get(), la.description(), la.threads(),
                System.getProperty("java.version"), startedAt, config, arch.describe() + ", init seed " + initial.seed(),
                train + " / " + test, 0);
        return new TrainingLoop(context, all, Double.NEGATIVE_INFINITY).run(task, 0.0, List.of(),
                o -> new MlpResult(label, net, o.trajectory(), o.steps(), o.seconds(), task.images, task.timings(),
                        o.stopReason(), o.stopMessage(), prov));
    }

    /**
     * The MLP's objective and update. Each epoch draws a fresh permutation; update t + 1 is computed
     * from batch t mod ⌈n/B⌉ of its epoch; the epoch's training loss and accuracy are accumulated
     * as updates are applied, so that an evaluation sees exactly the batches its epoch trained on.
     */
    private static final class MiniBatches implements TrainingTask<EpochPoint> {
        private final Mlp net;
        private final ImageDataset train;
        private final MlpTrainerConfig config;
        private final LinearAlgebra la;
        private final int n;
        private final int depth;
        private final MlpWorkspace full;
        private final MlpWorkspace rest;
        final int stepsPerEpoch;
        final long totalSteps;
        private final DatasetEvaluator evaluator;
        private final Matrix[][] params;
        private final Matrix[][] grads;
        private final Optimizer[] optimizers;
        private final Matrix[] allGrads;
        private final int[] order;
        private final Rng shuffle;
        private final long[] updateNanos;
        private long dataNanos;
        long images;
        private int pos;
        private MlpWorkspace current;
        private double currentLoss;
        private double lossSum;
        private long correct;
        private int seen;

        MiniBatches(Mlp net, ImageDataset train, ImageDataset test, MlpTrainerConfig config, LinearAlgebra la) {
            MlpArchitecture arch = net.architecture();
            this.net = net;
            this.train = train;
            this.config = config;
            this.la = la;
            this.n = train.size();
            this.depth = net.depth();
            int batch = Math.min(config.batchSize(), n);
            this.full = new MlpWorkspace(arch, batch);
            this.rest = n % batch == 0 ? null : new MlpWorkspace(arch, n % batch);
            this.stepsPerEpoch = (n + batch - 1) / batch;
            this.totalSteps = (long) stepsPerEpoch * config.epochs();
            this.evaluator = new DatasetEvaluator(arch, test, config.evalBatchSize());
            this.params = new Matrix[depth][];
            this.grads = new Matrix[depth][];
            this.optimizers = new Optimizer[depth];
            this.allGrads = net.newGradients();
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
            this.order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            this.shuffle = new Rng(config.seed());
            this.updateNanos = new long[depth];
        }

        @Override
        public double lossAndGradients(long step) {
            if (step % stepsPerEpoch == 0) {
                shuffle.shuffle(order);
                pos = 0;
            }
            MlpWorkspace ws = n - pos >= full.batch ? full : rest;
            long t0 = System.nanoTime();
            train.gather(order, pos, ws.batch, ws.act[0], ws.labels);
            dataNanos += System.nanoTime() - t0;
            double loss = net.forward(ws, true, la);
            net.backward(ws, allGrads, la);
            current = ws;
            currentLoss = loss;
            return loss;
        }

        @Override
        public void update(long step) {
            double rateFactor = config.schedule().factor(step, totalSteps);
            for (int l = 0; l < depth; l++) {
                optimizers[l].setRateScale(rateFactor);
                long u0 = System.nanoTime();
                optimizers[l].step(params[l], grads[l]);
                updateNanos[l] += System.nanoTime() - u0;
            }
            MlpWorkspace ws = current;
            images += ws.batch;
            pos += ws.batch;
            lossSum += currentLoss * ws.batch;
            correct += ws.correct;
            seen += ws.batch;
        }

        @Override
        public boolean evaluationDue(long step) {
            return step % stepsPerEpoch == 0;
        }

        @Override
        public EpochPoint evaluate(long step, double seconds, double loss) {
            boolean boundary = step % stepsPerEpoch == 0;
            int epoch = (int) (boundary ? step / stepsPerEpoch : step / stepsPerEpoch + 1);
            double trainLoss = seen == 0 ? Double.NaN : lossSum / seen;
            double trainAccuracy = seen == 0 ? Double.NaN : correct / (double) seen;
            if (boundary) {
                lossSum = 0.0;
                correct = 0;
                seen = 0;
            }
            DatasetEvaluator.Evaluation e = evaluator.evaluate(net, la);
            return new EpochPoint(epoch, step, seconds, trainLoss, trainAccuracy, e.loss(), e.accuracy());
        }

        @Override
        public boolean lossAtFinalPoint() {
            return false;
        }

        MlpTimings timings() {
            double[] layerSeconds = new double[depth];
            double[] updateSeconds = new double[depth];
            boolean[] block = new boolean[depth];
            for (int l = 0; l < depth; l++) {
                long fb = full.layerNanos[l] + (rest == null ? 0 : rest.layerNanos[l]);
                layerSeconds[l] = fb * 1e-9;
                updateSeconds[l] = updateNanos[l] * 1e-9;
                block[l] = net.architecture().layer(l).inBlock();
            }
            double lossSeconds = (full.lossNanos + (rest == null ? 0 : rest.lossNanos)) * 1e-9;
            return new MlpTimings(dataNanos * 1e-9, layerSeconds, lossSeconds, updateSeconds, block);
        }
    }
}

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
    private java.nio.file.Path checkpointFile;
    private double checkpointSeconds;

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
     * Writes an {@link MlpCheckpoint} to {@code file} at epoch ends at most every
     * {@code intervalSeconds}, at the end of the run, and at the step a {@link org.cdln.train.StopSignal}
     * stopped it; returns this trainer.
     */
    public MlpTrainer checkpoint(java.nio.file.Path file, double intervalSeconds) {
        if (!(intervalSeconds > 0)) {
            throw new IllegalArgumentException("checkpoint interval must be > 0 s, got " + intervalSeconds);
        }
        this.checkpointFile = file;
        this.checkpointSeconds = intervalSeconds;
        return this;
    }

    /**
     * The identity of a run as its checkpoint records it: a digest of the trainer settings (the
     * epochs included: the step-size schedule spans them), the architecture, the initial weights'
     * seed and the training data.
     */
    public String identity(Mlp initial, ImageDataset train) {
        return org.cdln.io.SettingsDigest.digest(org.cdln.io.SettingsDigest.canonicalText(config,
                java.util.Set.of()) + "|" + initial.architecture().describe() + "|" + initial.seed() + "|"
                + train.name() + "|" + train.size());
    }

    /**
     * Continues a run from its checkpoint: the result equals the uninterrupted run's (the same
     * batches, the same updates, the same early-stopping decisions).
     *
     * @param initial the network the run started from (its architecture and seed identify the run)
     * @throws IllegalArgumentException when the checkpoint belongs to another run
     */
    public MlpResult resume(MlpCheckpoint checkpoint, Mlp initial, ImageDataset train, ImageDataset test) {
        if (!checkpoint.identity().equals(identity(initial, train))) {
            throw new IllegalArgumentException("the checkpoint of the " + checkpoint.label() + " run was written by "
                    + "another run (other settings, network or data); resume with the settings it was written with, "
                    + "or start afresh without resuming");
        }
        return run(checkpoint.label(), initial, train, test, checkpoint);
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
        return run(label, initial, train, test, null);
    }

    private MlpResult run(String label, Mlp initial, ImageDataset train, ImageDataset test, MlpCheckpoint from) {
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
        if (from != null) {
            task.restore(from);
        }
        if (checkpointFile != null) {
            all.add(new Checkpoints(checkpointFile, checkpointSeconds, task, label, identity(initial, train),
                    from == null ? List.of() : from.trajectory()));
        }
        long firstStep = from == null ? 0 : from.step();
        List<EpochPoint> prior = from == null ? List.of() : from.trajectory();
        TrainingContext context = new TrainingContext(label, config, net, null, null, firstStep, task.totalSteps,
                task.stepsPerEpoch, config.optimizer().stepSize(), alpha, prior);
        Provenance<MlpTrainerConfig> prov = new Provenance<>(Version.get(), la.description(), la.threads(),
                System.getProperty("java.version"), startedAt, config, arch.describe() + ", init seed " + initial.seed(),
                train + " / " + test, firstStep);
        TrainingLoop loop = new TrainingLoop(context, all, Double.NEGATIVE_INFINITY);
        if (from != null) {
            loop.afterStart(ls -> {
                for (TrainingListener l : ls) {
                    if (l instanceof org.cdln.train.StatefulListener st && from.listenerStates().containsKey(st.stateKey())) {
                        st.restoreState(from.listenerStates().get(st.stateKey()).clone());
                    }
                }
                if (from.stoppedForGood()) {
                    context.requestStop(from.stopReason(), from.stopMessage());
                }
            });
        }
        return loop.run(task, from == null ? 0.0 : from.seconds(), prior,
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

        /**
         * Puts the run where the checkpoint left it: parameters, optimiser states, the epoch's running
         * sums, and the batch order replayed from the seed (one shuffle per epoch started before the
         * checkpoint's step).
         */
        void restore(MlpCheckpoint cp) {
            List<double[]> saved = cp.parameters();
            int q = 0;
            for (int l = 0; l < depth; l++) {
                for (Matrix m : params[l]) {
                    if (q >= saved.size() || saved.get(q).length != m.data().length) {
                        throw new IllegalArgumentException("the checkpoint holds the parameters of another network");
                    }
                    System.arraycopy(saved.get(q), 0, m.data(), 0, m.data().length);
                    q++;
                }
            }
            if (q != saved.size() || cp.optimizerStates().size() != depth) {
                throw new IllegalArgumentException("the checkpoint holds the parameters of another network");
            }
            for (int l = 0; l < depth; l++) {
                optimizers[l].restore(cp.optimizerStates().get(l), cp.optimizerSteps()[l]);
            }
            long s = cp.step();
            long started = (s + stepsPerEpoch - 1) / stepsPerEpoch;
            for (long e = 0; e < started; e++) {
                shuffle.shuffle(order);
            }
            pos = (int) Math.min(n, (s % stepsPerEpoch) * (long) full.batch);
            lossSum = cp.lossSum();
            correct = cp.correct();
            seen = cp.seen();
            images = cp.images();
        }

        /** The checkpoint of the run at {@code step} (call between steps). */
        MlpCheckpoint snapshot(String label, String identity, long step, double seconds, List<EpochPoint> traj,
                               org.cdln.train.StopReason reason, String message,
                               java.util.Map<String, double[]> listenerStates) {
            List<double[]> ps = new ArrayList<>();
            for (int l = 0; l < depth; l++) {
                for (Matrix m : params[l]) {
                    ps.add(m.data().clone());
                }
            }
            List<double[][]> states = new ArrayList<>();
            long[] steps = new long[depth];
            for (int l = 0; l < depth; l++) {
                double[][] st = optimizers[l].state();
                double[][] c = new double[st.length][];
                for (int k = 0; k < st.length; k++) {
                    c[k] = st[k].clone();
                }
                states.add(c);
                steps[l] = optimizers[l].steps();
            }
            return new MlpCheckpoint(label, identity, step, seconds, traj, ps, states, steps, lossSum, correct, seen,
                    images, reason, message, listenerStates);
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

    /** Writes the run's checkpoints (see {@link #checkpoint}). */
    private static final class Checkpoints implements org.cdln.train.CheckpointWriter {
        private final java.nio.file.Path file;
        private final double interval;
        private final MiniBatches task;
        private final String label;
        private final String identity;
        private final List<EpochPoint> trajectory = new ArrayList<>();
        private TrainingContext context;
        private long lastWrite;

        Checkpoints(java.nio.file.Path file, double interval, MiniBatches task, String label, String identity,
                    List<EpochPoint> prior) {
            this.file = file;
            this.interval = interval;
            this.task = task;
            this.label = label;
            this.identity = identity;
            trajectory.addAll(prior);
        }

        @Override
        public void onStart(TrainingContext ctx) {
            context = ctx;
            lastWrite = System.nanoTime();
        }

        @Override
        public void onEvaluation(org.cdln.train.TrainingPoint point, TrainingContext ctx) {
            trajectory.add((EpochPoint) point);
            if (ctx.stopRequested() || (System.nanoTime() - lastWrite) * 1e-9 < interval) {
                return;
            }
            task.snapshot(label, identity, point.step(), point.seconds(), trajectory, null, "", ctx.listenerStates())
                    .save(file);
            lastWrite = System.nanoTime();
        }

        @Override
        public void onEnd(org.cdln.train.TrainingResult result) {
            task.snapshot(label, identity, result.steps(), result.seconds(), trajectory, result.stopReason(),
                    result.stopMessage(), context.listenerStates()).save(file);
        }

        @Override
        public void onFailure(RuntimeException error, TrainingContext ctx) {
            if (error instanceof org.cdln.train.TrainingInterruptedException ti && context != null) {
                double seconds = trajectory.isEmpty() ? 0.0 : trajectory.get(trajectory.size() - 1).seconds();
                task.snapshot(label, identity, ti.step(), seconds, trajectory, null, "", ctx.listenerStates())
                        .save(file);
                ti.checkpointSavedAt(file);
            }
        }
    }
}

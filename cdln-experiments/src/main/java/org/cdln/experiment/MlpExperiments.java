package org.cdln.experiment;

import java.util.ArrayList;
import java.util.List;
import org.cdln.data.ImageDataset;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.nn.Mlp;
import org.cdln.nn.MlpArchitecture;
import org.cdln.train.TrainingListener;
import org.cdln.nn.MlpResult;
import org.cdln.nn.MlpTrainer;

/**
 * The paper's nonlinear experiment (docs/method.md §6): a ReLU MLP, the MLP with a full-width DLN block
 * before its output layer (+DLN), and with that block narrowed to a C-DLN (+C-DLN), trained one
 * after the other with the same data, batches, optimiser, schedule, epochs and seed.
 *
 * <p>Fairness: the hidden and output layers of the three variants start from identical weights
 * (see {@link Mlp#initialize}); the batch order is the same; each variant first runs
 * {@link MlpSettings#warmupSteps()} untimed steps on a scratch copy, so that JIT compilation and
 * BLAS thread start-up do not land on whichever runs first. Training time is measured by the
 * trainer (batches, forward, backward, updates; test evaluation excluded).
 */
public final class MlpExperiments {
    private MlpExperiments() {
    }


    /** One variant's run. */
    public record Run(String model, MlpArchitecture architecture, MlpResult result) {
    }

    /**
     * The runs of one experiment.
     *
     * @param data           the training and test sets, described
     * @param setupSeconds   data preparation and network initialisation (not training)
     * @param warmupSeconds  the untimed warm-up steps
     */
    public record Outcome(MlpSettings settings, String data, String backend, int threads, List<Run> runs,
                          double setupSeconds, double warmupSeconds) {
        public Outcome {
            runs = List.copyOf(runs);
        }

        /** The run of a model, or null. */
        public Run run(String model) {
            return runs.stream().filter(r -> r.model().equals(model)).findFirst().orElse(null);
        }
    }

    /** Thrown when a run fails; carries the runs that finished before it. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Outcome partial;

        Failure(String message, RuntimeException cause, Outcome partial) {
            super(message, cause);
            this.partial = partial;
        }

        /** The runs that finished. */
        public Outcome partial() {
            return partial;
        }
    }

    /** The architecture of a variant ("mlp", "mlp+dln" or "mlp+c-dln") for the given data shape. */
    public static MlpArchitecture architecture(String model, MlpSettings s, int inputs, int classes) {
        return switch (model) {
            case "mlp" -> MlpArchitecture.plain(inputs, s.hidden(), classes);
            case "mlp+dln" -> MlpArchitecture.withDlnBlock(inputs, s.hidden(), classes, s.blockDepth(), s.eps());
            case "mlp+c-dln" -> MlpArchitecture.withCdlnBlock(inputs, s.hidden(), classes, s.blockDepth(), s.rankHat(),
                    s.eps(), s.alpha());
            default -> throw new IllegalArgumentException("unknown model '" + model + "'; use "
                    + String.join(", ", MlpSettings.MODELS));
        };
    }

    /** The training set limited to {@link MlpSettings#trainLimit()} images (all when 0). */
    public static ImageDataset.Split limit(ImageDataset.Split data, MlpSettings s) {
        if (s.trainLimit() == 0 || s.trainLimit() >= data.train().size()) {
            return data;
        }
        return new ImageDataset.Split(data.train().head(s.trainLimit()), data.test());
    }

    /**
     * Trains the settings' models on the data, in order.
     *
     * @throws Failure when a run fails; {@link Failure#partial()} holds the finished runs
     */
    /**
     * Refuses settings whose networks cannot fit in the heap, before any is built: every model's
     * initial network is held, the one in training also holds a copy, gradients, two Adam
     * moments and its result (5 more copies), and each batch keeps about three activations per
     * unit of every layer.
     */
    static void requireMemory(MlpSettings s, int inputs, int classes) {
        double all = 0;
        double largest = 0;
        for (String model : s.models()) {
            double p = architecture(model, s, inputs, classes).parameters();
            all += p;
            largest = Math.max(largest, p);
        }
        double units = inputs + classes;
        for (int h : s.hidden()) {
            units += h;
        }
        double activations = 3.0 * units * (s.batch() + s.trainerConfig().evalBatchSize());
        org.cdln.linalg.MemoryCheck.require("reproduce mlp with hidden widths " + java.util.Arrays.toString(s.hidden())
                + " (" + String.format(java.util.Locale.ROOT, "%,.0f", largest) + " parameters in the largest network)",
                org.cdln.linalg.MemoryCheck.doubles(all + 5 * largest + activations), "smaller hidden widths or batch");
    }

    public static Outcome run(MlpSettings s, ImageDataset.Split data, LinearAlgebra la, ListenerFactory listeners) {
        return run(s, data, la, listeners, null, false);
    }

    /**
     * Runs the comparison; with {@code checkpointDir} non-null each model's run is checkpointed
     * there (every 30 s at epoch ends, at its end, and when a stop signal interrupts it) and, with
     * {@code resume}, continued from an existing checkpoint of the same settings — the result
     * equals the uninterrupted run's.
     */
    public static Outcome run(MlpSettings s, ImageDataset.Split data, LinearAlgebra la, ListenerFactory listeners,
                              java.nio.file.Path checkpointDir, boolean resume) {
        long t0 = System.nanoTime();
        ImageDataset.Split d = limit(data, s);
        requireMemory(s, d.train().features(), d.train().classes());
        List<Mlp> nets = new ArrayList<>();
        for (String model : s.models()) {
            nets.add(Mlp.initialize(architecture(model, s, d.train().features(), d.train().classes()), s.seed(), la));
        }
        double setup = (System.nanoTime() - t0) * 1e-9;
        long w0 = System.nanoTime();
        if (s.warmupSteps() > 0) {
            int n = Math.min(d.train().size(), s.warmupSteps() * s.batch());
            ImageDataset warmTrain = d.train().head(n);
            ImageDataset warmTest = d.test().head(Math.min(d.test().size(), 1000));
            for (Mlp net : nets) {
                new MlpTrainer(s.trainerConfig().withEpochs(1), la).fit("warm-up", net, warmTrain, warmTest);
            }
        }
        double warmup = (System.nanoTime() - w0) * 1e-9;
        String description = d.train() + " / " + d.test() + ", normalised (mean "
                + String.format(java.util.Locale.ROOT, "%.4f, std %.4f)", d.train().normalization()[0],
                d.train().normalization()[1]);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < nets.size(); i++) {
            String model = s.models().get(i);
            MlpTrainer trainer = new MlpTrainer(s.trainerConfig(), la);
            long total = (long) ((d.train().size() + s.batch() - 1) / s.batch()) * s.epochs();
            for (TrainingListener l : listeners.forRun(model, total)) {
                trainer.addListener(l);
            }
            try {
                MlpResult r;
                if (checkpointDir == null) {
                    r = trainer.fit(model, nets.get(i), d.train(), d.test());
                } else {
                    java.nio.file.Path file = checkpointDir.resolve(model.replaceAll("[^A-Za-z0-9-]", "_") + "-"
                            + trainer.identity(nets.get(i), d.train()) + ".mlpckpt");
                    trainer.checkpoint(file, 30.0);
                    r = resume && java.nio.file.Files.exists(file)
                            ? trainer.resume(org.cdln.nn.MlpCheckpoint.load(file), nets.get(i), d.train(), d.test())
                            : trainer.fit(model, nets.get(i), d.train(), d.test());
                }
                runs.add(new Run(model, nets.get(i).architecture(), r));
            } catch (org.cdln.train.TrainingInterruptedException e) {
                throw e; // the command says where the checkpoint is and how to resume
            } catch (RuntimeException e) {
                Outcome partial = new Outcome(s, description, la.description(), la.threads(), runs, setup, warmup);
                throw new Failure(e.getMessage(), e, partial);
            }
        }
        return new Outcome(s, description, la.description(), la.threads(), runs, setup, warmup);
    }
}

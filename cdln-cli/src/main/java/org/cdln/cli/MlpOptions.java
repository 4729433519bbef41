package org.cdln.cli;

import picocli.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cdln.data.DigitsCsv;
import org.cdln.data.ImageDataset;
import org.cdln.experiment.SharedDataFolder;
import org.cdln.experiment.MlpSettings;
import org.cdln.nn.MlpTrainerConfig;
import org.cdln.optim.OptimizerConfig;
import picocli.CommandLine.Option;

/**
 * The flags shared by {@code cdln reproduce mlp} and {@code cdln analyze mlp}: the data folder and
 * every {@link MlpSettings} field, each defaulting to {@link MlpSettings#defaults()}.
 */
final class MlpOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four IDX files of Fashion-MNIST or "
            + "MNIST (gzip or raw), or the sklearn-digits folder (digits.csv.gz, split 75/25 with --seed). "
            + "Default: fashion-mnist in the nearest shared/data folder found walking up from the working directory.")
    Path data;
    @Option(names = "--hidden", paramLabel = "W1,W2,..", description = "ReLU hidden widths (default 512,512); the "
            + "block has the last width.")
    String hidden;
    @Option(names = "--block-depth", paramLabel = "L", description = "Linear layers in the DLN and C-DLN blocks (default 3).")
    Integer blockDepth;
    @Option(names = "--rank-hat", paramLabel = "RHAT", description = "C-DLN block inner width r̂ (default 20 = 2 × 10 classes).")
    Integer rankHat;
    @Option(names = "--eps", paramLabel = "EPS", description = "Orthogonal init scale ε of both blocks (default 0.1).")
    Double eps;
    @Option(names = "--alpha", paramLabel = "ALPHA", description = "Step multiplier α of the C-DLN block's first layer (default 4).")
    Double alpha;
    @Option(names = "--optimizer", paramLabel = "KIND", description = "adam, momentum, gd or rmsprop (default adam).")
    String optimizer;
    @Option(names = "--step", paramLabel = "ETA", description = "Step size η (default 1e-3).")
    Double step;
    @Option(names = "--batch", paramLabel = "B", description = "Mini-batch size (default 128).")
    Integer batch;
    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (default 10).")
    Integer epochs;
    @Option(names = "--schedule", paramLabel = "KIND", description = "Step-size schedule: cosine or constant (default cosine).")
    String schedule;
    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the initialisation and the batch order (default 0).")
    Long seed;
    @Option(names = "--train-limit", paramLabel = "N", description = "Train on the first N images only (default 0 = all).")
    Integer trainLimit;
    @Option(names = "--warmup-steps", paramLabel = "N", description = "Untimed warm-up steps per model before the "
            + "timed runs (default 20).")
    Integer warmupSteps;
    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    ProgressOption progress;

    /** The settings: the reference values overridden by the flags given; models as given. */
    MlpSettings settings(List<String> models) {
        MlpSettings d = MlpSettings.defaults();
        return new MlpSettings(hidden == null ? d.hidden() : parseWidths(hidden), or(blockDepth, d.blockDepth()),
                or(rankHat, d.rankHat()), or(eps, d.eps()), or(alpha, d.alpha()),
                optimizer == null ? d.optimizer()
                        : RecoveryCommand.flag("--optimizer", () -> OptimizerConfig.Kind.parse(optimizer)),
                or(step, d.step()), or(batch, d.batch()), or(epochs, d.epochs()),
                schedule == null ? d.schedule()
                        : RecoveryCommand.flag("--schedule", () -> org.cdln.optim.LearningRateSchedule.parse(schedule)),
                or(seed, d.seed()), or(trainLimit, d.trainLimit()), or(warmupSteps, d.warmupSteps()), models);
    }

    static int[] parseWidths(String s) {
        try {
            int[] w = Arrays.stream(s.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            if (w.length == 0) {
                throw new NumberFormatException("empty");
            }
            return w;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--hidden must be comma-separated widths such as 512,512, got '" + s + "'");
        }
    }

    /** Parses "mlp,mlp+dln" into model names (validated by the settings). */
    static List<String> parseModels(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    }

    /** The data folder: --data, else the shared fashion-mnist folder. */
    Path dataFolder() {
        return data != null ? data : SharedDataFolder.datasetOrDefault("fashion-mnist");
    }

    /**
     * Loads the data: an IDX folder, or the scikit-learn digits folder (seeded 75/25 split);
     * standardised with the training set's pixel mean and deviation.
     */
    ImageDataset.Split loadData(long splitSeed) {
        Path dir = dataFolder();
        try {
            Path digits = dir.resolve("digits.csv.gz");
            ImageDataset.Split raw = Files.isRegularFile(digits) ? DigitsCsv.read(digits).shuffleSplit(0.25, splitSeed)
                    : ImageDataset.fromIdxFolder(dir);
            return raw.standardized();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--data: " + e.getMessage()
                    + (data == null ? " (pass --data DIR with the Fashion-MNIST or MNIST files)" : ""), e);
        }
    }

    private static <T> T or(T v, T dflt) {
        return v != null ? v : dflt;
    }
}

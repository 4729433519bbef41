package org.cdln.cli;

import picocli.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cdln.data.DigitsCsv;
import org.cdln.data.ImageDataset;
import org.cdln.experiment.SharedDataFolder;
import org.cdln.experiment.MlpSettings;
import java.util.Set;
import org.cdln.settings.Settings;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The flags shared by {@code cdln reproduce mlp} and {@code cdln analyze mlp}: the data folder,
 * threads and progress here, and one option per declared {@link MlpSettings} setting, derived
 * from its declaration by the commands' {@link DerivedOptions}.
 */
final class MlpOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the four IDX files of Fashion-MNIST or "
            + "MNIST (gzip or raw), or the sklearn-digits folder (digits.csv.gz, split 75/25 with --seed). "
            + "Default: fashion-mnist in the nearest shared/data folder found walking up from the working directory.")
    Path data;
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;
    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    ProgressOption progress;

    /**
     * The settings: the reference values overridden by the flags given (the options of
     * {@link MlpSettings#SCHEMA}, {@link DerivedOptions}), parsed and validated by their
     * declarations; a refusal names the flag. {@code variants}, when not null, replaces the models
     * setting (analyze mlp's --model).
     */
    MlpSettings settings(List<String> variants) {
        Settings given = SettingOptions.apply(mixee, MlpSettings.SCHEMA.defaults());
        return SettingOptions.named(() -> MlpSettings.of(variants == null ? given
                : given.with(MlpSettings.VARIANTS, variants)), st -> st == MlpSettings.VARIANTS && variants != null
                ? "--model" : SettingOptions.flag(st));
    }

    /** The options of every declared MLP setting but those named in the command's {@code skip}. */
    abstract static class DerivedOptions implements CommandLine.IModelTransformer {
        private final Set<String> skip;

        DerivedOptions(Set<String> skip) {
            this.skip = skip;
        }

        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            return SettingOptions.addTo(spec, MlpSettings.SCHEMA.defaults(), skip);
        }
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
}

package org.cdln.cli.ratings;

import org.cdln.cli.ResumeOption;
import org.cdln.cli.ThreadsOption;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cdln.cli.SettingOptions;
import org.cdln.cli.progress.ProgressListener;
import org.cdln.data.RatingsReader;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.recommend.AltMin;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.DeepMatrixCompletion;
import org.cdln.settings.Settings;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.cdln.train.TrainingPoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cdln complete --ratings FILE --out model.cdln}: fits a rating model (the C-DLN by
 * default; the original wide network or AltMin on request) on every rating of the file, holding
 * out a validation share for early stopping, and saves it.
 */
@Command(name = "complete", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = CompleteCommand.DerivedOptions.class,
        description = {"Fit a rating model on a ratings file and save it (deep matrix completion).",
            "Default: the compressed deep linear network (C-DLN), depth 3, r̂ chosen on a 5%% validation split, "
                    + "ε and η automatic, α=4, centred on user/item biases, predictions clipped to the rating range."})
public final class CompleteCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RatingsOptions input;

    @Mixin
    org.cdln.cli.OutOption out = org.cdln.cli.OutOption.requiredFile("Where to write the model (.cdln).");

    @Option(names = "--model", paramLabel = "KIND", defaultValue = "c-dln",
            description = "c-dln (default), dln (the original wide network) or altmin.")
    String model;

    @CommandLine.Mixin
    ThreadsOption threads;
    @Mixin
    org.cdln.cli.ProgressOption progress;
    @Option(names = "--engine", paramLabel = "local|spark", defaultValue = "local",
            description = "local (default): this JVM; spark: the same fit distributed by Apache Spark (c-dln, gd), "
                    + "writing the same model file.")
    String engine;
    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
            description = "Spark master for --engine spark: local[*] (default), local[N] or spark://HOST:PORT.")
    String master;
    @Option(names = "--spark-blocks", paramLabel = "N",
            description = "User blocks (partitions) of the Spark fit (default: the master's default parallelism).")
    Integer sparkBlocks;

    @Mixin
    ResumeOption resume;

    /**
     * Opens the output (checked for writability, refused when it is an input, locked against a
     * second run) before any work, then runs the command.
     */
    /** Where the fits of a model written to {@code out} keep their checkpoints. */
    static Path checkpointDir(Path out) {
        return out.resolveSibling(out.getFileName() + ".checkpoints");
    }

    @Override
    public Integer call() {
        try (org.cdln.cli.Outputs outputs = out.open(input.file())) {
            return callWithOutputs();
        }
    }

    private Integer callWithOutputs() {
        validateFlags();
        String kind = model.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("c-dln") && !kind.equals("cdln") && !kind.equals("dln") && !kind.equals("altmin")) {
            throw new IllegalArgumentException("--model must be c-dln, dln or altmin, got '" + model + "'");
        }
        PrintWriter o = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        RatingsReader.Report read = input.read();
        o.printf(Locale.ROOT, "read %,d ratings of %,d users × %,d items from %s (%s)%s%n", read.ratings().size(),
                read.ratings().numUsers(), read.ratings().numItems(), input.file(), read.format().describe(),
                read.duplicatesReplaced() > 0 ? "; " + read.duplicatesReplaced()
                        + " repeated (user, item) pairs: the last rating kept" : "");
        o.flush();
        LinearAlgebra la = LinearAlgebra.instance();
        if (SparkBridge.requested(engine)) {
            SparkBridge.requireSpark();
            if (!kind.equals("c-dln") && !kind.equals("cdln")) {
                throw new IllegalArgumentException("--engine spark fits the c-dln; drop --model " + model
                        + " or use --engine local");
            }
        }
        CompletionModel m = kind.equals("altmin") ? fitAltMin(read, la, o) : fitNetwork(read, kind, la, o);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("ratings_file", input.file().toAbsolutePath().normalize().toString());
        extra.put("ratings_format", read.format().describe());
        extra.put("duplicates_replaced", String.valueOf(read.duplicatesReplaced()));
        m = m.withProvenance(extra);
        m.save(out.path());
        double total = (System.nanoTime() - t0) * 1e-9;
        Map<String, String> s = m.settings();
        String width = s.containsKey("rank_hat") ? "r̂ = " + s.get("rank_hat")
                : s.containsKey("width") ? "width " + s.get("width") : "rank k = " + s.get("rank");
        o.printf(Locale.ROOT, "%s: %s, %,d parameters, %s steps in %.2f s of training (setup %.2f s)%n", m.kind(), width,
                Long.parseLong(s.get("parameters")), s.get("steps"), Double.parseDouble(s.get("training_seconds")),
                Double.parseDouble(s.getOrDefault("setup_seconds", "0")));
        if (s.containsKey("rank_hat_rule") && !s.get("rank_hat_rule").equals("given")) {
            o.println("  r̂: " + s.get("rank_hat_rule"));
        }
        if (s.containsKey("eps_rule") && !s.get("eps_rule").equals("given")) {
            o.println("  ε = " + s.get("eps") + " (" + s.get("eps_rule") + ")");
        }
        if (s.containsKey("step_size_rule") && !s.get("step_size_rule").equals("given")) {
            o.println("  η = " + s.get("step_size") + " (" + s.get("step_size_rule") + ")");
        }
        if (!"-1".equals(s.get("best_step")) && s.get("best_step") != null) {
            o.printf(Locale.ROOT, "  best validation RMSE %.4f at step %s%s%n", Double.parseDouble(s.get("best_validation_rmse")),
                    s.get("best_step"), s.containsKey("stop_reason") ? "; stopped: " + s.get("stop_reason").replace('_', ' ')
                            : "");
        }
        o.printf(Locale.ROOT, "wrote %s (%s) in %.1f s%n", out.path(), size(out.path()), total);
        return 0;
    }

    private CompletionModel fitNetwork(RatingsReader.Report read, String kind, LinearAlgebra la, PrintWriter o) {
        Settings base = DeepMatrixCompletion.DEFAULTS.with(DeepMatrixCompletion.NETWORK,
                kind.equals("dln") ? DeepMatrixCompletion.Network.ORIGINAL : DeepMatrixCompletion.Network.COMPRESSED);
        String rankHat = SettingOptions.given(spec, DeepMatrixCompletion.RANK_HAT);
        int dMin = Math.min(read.ratings().numUsers(), read.ratings().numItems());
        if (rankHat != null && rankHat.trim().matches("-?\\d{1,9}")) {
            // the declaration checks r̂ ≥ 1; the bound that depends on the data is checked here, with it
            int v = Integer.parseInt(rankHat.trim());
            if (v < 1 || v > dMin) {
                throw new IllegalArgumentException("--rank-hat must be in [1, " + dMin + "] (min(users, items)) or auto, "
                        + "got " + v);
            }
        }
        Settings settings = SettingOptions.apply(spec, base);
        DeepMatrixCompletion.Builder b = DeepMatrixCompletion.builder(settings).linearAlgebra(la);
        boolean spark = SparkBridge.requested(engine);
        if (progress.shown() && !spark) {
            b.listener(ProgressListener.create(kind.equals("dln") ? "dln" : "c-dln",
                    settings.get(DeepMatrixCompletion.MAX_STEPS)));
        }
        b.checkpoints(checkpointDir(out.path()), resume.resume(), 30.0);
        DeepMatrixCompletion est = b.build();
        Settings s = est.settings();
        boolean original = s.get(DeepMatrixCompletion.NETWORK) == DeepMatrixCompletion.Network.ORIGINAL;
        o.printf(Locale.ROOT, "fitting %s: depth %d, %s, ε %s, η %s, α=%s, %s, validation %s, centering %s%n",
                original ? "the original network (dln)" : "c-dln", s.get(DeepMatrixCompletion.DEPTH),
                original ? "width " + s.given(DeepMatrixCompletion.WIDTH).map(String::valueOf).orElse("min(users, items)")
                        : s.given(DeepMatrixCompletion.RANK_HAT).map(r -> "r̂ = " + r).orElse("r̂ auto"),
                s.given(DeepMatrixCompletion.EPS).map(e -> "= " + g(e)).orElse("auto"),
                s.given(DeepMatrixCompletion.STEP_SIZE).map(e -> "= " + g(e)).orElse("auto"),
                g(s.get(DeepMatrixCompletion.ALPHA)), s.get(DeepMatrixCompletion.OPTIMIZER).name().toLowerCase(),
                s.get(DeepMatrixCompletion.VALIDATION_FRACTION) == 0 ? "off"
                        : g(100 * s.get(DeepMatrixCompletion.VALIDATION_FRACTION)) + "%",
                s.get(DeepMatrixCompletion.CENTERING).name().toLowerCase());
        o.flush();
        if (spark) {
            // the same progress bar (or lines) as the local engine, and the same checkpoint folder next to --out
            java.util.List<TrainingListener> bar = progress.shown()
                    ? java.util.List.of(ProgressListener.create("c-dln spark", s.get(DeepMatrixCompletion.MAX_STEPS)))
                    : java.util.List.of();
            return SparkBridge.fit(read.ratings(), s, master, sparkBlocks == null ? 0 : sparkBlocks, bar,
                    checkpointDir(out.path()), resume.resume(), o);
        }
        return est.fit(read.ratings());
    }

    /**
     * The options of every deep-matrix-completion setting, derived from its declaration (network is
     * --model), and of AltMin's own (rank --k, --lambda, --sweeps; the settings it shares with deep
     * matrix completion have the same options).
     */
    public static final class DerivedOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            SettingOptions.addTo(spec, DeepMatrixCompletion.SCHEMA, java.util.Set.of("network"));
            return SettingOptions.addOnly(spec, AltMin.SCHEMA.defaults(), java.util.Set.of("rank", "lambda", "sweeps"));
        }
    }

    private CompletionModel fitAltMin(RatingsReader.Report read, LinearAlgebra la, PrintWriter o) {
        // every AltMin setting from its option: --k, --lambda, --sweeps, and those shared with deep matrix completion
        AltMin.Settings s = AltMin.Settings.of(SettingOptions.apply(spec, AltMin.SCHEMA.defaults()));
        int dMin = Math.min(read.ratings().numUsers(), read.ratings().numItems());
        if (s.rank() > dMin) {
            throw new IllegalArgumentException("--k must be in [1, " + dMin + "] (min(users, items)), got " + s.rank());
        }
        o.printf(Locale.ROOT, "fitting altmin: rank k=%d, λ=%s, %d sweeps, validation %s, centering %s%n", s.rank(),
                g(s.lambda()), s.sweeps(), s.validationFraction() == 0 ? "off" : g(100 * s.validationFraction()) + "%",
                s.centering().name().toLowerCase());
        o.flush();
        PrintWriter err = spec.commandLine().getErr();
        AltMin altMin = new AltMin(s, la);
        if (progress.shown()) {
            altMin.addListener(new TrainingListener() {
                @Override
                public void onEvaluation(TrainingPoint p, TrainingContext context) {
                    err.printf(Locale.ROOT, "[altmin] sweep %d/%d, %s, %.1f s%n", p.step(), s.sweeps(), p.status(),
                            p.seconds());
                    err.flush();
                }
            });
        }
        return altMin.fit(read.ratings());
    }

    private void validateFlags() {
        Flags.atLeast("--spark-blocks", sparkBlocks, 1);
        SparkBridge.requested(engine);
    }

    static String size(Path p) {
        try {
            long b = Files.size(p);
            return b >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", b / 1048576.0)
                    : String.format(Locale.ROOT, "%.0f kB", b / 1024.0);
        } catch (IOException e) {
            return "?";
        }
    }

    static String g(double v) {
        return org.cdln.cli.report.ResultTable.g(v);
    }
}

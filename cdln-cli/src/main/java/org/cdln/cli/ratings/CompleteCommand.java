package org.cdln.cli.ratings;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cdln.cli.progress.ProgressListener;
import org.cdln.data.RatingsReader;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.optim.OptimizerConfig;
import org.cdln.recommend.AltMin;
import org.cdln.recommend.Centering;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.DeepMatrixCompletion;
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
        description = {"Fit a rating model on a ratings file and save it (deep matrix completion).",
            "Default: the compressed deep linear network (C-DLN), depth 3, r̂ chosen on a 5%% validation split, "
                    + "ε and η automatic, α=4, centred on user/item biases, predictions clipped to the rating range."})
public final class CompleteCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RatingsOptions input;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model (.cdln).")
    Path out;

    @Option(names = "--model", paramLabel = "KIND", defaultValue = "c-dln",
            description = "c-dln (default), dln (the original wide network) or altmin.")
    String model;

    @Option(names = "--depth", paramLabel = "L", description = "Network depth L ≥ 2 (default 3).")
    Integer depth;
    @Option(names = "--rank-hat", paramLabel = "R|auto", description = "C-DLN width r̂ ≥ 1, or auto (default): "
            + "parallel analysis of the surrogate's spectrum, then doubling r̂ while the validation RMSE improves.")
    String rankHat;
    @Option(names = "--width", paramLabel = "W", description = "Inner width of the original network (default min(users, items)).")
    Integer width;
    @Option(names = "--eps", paramLabel = "EPS|auto", description = "Initialisation scale ε, or auto (default): "
            + "(0.001·σ1)^(1/L), so that P(0) starts 1000× below the surrogate's top singular value σ1 (≈ 0.9 on "
            + "MovieLens-100K).")
    String eps;
    @Option(names = "--step", paramLabel = "ETA|auto", description = "Step size η, or auto (default): "
            + "0.25·users·items/(L·σ1^(2−2/L)) from the surrogate's top singular value σ1 (≈ 20 on MovieLens-100K).")
    String step;
    @Option(names = "--alpha", paramLabel = "ALPHA", description = "Discrepant rate α of the outer layers (default 4).")
    Double alpha;
    @Option(names = "--optimizer", paramLabel = "KIND", description = "gd (default), momentum, adam or rmsprop.")
    String optimizer;
    @Option(names = "--steps", paramLabel = "N", description = "Step budget (default 5000).")
    Long steps;
    @Option(names = "--tol", paramLabel = "TOL", description = "Stop when the training loss is below TOL (default 0: off).")
    Double tol;
    @Option(names = "--eval-every", paramLabel = "K", description = "Validate every K steps (default 2).")
    Integer evalEvery;
    @Option(names = "--patience", paramLabel = "N", description = "Stop after N validations without improvement "
            + "(default 10; 0: never).")
    Integer patience;
    @Option(names = "--validation", paramLabel = "F", description = "Share of the ratings held out for validation, "
            + "in [0, 0.5] (default 0.05; 0: none, no early stopping).")
    Double validation;
    @Option(names = "--centering", paramLabel = "KIND", description = "none, mean or biases (default).")
    String centering;
    @Option(names = "--bias-damping", paramLabel = "L", description = "Damping λ_b of the user/item biases (default 5).")
    Double biasDamping;
    @Option(names = "--no-clip", description = "Do not clip predictions to the training ratings' range.")
    boolean noClip;
    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the validation split and initialisation (default 0).")
    Long seed;
    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Stop training after this many seconds.")
    Double timeLimit;
    @Option(names = "--k", paramLabel = "K", description = "AltMin rank k (default 10).")
    Integer k;
    @Option(names = "--lambda", paramLabel = "L", description = "AltMin ridge λ (default 10).")
    Double lambda;
    @Option(names = "--sweeps", paramLabel = "N", description = "AltMin sweeps (default 25).")
    Integer sweeps;
    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: all cores): OpenBLAS runs one, cdln splits large products over N.")
    Integer threads;
    @Option(names = "--no-progress", description = "No progress bar or progress lines.")
    boolean noProgress;
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

    @Option(names = "--resume", description = "Continue an interrupted fit from its checkpoint in <out>.checkpoints "
            + "(written every 30 s, at the end of each fit, and on SIGTERM/SIGINT); the result equals an "
            + "uninterrupted fit.")
    boolean resume;

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
        try (org.cdln.cli.Outputs outputs = org.cdln.cli.Outputs.file(out, "--out", input.file())) {
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
        m.save(out);
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
        if (s.containsKey("step_rule") && !s.get("step_rule").equals("given")) {
            o.println("  η = " + s.get("step") + " (" + s.get("step_rule") + ")");
        }
        if (!"-1".equals(s.get("best_step")) && s.get("best_step") != null) {
            o.printf(Locale.ROOT, "  best validation RMSE %.4f at step %s%s%n", Double.parseDouble(s.get("best_validation_rmse")),
                    s.get("best_step"), s.containsKey("stop_reason") ? "; stopped: " + s.get("stop_reason").replace('_', ' ')
                            : "");
        }
        o.printf(Locale.ROOT, "wrote %s (%s) in %.1f s%n", out, size(out), total);
        return 0;
    }

    private CompletionModel fitNetwork(RatingsReader.Report read, String kind, LinearAlgebra la, PrintWriter o) {
        DeepMatrixCompletion.Builder b = DeepMatrixCompletion.builder().linearAlgebra(la)
                .network(kind.equals("dln") ? DeepMatrixCompletion.Network.ORIGINAL : DeepMatrixCompletion.Network.COMPRESSED);
        if (depth != null) {
            b.depth(depth);
        }
        if (rankHat != null && !rankHat.trim().equalsIgnoreCase("auto")) {
            int r;
            try {
                r = Integer.parseInt(rankHat.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rank-hat must be a whole number ≥ 1 or auto, got '" + rankHat + "'");
            }
            int dMin = Math.min(read.ratings().numUsers(), read.ratings().numItems());
            if (r < 1 || r > dMin) {
                throw new IllegalArgumentException("--rank-hat must be in [1, " + dMin + "] (min(users, items)) or auto, got "
                        + r);
            }
            b.rankHat(r);
        }
        if (width != null) {
            b.width(width);
        }
        if (eps != null && !eps.trim().equalsIgnoreCase("auto")) {
            double e;
            try {
                e = org.cdln.data.Numbers.parseDecimal(eps.trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("--eps must be a number > 0 or auto, got '" + eps + "'");
            }
            Flags.positive("--eps", e);
            b.eps(e);
        }
        if (step != null && !step.trim().equalsIgnoreCase("auto")) {
            double eta;
            try {
                eta = org.cdln.data.Numbers.parseDecimal(step.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--step must be a number > 0 or auto, got '" + step + "'");
            }
            Flags.positive("--step", eta);
            b.stepSize(eta);
        }
        if (alpha != null) {
            b.alpha(alpha);
        }
        if (optimizer != null) {
            b.optimizer(Flags.parse("--optimizer", () -> OptimizerConfig.Kind.parse(optimizer)));
        }
        if (steps != null) {
            b.maxSteps(steps);
        }
        if (tol != null) {
            b.tolerance(tol);
        }
        if (evalEvery != null) {
            b.evalEvery(evalEvery);
        }
        if (patience != null) {
            b.patience(patience);
        }
        if (validation != null) {
            b.validationFraction(validation);
        }
        if (centering != null) {
            b.centering(Flags.parse("--centering", () -> Centering.parse(centering)));
        }
        if (biasDamping != null) {
            b.biasDamping(biasDamping);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (timeLimit != null) {
            b.timeLimitSeconds(timeLimit);
        }
        b.clip(!noClip);
        boolean spark = SparkBridge.requested(engine);
        if (!noProgress && !spark) {
            b.listener(ProgressListener.create(kind.equals("dln") ? "dln" : "c-dln",
                    steps != null ? steps : DeepMatrixCompletion.DEFAULTS.maxSteps()));
        }
        b.checkpoints(checkpointDir(out), resume, 30.0);
        DeepMatrixCompletion est = b.build();
        DeepMatrixCompletion.Settings s = est.settings();
        o.printf(Locale.ROOT, "fitting %s: depth %d, %s, ε %s, η %s, α=%s, %s, validation %s, centering %s%n",
                s.network() == DeepMatrixCompletion.Network.ORIGINAL ? "the original network (dln)" : "c-dln", s.depth(),
                s.network() == DeepMatrixCompletion.Network.ORIGINAL
                        ? "width " + (s.width() == 0 ? "min(users, items)" : s.width())
                        : s.rankHat() == 0 ? "r̂ auto" : "r̂ = " + s.rankHat(),
                s.eps() == 0 ? "auto" : "= " + g(s.eps()), s.stepSize() == 0 ? "auto" : "= " + g(s.stepSize()), g(s.alpha()),
                s.optimizer().name().toLowerCase(),
                s.validationFraction() == 0 ? "off" : g(100 * s.validationFraction()) + "%",
                s.centering().name().toLowerCase());
        o.flush();
        if (spark) {
            return SparkBridge.fit(read.ratings(), s, master, sparkBlocks == null ? 0 : sparkBlocks,
                    noProgress ? null : spec.commandLine().getErr(), o);
        }
        return est.fit(read.ratings());
    }

    private CompletionModel fitAltMin(RatingsReader.Report read, LinearAlgebra la, PrintWriter o) {
        AltMin.Settings d = AltMin.DEFAULTS;
        AltMin.Settings s = new AltMin.Settings(k != null ? k : d.rank(), lambda != null ? lambda : d.lambda(),
                sweeps != null ? sweeps : d.sweeps(), validation != null ? validation : d.validationFraction(),
                centering != null ? Flags.parse("--centering", () -> Centering.parse(centering)) : d.centering(),
                biasDamping != null ? biasDamping : d.biasDamping(), !noClip, seed != null ? seed : d.seed());
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
        if (!noProgress) {
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
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be ≥ 1, got " + threads);
        }
        Flags.atLeast("--depth", depth, 2);
        Flags.atLeast("--width", width, 1);
        Flags.positive("--alpha", alpha);
        Flags.atLeast("--steps", steps, 1);
        Flags.nonNegative("--tol", tol);
        Flags.atLeast("--eval-every", evalEvery, 1);
        Flags.atLeast("--patience", patience, 0);
        Flags.inRange("--validation", validation, 0.0, 0.5);
        Flags.nonNegative("--bias-damping", biasDamping);
        Flags.positive("--time-limit", timeLimit);
        Flags.atLeast("--k", k, 1);
        Flags.nonNegative("--lambda", lambda);
        Flags.atLeast("--sweeps", sweeps, 1);
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

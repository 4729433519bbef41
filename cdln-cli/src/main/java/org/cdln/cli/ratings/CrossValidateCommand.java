package org.cdln.cli.ratings;

import org.cdln.cli.ThreadsOption;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.cdln.cli.report.Charts;
import org.cdln.cli.report.ResultTable;
import org.cdln.data.Ratings;
import org.cdln.data.RatingsReader;
import org.cdln.data.Splits;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.recommend.AltMin;
import org.cdln.recommend.BaselineEstimator;
import org.cdln.recommend.ColdStart;
import org.cdln.recommend.EvaluationSettings;
import org.cdln.recommend.CrossValidation;
import org.cdln.recommend.DeepMatrixCompletion;
import org.cdln.recommend.GridSearch;
import org.cdln.recommend.RatingsEstimator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdln cross-validate (--ratings FILE --folds 5 | --splits DIR:u1,…,u5)}: mean ± sd of
 * RMSE, MAE and ranking metrics for each model, every choice made on validation shares of the
 * training folds; prints a table and writes {@code cv.json} and a figure.
 */
@Command(name = "cross-validate", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = CrossValidateCommand.DerivedOptions.class,
        description = {"Cross-validate rating models: RMSE, MAE, precision/recall/NDCG/MAP/hit rate@k and coverage, "
                + "mean ± sd over folds.",
            "Every model chooses its settings (r̂, early stopping, --grid) on a validation share of each training fold, "
                    + "never on the test fold."})
public final class CrossValidateCommand implements Callable<Integer> {
    /** The models cross-validated by default. */
    static final List<String> MODELS = List.of("c-dln", "dln", "altmin", "global-mean", "biases");
    /** The original network's default width here (the full min(users, items) costs ≈ 30× more per step). */
    static final int DLN_WIDTH = 128;
    /**
     * The original network learns its first directions only after a plateau of ≈ 100 steps at
     * small initialisation, so it is given more patience than the C-DLN's 10 evaluations.
     */
    static final int DLN_PATIENCE = 50;
    static final int DLN_EVAL_EVERY = 4;
    static final long DLN_MAX_STEPS = 1500;
    /** AltMin's default grid. */
    static final String ALTMIN_K = "5,10,20";
    static final String ALTMIN_LAMBDA = "5,10,20";
    /** Grid keys and the models they apply to. */
    static final Map<String, List<String>> GRID_KEYS = new LinkedHashMap<>();

    static {
        GRID_KEYS.put("rank-hat", List.of("c-dln"));
        GRID_KEYS.put("width", List.of("dln"));
        GRID_KEYS.put("alpha", List.of("c-dln", "dln"));
        GRID_KEYS.put("eps", List.of("c-dln", "dln"));
        GRID_KEYS.put("step", List.of("c-dln", "dln"));
        GRID_KEYS.put("depth", List.of("c-dln", "dln"));
        GRID_KEYS.put("k", List.of("altmin"));
        GRID_KEYS.put("lambda", List.of("altmin"));
        GRID_KEYS.put("bias-damping", List.of("biases"));
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ratings", paramLabel = "FILE", description = "A ratings file (format detected as in "
            + "'cdln complete'), cut into --folds seeded random folds.")
    Path ratings;
    @Option(names = "--folds", paramLabel = "N", defaultValue = "5", description = "Folds for --ratings (default 5).")
    int folds;
    @Option(names = "--splits", paramLabel = "DIR:u1,u2,…", description = "Predefined GroupLens splits: the folder "
            + "and the split names, e.g. movielens-100k:u1,u2,u3,u4,u5 (DIR/u1.base, DIR/u1.test, …).")
    String splits;
    @Option(names = "--models", paramLabel = "LIST", defaultValue = "c-dln,dln,altmin,global-mean,biases",
            description = "Comma-separated: c-dln, dln, altmin, global-mean, biases (default all five).")
    String models;
    @Option(names = "--grid", paramLabel = "KEY=V1,V2", arity = "1..*", description = "Candidate values chosen on the "
            + "validation share: rank-hat, alpha, eps, step, depth (c-dln; all but rank-hat also dln), width (dln), "
            + "k, lambda (altmin; default k=5,10,20 lambda=5,10,20), bias-damping (biases).")
    List<String> grid = new ArrayList<>();
    @Option(names = "--dln-width", paramLabel = "W", defaultValue = "128", description = "Inner width of the original "
            + "network (default 128; min(users, items) = 943 on MovieLens-100K costs ≈ 30× more per step).")
    int dlnWidth;
    /** The ranking list length and relevance threshold, read from their options when the command runs. */
    int k;
    double threshold;

    /** {@code --cold-start}, {@code -k/--top} and {@code --threshold}, derived from {@link EvaluationSettings}. */
    public static final class DerivedOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            return org.cdln.cli.SettingOptions.addOnly(spec, EvaluationSettings.SCHEMA.defaults(),
                    java.util.Set.of("coldStart", "rankingK", "relevanceThreshold"));
        }
    }

    @Option(names = "--validation", paramLabel = "F", defaultValue = "0.05", description = "Share of each training "
            + "fold held out for validation (default 0.05).")
    double validation;
    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0", description = "Seed of the folds, validation "
            + "splits and initialisations (default 0).")
    long seed;
    @CommandLine.Mixin
    org.cdln.cli.OutOption out = org.cdln.cli.OutOption.folder("Where cv.json and cv.png/.svg go", "out/cv");
    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    org.cdln.cli.ProgressOption progress;

    /**
     * Opens the output folder (checked, locked, kept apart from the inputs) before any work, then
     * runs the cross-validation.
     */
    @Override
    public Integer call() throws Exception {
        try (org.cdln.cli.Outputs outputs = out.open(ratings)) {
            return callWithOutputs();
        }
    }

    private Integer callWithOutputs() throws Exception {
        org.cdln.settings.Settings protocolSettings = org.cdln.cli.SettingOptions.apply(spec,
                EvaluationSettings.SCHEMA.defaults());
        k = protocolSettings.get(EvaluationSettings.RANKING_K);
        threshold = protocolSettings.get(EvaluationSettings.RELEVANCE_THRESHOLD);
        Flags.atLeast("--dln-width", dlnWidth, 1);
        Flags.inRange("--validation", validation, 0.01, 0.5);
        ColdStart cs = protocolSettings.get(EvaluationSettings.COLD_START);
        if ((ratings == null) == (splits == null)) {
            throw new IllegalArgumentException("give either --ratings FILE (with --folds N) or --splits DIR:u1,u2,…, "
                    + "not " + (ratings == null ? "neither" : "both"));
        }
        List<String> names = parseModels();
        Map<String, List<String>> gridValues = parseGrid(names);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<CrossValidation.Fold> fs = folds();
        String source = ratings != null ? ratings + " (" + folds + " random folds, seed " + seed + ")" : splits;
        o.printf(Locale.ROOT, "cross-validating %s on %s: %d folds, cold start %s, relevant ≥ %s, k = %d, validation %s "
                + "of each training fold%n", String.join(", ", names), source, fs.size(), cs.label(), g(threshold), k,
                g(validation));
        o.printf(Locale.ROOT, "  %s%n", LinearAlgebra.instance().threadingDescription());
        o.flush();
        List<CrossValidation.Candidate> cands = new ArrayList<>();
        Map<String, String> described = new LinkedHashMap<>();
        for (String n : names) {
            List<Map<String, String>> combos = combos(n, gridValues);
            List<RatingsEstimator> ests = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (Map<String, String> c : combos) {
                ests.add(estimator(n, c));
                labels.add(c.isEmpty() ? "defaults" : label(c));
            }
            RatingsEstimator e = ests.size() == 1 ? ests.get(0) : new GridSearch(ests, labels, validation, seed);
            cands.add(new CrossValidation.Candidate(n, e));
            described.put(n, describe(n) + (ests.size() > 1 ? "; grid " + String.join(" | ", labels) : ""));
        }
        CrossValidation.Protocol protocol = new CrossValidation.Protocol(k, threshold, cs);
        long t0 = System.nanoTime();
        CrossValidation.Result r = CrossValidation.run(fs, cands, protocol, line -> {
            if (progress.shown()) {
                err.println("[cv] " + line);
                err.flush();
            }
        });
        double wall = (System.nanoTime() - t0) * 1e-9;
        o.println(table(r));
        for (CrossValidation.ModelResult m : r.models()) {
            int cold = m.folds().stream().mapToInt(f -> f.rating().cold()).sum();
            int coldUsers = m.folds().stream().mapToInt(f -> f.ranking().coldUsers()).sum();
            o.printf(Locale.ROOT, "  %-12s %s; cold-start pairs over all folds %,d (%s), cold test users %,d%n", m.model(),
                    described.get(m.model()), cold, cs.label(), coldUsers);
        }
        writeJson(r, described, source, wall);
        Charts.xy(out.path(), "cv", "Test RMSE per fold", "fold", "test RMSE", r.models().stream().map(
                CrossValidation.ModelResult::model).toList(), r.models().stream().map(m -> foldIndex(m.folds().size())).toList(),
                r.models().stream().map(m -> m.folds().stream().mapToDouble(f -> f.rating().rmse()).toArray()).toList(),
                false);
        o.printf(Locale.ROOT, "wrote %s and %s (%.0f s)%n", out.path().resolve("cv.json"), out.path().resolve("cv.png"), wall);
        return 0;
    }

    private static double[] foldIndex(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private List<CrossValidation.Fold> folds() {
        List<CrossValidation.Fold> fs = new ArrayList<>();
        if (ratings != null) {
            if (!Files.isRegularFile(ratings)) {
                throw new IllegalArgumentException("--ratings: no ratings file " + ratings + "; check the path");
            }
            Ratings all = RatingsReader.read(ratings);
            if (folds < 2 || folds > all.size()) {
                throw new IllegalArgumentException("--folds must be in [2, " + all.size() + "] (the ratings), got " + folds);
            }
            List<Splits.Split> ss = Splits.kFold(all, folds, seed);
            for (int f = 0; f < ss.size(); f++) {
                fs.add(new CrossValidation.Fold("fold" + (f + 1), ss.get(f)));
            }
            return fs;
        }
        int colon = splits.lastIndexOf(':');
        if (colon <= 0 || colon == splits.length() - 1) {
            throw new IllegalArgumentException("--splits must be DIR:u1,u2,… (a folder, a colon, split names), got '"
                    + splits + "'");
        }
        Path dir = Path.of(splits.substring(0, colon));
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--splits: no folder " + dir + "; point to the unzipped ml-100k folder");
        }
        for (String n : splits.substring(colon + 1).split(",")) {
            String name = n.trim();
            if (!Splits.GROUPLENS.contains(name)) {
                throw new IllegalArgumentException("--splits: unknown split '" + name + "'; use "
                        + String.join(", ", Splits.GROUPLENS));
            }
            fs.add(new CrossValidation.Fold(name, Flags.parse("--splits", () -> Splits.groupLens(dir, name))));
        }
        return fs;
    }

    private List<String> parseModels() {
        List<String> out = new ArrayList<>();
        for (String s : models.split(",")) {
            String n = s.trim().toLowerCase(Locale.ROOT);
            if (n.equals("cdln")) {
                n = "c-dln";
            }
            if (!MODELS.contains(n)) {
                throw new IllegalArgumentException("--models: unknown model '" + s.trim() + "'; use "
                        + String.join(", ", MODELS));
            }
            if (!out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    private Map<String, List<String>> parseGrid(List<String> names) {
        Map<String, List<String>> g = new LinkedHashMap<>();
        for (String item : grid) {
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException("--grid needs KEY=V1,V2,… (e.g. rank-hat=8,16,32), got '" + item + "'");
            }
            String key = item.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!GRID_KEYS.containsKey(key)) {
                throw new IllegalArgumentException("--grid: unknown key '" + key + "'; use "
                        + String.join(", ", GRID_KEYS.keySet()));
            }
            List<String> vals = new ArrayList<>();
            for (String v : item.substring(eq + 1).split(",")) {
                String t = v.trim();
                try {
                    double d = Double.parseDouble(t);
                    if (!(d > 0) || !Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--grid " + key + ": '" + t + "' is not a number > 0");
                }
                vals.add(t);
            }
            g.put(key, vals);
        }
        if (names.contains("altmin")) {
            g.putIfAbsent("k", List.of(ALTMIN_K.split(",")));
            g.putIfAbsent("lambda", List.of(ALTMIN_LAMBDA.split(",")));
        }
        return g;
    }

    /** The cartesian product of the grid keys that apply to a model (one empty map when none). */
    private static List<Map<String, String>> combos(String model, Map<String, List<String>> grid) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : grid.entrySet()) {
            if (!GRID_KEYS.get(e.getKey()).contains(model)) {
                continue;
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : out) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    private static String label(Map<String, String> c) {
        StringBuilder b = new StringBuilder();
        c.forEach((key, v) -> b.append(b.length() == 0 ? "" : " ").append(key).append('=').append(v));
        return b.toString();
    }

    private RatingsEstimator estimator(String model, Map<String, String> c) {
        switch (model) {
            case "c-dln", "dln" -> {
                DeepMatrixCompletion.Builder b = DeepMatrixCompletion.builder().set(DeepMatrixCompletion.SEED, seed)
                        .set(DeepMatrixCompletion.VALIDATION_FRACTION, validation);
                if (model.equals("dln")) {
                    // the paper's protocol: the original network at a uniform rate, α only for the C-DLN
                    b.set(DeepMatrixCompletion.NETWORK, DeepMatrixCompletion.Network.ORIGINAL)
                            .set(DeepMatrixCompletion.WIDTH, intOf(c, "width", dlnWidth))
                            .set(DeepMatrixCompletion.ALPHA, 1.0).set(DeepMatrixCompletion.PATIENCE, DLN_PATIENCE)
                            .set(DeepMatrixCompletion.EVAL_EVERY, DLN_EVAL_EVERY)
                            .set(DeepMatrixCompletion.MAX_STEPS, DLN_MAX_STEPS);
                }
                if (c.containsKey("rank-hat")) {
                    b.set(DeepMatrixCompletion.RANK_HAT, intOf(c, "rank-hat", 0));
                }
                if (c.containsKey("alpha")) {
                    b.set(DeepMatrixCompletion.ALPHA, Double.parseDouble(c.get("alpha")));
                }
                if (c.containsKey("eps")) {
                    b.set(DeepMatrixCompletion.EPS, Double.parseDouble(c.get("eps")));
                }
                if (c.containsKey("step")) {
                    b.set(DeepMatrixCompletion.STEP_SIZE, Double.parseDouble(c.get("step")));
                }
                if (c.containsKey("depth")) {
                    b.set(DeepMatrixCompletion.DEPTH, intOf(c, "depth", 3));
                }
                return b.build();
            }
            case "altmin" -> {
                AltMin.Settings d = AltMin.DEFAULTS;
                return new AltMin(new AltMin.Settings(intOf(c, "k", d.rank()),
                        c.containsKey("lambda") ? Double.parseDouble(c.get("lambda")) : d.lambda(), d.sweeps(), validation,
                        d.centering(), d.biasDamping(), d.clip(), seed));
            }
            case "global-mean" -> {
                return BaselineEstimator.globalMean();
            }
            default -> {
                return c.containsKey("bias-damping") ? new BaselineEstimator(org.cdln.recommend.Centering.BIASES,
                        Double.parseDouble(c.get("bias-damping")), true) : BaselineEstimator.biases();
            }
        }
    }

    private static int intOf(Map<String, String> c, String key, int dflt) {
        String v = c.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--grid " + key + ": '" + v + "' is not a whole number ≥ 1");
        }
    }

    private String describe(String model) {
        return switch (model) {
            case "c-dln" -> "C-DLN, depth 3, r̂ auto (validation sweep), ε and η auto, α = 4, early stopping";
            case "dln" -> "original network, depth 3, width " + dlnWidth + ", ε and η auto, α = 1, validation every "
                    + DLN_EVAL_EVERY + " steps, patience " + DLN_PATIENCE + " evaluations, at most " + DLN_MAX_STEPS
                    + " steps";
            case "altmin" -> "AltMin, 25 sweeps, best sweep on validation";
            case "global-mean" -> "μ";
            default -> "μ + b_u + b_i, λ_b = 5";
        };
    }

    private String table(CrossValidation.Result r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "RMSE", "MAE", "P@" + k, "R@" + k, "NDCG@" + k, "MAP@" + k, "HR@" + k, "coverage",
            "fit s"});
        for (CrossValidation.ModelResult m : r.models()) {
            rows.add(new String[] {m.model(), ms(m, f -> f.rating().rmse()), ms(m, f -> f.rating().mae()),
                ms(m, f -> f.ranking().precision()), ms(m, f -> f.ranking().recall()), ms(m, f -> f.ranking().ndcg()),
                ms(m, f -> f.ranking().map()), ms(m, f -> f.ranking().hitRate()), ms(m, f -> f.ranking().coverage()),
                String.format(Locale.ROOT, "%.1f", m.summary(CrossValidation.FoldResult::fitSeconds).mean())});
        }
        return ResultTable.format(rows);
    }

    private static String ms(CrossValidation.ModelResult m, ToDoubleFunction<CrossValidation.FoldResult> f) {
        CrossValidation.MeanSd s = m.summary(f);
        return String.format(Locale.ROOT, "%.4f ± %.4f", s.mean(), s.sd());
    }

    private void writeJson(CrossValidation.Result r, Map<String, String> described, String source, double wall) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("data", source);
        p.put("folds", r.folds());
        p.put("k", k);
        p.put("relevance_threshold", threshold);
        p.put("cold_start", r.protocol().coldStart().label());
        p.put("validation_fraction", validation);
        p.put("seed", seed);
        p.put("candidates", "items the model knows that the user did not rate in training");
        p.put("relevant", "the user's test ratings >= relevance_threshold");
        p.put("selection", "on a validation share of each training fold only");
        p.put("backend", LinearAlgebra.instance().description());
        p.put("threads", LinearAlgebra.instance().threads());
        p.put("wall_seconds", wall);
        root.put("protocol", p);
        List<Object> ms = new ArrayList<>();
        for (CrossValidation.ModelResult m : r.models()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("model", m.model());
            e.put("settings", described.get(m.model()));
            e.put("rmse", meanSd(m, f -> f.rating().rmse()));
            e.put("mae", meanSd(m, f -> f.rating().mae()));
            e.put("precision@" + k, meanSd(m, f -> f.ranking().precision()));
            e.put("recall@" + k, meanSd(m, f -> f.ranking().recall()));
            e.put("ndcg@" + k, meanSd(m, f -> f.ranking().ndcg()));
            e.put("map@" + k, meanSd(m, f -> f.ranking().map()));
            e.put("hit_rate@" + k, meanSd(m, f -> f.ranking().hitRate()));
            e.put("coverage@" + k, meanSd(m, f -> f.ranking().coverage()));
            e.put("fit_seconds", meanSd(m, CrossValidation.FoldResult::fitSeconds));
            List<Object> folds = new ArrayList<>();
            for (CrossValidation.FoldResult f : m.folds()) {
                Map<String, Object> fe = new LinkedHashMap<>();
                fe.put("fold", f.fold());
                fe.put("rmse", finite(f.rating().rmse()));
                fe.put("mae", finite(f.rating().mae()));
                fe.put("precision@" + k, finite(f.ranking().precision()));
                fe.put("recall@" + k, finite(f.ranking().recall()));
                fe.put("ndcg@" + k, finite(f.ranking().ndcg()));
                fe.put("map@" + k, finite(f.ranking().map()));
                fe.put("hit_rate@" + k, finite(f.ranking().hitRate()));
                fe.put("coverage@" + k, finite(f.ranking().coverage()));
                fe.put("fit_seconds", f.fitSeconds());
                fe.put("test_ratings", f.rating().total());
                fe.put("scored", f.rating().scored());
                fe.put("cold_start_pairs", f.rating().cold());
                fe.put("cold_user_pairs", f.rating().coldUserOnly());
                fe.put("cold_item_pairs", f.rating().coldItemOnly());
                fe.put("cold_both_pairs", f.rating().coldBoth());
                fe.put("ranked_users", f.ranking().users());
                fe.put("cold_users", f.ranking().coldUsers());
                fe.put("chosen", f.chosen());
                folds.add(fe);
            }
            e.put("folds", folds);
            ms.add(e);
        }
        root.put("models", ms);
        org.cdln.cli.Outputs.writeString(out.path().resolve("cv.json"), json(root) + "\n");
    }

    private static String json(Object root) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cv.json could not be formed: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> meanSd(CrossValidation.ModelResult m,
                                              ToDoubleFunction<CrossValidation.FoldResult> f) {
        CrossValidation.MeanSd s = m.summary(f);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("mean", finite(s.mean()));
        e.put("sd", finite(s.sd()));
        return e;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String g(double v) {
        return ResultTable.g(v);
    }
}

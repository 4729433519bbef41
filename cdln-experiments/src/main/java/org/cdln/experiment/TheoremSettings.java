package org.cdln.experiment;

import java.util.ArrayList;
import java.util.List;
import org.cdln.settings.InvalidSettingException;
import org.cdln.settings.Rule;
import org.cdln.settings.Schema;
import org.cdln.settings.Setting;
import org.cdln.settings.Settings;

/**
 * Validated settings of the factorization-theorem check ({@link TheoremCheck}): a grid d × r × ε,
 * the seeds 0..n−1 of every grid point, the depth, the original's stopping rule and budget, and
 * the evaluation interval. Each setting is declared once ({@link #SCHEMA}); depth and evalEvery are
 * the matrix recovery experiments' own declarations ({@link ReproduceSettings}), with this check's
 * reference values in {@link #DEFAULTS}. A refused value raises an {@link InvalidSettingException}
 * naming the setting.
 *
 * @param d         target sizes d ≥ 2
 * @param r         target ranks r, each with 2r ≤ d for every d
 * @param eps       initialisation scales ε &gt; 0
 * @param seeds     seeds 0..seeds−1 per grid point
 * @param depth     L ≥ 2
 * @param relTol    the original stops when its loss is below relTol·‖Y‖²/(2d²)
 * @param maxSteps  step budget of each original run
 * @param evalEvery compare the errors every this many steps
 */
public record TheoremSettings(List<Integer> d, List<Integer> r, List<Double> eps, int seeds, int depth,
                              double relTol, long maxSteps, int evalEvery) {
    /** The declarations. */
    public static final Schema SCHEMA = new Schema("factorization theorem check", 1);

    /** Target sizes. */
    public static final Setting<List<Integer>> D = SCHEMA.add(Setting.ofList("d", "d",
            "Target sizes d (square d×d targets).", Integer::valueOf,
            new Rule<>(l -> !l.isEmpty() && l.stream().allMatch(v -> v >= 2), "comma-separated sizes ≥ 2, e.g. 30,60"),
            List.of(30, 60)));
    /** Target ranks. */
    public static final Setting<List<Integer>> R = SCHEMA.add(Setting.ofList("r", "r",
            "Target ranks r (2r ≤ d for every d).", Integer::valueOf,
            new Rule<>(l -> !l.isEmpty() && l.stream().allMatch(v -> v >= 1), "comma-separated ranks in [1, d/2], e.g. 2,4"),
            List.of(2, 4)));
    /** Initialisation scales. */
    public static final Setting<List<Double>> EPS = SCHEMA.add(Setting.ofList("eps", "eps ε",
            "Initialisation scales ε.", org.cdln.data.Numbers::parseDecimal,
            new Rule<>(l -> !l.isEmpty() && l.stream().allMatch(v -> v > 0.0 && Double.isFinite(v)),
                    "comma-separated finite numbers > 0, e.g. 1e-2,1e-3"), List.of(1e-2, 1e-3)));
    /** Seeds per grid point. */
    public static final Setting<Integer> SEEDS = SCHEMA.add(Setting.ofInt("seeds", "seeds",
            "Seeds 0..n−1 per grid point.", Rule.atLeast(1), 5));
    /** Depth L: the recovery experiments' declaration. */
    public static final Setting<Integer> DEPTH = SCHEMA.add(ReproduceSettings.DEPTH);
    /** Relative tolerance of the original's stopping rule. */
    public static final Setting<Double> REL_TOL = SCHEMA.add(Setting.ofDouble("relTol", "relTol",
            "The original stops when its loss is below relTol·‖Y‖²/(2d²).",
            new Rule<>(v -> v > 0.0 && v < 1.0, "in (0, 1)"), 1e-10));
    /** Step budget of each original run (the compressed one then runs as many steps). */
    public static final Setting<Long> MAX_STEPS = SCHEMA.add(Setting.ofLong("maxSteps", "maxSteps",
            "Step budget of each original run; the compressed one runs as many steps.", Rule.atLeast(1), 400_000));
    /** Evaluation interval: the recovery experiments' declaration. */
    public static final Setting<Integer> EVAL_EVERY = SCHEMA.add(ReproduceSettings.EVAL_EVERY);

    /** The check's reference values: the declared defaults, with errors compared every 10 steps. */
    public static final Settings DEFAULTS = SCHEMA.defaults().with(EVAL_EVERY, 10);

    public TheoremSettings {
        d = List.copyOf(d);
        r = List.copyOf(r);
        eps = List.copyOf(eps);
        D.check(d);
        R.check(r);
        EPS.check(eps);
        SEEDS.check(seeds);
        DEPTH.check(depth);
        REL_TOL.check(relTol);
        MAX_STEPS.check(maxSteps);
        EVAL_EVERY.check(evalEvery);
        int dMin = d.stream().mapToInt(Integer::intValue).min().getAsInt();
        for (int rank : r) {
            if (2 * rank > dMin) {
                throw new InvalidSettingException(R, "r must be in [1, " + (dMin / 2) + "] (2r ≤ d) for d = " + dMin
                        + ", got " + rank + "; lower r or raise d");
            }
        }
    }

    /** The typed view of validated {@code s} (a {@link #SCHEMA} settings record). */
    public static TheoremSettings of(Settings s) {
        return new TheoremSettings(s.get(D), s.get(R), s.get(EPS), s.get(SEEDS), s.get(DEPTH), s.get(REL_TOL),
                s.get(MAX_STEPS), s.get(EVAL_EVERY));
    }

    /** The grid points, d outermost, then r, then ε. */
    public List<TheoremCheck.Setting> grid() {
        List<TheoremCheck.Setting> g = new ArrayList<>();
        for (int dd : d) {
            for (int rr : r) {
                for (double e : eps) {
                    g.add(new TheoremCheck.Setting(dd, rr, e));
                }
            }
        }
        return g;
    }

    /** The seeds 0..seeds−1. */
    public long[] seedList() {
        long[] s = new long[seeds];
        for (int i = 0; i < seeds; i++) {
            s[i] = i;
        }
        return s;
    }
}

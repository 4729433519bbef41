package org.cdln.experiment;

import java.util.ArrayList;
import java.util.List;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.LayerRates;
import org.cdln.optim.OptimizerConfig;
import org.cdln.problem.FactorizationProblem;
import org.cdln.problem.SyntheticTarget;
import org.cdln.train.EvalPoint;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.cdln.train.TrainingListener;

/**
 * Checks the paper's theorem for matrix factorization (docs/method.md §3, "What the authors observed"): the
 * compressed network's recovery error is at most the original's at every step,
 * error_c(t) / error_o(t) ≤ 1.
 *
 * <p>Per setting (d, r, ε) and seed: the docs/method.md §2 target, the wide original network (orthogonal
 * init, depth L, width d) and the C-DLN (spectral init from Y, r̂ = 2r, α = 1), both trained by GD
 * with the same η. The step size is a fixed fraction of GD's stability limit at the solution,
 * η = c·2d²/(L·σ_1(Y)^(2−2/L)) with c = {@value #STABILITY_FRACTION} (the loss is ‖P − Y‖²/(2d²)),
 * so that the runs neither diverge nor crawl whatever d. The original trains until its loss is
 * below {@code relativeTolerance}·ℓ(0 matrix) = relTol·‖Y‖²/(2d²) (or the budget), and the
 * compressed network then runs exactly as many steps, so that both are evaluated at the same steps.
 * The ratio is taken at every common evaluated step.
 */
public final class TheoremCheck {
    /** Fraction c of the stability limit 2d²/(L·σ_1^(2−2/L)) used as the step size. */
    public static final double STABILITY_FRACTION = 0.25;

    private TheoremCheck() {
    }

    /** One grid point. */
    public record Setting(int d, int r, double eps) {
        public Setting {
            if (d < 2) {
                throw new org.cdln.settings.InvalidSettingException(TheoremSettings.D, "d must be ≥ 2, got " + d);
            }
            if (r < 1 || 2 * r > d) {
                throw new org.cdln.settings.InvalidSettingException(TheoremSettings.R, "r must be in [1, " + (d / 2)
                        + "] (2r ≤ d) for d = " + d + ", got " + r);
            }
            if (!(eps > 0.0) || !Double.isFinite(eps)) {
                throw new org.cdln.settings.InvalidSettingException(TheoremSettings.EPS,
                        "eps ε must be a finite number > 0, got " + eps);
            }
        }

        /** "d=40 r=3 eps=0.01". */
        public String label() {
            return "d=" + d + " r=" + r + " eps=" + eps;
        }
    }

    /**
     * One seed of one setting.
     *
     * @param ratios     error_c/error_o at each common evaluated step, as (step, ratio)
     * @param maxRatio   the largest ratio
     * @param maxAtStep  where it occurred
     * @param original   the wide network's run
     * @param compressed the C-DLN's run
     */
    public record SeedRun(long seed, double stepSize, List<double[]> ratios, double maxRatio, long maxAtStep,
                          TrainResult original, TrainResult compressed) {
        public SeedRun {
            ratios = List.copyOf(ratios);
        }
    }

    /** All seeds of one setting. */
    public record SettingResult(Setting setting, List<SeedRun> runs) {
        public SettingResult {
            runs = List.copyOf(runs);
        }

        /** The largest ratio over seeds and steps. */
        public double maxRatio() {
            double m = Double.NEGATIVE_INFINITY;
            for (SeedRun s : runs) {
                m = Math.max(m, s.maxRatio());
            }
            return m;
        }
    }

    /**
     * Runs one setting for the given seeds.
     *
     * @param depth             L ≥ 2
     * @param relativeTolerance stop the original when ℓ(P) &lt; relTol·‖Y‖²/(2d²)
     * @param maxSteps          budget of the original
     * @param evalEvery         evaluation interval
     * @param listeners         per-run listeners (progress), may return an empty list
     */
    public static SettingResult run(Setting setting, long[] seeds, int depth, double relativeTolerance, long maxSteps,
                                    int evalEvery, LinearAlgebra la, ListenerFactory listeners) {
        return run(setting, seeds, depth, relativeTolerance, maxSteps, evalEvery, la, listeners, null);
    }

    /**
     * Runs one setting for the given seeds; with {@code checkpointing} non-null every run keeps a
     * checkpoint (named by its label and the digest of its seed's settings) and, when asked,
     * continues from it, so that an interrupted check resumes into the uninterrupted one.
     */
    public static SettingResult run(Setting setting, long[] seeds, int depth, double relativeTolerance, long maxSteps,
                                    int evalEvery, LinearAlgebra la, ListenerFactory listeners,
                                    RecoveryExperiments.Checkpointing checkpointing) {
        if (seeds.length == 0) {
            throw new IllegalArgumentException("give at least one seed");
        }
        List<SeedRun> runs = new ArrayList<>();
        for (long seed : seeds) {
            runs.add(runSeed(setting, seed, depth, relativeTolerance, maxSteps, evalEvery, la, listeners,
                    checkpointing));
        }
        return new SettingResult(setting, runs);
    }

    /** η = c·2d²/(L·σ_1^(2−2/L)). */
    public static double stepSize(int d, int depth, double sigma1) {
        return STABILITY_FRACTION * 2.0 * d * (double) d / (depth * Math.pow(sigma1, 2.0 - 2.0 / depth));
    }

    static SeedRun runSeed(Setting st, long seed, int depth, double relTol, long maxSteps, int evalEvery,
                           LinearAlgebra la, ListenerFactory listeners, RecoveryExperiments.Checkpointing ck) {
        ReproduceSettings probe = settings(st, seed, depth, 1.0, maxSteps, 0.0, evalEvery);
        SyntheticTarget target = RecoveryExperiments.buildTarget(probe, la);
        double eta = stepSize(st.d(), depth, target.s()[0]);
        double y2 = target.y().frobeniusNorm();
        double tol = relTol * y2 * y2 / (2.0 * st.d() * st.d());
        ReproduceSettings s = settings(st, seed, depth, eta, maxSteps, tol, evalEvery);
        FactorizationProblem problem = (FactorizationProblem) RecoveryExperiments.buildProblem(s, target, la);
        DeepLinearNetwork wide = RecoveryExperiments.originalNetwork(s, depth, la);
        TrainResult o = train("original", wide, problem, RecoveryExperiments.originalConfig(s), la, listeners, s, ck);
        DeepLinearNetwork c = new SpectralInit(2 * st.r(), depth, st.eps()).build(problem, seed, la);
        // the same η, α = 1, no tolerance: exactly as many steps as the original, evaluated at the same steps
        TrainerConfig cc = new TrainerConfig(o.steps(), 0.0, evalEvery, OptimizerConfig.gd(eta),
                LayerRates.discrepant(depth, 1.0), TrainerConfig.DEFAULT_DIVERGENCE_FACTOR);
        TrainResult cr = train("compressed", c, problem, cc, la, listeners, s, ck);
        List<double[]> ratios = new ArrayList<>();
        double max = Double.NEGATIVE_INFINITY;
        long at = -1;
        int j = 0;
        List<EvalPoint> ct = cr.trajectory();
        for (EvalPoint p : o.trajectory()) {
            while (j < ct.size() && ct.get(j).step() < p.step()) {
                j++;
            }
            if (j < ct.size() && ct.get(j).step() == p.step()) {
                double ratio = ct.get(j).recoveryError() / p.recoveryError();
                ratios.add(new double[] {p.step(), ratio});
                if (!(ratio <= max)) {
                    max = ratio;
                    at = p.step();
                }
            }
        }
        return new SeedRun(seed, eta, ratios, max, at, o, cr);
    }

    private static ReproduceSettings settings(Setting st, long seed, int depth, double eta, long steps, double tol,
                                              int evalEvery) {
        return new ReproduceSettings(Experiment.FACTORIZATION, st.d(), st.d(), st.r(), 1.0, 0, depth, st.eps(), eta, 1.0,
                2 * st.r(), steps, tol, seed, evalEvery, Initialization.ORTH, OptimizerConfig.Kind.GD);
    }

    private static TrainResult train(String label, DeepLinearNetwork net, FactorizationProblem problem,
                                     TrainerConfig config, LinearAlgebra la, ListenerFactory lf, ReproduceSettings s,
                                     RecoveryExperiments.Checkpointing ck) {
        Trainer t = new Trainer(config, la);
        for (TrainingListener l : lf.forRun(label, config.maxSteps())) {
            t.addListener(l);
        }
        return ck == null ? t.fit(label, net, problem) : ck.train(t, ck.file(s, label), label, net, problem);
    }
}

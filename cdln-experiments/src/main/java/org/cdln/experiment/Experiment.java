package org.cdln.experiment;

import org.cdln.problem.ProblemKind;

/**
 * The paper's matrix-recovery experiments (docs/method.md §3, reference settings table), each with its
 * defaults declared here and nowhere else.
 */
public enum Experiment {
    /** MF: d = 100, r = 10, η = 1, α = 1, tol 0, 100,000 steps. */
    FACTORIZATION("factorization", ProblemKind.FACTORIZATION, 100, 10, 1.0, 0, 1.0, 1.0, 0.0, 100_000, 100),
    /** MC: d = 100, r = 5, p = 0.3, η = 10, α = 5, tol 1e-12, 25,000 steps. */
    COMPLETION("completion", ProblemKind.COMPLETION, 100, 5, 0.3, 0, 10.0, 5.0, 1e-12, 25_000, 50),
    /** MS: d = 200, r = 5, m = 4000, η = 20, α = 1, tol 1e-12, 25,000 steps. */
    SENSING("sensing", ProblemKind.SENSING, 200, 5, 1.0, 4000, 20.0, 1.0, 1e-12, 25_000, 50),
    /** MC α sweep: d = 100, r = 5, p = 0.2, η = 10, α = 0.5 … 9.75 step 0.25, tol 1e-10, 100,000 steps. */
    ALPHA_SWEEP("alpha-sweep", ProblemKind.COMPLETION, 100, 5, 0.2, 0, 10.0, 5.0, 1e-10, 100_000, 50),
    /** MC depth: d = 100, r = 10, p = 0.3, L ∈ {2, 3}, η = 50, α = 2, tol 1e-12, 25,000 steps. */
    DEPTH("depth", ProblemKind.COMPLETION, 100, 10, 0.3, 0, 50.0, 2.0, 1e-12, 25_000, 50);

    private final String id;
    private final ProblemKind problem;
    final int d;
    final int r;
    final double p;
    final int m;
    final double step;
    final double alpha;
    final double tol;
    final long steps;
    final int evalEvery;

    Experiment(String id, ProblemKind problem, int d, int r, double p, int m, double step, double alpha, double tol,
               long steps, int evalEvery) {
        this.id = id;
        this.problem = problem;
        this.d = d;
        this.r = r;
        this.p = p;
        this.m = m;
        this.step = step;
        this.alpha = alpha;
        this.tol = tol;
        this.steps = steps;
        this.evalEvery = evalEvery;
    }

    /** The command-line name, e.g. "alpha-sweep". */
    public String id() {
        return id;
    }

    /** The kind of problem it solves: factorization, completion or sensing. */
    public ProblemKind problemKind() {
        return problem;
    }

    /** Parses a command-line name. */
    public static Experiment parse(String s) {
        for (Experiment e : values()) {
            if (e.id.equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown experiment '" + s
                + "'; use factorization, completion, sensing, alpha-sweep or depth");
    }

    /**
     * The reference settings of this experiment as declared values ({@link ReproduceSettings#SCHEMA}),
     * r̂ auto (2r): what front ends show as each setting's default.
     */
    public org.cdln.settings.Settings settings() {
        return defaults().settings().with(ReproduceSettings.RANK_HAT, org.cdln.settings.Setting.AUTO);
    }

    /** The reference settings of this experiment (depth 3, ε = 1e-2, seed 0, orth init, GD). */
    public ReproduceSettings defaults() {
        return new ReproduceSettings(this, d, d, r, p, m, 3, 1e-2, step, alpha, 2 * r, steps, tol, 0L, evalEvery,
                org.cdln.model.Initialization.ORTH, org.cdln.optim.OptimizerConfig.Kind.GD);
    }
}

package org.cdln.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.cdln.experiment.Experiment;
import org.cdln.experiment.RecoveryExperiments;
import org.cdln.experiment.ReproduceSettings;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.train.TrainResult;

/**
 * The side-by-side text table the reproduce commands print: one column per run (original,
 * compressed, …), or one row per run for sweeps.
 */
public final class ResultTable {
    private ResultTable() {
    }

    /** The first line printed: experiment, settings, backend and threads. */
    public static String header(ReproduceSettings s, LinearAlgebra la) {
        StringBuilder b = new StringBuilder("cdln reproduce ").append(s.experiment().id()).append(": ");
        b.append(s.square() ? "d=" + s.d1() : "d1=" + s.d1() + " d2=" + s.d2()).append(" r=").append(s.r());
        if (s.experiment().problemKind() == org.cdln.problem.ProblemKind.COMPLETION) {
            b.append(" p=").append(g(s.p()));
        }
        if (s.experiment().problemKind() == org.cdln.problem.ProblemKind.SENSING) {
            b.append(" m=").append(s.m());
        }
        b.append(" depth=").append(s.experiment() == Experiment.DEPTH ? "2,3" : String.valueOf(s.depth()));
        b.append(" eps=").append(g(s.eps())).append(" step=").append(g(s.step()));
        b.append(" alpha=").append(s.experiment() == Experiment.ALPHA_SWEEP ? "0.5..9.75" : g(s.alpha()));
        b.append(" rank-hat=").append(s.rankHat()).append(" steps=").append(s.steps()).append(" tol=").append(g(s.tol()));
        b.append(" seed=").append(s.seed());
        b.append("\n").append(BackendLine.line(la));
        return b.toString();
    }

    /** "original", "compressed", "compressed α=2.5", "original L=2". */
    public static String columnName(RecoveryExperiments.Run run) {
        String n = run.model();
        if (run.alpha() != null) {
            n += " α=" + g(run.alpha());
        }
        if (run.depth() != null) {
            n += " L=" + run.depth();
        }
        return n;
    }

    /** The table of an experiment's runs. */
    public static String render(RecoveryExperiments.Outcome outcome) {
        if (outcome.settings().experiment() == Experiment.ALPHA_SWEEP) {
            return sweep(outcome);
        }
        List<String> names = new ArrayList<>();
        List<TrainResult> rs = new ArrayList<>();
        for (RecoveryExperiments.Run run : outcome.runs()) {
            names.add(columnName(run));
            rs.add(run.result());
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(row("", names, Function.identity()));
        rows.add(row("parameters", rs, r -> String.format(Locale.ROOT, "%,d", r.parameters())));
        for (double t : SummaryJson.THRESHOLDS) {
            String k = SummaryJson.key(t);
            rows.add(row("steps to error " + k, rs, r -> r.stepsTo(t) == null ? "not reached"
                    : String.format(Locale.ROOT, "%,d", r.stepsTo(t))));
            rows.add(row("seconds to error " + k, rs, r -> r.secondsTo(t) == null ? "not reached" : sec(r.secondsTo(t))));
        }
        rows.add(row("final train loss", rs, r -> e(r.finalTrainLoss())));
        rows.add(row("final recovery error", rs, r -> e(r.finalRecoveryError())));
        rows.add(row("total steps", rs, r -> String.format(Locale.ROOT, "%,d", r.steps())));
        rows.add(row("total training seconds", rs, r -> sec(r.seconds())));
        rows.add(row("stopped", rs, r -> r.stopReason().name().toLowerCase().replace('_', ' ')));
        StringBuilder out = new StringBuilder(format(rows));
        for (int i = 0; i + 1 < rs.size(); i += 2) {
            if (rs.get(i).label().equals("original") && rs.get(i + 1).label().equals("compressed")) {
                out.append('\n').append(speedup(names.get(i), names.get(i + 1), rs.get(i), rs.get(i + 1)));
            }
        }
        return out.toString();
    }

    /** "speed-up of compressed over original to error 1e-8: 29.5× in time, 3.8× in steps". */
    static String speedup(String a, String b, TrainResult original, TrainResult compressed) {
        for (int k = SummaryJson.THRESHOLDS.length - 1; k >= 0; k--) {
            double t = SummaryJson.THRESHOLDS[k];
            if (original.secondsTo(t) != null && compressed.secondsTo(t) != null) {
                double time = original.secondsTo(t) / Math.max(compressed.secondsTo(t), 1e-9);
                double steps = original.stepsTo(t) / (double) Math.max(compressed.stepsTo(t), 1);
                return String.format(Locale.ROOT, "speed-up of %s over %s to error %s: %.1f× in time, %.1f× in steps",
                        b, a, SummaryJson.key(t), time, steps);
            }
        }
        return "speed-up of " + b + " over " + a + ": not measurable (a threshold was not reached by both)";
    }

    private static String sweep(RecoveryExperiments.Outcome outcome) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "alpha", "steps to tol", "seconds to tol", "steps to 1e-4",
            "seconds to 1e-4", "final recovery error", "stopped"});
        for (RecoveryExperiments.Run run : outcome.runs()) {
            TrainResult r = run.result();
            boolean converged = r.stopReason() == org.cdln.train.StopReason.CONVERGED;
            rows.add(new String[] {run.model(), run.alpha() == null ? "-" : g(run.alpha()),
                converged ? String.format(Locale.ROOT, "%,d", r.steps()) : "not reached",
                converged ? sec(r.seconds()) : "not reached",
                r.stepsTo(1e-4) == null ? "not reached" : String.format(Locale.ROOT, "%,d", r.stepsTo(1e-4)),
                r.secondsTo(1e-4) == null ? "not reached" : sec(r.secondsTo(1e-4)), e(r.finalRecoveryError()),
                r.stopReason().name().toLowerCase().replace('_', ' ')});
        }
        return format(rows) + "\n" + monotonicity(outcome);
    }

    /** Whether the compressed runs' steps to tolerance fall monotonically with α (the paper's claim). */
    static String monotonicity(RecoveryExperiments.Outcome outcome) {
        List<RecoveryExperiments.Run> sweep = outcome.runs().stream().filter(r -> r.alpha() != null).toList();
        if (sweep.isEmpty()) {
            return "";
        }
        long prev = Long.MAX_VALUE;
        boolean monotone = true;
        for (RecoveryExperiments.Run run : sweep) {
            TrainResult r = run.result();
            if (r.stopReason() != org.cdln.train.StopReason.CONVERGED || r.steps() > prev) {
                monotone = false;
            }
            prev = r.steps();
        }
        TrainResult first = sweep.get(0).result();
        TrainResult last = sweep.get(sweep.size() - 1).result();
        return String.format(Locale.ROOT, "steps to tolerance fall monotonically with α: %s (%,d at α=%s → %,d at α=%s)",
                monotone ? "yes" : "no", first.steps(), g(sweep.get(0).alpha()), last.steps(),
                g(sweep.get(sweep.size() - 1).alpha()));
    }

    private static <T> String[] row(String label, List<T> items, Function<T, String> f) {
        String[] r = new String[items.size() + 1];
        r[0] = label;
        for (int i = 0; i < items.size(); i++) {
            r[i + 1] = f.apply(items.get(i));
        }
        return r;
    }

    /** Left-aligned first column, right-aligned others, two spaces apart. */
    public static String format(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                String cell = r[c];
                String pad = " ".repeat(w[c] - cell.length());
                line.append(c == 0 ? cell + pad : "  " + pad + cell);
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString().stripTrailing();
    }

    /** A short plain rendering: 10, 0.3, 1e-12. */
    public static String g(double v) {
        if (v == 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e7)) {
            return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros()
                    .toPlainString();
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+e", "e").replace("e-0", "e-")
                .replace("e+0", "e").replace("e+", "e");
    }

    static String e(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3e", v);
    }

    static String sec(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}

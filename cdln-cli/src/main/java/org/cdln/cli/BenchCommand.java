package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cdln.cli.report.BenchJson;
import org.cdln.experiment.StepBenchmark;
import org.cdln.linalg.LinearAlgebra;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdln bench [--quick] [--threads N] [--out DIR]}: time per training step (median over
 * repeats, after warm-up) of the original and compressed networks on completion, factorization
 * and sensing at d ∈ {100, 300, 1000} (and 3000 unless --quick), of compressed completion at
 * (10⁴, 10⁴, 10⁶) and (10⁵, 10⁵, 10⁷) (the latter unless --quick), and dgemm GFLOP/s at n = 1000
 * with the same threads. Prints a table and writes {@code bench.json} ({@link BenchJson}).
 * How steps are timed and FLOPs counted: {@link StepBenchmark}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure time per training step (median after warm-up) and dgemm GFLOP/s; writes bench.json.")
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "d up to 1000 and the 10⁴×10⁴ completion only, shorter timing budgets.")
    boolean quick;
    @Option(names = "--threads", paramLabel = "N", description = "BLAS and kernel threads (default: all cores).")
    Integer threads;
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default out/bench).")
    Path out;
    @Option(names = "--only", paramLabel = "TEXT",
            description = "Run only the cases whose label contains TEXT, e.g. 'completion/compressed d=100'.")
    String only;
    @Option(names = "--budget", paramLabel = "SECONDS",
            description = "Measuring time per case after warm-up (default 1.5, or 0.6 with --quick).")
    Double budget;

    /**
     * Opens the output (checked for writability, refused when it is an input, locked against a
     * second run) before any work, then runs the command.
     */
    @Override
    public Integer call() {
        try (Outputs outputs = Outputs.folder(out != null ? out : Path.of("out", "bench"), "--out")) {
            return callWithOutputs();
        }
    }

    private Integer callWithOutputs() {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be ≥ 1, got " + threads);
        }
        if (budget != null && !(budget > 0.0 && budget <= 600.0)) {
            throw new IllegalArgumentException("--budget must be in (0, 600] seconds, got " + budget);
        }
        PrintWriter o = spec.commandLine().getOut();
        LinearAlgebra la = LinearAlgebra.instance();
        double perCase = budget != null ? budget : quick ? 0.6 : 1.5;
        List<StepBenchmark.Case> cases = new ArrayList<>();
        for (StepBenchmark.Case c : StepBenchmark.cases(quick)) {
            if (only == null || c.label().contains(only)) {
                cases.add(c);
            }
        }
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("--only '" + only + "' matches no case; labels look like "
                    + "'completion/compressed d=100 |Ω|=3000'");
        }
        double peak = StepBenchmark.dgemmGflops(1000, la);
        o.printf("backend: %s, threads: %d, dgemm n=1000: %.1f GFLOP/s%n", la.description(), la.threads(), peak);
        o.printf("%-14s %-11s %7s %7s %9s %14s %9s %7s %9s%n", "problem", "model", "d1", "d2", "observed",
                "time/step", "GFLOP/s", "peak", "heap MB");
        o.flush();
        List<StepBenchmark.Result> results = new ArrayList<>();
        for (StepBenchmark.Case c : cases) {
            StepBenchmark.Result r = StepBenchmark.run(c, la, perCase, 0L);
            results.add(r);
            boolean original = c.model().equals("original");
            o.printf("%-14s %-11s %7d %7d %9d %14s %9s %7s %9.0f%n", c.problem(), c.model(), c.d1(), c.d2(),
                    c.observed(), time(r.secondsPerStep()), original ? String.format("%.1f", r.gflops()) : "-",
                    original ? String.format("%.0f%%", 100 * r.gflops() / peak) : "-",
                    r.peakHeapBytes() / (1024.0 * 1024.0));
            o.flush();
        }
        Path dir = out != null ? out : Path.of("out", "bench");
        Path file = BenchJson.write(dir.resolve("bench.json"), la.description(), la.threads(), peak, quick, results);
        o.println("wrote " + file);
        return 0;
    }

    static String time(double seconds) {
        if (seconds < 1e-3) {
            return String.format("%.1f µs", seconds * 1e6);
        }
        if (seconds < 1.0) {
            return String.format("%.3f ms", seconds * 1e3);
        }
        return String.format("%.3f s", seconds);
    }
}

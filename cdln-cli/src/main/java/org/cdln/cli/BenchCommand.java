package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cdln.cli.report.BackendLine;
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
 * with the same threads, and the STREAM-triad memory bandwidth. Prints a table, the roofline of
 * the compressed completion cases (least FLOPs and bytes of a step, the bound they imply, the
 * fraction of it achieved), the same dense algorithm in NumPy when it is installed (run in the
 * same session, as a ratio) and the evaluator path each completion case took and why; writes
 * {@code bench.json} ({@link BenchJson}).
 * How steps are timed and FLOPs counted: {@link StepBenchmark}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = BenchSparkCommand.class,
        description = "Measure time per training step (median after warm-up) and dgemm GFLOP/s; writes bench.json.")
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "d up to 1000 and the 10⁴×10⁴ completion only, shorter timing budgets.")
    boolean quick;
    @CommandLine.Mixin
    ThreadsOption threads;
    @CommandLine.Mixin
    OutOption out = OutOption.folder("out/bench");
    @Option(names = "--only", paramLabel = "TEXT",
            description = "Run only the cases whose label contains TEXT, e.g. 'completion/compressed d=100'.")
    String only;
    @Option(names = "--budget", paramLabel = "SECONDS",
            description = "Measuring time per case after warm-up (default 1.5, or 0.6 with --quick).")
    Double budget;

    @Option(names = "--no-numpy", description = "Leave out the NumPy comparison even when NumPy is installed.")
    boolean noNumpy;

    /**
     * Opens the output (checked for writability, refused when it is an input, locked against a
     * second run) before any work, then runs the command.
     */
    @Override
    public Integer call() {
        try (Outputs outputs = out.open()) {
            return callWithOutputs();
        }
    }

    private Integer callWithOutputs() {
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
        List<StepBenchmark.MemoryLevel> levels = StepBenchmark.memoryLevels();
        double stream = levels.get(levels.size() - 1).gbPerS();
        o.println(BackendLine.line(la, String.format(", dgemm n=1000: %.1f GFLOP/s, STREAM triad: %.1f GB/s", peak,
                stream)));
        StringBuilder lv = new StringBuilder("triad bandwidth by where the data lives:");
        for (StepBenchmark.MemoryLevel l : levels) {
            lv.append(String.format(" %s %.1f GB/s%s", l.name(), l.gbPerS(), l.capacity() == Long.MAX_VALUE ? ""
                    : String.format(" (%.1f MiB)", l.capacity() / (1024.0 * 1024.0))));
        }
        o.println(lv);
        if (la.splitParts() > 1) {
            o.printf("threads: products of %.0f multiply-adds or more are split over %d threads; the two independent"
                    + " products of each gradient step run at the same time (one per thread) or one after the other"
                    + " (each split), whichever was measured faster for their shapes (listed at the end)%n",
                    LinearAlgebra.SPLIT_MIN_WORK, la.splitParts());
        }
        BenchJson.Machine machine = new BenchJson.Machine(cpuModel(), Runtime.getRuntime().availableProcessors(),
                loadAverage(), BackendLine.openblasCoretype());
        o.printf("machine: %s, %d processors, Java %s, load average %s%n", machine.cpu(), machine.processors(),
                System.getProperty("java.version"), machine.loadAverage());
        // the roofline's bandwidths: a triad on each sparse case's own working set, here and again
        // after the cases (the better kept, as for the ceilings)
        Map<StepBenchmark.Case, Double> footprint = workingSetTriads(cases, null);
        o.println("time/step is the median of the step times, spread (upper − lower quartile) ÷ median");
        o.printf("%-14s %-11s %7s %7s %9s %14s %7s %9s %7s %7s %9s  %s%n", "problem", "model", "d1", "d2", "observed",
                "time/step", "spread", "GFLOP/s", "peak", "dense", "heap MB", "oracle");
        o.flush();
        List<StepBenchmark.Result> results = new ArrayList<>();
        for (StepBenchmark.Case c : cases) {
            StepBenchmark.Result r = StepBenchmark.run(c, la, perCase, 0L);
            results.add(r);
            boolean original = c.model().equals("original");
            String path = r.oraclePath();
            int cut = path.indexOf(" (");
            o.printf("%-14s %-11s %7d %7d %9d %14s %6.0f%% %9s %7s %7s %9.0f  %s%n", c.problem(), c.model(), c.d1(), c.d2(),
                    c.observed(), time(r.secondsPerStep()), 100 * r.spread(),
                    original ? String.format("%.1f", r.gflops()) : "-",
                    original ? String.format("%.0f%%", 100 * r.gflops() / peak) : "-",
                    original ? String.format("%.0f%%", 100 * r.denseBoundFraction(peak)) : "-",
                    r.peakHeapBytes() / (1024.0 * 1024.0), cut > 0 ? path.substring(0, cut) : path);
            o.flush();
        }
        // the ceilings again after the cases, the better of the two kept: on a shared machine one
        // measurement can fall into a loaded moment, and a depressed ceiling would make a bound
        // that the steps seem to pass
        double peakAfter = StepBenchmark.dgemmGflops(1000, la);
        List<StepBenchmark.MemoryLevel> levelsAfter = StepBenchmark.memoryLevels();
        if (peakAfter > peak) {
            peak = peakAfter;
        }
        levels = StepBenchmark.betterLevels(levels, levelsAfter);
        footprint = workingSetTriads(cases, footprint);
        stream = levels.get(levels.size() - 1).gbPerS();
        o.printf("%nceilings, the better of before and after the cases: dgemm %.1f GFLOP/s;", peak);
        for (StepBenchmark.MemoryLevel l : levels) {
            o.printf(" %s %.1f GB/s", l.name(), l.gbPerS());
        }
        o.println();
        boolean anyOriginal = false;
        for (StepBenchmark.Result r : results) {
            anyOriginal |= r.c().model().equals("original");
        }
        if (anyOriginal) {
            // the table's columns used the ceiling measured before the cases; these use the better
            // of both, the one bench.json holds
            o.printf("%noriginal network against that dgemm ceiling (%.1f GFLOP/s): the FLOPs of the dense"
                    + " algorithm's step (the evaluator's three GEMMs and the backprop products) ÷ time ÷ dgemm rate%n", peak);
            for (StepBenchmark.Result r : results) {
                if (r.c().model().equals("original")) {
                    o.printf("  %-40s %14s %9.1f GFLOP/s %6.0f%% of dgemm%n", r.c().label(), time(r.secondsPerStep()),
                            r.gflops(), 100 * r.denseBoundFraction(peak));
                }
            }
        }
        Map<StepBenchmark.Result, StepBenchmark.Roofline> rooflines = new LinkedHashMap<>();
        for (StepBenchmark.Result r : results) {
            if (r.c().sparse()) {
                // a working set beyond the caches: the DRAM triad's bandwidth, measured with the levels
                rooflines.put(r, StepBenchmark.roofline(r.c(), r.c().rankHat(), r.secondsPerStep(), peak, levels,
                        footprint.getOrDefault(r.c(), stream)));
            }
        }
        if (!rooflines.isEmpty()) {
            o.printf("%nroofline of the compressed completion step (least work and traffic, at dgemm %.1f GFLOP/s and"
                    + " the triad bandwidth measured on a working set of the step's own size; 'data in': the"
                    + " cache level of that size):%n", peak);
            o.printf("%-9s %9s %11s %11s %11s %16s %11s %7s %14s %9s%n", "d1", "observed", "MFLOP/step", "MB/step",
                    "working set", "data in", "bound", "by", "time/step", "fraction");
            for (Map.Entry<StepBenchmark.Result, StepBenchmark.Roofline> e : rooflines.entrySet()) {
                StepBenchmark.Roofline rf = e.getValue();
                StepBenchmark.Case c = e.getKey().c();
                o.printf("%-9d %9d %11.3f %11.3f %8.2f MB %16s %11s %7s %14s %8.0f%%%n", c.d1(), c.observed(),
                        rf.flopsPerStep() * 1e-6, rf.bytesPerStep() * 1e-6, rf.workingSetBytes() * 1e-6,
                        String.format("%s %.0f GB/s", rf.level().name(), rf.bandwidthGbPerS()),
                        time(rf.boundSeconds()), rf.memoryBound() ? "memory" : "flops",
                        time(e.getKey().secondsPerStep()), 100 * rf.fraction());
            }
        }
        Map<StepBenchmark.Result, Double> numpy = numpy(results, la.threads(), perCase, o);
        o.println();
        o.println("loss-and-gradient oracle of each completion case, and why:");
        for (StepBenchmark.Result r : results) {
            if (r.c().problem().equals("completion")) {
                o.println("  " + r.c().label() + " " + r.c().model() + ": " + r.oraclePath());
            }
        }
        List<String> pairs = la.pairChoices();
        if (!pairs.isEmpty()) {
            o.println();
            o.println("independent products of the steps (m×n×k each), as measured on first use:");
            for (String line : pairs) {
                o.println("  " + line);
            }
        }
        Path dir = out.path();
        Path file = BenchJson.write(dir.resolve("bench.json"), la.description(), la.threads(), machine, peak, levels,
                quick, results, rooflines, numpy);
        o.println("wrote " + file);
        return 0;
    }

    /**
     * The triad bandwidth on each sparse case's working set ({@link StepBenchmark#workingSetTriadGbPerS}),
     * or, given an earlier measurement, the better of it and a new one; none for a working set
     * {@link StepBenchmark#beyondCaches beyond the caches}, whose bandwidth is the DRAM level's.
     */
    private static Map<StepBenchmark.Case, Double> workingSetTriads(List<StepBenchmark.Case> cases,
                                                                   Map<StepBenchmark.Case, Double> earlier) {
        Map<StepBenchmark.Case, Double> out = new LinkedHashMap<>();
        for (StepBenchmark.Case c : cases) {
            if (c.sparse() && !StepBenchmark.beyondCaches(StepBenchmark.workingSetBytes(c, c.rankHat()))) {
                double gbPerS = StepBenchmark.workingSetTriadGbPerS(StepBenchmark.workingSetBytes(c, c.rankHat()));
                out.put(c, earlier == null ? gbPerS : Math.max(gbPerS, earlier.get(c)));
            }
        }
        return out;
    }

    /** The NumPy step next to cdln's for the completion cases up to d = 1000, when NumPy is installed. */
    private Map<StepBenchmark.Result, Double> numpy(List<StepBenchmark.Result> results, int threads, double perCase,
                                                    PrintWriter o) {
        Map<StepBenchmark.Result, Double> out = new LinkedHashMap<>();
        if (noNumpy) {
            return out;
        }
        List<StepBenchmark.Result> comparable = new ArrayList<>();
        List<int[]> specs = new ArrayList<>();
        for (StepBenchmark.Result r : results) {
            StepBenchmark.Case c = r.c();
            if (c.problem().equals("completion") && c.d1() == c.d2() && c.d1() <= 1000) {
                comparable.add(r);
                specs.add(new int[] {c.d1(), c.model().equals("original") ? c.d1() : c.rankHat()});
            }
        }
        if (comparable.isEmpty()) {
            return out;
        }
        Optional<String> python = NumpyReference.python();
        if (python.isEmpty()) {
            o.println();
            o.println("NumPy comparison left out: no python3 with NumPy (Debian: apt-get install python3-numpy)");
            return out;
        }
        Map<String, Double> m = NumpyReference.measure(python.get(), specs, threads, perCase);
        o.println();
        o.printf("the same dense algorithm in NumPy (%s, %d OpenBLAS thread%s, same session):%n", python.get(), threads,
                threads == 1 ? "" : "s");
        o.printf("%-12s %7s %14s %14s %14s%n", "model", "d", "NumPy", "cdln", "NumPy / cdln");
        for (int i = 0; i < comparable.size(); i++) {
            StepBenchmark.Result r = comparable.get(i);
            Double s = m.get(specs.get(i)[0] + ":" + specs.get(i)[1]);
            if (s != null) {
                out.put(r, s);
                o.printf("%-12s %7d %14s %14s %13.2f×%n", r.c().model(), r.c().d1(), time(s), time(r.secondsPerStep()),
                        s / r.secondsPerStep());
            }
        }
        return out;
    }

    /** The CPU's model name, family and model from /proc/cpuinfo ({@link #cpuModel(List)}), or os.arch. */
    static String cpuModel() {
        try {
            String m = cpuModel(java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")));
            if (m != null) {
                return m;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /**
     * "Intel(R) Xeon(R) Processor @ 2.80GHz, family 6 model 106" from the first processor's lines
     * of /proc/cpuinfo, or null without a model name. Guests of one cloud often share a model name
     * across CPU generations (family 6 models 106 and 167 both read "Intel(R) Xeon(R) Processor"),
     * and their sparse steps differ by up to 2×, so the numbers go with it.
     */
    static String cpuModel(List<String> cpuinfo) {
        String name = null;
        String family = null;
        String model = null;
        for (String line : cpuinfo) {
            if (line.isBlank()) {
                break;   // the first processor only
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "model name" -> name = value;
                case "cpu family" -> family = value;
                case "model" -> model = value;
                default -> { }
            }
        }
        if (name == null) {
            return null;
        }
        return family != null && model != null ? name + ", family " + family + " model " + model : name;
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown". */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
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

package org.cdln.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdln.Version;
import org.cdln.experiment.StepBenchmark;

/**
 * Writes {@code bench.json}, the output of {@code cdln bench}:
 * <pre>
 * {"backend", "threads", "dgemm_gflops",
 *  "cases": [{"problem", "model", "d1", "d2", "observed", "seconds_per_step",
 *             "gflops"|null, "peak_fraction"|null, "peak_heap_mb"}]}
 * </pre>
 * plus "seconds_per_step_q1" and "seconds_per_step_q3" (the lower and upper quartiles of the step
 * times whose median is "seconds_per_step"), "rank_hat", "flops_per_step", "measured_steps" and
 * "oracle_path" per case and "quick",
 * "max_heap_mb", "cdln_version", "java" and "machine" ("cpu": model name, family and model;
 * "processors"; "load_average_at_start"; "openblas_coretype", null when unset) at the top.
 * gflops and peak_fraction are given for the original network only, with
 * "dense_bound_fraction": the time of the step's dense-path FLOPs at the dgemm rate over the
 * measured time (equal to peak_fraction on the dense path, above it when the timed choice took a
 * faster sparse one) (null for the compressed one, whose work is too small to be compared with
 * GEMM speed).
 *
 * <p>The roofline: "stream_gb_per_s" (STREAM-triad bandwidth from DRAM) and "memory_levels"
 * (each cache level's "level", "capacity_bytes" and "triad_gb_per_s", then DRAM's) at the top,
 * and for the sparse cases (compressed completion) "bytes_per_step" and "flops_per_step" — the
 * least traffic and work of a step ({@link StepBenchmark#roofline}) — "working_set_bytes", the
 * cache level of that size ("roofline_memory_level") and the triad bandwidth measured on a working
 * set of that size ("roofline_bandwidth_gb_per_s"),
 * "roofline_bound_seconds" = max(flops ÷ dgemm rate, bytes ÷ that bandwidth),
 * "roofline_bound_by" ("memory" or "flops") and "roofline_fraction" =
 * bound ÷ measured seconds per step (null for the other cases, whose flops_per_step counts the
 * products their path runs). Where NumPy is installed, the completion cases up to d = 1000 carry
 * "numpy_seconds_per_step" (the same dense algorithm in NumPy, same threads, same session) and
 * "numpy_ratio" = NumPy ÷ cdln seconds (above 1: cdln is faster).
 */
public final class BenchJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchJson() {
    }

    /**
     * The machine a run measured: the CPU's model name with its family and model numbers, the
     * processors the JVM sees, the 1, 5 and 15 minute load averages at the start, and the
     * OPENBLAS_CORETYPE setting (null when unset: OpenBLAS's kernels for the CPU).
     */
    public record Machine(String cpu, int processors, String loadAverage, String openblasCoretype) {
    }

    /** Writes the file; returns its path. */
    public static Path write(Path file, String backend, int threads, Machine machine, double dgemmGflops,
                             List<StepBenchmark.MemoryLevel> levels, boolean quick, List<StepBenchmark.Result> results,
                             Map<StepBenchmark.Result, StepBenchmark.Roofline> rooflines,
                             Map<StepBenchmark.Result, Double> numpySeconds) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("backend", backend);
        root.put("threads", threads);
        Map<String, Object> mc = new LinkedHashMap<>();
        mc.put("cpu", machine.cpu());
        mc.put("processors", machine.processors());
        mc.put("load_average_at_start", machine.loadAverage());
        mc.put("openblas_coretype", machine.openblasCoretype());
        root.put("machine", mc);
        root.put("dgemm_gflops", dgemmGflops);
        root.put("stream_gb_per_s", levels.get(levels.size() - 1).gbPerS());
        List<Map<String, Object>> ls = new ArrayList<>();
        for (StepBenchmark.MemoryLevel l : levels) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", l.name());
            m.put("capacity_bytes", l.capacity() == Long.MAX_VALUE ? null : l.capacity());
            m.put("triad_gb_per_s", l.gbPerS());
            ls.add(m);
        }
        root.put("memory_levels", ls);
        List<Map<String, Object>> cases = new ArrayList<>();
        for (StepBenchmark.Result r : results) {
            StepBenchmark.Case c = r.c();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("problem", c.problem());
            m.put("model", c.model());
            m.put("d1", c.d1());
            m.put("d2", c.d2());
            m.put("observed", c.observed());
            m.put("seconds_per_step", r.secondsPerStep());
            m.put("seconds_per_step_q1", r.lowerQuartile());
            m.put("seconds_per_step_q3", r.upperQuartile());
            boolean original = c.model().equals("original");
            m.put("gflops", original ? r.gflops() : null);
            m.put("peak_fraction", original ? r.gflops() / dgemmGflops : null);
            m.put("dense_bound_fraction", original ? r.denseBoundFraction(dgemmGflops) : null);
            m.put("peak_heap_mb", r.peakHeapBytes() / (1024.0 * 1024.0));
            m.put("rank_hat", original ? null : c.rankHat());
            StepBenchmark.Roofline rf = rooflines.get(r);
            m.put("flops_per_step", rf != null ? rf.flopsPerStep() : r.flopsPerStep());
            m.put("bytes_per_step", rf != null ? rf.bytesPerStep() : null);
            m.put("roofline_bound_seconds", rf != null ? rf.boundSeconds() : null);
            m.put("roofline_fraction", rf != null ? rf.fraction() : null);
            m.put("roofline_bound_by", rf != null ? (rf.memoryBound() ? "memory" : "flops") : null);
            m.put("working_set_bytes", rf != null ? rf.workingSetBytes() : null);
            m.put("roofline_memory_level", rf != null ? rf.level().name() : null);
            m.put("roofline_bandwidth_gb_per_s", rf != null ? rf.bandwidthGbPerS() : null);
            m.put("measured_steps", r.steps());
            m.put("oracle_path", r.oraclePath());
            Double np = numpySeconds.get(r);
            m.put("numpy_seconds_per_step", np);
            m.put("numpy_ratio", np != null ? np / r.secondsPerStep() : null);
            cases.add(m);
        }
        root.put("cases", cases);
        root.put("quick", quick);
        root.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
        root.put("cdln_version", Version.get());
        root.put("java", System.getProperty("java.version"));
        org.cdln.cli.Outputs.write(file, out -> MAPPER.writeValue(out, SummaryJson.clean(root)));
        return file;
    }
}

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
 * plus "rank_hat", "flops_per_step" and "measured_steps" per case and "quick", "max_heap_mb",
 * "cdln_version", "java" at the top. gflops and peak_fraction are given for the original network
 * only (null for the compressed one, whose work is too small to be compared with GEMM speed).
 */
public final class BenchJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BenchJson() {
    }

    /** Writes the file; returns its path. */
    public static Path write(Path file, String backend, int threads, double dgemmGflops, boolean quick,
                             List<StepBenchmark.Result> results) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("backend", backend);
        root.put("threads", threads);
        root.put("dgemm_gflops", dgemmGflops);
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
            boolean original = c.model().equals("original");
            m.put("gflops", original ? r.gflops() : null);
            m.put("peak_fraction", original ? r.gflops() / dgemmGflops : null);
            m.put("peak_heap_mb", r.peakHeapBytes() / (1024.0 * 1024.0));
            m.put("rank_hat", original ? null : c.rankHat());
            m.put("flops_per_step", r.flopsPerStep());
            m.put("measured_steps", r.steps());
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

package org.cdln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cdln.cli.report.BackendLine;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cdln bench}: bad input, and the schema of bench.json on one small case (timings are not checked). */
class BenchCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--threads 0|--threads|≥ 1",
        "--budget -1|--budget|(0, 600]",
        "--only nosuchcase|--only|matches no case",
    })
    void badFlagsGiveOneLine(String flags, String flag, String range) {
        String[] parts = flags.split(" ");
        String[] args = new String[parts.length + 1];
        args[0] = "bench";
        System.arraycopy(parts, 0, args, 1, parts.length);
        Cli.Run r = Cli.run(args);
        assertEquals(Main.EXIT_USAGE, r.status());
        String line = r.err().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains(flag) && line.contains(range), line);
    }

    @Tag("slow")   // seconds, not milliseconds; mvn -B test still runs it (-DexcludedGroups=slow skips it)
    @Test
    void writesBenchJsonWithTheIssuesSchema(@TempDir Path dir) throws Exception {
        Cli.Run r = Cli.run("bench", "--quick", "--only",
                "completion/compressed d=100 ", "--budget", "0.05", "--no-numpy", "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode root = new ObjectMapper().readTree(Files.readString(dir.resolve("bench.json")));
        for (String f : new String[] {"backend", "threads", "dgemm_gflops", "stream_gb_per_s", "cases"}) {
            assertTrue(root.has(f), f);
        }
        assertTrue(root.get("dgemm_gflops").asDouble() > 0);
        assertEquals(1, root.get("cases").size());
        JsonNode c = root.get("cases").get(0);
        assertEquals("completion", c.get("problem").asText());
        assertEquals("compressed", c.get("model").asText());
        assertEquals(100, c.get("d1").asInt());
        assertEquals(3000, c.get("observed").asLong());
        assertTrue(c.get("seconds_per_step").asDouble() > 0);
        assertTrue(c.get("seconds_per_step_q1").asDouble() <= c.get("seconds_per_step").asDouble());
        assertTrue(c.get("seconds_per_step_q3").asDouble() >= c.get("seconds_per_step").asDouble());
        assertTrue(c.get("gflops").isNull() && c.get("peak_fraction").isNull());
        assertTrue(c.get("peak_heap_mb").asDouble() > 0);
        // the roofline of a sparse case: least bytes and FLOPs, the bound, the fraction reached
        assertTrue(root.get("stream_gb_per_s").asDouble() > 0);
        double bytes = c.get("bytes_per_step").asDouble();
        double flops = c.get("flops_per_step").asDouble();
        assertTrue(bytes >= 12.0 * 3000 && flops >= 6.0 * 3000 * 10, bytes + " bytes, " + flops + " flops");
        double bound = c.get("roofline_bound_seconds").asDouble();
        // the bytes are charged at a triad measured on the working set's own size; the level named
        // is one listed at the top that is large enough to hold it
        double bandwidth = c.get("roofline_bandwidth_gb_per_s").asDouble();
        assertTrue(bandwidth > 0 && Double.isFinite(bandwidth), c.toString());
        JsonNode levels = root.get("memory_levels");
        JsonNode last = levels.get(levels.size() - 1);
        assertEquals("DRAM", last.get("level").asText());
        assertEquals(root.get("stream_gb_per_s").asDouble(), last.get("triad_gb_per_s").asDouble());
        boolean found = false;
        for (JsonNode l : levels) {
            if (l.get("level").asText().equals(c.get("roofline_memory_level").asText())) {
                found = true;
                assertTrue(l.get("capacity_bytes").isNull()
                        || c.get("working_set_bytes").asDouble() <= l.get("capacity_bytes").asDouble());
            }
        }
        assertTrue(found, c.toString());
        double expected = Math.max(flops / (root.get("dgemm_gflops").asDouble() * 1e9), bytes / (bandwidth * 1e9));
        assertEquals(expected, bound, 1e-9 * expected);
        assertEquals(bound / c.get("seconds_per_step").asDouble(), c.get("roofline_fraction").asDouble(), 1e-9);
        assertTrue(c.get("oracle_path").asText().startsWith("dense GEMM") || c.get("oracle_path").asText().startsWith("sparse"));
        assertTrue(c.has("numpy_ratio") && c.get("numpy_ratio").isNull(), "--no-numpy leaves the ratio out");
        assertTrue(r.out().contains("roofline"), r.out());
        // the machine it ran on, as printed in the header
        JsonNode m = root.get("machine");
        assertEquals(Runtime.getRuntime().availableProcessors(), m.get("processors").asInt());
        assertTrue(r.out().contains("machine: " + m.get("cpu").asText() + ","), r.out());
        assertTrue(m.get("load_average_at_start").isTextual(), m.toString());
        String coretype = BackendLine.openblasCoretype();
        assertEquals(coretype, m.get("openblas_coretype").isNull() ? null : m.get("openblas_coretype").asText());
        if (root.get("backend").asText().startsWith("native")) {
            assertTrue(r.out().contains(coretype != null ? "OPENBLAS_CORETYPE=" + coretype : "OPENBLAS_CORETYPE unset"), r.out());
        }
    }

    @Test
    void cpuModelNamesTheFirstProcessorsFamilyAndModel() {
        List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: GenuineIntel", "cpu family\t: 6",
                "model\t\t: 106", "model name\t: Intel(R) Xeon(R) Processor @ 2.80GHz", "stepping\t: 6", "",
                "processor\t: 1", "cpu family\t: 7", "model\t\t: 1", "model name\t: other");
        assertEquals("Intel(R) Xeon(R) Processor @ 2.80GHz, family 6 model 106", BenchCommand.cpuModel(cpuinfo));
        assertEquals("AMD EPYC 9B14", BenchCommand.cpuModel(List.of("model name : AMD EPYC 9B14")));
        assertNull(BenchCommand.cpuModel(List.of("Features : fp asimd", "CPU part : 0xd0c")));
    }
}

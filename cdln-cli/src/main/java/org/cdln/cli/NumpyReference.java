package org.cdln.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The plain NumPy implementation of the same completion step ({@code numpy_reference.py}, shipped
 * in the jar), run by {@code cdln bench} in the same session as its own cases so that the two are
 * compared as a ratio measured under the same load. Found only when a {@code python3} with NumPy
 * is installed (Debian: {@code python3-numpy}); otherwise the comparison is left out.
 */
final class NumpyReference {
    private static final String[] PYTHONS = {"python3", "/usr/bin/python3"};

    private NumpyReference() {
    }

    /** The first python3 that imports numpy, or empty. */
    static Optional<String> python() {
        for (String p : PYTHONS) {
            try {
                Process pr = new ProcessBuilder(p, "-c", "import numpy").redirectErrorStream(true).start();
                pr.getInputStream().readAllBytes();
                if (pr.waitFor(30, TimeUnit.SECONDS) && pr.exitValue() == 0) {
                    return Optional.of(p);
                }
                pr.destroy();
            } catch (IOException e) {
                // not installed under this name
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Seconds per step of the NumPy step for each (d, width) completion case at p = 0.3, with
     * {@code threads} OpenBLAS threads and about {@code budget} seconds per case; keyed "d:width".
     * Cases it could not measure are missing.
     */
    static Map<String, Double> measure(String python, List<int[]> cases, int threads, double budget) {
        Map<String, Double> out = new HashMap<>();
        if (cases.isEmpty()) {
            return out;
        }
        Path script = null;
        try (InputStream in = NumpyReference.class.getResourceAsStream("bench/numpy_reference.py")) {
            if (in == null) {
                return out;
            }
            script = Files.createTempFile("cdln-numpy-reference", ".py");
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            StringBuilder spec = new StringBuilder();
            for (int[] c : cases) {
                spec.append(spec.length() == 0 ? "" : ",").append(c[0]).append(':').append(c[1]);
            }
            ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--cases", spec.toString(),
                    "--budget", String.valueOf(budget)).redirectErrorStream(true);
            pb.environment().put("OPENBLAS_NUM_THREADS", String.valueOf(threads));
            pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
            Process pr = pb.start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(pr.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length == 3) {
                        try {
                            out.put(f[0] + ":" + f[1], Double.parseDouble(f[2]));
                        } catch (NumberFormatException e) {
                            // a warning line of python's, not a result
                        }
                    }
                }
            }
            if (!pr.waitFor(10, TimeUnit.MINUTES)) {
                pr.destroyForcibly();
            }
        } catch (IOException e) {
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (script != null) {
                try {
                    Files.deleteIfExists(script);
                } catch (IOException ignored) {
                    // a temporary file left behind
                }
            }
        }
        return out;
    }
}

package org.cdln.cli.report;

import org.cdln.linalg.LinearAlgebra;

/**
 * The "backend: …" line of the commands' headers (reproduce, theorem, mlp, movielens, bench), so
 * that a run's times can be told apart by what computed them: the BLAS/LAPACK backend, its
 * threads, and for native OpenBLAS the {@code OPENBLAS_CORETYPE} setting. A run on the pure-Java
 * BLAS gets a second line saying so and how to install the native library: its dense products
 * run several times slower.
 */
public final class BackendLine {
    private BackendLine() {
    }

    /**
     * "native OpenBLAS (libopenblasp-r0.3.21.so) / native LAPACK, 1 OpenBLAS thread,
     * OPENBLAS_CORETYPE=Haswell": {@link LinearAlgebra#description()}, its threads, and for a
     * native backend the kernel setting.
     */
    public static String describe(LinearAlgebra la) {
        String d = la.description() + ", " + la.threadingDescription();
        if (!la.isNative()) {
            return d;
        }
        String coretype = openblasCoretype();
        return d + (coretype != null ? ", OPENBLAS_CORETYPE=" + coretype
                : ", OPENBLAS_CORETYPE unset (kernels for this CPU)");
    }

    /** "backend: " + {@link #describe}, and the {@link #javaBlasNote} on a line of its own where there is one. */
    public static String line(LinearAlgebra la) {
        return line(la, "");
    }

    /**
     * The {@link #line} with {@code details} after the description (e.g. "; load average 0.5 …"),
     * the note, if any, still on its own line.
     */
    public static String line(LinearAlgebra la, String details) {
        String note = javaBlasNote(la);
        return "backend: " + describe(la) + details + (note != null ? "\n" + note : "");
    }

    /**
     * A line saying that no native BLAS was loaded (null when one was): then dgemm and every
     * dense product run in Java, 3–4× slower than OpenBLAS on one core, and the times and the
     * measured path choices are not those of a machine with the native library.
     */
    public static String javaBlasNote(LinearAlgebra la) {
        return la.isNative() ? null
                : "note: no native BLAS was found, so every dense product runs in Java (several times slower than"
                        + " OpenBLAS); install it (Debian: apt-get install libopenblas0) for the native backend";
    }

    /**
     * The OPENBLAS_CORETYPE setting, or null when unset: OpenBLAS then runs the kernels it picks for
     * the CPU (AVX-512 ones on an AVX-512 machine: dgemm 64–70 GFLOP/s on one thread of an Ice Lake
     * guest against 46–48 with OPENBLAS_CORETYPE=Haswell), so runs with and without it are not comparable.
     */
    public static String openblasCoretype() {
        String v = System.getenv("OPENBLAS_CORETYPE");
        return v == null || v.isBlank() ? null : v.trim();
    }
}

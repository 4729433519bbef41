package org.cdln.cli;

import org.cdln.linalg.LinearAlgebra;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --threads N}, declared once for every command that computes (a picocli mixin). The value
 * is checked and applied here, at parse time: {@link LinearAlgebra#setThreads} sets cdln's threads
 * in this process (its thread pool and the split of large products), and {@link Main#execute}
 * restores the previous setting when the command ends. No second JVM is started.
 *
 * <p>Native OpenBLAS reads its own thread count ({@code OPENBLAS_NUM_THREADS}) once, when the
 * library loads, and neither netlib's JNI binding nor Java 17 offers a way to change it later.
 * The launcher {@code ./cdln} therefore starts the JVM with {@code OPENBLAS_NUM_THREADS=1} unless
 * the user set it: OpenBLAS runs one thread and N are all the threads. Where OpenBLAS was started
 * with more, cdln does not split products over its own threads (the two would compete) and this
 * option says so on the error stream.
 */
public final class ThreadsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private Integer threads;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads (default: all cores): OpenBLAS runs one, cdln splits large products over N.")
    void setThreads(int n) {
        if (n < 1) {
            throw new ParameterException(mixee.commandLine(), "--threads must be ≥ 1, got " + n);
        }
        threads = n;
        LinearAlgebra.setThreads(n);
        int blas = LinearAlgebra.blasThreads();
        if (blas != 1) {
            mixee.commandLine().getErr().println("cdln: note: native OpenBLAS (if installed) runs its own " + blas
                    + " threads, fixed when it loads; --threads " + n + " sets cdln's; start with "
                    + "OPENBLAS_NUM_THREADS=1 (as ./cdln does) for " + n + " in all");
        }
    }

    /** The requested thread count, or null when the flag was not given. */
    public Integer threads() {
        return threads;
    }
}

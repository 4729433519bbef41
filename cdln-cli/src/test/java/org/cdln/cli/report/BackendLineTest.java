package org.cdln.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.cdln.linalg.LinearAlgebra;
import org.junit.jupiter.api.Test;

/** The backend line of every command's header: what computed the times, and a note on the Java BLAS. */
class BackendLineTest {

    @Test
    void theJavaBackendGetsOneLineSayingHowToInstallOpenBlas() {
        LinearAlgebra java = LinearAlgebra.java();
        String note = BackendLine.javaBlasNote(java);
        assertTrue(note != null && note.contains("apt-get install libopenblas0") && note.lines().count() == 1, note);
        assertEquals("backend: " + java.description() + ", " + java.threadingDescription() + "\n" + note,
                BackendLine.line(java));
        assertTrue(!BackendLine.describe(java).contains("OPENBLAS_CORETYPE"), "the Java BLAS has no OpenBLAS kernels");
        // details go after the description, the note stays on its own line
        assertEquals("backend: " + BackendLine.describe(java) + "; load average 0.5\n" + note,
                BackendLine.line(java, "; load average 0.5"));
    }

    @Test
    void aNativeBackendNamesItsThreadsAndKernelSettingAndGetsNoNote() {
        LinearAlgebra la = LinearAlgebra.nativeBackend().orElse(null);
        assumeTrue(la != null, "no native BLAS on this machine (Debian: apt-get install libopenblas0)");
        assertNull(BackendLine.javaBlasNote(la));
        String coretype = BackendLine.openblasCoretype();
        assertEquals("backend: " + la.description() + ", " + la.threadingDescription()
                + (coretype != null ? ", OPENBLAS_CORETYPE=" + coretype : ", OPENBLAS_CORETYPE unset (kernels for this CPU)"),
                BackendLine.line(la));
    }
}

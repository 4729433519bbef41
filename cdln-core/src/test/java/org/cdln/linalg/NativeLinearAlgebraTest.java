package org.cdln.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The conformance suite on the native BLAS/LAPACK backend; skipped where none can be loaded. */
class NativeLinearAlgebraTest extends LinearAlgebraConformance {
    private static final Optional<LinearAlgebra> LA = LinearAlgebra.nativeBackend();

    @BeforeAll
    static void requireNative() {
        Assumptions.assumeTrue(LA.isPresent(), "no native BLAS/LAPACK on this machine");
    }

    @Override
    LinearAlgebra backend() {
        return LA.orElseThrow();
    }

    @Test
    void reportsItselfAsNative() {
        assertTrue(backend().isNative(), backend().description());
    }
}

package org.cdln.linalg;

/** The conformance suite on the pure-Java backend (always available). */
class JavaLinearAlgebraTest extends LinearAlgebraConformance {
    private static final LinearAlgebra LA = LinearAlgebra.java();

    @Override
    LinearAlgebra backend() {
        return LA;
    }
}

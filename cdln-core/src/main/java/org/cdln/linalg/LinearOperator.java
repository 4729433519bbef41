package org.cdln.linalg;

/**
 * A real m×n matrix known through its products with dense blocks, e.g. a sparse surrogate or a
 * sum of measurement matrices. Used where only a few singular vectors are needed.
 */
public interface LinearOperator {
    /** m. */
    int rows();

    /** n. */
    int cols();

    /** out ← S·B for B n×k; out (m×k) is modified. */
    void apply(Matrix b, Matrix out);

    /** out ← Sᵀ·B for B m×k; out (n×k) is modified. */
    void applyTranspose(Matrix b, Matrix out);

    /** The operator as a dense matrix; may be refused (IllegalStateException) when too large. */
    Matrix toDense();

    /** A dense matrix seen as an operator (no copy). */
    static LinearOperator of(Matrix s, LinearAlgebra la) {
        return new LinearOperator() {
            @Override
            public int rows() {
                return s.rows();
            }

            @Override
            public int cols() {
                return s.cols();
            }

            @Override
            public void apply(Matrix b, Matrix out) {
                la.gemm(false, false, 1.0, s, b, 0.0, out);
            }

            @Override
            public void applyTranspose(Matrix b, Matrix out) {
                la.gemm(true, false, 1.0, s, b, 0.0, out);
            }

            @Override
            public Matrix toDense() {
                return s;
            }
        };
    }
}

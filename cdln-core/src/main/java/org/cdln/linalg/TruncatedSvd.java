package org.cdln.linalg;

/**
 * The leading k singular triplets of a matrix or operator.
 *
 * <p>Small operators (at most {@link #DENSE_LIMIT} entries) are densified and decomposed exactly
 * with LAPACK. Larger ones use randomized subspace iteration (Halko, Martinsson, Tropp 2011,
 * Alg. 4.4): Q ← orth(S·Ω), then q rounds of Q ← orth(S·orth(Sᵀ·Q)), and the SVD of the small
 * (k+p)×n matrix QᵀS. Cost O((q+1)·(k+p)·cost(S·B)) plus O(n·(k+p)²).
 */
public final class TruncatedSvd {
    /** Operators with at most this many entries are decomposed densely. */
    public static final long DENSE_LIMIT = 4_000_000L;

    private TruncatedSvd() {
    }

    /**
     * Leading k triplets of s. Exact for small operators; randomized (oversampling 10, 8 power
     * iterations, seeded by rng) for large ones.
     */
    public static Svd of(LinearOperator s, int k, LinearAlgebra la, Rng rng) {
        int m = s.rows();
        int n = s.cols();
        if (k < 0 || k > Math.min(m, n)) {
            throw new IllegalArgumentException("cannot take " + k + " singular triplets of a " + m + "×" + n
                    + " matrix; the rank-hat must lie in [1, " + Math.min(m, n) + "]");
        }
        if ((long) m * n <= DENSE_LIMIT) {
            return la.svd(s.toDense()).truncate(k);
        }
        return randomized(s, k, 10, 8, la, rng);
    }

    /** Randomized subspace iteration with the given oversampling and power iterations. */
    public static Svd randomized(LinearOperator s, int k, int oversample, int powerIterations,
                                 LinearAlgebra la, Rng rng) {
        int m = s.rows();
        int n = s.cols();
        int l = Math.min(Math.min(m, n), k + oversample);
        Matrix omega = rng.gaussianMatrix(n, l, 1.0);
        Matrix y = new Matrix(m, l);
        s.apply(omega, y);
        Matrix q = la.qr(y).q();
        Matrix z = new Matrix(n, l);
        for (int it = 0; it < powerIterations; it++) {
            s.applyTranspose(q, z);
            Matrix qz = la.qr(z).q();
            s.apply(qz, y);
            q = la.qr(y).q();
        }
        // B = QᵀS (l×n) = (SᵀQ)ᵀ
        s.applyTranspose(q, z);
        Matrix b = z.transpose();
        Svd small = la.svd(b);
        Matrix u = la.multiply(q, small.u());
        return new Svd(u, small.s(), small.vt()).truncate(k);
    }
}

package org.cdln;

import java.util.Arrays;
import java.util.Random;
import org.cdln.linalg.Matrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Test helpers: conversions to and from EJML (the independent oracle for expected values) and
 * scale-safe comparisons. Nothing here calls the code under test except {@link Matrix}'s storage
 * accessors.
 */
public final class Oracle {
    private Oracle() {
    }

    /** A copy of m as an EJML row-major matrix. */
    public static DMatrixRMaj ejml(Matrix m) {
        DMatrixRMaj e = new DMatrixRMaj(m.rows(), m.cols());
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                e.set(i, j, m.get(i, j));
            }
        }
        return e;
    }

    /** A copy of an EJML matrix as a cdln matrix. */
    public static Matrix cdln(DMatrixRMaj e) {
        Matrix m = new Matrix(e.numRows, e.numCols);
        for (int i = 0; i < e.numRows; i++) {
            for (int j = 0; j < e.numCols; j++) {
                m.set(i, j, e.get(i, j));
            }
        }
        return m;
    }

    /** A·B by EJML. */
    public static Matrix times(Matrix a, Matrix b) {
        DMatrixRMaj c = new DMatrixRMaj(a.rows(), b.cols());
        CommonOps_DDRM.mult(ejml(a), ejml(b), c);
        return cdln(c);
    }

    /** Aᵀ by hand. */
    public static Matrix transpose(Matrix a) {
        Matrix t = new Matrix(a.cols(), a.rows());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                t.set(j, i, a.get(i, j));
            }
        }
        return t;
    }

    /** A rows×cols matrix of N(0, 1) entries from java.util.Random (independent of cdln's Rng). */
    public static Matrix gaussian(int rows, int cols, long seed) {
        Random r = new Random(seed);
        Matrix m = new Matrix(rows, cols);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                m.set(i, j, r.nextGaussian());
            }
        }
        return m;
    }

    /** The singular values of m, non-increasing, by EJML. Empty for an empty matrix. */
    public static double[] singularValues(Matrix m) {
        if (m.rows() == 0 || m.cols() == 0) {
            return new double[0];
        }
        double[] s = SingularOps_DDRM.singularValues(ejml(m));
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        double[] desc = new double[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            desc[i] = sorted[sorted.length - 1 - i];
        }
        return desc;
    }

    /**
     * The projector onto the leading k singular pairs of m, U_k·V_kᵀ (m.rows×m.cols), by EJML.
     * It is unique (sign-free) when σ_k &gt; σ_(k+1).
     */
    public static Matrix leadingSingularProjector(Matrix m, int k) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m.rows(), m.cols(),
                true, true, true);
        if (!svd.decompose(ejml(m))) {
            throw new AssertionError("EJML SVD failed");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        Matrix out = new Matrix(m.rows(), m.cols());
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    out.set(i, j, out.get(i, j) + u.get(i, c) * v.get(j, c));
                }
            }
        }
        return out;
    }

    /** max |a − b| over entries; shapes must agree. */
    public static double maxAbsDiff(Matrix a, Matrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new AssertionError("shapes differ: " + a.shape() + " vs " + b.shape());
        }
        double m = 0.0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m = Math.max(m, Math.abs(a.get(i, j) - b.get(i, j)));
            }
        }
        return m;
    }

    /** max |a_ij| (no squares, so safe at any scale). */
    public static double maxAbs(Matrix a) {
        double m = 0.0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                m = Math.max(m, Math.abs(a.get(i, j)));
            }
        }
        return m;
    }

    /** ‖a − b‖_F / ‖b‖_F computed by hand. */
    public static double relativeFrobenius(Matrix a, Matrix b) {
        double num = 0.0;
        double den = 0.0;
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                double d = a.get(i, j) - b.get(i, j);
                num += d * d;
                den += b.get(i, j) * b.get(i, j);
            }
        }
        return Math.sqrt(num) / Math.sqrt(den);
    }
}

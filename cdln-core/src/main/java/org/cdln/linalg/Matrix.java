package org.cdln.linalg;

import java.util.Arrays;

/**
 * A dense real matrix stored in column-major order, the layout BLAS and LAPACK expect.
 *
 * <p>Entry (i, j) lives at {@code data[i + j * rows]}. The backing array is exposed through
 * {@link #data()} so that kernels can run without copies; methods whose name ends in
 * {@code InPlace} modify this matrix, every other method leaves its arguments unchanged.
 * Memory: 8·rows·cols bytes.
 */
public final class Matrix {
    /** Largest number of entries a Java array can hold safely. */
    public static final long MAX_ENTRIES = Integer.MAX_VALUE - 8L;

    private final int rows;
    private final int cols;
    private final double[] data;

    /** A rows×cols matrix of zeros. */
    public Matrix(int rows, int cols) {
        this(rows, cols, new double[checkedSize(rows, cols)]);
    }

    private Matrix(int rows, int cols, double[] data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
    }

    private static int checkedSize(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(
                    "matrix shape must be non-negative, got " + rows + "×" + cols);
        }
        long n = (long) rows * cols;
        if (n > MAX_ENTRIES) {
            throw new IllegalArgumentException("a " + rows + "×" + cols + " dense matrix has " + n
                    + " entries, more than a Java array holds (" + MAX_ENTRIES
                    + "); use a sparse or factored representation");
        }
        return (int) n;
    }

    /**
     * Wraps a column-major array without copying; later changes to the array show in the matrix.
     *
     * @throws IllegalArgumentException if {@code data.length != rows * cols}
     */
    public static Matrix wrap(int rows, int cols, double[] columnMajor) {
        int n = checkedSize(rows, cols);
        if (columnMajor.length != n) {
            throw new IllegalArgumentException("array of length " + columnMajor.length
                    + " cannot back a " + rows + "×" + cols + " matrix (needs " + n + ")");
        }
        return new Matrix(rows, cols, columnMajor);
    }

    /** A matrix from row arrays (copied); all rows must have the same length. */
    public static Matrix ofRows(double[]... rowArrays) {
        int r = rowArrays.length;
        int c = r == 0 ? 0 : rowArrays[0].length;
        Matrix m = new Matrix(r, c);
        for (int i = 0; i < r; i++) {
            if (rowArrays[i].length != c) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + rowArrays[i].length + " entries, expected " + c);
            }
            for (int j = 0; j < c; j++) {
                m.data[i + j * r] = rowArrays[i][j];
            }
        }
        return m;
    }

    /** The n×n identity. */
    public static Matrix identity(int n) {
        Matrix m = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            m.data[i + i * n] = 1.0;
        }
        return m;
    }

    /** The square matrix diag(d). */
    public static Matrix diagonal(double[] d) {
        Matrix m = new Matrix(d.length, d.length);
        for (int i = 0; i < d.length; i++) {
            m.data[i + i * d.length] = d[i];
        }
        return m;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Number of entries, rows·cols. */
    public int size() {
        return data.length;
    }

    /** The backing column-major array (not a copy). */
    public double[] data() {
        return data;
    }

    public double get(int i, int j) {
        return data[i + j * rows];
    }

    /** Sets entry (i, j); modifies this matrix. */
    public void set(int i, int j, double v) {
        data[i + j * rows] = v;
    }

    /** A deep copy. */
    public Matrix copy() {
        return new Matrix(rows, cols, data.clone());
    }

    /** this ← src; modifies this matrix. Shapes must agree. */
    public void copyFrom(Matrix src) {
        requireSameShape(src, "copyFrom");
        System.arraycopy(src.data, 0, data, 0, data.length);
    }

    /** Sets every entry to v; modifies this matrix. */
    public void fill(double v) {
        Arrays.fill(data, v);
    }

    /** A new matrix Aᵀ. O(rows·cols). */
    public Matrix transpose() {
        Matrix t = new Matrix(cols, rows);
        transposeInto(t);
        return t;
    }

    /** out ← thisᵀ; out must be cols×rows and is modified. Blocked for cache reuse. */
    public void transposeInto(Matrix out) {
        if (out.rows != cols || out.cols != rows) {
            throw new IllegalArgumentException("transposeInto: out is " + out.shape()
                    + ", needs " + cols + "×" + rows);
        }
        transpose(data, rows, cols, out.data);
    }

    /**
     * dst (cols×rows column-major) ← srcᵀ for src rows×cols column-major, both at offset 0 (dst
     * may be longer). Blocked for cache reuse. O(rows·cols).
     */
    static void transpose(double[] src, int rows, int cols, double[] dst) {
        final int b = 32;
        for (int j0 = 0; j0 < cols; j0 += b) {
            int j1 = Math.min(cols, j0 + b);
            for (int i0 = 0; i0 < rows; i0 += b) {
                int i1 = Math.min(rows, i0 + b);
                for (int j = j0; j < j1; j++) {
                    int from = j * rows;
                    for (int i = i0; i < i1; i++) {
                        dst[j + i * cols] = src[from + i];
                    }
                }
            }
        }
    }

    /** this ← a·this; modifies this matrix. */
    public void scaleInPlace(double a) {
        for (int k = 0; k < data.length; k++) {
            data[k] *= a;
        }
    }

    /** this ← this + a·x (axpy); modifies this matrix. */
    public void addScaledInPlace(double a, Matrix x) {
        requireSameShape(x, "addScaledInPlace");
        double[] xd = x.data;
        for (int k = 0; k < data.length; k++) {
            data[k] += a * xd[k];
        }
    }

    /** A new matrix this − x. */
    public Matrix minus(Matrix x) {
        Matrix out = copy();
        out.addScaledInPlace(-1.0, x);
        return out;
    }

    /** A new matrix a·this. */
    public Matrix times(double a) {
        Matrix out = copy();
        out.scaleInPlace(a);
        return out;
    }

    /** ‖A‖_F, computed with scaling so that it neither overflows nor underflows. */
    public double frobeniusNorm() {
        double scale = 0.0;
        double ssq = 1.0;
        for (double v : data) {
            if (v != 0.0) {
                double a = Math.abs(v);
                if (scale < a) {
                    ssq = 1.0 + ssq * (scale / a) * (scale / a);
                    scale = a;
                } else {
                    ssq += (a / scale) * (a / scale);
                }
            }
        }
        return scale * Math.sqrt(ssq);
    }

    /** ‖this − x‖_F. */
    public double distance(Matrix x) {
        requireSameShape(x, "distance");
        double s = 0.0;
        for (int k = 0; k < data.length; k++) {
            double d = data[k] - x.data[k];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** Largest |entry|, 0 for an empty matrix. */
    public double maxAbs() {
        double m = 0.0;
        for (double v : data) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** True when every entry is finite. */
    public boolean isFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** A copy of columns [from, to). */
    public Matrix columns(int from, int to) {
        if (from < 0 || to > cols || from > to) {
            throw new IllegalArgumentException("columns [" + from + ", " + to + ") out of range for "
                    + shape());
        }
        Matrix m = new Matrix(rows, to - from);
        System.arraycopy(data, from * rows, m.data, 0, (to - from) * rows);
        return m;
    }

    /** A copy of rows [from, to). */
    public Matrix rowRange(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") out of range for "
                    + shape());
        }
        int n = to - from;
        Matrix m = new Matrix(n, cols);
        for (int j = 0; j < cols; j++) {
            System.arraycopy(data, from + j * rows, m.data, j * n, n);
        }
        return m;
    }

    /** A copy of the entries with the given column indices, in that order. */
    public Matrix selectColumns(int[] idx) {
        Matrix m = new Matrix(rows, idx.length);
        for (int k = 0; k < idx.length; k++) {
            System.arraycopy(data, idx[k] * rows, m.data, k * rows, rows);
        }
        return m;
    }

    /** Row i as a new array. */
    public double[] row(int i) {
        double[] r = new double[cols];
        for (int j = 0; j < cols; j++) {
            r[j] = data[i + j * rows];
        }
        return r;
    }

    /** Column j as a new array. */
    public double[] column(int j) {
        return Arrays.copyOfRange(data, j * rows, (j + 1) * rows);
    }

    /** The entries as row arrays (a copy). */
    public double[][] toRowArrays() {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = data[i + j * rows];
            }
        }
        return out;
    }

    /** "rows×cols". */
    public String shape() {
        return rows + "×" + cols;
    }

    /** True when shapes agree. */
    public boolean sameShape(Matrix o) {
        return rows == o.rows && cols == o.cols;
    }

    private void requireSameShape(Matrix o, String op) {
        if (!sameShape(o)) {
            throw new IllegalArgumentException(op + ": shapes differ, " + shape() + " vs " + o.shape());
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Matrix ").append(shape());
        if (data.length <= 36) {
            for (int i = 0; i < rows; i++) {
                sb.append(i == 0 ? " [" : "; ");
                for (int j = 0; j < cols; j++) {
                    sb.append(j == 0 ? "" : ", ").append(String.format("%.4g", get(i, j)));
                }
            }
            if (rows > 0) {
                sb.append(']');
            }
        }
        return sb.toString();
    }
}

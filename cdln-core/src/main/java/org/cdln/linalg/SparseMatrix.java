package org.cdln.linalg;

import java.util.Arrays;

/**
 * An immutable m×n sparse matrix in compressed sparse row form (CSR), entries sorted by row and
 * then by column. Products with dense blocks cost O(nnz·k).
 */
public final class SparseMatrix implements LinearOperator {
    private final int rows;
    private final int cols;
    private final int[] rowPtr;
    private final int[] colIdx;
    private final double[] values;

    private SparseMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, double[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
    }

    /**
     * Builds a CSR matrix from coordinates (copied). Duplicate coordinates are rejected.
     * Cost O(nnz + rows) plus sorting the columns within each row: a counting sort by row, so
     * that 10⁷ entries build in well under a second without boxing.
     *
     * @throws IllegalArgumentException on an index out of range or a duplicate (i, j)
     */
    public static SparseMatrix fromCoordinates(int rows, int cols, int[] i, int[] j, double[] v) {
        if (i.length != j.length || i.length != v.length) {
            throw new IllegalArgumentException("coordinate arrays differ in length: " + i.length + ", "
                    + j.length + ", " + v.length);
        }
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("sparse matrix shape must be non-negative, got " + rows + "×" + cols);
        }
        int nnz = i.length;
        int[] rowPtr = new int[rows + 1];
        for (int k = 0; k < nnz; k++) {
            if (i[k] < 0 || i[k] >= rows || j[k] < 0 || j[k] >= cols) {
                throw new IllegalArgumentException("entry " + k + " at (" + i[k] + ", " + j[k]
                        + ") lies outside a " + rows + "×" + cols + " matrix");
            }
            rowPtr[i[k] + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            rowPtr[r + 1] += rowPtr[r];
        }
        int[] next = java.util.Arrays.copyOf(rowPtr, rows);
        int[] colIdx = new int[nnz];
        double[] values = new double[nnz];
        for (int k = 0; k < nnz; k++) {
            int at = next[i[k]]++;
            colIdx[at] = j[k];
            values[at] = v[k];
        }
        long[] keys = null;
        for (int r = 0; r < rows; r++) {
            int from = rowPtr[r];
            int to = rowPtr[r + 1];
            boolean sorted = true;
            for (int e = from + 1; e < to && sorted; e++) {
                sorted = colIdx[e] > colIdx[e - 1];
            }
            if (sorted) {
                continue;
            }
            int n = to - from;
            if (keys == null || keys.length < n) {
                keys = new long[Math.max(n, 16)];
            }
            double[] vals = java.util.Arrays.copyOfRange(values, from, to);
            for (int e = 0; e < n; e++) {
                keys[e] = ((long) colIdx[from + e] << 32) | e;
            }
            java.util.Arrays.sort(keys, 0, n);
            for (int e = 0; e < n; e++) {
                colIdx[from + e] = (int) (keys[e] >>> 32);
                values[from + e] = vals[(int) keys[e]];
                if (e > 0 && colIdx[from + e] == colIdx[from + e - 1]) {
                    throw new IllegalArgumentException("duplicate entry at (" + r + ", " + colIdx[from + e] + ")");
                }
            }
        }
        return new SparseMatrix(rows, cols, rowPtr, colIdx, values);
    }

    /**
     * Wraps CSR arrays without copying (the caller hands them over and must not change them).
     * Cost O(nnz + rows) for the checks.
     *
     * @param rowPtr length rows+1, non-decreasing, from 0 to nnz
     * @param colIdx column of each entry, strictly increasing within a row, in [0, cols)
     * @param values value of each entry
     * @throws IllegalArgumentException when the arrays do not describe a valid CSR matrix
     */
    public static SparseMatrix fromCsr(int rows, int cols, int[] rowPtr, int[] colIdx, double[] values) {
        if (rows < 0 || cols < 0 || rowPtr.length != rows + 1 || colIdx.length != values.length
                || rowPtr[0] != 0 || rowPtr[rows] != values.length) {
            throw new IllegalArgumentException("CSR arrays do not describe a " + rows + "×" + cols
                    + " matrix: row pointers " + rowPtr.length + " (need rows+1, from 0 to nnz), "
                    + colIdx.length + " column indices, " + values.length + " values");
        }
        for (int r = 0; r < rows; r++) {
            if (rowPtr[r + 1] < rowPtr[r]) {
                throw new IllegalArgumentException("CSR row pointers decrease at row " + r);
            }
            for (int e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
                int c = colIdx[e];
                if (c < 0 || c >= cols || (e > rowPtr[r] && c <= colIdx[e - 1])) {
                    throw new IllegalArgumentException("CSR column " + c + " in row " + r
                            + " is out of [0, " + cols + ") or not strictly increasing");
                }
            }
        }
        return new SparseMatrix(rows, cols, rowPtr, colIdx, values);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** Number of stored entries. */
    public int nonZeros() {
        return values.length;
    }

    /** Row pointers (length rows+1); not a copy, do not modify. */
    public int[] rowPointers() {
        return rowPtr;
    }

    /** Column index of each stored entry; not a copy, do not modify. */
    public int[] columnIndices() {
        return colIdx;
    }

    /** Value of each stored entry; not a copy, do not modify. */
    public double[] values() {
        return values;
    }

    /** A new matrix with every value multiplied by a. */
    public SparseMatrix times(double a) {
        double[] v = values.clone();
        for (int k = 0; k < v.length; k++) {
            v[k] *= a;
        }
        return new SparseMatrix(rows, cols, rowPtr, colIdx, v);
    }

    /**
     * out ← S·B, B cols×k, out rows×k (column-major). O(nnz·k). B is read through a row-major
     * copy (cols·k extra doubles) so that each stored entry does one contiguous k-long axpy; rows
     * are split over the {@link Parallel} pool.
     */
    @Override
    public void apply(Matrix b, Matrix out) {
        if (b.rows() != cols || out.rows() != rows || out.cols() != b.cols()) {
            throw new IllegalArgumentException("sparse apply: S " + rows + "×" + cols + " · B " + b.shape()
                    + " cannot fill " + out.shape());
        }
        int k = b.cols();
        Matrix bt = b.transpose();                  // k×cols: column j of bt is row j of B
        Matrix ot = new Matrix(k, rows);            // row i of the result, contiguous
        double[] bd = bt.data();
        double[] od = ot.data();
        Parallel.forRange(rows, (long) values.length * k, (from, to) -> {
            for (int i = from; i < to; i++) {
                int oi = i * k;
                for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                    double v = values[e];
                    int bj = colIdx[e] * k;
                    for (int c = 0; c < k; c++) {
                        od[oi + c] += v * bd[bj + c];
                    }
                }
            }
        });
        ot.transposeInto(out);
    }

    /**
     * out ← Sᵀ·B, B rows×k, out cols×k. O(nnz·k). Like {@link #apply}, through row-major copies;
     * with several threads each scatters into its own cols×k buffer, summed at the end.
     */
    @Override
    public void applyTranspose(Matrix b, Matrix out) {
        if (b.rows() != rows || out.rows() != cols || out.cols() != b.cols()) {
            throw new IllegalArgumentException("sparse applyTranspose: Sᵀ " + cols + "×" + rows + " · B "
                    + b.shape() + " cannot fill " + out.shape());
        }
        int k = b.cols();
        Matrix bt = b.transpose();                  // k×rows
        double[] bd = bt.data();
        int parts = Parallel.partsFor(rows, (long) values.length * k);
        double[][] partial = new double[parts][];
        Parallel.forParts(parts, rows, (part, from, to) -> {
            double[] od = new double[k * cols];
            partial[part] = od;
            for (int i = from; i < to; i++) {
                int bi = i * k;
                for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                    double v = values[e];
                    int oj = colIdx[e] * k;
                    for (int c = 0; c < k; c++) {
                        od[oj + c] += v * bd[bi + c];
                    }
                }
            }
        });
        double[] sum = partial[0];
        for (int p = 1; p < parts; p++) {
            double[] o = partial[p];
            for (int x = 0; x < sum.length; x++) {
                sum[x] += o[x];
            }
        }
        Matrix.wrap(k, cols, sum).transposeInto(out);
    }

    @Override
    public Matrix toDense() {
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                m.set(i, colIdx[e], values[e]);
            }
        }
        return m;
    }
}

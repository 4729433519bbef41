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
     *
     * @throws IllegalArgumentException on an index out of range or a duplicate (i, j)
     */
    public static SparseMatrix fromCoordinates(int rows, int cols, int[] i, int[] j, double[] v) {
        if (i.length != j.length || i.length != v.length) {
            throw new IllegalArgumentException("coordinate arrays differ in length: " + i.length + ", "
                    + j.length + ", " + v.length);
        }
        int nnz = i.length;
        Integer[] order = new Integer[nnz];
        for (int k = 0; k < nnz; k++) {
            if (i[k] < 0 || i[k] >= rows || j[k] < 0 || j[k] >= cols) {
                throw new IllegalArgumentException("entry " + k + " at (" + i[k] + ", " + j[k]
                        + ") lies outside a " + rows + "×" + cols + " matrix");
            }
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> i[a] != i[b] ? Integer.compare(i[a], i[b]) : Integer.compare(j[a], j[b]));
        int[] rowPtr = new int[rows + 1];
        int[] colIdx = new int[nnz];
        double[] values = new double[nnz];
        for (int k = 0; k < nnz; k++) {
            int o = order[k];
            if (k > 0 && i[o] == i[order[k - 1]] && j[o] == j[order[k - 1]]) {
                throw new IllegalArgumentException("duplicate entry at (" + i[o] + ", " + j[o] + ")");
            }
            rowPtr[i[o] + 1]++;
            colIdx[k] = j[o];
            values[k] = v[o];
        }
        for (int r = 0; r < rows; r++) {
            rowPtr[r + 1] += rowPtr[r];
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

    /** out ← S·B, B cols×k, out rows×k (column-major). O(nnz·k). */
    @Override
    public void apply(Matrix b, Matrix out) {
        if (b.rows() != cols || out.rows() != rows || out.cols() != b.cols()) {
            throw new IllegalArgumentException("sparse apply: S " + rows + "×" + cols + " · B " + b.shape()
                    + " cannot fill " + out.shape());
        }
        int k = b.cols();
        double[] bd = b.data();
        double[] od = out.data();
        out.fill(0.0);
        for (int i = 0; i < rows; i++) {
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                double v = values[e];
                int j = colIdx[e];
                for (int c = 0; c < k; c++) {
                    od[i + c * rows] += v * bd[j + c * cols];
                }
            }
        }
    }

    /** out ← Sᵀ·B, B rows×k, out cols×k. O(nnz·k). */
    @Override
    public void applyTranspose(Matrix b, Matrix out) {
        if (b.rows() != rows || out.rows() != cols || out.cols() != b.cols()) {
            throw new IllegalArgumentException("sparse applyTranspose: Sᵀ " + cols + "×" + rows + " · B "
                    + b.shape() + " cannot fill " + out.shape());
        }
        int k = b.cols();
        double[] bd = b.data();
        double[] od = out.data();
        out.fill(0.0);
        for (int i = 0; i < rows; i++) {
            for (int e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
                double v = values[e];
                int j = colIdx[e];
                for (int c = 0; c < k; c++) {
                    od[j + c * cols] += v * bd[i + c * rows];
                }
            }
        }
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

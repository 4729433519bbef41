package org.cdln.problem;

import org.cdln.linalg.Matrix;

/** Argument checks shared by the problems; messages name the value, the range and the fix. */
final class Validation {
    private Validation() {
    }

    static void requireInnerShapes(Problem p, Matrix left, Matrix right, int innerWidth) {
        if (left.rows() != p.rows() || right.cols() != p.cols() || left.cols() != innerWidth
                || right.rows() != innerWidth) {
            throw new IllegalArgumentException("evaluator for a " + p.rows() + "×" + p.cols() + " problem with inner width "
                    + innerWidth + " got left " + left.shape() + " and right " + right.shape());
        }
    }

    static void requirePositiveShape(int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("the target must be at least 1×1, got " + rows + "×" + cols);
        }
    }

    static void requireFinite(Matrix m, String what) {
        if (!m.isFinite()) {
            throw new IllegalArgumentException(what + " contains NaN or infinite entries; clean the data first");
        }
    }
}

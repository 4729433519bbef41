package org.cdln.train;

import java.util.Arrays;
import org.cdln.linalg.Matrix;

/**
 * The numbers of a recorder's state in a checkpoint ({@link StatefulListener}):
 * counts, values, arrays and matrices written one after another into a double[], read back in
 * the same order with every count checked against what is left, so that a damaged state is
 * refused with a message instead of read as something else. Counts and steps are exact as
 * doubles (below 2⁵³).
 */
public final class ListenerState {
    private ListenerState() {
    }

    /** Appends values; {@link #toArray()} gives the state. */
    public static final class Writer {
        private double[] data = new double[64];
        private int size;

        public Writer add(double v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, Math.max(16, data.length * 2));
            }
            data[size++] = v;
            return this;
        }

        /** The length, then the values. */
        public Writer array(double[] v) {
            add(v.length);
            return values(v);
        }

        private Writer values(double[] v) {
            if (data.length - size < v.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, size + v.length));
            }
            System.arraycopy(v, 0, data, size, v.length);
            size += v.length;
            return this;
        }

        /** Rows, columns, then the column-major entries. */
        public Writer matrix(Matrix m) {
            add(m.rows()).add(m.cols());
            return values(m.data());
        }

        public double[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /** Reads a state back in the order it was written; every failure names the recorder. */
    public static final class Reader {
        private final double[] data;
        private final String what;
        private int at;

        /** Reads {@code data}, the saved state of the named recorder (for messages). */
        public Reader(double[] data, String what) {
            this.data = data;
            this.what = what;
        }

        public double next() {
            if (at >= data.length) {
                throw bad("it ends early");
            }
            return data[at++];
        }

        /** A whole number in [lo, hi]. */
        public long whole(long lo, long hi, String name) {
            double v = next();
            if (!(v >= lo && v <= hi) || v != Math.rint(v)) {
                throw bad(name + " " + v + " is not a whole number in [" + lo + ", " + hi + "]");
            }
            return (long) v;
        }

        /** A count of items of at least {@code perItem} values each, bounded by what is left. */
        public int count(int perItem, String name) {
            return (int) whole(0, (data.length - at) / Math.max(1, perItem), name);
        }

        public double[] array(String name) {
            int n = count(1, "the length of " + name);
            double[] v = Arrays.copyOfRange(data, at, at + n);
            at += n;
            return v;
        }

        public Matrix matrix(String name) {
            int rows = (int) whole(1, Integer.MAX_VALUE, "the rows of " + name);
            int cols = (int) whole(1, Integer.MAX_VALUE, "the columns of " + name);
            if ((long) rows * cols > data.length - at) {
                throw bad(name + " of " + rows + "×" + cols + " does not fit in what is left");
            }
            double[] v = Arrays.copyOfRange(data, at, at + rows * cols);
            at += rows * cols;
            return Matrix.wrap(rows, cols, v);
        }

        /** Checks that everything was read. */
        public void end() {
            if (at != data.length) {
                throw bad("it has " + (data.length - at) + " values too many");
            }
        }

        public IllegalArgumentException bad(String why) {
            return new IllegalArgumentException("the saved state of the " + what + " is damaged: " + why
                    + "; delete the checkpoint and start afresh");
        }
    }
}

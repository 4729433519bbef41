package org.cdln.linalg;

import java.util.Locale;

/**
 * Refuses, before anything is allocated, a run whose estimated memory exceeds what the Java heap
 * can still give — one line naming the estimate, the heap and what to change — instead of an
 * {@code OutOfMemoryError} after minutes of work. Estimates count the large arrays (8 bytes per
 * double, plus a fixed overhead per matrix) and deliberately leave out small ones, so they err on
 * the low side: a refused run would not have fitted, a run that passes may still be tight.
 */
public final class MemoryCheck {
    /** Bytes of a matrix object beyond its doubles (header, array header, fields). */
    public static final long MATRIX_OVERHEAD = 96;

    private MemoryCheck() {
    }

    /** Thrown when a run cannot fit; {@link #neededBytes()} says how much heap it would need. */
    public static final class InsufficientMemoryException extends IllegalArgumentException {
        private final long needed;

        InsufficientMemoryException(String message, long needed) {
            super(message);
            this.needed = needed;
        }

        /** The estimated bytes the run needs. */
        public long neededBytes() {
            return needed;
        }
    }

    /** Heap bytes the JVM can still allocate: the maximum heap minus what is in use now. */
    public static long availableBytes() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Bytes of {@code doubles} doubles, saturating instead of overflowing. */
    public static long doubles(double doubles) {
        double b = 8.0 * doubles;
        return b >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) b;
    }

    /**
     * Refuses when {@code bytes} exceed the available heap.
     *
     * @param what    what needs the memory, e.g. "the original network (3 layers of 20000×20000)"
     * @param smaller what to make smaller instead, in settings' words, e.g. "a smaller d"
     * @throws InsufficientMemoryException with the estimate, the heap and the fixes
     */
    public static void require(String what, long bytes, String smaller) {
        long available = availableBytes();
        if (bytes > available) {
            throw new InsufficientMemoryException(what + " needs about " + human(bytes) + " of memory, but the Java heap "
                    + "has " + human(available) + " free (maximum " + human(Runtime.getRuntime().maxMemory())
                    + "); give Java more heap (-Xmx" + suggestXmx(bytes) + "), or " + smaller, bytes);
        }
    }

    /** A heap size that would hold {@code bytes} with room to spare, as an -Xmx value. */
    public static String suggestXmx(long bytes) {
        double gib = Math.ceil(1.5 * bytes / (1024.0 * 1024 * 1024) + 1);
        return gib > 1e6 ? "far more than any machine has" : String.format(Locale.ROOT, "%.0fg", gib);
    }

    /** Bytes as text: "3.2 GiB", "512 MiB", or "more than 8 EiB". */
    public static String human(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " bytes" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Doubles in a network of these widths (Σ n_l·n_(l−1)), as a double to survive huge sizes. */
    public static double networkDoubles(int[] widths) {
        double s = 0;
        for (int l = 1; l < widths.length; l++) {
            s += (double) widths[l] * widths[l - 1];
        }
        return s;
    }

    /**
     * Bytes that training a deep linear network of these widths holds: weights, gradients, the
     * optimiser's {@code optimizerArrays} arrays per layer, the prefix products of backprop and
     * the result's copy, with a fixed overhead per matrix.
     */
    public static long trainingBytes(double networkDoubles, int depth, int optimizerArrays) {
        double copies = 4 + optimizerArrays;
        double b = 8.0 * networkDoubles * copies + (double) MATRIX_OVERHEAD * depth * copies;
        return b >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) b;
    }
}

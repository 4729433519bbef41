package org.cdln.cli.ratings;

/** Checks of flag values with one-line messages naming the flag, the allowed range and the value. */
final class Flags {
    private Flags() {
    }

    static void positive(String flag, Double v) {
        if (v != null && !(v > 0.0 && Double.isFinite(v))) {
            throw new IllegalArgumentException(flag + " must be a finite number > 0, got " + v);
        }
    }

    static void nonNegative(String flag, Double v) {
        if (v != null && !(v >= 0.0 && Double.isFinite(v))) {
            throw new IllegalArgumentException(flag + " must be a finite number ≥ 0, got " + v);
        }
    }

    static void atLeast(String flag, Number v, long min) {
        if (v != null && v.longValue() < min) {
            throw new IllegalArgumentException(flag + " must be ≥ " + min + ", got " + v);
        }
    }

    static void inRange(String flag, Double v, double lo, double hi) {
        if (v != null && !(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(flag + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /** Runs a parser, prefixing its error with the flag name. */
    static <T> T parse(String flag, java.util.function.Supplier<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }
}

package org.cdln.spark;

/**
 * The seeded validation split of a fit without a validation column: a row is held out when a
 * hash of (seed, user id, item id) falls below the fraction, so the split does not depend on the
 * partitioning or the order of the rows. O(1) per row.
 */
final class ValidationSplit {
    private ValidationSplit() {
    }

    static boolean isValidation(long seed, String user, String item, double fraction) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h = mix(h ^ user.hashCode());
        h = mix(h ^ ((long) user.length() << 32));
        h = mix(h ^ item.hashCode());
        h = mix(h ^ ((long) item.length() << 32));
        double x = (h >>> 11) * 0x1.0p-53;
        return x < fraction;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

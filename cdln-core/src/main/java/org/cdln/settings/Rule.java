package org.cdln.settings;

import java.util.function.Predicate;

/**
 * What values a {@link Setting} allows: a test and the words that say it ("≥ 2", "a finite number
 * &gt; 0", "in [0.0, 0.5]"), which every validation message quotes.
 *
 * @param <T>  the value type
 * @param test true for an allowed value
 * @param text the allowed range in words, e.g. "≥ 1"
 */
public record Rule<T>(Predicate<T> test, String text) {
    /** Any value of the type. */
    public static <T> Rule<T> any(String text) {
        return new Rule<>(v -> true, text);
    }

    /** A whole number ≥ min. */
    public static <T extends Number> Rule<T> atLeast(long min) {
        return new Rule<>(v -> v.longValue() >= min, "≥ " + min);
    }

    /** A whole number in [min, max]. */
    public static <T extends Number> Rule<T> between(long min, long max) {
        return new Rule<>(v -> v.longValue() >= min && v.longValue() <= max, "in [" + min + ", " + max + "]");
    }

    /** A fraction in (0, 1]. */
    public static Rule<Double> fraction() {
        return new Rule<>(v -> v > 0.0 && v <= 1.0, "in (0, 1]");
    }

    /** A finite number &gt; 0. */
    public static Rule<Double> positive() {
        return new Rule<>(v -> v > 0.0 && Double.isFinite(v), "a finite number > 0");
    }

    /** A finite number ≥ 0. */
    public static Rule<Double> nonNegative() {
        return new Rule<>(v -> v >= 0.0 && Double.isFinite(v), "a finite number ≥ 0");
    }

    /** A number in [lo, hi]. */
    public static Rule<Double> inRange(double lo, double hi) {
        return new Rule<>(v -> v >= lo && v <= hi, "in [" + lo + ", " + hi + "]");
    }

    /** Whether {@code v} is allowed. */
    public boolean allows(T v) {
        return v != null && test.test(v);
    }
}

package org.cdln.recommend;

import java.util.Locale;

/**
 * What a model predicts for a (user, item) pair it cannot score from its factors: the user or the
 * item is unknown to the model, or had no rating in the data it was fitted on (a "cold" user or
 * item). The counterpart of Spark ALS's {@code coldStartStrategy}, with a useful default.
 *
 * <ul>
 *   <li>{@link #BASELINE} (default): the part of the baseline that is known — μ + b_i for a cold
 *       user and a known item, μ + b_u for a known user and a cold item, μ when both are cold —
 *       clipped to the rating range like every prediction. Never NaN, so metrics stay finite.</li>
 *   <li>{@link #NAN}: NaN for the pair; a metric over a set that contains one is NaN (Spark's
 *       default behaviour, kept for comparison).</li>
 *   <li>{@link #DROP}: the pair is left out of metrics (counted, not silently).</li>
 * </ul>
 * A prediction-time setting: it is not stored in a model file.
 */
public enum ColdStart {
    /** μ + b_i, μ + b_u or μ, clipped. */
    BASELINE,
    /** NaN. */
    NAN,
    /** Left out of metrics. */
    DROP;

    /** The default strategy, {@link #BASELINE}. */
    public static final ColdStart DEFAULT = BASELINE;

    /** The setting's name in messages and provenance. */
    public static final String SETTING = "cold-start";

    /** The lower-case name: baseline, nan or drop. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses baseline, nan or drop (case-insensitive). */
    public static ColdStart parse(String s) {
        for (ColdStart c : values()) {
            if (c.name().equalsIgnoreCase(s.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException(SETTING + " strategy must be baseline, nan or drop, got '" + s + "'");
    }
}

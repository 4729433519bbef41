package org.cdln.recommend;

/**
 * What is subtracted from the ratings before the low-rank model is fitted to the rest (the
 * residuals), and added back at prediction time.
 */
public enum Centering {
    /** Fit the ratings themselves: r̂(u, i) = P_ui. */
    NONE,
    /** Subtract the global mean μ: r̂(u, i) = μ + P_ui. */
    MEAN,
    /**
     * Subtract μ and damped user and item biases: r̂(u, i) = μ + b_u + b_i + P_ui, with
     * b_i = Σ_u (r_ui − μ − b_u)/(n_i + λ_b) and b_u = Σ_i (r_ui − μ − b_i)/(n_u + λ_b) alternated.
     */
    BIASES;

    /** Parses none, mean or biases (case-insensitive). */
    public static Centering parse(String s) {
        for (Centering c : values()) {
            if (c.name().equalsIgnoreCase(s.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown centering '" + s + "'; use none, mean or biases");
    }
}

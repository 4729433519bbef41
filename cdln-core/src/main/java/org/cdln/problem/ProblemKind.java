package org.cdln.problem;

/** The three low-rank recovery problems cdln trains on; {@link #label()} is the name files and output use. */
public enum ProblemKind {
    /** Y observed in full: ℓ(P) = (1/(2·d1·d2))·‖P − Y‖²_F. */
    FACTORIZATION("factorization"),
    /** A fraction p of Y's entries observed: ℓ(P) = (1/(2|Ω|))·Σ_Ω (P_ij − Y_ij)². */
    COMPLETION("completion"),
    /** m linear measurements y_i = ⟨A_i, Y⟩: ℓ(P) = ½·Σ (⟨A_i, P⟩ − y_i)². */
    SENSING("sensing");

    private final String label;

    ProblemKind(String label) {
        this.label = label;
    }

    /** The lower-case name, e.g. "completion". */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}

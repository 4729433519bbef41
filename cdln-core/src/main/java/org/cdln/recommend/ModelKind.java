package org.cdln.recommend;

/** Which estimator fitted a {@link CompletionModel}; {@link #label()} is the name model files and output use. */
public enum ModelKind {
    /** The compressed deep linear network (the paper's C-DLN). */
    CDLN("c-dln"),
    /** The original, wide deep linear network. */
    DLN("dln"),
    /** Alternating ridge least squares. */
    ALTMIN("altmin");

    private final String label;

    ModelKind(String label) {
        this.label = label;
    }

    /** The name written to model files, e.g. "c-dln". */
    public String label() {
        return label;
    }

    /**
     * The kind whose {@link #label()} is {@code label}.
     *
     * @throws IllegalArgumentException naming the label and the known ones
     */
    public static ModelKind ofLabel(String label) {
        for (ModelKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model kind '" + label + "'; known: c-dln, dln, altmin");
    }

    @Override
    public String toString() {
        return label;
    }
}

package org.cdln.recommend;

/** Which estimator fitted a {@link CompletionModel}; {@link #label()} is the name model files and output use. */
public enum ModelKind {
    /** The compressed deep linear network (the paper's C-DLN). */
    CDLN("c-dln"),
    /** The original, wide deep linear network. */
    DLN("dln"),
    /** Alternating ridge least squares. */
    ALTMIN("altmin"),
    /** The baseline that predicts the training mean μ for every pair (rank 0). */
    GLOBAL_MEAN("global-mean"),
    /** The baseline μ + b_u + b_i of damped user and item biases (rank 0). */
    BIASES("biases");

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
        throw new IllegalArgumentException("unknown model kind '" + label + "'; known: " + String.join(", ",
                java.util.Arrays.stream(values()).map(ModelKind::label).toList()));
    }

    @Override
    public String toString() {
        return label;
    }
}

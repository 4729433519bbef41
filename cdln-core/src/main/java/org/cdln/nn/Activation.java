package org.cdln.nn;

/** The element-wise nonlinearity after a dense layer. */
public enum Activation {
    /** max(0, z); its derivative is 1 where the output is positive, else 0. */
    RELU,
    /** z: a linear layer (the layers of a DLN or C-DLN block, and the logits). */
    IDENTITY
}

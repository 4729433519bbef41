package org.cdln.nn;

/**
 * What listeners see of a running fit: its label and settings, the live network (read it, do not
 * modify it), the size of the run, and a way to stop after the current step.
 */
public final class MlpContext {
    private final String label;
    private final MlpTrainerConfig config;
    private final Mlp network;
    private final int stepsPerEpoch;
    private String stopRequest;

    MlpContext(String label, MlpTrainerConfig config, Mlp network, int stepsPerEpoch) {
        this.label = label;
        this.config = config;
        this.network = network;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    public String label() {
        return label;
    }

    public MlpTrainerConfig config() {
        return config;
    }

    /** The live network being trained. */
    public Mlp network() {
        return network;
    }

    /** Updates per epoch, ⌈n/B⌉. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Updates of the whole run, epochs·⌈n/B⌉. */
    public long totalSteps() {
        return (long) stepsPerEpoch * config.epochs();
    }

    /** Asks the loop to stop after the current step; {@code why} ends up in the result. */
    public void requestStop(String why) {
        stopRequest = why;
    }

    String stopRequest() {
        return stopRequest;
    }
}

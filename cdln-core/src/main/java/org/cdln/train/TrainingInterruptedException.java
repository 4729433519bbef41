package org.cdln.train;

import java.nio.file.Path;

/**
 * A run stopped by {@link StopSignal} before it finished. {@link #checkpoint()} names the file a
 * {@link CheckpointListener} saved at {@link #step()}, or is null when the run had none.
 */
public final class TrainingInterruptedException extends RuntimeException {
    private final String label;
    private final long step;
    private volatile Path checkpoint;

    public TrainingInterruptedException(String label, long step, String why) {
        super("the " + label + " run was interrupted at step " + step + " (" + why + ")");
        this.label = label;
        this.step = step;
    }

    public String label() {
        return label;
    }

    public long step() {
        return step;
    }

    /** The checkpoint saved at the interruption, or null. */
    public Path checkpoint() {
        return checkpoint;
    }

    /** Records where a checkpoint listener saved the interrupted state. */
    public void checkpointSavedAt(Path file) {
        this.checkpoint = file;
    }
}

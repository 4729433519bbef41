package org.cdln.nn;

/**
 * Where a run's training time went, so that the linear block's share can be shown.
 *
 * @param dataSeconds   gathering mini-batches (the same pipeline for every variant)
 * @param layerSeconds  per layer: forward and backward GEMMs and element-wise work
 * @param lossSeconds   softmax cross-entropy
 * @param updateSeconds per layer: the optimiser's update of W_l and b_l
 * @param blockLayers   which layers belong to the linear block
 */
public record MlpTimings(double dataSeconds, double[] layerSeconds, double lossSeconds, double[] updateSeconds,
                         boolean[] blockLayers) {
    public MlpTimings {
        layerSeconds = layerSeconds.clone();
        updateSeconds = updateSeconds.clone();
        blockLayers = blockLayers.clone();
    }

    @Override
    public double[] layerSeconds() {
        return layerSeconds.clone();
    }

    @Override
    public double[] updateSeconds() {
        return updateSeconds.clone();
    }

    @Override
    public boolean[] blockLayers() {
        return blockLayers.clone();
    }

    /** Seconds of layer l: forward, backward and update. */
    public double layerTotal(int l) {
        return layerSeconds[l] + updateSeconds[l];
    }

    /** Seconds spent in the linear block's layers (forward, backward, update); 0 without a block. */
    public double blockSeconds() {
        double s = 0;
        for (int l = 0; l < blockLayers.length; l++) {
            if (blockLayers[l]) {
                s += layerTotal(l);
            }
        }
        return s;
    }

    /** Everything measured: data, layers, loss, updates. */
    public double totalSeconds() {
        double s = dataSeconds + lossSeconds;
        for (int l = 0; l < layerSeconds.length; l++) {
            s += layerTotal(l);
        }
        return s;
    }
}

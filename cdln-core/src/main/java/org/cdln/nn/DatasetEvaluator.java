package org.cdln.nn;

import org.cdln.data.ImageDataset;
import org.cdln.linalg.LinearAlgebra;

/**
 * Evaluates a network on a whole data set (e.g. the test set each epoch) in batches, with its own
 * preallocated workspaces (one for the full batches, one for the remainder), so that repeated
 * evaluations allocate nothing. Cost O(n·Σ in_l·out_l) per evaluation; the network is not modified.
 */
public final class DatasetEvaluator {
    private final ImageDataset data;
    private final int[] order;
    private final MlpWorkspace full;
    private final MlpWorkspace rest;

    /** Evaluation result: mean cross-entropy and accuracy (fraction of arg-max hits). */
    public record Evaluation(double loss, double accuracy) {
    }

    /** Workspaces for {@code data} in batches of at most {@code batch} images. */
    public DatasetEvaluator(MlpArchitecture arch, ImageDataset data, int batch) {
        if (data.features() != arch.inputs() || data.classes() != arch.classes()) {
            throw new IllegalArgumentException(data.name() + " has " + data.features() + " features and "
                    + data.classes() + " classes; the network takes " + arch.inputs() + " and gives " + arch.classes());
        }
        this.data = data;
        int b = Math.min(batch, data.size());
        order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        full = new MlpWorkspace(arch, b);
        int r = data.size() % b;
        rest = r == 0 ? null : new MlpWorkspace(arch, r);
    }

    /** The data set evaluated. */
    public ImageDataset data() {
        return data;
    }

    /** Loss and accuracy of the network on the whole set. Allocates nothing. */
    public Evaluation evaluate(Mlp net, LinearAlgebra la) {
        double lossSum = 0.0;
        long correct = 0;
        int n = data.size();
        int pos = 0;
        while (pos < n) {
            MlpWorkspace ws = n - pos >= full.batch ? full : rest;
            data.gather(order, pos, ws.batch, ws.act[0], ws.labels);
            lossSum += net.forward(ws, false, la) * ws.batch;
            correct += ws.correct;
            pos += ws.batch;
        }
        return new Evaluation(lossSum / n, correct / (double) n);
    }
}

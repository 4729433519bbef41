package org.cdln.spark;

import java.io.Serializable;
import org.cdln.recommend.FitPoint;

/** Driver-side progress of a Spark fit: called at every evaluation (step, training loss, validation RMSE, seconds). */
@FunctionalInterface
public interface FitProgress extends Serializable {
    void onEvaluation(FitPoint point, long maxSteps);
}

package org.cdln.spark;

import java.util.List;
import org.cdln.recommend.FitPoint;
import org.cdln.train.Provenance;
import org.cdln.train.StopReason;
import org.cdln.train.TrainingResult;

/** How one Spark fit of width r̂ ended, for the library's listeners. */
record SparkTrainingResult(String label, long steps, double seconds, StopReason stopReason, String stopMessage,
                           List<FitPoint> trajectory, Provenance<FitConfig> provenance) implements TrainingResult {
}

package org.cdln.cli.report;

import java.util.List;
import java.util.Map;
import org.cdln.train.EvalPoint;
import org.cdln.train.TrainResult;

/**
 * One curve of a figure or one model's rows of a trajectory file.
 *
 * @param name    legend and "model" column, e.g. "original"
 * @param tags    extra columns (e.g. alpha, depth), in order; may be empty
 * @param points  the evaluations
 */
public record Series(String name, Map<String, Object> tags, List<EvalPoint> points) {

    public Series {
        tags = Map.copyOf(tags);
        points = List.copyOf(points);
    }

    /** The series of a training result, named after its label. */
    public static Series of(TrainResult r) {
        return new Series(r.label(), Map.of(), r.trajectory());
    }

    /** The same series under another name. */
    public Series named(String newName) {
        return new Series(newName, tags, points);
    }
}

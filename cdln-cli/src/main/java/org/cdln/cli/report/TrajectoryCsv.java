package org.cdln.cli.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.cdln.experiment.RecoveryExperiments;
import org.cdln.train.EvalPoint;

/**
 * Writes {@code trajectory.csv}: columns model, step, seconds, train_loss, recovery_error, then one
 * column per tag that any series carries (e.g. alpha, depth). One writer for every command.
 */
public final class TrajectoryCsv {
    private TrajectoryCsv() {
    }

    /** Writes the runs of an experiment, tagging swept values. */
    public static Path write(Path file, List<RecoveryExperiments.Run> runs) {
        List<Series> series = new ArrayList<>();
        for (RecoveryExperiments.Run run : runs) {
            series.add(new Series(run.model(), SummaryJson.sweepTags(run), run.result().trajectory()));
        }
        return writeSeries(file, series);
    }

    /** Writes any series. */
    public static Path writeSeries(Path file, List<Series> series) {
        Set<String> tagNames = new LinkedHashSet<>();
        for (Series s : series) {
            tagNames.addAll(new java.util.TreeSet<>(s.tags().keySet()));
        }
        try {
            try (org.cdln.io.AtomicFile.Pending pending = org.cdln.cli.Outputs.pending(file);
                 BufferedWriter w = new BufferedWriter(pending.writer())) {
                w.write("model,step,seconds,train_loss,recovery_error");
                for (String t : tagNames) {
                    w.write("," + t);
                }
                w.newLine();
                for (Series s : series) {
                    for (EvalPoint p : s.points()) {
                        w.write(s.name() + "," + p.step() + "," + num(p.seconds()) + "," + num(p.trainLoss()) + ","
                                + num(p.recoveryError()));
                        for (String t : tagNames) {
                            Object v = s.tags().get(t);
                            w.write("," + (v == null ? "" : v));
                        }
                        w.newLine();
                    }
                }
                w.flush();
                pending.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + org.cdln.io.AtomicFile.describe(e), e);
        }
        return file;
    }

    /**
     * Writes any table as CSV: a header of {@code columns}, then one line per row (numbers with 10
     * significant digits, NaN and null as empty cells). For trajectories that are not
     * {@link org.cdln.train.EvalPoint}s, e.g. accuracy per epoch.
     */
    public static Path writeTable(Path file, List<String> columns, List<List<Object>> rows) {
        try {
            try (org.cdln.io.AtomicFile.Pending pending = org.cdln.cli.Outputs.pending(file);
                 BufferedWriter w = new BufferedWriter(pending.writer())) {
                w.write(String.join(",", columns));
                w.newLine();
                for (List<Object> row : rows) {
                    if (row.size() != columns.size()) {
                        throw new IllegalArgumentException("a row of " + row.size() + " cells for " + columns.size()
                                + " columns");
                    }
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < row.size(); i++) {
                        Object v = row.get(i);
                        b.append(i == 0 ? "" : ",").append(v == null ? "" : v instanceof Double d ? num(d)
                                : v instanceof Float f ? num(f) : v.toString());
                    }
                    w.write(b.toString());
                    w.newLine();
                }
                w.flush();
                pending.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + org.cdln.io.AtomicFile.describe(e), e);
        }
        return file;
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.10g", v);
    }
}

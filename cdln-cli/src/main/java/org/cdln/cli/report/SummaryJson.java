package org.cdln.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdln.Version;
import org.cdln.experiment.RecoveryExperiments;
import org.cdln.experiment.ReproduceSettings;
import org.cdln.train.TrainResult;

/**
 * Writes {@code summary.json}, the one summary format of every experiment:
 * <pre>
 * {"experiment", "settings": {…}, "backend", "threads",
 *  "runs": [{"model", "steps", "seconds", "final_train_loss", "final_recovery_error", "parameters",
 *            "steps_to": {"1e-4": n|null, "1e-8": n|null}, "seconds_to": {…}, …}]}
 * </pre>
 * plus "problem", "cdln_version" and "java". NaN is written as null.
 */
public final class SummaryJson {
    /** The recovery-error thresholds every summary reports. */
    public static final double[] THRESHOLDS = {1e-4, 1e-8};
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SummaryJson() {
    }

    /** Writes the summary of a recovery experiment. */
    public static Path write(Path file, RecoveryExperiments.Outcome outcome) {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RecoveryExperiments.Run run : outcome.runs()) {
            Map<String, Object> entry = run(run.result());
            entry.putAll(sweepTags(run));
            runs.add(entry);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("problem", outcome.problem());
        extra.put("setup_seconds", outcome.setupSeconds());
        return write(file, outcome.settings().experiment().id(), settings(outcome.settings()), outcome.backend(),
                outcome.threads(), runs, extra);
    }

    /** Writes a summary from parts; {@code extra} fields go after "runs". */
    public static Path write(Path file, String experiment, Map<String, Object> settings, String backend, int threads,
                             List<Map<String, Object>> runs, Map<String, Object> extra) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("experiment", experiment);
        root.put("settings", settings);
        root.put("backend", backend);
        root.put("threads", threads);
        root.put("runs", runs);
        root.putAll(extra);
        root.put("cdln_version", Version.get());
        root.put("java", System.getProperty("java.version"));
        org.cdln.cli.Outputs.write(file, out -> MAPPER.writeValue(out, clean(root)));
        return file;
    }

    /** The standard fields of one run. */
    public static Map<String, Object> run(TrainResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", r.label());
        m.put("steps", r.steps());
        m.put("seconds", r.seconds());
        m.put("final_train_loss", r.finalTrainLoss());
        m.put("final_recovery_error", r.finalRecoveryError());
        m.put("parameters", r.parameters());
        Map<String, Object> stepsTo = new LinkedHashMap<>();
        Map<String, Object> secondsTo = new LinkedHashMap<>();
        for (double t : THRESHOLDS) {
            stepsTo.put(key(t), r.stepsTo(t));
            secondsTo.put(key(t), r.secondsTo(t));
        }
        m.put("steps_to", stepsTo);
        m.put("seconds_to", secondsTo);
        m.put("stop_reason", r.stopReason().name().toLowerCase());
        if (r.stopMessage() != null) {
            m.put("stop_message", r.stopMessage());
        }
        if (r.provenance().resumedFromStep() > 0) {
            m.put("resumed_from_step", r.provenance().resumedFromStep());
        }
        return m;
    }

    /** The swept value of a run ({"alpha": …} or {"depth": …}), empty when none. */
    public static Map<String, Object> sweepTags(RecoveryExperiments.Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (run.alpha() != null) {
            m.put("alpha", run.alpha());
        }
        if (run.depth() != null) {
            m.put("depth", run.depth());
        }
        return m;
    }

    /** The settings as snake_case fields. */
    public static Map<String, Object> settings(ReproduceSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d1", s.d1());
        m.put("d2", s.d2());
        m.put("r", s.r());
        switch (s.experiment().problemKind()) {
            case COMPLETION -> m.put("p", s.p());
            case SENSING -> m.put("m", s.m());
            default -> {
            }
        }
        m.put("depth", s.depth());
        m.put("eps", s.eps());
        m.put("step", s.step());
        m.put("alpha", s.alpha());
        m.put("rank_hat", s.rankHat());
        m.put("steps", s.steps());
        m.put("tol", s.tol());
        m.put("seed", s.seed());
        m.put("eval_every", s.evalEvery());
        m.put("init", s.init().name().toLowerCase());
        m.put("optimizer", s.optimizer().name().toLowerCase());
        return m;
    }

    /** "1e-4" for 1e-4. */
    public static String key(double threshold) {
        return String.format("%.0e", threshold).replace("e-0", "e-").replace("e+0", "e");
    }

    @SuppressWarnings("unchecked")
    static Object clean(Object v) {
        if (v instanceof Double d && !Double.isFinite(d)) {
            return null;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), clean(x)));
            return out;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(x -> out.add(clean(x)));
            return out;
        }
        return v;
    }
}

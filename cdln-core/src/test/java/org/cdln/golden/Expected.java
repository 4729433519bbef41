package org.cdln.golden;

import java.util.Map;
import org.cdln.linalg.Matrix;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.FitPoint;
import org.cdln.train.Checkpoint;
import org.cdln.train.EvalPoint;

/**
 * A text rendering of everything a golden file holds, every double as its bit pattern in hex, so
 * that the file's reading can be compared line by line with what was saved.
 */
final class Expected {
    private Expected() {
    }

    private static String bits(double v) {
        return Long.toHexString(Double.doubleToRawLongBits(v));
    }

    static String of(CompletionModel m) {
        StringBuilder s = new StringBuilder();
        s.append("kind ").append(m.kind().label()).append('\n');
        for (Map.Entry<String, String> e : m.settings().entrySet()) {
            s.append("setting ").append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        m.declaredSettings().ifPresent(d -> {
            s.append("declared ").append(d.schema().name()).append(" v").append(d.schema().version()).append('\n');
            for (org.cdln.settings.Setting<?> st : d.schema().settings()) {
                Object v = d.raw(st);
                s.append("declared ").append(st.name()).append(' ').append(st.type().getSimpleName()).append(' ')
                        .append(v instanceof Double x ? bits(x) : st.format(v)).append('\n');
            }
        });
        s.append("users ").append(m.users().size()).append(" items ").append(m.items().size()).append(" rank ")
                .append(m.rank()).append('\n');
        s.append("clip ").append(bits(m.clipMin())).append(' ').append(bits(m.clipMax())).append('\n');
        for (FitPoint p : m.trajectory()) {
            s.append("fit ").append(p.step()).append(' ').append(bits(p.trainLoss())).append(' ')
                    .append(bits(p.validationRmse())).append(' ').append(bits(p.validationMae())).append('\n');
        }
        for (int u = 0; u < m.users().size(); u++) {
            s.append("predict ").append(m.users().id(u));
            for (int i = 0; i < m.items().size(); i++) {
                s.append(' ').append(bits(m.predict(m.users().id(u), m.items().id(i))));
            }
            s.append(" seen ").append(m.ratingCount(u)).append('\n');
        }
        return s.toString();
    }

    static String of(Checkpoint c) {
        StringBuilder s = new StringBuilder();
        s.append("label ").append(c.label()).append('\n');
        s.append("step ").append(c.step()).append(" seconds ").append(bits(c.seconds())).append(" optimizerSteps ")
                .append(c.optimizerSteps()).append('\n');
        for (EvalPoint p : c.trajectory()) {
            s.append("eval ").append(p.step()).append(' ').append(bits(p.trainLoss())).append(' ')
                    .append(bits(p.recoveryError())).append('\n');
        }
        s.append("origin ").append(c.network().origin()).append('\n');
        for (Matrix layer : c.network().layers()) {
            s.append("layer ").append(layer.rows()).append('x').append(layer.cols());
            for (double v : layer.data()) {
                s.append(' ').append(bits(v));
            }
            s.append('\n');
        }
        for (double[] st : c.optimizerState()) {
            s.append("state ").append(st.length);
            for (double v : st) {
                s.append(' ').append(bits(v));
            }
            s.append('\n');
        }
        return s.toString();
    }
}

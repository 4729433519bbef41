package org.cdln.cli.ratings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cdln.data.RatingsReader;
import org.cdln.recommend.ColdStart;
import org.cdln.recommend.EvaluationSettings;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.RatingEvaluation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cdln evaluate --model model.cdln --ratings FILE [--cold-start S] [--json]}: RMSE, MAE and
 * the number of rated pairs scored; pairs whose user or item the model does not know (or that had
 * no training rating) are handled by the cold-start strategy, counted and reported.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = EvaluateCommand.DerivedOptions.class,
        description = "RMSE and MAE of a saved model on a ratings file; pairs of unknown users/items are handled by "
                + "--cold-start and counted.")
public final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by 'cdln complete'.")
    Path model;
    @Mixin
    RatingsOptions input;
    /** {@code --cold-start}, derived from its declaration ({@link EvaluationSettings#COLD_START}). */
    public static final class DerivedOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            return org.cdln.cli.SettingOptions.addOnly(spec, EvaluationSettings.SCHEMA.defaults(),
                    java.util.Set.of("coldStart"));
        }
    }
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ColdStart cs = org.cdln.cli.SettingOptions.apply(spec, EvaluationSettings.SCHEMA.defaults())
                .get(EvaluationSettings.COLD_START);
        CompletionModel m = CompletionModel.load(model);
        RatingsReader.Report read = input.read();
        RatingEvaluation r = m.evaluate(read.ratings(), cs);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("model", model.toString());
            root.put("kind", m.kind().label());
            root.put("ratings", input.file().toString());
            root.put("total", r.total());
            root.put("count", r.scored());
            root.put("rmse", finite(r.rmse()));
            root.put("mae", finite(r.mae()));
            root.put("half_mse", finite(0.5 * r.rmse() * r.rmse()));
            root.put("cold_start", cs.label());
            root.put("cold", r.cold());
            root.put("cold_user", r.coldUserOnly());
            root.put("cold_item", r.coldItemOnly());
            root.put("cold_user_and_item", r.coldBoth());
            o.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
            return 0;
        }
        o.printf(Locale.ROOT, "%s (%s, %,d users × %,d items) on %s: %,d ratings%n", model, m.kind(), m.users().size(),
                m.items().size(), input.file(), r.total());
        o.printf(Locale.ROOT, "  scored   %,d%n", r.scored());
        o.printf(Locale.ROOT, "  RMSE     %.4f%n", r.rmse());
        o.printf(Locale.ROOT, "  MAE      %.4f%n", r.mae());
        String what = switch (cs) {
            case BASELINE -> "predicted by the baseline (μ + b_i, μ + b_u or μ)";
            case NAN -> "predicted as NaN";
            case DROP -> "dropped, not scored";
        };
        o.printf(Locale.ROOT, "  cold     %,d (user unknown or unrated: %,d, item: %,d, both: %,d) — %s%n", r.cold(),
                r.coldUserOnly(), r.coldItemOnly(), r.coldBoth(), what);
        return 0;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}

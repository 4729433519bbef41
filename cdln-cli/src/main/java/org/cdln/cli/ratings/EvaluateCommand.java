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
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.RatingMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cdln evaluate --model model.cdln --ratings FILE [--json]}: RMSE, MAE and the number of
 * rated pairs scored; pairs whose user or item the model does not know are counted and reported.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "RMSE and MAE of a saved model on a ratings file; unknown users/items are counted, not dropped.")
public final class EvaluateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by 'cdln complete'.")
    Path model;
    @Mixin
    RatingsOptions input;
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CompletionModel m = CompletionModel.load(model);
        RatingsReader.Report read = input.read();
        RatingMetrics r = m.evaluate(read.ratings());
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("model", model.toString());
            root.put("kind", m.kind().label());
            root.put("ratings", input.file().toString());
            root.put("total", r.total());
            root.put("count", r.count());
            root.put("rmse", finite(r.rmse()));
            root.put("mae", finite(r.mae()));
            root.put("half_mse", finite(r.halfMse()));
            root.put("unknown", r.unknown());
            root.put("unknown_user", r.unknownUserOnly());
            root.put("unknown_item", r.unknownItemOnly());
            root.put("unknown_user_and_item", r.unknownBoth());
            o.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
            return 0;
        }
        o.printf(Locale.ROOT, "%s (%s, %,d users × %,d items) on %s: %,d ratings%n", model, m.kind(), m.users().size(),
                m.items().size(), input.file(), r.total());
        o.printf(Locale.ROOT, "  scored   %,d%n", r.count());
        o.printf(Locale.ROOT, "  RMSE     %.4f%n", r.rmse());
        o.printf(Locale.ROOT, "  MAE      %.4f%n", r.mae());
        o.printf(Locale.ROOT, "  unknown  %,d (user unknown: %,d, item unknown: %,d, both: %,d) — not scored%n",
                r.unknown(), r.unknownUserOnly(), r.unknownItemOnly(), r.unknownBoth());
        return 0;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}

package org.cdln.cli.ratings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cdln.cli.report.ResultTable;
import org.cdln.data.ItemTitles;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.Recommendation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdln recommend --model model.cdln --user ID -k 10}: the top-k items a user has not rated,
 * with their titles when {@code u.item} (ISO-8859-1) or {@code movies.csv} lies next to the ratings
 * file the model was fitted on (or is given with {@code --titles}).
 */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Top-k items for a user from a saved model (items the user rated in training are left out).")
public final class RecommendCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by 'cdln complete'.")
    Path model;
    @Option(names = "--user", required = true, paramLabel = "ID", description = "The user's id as in the ratings file.")
    String user;
    @Option(names = {"-k", "--top"}, paramLabel = "K", defaultValue = "10", description = "How many items (default 10).")
    int k;
    @Option(names = "--include-seen", description = "Also list items the user rated in training.")
    boolean includeSeen;
    @Option(names = "--titles", paramLabel = "FILE", description = "u.item or movies.csv with the titles "
            + "(default: the one next to the model's ratings file, if any).")
    Path titles;
    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new IllegalArgumentException("-k must be ≥ 1, got " + k);
        }
        if (titles != null && !Files.isRegularFile(titles)) {
            throw new IllegalArgumentException("--titles: no file " + titles + "; give u.item or movies.csv");
        }
        CompletionModel m = CompletionModel.load(model);
        int u = m.userIndex(user);
        List<Recommendation> recs = m.recommend(user, k, !includeSeen);
        ItemTitles t = titleSource(m).map(ItemTitles::read).orElse(ItemTitles.none());
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("user", user);
            root.put("model", model.toString());
            root.put("rated_in_training", m.ratingCount(u));
            root.put("exclude_seen", !includeSeen);
            List<Map<String, Object>> items = new ArrayList<>();
            for (Recommendation r : recs) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("item", r.itemId());
                e.put("predicted_rating", r.predictedRating());
                e.put("score", r.score());
                e.put("title", t.title(r.itemId()).orElse(null));
                items.add(e);
            }
            root.put("recommendations", items);
            o.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
            return 0;
        }
        o.printf(Locale.ROOT, "top %d for user %s (%d ratings in training; %s) from %s%n", recs.size(), user,
                m.ratingCount(u), includeSeen ? "rated items included" : "rated items left out", model);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "item", "predicted", "score", "title"});
        int n = 1;
        for (Recommendation r : recs) {
            rows.add(new String[] {String.valueOf(n++), r.itemId(), String.format(Locale.ROOT, "%.2f", r.predictedRating()),
                String.format(Locale.ROOT, "%.3f", r.score()), t.title(r.itemId()).orElse("")});
        }
        o.println(ResultTable.format(rows));
        if (t.size() == 0) {
            o.println("(no titles: put u.item or movies.csv next to the ratings file, or pass --titles FILE)");
        }
        return 0;
    }

    private Optional<Path> titleSource(CompletionModel m) {
        if (titles != null) {
            return Optional.of(titles);
        }
        String f = m.settings().get("ratings_file");
        if (f == null) {
            return Optional.empty();
        }
        Path dir = Path.of(f).getParent();
        if (dir == null) {
            return Optional.empty();
        }
        for (String name : List.of("u.item", "movies.csv")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return Optional.of(dir.resolve(name));
            }
        }
        return Optional.empty();
    }
}

package org.cdln.cli.ratings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
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
 * file the model was fitted on (or is given with {@code --titles}). With {@code --all} or
 * {@code --users LIST} / {@code --users-file FILE}: every (listed) user's top-k at once ({@link CompletionModel#recommendFor}),
 * streamed as CSV or JSON lines to {@code --out} (written atomically) or to the standard output.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top-k items for a user from a saved model (items the user rated in training are left out).",
            "--all, --users LIST or --users-file FILE: every (listed) user's top-k as CSV (user,rank,item,predicted_rating,score) or JSON "
                    + "lines, to --out FILE or the standard output."})
public final class RecommendCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by 'cdln complete'.")
    Path model;
    @Option(names = "--user", paramLabel = "ID", description = "The user's id as in the ratings file.")
    String user;
    @Option(names = "--all", description = "Recommend for every user of the model.")
    boolean all;
    @Option(names = "--users", paramLabel = "LIST", description = "Recommend for these users: comma-separated ids.")
    String users;
    @Option(names = "--users-file", paramLabel = "FILE", description = "Recommend for the users of this file, one id "
            + "per line.")
    Path usersFile;
    @CommandLine.Mixin
    org.cdln.cli.OutOption out = org.cdln.cli.OutOption.optionalFile("With --all/--users: write here (.csv, or .jsonl "
            + "for JSON lines) instead of the standard output.");
    @Option(names = "--format", paramLabel = "csv|jsonl", description = "With --all/--users: csv (default unless --out "
            + "ends in .jsonl or .json) or jsonl.")
    String format;
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
        int modes = (user != null ? 1 : 0) + (all ? 1 : 0) + (users != null ? 1 : 0) + (usersFile != null ? 1 : 0);
        if (modes != 1) {
            throw new IllegalArgumentException("give exactly one of --user ID, --all, --users LIST or --users-file FILE, "
                    + "got " + (modes == 0 ? "none" : modes));
        }
        if (user == null) {
            return batch();
        }
        if (out.given() || format != null) {
            throw new IllegalArgumentException("--out and --format go with --all or --users; for one user use --json");
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

    /** --all / --users: the output file (when given) is opened, checked and locked before any work. */
    private Integer batch() throws IOException {
        try (org.cdln.cli.Outputs outputs = out.open(model)) {
            return batchWithOutputs();
        }
    }

    private Integer batchWithOutputs() throws IOException {
        boolean jsonl = format != null ? Flags.parse("--format", () -> switch (format.trim().toLowerCase(Locale.ROOT)) {
            case "csv" -> false;
            case "jsonl", "json" -> true;
            default -> throw new IllegalArgumentException("must be csv or jsonl, got '" + format + "'");
        }) : out.given() && (out.path().toString().endsWith(".jsonl") || out.path().toString().endsWith(".json"));
        CompletionModel m = CompletionModel.load(model);
        int[] idx;
        if (all) {
            idx = new int[m.users().size()];
            for (int q = 0; q < idx.length; q++) {
                idx[q] = q;
            }
        } else {
            List<String> ids;
            if (usersFile != null) {
                if (!Files.isRegularFile(usersFile)) {
                    throw new IllegalArgumentException("--users-file: no file " + usersFile
                            + "; give a file with one user id per line");
                }
                ids = Files.readAllLines(usersFile).stream().map(String::trim).filter(x -> !x.isEmpty()).toList();
            } else {
                ids = List.of(users.split(",")).stream().map(String::trim).filter(x -> !x.isEmpty()).toList();
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException((usersFile != null ? "--users-file" : "--users")
                        + " lists no user id; give ids like 1,2,3");
            }
            idx = new int[ids.size()];
            for (int q = 0; q < idx.length; q++) {
                int uq = m.users().indexOf(ids.get(q));
                if (uq < 0) {
                    throw new IllegalArgumentException((usersFile != null ? "--users-file" : "--users")
                            + ": unknown user '" + ids.get(q) + "'; the model knows "
                            + m.users().size() + " users (ids " + m.users().id(0) + " … "
                            + m.users().id(m.users().size() - 1) + ")");
                }
                idx[q] = uq;
            }
        }
        ObjectMapper json = jsonl ? new ObjectMapper() : null;
        long tb = System.nanoTime();
        org.cdln.linalg.LinearAlgebra.instance();                // loads BLAS: not part of the recommendation time
        double blasSeconds = (System.nanoTime() - tb) * 1e-9;
        long t0 = System.nanoTime();
        long[] lines = {0};
        Content content = w -> {
            if (!jsonl) {
                w.write("user,rank,item,predicted_rating,score\n");
            }
            java.io.IOException[] failure = {null};
            m.recommendFor(idx, k, !includeSeen, ur -> {
                if (failure[0] != null) {
                    return;
                }
                try {
                    if (jsonl) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("user", ur.userId());
                        List<Map<String, Object>> items = new ArrayList<>();
                        for (Recommendation r : ur.items()) {
                            Map<String, Object> i = new LinkedHashMap<>();
                            i.put("item", r.itemId());
                            i.put("predicted_rating", r.predictedRating());
                            i.put("score", r.score());
                            items.add(i);
                        }
                        e.put("recommendations", items);
                        w.write(json.writeValueAsString(e));
                        w.write('\n');
                    } else {
                        int n = 1;
                        for (Recommendation r : ur.items()) {
                            // Double.toString: exact (shortest round-trip digits) and far cheaper than String.format
                            w.write(csv(ur.userId()) + "," + n++ + "," + csv(r.itemId()) + "," + r.predictedRating()
                                    + "," + r.score() + "\n");
                        }
                    }
                    lines[0]++;
                } catch (java.io.IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        };
        if (out.given()) {
            try (org.cdln.io.AtomicFile.Pending p = org.cdln.cli.Outputs.pending(out.path())) {
                content.writeTo(p.writer());
                p.commit();
            }
            double s = (System.nanoTime() - t0) * 1e-9;
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote top %d for %,d users to %s (%s) in %.3f s: %,.0f users/s%s "
                    + "(loading BLAS: %.3f s more)%n", k, lines[0], out.path(), jsonl ? "JSON lines" : "CSV", s, lines[0] / s,
                    includeSeen ? "; rated items included" : "; rated items left out", blasSeconds);
        } else {
            PrintWriter o = spec.commandLine().getOut();
            content.writeTo(o);
            o.flush();
        }
        return 0;
    }

    /** What writes the batch output. */
    @FunctionalInterface
    private interface Content {
        void writeTo(java.io.Writer w) throws IOException;
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
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

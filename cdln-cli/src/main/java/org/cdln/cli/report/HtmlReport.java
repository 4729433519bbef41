package org.cdln.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes one self-contained HTML page from output folders: for each folder, its experiment,
 * backend and threads, a settings table, the other summary fields (findings, max ratio, …), the
 * runs table and every PNG figure, embedded as a base64 data URI. No script and no external
 * resource, so the page opens anywhere, offline, and can be mailed as one file.
 */
public final class HtmlReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Run fields shown first, in this order; other scalar fields follow. */
    private static final List<String> RUN_FIELDS = List.of("model", "steps", "seconds", "final_train_loss",
            "final_recovery_error", "parameters", "steps_to", "seconds_to", "stop_reason");
    private static final int MAX_RUN_ROWS = 60;

    private HtmlReport() {
    }

    /** What was written: the number of figures and bytes. */
    public record Written(Path file, int figures, long bytes) {
    }

    /** Writes the page for the folders, in the order given. */
    public static Written write(Path file, String title, List<Path> dirs) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1280px;"
                        + "padding:0 1em;color:#222}\n"
                        + "h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ccc;padding-bottom:.2em;"
                        + "margin-top:2em}h3{font-size:1.05em;margin-bottom:.3em}\n"
                        + "table{border-collapse:collapse;margin:.5em 0 1em;font-size:.85em}\n"
                        + "td,th{border:1px solid #ddd;padding:.25em .6em;text-align:right;vertical-align:top}\n"
                        + "th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}\n"
                        + "figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}\n"
                        + "figcaption{font-size:.85em;color:#555}.meta{color:#555;font-size:.9em}\n"
                        + "nav li{margin:.15em 0}code{background:#f6f6f6;padding:0 .2em}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(esc(title)).append("</h1>\n");
        h.append("<nav><ul>\n");
        for (int i = 0; i < dirs.size(); i++) {
            h.append("<li><a href=\"#s").append(i).append("\">").append(esc(dirs.get(i).toString())).append("</a></li>\n");
        }
        h.append("</ul></nav>\n");
        int figures = 0;
        for (int i = 0; i < dirs.size(); i++) {
            figures += section(h, i, dirs.get(i));
        }
        h.append("</body>\n</html>\n");
        byte[] bytes = h.toString().getBytes(StandardCharsets.UTF_8);
        org.cdln.cli.Outputs.writeBytes(file, bytes);
        return new Written(file, figures, bytes.length);
    }

    /**
     * Reads a summary.json and checks that it is one: a JSON object naming its experiment (an
     * empty file, [], null or 42 is refused with the file and what to do).
     */
    static JsonNode readSummary(Path file) {
        JsonNode s;
        try {
            s = MAPPER.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not valid JSON (" + (e.getLocation() == null ? ""
                    : "line " + e.getLocation().getLineNr() + ": ") + e.getOriginalMessage().lines().findFirst()
                    .orElse("") + "); run the command that wrote it again");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
        if (s == null || s.isMissingNode() || !s.isObject()) {
            String what = s == null || s.isMissingNode() ? "empty" : "a JSON " + s.getNodeType().name().toLowerCase();
            throw new IllegalArgumentException(file + " is " + what + ", not a cdln summary (a JSON object with an "
                    + "\"experiment\"); run 'cdln reproduce' or 'cdln analyze' with --out " + file.getParent());
        }
        if (!s.path("experiment").isTextual()) {
            throw new IllegalArgumentException(file + " names no \"experiment\", so it is not a cdln summary; run "
                    + "'cdln reproduce' or 'cdln analyze' with --out " + file.getParent());
        }
        JsonNode runs = s.get("runs");
        if (runs != null && !runs.isArray()) {
            throw new IllegalArgumentException(file + ": \"runs\" is " + runs.getNodeType().name().toLowerCase()
                    + ", not a list of runs; run the command that wrote it again");
        }
        return s;
    }

    private static int section(StringBuilder h, int index, Path dir) {
        JsonNode s = readSummary(dir.resolve("summary.json"));
        h.append("<section id=\"s").append(index).append("\">\n<h2>").append(esc(s.path("experiment").asText("?")))
                .append(" — <code>").append(esc(dir.toString())).append("</code></h2>\n");
        h.append("<p class=\"meta\">");
        if (s.has("problem")) {
            h.append(esc(s.get("problem").asText())).append("<br>");
        }
        h.append("backend: ").append(esc(s.path("backend").asText("?"))).append(", ")
                .append(esc(s.path("threads").asText("?"))).append(" thread(s); cdln ")
                .append(esc(s.path("cdln_version").asText("?"))).append(", Java ").append(esc(s.path("java").asText("?")))
                .append("</p>\n");
        h.append("<h3>Settings</h3>\n");
        keyValue(h, s.path("settings"));
        Set<String> skip = Set.of("experiment", "settings", "backend", "threads", "runs", "problem", "cdln_version",
                "java");
        List<String> others = new ArrayList<>();
        s.fieldNames().forEachRemaining(f -> {
            if (!skip.contains(f)) {
                others.add(f);
            }
        });
        for (String f : others) {
            JsonNode v = s.get(f);
            h.append("<h3>").append(esc(f.replace('_', ' '))).append("</h3>\n");
            if (v.isArray() && v.size() > 0 && v.get(0).isObject()) {
                table(h, v);
            } else if (v.isObject()) {
                keyValue(h, v);
            } else {
                h.append("<p>").append(esc(scalar(v))).append("</p>\n");
            }
        }
        JsonNode runs = s.path("runs");
        if (runs.isArray() && runs.size() > 0) {
            h.append("<h3>Runs</h3>\n");
            table(h, runs);
        }
        int n = 0;
        List<Path> pngs;
        try (Stream<Path> files = Files.list(dir)) {
            pngs = files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
        }
        for (Path png : pngs) {
            try {
                String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
                String name = png.getFileName().toString();
                h.append("<figure><img src=\"data:image/png;base64,").append(b64).append("\" alt=\"")
                        .append(esc(name)).append("\"><figcaption>").append(esc(name)).append("</figcaption></figure>\n");
                n++;
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + png + ": " + e.getMessage(), e);
            }
        }
        h.append("</section>\n");
        return n;
    }

    private static void keyValue(StringBuilder h, JsonNode obj) {
        if (!obj.isObject() || obj.size() == 0) {
            h.append("<p class=\"meta\">(none)</p>\n");
            return;
        }
        h.append("<table>\n");
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(scalar(e.getValue())))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void table(StringBuilder h, JsonNode rows) {
        Set<String> cols = new LinkedHashSet<>();
        for (String f : RUN_FIELDS) {
            for (JsonNode r : rows) {
                if (r.has(f)) {
                    cols.add(f);
                    break;
                }
            }
        }
        for (JsonNode r : rows) {
            r.fieldNames().forEachRemaining(cols::add);
        }
        h.append("<table>\n<tr>");
        for (String c : cols) {
            h.append("<th>").append(esc(c.replace('_', ' '))).append("</th>");
        }
        h.append("</tr>\n");
        int shown = 0;
        for (JsonNode r : rows) {
            if (shown++ == MAX_RUN_ROWS) {
                h.append("<tr><td colspan=\"").append(cols.size()).append("\">… ").append(rows.size() - MAX_RUN_ROWS)
                        .append(" more rows in summary.json</td></tr>\n");
                break;
            }
            h.append("<tr>");
            for (String c : cols) {
                h.append("<td>").append(esc(r.has(c) ? scalar(r.get(c)) : "")).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** A compact text form of a JSON value: numbers to 4 significant digits, objects as k: v. */
    static String scalar(JsonNode v) {
        if (v == null || v.isNull()) {
            return "–";
        }
        if (v.isIntegralNumber()) {
            return String.format(Locale.ROOT, "%,d", v.asLong());
        }
        if (v.isNumber()) {
            double x = v.asDouble();
            if (x == Math.rint(x) && Math.abs(x) < 1e6) {
                return String.valueOf((long) x);
            }
            String t = Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? String.format(Locale.ROOT, "%.4g", x)
                    : String.format(Locale.ROOT, "%.3e", x);
            // keep the digits that matter when rounding would hide them (a ratio of 0.9999998 is not 1)
            return Double.parseDouble(t) == Math.rint(x) ? Double.toString(x) : t;
        }
        if (v.isObject()) {
            List<String> parts = new ArrayList<>();
            v.fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + scalar(e.getValue())));
            return String.join(", ", parts);
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(scalar(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        return v.asText();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

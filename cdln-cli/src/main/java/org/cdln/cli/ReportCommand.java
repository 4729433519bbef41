package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cdln.cli.report.HtmlReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cdln report DIR…}: one self-contained HTML page (figures embedded as data URIs, no
 * script, no external resource) gathering the settings, backend, tables and figures of any number
 * of output folders written by {@code cdln reproduce} and {@code cdln analyze}.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Gather the tables and figures of output folders (each with a summary.json) into one "
                + "self-contained HTML page.")
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Output folders of cdln reproduce/analyze.")
    List<Path> dirs;

    @CommandLine.Mixin
    OutOption out = OutOption.file("The HTML file to write", "out/report.html");

    @Option(names = "--title", paramLabel = "TEXT", defaultValue = "cdln report",
            description = "Page title (default '${DEFAULT-VALUE}').")
    String title;

    /**
     * Opens the output (checked for writability, refused when it is an input, locked against a
     * second run) before any work, then runs the command.
     */
    @Override
    public Integer call() {
        try (Outputs outputs = out.open(inputsOf(dirs))) {
            return callWithOutputs();
        }
    }

    /** The files directly in the report's input folders: the report must not overwrite one. */
    private static Path[] inputsOf(List<Path> dirs) {
        List<Path> files = new java.util.ArrayList<>();
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                try (java.util.stream.Stream<Path> s = Files.list(d)) {
                    s.filter(Files::isRegularFile).forEach(files::add);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("could not list " + d + ": " + e.getMessage(), e);
                }
            }
        }
        return files.toArray(new Path[0]);
    }

    private Integer callWithOutputs() {
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new IllegalArgumentException("report: " + d + " is not a folder; give output folders of "
                        + "'cdln reproduce' or 'cdln analyze'");
            }
            if (!Files.isRegularFile(d.resolve("summary.json"))) {
                throw new IllegalArgumentException("report: " + d + " has no summary.json; run 'cdln reproduce' or "
                        + "'cdln analyze' with --out " + d + " first");
            }
        }
        HtmlReport.Written w = HtmlReport.write(out.path(), title, dirs);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("wrote %s: %d folder%s, %d figure%s, %,d bytes%n", out.path(), dirs.size(), dirs.size() == 1 ? "" : "s",
                w.figures(), w.figures() == 1 ? "" : "s", w.bytes());
        return 0;
    }
}

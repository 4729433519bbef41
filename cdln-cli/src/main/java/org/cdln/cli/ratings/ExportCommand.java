package org.cdln.cli.ratings;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.ModelExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdln export --model FILE --format npy|csv --out DIR}: the user and item factors, the
 * biases, μ, the clip range and the id lists in files other systems read without cdln, with a
 * README.txt stating the prediction formula.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a saved model's factors, biases and ids as .npy or .csv files.",
            "A prediction is clip(mu + b_user + b_item + U[user]·V[item]); DIR/README.txt says so and lists the files."})
public final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by 'cdln complete'.")
    Path model;
    @Option(names = "--format", paramLabel = "npy|csv", defaultValue = "npy", description = "npy (default: NumPy "
            + "float64 arrays) or csv.")
    String format;
    @CommandLine.Mixin
    org.cdln.cli.OutOption out = org.cdln.cli.OutOption.requiredFolder("Folder to write (created when missing).");

    @Override
    public Integer call() {
        ModelExport.Format f = Flags.parse("--format", () -> ModelExport.Format.parse(format));
        CompletionModel m = CompletionModel.load(model);
        List<Path> files;
        try (org.cdln.cli.Outputs outputs = out.open(model)) {
            files = ModelExport.write(m, f, out.path());
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "exported %s (%s, %,d users × %,d items, rank %d) to %s:%n", model, m.kind(),
                m.users().size(), m.items().size(), m.rank(), out.path());
        for (Path p : files) {
            o.println("  " + p.getFileName());
        }
        return 0;
    }
}

package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cdln.experiment.ListenerFactory;
import org.cdln.cli.progress.ProgressListener;
import org.cdln.cli.report.MlpReport;
import org.cdln.data.ImageDataset;
import org.cdln.experiment.MlpExperiments;
import org.cdln.experiment.MlpSettings;
import org.cdln.linalg.LinearAlgebra;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code cdln reproduce mlp}: the paper's nonlinear experiment (docs/method.md §6) — a ReLU MLP, +DLN and
 * +C-DLN on Fashion-MNIST (or MNIST) with one budget and one seed; prints the test accuracy per
 * epoch, a side-by-side table with times, throughput and the block's share, and the comparison
 * with the targets; writes summary.json, trajectory.csv and mlp.png/.svg to {@code --out}.
 */
@Command(name = "mlp", mixinStandardHelpOptions = true, modelTransformer = MlpCommand.DerivedOptions.class,
        description = "MLP classifiers with a DLN and a C-DLN block on Fashion-MNIST: ReLU 784→512→512→10, "
                + "+DLN (3 linear 512×512 layers before the output, orthogonal at ε=0.1), +C-DLN (512→20→20→512, α=4); "
                + "Adam η=1e-3, cosine schedule, batch 128, 10 epochs, seed 0.")
public final class MlpCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Every declared MLP setting is an option. */
    public static final class DerivedOptions extends MlpOptions.DerivedOptions {
        public DerivedOptions() {
            super(java.util.Set.of());
        }
    }

    @Mixin
    MlpOptions options = new MlpOptions();

    @CommandLine.Mixin
    OutOption out = OutOption.folder("out/mlp");

    @CommandLine.Mixin
    ResumeOption resume;

    /**
     * Opens the output (checked for writability, refused when it is an input, locked against a
     * second run) before any work, then runs the command.
     */
    @Override
    public Integer call() {
        try (Outputs outputs = out.open(options.data)) {
            return callWithOutputs();
        }
    }

    private Integer callWithOutputs() {
        MlpSettings s = options.settings(null);
        PrintWriter o = spec.commandLine().getOut();
        LinearAlgebra la = LinearAlgebra.instance();
        Path dir = out.path();
        ImageDataset.Split data = options.loadData(s.seed());
        ImageDataset.Split used = MlpExperiments.limit(data, s);
        o.println(MlpReport.header(s, used.train() + " / " + used.test(), options.dataFolder(), la));
        o.flush();
        ListenerFactory listeners = !options.progress.shown() ? ListenerFactory.none()
                : (model, total) -> List.of(ProgressListener.perEvaluation(model));
        MlpExperiments.Outcome outcome;
        try {
            outcome = MlpExperiments.run(s, data, la, listeners, dir.resolve("checkpoints"), resume.resume());
        } catch (MlpExperiments.Failure f) {
            if (!f.partial().runs().isEmpty()) {
                print(o, f.partial());
                written(o, MlpReport.write(dir, f.partial(), options.dataFolder()));
                o.println("(partial: the runs above finished before the failure below)");
                o.flush();
            }
            throw new IllegalStateException(f.getMessage(), f);
        }
        print(o, outcome);
        written(o, MlpReport.write(dir, outcome, options.dataFolder()));
        return 0;
    }

    private static void print(PrintWriter o, MlpExperiments.Outcome outcome) {
        o.println();
        o.println(MlpReport.epochTable(outcome.runs()));
        o.println();
        o.println(MlpReport.summaryTable(outcome.runs()));
        o.println();
        o.println(MlpReport.comparison(outcome));
        o.flush();
    }

    private static void written(PrintWriter o, List<Path> paths) {
        o.println("wrote " + String.join(", ", paths.stream().map(Path::toString).toList()));
        o.flush();
    }
}

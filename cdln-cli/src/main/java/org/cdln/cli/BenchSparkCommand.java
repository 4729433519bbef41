package org.cdln.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cdln.cli.ratings.SparkBridge;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cdln bench spark --data DIR}: Spark's ALS and the C-DLN side by side, in one Spark session
 * on one master, on MovieLens-100K's GroupLens splits and, on request, a synthetic ratings set of
 * MovieLens-25M's shape.
 */
@Command(name = "spark", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Spark ALS and the C-DLN side by side on Spark: test RMSE, MAE and fit seconds.",
            "Both are fitted on the training ratings less a validation share, on which ALS's rank and regParam "
                    + "(maxIter 20) are chosen and the C-DLN stops early; the test file is never used for a choice."})
public final class BenchSparkCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "The unzipped MovieLens-100K folder (u1.base, u1.test, …).")
    Path data;
    @Option(names = "--splits", paramLabel = "LIST", defaultValue = "u1,u2,u3,u4,u5",
            description = "GroupLens splits to run (default u1,u2,u3,u4,u5; 'none' for none).")
    String splits;
    @Option(names = "--synthetic", paramLabel = "SCALE",
            description = "Also run the synthetic MovieLens-25M-shaped set (162,541 users × 59,047 items × 25M ratings) "
                    + "scaled by SCALE in (0, 1] (1: full size).")
    Double synthetic;
    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[2]",
            description = "Spark master (default local[2]).")
    String master;
    @Option(names = "--als-ranks", paramLabel = "LIST", defaultValue = "8,16,32", description = "ALS ranks tried (default 8,16,32).")
    String alsRanks;
    @Option(names = "--als-regs", paramLabel = "LIST", defaultValue = "0.05,0.1,0.2",
            description = "ALS regParams tried (default 0.05,0.1,0.2).")
    String alsRegs;
    @Option(names = "--rank-hat", paramLabel = "R|auto", defaultValue = "auto",
            description = "C-DLN width r̂, or auto (default: the validation sweep).")
    String rankHat;
    @Option(names = "--steps", paramLabel = "N", description = "C-DLN step budget (default: the library's).")
    Long steps;
    @Option(names = "--step-size", paramLabel = "ETA|auto", defaultValue = "auto",
            description = "C-DLN step size η, or auto (default: the library's rule).")
    String stepSize;
    @Option(names = "--validation", paramLabel = "F", defaultValue = "0.05",
            description = "Validation share of the training ratings (default 0.05).")
    double validation;
    @Option(names = "--blocks", paramLabel = "N", description = "C-DLN user blocks (default: the master's parallelism).")
    Integer blocks;
    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "0", description = "Seed (default 0).")
    long seed;
    @Option(names = "--models", paramLabel = "LIST", defaultValue = "als,c-dln",
            description = "Which models to fit: als, c-dln or both (default als,c-dln).")
    String models;

    @Override
    public Integer call() {
        if (!(validation > 0 && validation <= 0.5)) {
            throw new IllegalArgumentException("--validation must be in (0, 0.5], got " + validation);
        }
        if (synthetic != null && !(synthetic > 0 && synthetic <= 1)) {
            throw new IllegalArgumentException("--synthetic must be in (0, 1], got " + synthetic);
        }
        List<String> names = splits.trim().equalsIgnoreCase("none") ? List.of()
                : Arrays.stream(splits.split(",")).map(String::trim).toList();
        if (!names.isEmpty() && data == null) {
            throw new IllegalArgumentException("--data DIR is required for the MovieLens splits (or --splits none)");
        }
        int[] ranks = Arrays.stream(alsRanks.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        double[] regs = Arrays.stream(alsRegs.split(",")).mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
        java.util.Set<String> which = new java.util.LinkedHashSet<>();
        for (String m : models.split(",")) {
            String v = m.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("als") && !v.equals("c-dln")) {
                throw new IllegalArgumentException("--models takes als and c-dln (comma-separated), got '" + m.trim()
                        + "'");
            }
            which.add(v);
        }
        SparkBridge.requireSpark();
        int r = rankHat.trim().equalsIgnoreCase("auto") ? 0 : Integer.parseInt(rankHat.trim());
        double eta = stepSize.trim().equalsIgnoreCase("auto") ? 0.0 : Double.parseDouble(stepSize.trim());
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("--step-size must be a number > 0 or auto, got " + stepSize);
        }
        org.cdln.spark.SparkBench.run(master, spec.commandLine().getOut(), data, names, synthetic, ranks, regs, r, steps,
                blocks, validation, seed, which, eta);
        return 0;
    }
}

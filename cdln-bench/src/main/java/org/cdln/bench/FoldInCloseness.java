package org.cdln.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.linalg.Rng;
import org.cdln.recommend.AltMin;
import org.cdln.recommend.ColdStart;
import org.cdln.recommend.CompletionModel;
import org.cdln.recommend.DeepMatrixCompletion;
import org.cdln.recommend.FoldIn;
import org.cdln.recommend.RatingsEstimator;

/**
 * How close fold-in comes to a refit on real ratings: on a GroupLens split (default u1), USERS
 * users with at least 20 training ratings are drawn (seeded); a model is fitted on all training
 * ratings ("refit") and one without those users' ratings, into which each user is then folded
 * in from their training ratings. Printed: the RMS difference between fold-in and refit
 * predictions on the users' test pairs, and the test RMSE of the refit, of the fold-in and of the
 * model that never saw them (cold start: μ + b_i). For the C-DLN (r̂ = 8, the automatic ε, η) and
 * AltMin (k = 5, λ = 10).
 *
 * <p>{@code java -cp "cdln-bench/target/classes:cdln-bench/target/lib/*" org.cdln.bench.FoldInCloseness DIR [SPLIT USERS LAMBDAS]}
 * (LAMBDAS: comma-separated ridge λ values to try; default the automatic one)
 */
public final class FoldInCloseness {
    private FoldInCloseness() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String split = args.length > 1 ? args[1] : "u1";
        int nUsers = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        double[] lambdas = args.length > 3 ? java.util.Arrays.stream(args[3].split(",")).mapToDouble(Double::parseDouble)
                .toArray() : new double[] {Double.NaN};
        Splits.Split s = Splits.groupLens(dir, split);
        Ratings train = s.train();
        int[] counts = train.countsPerUser();
        List<Integer> eligible = new ArrayList<>();
        for (int u = 0; u < counts.length; u++) {
            if (counts[u] >= 20) {
                eligible.add(u);
            }
        }
        int[] pool = eligible.stream().mapToInt(Integer::intValue).toArray();
        new Rng(7).shuffle(pool);
        boolean[] held = new boolean[train.numUsers()];
        for (int q = 0; q < nUsers; q++) {
            held[pool[q]] = true;
        }
        List<Integer> keep = new ArrayList<>();
        List<Integer> testKeep = new ArrayList<>();
        for (int k = 0; k < train.size(); k++) {
            if (!held[train.userIndex(k)]) {
                keep.add(k);
            }
        }
        for (int k = 0; k < s.test().size(); k++) {
            if (held[s.test().userIndex(k)]) {
                testKeep.add(k);
            }
        }
        Ratings without = train.subset(keep.stream().mapToInt(Integer::intValue).toArray(), "without held-out users");
        Ratings heldTest = s.test().subset(testKeep.stream().mapToInt(Integer::intValue).toArray(), "held-out users' test");
        System.out.printf(Locale.ROOT, "%s: %d held-out users (%d training ratings, %d test ratings)%n", split, nUsers,
                train.size() - without.size(), heldTest.size());
        RatingsEstimator[] ests = {DeepMatrixCompletion.builder().set(DeepMatrixCompletion.RANK_HAT, 8).build(),
            new AltMin(AltMin.DEFAULTS.with(5, 10.0))};
        String[] names = {"c-dln r̂=8", "altmin k=5 λ=10"};
        for (int e = 0; e < ests.length; e++) {
            CompletionModel refit = ests[e].fit(train);
            CompletionModel reduced = ests[e].fit(without);
            for (double lambda : lambdas) {
            CompletionModel folded = reduced;
            for (int u = 0; u < held.length; u++) {
                if (!held[u]) {
                    continue;
                }
                List<String> items = new ArrayList<>();
                List<Double> r = new ArrayList<>();
                for (int k = 0; k < train.size(); k++) {
                    if (train.userIndex(k) == u) {
                        items.add(train.items().id(train.itemIndex(k)));
                        r.add(train.rating(k));
                    }
                }
                double l = Double.isNaN(lambda) ? FoldIn.autoLambda(reduced) : lambda;
                folded = folded.foldIn(train.users().id(u), items.toArray(new String[0]),
                        r.stream().mapToDouble(Double::doubleValue).toArray(), l);
            }
            double ss = 0;
            for (int k = 0; k < heldTest.size(); k++) {
                String uid = heldTest.users().id(heldTest.userIndex(k));
                String iid = heldTest.items().id(heldTest.itemIndex(k));
                double d = folded.predict(uid, iid, ColdStart.BASELINE) - refit.predict(uid, iid, ColdStart.BASELINE);
                ss += d * d;
            }
            System.out.printf(Locale.ROOT, "  %-16s λ %-5s fold-in vs refit RMS difference %.4f; test RMSE refit %.4f, fold-in %.4f, "
                    + "never seen (μ + b_i) %.4f%n", names[e],
                    Double.isNaN(lambda) ? "auto" : String.valueOf(lambda), Math.sqrt(ss / heldTest.size()),
                    refit.evaluate(heldTest, ColdStart.BASELINE).rmse(), folded.evaluate(heldTest, ColdStart.BASELINE).rmse(),
                    reduced.evaluate(heldTest, ColdStart.BASELINE).rmse());
            }
        }
    }
}

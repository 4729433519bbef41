package org.cdln.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cdln.linalg.Rng;

/**
 * Train/test splits of ratings. Both halves of a split share one pair of {@link IdMapping}s, so a
 * user or item index means the same in both (an id may have ratings in one half only).
 *
 * <ul>
 *   <li>{@link #groupLens}: the GroupLens ml-100k files {@code u1.base}/{@code u1.test} …
 *       {@code u5}, {@code ua}, {@code ub} (5-fold cross-validation and 10-ratings-per-user
 *       splits), read from a folder;</li>
 *   <li>{@link #random}: a uniform hold-out of a fraction of the ratings;</li>
 *   <li>{@link #perUser}: a hold-out of a fixed number of ratings of every user (like ua/ub),
 *       never leaving a user without a training rating.</li>
 * </ul>
 * Seeded splits are reproducible: the same ratings and seed give the same split.
 */
public final class Splits {
    /** The split names {@link #groupLens} knows. */
    public static final List<String> GROUPLENS = List.of("u1", "u2", "u3", "u4", "u5", "ua", "ub");

    private Splits() {
    }

    /**
     * A train/test pair.
     *
     * @param train       the ratings to fit
     * @param test        the held-out ratings
     * @param description how the split was made, for provenance
     */
    public record Split(Ratings train, Ratings test, String description) {
    }

    /**
     * The GroupLens split {@code name} ∈ {u1…u5, ua, ub} from {@code dir}/{name}.base and
     * {name}.test (format {@link RatingsFormat#MOVIELENS}), indexed by the union of their ids.
     *
     * @throws IllegalArgumentException for another name or when the files are missing
     */
    public static Split groupLens(Path dir, String name) {
        if (!GROUPLENS.contains(name)) {
            throw new IllegalArgumentException("unknown GroupLens split '" + name + "'; use one of "
                    + String.join(", ", GROUPLENS));
        }
        Path base = dir.resolve(name + ".base");
        Path test = dir.resolve(name + ".test");
        for (Path p : List.of(base, test)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no " + p.getFileName() + " in " + dir
                        + "; point to the unzipped GroupLens ml-100k folder (u.data, u1.base, u1.test, …)");
            }
        }
        RatingsReader reader = new RatingsReader(RatingsFormat.MOVIELENS, RatingsReader.Duplicates.ERROR);
        Ratings b = reader.readFile(base).ratings();
        Ratings t = reader.readFile(test).ratings();
        IdMapping users = IdMapping.union(b.users(), t.users());
        IdMapping items = IdMapping.union(b.items(), t.items());
        return new Split(b.remap(users, items), t.remap(users, items), "GroupLens split " + name + " of " + dir);
    }

    /**
     * Holds out ⌊fraction·n⌋ ratings chosen uniformly without replacement (seeded); O(n).
     *
     * @param testFraction in (0, 1)
     */
    public static Split random(Ratings all, double testFraction, long seed) {
        if (!(testFraction > 0.0 && testFraction < 1.0)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
        int n = all.size();
        int nTest = (int) Math.floor(testFraction * n);
        if (nTest < 1 || nTest >= n) {
            throw new IllegalArgumentException("a test fraction of " + testFraction + " of " + n
                    + " ratings leaves one side empty; use more ratings or another fraction");
        }
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            perm[k] = k;
        }
        new Rng(seed).shuffle(perm);
        boolean[] isTest = new boolean[n];
        for (int k = 0; k < nTest; k++) {
            isTest[perm[k]] = true;
        }
        return partition(all, isTest, "random hold-out of " + nTest + " of " + n + " ratings (fraction " + testFraction
                + ", seed " + seed + ")");
    }

    /**
     * Holds out {@code perUser} ratings of every user chosen uniformly (seeded); a user with
     * at most {@code perUser} ratings keeps one for training and gives the rest. O(n).
     *
     * @param perUser ≥ 1 (ua/ub use 10)
     */
    public static Split perUser(Ratings all, int perUser, long seed) {
        if (perUser < 1) {
            throw new IllegalArgumentException("ratings held out per user must be ≥ 1, got " + perUser);
        }
        List<List<Integer>> byUser = new ArrayList<>();
        for (int u = 0; u < all.numUsers(); u++) {
            byUser.add(new ArrayList<>());
        }
        for (int k = 0; k < all.size(); k++) {
            byUser.get(all.userIndex(k)).add(k);
        }
        Rng rng = new Rng(seed);
        boolean[] isTest = new boolean[all.size()];
        int nTest = 0;
        for (List<Integer> rs : byUser) {
            int[] idx = rs.stream().mapToInt(Integer::intValue).toArray();
            rng.shuffle(idx);
            int take = Math.min(perUser, idx.length - 1);
            for (int k = 0; k < take; k++) {
                isTest[idx[k]] = true;
                nTest++;
            }
        }
        if (nTest == 0) {
            throw new IllegalArgumentException("no user has two ratings, so a per-user hold-out leaves the test set empty");
        }
        return partition(all, isTest, "per-user hold-out of " + perUser + " ratings per user (" + nTest + " in all, seed "
                + seed + ")");
    }

    /**
     * Seeded k-fold cross-validation: the ratings are shuffled once and cut into k folds of
     * ⌊n/k⌋ or ⌈n/k⌉ ratings; split f tests on fold f and trains on the others. Every rating is
     * tested exactly once. O(k·n).
     *
     * @param folds k in [2, n]
     */
    public static List<Split> kFold(Ratings all, int folds, long seed) {
        int n = all.size();
        if (folds < 2 || folds > n) {
            throw new IllegalArgumentException("folds must be in [2, " + n + "] (the number of ratings), got " + folds);
        }
        int[] perm = new int[n];
        for (int k = 0; k < n; k++) {
            perm[k] = k;
        }
        new Rng(seed).shuffle(perm);
        List<Split> out = new ArrayList<>(folds);
        for (int f = 0; f < folds; f++) {
            int lo = (int) ((long) f * n / folds);
            int hi = (int) ((long) (f + 1) * n / folds);
            boolean[] isTest = new boolean[n];
            for (int k = lo; k < hi; k++) {
                isTest[perm[k]] = true;
            }
            out.add(partition(all, isTest, "fold " + (f + 1) + " of " + folds + " (" + (hi - lo) + " of " + n
                    + " ratings tested, seed " + seed + ")"));
        }
        return out;
    }

    private static Split partition(Ratings all, boolean[] isTest, String description) {
        int nTest = 0;
        for (boolean b : isTest) {
            nTest += b ? 1 : 0;
        }
        int[] tr = new int[all.size() - nTest];
        int[] te = new int[nTest];
        int a = 0;
        int b = 0;
        for (int k = 0; k < isTest.length; k++) {
            if (isTest[k]) {
                te[b++] = k;
            } else {
                tr[a++] = k;
            }
        }
        return new Split(all.subset(tr, all.source() + " (train)"), all.subset(te, all.source() + " (test)"), description);
    }
}

package org.cdln.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdln.data.IdMapping;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;

/**
 * Fold-in: scores a user who was not in the fit from their ratings, with the item side of the
 * model fixed (for {@link CompletionModel#foldIn}).
 *
 * <p>For the user's ratings r_j on known items j (V's columns v_j, item biases b_j, mean μ):
 * <ol>
 *   <li>the user bias, as in the bias fit ({@link RatingBaseline}, biases centering only):
 *       b_u = Σ_j (r_j − μ − b_j)/(n + λ_b), λ_b the model's bias damping;</li>
 *   <li>the factor row, by ridge least squares on the residuals e_j = r_j − μ − b_u − b_j:
 *       u = (Σ_j v_j v_jᵀ + λ·I)⁻¹·Σ_j e_j·v_j.</li>
 * </ol>
 * This is exactly AltMin's user update ({@link AltMin}: same λ units, sums not means), so for an
 * AltMin model fold-in with its λ repeats one half-sweep for that user. Cost O(n·k² + k³).
 */
public final class FoldIn {
    /**
     * The ridge λ of {@link #autoLambda} when a model carries neither its own λ nor the
     * statistics of the empirical rule (e.g. a hand-built model): 1.
     */
    public static final double DEFAULT_LAMBDA = 1.0;

    /** The setting's name in messages and provenance. */
    public static final String SETTING = "fold-in-lambda";

    /**
     * The automatic λ. An AltMin model: its own regularisation λ (its {@code lambda} setting), so
     * that fold-in is exactly its user update. Any other model: the ridge λ of a Gaussian prior
     * on the user row, λ = σ̂²/s_u², with σ̂² the model's residual variance — its best validation
     * RMSE squared, else twice the training loss ((1/(2|Ω|))·Σ residual²) of its last fit point —
     * and s_u² = mean over users with training ratings of ‖U[u, :]‖²/k, the spread of the fitted
     * user rows. Noisy ratings (MovieLens: σ̂² ≈ 0.84) get a strong ridge, nearly noiseless ones a
     * weak one. {@link #DEFAULT_LAMBDA} when either statistic is missing or not positive.
     * Cost O(d1·k).
     */
    public static double autoLambda(CompletionModel m) {
        if (m.kind() == ModelKind.ALTMIN && m.settings().containsKey("lambda")) {
            double l = parse(m.settings().get("lambda"));
            return l >= 0 ? l : DEFAULT_LAMBDA;
        }
        int k = m.rank();
        if (k == 0) {
            return DEFAULT_LAMBDA;
        }
        double noise = parse(m.settings().get("best_validation_rmse"));
        noise = noise * noise;
        if (!(noise > 0 && Double.isFinite(noise)) && !m.trajectory().isEmpty()) {
            noise = 2 * m.trajectory().get(m.trajectory().size() - 1).trainLoss();
        }
        double[] rows = m.userRowsLive();
        double ss = 0;
        int n = 0;
        for (int u = 0; u < m.users().size(); u++) {
            if (m.ratingCount(u) == 0) {
                continue;
            }
            for (int c = 0; c < k; c++) {
                ss += rows[u * k + c] * rows[u * k + c];
            }
            n++;
        }
        double prior = n == 0 ? Double.NaN : ss / ((double) n * k);
        double l = noise / prior;
        return l > 0 && Double.isFinite(l) ? l : DEFAULT_LAMBDA;
    }

    private static double parse(String s) {
        if (s == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private FoldIn() {
    }

    static CompletionModel apply(CompletionModel m, String user, String[] itemIds, double[] ratings, double lambda) {
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("fold-in needs a non-empty user id");
        }
        if (itemIds.length != ratings.length) {
            throw new IllegalArgumentException("fold-in got " + itemIds.length + " items but " + ratings.length
                    + " ratings; give one rating per item");
        }
        if (!(lambda >= 0.0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException(SETTING + " λ must be a finite number ≥ 0, got " + lambda);
        }
        IdMapping items = m.items();
        int k = m.rank();
        List<Integer> idx = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        boolean[] taken = new boolean[items.size()];
        for (int q = 0; q < itemIds.length; q++) {
            if (!Double.isFinite(ratings[q])) {
                throw new IllegalArgumentException("rating of item " + itemIds[q] + " is " + ratings[q]
                        + "; ratings must be finite numbers");
            }
            int i = items.indexOf(itemIds[q]);
            if (i < 0) {
                continue;
            }
            if (taken[i]) {
                throw new IllegalArgumentException("item " + itemIds[q] + " is rated twice; keep one rating");
            }
            taken[i] = true;
            idx.add(i);
            val.add(ratings[q]);
        }
        RatingBaseline b = m.baseline();
        int n = idx.size();
        double bu = 0.0;
        if (b.centering() == Centering.BIASES && n > 0) {
            double sum = 0.0;
            for (int q = 0; q < n; q++) {
                sum += val.get(q) - b.mean() - b.itemBiasAt(idx.get(q));
            }
            bu = sum / (n + b.damping());
        }
        double[] row = new double[k];
        if (k > 0 && n > 0) {
            Matrix v = m.itemFactorsLive();
            Matrix a = new Matrix(k, k);
            Matrix rhs = new Matrix(k, 1);
            double[] vd = v.data();
            for (int q = 0; q < n; q++) {
                int io = idx.get(q) * k;
                double e = val.get(q) - b.mean() - bu - b.itemBiasAt(idx.get(q));
                for (int c = 0; c < k; c++) {
                    rhs.data()[c] += e * vd[io + c];
                    for (int d = 0; d < k; d++) {
                        a.data()[d * k + c] += vd[io + c] * vd[io + d];
                    }
                }
            }
            for (int c = 0; c < k; c++) {
                a.data()[c * k + c] += lambda;
            }
            Matrix x;
            try {
                x = LinearAlgebra.instance().solveSpd(a, rhs);
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException("fold-in of user " + user + ": the ridge system of " + n
                        + " ratings and rank " + k + " is singular; use " + SETTING + " λ > 0", ex);
            }
            System.arraycopy(x.data(), 0, row, 0, k);
        }
        return withUser(m, user, bu, row, idx);
    }

    /** The model with one user's bias, factor row and seen items set (appended when new). */
    private static CompletionModel withUser(CompletionModel m, String user, double bu, double[] row,
                                            List<Integer> seenItems) {
        IdMapping users = m.users();
        int d1 = users.size();
        int k = m.rank();
        int u = users.indexOf(user);
        boolean added = u < 0;
        int n1 = added ? d1 + 1 : d1;
        if (added) {
            List<String> ids = new ArrayList<>(users.ids());
            ids.add(user);
            users = IdMapping.of(ids);
            u = d1;
        }
        RatingBaseline b = m.baseline();
        double[] ub = Arrays.copyOf(b.userBias(), n1);
        ub[u] = bu;
        RatingBaseline nb = new RatingBaseline(b.centering(), b.mean(), ub, b.itemBias(), b.damping());
        double[] rows = m.userRowsLive();
        Matrix uf = new Matrix(n1, k);
        for (int q = 0; q < d1; q++) {
            for (int c = 0; c < k; c++) {
                uf.set(q, c, rows[q * k + c]);
            }
        }
        for (int c = 0; c < k; c++) {
            uf.set(u, c, row[c]);
        }
        int[] ptr = m.seenPointers();
        int[] seen = m.seenItemIndices();
        int[] sorted = seenItems.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] np = new int[n1 + 1];
        int old = added ? 0 : ptr[u + 1] - ptr[u];
        int[] ni = new int[seen.length - old + sorted.length];
        int w = 0;
        for (int q = 0; q < n1; q++) {
            np[q] = w;
            if (q == u) {
                System.arraycopy(sorted, 0, ni, w, sorted.length);
                w += sorted.length;
            } else {
                int len = ptr[q + 1] - ptr[q];
                System.arraycopy(seen, ptr[q], ni, w, len);
                w += len;
            }
        }
        np[n1] = w;
        Map<String, String> settings = new LinkedHashMap<>(m.settings());
        int before = Integer.parseInt(settings.getOrDefault("folded_in_users", "0"));
        settings.put("folded_in_users", String.valueOf(before + 1));
        return new CompletionModel(m.kind(), users, m.items(), nb, uf, m.itemFactorsLive(), m.clipMin(), m.clipMax(),
                np, ni, settings, m.trajectory());
    }
}

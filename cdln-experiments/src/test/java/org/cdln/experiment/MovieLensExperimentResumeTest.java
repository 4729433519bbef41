package org.cdln.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cdln.data.Ratings;
import org.cdln.data.Splits;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Rng;
import org.cdln.recommend.FitPoint;
import org.cdln.train.StopSignal;
import org.cdln.train.TrainingInterruptedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MovieLens experiment stopped (as by SIGTERM) inside the original network's fit, a C-DLN fit
 * or AltMin, then resumed from its checkpoints: every run's test-RMSE curve and factors equal
 * those of the uninterrupted experiment.
 */
class MovieLensExperimentResumeTest {
    private static final LinearAlgebra LA = LinearAlgebra.java();

    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        StopSignal.clear();
    }

    /** Seeded ratings of a rank-3 matrix with biases and noise, 40 users × 50 items, 40 % observed; 20 % test. */
    private static Splits.Split split() {
        Rng rng = new Rng(7);
        Ratings.Builder b = Ratings.builder("synthetic 40×50");
        double[][] u = new double[40][3];
        double[][] v = new double[50][3];
        for (double[] row : u) {
            for (int k = 0; k < 3; k++) {
                row[k] = rng.gaussian();
            }
        }
        for (double[] row : v) {
            for (int k = 0; k < 3; k++) {
                row[k] = rng.gaussian();
            }
        }
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 50; j++) {
                if (rng.uniform(0, 1) < 0.4) {
                    double r = 3 + 0.4 * (u[i][0] * v[j][0] + u[i][1] * v[j][1] + u[i][2] * v[j][2]) + 0.1 * rng.gaussian();
                    b.add("u" + i, "i" + j, Math.max(1, Math.min(5, r)));
                }
            }
        }
        return Splits.random(b.build(), 0.2, 3);
    }

    private static MovieLensExperiment.Settings settings() {
        return new MovieLensExperiment.Settings(3, 1.0, 5.0, 4.0, List.of(3, 6), 60, 1, 0, 60, 2, 1800,
                List.of(3), List.of(1.0), 5, 5.0, 0);
    }

    private static void assertSameRun(MovieLensExperiment.Run a, MovieLensExperiment.Run b) {
        assertEquals(a.name(), b.name());
        List<FitPoint> pa = a.points();
        List<FitPoint> pb = b.points();
        assertEquals(pa.size(), pb.size(), a.name());
        for (int i = 0; i < pa.size(); i++) {
            assertEquals(pa.get(i).step(), pb.get(i).step(), a.name());
            assertEquals(pa.get(i).validationRmse(), pb.get(i).validationRmse(), 0.0, a.name() + " at " + i);
            assertEquals(pa.get(i).trainLoss(), pb.get(i).trainLoss(), 0.0, a.name() + " at " + i);
        }
        assertArrayEquals(a.model().userFactors().data(), b.model().userFactors().data(), 0.0, a.name());
        assertArrayEquals(a.model().itemFactors().data(), b.model().itemFactors().data(), 0.0, a.name());
        assertEquals(a.stopReason(), b.stopReason(), a.name());
    }

    /**
     * Run 0 is the original network, 1 and 2 the C-DLNs; a stop requested at the last step of run 2
     * (60) is seen by AltMin's first sweep.
     */
    @ParameterizedTest
    @ValueSource(strings = {"0:20", "2:20", "2:60"})
    void anInterruptedExperimentResumesIntoTheUninterruptedOne(String where) {
        int run = Integer.parseInt(where.split(":")[0]);
        long at = Long.parseLong(where.split(":")[1]);
        Splits.Split split = split();
        MovieLensExperiment.Outcome full = MovieLensExperiment.run(settings(), split, LA, ListenerFactory.none(),
                r -> { });
        Path ckpt = dir.resolve("checkpoints");
        try {
            TrainingInterruptedException e = assertThrows(TrainingInterruptedException.class,
                    () -> MovieLensExperiment.run(settings(), split, LA, Interruptions.stopAt(run, at), r -> { },
                            ckpt, false));
            assertTrue(e.checkpoint() != null && Files.exists(e.checkpoint()), "saved: " + e.checkpoint());
            assertEquals(at == 60 ? "altmin" : run == 0 ? "dln" : "c-dln", e.label(), "interrupted in the intended fit");
        } finally {
            StopSignal.clear();
        }
        for (int pass = 0; pass < 2; pass++) {   // the second resumes only finished fits
            List<Long> firstSteps = new java.util.ArrayList<>();
            ListenerFactory starts = (label, budget) -> List.of(new org.cdln.train.TrainingListener() {
                @Override
                public void onStart(org.cdln.train.TrainingContext context) {
                    firstSteps.add(context.firstStep());
                }
            });
            MovieLensExperiment.Outcome resumed = MovieLensExperiment.run(settings(), split, LA, starts, r -> { },
                    ckpt, true);
            assertEquals(full.runs().size(), resumed.runs().size());
            // it did resume: finished fits from their ends, the interrupted one from its step, later ones afresh
            for (int i = 0; i < firstSteps.size(); i++) {
                long end = Long.parseLong(full.runs().get(i).model().settings().get("steps"));
                long expected = pass == 1 || i < run || at == 60 ? end : i == run ? at + 1 : 0;
                assertEquals(expected, firstSteps.get(i), "first step of run " + i + " in pass " + pass);
            }
            assertEquals(3, firstSteps.size());
            for (int i = 0; i < full.runs().size(); i++) {
                assertSameRun(full.runs().get(i), resumed.runs().get(i));
            }
        }
    }
}

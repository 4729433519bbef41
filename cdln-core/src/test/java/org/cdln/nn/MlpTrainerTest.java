package org.cdln.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cdln.data.DigitsCsv;
import org.cdln.data.ImageDataset;
import org.cdln.data.TestData;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.optim.OptimizerConfig;
import org.cdln.train.StopReason;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Training: accuracy on the digits, determinism, multipliers, schedules, divergence, allocation. */
class MlpTrainerTest {
    private final LinearAlgebra la = LinearAlgebra.instance();

    /** n images of 8×8: class c lights pixel block c on noise (learnable, separable). */
    static ImageDataset synthetic(int n, long seed) {
        Rng r = new Rng(seed);
        byte[] px = new byte[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(4);
            for (int k = 0; k < 64; k++) {
                boolean on = k / 16 == y[i];
                px[i * 64 + k] = (byte) (on ? 8 + r.nextInt(9) : r.nextInt(9));
            }
        }
        return ImageDataset.of("synthetic", 8, 8, px, y, 4, 16);
    }

    @Test
    void smallMlpReachesNinetyPercentOnTheDigits() {
        Optional<Path> folder = TestData.dataset("sklearn-digits");
        Assumptions.assumeTrue(folder.isPresent(), "shared/data/sklearn-digits not found: set -Dcdln.data or "
                + "check out ../shared beside the project");
        ImageDataset.Split s = DigitsCsv.read(folder.get().resolve("digits.csv.gz")).shuffleSplit(0.25, 42)
                .standardized();
        MlpTrainerConfig cfg = MlpTrainerConfig.adam(3e-3, 32, 15, 1).withSchedule(org.cdln.optim.LearningRateSchedule.COSINE);
        List<MlpArchitecture> variants = List.of(MlpArchitecture.plain(64, new int[] {64}, 10),
                MlpArchitecture.withDlnBlock(64, new int[] {64}, 10, 3, 0.1),
                MlpArchitecture.withCdlnBlock(64, new int[] {64}, 10, 3, 20, 0.1, 1.0));
        for (MlpArchitecture arch : variants) {
            MlpResult r = new MlpTrainer(cfg, la).fit(arch.name(), Mlp.initialize(arch, 7, la), s.train(), s.test());
            assertTrue(r.finalTestAccuracy() >= 0.90, arch.name() + " reached only " + r.finalTestAccuracy());
            assertEquals(16, r.trajectory().size());
            assertEquals(15L * ((s.train().size() + 31) / 32), r.steps());
            assertEquals(15L * s.train().size(), r.images());
        }
    }

    @Test
    void sameSeedSameRunAndTheInputIsNotModified() {
        ImageDataset train = synthetic(300, 1);
        ImageDataset test = synthetic(100, 2);
        MlpArchitecture arch = MlpArchitecture.withCdlnBlock(64, new int[] {16}, 4, 3, 3, 0.3, 2.0);
        Mlp net = Mlp.initialize(arch, 5, la);
        Matrix w0 = net.weight(0).copy();
        MlpTrainerConfig cfg = MlpTrainerConfig.adam(1e-2, 32, 3, 9);
        MlpResult a = new MlpTrainer(cfg, la).fit("a", net, train, test);
        MlpResult b = new MlpTrainer(cfg, la).fit("b", net, train, test);
        assertEquals(0.0, net.weight(0).distance(w0), "fit must not modify the network it was given");
        for (int e = 0; e < a.trajectory().size(); e++) {
            assertEquals(a.trajectory().get(e).testLoss(), b.trajectory().get(e).testLoss(), 0.0);
        }
        assertTrue(a.finalTestAccuracy() > 0.9, "synthetic task not learnt: " + a.finalTestAccuracy());
        assertEquals(0.0, a.network().weight(2).distance(b.network().weight(2)));
    }

    @Test
    void eachLayerStepsWithItsMultiplier() {
        // one full-batch GD step: ΔW_l = −η·m_l·∂ℓ/∂W_l, with m = α on the C-DLN block's first layer
        ImageDataset train = synthetic(40, 3);
        MlpArchitecture arch = MlpArchitecture.withCdlnBlock(64, new int[] {8}, 4, 3, 2, 0.5, 3.0);
        Mlp net = Mlp.initialize(arch, 2, la);
        double eta = 0.1;
        MlpTrainerConfig cfg = new MlpTrainerConfig(OptimizerConfig.gd(eta), 40, 1, 1, 100,
                org.cdln.optim.LearningRateSchedule.CONSTANT);
        MlpResult r = new MlpTrainer(cfg, la).fit("one step", net, train, train);
        Matrix x = new Matrix(64, 40);
        int[] y = new int[40];
        int[] order = new int[40];
        for (int i = 0; i < 40; i++) {
            order[i] = i;
        }
        train.gather(order, 0, 40, x, y);
        Matrix[] g = net.newGradients();
        net.lossAndGradients(x, y, g, la);
        Matrix[] before = net.parameters();
        Matrix[] after = r.network().parameters();
        double[] rates = {1, 1, 3, 1, 1, 1, 1};   // W0 b0 | block1 (α) | block2 | block3 | W_out b_out
        for (int p = 0; p < before.length; p++) {
            Matrix step = after[p].minus(before[p]);
            Matrix expect = g[p].times(-eta * rates[p]);
            assertTrue(step.distance(expect) <= 1e-12 * Math.max(1, expect.frobeniusNorm()),
                    "parameter " + p + ": step " + step.frobeniusNorm() + " vs expected " + expect.frobeniusNorm());
        }
    }

    @Test
    void cosineScheduleGoesFromOneToZero() {
        org.cdln.optim.LearningRateSchedule c = org.cdln.optim.LearningRateSchedule.COSINE;
        assertEquals(1.0, c.factor(0, 100), 0);
        assertEquals(0.5, c.factor(50, 100), 1e-15);
        assertEquals(0.0, c.factor(100, 100), 1e-15);
        assertEquals(1.0, org.cdln.optim.LearningRateSchedule.CONSTANT.factor(70, 100), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> org.cdln.optim.LearningRateSchedule.parse("step"));
        assertTrue(e.getMessage().contains("constant or cosine"), e.getMessage());
    }

    @Test
    void divergenceSaysToLowerTheStepSize() {
        ImageDataset train = synthetic(64, 4);
        // softmax regression: a huge step makes the logits overflow (a ReLU net would just die)
        MlpArchitecture arch = MlpArchitecture.plain(64, new int[0], 4);
        MlpTrainerConfig cfg = new MlpTrainerConfig(OptimizerConfig.gd(1e300), 16, 3, 1, 100,
                org.cdln.optim.LearningRateSchedule.CONSTANT);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new MlpTrainer(cfg, la).fit("big step", Mlp.initialize(arch, 1, la), train, train));
        assertTrue(e.getMessage().contains("diverged") && e.getMessage().contains("lower the step size"), e.getMessage());
    }

    @Test
    void listenersCanStopARunAndTimingsAddUp() {
        ImageDataset train = synthetic(200, 5);
        MlpArchitecture arch = MlpArchitecture.withDlnBlock(64, new int[] {32}, 4, 3, 0.1);
        MlpTrainer t = new MlpTrainer(MlpTrainerConfig.adam(1e-3, 10, 5, 1), la);
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(long step, double loss, TrainingContext context) {
                if (step == 7) {
                    context.requestStop(StopReason.REQUESTED, "enough");
                }
            }
        });
        MlpResult r = t.fit("stopped", Mlp.initialize(arch, 1, la), train, train);
        assertEquals(7, r.steps());
        assertEquals(StopReason.REQUESTED, r.stopReason());
        assertEquals("enough", r.stopMessage());
        assertEquals(70, r.images());
        MlpTimings tm = r.timings();
        assertTrue(tm.totalSeconds() <= r.seconds() * 1.0001 + 1e-6, tm.totalSeconds() + " > " + r.seconds());
        assertTrue(tm.blockSeconds() > 0 && tm.blockSeconds() < tm.totalSeconds());
    }

    @Test
    void aStepAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
                "this JVM cannot count allocated bytes per thread");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        ImageDataset train = synthetic(640, 6);
        MlpArchitecture arch = MlpArchitecture.withCdlnBlock(64, new int[] {64}, 4, 3, 8, 0.1, 2.0);
        long tid = Thread.currentThread().getId();
        long[] at = new long[2];
        MlpTrainer t = new MlpTrainer(MlpTrainerConfig.adam(1e-3, 32, 30, 1), la);
        t.addListener(new TrainingListener() {
            @Override
            public void onStep(long step, double loss, TrainingContext context) {
                if (step == 300) {
                    at[0] = mx.getThreadAllocatedBytes(tid);
                } else if (step == 400) {
                    at[1] = mx.getThreadAllocatedBytes(tid);
                    context.requestStop(StopReason.REQUESTED, "measured");
                }
            }
        });
        t.fit("alloc", Mlp.initialize(arch, 1, la), train, synthetic(50, 7));
        double perStep = (at[1] - at[0]) / 100.0;
        // a workspace for this batch is ≈ 8·32·(64 + 2·(64 + 8 + 8 + 64 + 4)) ≈ 92 kB; allow only noise
        assertTrue(perStep < 512, "a training step allocated " + perStep + " bytes on average");
    }
}

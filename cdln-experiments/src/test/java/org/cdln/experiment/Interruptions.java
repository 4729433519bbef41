package org.cdln.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.cdln.train.StopSignal;
import org.cdln.train.TrainResult;
import org.cdln.train.TrainingContext;
import org.cdln.train.TrainingListener;

/** Test helpers: stop an experiment at a chosen run and step, as SIGTERM does, and compare runs bit for bit. */
final class Interruptions {
    private Interruptions() {
    }

    /**
     * Listeners that request a stop ({@link StopSignal}, what the CLI's signal handler does) at
     * {@code step} of the {@code run}-th run the experiment starts (0-based).
     */
    static ListenerFactory stopAt(int run, long step) {
        AtomicInteger started = new AtomicInteger();
        return (label, budget) -> {
            boolean target = started.getAndIncrement() == run;
            return List.of(new TrainingListener() {
                @Override
                public void onStep(long s, double loss, TrainingContext context) {
                    if (target && s == step) {
                        StopSignal.request("test signal");
                    }
                }
            });
        };
    }

    /** Same steps, stop, trajectory (all but the seconds) and final weights. */
    static void assertSameRun(TrainResult expected, TrainResult actual) {
        String what = expected.label();
        assertEquals(expected.label(), actual.label());
        assertEquals(expected.steps(), actual.steps(), what);
        assertEquals(expected.stopReason(), actual.stopReason(), what);
        assertEquals(expected.stopMessage(), actual.stopMessage(), what);
        assertEquals(expected.trajectory().size(), actual.trajectory().size(), what);
        for (int i = 0; i < expected.trajectory().size(); i++) {
            var e = expected.trajectory().get(i);
            var a = actual.trajectory().get(i);
            assertEquals(e.step(), a.step(), what);
            assertEquals(e.trainLoss(), a.trainLoss(), 0.0, what + " at step " + e.step());
            assertEquals(e.recoveryError(), a.recoveryError(), 0.0, what + " at step " + e.step());
        }
        for (int l = 1; l <= expected.network().depth(); l++) {
            assertArrayEquals(expected.network().layer(l).data(), actual.network().layer(l).data(), 0.0, what + " W" + l);
        }
    }
}

package org.cdln.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.cdln.model.Initialization;
import org.cdln.optim.OptimizerConfig;
import org.cdln.settings.InvalidSettingException;
import org.cdln.settings.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every out-of-range setting of a recovery experiment is refused with an
 * {@link InvalidSettingException} that carries the declared setting and whose message starts with
 * the setting's name (the library's words; the CLI's flags are checked in ReproduceCommandTest),
 * names the allowed range and gives the bad value.
 */
class ReproduceSettingsTest {

    /** A mutable copy of the record's components, to change one at a time. */
    static final class S {
        Experiment experiment;
        int d1;
        int d2;
        int r;
        double p;
        int m;
        int depth;
        double eps;
        double step;
        double alpha;
        int rankHat;
        long steps;
        double tol;
        long seed;
        int evalEvery;

        S(ReproduceSettings s) {
            experiment = s.experiment();
            d1 = s.d1();
            d2 = s.d2();
            r = s.r();
            p = s.p();
            m = s.m();
            depth = s.depth();
            eps = s.eps();
            step = s.step();
            alpha = s.alpha();
            rankHat = s.rankHat();
            steps = s.steps();
            tol = s.tol();
            seed = s.seed();
            evalEvery = s.evalEvery();
        }

        ReproduceSettings build() {
            return new ReproduceSettings(experiment, d1, d2, r, p, m, depth, eps, step, alpha, rankHat, steps, tol, seed,
                    evalEvery, Initialization.ORTH, OptimizerConfig.Kind.GD);
        }
    }

    private static Arguments bad(Experiment e, Setting<?> setting, String range, String value, UnaryOperator<S> change) {
        return Arguments.of(e.id() + " " + setting.name() + " " + value, setting, range, value, e, change);
    }

    static Stream<Arguments> outOfRange() {
        Experiment mc = Experiment.COMPLETION;
        Experiment ms = Experiment.SENSING;
        return Stream.of(
                bad(mc, ReproduceSettings.D1, "≥ 1", "0", s -> { s.d1 = 0; s.d2 = 0; return s; }),
                bad(mc, ReproduceSettings.D2, "≥ 1", "-3", s -> { s.d2 = -3; return s; }),
                bad(mc, ReproduceSettings.R, "[1, 100]", "101", s -> { s.r = 101; return s; }),
                bad(mc, ReproduceSettings.R, "[1, 100]", "0", s -> { s.r = 0; return s; }),
                bad(mc, ReproduceSettings.P, "(0, 1]", "0.0", s -> { s.p = 0.0; return s; }),
                bad(mc, ReproduceSettings.P, "(0, 1]", "1.5", s -> { s.p = 1.5; return s; }),
                bad(mc, ReproduceSettings.P, "(0, 1]", "NaN", s -> { s.p = Double.NaN; return s; }),
                bad(mc, ReproduceSettings.P, "at least 1.0E-4", "1.0E-5", s -> { s.p = 1e-5; return s; }),
                bad(ms, ReproduceSettings.M, "≥ 1", "0", s -> { s.m = 0; return s; }),
                bad(ms, ReproduceSettings.M, "53687", "60000", s -> { s.m = 60_000; return s; }),
                bad(mc, ReproduceSettings.DEPTH, "≥ 2", "1", s -> { s.depth = 1; return s; }),
                bad(mc, ReproduceSettings.EPS, "> 0", "0.0", s -> { s.eps = 0.0; return s; }),
                bad(mc, ReproduceSettings.EPS, "> 0", "Infinity", s -> { s.eps = Double.POSITIVE_INFINITY; return s; }),
                bad(mc, ReproduceSettings.STEP_SIZE, "> 0", "NaN", s -> { s.step = Double.NaN; return s; }),
                bad(mc, ReproduceSettings.STEP_SIZE, "> 0", "-1.0", s -> { s.step = -1.0; return s; }),
                bad(mc, ReproduceSettings.ALPHA, "> 0", "0.0", s -> { s.alpha = 0.0; return s; }),
                bad(mc, ReproduceSettings.RANK_HAT, "[1, 100]", "0", s -> { s.rankHat = 0; return s; }),
                bad(mc, ReproduceSettings.RANK_HAT, "[1, 100]", "101", s -> { s.rankHat = 101; return s; }),
                bad(mc, ReproduceSettings.MAX_STEPS, "≥ 0", "-1", s -> { s.steps = -1; return s; }),
                bad(mc, ReproduceSettings.TOLERANCE, "≥ 0", "-1.0E-12", s -> { s.tol = -1e-12; return s; }),
                bad(mc, ReproduceSettings.TOLERANCE, "≥ 0", "NaN", s -> { s.tol = Double.NaN; return s; }),
                bad(mc, ReproduceSettings.EVAL_EVERY, "≥ 1", "0", s -> { s.evalEvery = 0; return s; }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void outOfRangeValueIsRefusedNamingSettingRangeAndValue(String name, Setting<?> setting, String range, String value,
                                                            Experiment experiment, UnaryOperator<S> change) {
        S s = change.apply(new S(experiment.defaults()));
        InvalidSettingException e = assertThrows(InvalidSettingException.class, s::build);
        String m = e.getMessage();
        assertSame(setting, e.setting(), m);
        assertTrue(m.startsWith(setting.name() + " "), "message should start with " + setting.name() + ": " + m);
        assertFalse(m.contains("--"), "no flag in the library's message: " + m);
        assertTrue(m.contains(range), "message should name the range " + range + ": " + m);
        assertTrue(m.contains(value), "message should give the value " + value + ": " + m);
    }

    @Test
    void referenceSettingsAreValid() {
        for (Experiment e : Experiment.values()) {
            assertDoesNotThrow(() -> new S(e.defaults()).build(), e.id());
        }
        // the boundaries themselves are allowed
        S s = new S(Experiment.COMPLETION.defaults());
        s.p = 1.0;
        s.r = 100;
        s.rankHat = 100;
        s.steps = 0;
        s.tol = 0;
        s.depth = 2;
        assertDoesNotThrow(s::build);
    }

    @Test
    void theDeclaredSettingsAreTheRecordAndBack() {
        for (Experiment e : Experiment.values()) {
            ReproduceSettings s = e.defaults();
            assertEquals(s, ReproduceSettings.of(e, s.settings()), e.id());
            assertEquals(s, ReproduceSettings.of(e, e.settings()), e.id() + ": auto r̂ is 2r");
        }
    }
}

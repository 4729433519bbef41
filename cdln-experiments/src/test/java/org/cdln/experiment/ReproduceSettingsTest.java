package org.cdln.experiment;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.cdln.model.Initialization;
import org.cdln.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every out-of-range setting of {@code cdln reproduce} is refused with an
 * IllegalArgumentException whose message starts with the flag, names the allowed range and gives
 * the bad value.
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

    private static Arguments bad(Experiment e, String flag, String range, String value, UnaryOperator<S> change) {
        return Arguments.of(e.id() + " " + flag + " " + value, flag, range, value, e, change);
    }

    static Stream<Arguments> outOfRange() {
        Experiment mc = Experiment.COMPLETION;
        Experiment ms = Experiment.SENSING;
        return Stream.of(
                bad(mc, "--d", "≥ 1", "0", s -> { s.d1 = 0; s.d2 = 0; return s; }),
                bad(mc, "--d", "≥ 1", "-3", s -> { s.d2 = -3; return s; }),
                bad(mc, "--r", "[1, 100]", "101", s -> { s.r = 101; return s; }),
                bad(mc, "--r", "[1, 100]", "0", s -> { s.r = 0; return s; }),
                bad(mc, "--p", "(0, 1]", "0.0", s -> { s.p = 0.0; return s; }),
                bad(mc, "--p", "(0, 1]", "1.5", s -> { s.p = 1.5; return s; }),
                bad(mc, "--p", "(0, 1]", "NaN", s -> { s.p = Double.NaN; return s; }),
                bad(mc, "--p", "at least 1.0E-4", "1.0E-5", s -> { s.p = 1e-5; return s; }),
                bad(ms, "--m", "≥ 1", "0", s -> { s.m = 0; return s; }),
                bad(ms, "--m", "53687", "60000", s -> { s.m = 60_000; return s; }),
                bad(mc, "--depth", "≥ 2", "1", s -> { s.depth = 1; return s; }),
                bad(mc, "--eps", "> 0", "0.0", s -> { s.eps = 0.0; return s; }),
                bad(mc, "--eps", "> 0", "Infinity", s -> { s.eps = Double.POSITIVE_INFINITY; return s; }),
                bad(mc, "--step", "> 0", "NaN", s -> { s.step = Double.NaN; return s; }),
                bad(mc, "--step", "> 0", "-1.0", s -> { s.step = -1.0; return s; }),
                bad(mc, "--alpha", "> 0", "0.0", s -> { s.alpha = 0.0; return s; }),
                bad(mc, "--rank-hat", "[1, 100]", "0", s -> { s.rankHat = 0; return s; }),
                bad(mc, "--rank-hat", "[1, 100]", "101", s -> { s.rankHat = 101; return s; }),
                bad(mc, "--steps", "≥ 0", "-1", s -> { s.steps = -1; return s; }),
                bad(mc, "--tol", "≥ 0", "-1.0E-12", s -> { s.tol = -1e-12; return s; }),
                bad(mc, "--tol", "≥ 0", "NaN", s -> { s.tol = Double.NaN; return s; }),
                bad(mc, "--eval-every", "≥ 1", "0", s -> { s.evalEvery = 0; return s; }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void outOfRangeValueIsRefusedNamingFlagRangeAndValue(String name, String flag, String range, String value,
                                                         Experiment experiment, UnaryOperator<S> change) {
        S s = change.apply(new S(experiment.defaults()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::build);
        String m = e.getMessage();
        assertTrue(m.startsWith(flag + " "), "message should start with " + flag + ": " + m);
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
}

package org.cdln.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.optim.OptimizerConfig.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Optimiser settings and per-layer rates: defaults, the discrepant rate, validation messages. */
class OptimizerConfigTest {

    private static void assertRejected(String parameter, String badValue, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(parameter), "message should name '" + parameter + "': " + ex.getMessage());
        assertTrue(ex.getMessage().contains(badValue), "message should give the value " + badValue + ": "
                + ex.getMessage());
    }

    @Test
    void discrepantRateScalesTheOuterLayers() {
        assertArrayEquals(new double[] {5, 1, 5}, LayerRates.discrepant(3, 5), 0.0);
        assertArrayEquals(new double[] {2.5, 2.5}, LayerRates.discrepant(2, 2.5), 0.0);
        assertArrayEquals(new double[] {3, 1, 1, 3}, LayerRates.discrepant(4, 3), 0.0);
        assertArrayEquals(new double[] {1, 1, 1}, LayerRates.uniform(3), 0.0);
    }

    @Test
    void layerRatesRejectBadDepthAndAlpha() {
        assertRejected("alpha", "0.0", () -> LayerRates.discrepant(3, 0.0));
        assertRejected("alpha", "NaN", () -> LayerRates.discrepant(3, Double.NaN));
        assertRejected("alpha", "Infinity", () -> LayerRates.discrepant(3, Double.POSITIVE_INFINITY));
        assertRejected("depth", "1", () -> LayerRates.discrepant(1, 5));
        assertRejected("depth", "0", () -> LayerRates.uniform(0));
    }

    @Test
    void defaultsFollowOptax() {
        OptimizerConfig adam = OptimizerConfig.adam(0.01);
        assertEquals(Kind.ADAM, adam.kind());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-8, adam.epsilon());
        assertEquals(0.9, OptimizerConfig.momentum(1).momentum());
        assertEquals(0.9, OptimizerConfig.rmsprop(1).decay());
        assertEquals(7.0, OptimizerConfig.gd(1).withStepSize(7.0).stepSize());
        for (Kind k : Kind.values()) {
            assertEquals(k, OptimizerConfig.of(k, 1).kind());
            assertEquals(k, Kind.parse(" " + k.name().toLowerCase() + " "));
        }
        assertRejected("optimizer", "sgd", () -> Kind.parse("sgd"));
    }

    @Test
    void invalidSettingsNameTheParameterAndTheValue() {
        assertRejected("step size", "0.0", () -> new OptimizerConfig(Kind.GD, 0.0, 0, 0.9, 0.999, 1e-8, 0.9));
        assertRejected("step size", "-1.0", () -> OptimizerConfig.gd(-1.0));
        assertRejected("step size", "NaN", () -> OptimizerConfig.adam(Double.NaN));
        assertRejected("step size", "Infinity", () -> OptimizerConfig.gd(Double.POSITIVE_INFINITY));
        assertRejected("momentum", "1.0", () -> new OptimizerConfig(Kind.MOMENTUM, 1, 1.0, 0.9, 0.999, 1e-8, 0.9));
        assertRejected("momentum", "-0.1", () -> new OptimizerConfig(Kind.MOMENTUM, 1, -0.1, 0.9, 0.999, 1e-8, 0.9));
        assertRejected("beta1", "1.0", () -> new OptimizerConfig(Kind.ADAM, 1, 0, 1.0, 0.999, 1e-8, 0.9));
        assertRejected("beta2", "NaN", () -> new OptimizerConfig(Kind.ADAM, 1, 0, 0.9, Double.NaN, 1e-8, 0.9));
        assertRejected("epsilon", "0.0", () -> new OptimizerConfig(Kind.ADAM, 1, 0, 0.9, 0.999, 0.0, 0.9));
        assertRejected("decay", "1.5", () -> new OptimizerConfig(Kind.RMSPROP, 1, 0, 0.9, 0.999, 1e-8, 1.5));
        assertRejected("kind", "", () -> new OptimizerConfig(null, 1, 0, 0.9, 0.999, 1e-8, 0.9));
    }
}

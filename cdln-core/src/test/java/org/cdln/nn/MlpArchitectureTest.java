package org.cdln.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.junit.jupiter.api.Test;

/** The three variants' shapes, parameter counts, initialisations and multipliers. */
class MlpArchitectureTest {
    private final LinearAlgebra la = LinearAlgebra.java();

    @Test
    void variantsHaveTheDocumentedShapesAndCounts() {
        int[] h = {512, 512};
        MlpArchitecture mlp = MlpArchitecture.plain(784, h, 10);
        MlpArchitecture dln = MlpArchitecture.withDlnBlock(784, h, 10, 3, 0.1);
        MlpArchitecture cdln = MlpArchitecture.withCdlnBlock(784, h, 10, 3, 20, 0.1, 2.0);
        long base = 784L * 512 + 512 + 512L * 512 + 512 + 512L * 10 + 10;
        assertEquals(base, mlp.parameters());
        assertEquals(base + 3L * 512 * 512, dln.parameters());
        assertEquals(base + 2L * 512 * 20 + 20 * 20, cdln.parameters());
        assertEquals(3L * 512 * 512, dln.blockParameters());
        assertEquals(0, mlp.blockParameters());
        assertEquals(6, cdln.depth());
        assertEquals(20, cdln.layer(2).out());
        assertEquals(512, cdln.layer(2).in());
        assertEquals(512, cdln.layer(4).out());
        assertEquals(2.0, cdln.layer(2).rate());
        assertEquals(1.0, cdln.layer(3).rate());
        assertEquals(1.0, cdln.layer(4).rate());
        assertFalse(cdln.layer(2).bias());
        assertEquals("784 → 512→512 relu → [block 512→20→20→512, linear, ε=0.1, α=2.0] → 10", cdln.describe());
        // block work share: 3·(3·512²) over 2·784·512 + 3·512² + 3·(3·512²) + 3·5120
        double share = 9.0 * 512 * 512 / (2.0 * 784 * 512 + 3.0 * 512 * 512 + 9.0 * 512 * 512 + 3.0 * 5120);
        assertEquals(share, dln.blockWorkShare(), 1e-12);
    }

    @Test
    void sharedLayersStartEqualAndTheBlockIsOrthogonalAtScaleEps() {
        int[] h = {16, 12};
        Mlp a = Mlp.initialize(MlpArchitecture.plain(20, h, 5), 3, la);
        Mlp b = Mlp.initialize(MlpArchitecture.withDlnBlock(20, h, 5, 3, 0.01), 3, la);
        Mlp c = Mlp.initialize(MlpArchitecture.withCdlnBlock(20, h, 5, 3, 4, 0.01, 1.0), 3, la);
        assertEquals(0.0, a.weight(0).distance(b.weight(0)));
        assertEquals(0.0, a.weight(1).distance(c.weight(1)));
        assertEquals(0.0, a.weight(2).distance(b.weight(5)));
        assertEquals(0.0, a.weight(2).distance(c.weight(5)));
        // He: Var = 2/in; a 16×20 sample has mean square ≈ 0.1
        double ms = Math.pow(a.weight(0).frobeniusNorm(), 2) / (16 * 20);
        assertEquals(0.1, ms, 0.03);
        // block layers: ε·(orthonormal rows or columns), so WᵀW or WWᵀ = ε²·I
        for (int l = 2; l <= 4; l++) {
            Matrix w = c.weight(l);
            boolean wide = w.rows() <= w.cols();
            Matrix g = wide ? la.multiply(false, w, true, w) : la.multiply(true, w, false, w);
            Matrix expect = Matrix.identity(g.rows());
            expect.scaleInPlace(1e-4);
            assertTrue(g.distance(expect) < 1e-15, "layer " + l + " is not ε·orthogonal: " + g.distance(expect));
        }
        assertTrue(c.blockProduct(la).isPresent());
        assertTrue(a.blockProduct(la).isEmpty());
    }

    @Test
    void badShapesAreRejectedWithTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MlpArchitecture.withCdlnBlock(784, new int[] {64}, 10, 3, 65, 0.1, 1));
        assertTrue(e.getMessage().contains("[1, 64]") && e.getMessage().contains("65"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MlpArchitecture.withDlnBlock(784, new int[0], 10, 3, 0.1));
        assertTrue(e.getMessage().contains("hidden layer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MlpArchitecture.plain(784, new int[] {0}, 10));
        assertTrue(e.getMessage().contains("≥ 1, got 0"), e.getMessage());
    }
}

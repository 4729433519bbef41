package org.cdln.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.junit.jupiter.api.Test;

/** Principal angles, alignment and numerical rank on cases computed by hand. */
class SubspacesTest {
    private final LinearAlgebra la = LinearAlgebra.instance();

    @Test
    void principalAnglesOfTwoPlanesInR3() {
        // A = span(e1, e2); B = span(e1, cos t·e2 + sin t·e3). By hand: AᵀB = [[1, 0], [0, cos t]],
        // singular values 1 and cos t, so the angles are 0 and t.
        double t = 0.7;
        Matrix a = Matrix.ofRows(new double[] {1, 0}, new double[] {0, 1}, new double[] {0, 0});
        Matrix b = Matrix.ofRows(new double[] {1, 0}, new double[] {0, Math.cos(t)}, new double[] {0, Math.sin(t)});
        assertArrayEquals(new double[] {0.0, t}, Subspaces.principalAngles(a, b, la), 1e-7);
        assertEquals(t, Subspaces.largestPrincipalAngle(a, b, la), 1e-12);
    }

    @Test
    void principalAnglesOfRotatedBasesAndOfALineAgainstAPlane() {
        // Any orthonormal basis of the same plane: all angles 0.
        double c = Math.sqrt(0.5);
        Matrix a = Matrix.ofRows(new double[] {1, 0}, new double[] {0, 1}, new double[] {0, 0});
        Matrix rotated = Matrix.ofRows(new double[] {c, -c}, new double[] {c, c}, new double[] {0, 0});
        assertArrayEquals(new double[] {0, 0}, Subspaces.principalAngles(a, rotated, la), 1e-7);
        // The line through (1, 1, 1)/√3 against the plane z = 0: cos θ = ‖(1, 1)/√3‖ = √(2/3), θ = arccos √(2/3).
        double s = 1 / Math.sqrt(3);
        Matrix line = Matrix.ofRows(new double[] {s}, new double[] {s}, new double[] {s});
        assertArrayEquals(new double[] {Math.acos(Math.sqrt(2.0 / 3.0))}, Subspaces.principalAngles(a, line, la), 1e-12);
        // Orthogonal lines: π/2.
        Matrix e3 = Matrix.ofRows(new double[] {0}, new double[] {0}, new double[] {1});
        assertEquals(Math.PI / 2, Subspaces.largestPrincipalAngle(a.columns(0, 1), e3, la), 1e-12);
    }

    @Test
    void tinyAnglesAreResolvedFromTheirSine() {
        // arccos cannot see 1e-10 (cos = 1 − 5e-21 rounds to 1); the sine refinement can.
        double t = 1e-10;
        Matrix a = Matrix.ofRows(new double[] {1}, new double[] {0});
        Matrix b = Matrix.ofRows(new double[] {Math.cos(t)}, new double[] {Math.sin(t)});
        assertEquals(0.0, Subspaces.principalAngles(a, b, la)[0], 0.0);
        assertEquals(t, Subspaces.largestPrincipalAngle(a, b, la), 1e-20);
    }

    @Test
    void alignmentIsTheAbsoluteInnerProductOfMatchingColumns() {
        Matrix a = Matrix.ofRows(new double[] {1, 0}, new double[] {0, 1});
        Matrix b = Matrix.ofRows(new double[] {-0.6, 0}, new double[] {0.8, -1});
        assertArrayEquals(new double[] {0.6, 1.0}, Subspaces.alignment(a, b, 2), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Subspaces.alignment(a, b, 3));
    }

    @Test
    void numericalRankCountsValuesAboveTheRelativeThreshold() {
        assertEquals(2, org.cdln.linalg.Svd.numericalRank(new double[] {10, 1e-3, 1e-7}, 1e-6));
        assertEquals(3, org.cdln.linalg.Svd.numericalRank(new double[] {10, 1e-3, 1e-7}, 0.0));
        assertEquals(0, org.cdln.linalg.Svd.numericalRank(new double[] {0, 0}, 1e-6));
        assertEquals(0, org.cdln.linalg.Svd.numericalRank(new double[0], 1e-6));
        // diag(3, 2, 0) has rank 2
        assertEquals(2, Subspaces.numericalRank(Matrix.diagonal(new double[] {3, 2, 0}), 1e-12, la));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> org.cdln.linalg.Svd.numericalRank(new double[] {1}, 1.5));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
    }

    @Test
    void blocksSplitTheSpectrumIntoTopMiddleAndBottom() {
        SingularBlocks b = new SingularBlocks(10, 3);
        assertEquals(0, b.from(0));
        assertEquals(3, b.to(0));
        assertEquals(3, b.from(1));
        assertEquals(7, b.to(1));
        assertEquals(7, b.from(2));
        assertEquals(10, b.to(2));
        SingularBlocks narrow = new SingularBlocks(5, 3);
        assertEquals(3, narrow.to(0));
        assertEquals(narrow.from(1), narrow.to(1), "empty middle block when 2r > n");
        assertEquals(5, narrow.to(2));
        // gaps at indices 3 and 7 of σ = (10, 9, 8, 5, 5, 5, 5, 2, 1, 0.5): (8 − 5)/10 and (5 − 2)/10
        assertEquals(0.3, b.boundaryGap(new double[] {10, 9, 8, 5, 5, 5, 5, 2, 1, 0.5}), 1e-15);
        assertEquals(0.0, b.boundaryGap(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), 0.0);
    }
}

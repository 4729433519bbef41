package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@value CompletionProblem#PATH_PROPERTY} property fixes the evaluator path of problems
 * whose path is not forced in code (what a resumed run in another process needs to be
 * bit-identical), and a value it does not know is refused by name.
 */
class CompletionPathPropertyTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    @AfterEach
    void clear() {
        System.clearProperty(CompletionProblem.PATH_PROPERTY);
    }

    private static CompletionProblem problem(int d) {
        Matrix y = org.cdln.Oracle.gaussian(d, d, 3);
        return CompletionProblem.sample(y, 0.3, new Rng(4), "property test");
    }

    @Test
    void densePropertyGivesTheDensePath() {
        System.setProperty(CompletionProblem.PATH_PROPERTY, "dense");
        CompletionProblem p = problem(23);
        assertTrue(p.usesDenseProducts(3, LA));
        assertTrue(p.oraclePath(3, LA).startsWith("dense GEMM"), p.oraclePath(3, LA));
    }

    @Test
    void sparsePropertyGivesTheSparsePath() {
        System.setProperty(CompletionProblem.PATH_PROPERTY, "sparse");
        CompletionProblem p = problem(24);
        assertFalse(p.usesDenseProducts(3, LA));
        assertTrue(p.oraclePath(3, LA).startsWith("sparse fused"), p.oraclePath(3, LA));
    }

    @Test
    void codeForcedPathWinsOverTheProperty() {
        System.setProperty(CompletionProblem.PATH_PROPERTY, "sparse");
        assertTrue(problem(25).withDenseGradient().usesDenseProducts(3, LA));
    }

    @Test
    void unknownValueIsRefusedByName() {
        System.setProperty(CompletionProblem.PATH_PROPERTY, "fastest");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> problem(26).usesDenseProducts(3, LA));
        assertEquals("cdln.completion.path=fastest is not a completion path; use dense, sparse or auto (the default: "
                + "timed on this machine)", e.getMessage());
    }
}

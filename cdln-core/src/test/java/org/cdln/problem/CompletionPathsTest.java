package org.cdln.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cdln.compress.SpectralInit;
import org.cdln.linalg.LinearAlgebra;
import org.cdln.linalg.Matrix;
import org.cdln.linalg.Rng;
import org.cdln.model.DeepLinearNetwork;
import org.cdln.model.Initialization;
import org.cdln.optim.LayerRates;
import org.cdln.train.EvalPoint;
import org.cdln.train.TrainResult;
import org.cdln.train.Trainer;
import org.cdln.train.TrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The completion evaluators: the sparse kernels against the definition, and the sparse and dense
 * paths against each other along whole training trajectories (required: the same trajectory as
 * the dense path, to 1e-10 relative).
 */
class CompletionPathsTest {
    private static final LinearAlgebra LA = LinearAlgebra.instance();

    private static CompletionProblem problem(int d1, int d2, int r, double p, long seed) {
        Rng rng = new Rng(seed);
        Matrix y = LowRankTarget.random(d1, d2, r, rng.split(), LA).toDense(LA);
        return CompletionProblem.sample(y, p, rng.split(), "test");
    }

    private static double relative(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0.0 ? 0.0 : Math.abs(a - b) / scale;
    }

    @ParameterizedTest(name = "{0}×{1} {2} depth {3}")
    @CsvSource({
        "30, 20, compressed, 3",
        "20, 30, compressed, 3",
        "24, 24, compressed, 2",
        "20, 30, original, 3",
        "30, 20, original, 2",
    })
    void sparseAndDensePathsFollowTheSameTrajectory(int d1, int d2, String model, int depth) {
        CompletionProblem mc = problem(d1, d2, 3, 0.4, 7);
        DeepLinearNetwork net;
        TrainerConfig config = TrainerConfig.gd(depth == 2 ? 0.5 : 2.0, 400, 0.0, 20);
        if (model.equals("original")) {
            net = DeepLinearNetwork.wide(d1, d2, Math.max(d1, d2), depth, Initialization.ORTH, 0.3, new Rng(3), LA);
        } else {
            net = new SpectralInit(6, depth, depth == 2 ? 0.3 : 0.3).build(mc, 3, LA);
            config = config.withLayerRates(LayerRates.discrepant(depth, 2.0));
        }
        TrainResult sparse = new Trainer(config, LA).fit("sparse", net, mc.withSparseGradient());
        TrainResult dense = new Trainer(config, LA).fit("dense", net, mc.withDenseGradient());
        List<EvalPoint> a = sparse.trajectory();
        List<EvalPoint> b = dense.trajectory();
        assertEquals(b.size(), a.size());
        // the run must actually learn, or agreeing would prove little
        assertTrue(a.get(a.size() - 1).trainLoss() < 0.5 * a.get(0).trainLoss(),
                "training loss fell from " + a.get(0).trainLoss() + " to " + a.get(a.size() - 1).trainLoss());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.get(i).step(), a.get(i).step());
            assertTrue(relative(a.get(i).trainLoss(), b.get(i).trainLoss()) < 1e-10,
                    "train loss at step " + a.get(i).step() + ": " + a.get(i).trainLoss() + " vs " + b.get(i).trainLoss());
            assertTrue(relative(a.get(i).recoveryError(), b.get(i).recoveryError()) < 1e-10,
                    "recovery error at step " + a.get(i).step());
        }
        for (int l = 1; l <= depth; l++) {
            Matrix ws = sparse.network().layer(l);
            Matrix wd = dense.network().layer(l);
            assertTrue(ws.distance(wd) <= 1e-10 * wd.frobeniusNorm(), "layer " + l + " differs by " + ws.distance(wd));
        }
    }

    /** G = P_Ω(L·R − Y)/|Ω| as a dense matrix, straight from the definition. */
    private static Matrix gradientByDefinition(CompletionProblem mc, Matrix left, Matrix right) {
        Matrix p = LA.multiply(left, right);
        Matrix g = new Matrix(mc.rows(), mc.cols());
        int[] ptr = mc.observed().rowPointers();
        int[] col = mc.observed().columnIndices();
        double[] y = mc.observed().values();
        for (int i = 0; i < mc.rows(); i++) {
            for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                g.set(i, col[e], (p.get(i, col[e]) - y[e]) / y.length);
            }
        }
        return g;
    }

    @ParameterizedTest(name = "k = {0}, parts = {1}, panels of {2} columns, {3} kernel")
    @CsvSource({"1, 1, 0, scalar", "3, 1, 0, scalar", "4, 1, 0, scalar", "7, 3, 0, scalar", "10, 1, 0, scalar",
        "10, 4, 0, scalar", "13, 2, 0, scalar", "10, 1, 5, scalar", "7, 3, 4, scalar", "4, 2, 17, scalar",
        "1, 1, 0, vector", "3, 1, 0, vector", "4, 1, 0, vector", "7, 3, 0, vector", "10, 1, 0, vector",
        "13, 2, 0, vector", "20, 1, 0, vector", "10, 1, 5, vector", "7, 3, 4, vector", "4, 2, 17, vector",
        "8, 1, 0, registers", "9, 1, 0, registers", "10, 1, 0, registers", "11, 2, 0, registers",
        "20, 1, 0, registers", "21, 1, 0, registers", "22, 2, 0, registers", "23, 3, 0, registers",
        "10, 1, 5, registers", "20, 3, 4, registers",
        "1, 1, 0, blocks", "3, 1, 0, blocks", "4, 1, 0, blocks", "5, 2, 0, blocks", "7, 3, 0, blocks",
        "8, 1, 0, blocks", "9, 1, 0, blocks", "10, 1, 0, blocks", "11, 2, 0, blocks", "12, 1, 0, blocks",
        "10, 1, 5, blocks", "7, 3, 4, blocks", "12, 2, 17, blocks",
        "9, 1, 0, padded", "10, 1, 0, padded", "11, 2, 0, padded", "12, 3, 0, padded", "10, 1, 5, padded",
        "10, 3, 4, padded"})
    void sparseKernelsMatchTheDefinition(int k, int parts, int panelWidth, String kernelName) {
        kernelMatchesTheDefinition(k, parts, panelWidth, kernelName, 0.35);
    }

    @ParameterizedTest(name = "k = {0}, {1} threads, {2} chunks, panels of {3} columns, {4} kernel")
    @CsvSource({"10, 2, 4, 0, scalar", "7, 2, 5, 4, scalar", "10, 2, 4, 0, vector", "10, 2, 4, 0, registers",
        "20, 2, 6, 4, registers", "10, 2, 4, 0, blocks", "10, 2, 4, 0, padded", "10, 3, 7, 5, padded", "10, 1, 3, 0, padded"})
    void sweepsCutIntoMoreChunksThanThreadsMatchTheDefinition(int k, int parts, int chunks, int panelWidth, String kernelName) {
        kernelMatchesTheDefinition(k, parts, chunks, panelWidth, kernelName, 0.35);
    }

    @Test
    void chunksGoBeyondOnePerThreadOnlyWhereTheirBuffersAreSmallAndCheapToSum() {
        assertEquals(1, SparseCompletionOracle.chunksFor(1, 300, 27_000, 12, 300));
        // d = 300, p = 0.3, k̄ = 12: a large and a small chunk per thread
        assertEquals(4, SparseCompletionOracle.chunksFor(2, 300, 27_000, 12, 300));
        assertEquals(6, SparseCompletionOracle.chunksFor(3, 1000, 300_000, 12, 1000));
        // 10⁴ columns at k = 20: a 1.6 MB Aᵀ·G buffer per extra chunk, over L2: one chunk per thread
        assertEquals(2, SparseCompletionOracle.chunksFor(2, 10_000, 1_000_000, 20, 10_000));
        // few entries per column: summing three buffers would cost more than a sixteenth of the sweep
        assertEquals(2, SparseCompletionOracle.chunksFor(2, 300, 2_000, 12, 300));
        // fewer rows than chunks
        assertEquals(2, SparseCompletionOracle.chunksFor(2, 3, 27_000, 12, 300));
    }

    @Test
    void twoThreadsGetALargeAndASmallChunkEachByStoredEntries() {
        CompletionProblem mc = problem(400, 300, 3, 0.3, 5);
        int[] ptr = mc.observed().rowPointers();
        long nnz = ptr[400];
        int[] b = SparseCompletionOracle.chunkBounds(ptr, 400, 4, 2);
        double[] expected = {3 / 8.0, 3 / 8.0, 1 / 8.0, 1 / 8.0};
        for (int c = 0; c < 4; c++) {
            double share = (ptr[b[c + 1]] - ptr[b[c]]) / (double) nnz;
            assertEquals(expected[c], share, 0.01, "chunk " + c + " of " + java.util.Arrays.toString(b));
        }
        // one chunk per thread: the halves by entries
        int[] halves = SparseCompletionOracle.chunkBounds(ptr, 400, 2, 2);
        assertEquals(0.5, (ptr[halves[1]] - ptr[0]) / (double) nnz, 0.01, java.util.Arrays.toString(halves));
        assertEquals(400, halves[2]);
    }

    @Test
    void claimedChunksGiveTheSameBitsWhicheverThreadRunsThem() throws Exception {
        CompletionKernel kernel = CompletionKernel.vectorPaddedRegisters() != null ? CompletionKernel.vectorPaddedRegisters()
                : CompletionKernel.scalar();
        int k = 10;
        CompletionProblem mc = problem(120, 90, 3, 0.4, 9);
        Rng rng = new Rng(6);
        Matrix left = rng.gaussianMatrix(120, k, 1.0);
        Matrix right = rng.gaussianMatrix(k, 90, 1.0);
        LinearAlgebra.setThreads(2);
        try {
            SparseCompletionOracle ev = new SparseCompletionOracle(mc, k, 2, 0, kernel);
            Matrix rows0 = new Matrix(120, k);
            Matrix cols0 = new Matrix(k, 90);
            // in order on one thread: a task of the crew that asks for threads runs them itself
            double[] loss0 = new double[1];
            org.cdln.linalg.Parallel.forParts(2, 2, (part, from, to) -> {
                if (part == 1) {
                    loss0[0] = ev.lossAndGradientProducts(left, right, rows0, cols0);
                }
            });
            Matrix rows = new Matrix(120, k);
            Matrix cols = new Matrix(k, 90);
            for (int call = 0; call < 300; call++) {
                assertEquals(loss0[0], ev.lossAndGradientProducts(left, right, rows, cols), 0.0, "call " + call);
                assertEquals(0.0, rows.distance(rows0), "G·Rᵀ at call " + call);
                assertEquals(0.0, cols.distance(cols0), "Lᵀ·G at call " + call);
            }
            Matrix g = gradientByDefinition(mc, left, right);
            assertClose(LA.multiply(false, g, true, right), rows);
            assertClose(LA.multiply(true, left, false, g), cols);
        } finally {
            LinearAlgebra.setThreads(null);
        }
    }

    /**
     * The pipelined kernels hold the next one or two entries of a row before updating the
     * current one; rows of 0, 1, 2 and 3 entries take each way in and out of that pipeline.
     */
    @ParameterizedTest(name = "short rows: k = {0}, {1} kernel, panels of {2} columns")
    @CsvSource({"10, padded, 0", "9, padded, 0", "10, registers, 0", "20, registers, 0", "23, registers, 0",
        "10, blocks, 0", "10, scalar, 0",
        // panels: the register kernel reads and writes the transposed rows in place
        "8, registers, 6", "10, registers, 6", "20, registers, 6", "23, registers, 5", "10, padded, 6"})
    void shortRowsMatchTheDefinition(int k, String kernelName, int panelWidth) {
        CompletionProblem mc = problem(23, 17, 2, 0.1, 11);
        java.util.Set<Integer> lengths = new java.util.TreeSet<>();
        int[] ptr = mc.observed().rowPointers();
        for (int i = 0; i + 1 < ptr.length; i++) {
            lengths.add(ptr[i + 1] - ptr[i]);
        }
        assertTrue(lengths.containsAll(java.util.List.of(0, 1, 2, 3)), "row lengths " + lengths);
        kernelMatchesTheDefinition(k, 1, panelWidth, kernelName, 0.1);
    }

    private void kernelMatchesTheDefinition(int k, int parts, int panelWidth, String kernelName, double p) {
        kernelMatchesTheDefinition(k, parts, 0, panelWidth, kernelName, p);
    }

    private void kernelMatchesTheDefinition(int k, int parts, int chunks, int panelWidth, String kernelName, double p) {
        CompletionKernel kernel = switch (kernelName) {
            case "vector" -> CompletionKernel.vector();
            case "registers" -> CompletionKernel.vectorRegisters();
            case "blocks" -> CompletionKernel.vectorBlocks();
            case "padded" -> CompletionKernel.vectorPaddedRegisters();
            default -> CompletionKernel.scalar();
        };
        org.junit.jupiter.api.Assumptions.assumeTrue(kernel != null, "the vector module is not in this JVM");
        CompletionProblem mc = problem(23, 17, 2, p, 11);
        Rng rng = new Rng(5);
        Matrix left = rng.gaussianMatrix(23, k, 1.0);
        Matrix right = rng.gaussianMatrix(k, 17, 1.0);
        Matrix a = rng.gaussianMatrix(23, k, 1.0);
        Matrix b = rng.gaussianMatrix(k, 17, 1.0);
        SparseCompletionOracle ev = new SparseCompletionOracle(mc, k, parts, panelWidth, kernel, chunks);
        Matrix g = gradientByDefinition(mc, left, right);
        double n = mc.observed().nonZeros();
        double expectedLoss = 0.5 * n * Math.pow(g.frobeniusNorm(), 2);  // ½·Σr²/n = ½·n·Σ(r/n)²

        Matrix gbt = new Matrix(23, k);
        Matrix atg = new Matrix(k, 17);
        assertEquals(expectedLoss, ev.lossAndGradient(left, right), 1e-12 * expectedLoss);
        ev.gradientTimesTransposed(b, gbt);
        ev.transposedTimesGradient(a, atg);
        assertClose(LA.multiply(false, g, true, b), gbt);
        assertClose(LA.multiply(true, a, false, g), atg);

        Matrix fusedRows = new Matrix(23, k);
        Matrix fusedCols = new Matrix(k, 17);
        fusedCols.fill(42.0);   // must be overwritten, not accumulated into
        assertEquals(expectedLoss, ev.lossAndGradientProducts(left, right, fusedRows, fusedCols), 1e-12 * expectedLoss);
        assertClose(LA.multiply(false, g, true, right), fusedRows);
        assertClose(LA.multiply(true, left, false, g), fusedCols);
        // the transposed-left workspace is reused when A is the evaluated left factor
        ev.transposedTimesGradient(left, atg);
        assertClose(LA.multiply(true, left, false, g), atg);
        assertEquals(expectedLoss, ev.loss(left, right), 1e-12 * expectedLoss);
    }

    private static void assertClose(Matrix expected, Matrix actual) {
        assertTrue(actual.distance(expected) <= 1e-12 * Math.max(1e-300, expected.frobeniusNorm()),
                "differs by " + actual.distance(expected) + " (norm " + expected.frobeniusNorm() + ")");
    }

    @ParameterizedTest(name = "{0}, k = {1}, panels of {2} columns")
    @CsvSource({"vector, 10, 0", "registers, 10, 0", "registers, 20, 0", "blocks, 10, 0", "blocks, 7, 0", "padded, 10, 0",
        "registers, 10, 7", "registers, 20, 7"})
    void theVectorKernelsAllocateNothingOnceCompiled(String kernelName, int k, int panelWidth) {
        CompletionKernel kernel = switch (kernelName) {
            case "vector" -> CompletionKernel.vector();
            case "blocks" -> CompletionKernel.vectorBlocks();
            case "padded" -> CompletionKernel.vectorPaddedRegisters();
            default -> CompletionKernel.vectorRegisters();
        };
        org.junit.jupiter.api.Assumptions.assumeTrue(kernel != null, "the vector module is not in this JVM");
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        CompletionProblem mc = problem(40, 30, 2, 0.4, 3);
        SparseCompletionOracle ev = new SparseCompletionOracle(mc, k, 1, panelWidth, kernel);
        Rng rng = new Rng(2);
        Matrix left = rng.gaussianMatrix(40, k, 1.0);
        Matrix right = rng.gaussianMatrix(k, 30, 1.0);
        Matrix gbt = new Matrix(40, k);
        Matrix atg = new Matrix(k, 30);
        kernel.warmUp(k);
        long thread = Thread.currentThread().getId();
        double perCall = Double.NaN;
        // boxed vectors mean the JIT has not compiled the kernel yet: allow it time, then require none
        for (int window = 0; window < 60 && !(perCall < 64); window++) {
            long before = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 500; i++) {
                ev.lossAndGradientProducts(left, right, gbt, atg);
            }
            perCall = (mx.getThreadAllocatedBytes(thread) - before) / 500.0;
        }
        assertTrue(perCall < 64, kernel.name() + " allocated " + perCall + " bytes per call");
    }

    @ParameterizedTest(name = "{0} part(s)")
    @CsvSource({"1", "2"})
    void thePaddedBuffersAreChosenAmongSetsWithoutChangingAnyResult(int parts) {
        CompletionKernel kernel = CompletionKernel.vectorPaddedRegisters();
        org.junit.jupiter.api.Assumptions.assumeTrue(kernel != null, "the vector module is not in this JVM");
        int k = 10;
        CompletionProblem mc = problem(40, 30, 2, 0.4, 3);
        SparseCompletionOracle ev = new SparseCompletionOracle(mc, k, parts, 0, kernel);
        Rng rng = new Rng(4);
        Matrix left = rng.gaussianMatrix(40, k, 1.0);
        Matrix right = rng.gaussianMatrix(k, 30, 1.0);
        Matrix rows0 = new Matrix(40, k);
        Matrix cols0 = new Matrix(k, 30);
        double loss0 = ev.lossAndGradientProducts(left, right, rows0, cols0);
        Matrix rowsN = new Matrix(40, k);
        Matrix colsN = new Matrix(k, 30);
        int trial = PaddedBuffers.CANDIDATES * PaddedBuffers.ROUNDS;
        // a collection of this JVM's own during the trial would start another one (by design): then
        // the settled state is not checked
        java.lang.ref.WeakReference<Object> quiet = new java.lang.ref.WeakReference<>(new Object());
        for (int call = 1; call < trial + 5; call++) {
            // `call` calls made so far: settled after the trial's last one, not before
            if (call < trial) {
                assertEquals(-1, ev.alignmentChoice(), "settled before the trial ended, after call " + call);
            } else if (quiet.get() != null) {
                assertTrue(ev.alignmentChoice() >= 0 && ev.alignmentChoice() < PaddedBuffers.CANDIDATES,
                        "not settled after the trial: " + ev.alignmentChoice());
            }
            // the same point through every candidate set (and the one kept): the same bits
            assertEquals(loss0, ev.lossAndGradientProducts(left, right, rowsN, colsN), 0.0);
            assertEquals(0.0, rowsN.distance(rows0), "G·Rᵀ at call " + call);
            assertEquals(0.0, colsN.distance(cols0), "Lᵀ·G at call " + call);
        }
        // and the products are still those of the definition
        Matrix g = gradientByDefinition(mc, left, right);
        assertClose(LA.multiply(false, g, true, right), rowsN);
        assertClose(LA.multiply(true, left, false, g), colsN);

        // a garbage collection may move the buffers: the next call starts a new trial, on fresh sets
        java.lang.ref.WeakReference<Object> probe = new java.lang.ref.WeakReference<>(new Object());
        System.gc();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.get() == null, "System.gc() collected nothing in this JVM");
        quiet = new java.lang.ref.WeakReference<>(new Object());
        for (int call = 0; call < trial + 1; call++) {
            assertEquals(loss0, ev.lossAndGradientProducts(left, right, rowsN, colsN), 0.0);
            assertEquals(0.0, rowsN.distance(rows0), "G·Rᵀ in the second trial, call " + call);
            assertEquals(0.0, colsN.distance(cols0), "Lᵀ·G in the second trial, call " + call);
            if (call == 0) {
                assertEquals(-1, ev.alignmentChoice(), "a new trial after the collection");
            }
        }
        if (quiet.get() != null) {
            assertTrue(ev.alignmentChoice() >= 0, "not settled again: " + ev.alignmentChoice());
        }
    }

    @Test
    void theDefaultPathIsTimedOnThisMachineAndCanBeForced() {
        CompletionProblem mc = problem(40, 40, 2, 0.3, 1);
        String path = mc.oraclePath(10, LA);
        assertTrue(path.contains("timed per evaluation") && path.contains("dense ") && path.contains("scalar/1 "), path);
        // the evaluator built is the one the choice names
        LossGradientOracle ev = mc.newOracle(10, LA);
        assertEquals(mc.usesDenseProducts(10, LA), !(ev instanceof SparseCompletionOracle), path);
        assertEquals(path.startsWith("dense"), mc.usesDenseProducts(10, LA));
        assertEquals(path, mc.oraclePath(10, LA), "the choice is made once per shape and width");

        assertTrue(mc.withDenseGradient().usesDenseProducts(1, LA));
        assertFalse(mc.withSparseGradient().usesDenseProducts(100, LA));
        assertTrue(mc.withDenseGradient().denseGradient());
        assertFalse(mc.denseGradient());

        // far sparser than dense: GEMM is not even timed
        CompletionProblem thin = problem(400, 300, 2, 0.01, 1);
        assertFalse(thin.usesDenseProducts(4, LA));
        assertTrue(thin.oraclePath(4, LA).contains("dense left out"), thin.oraclePath(4, LA));
        // too much work to time whole: the sparse path, its kernel timed on the first rows
        CompletionProblem full = problem(200, 200, 2, 1.0, 1);
        String fullPath = full.oraclePath(300, LA);
        assertTrue(fullPath.contains("too large to time whole") && fullPath.contains("dense ≈"), fullPath);
        assertEquals(fullPath.startsWith("dense"), full.usesDenseProducts(300, LA));
        // the same with the dense path out of reach: sparse
        CompletionProblem wide = problem(3000, 400, 2, 0.01, 1);
        assertFalse(wide.usesDenseProducts(400, LA));
        assertTrue(wide.oraclePath(400, LA).contains("dense left out"), wide.oraclePath(400, LA));
    }

    @Test
    void lowRankTargetSamplesDisjointObservedAndHeldOutEntriesWithTheTargetsValues() {
        LowRankTarget t = LowRankTarget.random(37, 29, 3, new Rng(2), LA);
        Matrix y = t.toDense(LA);
        CompletionProblem mc = t.sampleCompletion(300, 200, new Rng(4), "t");
        assertEquals(300, mc.observed().nonZeros());
        assertEquals(200, mc.heldOut().nonZeros());
        Matrix seen = new Matrix(37, 29);
        for (var s : List.of(mc.observed(), mc.heldOut())) {
            int[] ptr = s.rowPointers();
            int[] col = s.columnIndices();
            for (int i = 0; i < 37; i++) {
                for (int e = ptr[i]; e < ptr[i + 1]; e++) {
                    assertEquals(y.get(i, col[e]), s.values()[e], 1e-12 * (1 + Math.abs(y.get(i, col[e]))));
                    assertEquals(0.0, seen.get(i, col[e]), "entry (" + i + ", " + col[e] + ") drawn twice");
                    seen.set(i, col[e], 1.0);
                }
            }
        }
        // rank r with the promised singular values
        double[] sv = LA.singularValues(y);
        for (int c = 0; c < 3; c++) {
            assertEquals(t.s()[c], sv[c], 1e-9 * sv[0]);
        }
        assertTrue(sv[3] < 1e-10 * sv[0]);
    }
}

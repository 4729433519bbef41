package org.cdln.problem;

/**
 * The compressed completion step's fused sparse kernel, for callers that hold their own block of
 * the observed entries (a distributed fit's user blocks) rather than a whole
 * {@link CompletionProblem}. One sweep over a CSR block computes, with g_e = r_e/|Ω|,
 * <pre>
 *   r_e         = ⟨L[i,:], R[:,j]⟩ − y_e                 (the sampled product, SDDMM)
 *   rowOut[i,:] = Σ_{e=(i,j)} g_e·R[:,j]ᵀ               (G·Rᵀ, overwritten)
 *   colOut[:,j] += Σ_{e=(i,j)} g_e·L[i,:]ᵀ              (Lᵀ·G, added to)
 * </pre>
 * and returns Σ r_e². L and rowOut are rows × k row-major; R and colOut are k × columns
 * column-major, i.e. one contiguous k-row per column. Cost 3k multiply-adds per entry, one pass
 * over the block's column indices and values.
 *
 * <p>The kernel is the one the network's own sparse step uses: the one that keeps a row in vector
 * registers where it serves k (8–11, 20–23) and the JVM has the vector module
 * ({@code --add-modules jdk.incubator.vector}), else the 256-bit vector kernel, else plain Java.
 * It is compiled (warmed up) once per JVM and width before its first sweep, so that a short
 * task does not run it interpreted. Instances are immutable and thread-safe.
 */
public final class FusedSweep {
    private final int k;
    private final CompletionKernel kernel;

    private FusedSweep(int k, CompletionKernel kernel) {
        this.k = k;
        this.kernel = kernel;
    }

    /**
     * The fastest available kernel for inner width k, compiled. The system property
     * {@code cdln.kernel=scalar} forces the plain Java one.
     *
     * @throws IllegalArgumentException if k &lt; 1
     */
    public static FusedSweep forWidth(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("the inner width k must be ≥ 1, got " + k);
        }
        CompletionKernel kernel = CompletionKernel.preferred();
        if (kernel != CompletionKernel.scalar() && CompletionKernel.vectorRegisters() != null
                && CompletionKernel.vectorRegisters().servesWidth(k)) {
            kernel = CompletionKernel.vectorRegisters();
        }
        kernel.warmUp(k);
        return new FusedSweep(k, kernel);
    }

    /** The kernel's short name, e.g. "vector registers (256-bit)" or "scalar". */
    public String kernelName() {
        return kernel.name();
    }

    /**
     * One fused sweep over rows [0, rows) of a CSR block.
     *
     * @param ptr    row pointers, rows + 1 of them, into col and y
     * @param col    column (item) index of each entry, &lt; R's columns
     * @param y      the value each entry is fitted to
     * @param l      L, rows × k row-major (not modified)
     * @param r      R, one k-row per column (not modified)
     * @param invN   1/|Ω|, the loss's normalisation
     * @param rowOut G·Rᵀ, rows × k row-major, overwritten (rows without entries get zeros)
     * @param colOut Lᵀ·G, one k-row per column, added to
     * @return Σ r_e² over the block's entries
     */
    public double sweep(int[] ptr, int[] col, double[] y, int rows, double[] l, double[] r, double invN,
                        double[] rowOut, double[] colOut) {
        if (ptr.length < rows + 1 || l.length < (long) rows * k || rowOut.length < (long) rows * k) {
            throw new IllegalArgumentException("the block has " + rows + " rows but its arrays hold fewer ("
                    + "ptr " + ptr.length + ", L " + l.length + ", rowOut " + rowOut.length + ", width " + k + ")");
        }
        double[] buf = new double[2 * k + 16];
        return kernel.sweep(k, ptr, col, y, 0, rows, l, k, 1, r, invN, rowOut, false, colOut, buf);
    }
}

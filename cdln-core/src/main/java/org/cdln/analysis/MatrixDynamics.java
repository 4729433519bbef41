package org.cdln.analysis;

/**
 * What the {@link DynamicsRecorder} measured of one matrix — a layer W_l or the end-to-end product
 * P — at one evaluation (docs/method.md §4).
 *
 * @param name            "W1" … "WL", or "P" for the product
 * @param singularValues  σ_1 ≥ … ≥ σ_n of the matrix, n = min(rows, cols)
 * @param updateRank      numerical rank of M(t) − M(0) at the recorder's relative threshold τ:
 *                        #{σ_i(M(t) − M(0)) &gt; τ·σ_1(M(t) − M(0))}; the dimension the updates live in
 * @param updateTail      σ_(2r+1)(M(t) − M(0)) / σ_1(M(t) − M(0)), the relative size of the update
 *                        outside its best 2r-dimensional subspace (0 when n ≤ 2r or nothing moved);
 *                        threshold-free companion of updateRank
 * @param leftAngles      largest principal angle (radians) between the top, middle and bottom
 *                        left-singular-vector blocks ({@link SingularBlocks}) at this step and at the
 *                        reference step; NaN before the reference step or for an empty block
 * @param rightAngles     the same for the right singular vectors
 * @param leftAlignment   |⟨u_i(t), u_i*⟩| against the target's left singular vectors, i = 1..r, for
 *                        the product and the last layer; empty otherwise or when the truth is unknown
 * @param rightAlignment  |⟨v_i(t), v_i*⟩|, for the product and the first layer; empty otherwise
 */
public record MatrixDynamics(String name, double[] singularValues, int updateRank, double updateTail,
                             double[] leftAngles, double[] rightAngles, double[] leftAlignment,
                             double[] rightAlignment) {
}

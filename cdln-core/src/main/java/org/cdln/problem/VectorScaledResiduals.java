package org.cdln.problem;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ScaledResiduals} on 256-bit vectors: lane j of the running sum is the scalar pass's
 * partial sum s_j (elements k ≡ j mod 4), each element's square added as a multiply then an add,
 * so the result is the scalar pass's to the bit. The scale is broadcast once and multiplied vector
 * by vector: with {@code r.mul(scale)} (a vector times a double) in this loop, C2's later
 * compilations of the completion kernels in the same JVM (JDK 17) boxed their vectors — the
 * register, block and padded kernels allocated 55–236 KB per call in
 * {@code CompletionPathsTest} once the factorization tests had run this pass — which the
 * kernels, whose multiplies are all vector by vector, never did before. Loaded only with
 * {@code --add-modules jdk.incubator.vector}.
 */
final class VectorScaledResiduals extends ScaledResiduals {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

    @Override
    double apply(double[] p, double[] y, double[] g, double scale, int n) {
        DoubleVector acc = DoubleVector.zero(S);
        DoubleVector sc = DoubleVector.broadcast(S, scale);
        int k = 0;
        for (; k + 3 < n; k += 4) {
            DoubleVector r = DoubleVector.fromArray(S, p, k).sub(DoubleVector.fromArray(S, y, k));
            acc = acc.add(r.mul(r));
            r.mul(sc).intoArray(g, k);
        }
        double s0 = acc.lane(0);
        for (; k < n; k++) {
            double r = p[k] - y[k];
            s0 += r * r;
            g[k] = r * scale;
        }
        return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
    }
}

package org.cdln.problem;

/**
 * The dense residual pass of the factorization oracle: r = p − y elementwise, g = r·scale written
 * out, and Σ r² returned — the sum kept in four partial sums, element k in sum k mod 4 (the tail
 * in the first), combined as (s0 + s1) + (s2 + s3): one running sum would be a chain of dependent
 * additions, each waiting for the last. {@link #scalar()} is plain Java; {@link #preferred()} the
 * same arithmetic on 256-bit vectors when {@code jdk.incubator.vector} is present (its four lanes
 * are the four sums, each a multiply then an add as in the scalar code, so the two give the same
 * bits). Cost O(n): two loads, a subtraction, two multiplies, an addition and a store per element.
 */
abstract class ScaledResiduals {
    private static final ScaledResiduals SCALAR = new Scalar();
    /** The vector pass, or the scalar one where the module is absent; loaded on first use. */
    private static volatile ScaledResiduals vector;

    /** Σ (p[e] − y[e])² over e < n, with g[e] = (p[e] − y[e])·scale. */
    abstract double apply(double[] p, double[] y, double[] g, double scale, int n);

    /** The plain Java pass. */
    static ScaledResiduals scalar() {
        return SCALAR;
    }

    /** The vector pass where the module is present (and {@code cdln.kernel} is not "scalar"), else the scalar one. */
    static ScaledResiduals preferred() {
        if ("scalar".equals(System.getProperty("cdln.kernel"))) {
            return SCALAR;
        }
        ScaledResiduals v = vector;
        if (v == null) {
            v = load();
            vector = v;
        }
        return v;
    }

    private static ScaledResiduals load() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return SCALAR;
        }
        try {
            return (ScaledResiduals) Class.forName("org.cdln.problem.VectorScaledResiduals")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return SCALAR;
        }
    }

    private static final class Scalar extends ScaledResiduals {
        @Override
        double apply(double[] p, double[] y, double[] g, double scale, int n) {
            double s0 = 0.0;
            double s1 = 0.0;
            double s2 = 0.0;
            double s3 = 0.0;
            int k = 0;
            for (; k + 3 < n; k += 4) {
                double r0 = p[k] - y[k];
                double r1 = p[k + 1] - y[k + 1];
                double r2 = p[k + 2] - y[k + 2];
                double r3 = p[k + 3] - y[k + 3];
                s0 += r0 * r0;
                s1 += r1 * r1;
                s2 += r2 * r2;
                s3 += r3 * r3;
                g[k] = r0 * scale;
                g[k + 1] = r1 * scale;
                g[k + 2] = r2 * scale;
                g[k + 3] = r3 * scale;
            }
            for (; k < n; k++) {
                double r = p[k] - y[k];
                s0 += r * r;
                g[k] = r * scale;
            }
            return (s0 + s1) + (s2 + s3);
        }
    }
}

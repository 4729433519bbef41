/** The small linear-algebra facade over BLAS/LAPACK: column-major {@link org.cdln.linalg.Matrix}, CSR sparse matrices, SVD, QR, truncated SVD, the seeded {@link org.cdln.linalg.Rng}, and cdln's own thread split. */
package org.cdln.linalg;

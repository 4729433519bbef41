#!/usr/bin/env python3
"""Plain NumPy implementation of the same training step, to compare cdln against on the same machine.

The issue's reference ("a plain NumPy implementation of the same algorithm, float64, one thread,
completion, reference settings") forms the dense d x d product for both networks:
    F = W2 @ W1;  P = W3 @ F;  G = mask * (P - Y) / |Omega|
    dW3 = G @ F.T;  A = W3.T @ G;  dW2 = A @ W1.T;  dW1 = W2.T @ A;  W -= eta * rate * dW
Run it with one BLAS thread, next to `cdln bench --threads 1`:
    OPENBLAS_NUM_THREADS=1 python3 cdln-bench/scripts/numpy_reference.py
Prints the median time per step (wall clock, like cdln bench) for each case.

`cdln bench` runs it itself when NumPy is installed (Debian: python3-numpy), with the same threads:
    numpy_reference.py --cases 100:10,1000:10 --budget 0.6
prints one line "d width seconds_per_step" per case, measured for about `budget` seconds each.
"""
import sys
import time

import numpy as np


def case(d, width, p=0.3, steps=None, seed=0, budget=None):
    rng = np.random.default_rng(seed)
    u, _ = np.linalg.qr(rng.standard_normal((d, 5)))
    v, _ = np.linalg.qr(rng.standard_normal((d, 5)))
    y = (u * (2 * np.sqrt(d)) * (1 - np.arange(5) / 10)) @ v.T   # the scale of LowRankTarget.random
    mask = np.zeros(d * d)
    mask[rng.choice(d * d, int(p * d * d), replace=False)] = 1.0
    mask = mask.reshape(d, d)
    n = mask.sum()
    eps = 1e-2
    if width == d:      # original: orthogonal init at scale eps
        w1 = eps * np.linalg.qr(rng.standard_normal((d, d)))[0]
        w2 = eps * np.linalg.qr(rng.standard_normal((d, d)))[0]
        w3 = eps * np.linalg.qr(rng.standard_normal((d, d)))[0]
    else:               # compressed: spectral init from the surrogate (1/p) P_Omega(Y)
        uu, _, vt = np.linalg.svd(mask * y / p)
        w1 = eps * vt[:width, :]
        w2 = eps * np.eye(width)
        w3 = eps * uu[:, :width]
    eta, alpha = 10.0, (5.0 if width < d else 1.0)
    times = []
    steps = steps or (2000 if d <= 100 else 20 if width == d else 300)
    start = time.perf_counter()
    for i in range(10**9):
        if budget is None and i >= steps:
            break
        if budget is not None and i >= 5 and time.perf_counter() - start > budget:
            break
        t0 = time.perf_counter()
        f = w2 @ w1
        pm = w3 @ f
        g = mask * (pm - y) / n
        dw3 = g @ f.T
        a = w3.T @ g
        dw2 = a @ w1.T
        dw1 = w2.T @ a
        w1 -= eta * alpha * dw1
        w2 -= eta * dw2
        w3 -= eta * alpha * dw3
        times.append(time.perf_counter() - t0)
    times = sorted(times[len(times) // 5:])
    return times[len(times) // 2]


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--cases":
        budget = float(sys.argv[sys.argv.index("--budget") + 1]) if "--budget" in sys.argv else 0.6
        for spec in sys.argv[2].split(","):
            d, width = (int(x) for x in spec.split(":"))
            print(d, width, repr(case(d, width, budget=budget)), flush=True)
        sys.exit(0)
    for d, width, label in [(100, 100, "original"), (100, 10, "compressed"), (1000, 10, "compressed"),
                            (1000, 1000, "original")]:
        if len(sys.argv) > 1 and sys.argv[1] == "--quick" and d == 1000 and width == 1000:
            continue
        s = case(d, width)
        print(f"numpy completion {label:10s} d={d:5d}: {s * 1e6:10.1f} us/step", flush=True)

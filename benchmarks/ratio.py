"""Competitive-ratio eigenproblem: time of the matrix-free Lanczos solver for u = 10^3 .. 10^6 (target:
u = 10^6 under 10 s), agreement with the dense solver at u = 2000, and the fit value ~ a ln u + b (claim C4).

Run:  PYTHONPATH=. python benchmarks/ratio.py   (timings are noisy on a shared machine)
"""

from __future__ import annotations

import time

from lpsched.ratio import competitive_ratio, fit_log


def main() -> None:
    t0 = time.perf_counter()
    d = competitive_ratio(2000, method="dense")
    t_dense = time.perf_counter() - t0
    m = competitive_ratio(2000, method="lanczos")
    print(f"u = 2000: dense {d.value:.12f} ({t_dense:.2f} s), lanczos {m.value:.12f} ({m.seconds:.3f} s), "
          f"relative difference {abs(d.value - m.value) / d.value:.1e}")
    us, vals = [], []
    for u in (10**3, 10**4, 10**5, 10**6):
        t0 = time.perf_counter()
        r = competitive_ratio(u, method="lanczos")
        sec = time.perf_counter() - t0
        print(f"u = {u:>8}: value {r.value:.9f}  certified {r.certified}  min x {r.min_entry:.2e}  "
              f"residual {r.residual:.1e}  time {sec:.2f} s{'  (target < 10 s)' if u == 10**6 else ''}")
        us.append(u)
        vals.append(r.value)
    small = [2, 4, 10, 30, 100, 300]
    for u in small:
        us.insert(small.index(u), u)
        vals.insert(small.index(u), competitive_ratio(u).value)
    f = fit_log(us, vals)
    print(f"fit over u in {us}: value ~ {f.a:.6f} ln u + {f.b:.6f}, max |residual| {f.max_abs_residual:.4f}")
    big = [u for u in us if u >= 1000]
    g = fit_log(big, [v for u, v in zip(us, vals) if u >= 1000])
    print(f"fit over u >= 1000 only: value ~ {g.a:.6f} ln u + {g.b:.6f}, max |residual| {g.max_abs_residual:.4f}")


if __name__ == "__main__":
    main()

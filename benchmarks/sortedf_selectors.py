"""Time per Sorted-F selection call against n, and the F gap to exact_dp, for each selector.

Usage::

    PYTHONPATH=. python benchmarks/sortedf_selectors.py [--family uniform|mixed] [--budget 1.0]

For each selector, n doubles (1-2-5 steps) until one call takes more than ``--budget`` seconds; the last
row under the budget is the measured frontier.  The gap is ``F(selector) / F(exact_dp)`` on the same
instance when exact_dp was run at that n (else blank).  Targets from the issue (10x the slides):
exact 1,000; scaled 2,000; local swap 5,000; quantile greedy 10^6 within about a second.
Timings are single calls on a shared 2-core machine: noisy.

Families: ``uniform`` — ``s, o ~ U[1, 50]``, ``M = 2000`` (batches of 40–80: the slides' regime of small
requests); ``mixed`` — :func:`lpsched.workloads.mixed` (LMSYS-like + arXiv lengths), ``M = 16492``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from lpsched.sortedf import select

SIZES = [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000]
TARGET = {"exact_dp": 1_000, "scaled_dp": 2_000, "local_swap": 5_000, "quantile_greedy": 1_000_000}


def instance(family: str, n: int, seed: int = 0):
    if family == "uniform":
        rng = np.random.default_rng(seed)
        return rng.integers(1, 51, n), rng.integers(1, 51, n), 2000
    from lpsched.workloads import mixed

    inst = mixed(n, memory=16492, seed=seed)
    return inst.s, inst.o, inst.memory


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", choices=["uniform", "mixed"], default="uniform")
    ap.add_argument("--budget", type=float, default=1.0)
    ap.add_argument("--eps", type=float, default=0.1)
    args = ap.parse_args()
    exact_F: dict[int, float] = {}
    print(f"family={args.family} budget={args.budget}s (scaled_dp eps={args.eps})")
    print(f"{'selector':<16}{'n':>10}{'seconds':>10}{'|X|':>6}{'F':>12}{'gap':>9}")
    for name in ["exact_dp", "scaled_dp", "local_swap", "quantile_greedy"]:
        frontier = 0
        for n in SIZES:
            s, o, M = instance(args.family, n)
            opts = {"eps": args.eps} if name == "scaled_dp" else {}
            t0 = time.perf_counter()
            r = select((s, o), M, name, **opts)
            dt = time.perf_counter() - t0
            if name == "exact_dp":
                exact_F[n] = r.F
            gap = f"{r.F / exact_F[n]:.4f}" if n in exact_F else ""
            print(f"{name:<16}{n:>10}{dt:>10.3f}{r.size:>6}{r.F:>12.5f}{gap:>9}", flush=True)
            if dt > args.budget:
                break
            frontier = n
        print(f"{name:<16} frontier (last n within {args.budget}s): {frontier:,}   target {TARGET[name]:,}\n")


if __name__ == "__main__":
    main()

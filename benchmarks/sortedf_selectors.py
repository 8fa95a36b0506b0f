"""Time per Sorted-F selection call against n, and the F gap to exact_dp, for each selector.

Usage::

    PYTHONPATH=. python benchmarks/sortedf_selectors.py [--family uniform|mixed|both] [--budget 1.0]
        [--eps 0.1] [--seeds 5] [--sizes 12,30,100,200] [--no-frontier]

Part 1 (the DPs): for each family and each ``n`` in ``--sizes``, ``--seeds`` instances; per selector the
median seconds per call and the worst ``F(selector) / F(exact_dp)`` over the seeds.  Rows:

* ``exact_dp`` — the ``(k, S)`` DP, ``O(n K M)``;
* ``scaled_dp`` — ``F <= (1 + eps) F*`` at the same ``M`` (default: prefix incumbent, class pruning and the
  ``exact_dp`` fallback; the ``method`` column says what ran);
* ``scaled_dp[rounded]`` — the same with ``prune=False``: the rounded DP on every class, the cost of the
  rounding itself (``O(n K^2 log(K o_max / o_min) / eps)``);
* ``memory_grid_dp`` — memory rounded to a grid, ``F <= F*(M / (1 + eps))`` only.

Part 2 (frontier): for each selector, n doubles (1-2-5 steps) until one call takes more than ``--budget``
seconds; the last n under the budget is the measured frontier (targets from the issue, 10x the slides:
exact 1,000; scaled 2,000; local swap 5,000; quantile greedy 10^6 within about a second).

Timings are single-threaded calls on a shared 2-core machine: noisy (medians of ``--seeds`` calls in part 1,
one call per n in part 2).

Families: ``uniform`` — ``s, o ~ U[1, 50]``, ``M = 2000`` (batches of 40–80: the slides' regime of small
requests); ``mixed`` — :func:`lpsched.workloads.mixed` (LMSYS-like + arXiv lengths), ``M = 16492``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from lpsched.sortedf import select

SIZES = [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000]
TARGET = {"exact_dp": 1_000, "scaled_dp": 2_000, "scaled_dp[rounded]": 2_000, "memory_grid_dp": 2_000,
          "local_swap": 5_000, "quantile_greedy": 1_000_000}
DPS = ["exact_dp", "scaled_dp", "scaled_dp[rounded]", "memory_grid_dp"]


def instance(family: str, n: int, seed: int = 0):
    if family == "uniform":
        rng = np.random.default_rng(seed)
        return rng.integers(1, 51, n), rng.integers(1, 51, n), 2000
    from lpsched.workloads import mixed

    inst = mixed(n, memory=16492, seed=seed)
    return inst.s, inst.o, inst.memory


def run(name: str, s, o, M: int, eps: float):
    """One timed call of the named row (``scaled_dp[rounded]`` is ``scaled_dp(prune=False)``)."""
    sel, opts = name, {}
    if name == "scaled_dp[rounded]":
        sel, opts = "scaled_dp", {"prune": False}
    if sel in ("scaled_dp", "memory_grid_dp"):
        opts["eps"] = eps
    t0 = time.perf_counter()
    r = select((s, o), M, sel, **opts)
    return r, time.perf_counter() - t0


def dp_table(family: str, sizes, seeds: int, eps: float) -> None:
    print(f"family={family}: median seconds per call over {seeds} seeds, worst F / F(exact_dp) (eps={eps})")
    print(f"{'selector':<20}{'n':>6}{'seconds':>10}{'worst gap':>11}{'optimal':>9}  method")
    for n in sizes:
        cases = [instance(family, n, seed) for seed in range(seeds)]
        exact = [select((s, o), M, "exact_dp") for s, o, M in cases]
        for name in DPS:
            times, gaps, opt, methods = [], [], 0, set()
            for (s, o, M), ex in zip(cases, exact):
                r, dt = run(name, s, o, M, eps)
                times.append(dt)
                gaps.append(r.F / ex.F)
                opt += r.key == ex.key
                methods.add(r.info.get("method", "-"))
            print(f"{name:<20}{n:>6}{np.median(times):>10.4f}{max(gaps):>11.4f}{opt:>6}/{seeds:<2}  "
                  f"{','.join(sorted(methods))}", flush=True)
    print()


def frontier(family: str, budget: float, eps: float) -> None:
    exact_F: dict[int, float] = {}
    print(f"family={family} budget={budget}s (eps={eps}): one call per n")
    print(f"{'selector':<20}{'n':>10}{'seconds':>10}{'|X|':>6}{'F':>12}{'gap':>9}")
    for name in DPS + ["local_swap", "quantile_greedy"]:
        last = 0
        for n in SIZES:
            s, o, M = instance(family, n)
            r, dt = run(name, s, o, M, eps)
            if name == "exact_dp":
                exact_F[n] = r.F
            gap = f"{r.F / exact_F[n]:.4f}" if n in exact_F else ""
            print(f"{name:<20}{n:>10}{dt:>10.3f}{r.size:>6}{r.F:>12.5f}{gap:>9}", flush=True)
            if dt > budget:
                break
            last = n
        print(f"{name:<20} frontier (last n within {budget}s): {last:,}   target {TARGET[name]:,}\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", choices=["uniform", "mixed", "both"], default="both")
    ap.add_argument("--budget", type=float, default=1.0)
    ap.add_argument("--eps", type=float, default=0.1)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--sizes", default="12,30,100,200", help="n for the DP table (comma-separated)")
    ap.add_argument("--no-frontier", action="store_true", help="only the DP table")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    families = ["uniform", "mixed"] if args.family == "both" else [args.family]
    for fam in families:
        dp_table(fam, sizes, args.seeds, args.eps)
    if not args.no_frontier:
        for fam in families:
            frontier(fam, args.budget, args.eps)


if __name__ == "__main__":
    main()

"""Lower bounds from the LP relaxation (plain and with probing), and every bound together.

Layer: algorithms.  The combinatorial bounds and their proofs are in :mod:`lpsched.exact.bounds`; the LP
relaxation is the time-indexed model of :mod:`lpsched.exact.formulation` with ``0 <= x <= 1`` over a
horizon that provably contains an optimal schedule (:mod:`lpsched.exact.horizon`), so its value bounds
the optimum; rounded up (objectives are integers).

* **LP relaxation** (``lp``, :func:`lp_bound`): with the extended-tail cliques
  (:func:`lpsched.exact.bounds.extended_tails`) it is the strongest bound here on most Jaillet instances: at n = 25 it is 0.80-0.92 of the heuristic schedule's cost against 0.66-0.74
  without the cliques and 0.69-0.91 for the chain-head bound (``python benchmarks/exact.py --bounds``).
* **LP with probing** (``probe``, not in the defaults: up to minutes at n = 25): the LP with one
  request's start fixed, each start in turn; the least value over the starts of one request bounds the
  optimum, and the largest such value over the requests is the bound (:func:`probe_bound`).

>>> from lpsched import Instance
>>> inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
>>> b = lower_bounds(inst); (b["alone"], b["area"], b["lp"])
(7, 10, 11)
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..model import Instance
from .bounds import alone_bound, area_bound, chain_bound, head_bound
from .formulation import build, run_lp, run_lp_with_start
from .horizon import heuristic
from .interrupt import Interrupted

__all__ = ["lp_bound", "probe_bound", "probe_from", "lower_bounds", "BOUNDS", "HORIZON_BOUNDS"]


def lp_bound(instance: Instance, objective: str = "tct", upper: int | None = None, tails: bool = True) -> float:
    """Value of the LP relaxation of the time-indexed model (HiGHS), rounded up to an integer.

    ``upper``: the cost of a known feasible schedule (default: best heuristic), which sets the horizon.
    ``tails``: with the extended-tail clique rows of :mod:`lpsched.exact.formulation` (the default; much
    stronger when most requests hold more than ``M / 2`` at their peak).
    """
    if upper is None:
        upper = heuristic(instance, objective).objective
    ti = build(instance, objective, upper, tails=tails)
    value = ti.solve_lp()
    return int(math.ceil(value - 1e-6))


def probe_bound(instance: Instance, objective: str = "tct", upper: int | None = None,
                time_limit: float | None = None) -> int:
    """The LP relaxation with request probing: ``max_i min_k LP(x[i, k] = 1)``, rounded up.

    Valid: every schedule of cost at most ``upper`` lies in the horizon and starts each request ``i`` at
    some ``k`` of its window, so its column vector is feasible for the LP with ``x[i, k] = 1`` fixed and
    costs at least ``LP(x[i, k] = 1) >= min_k LP(x[i, k] = 1)``; this holds for every ``i``.  A start
    whose reduced cost ``d`` at the LP optimum (``x* = 0``) gives ``LP + d`` at least the smallest value
    found so far for ``i`` is skipped: ``LP(x[i, k] = 1) >= LP + d`` (the reduced-cost inequality
    ``c x >= LP + sum d (x - x*)``, whose terms other than the one of ``x[i, k]`` are ``>= 0``).

    Each probe is a dual-simplex re-solve from the last basis.  ``time_limit`` (seconds) or Ctrl-C stops
    early with the bound over the requests probed so far, still valid.  Measured on the Jaillet
    instances, 5 seeds each (``python benchmarks/exact.py --bounds --probe --sizes 12 14 16 20 25``,
    against the best schedules of a 60 s CP-SAT run): it lifts the LP by 0.5-2.7% of the best schedule
    at n = 12 (``jaillet_instance(12, 4)`` 690 -> 710, OPT 739) and by 0.3-0.6% at n = 25 (``(25, 0)``
    1394 -> 1404, best known 1574), closing 9-41% of the LP's gap at n = 12 and 3-6% at n = 25, in
    1-10 s at n = 12, 12-34 s at n = 16 and 57-418 s at n = 25 (other jobs on the second core).  One
    branching level on a request's start closes only that much, so proofs by LP-based branching need
    many levels.
    """
    if upper is None:
        upper = heuristic(instance, objective).objective
    end = math.inf if time_limit is None else time.perf_counter() + time_limit
    ti = build(instance, objective, upper)
    h = ti.highs()
    try:
        z = run_lp(h, None if time_limit is None else end - time.perf_counter())
    except TimeoutError:
        z = -math.inf
    if z == -math.inf:                                  # out of time before the LP itself was solved
        return alone_bound(instance, objective)
    if z == math.inf:                                   # no schedule within the horizon
        return z
    return probe_from(ti, h, z, end)


def probe_from(ti, h, z: float, end: float = math.inf, on_bound=None) -> int:
    """The probing of :func:`probe_bound` on the HiGHS object ``h`` holding the solved LP of ``ti`` (value
    ``z``) until ``end`` (``time.perf_counter``), Ctrl-C or a HiGHS that does not stop: the bound over the
    requests probed so far, rounded up.  ``on_bound(value)`` gets each improvement of that bound."""
    instance = ti.instance
    sol = h.getSolution()
    x, d = np.array(sol.col_value), np.array(sol.col_dual)
    pledge = z + np.where(x < 1e-9, np.maximum(d, 0.0), 0.0) - 1e-6   # LP(x[c] = 1) >= pledge[c]
    best = z
    try:
        for i in range(instance.n):
            cols = np.arange(ti.first[i], ti.first[i + 1])
            low = math.inf
            for c in cols[np.argsort(pledge[cols], kind="stable")].tolist():
                if pledge[c] >= low:
                    break
                left = end - time.perf_counter()
                if left <= 0:
                    raise TimeoutError
                v = run_lp_with_start(h, c, None if end == math.inf else left)
                if v == -math.inf:
                    raise TimeoutError
                low = min(low, v)
            if low > best:
                best = low
                if on_bound is not None:
                    on_bound(int(math.ceil(best - 1e-6)))
    except (TimeoutError, Interrupted):
        pass
    return int(math.ceil(best - 1e-6))


BOUNDS = {"alone": alone_bound, "area": area_bound, "chain": chain_bound, "head": head_bound, "lp": lp_bound,
          "probe": probe_bound}


#: the bounds computed over the horizon of a feasible cost (``upper=``)
HORIZON_BOUNDS = ("lp", "probe")


def lower_bounds(instance: Instance, objective: str = "tct", which=("alone", "area", "chain", "head", "lp"),
                 known: dict | None = None, upper: int | None = None) -> dict:
    """The named lower bounds as a dict ``name -> value`` (and ``best``).  ``known``: values already
    computed (e.g. ``head`` and ``lp`` by :func:`lpsched.exact.solve`), used instead of recomputing them.
    ``upper``: the cost of a known schedule (e.g. the solve's), whose horizon :data:`HORIZON_BOUNDS` use
    (default: the best heuristic's; a smaller cost gives a smaller model and a bound at least as high)."""
    known = known or {}
    out = {}
    for name in which:
        try:
            fn = BOUNDS[name]
        except KeyError:
            raise ValueError(f"unknown bound {name!r}; valid bounds: {', '.join(BOUNDS)}") from None
        extra = {"upper": upper} if upper is not None and name in HORIZON_BOUNDS else {}
        out[name] = known[name] if name in known else fn(instance, objective, **extra)
    out["best"] = max(out.values())
    return out

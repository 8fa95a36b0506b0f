"""Lower bounds on the optimum: cheap combinatorial ones and the LP relaxation.

All bounds are for the objective ``tct`` = sum of completion times ``C_i`` (with arrivals this is the
total latency ``sum (C_i - a_i)`` plus the constant ``sum a_i``) or ``makespan`` = ``max C_i``.

Combinatorial bounds (proofs)
-----------------------------
* **Alone** (``alone``): request ``i`` cannot complete before ``a_i + o_i``, so
  ``TCT >= sum (a_i + o_i)`` and ``makespan >= max (a_i + o_i)``.
* **Memory area** (``area``): a request run from ``p`` holds ``s + (t - p)`` tokens at the integer times
  ``p < t <= p + o``, a *memory area* ``A_i = o_i s_i + o_i (o_i + 1) / 2`` whatever ``p`` is.  At every
  integer time the memory is at most ``M``, so the requests completed by time ``C`` have total area at
  most ``M C``.  Let ``C_(1) <= ... <= C_(n)`` be the sorted completion times of any feasible schedule.
  The ``k`` requests completed by ``C_(k)`` have area at least the sum of the ``k`` smallest areas, so
  ``C_(k) >= ceil(sum_{j<=k} A_[j] / M)``; also ``C_(k) >= `` the ``k``-th smallest ``a_i + o_i``
  (the sorted ``C`` dominates the sorted ``a + o`` elementwise).  Hence
  ``C_(k) >= LB_k := max(ceil(sum_{j<=k} A_[j] / M), (a + o)_[k])`` and ``TCT >= sum_k LB_k``;
  ``makespan >= LB_n``.
* **LP relaxation** (``lp``): the time-indexed model of :mod:`lpsched.exact.formulation` with
  ``0 <= x <= 1``, over a horizon that provably contains an optimal schedule
  (:mod:`lpsched.exact.horizon`), so its value bounds the optimum; rounded up (objectives are integers).

>>> from lpsched import Instance
>>> inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
>>> order_statistic_bounds(inst).tolist()
[1, 1, 3, 5]
>>> b = lower_bounds(inst); (b["alone"], b["area"], b["lp"])
(7, 10, 10)
"""

from __future__ import annotations

import math

import numpy as np

from ..model import Instance

__all__ = ["areas", "order_statistic_bounds", "alone_bound", "area_bound", "lp_bound", "lower_bounds",
           "BOUNDS"]


def areas(instance: Instance) -> np.ndarray:
    """Memory area ``A_i = o_i s_i + o_i (o_i + 1) / 2`` of each request (token-steps)."""
    o, s = instance.o, instance.s
    return o * s + o * (o + 1) // 2


def order_statistic_bounds(instance: Instance) -> np.ndarray:
    """``LB_k`` (k = 1..n): a lower bound on the k-th smallest completion time of any feasible schedule."""
    cum = np.cumsum(np.sort(areas(instance)))
    by_area = -(-cum // instance.memory)          # ceil
    by_alone = np.sort(instance.a + instance.o)
    return np.maximum(by_area, by_alone)


def alone_bound(instance: Instance, objective: str = "tct") -> int:
    """``sum (a_i + o_i)`` for ``tct``, ``max (a_i + o_i)`` for ``makespan``."""
    c = instance.a + instance.o
    return int(c.sum() if objective == "tct" else c.max())


def area_bound(instance: Instance, objective: str = "tct") -> int:
    """Memory-area / order-statistic bound (see the module docstring)."""
    lb = order_statistic_bounds(instance)
    return int(lb.sum() if objective == "tct" else lb[-1])


def lp_bound(instance: Instance, objective: str = "tct", upper: int | None = None) -> float:
    """Value of the LP relaxation of the time-indexed model (HiGHS), rounded up to an integer.

    ``upper``: the cost of a known feasible schedule (default: best heuristic), which sets the horizon.
    """
    from .formulation import build
    from .horizon import heuristic

    if upper is None:
        upper = heuristic(instance, objective).objective
    ti = build(instance, objective, upper)
    value = ti.solve_lp()
    return int(math.ceil(value - 1e-6))


BOUNDS = {"alone": alone_bound, "area": area_bound, "lp": lp_bound}


def lower_bounds(instance: Instance, objective: str = "tct", which=("alone", "area", "lp")) -> dict:
    """The named lower bounds as a dict ``name -> value`` (and ``best``)."""
    out = {}
    for name in which:
        try:
            fn = BOUNDS[name]
        except KeyError:
            raise ValueError(f"unknown bound {name!r}; valid bounds: {', '.join(BOUNDS)}") from None
        out[name] = fn(instance, objective)
    out["best"] = max(out.values())
    return out

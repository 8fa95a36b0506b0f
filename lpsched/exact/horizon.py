"""The heuristic incumbent and a horizon that provably contains every optimal schedule.

Layer: algorithms.

A too-small horizon silently breaks "exact", so every restriction of the start times used by the
models is proved here.

Eviction never helps (clairvoyant schedules)
--------------------------------------------
Take any schedule with evictions and drop its evicted runs, keeping every request's final run.  The
final runs (hence every completion time, the TCT and the makespan) are unchanged, and at every integer
time the memory held is the old memory minus what the evicted runs held: it only decreases, so the new
schedule is feasible too.  Hence an optimal schedule without eviction exists, and the exact models only
choose one start ``p_i >= a_i`` per request (Jaillet et al., arXiv 2502.07115).

Latest starts for the TCT objective
-----------------------------------
Let ``U`` be the TCT of a feasible schedule (the best of the ``hsf`` and ``fcfs`` policies) and ``S``
any optimal schedule, so ``TCT(S) <= U``.

1. *Per request.*  ``sum_{i != j} C_i >= R_j := max(sum_{i != j} (a_i + o_i), sum_{k < n} LB_k)`` where
   ``LB_k`` bounds the ``k``-th smallest completion time (:func:`lpsched.exact.bounds.order_statistic_bounds`):
   the completion times of the other requests are ``n - 1`` of the ``n`` order statistics, whose sum is
   at least that of the ``n - 1`` smallest.  So ``C_j <= U - R_j``.
2. *No idle step after the last arrival.*  Suppose that in ``S`` no request runs during step
   ``[t, t + 1)`` with ``t >= max_i a_i`` and some request starts after ``t``.  Every request started at
   or before ``t`` has completed by ``t`` (it is not running in step ``t``), so moving every request that
   starts after ``t`` one step earlier shifts their memory profile one step earlier without overlap
   with the others, respects arrivals (``a_i <= t < p_i``) and lowers the TCT: ``S`` was not optimal.
   So after ``max a`` every step until the last completion runs a request, and the number of such steps
   is at most ``sum_i o_i``: ``C_j <= max_i a_i + sum_i o_i``.

The latest start is ``L_j = min(U - R_j, max a + sum o) - o_j``.  Both arguments hold for *every*
optimal schedule, and both bounds are equal for identical requests, so permuting identical requests
(the symmetry breaking of the models) keeps an optimal schedule inside the horizon.

Makespan objective: a schedule of makespan at most ``U`` has ``C_j <= U``, so ``L_j = U - o_j``.

>>> from lpsched import Instance
>>> inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
>>> h = heuristic(inst); (h.policy, h.objective)
('hsf', 11)
>>> horizon(inst, "tct", 11).latest_start.tolist()
[4, 4, 4, 3]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model import Instance
from ..runner import simulate
from ..schedule import Schedule
from .bounds import order_statistic_bounds
from .check import checked_metrics

__all__ = ["Heuristic", "Horizon", "heuristic", "horizon", "objective_value", "OBJECTIVES", "HEURISTICS"]

OBJECTIVES = ("tct", "makespan")
HEURISTICS = ("hsf", "fcfs")


def objective_value(schedule: Schedule, objective: str) -> int:
    """The objective recomputed from ``schedule``, which is validated (:func:`.check.check_schedule`)."""
    m = checked_metrics(schedule)
    return m.tct if objective == "tct" else m.makespan


@dataclass(frozen=True)
class Heuristic:
    schedule: Schedule
    objective: int
    policy: str


def heuristic(instance: Instance, objective: str = "tct", policies=HEURISTICS) -> Heuristic:
    """The best schedule among the given policies, each validated (by :func:`.check.check_schedule`: the
    validator's memory profile when the horizon allows it, else the exact check at the run ends)."""
    best = None
    for name in policies:
        sched = simulate(instance, name, check=False).schedule
        val = objective_value(sched, objective)
        if best is None or val < best.objective:
            best = Heuristic(sched, val, name)
    return best


@dataclass(frozen=True)
class Horizon:
    """Latest start ``latest_start[i]`` of every request; ``end`` = the last time a request may hold memory."""

    latest_start: np.ndarray
    end: int
    upper: int
    objective: str


def horizon(instance: Instance, objective: str, upper: int, cap: int | None = None) -> Horizon:
    """Latest starts that contain every optimal schedule, given a feasible cost ``upper`` (see module doc).

    ``cap`` optionally forces ``C_i <= cap`` (a user horizon; the model may then be infeasible).
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; valid objectives: {', '.join(OBJECTIVES)}")
    a, o = instance.a, instance.o
    if objective == "makespan":
        last_c = np.full(instance.n, int(upper), np.int64)
    else:
        lb = order_statistic_bounds(instance)
        alone = a + o
        others = np.maximum(alone.sum() - alone, lb[:-1].sum())
        last_c = np.minimum(int(upper) - others, int(a.max()) + int(o.sum()))
    if cap is not None:
        last_c = np.minimum(last_c, int(cap))
    latest = last_c - o
    return Horizon(latest.astype(np.int64), int((latest + o).max()), int(upper), objective)

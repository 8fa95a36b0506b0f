"""Exact search for tiny instances (n up to about 7): depth-first over time with branch and bound.

Layer: algorithms.

At each integer time ``t`` the search chooses which arrived, not yet started requests start at ``t``
(every subset that keeps memory within ``M``), then moves to ``t + 1``.  Once a request has started its
whole future memory profile is known and later starts only add memory, so a subset is feasible iff
adding it to the profile of the runs in progress never exceeds ``M``.  This enumerates every schedule
without eviction (eviction never helps: :mod:`lpsched.exact.horizon`) inside the horizon, except what
the following exact rules cut:

* *bound*: the cost so far plus a lower bound on the requests not started is at least the incumbent.
  Such a request ``j`` completes no earlier than ``max(a_j, t + 1) + o_j``, and (memory area, as in
  :mod:`lpsched.exact.bounds`) the ``k`` of them that complete first hold, between ``t + 2`` and their
  last completion ``C``, at least the ``k`` smallest areas ``A = o s + o (o + 1) / 2``, which must fit
  in the memory left free by the runs in progress: ``sum_{tau = t+2}^{C} (M - load(tau)) >= A_[1] + ... + A_[k]``.
  The ``k``-th completion is at least the larger of the two bounds (sum for ``tct``, max for ``makespan``);
* *horizon*: a request not started by its latest start ``L_j`` (:func:`lpsched.exact.horizon.horizon`);
* *idle step*: no request runs during ``[t, t + 1)``, some are left and all have arrived: moving all
  of them one step earlier is feasible and strictly better (argument in :mod:`lpsched.exact.horizon`);
* *one step earlier*: in an optimal schedule no request ``j`` with ``p_j > a_j`` could start at
  ``p_j - 1`` with every other start unchanged (that schedule would be feasible and better).  Starting
  at ``p_j - 1`` instead of ``p_j`` adds ``s_j + 1`` tokens at ``p_j`` and one token at each of
  ``p_j + 1 .. p_j + o_j - 1`` (and frees time ``p_j + o_j``), so it is feasible iff
  ``load(p_j) + s_j + 1 <= M`` and ``load(tau) <= M - 1`` on ``p_j < tau < p_j + o_j``.  These loads are
  final once every start before ``p_j + o_j - 1`` is fixed; the search then cuts the node;
* *symmetry*: among identical requests (same ``s``, ``o``, ``a``) a lower index starts no later;
* *dominance*: the future of a node depends only on ``(t, requests left, runs in progress)``; a node
  reached again with a cost so far that is not lower is cut (for the makespan, ties are compared by
  the sum of the starts so far: every cut above then has a witness strictly smaller in the order
  (makespan, sum of starts), so a minimal optimal schedule in index order is never cut).

>>> from lpsched import Instance
>>> from lpsched.exact.bruteforce import search
>>> search(Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3]), "tct", upper=None, latest=[9] * 4, time_limit=10)[:2]
('optimal', [0, 0, 1, 3])
"""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from ..model import Instance
from .formulation import identical_groups

__all__ = ["search", "MAX_N"]

MAX_N = 12


def search(instance: Instance, objective: str, upper: int | None, latest, time_limit: float,
           incumbent=None):
    """Return ``(status, starts | None, bound, message)``.

    ``upper``: cost of ``incumbent`` (a start vector); the search looks for strictly better schedules.
    ``latest``: latest start of every request.
    """
    n = instance.n
    if n > MAX_N:
        raise ValueError(f"the bruteforce backend is for tiny instances: n = {n} > {MAX_N}; use 'highs' or 'cpsat'")
    s, o, a = instance.s.tolist(), instance.o.tolist(), instance.a.tolist()
    M = instance.memory
    latest = [int(v) for v in latest]
    tmax = max(latest[i] + o[i] for i in range(n))
    load = np.zeros(tmax + 2, np.int64)
    ramp = np.arange(1, max(o) + 1, dtype=np.int64)
    area = [o[i] * s[i] + o[i] * (o[i] + 1) // 2 for i in range(n)]
    prev_twin = [-1] * n
    for g in identical_groups(instance):
        for u, v in zip(g[:-1], g[1:]):
            prev_twin[v] = u
    tct = objective == "tct"
    best = {"cost": math.inf if upper is None else upper, "starts": None if incumbent is None else list(incumbent)}
    seen: dict = {}
    deadline = time.perf_counter() + time_limit
    state = {"nodes": 0, "timeout": False}
    start = [-1] * n
    last_arrival = max(a)

    def fits(i, t):
        return bool(np.all(load[t + 1:t + o[i] + 1] + (s[i] + ramp[:o[i]]) <= M))

    def put(i, t, sign):
        load[t + 1:t + o[i] + 1] += sign * (s[i] + ramp[:o[i]])

    def rest_bound(rest, t1):
        alone = np.sort([max(a[i], t1) + o[i] for i in rest])
        need = np.cumsum(np.sort([area[i] for i in rest]))
        free = np.cumsum(M - load[t1 + 1:])
        k = np.searchsorted(free, need)            # first index with enough free area
        by_area = np.where(k < len(free), t1 + 1 + k, tmax + 1 + (need - free[-1] + M - 1) // M)
        lbs = np.maximum(alone, by_area)
        return int(lbs.sum()) if tct else int(lbs[-1])

    def node(t, left, cost, running):
        state["nodes"] += 1
        if state["nodes"] % 4096 == 0 and time.perf_counter() > deadline:
            state["timeout"] = True
        if state["timeout"]:
            return
        if not left:
            if cost < best["cost"]:
                best["cost"], best["starts"] = cost, list(start)
            return
        key = (t, frozenset(left), running)
        # makespan: ties broken by the sum of starts so far, so that every cut has a strictly better
        # witness in the order (makespan, sum of starts) (the one-step and idle rules lower that sum)
        rank = cost if tct else (cost, sum(start[i] for i in range(n) if start[i] >= 0))
        if key in seen and seen[key] <= rank:
            return
        seen[key] = rank
        cand = [i for i in sorted(left) if a[i] <= t]
        chosen: list[int] = []

        def choose(k, cost_now):
            if state["timeout"]:
                return
            if k == len(cand):
                rest = [i for i in left if i not in chosen]
                t1 = t + 1
                if any(latest[i] < t1 for i in rest):
                    return
                if rest:
                    rb = rest_bound(rest, t1)
                    lb = cost_now + rb if tct else max(cost_now, rb)
                    if lb >= best["cost"]:
                        return
                    if load[t1] == 0 and t >= last_arrival:
                        return          # idle step with everyone arrived: not optimal
                else:
                    if cost_now < best["cost"]:
                        best["cost"], best["starts"] = cost_now, list(start)
                    return
                for j in range(n):
                    pj = start[j]
                    if pj > a[j] and max(pj + 1, pj + o[j] - 1) == t1 and load[pj] + s[j] + 1 <= M \
                            and (o[j] == 1 or int(load[pj + 1:pj + o[j]].max()) <= M - 1):
                        return          # j could start one step earlier: not optimal
                run = tuple(sorted((i, start[i]) for i in range(n) if start[i] >= 0 and start[i] + o[i] > t))
                node(t1, left - set(chosen), cost_now, run)
                return
            i = cand[k]
            twin = prev_twin[i]
            if (twin < 0 or start[twin] >= 0) and fits(i, t):
                start[i] = t
                put(i, t, 1)
                chosen.append(i)
                c = t + o[i]
                choose(k + 1, cost_now + c if tct else max(cost_now, c))
                chosen.pop()
                put(i, t, -1)
                start[i] = -1
            if latest[i] > t:
                choose(k + 1, cost_now)

        choose(0, cost)

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, (tmax + 2) * (n + 3) + 1000))
    try:
        node(0, frozenset(range(n)), 0, ())
    except KeyboardInterrupt:                 # Ctrl-C: the best schedule found so far, no bound
        from .interrupt import Interrupted

        raise Interrupted(("feasible" if best["starts"] is not None else "unknown", best["starts"], -math.inf,
                           f"bruteforce: {state['nodes']} nodes")) from None
    finally:
        sys.setrecursionlimit(old)
    msg = f"bruteforce: {state['nodes']} nodes"
    if best["starts"] is None:
        return ("unknown" if state["timeout"] else "infeasible"), None, (-math.inf if state["timeout"] else math.inf), msg
    if state["timeout"]:
        return "feasible", best["starts"], -math.inf, msg + " (time limit)"
    return "optimal", best["starts"], float(best["cost"]), msg

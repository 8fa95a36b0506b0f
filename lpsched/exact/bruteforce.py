"""Exact search for tiny instances (n up to about 7): depth-first over time with branch and bound.

At each integer time ``t`` the search chooses which arrived, not yet started requests start at ``t``
(every subset that keeps memory within ``M``), then moves to ``t + 1``.  Once a request has started its
whole future memory profile is known and later starts only add memory, so a subset is feasible iff
adding it to the profile of the runs in progress never exceeds ``M``.  This enumerates every schedule
without eviction (eviction never helps: :mod:`lpsched.exact.horizon`) inside the horizon, except what
the following exact rules cut:

* *bound*: the cost so far plus ``max(a_j, t + 1) + o_j`` for every request not started (sum for
  ``tct``, max for ``makespan``) is at least the incumbent;
* *horizon*: a request not started by its latest start ``L_j`` (:func:`lpsched.exact.horizon.horizon`);
* *idle step*: no request runs during ``[t, t + 1)``, some are left and all have arrived: moving all
  of them one step earlier is feasible and strictly better (argument in :mod:`lpsched.exact.horizon`);
* *symmetry*: among identical requests (same ``s``, ``o``, ``a``) a lower index starts no later;
* *dominance*: the future of a node depends only on ``(t, requests left, runs in progress)``; a node
  reached again with a cost so far that is not lower is cut.

>>> from lpsched import Instance
>>> from lpsched.exact.bruteforce import search
>>> search(Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3]), "tct", upper=None, latest=[9] * 4, time_limit=10)[:2]
('optimal', [0, 0, 1, 3])
"""

from __future__ import annotations

import math
import sys
import time

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
    load = [0] * (tmax + 2)
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
        si = s[i] + t
        return all(load[t + d] + si + d - t <= M for d in range(1, o[i] + 1))

    def put(i, t, sign):
        for d in range(1, o[i] + 1):
            load[t + d] += sign * (s[i] + d)

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
        if seen.get(key, math.inf) <= cost:
            return
        seen[key] = cost
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
                    lbs = [max(a[i], t1) + o[i] for i in rest]
                    lb = cost_now + sum(lbs) if tct else max(cost_now, max(lbs))
                    if lb >= best["cost"]:
                        return
                    if load[t1] == 0 and t >= last_arrival:
                        return          # idle step with everyone arrived: not optimal
                else:
                    if cost_now < best["cost"]:
                        best["cost"], best["starts"] = cost_now, list(start)
                    return
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
    finally:
        sys.setrecursionlimit(old)
    msg = f"bruteforce: {state['nodes']} nodes"
    if best["starts"] is None:
        return ("unknown" if state["timeout"] else "infeasible"), None, (-math.inf if state["timeout"] else math.inf), msg
    if state["timeout"]:
        return "feasible", best["starts"], -math.inf, msg + " (time limit)"
    return "optimal", best["starts"], float(best["cost"]), msg

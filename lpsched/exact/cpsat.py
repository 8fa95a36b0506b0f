"""CP-SAT backend (OR-Tools), with four formulations, alone or racing.

Layer: algorithms.

* ``formulation="time"``: the time-indexed model of :mod:`lpsched.exact.formulation` with Boolean
  ``x[i, k]``, one ``ExactlyOne`` per request, one linear memory row per time and one ``AtMostOne`` per
  extended-tail clique.
* ``formulation="interval"``: integer starts ``p_i in [a_i, L_i]`` and a cumulative constraint of
  capacity ``M``.  A run from ``p`` holds ``s + (t - p)`` tokens at ``p < t <= p + o``; in cumulative
  time (point ``t`` covered by ``[start, end)`` iff ``start <= t < end``) this is the *staircase* of one
  interval ``[p + 1, p + o + 1)`` of demand ``s + 1`` plus, for ``d = 2..o``, an interval
  ``[p + d, p + o + 1)`` of demand 1: at ``t`` the load is ``s + 1 + (t - p - 1) = s + t - p``.  Exact, with
  ``sum_i o_i`` intervals whose starts are ``p_i`` plus constants.
* ``formulation="both"``: both, channelled by ``p_i = sum_k k x[i, k]``.
* ``formulation="completion"``: integer starts and memory checked only at completion
  times, ``O(n^2)`` variables and no time grid.  Exact because the load can only peak at a completion:
  if no request completes at ``t``, every request holding memory at ``t`` still runs at ``t + 1`` and
  holds one token more, and starts only add, so ``load(t + 1) >= load(t)``.  Hence the largest load on
  ``[t, C*]`` (``C*`` the first completion at or after ``t``) is at ``C*``, every time with a positive
  load has such a ``C*`` (a running request completes later), and the schedule is feasible iff
  ``load(C_j) <= M`` for every ``j``.  At ``C_j``, ``j`` holds ``P_j = s_j + o_j`` and a request ``k``
  with ``p_k < C_j <= C_k`` holds ``P_k - (C_k - C_j)`` (at least ``s_k + 1``).  The model has one
  Boolean ``r[k, j]`` per ordered pair, forced true when ``k`` runs at ``C_j`` (``r`` or ``p_k >= C_j``
  or ``C_k < C_j``), a contribution ``w[k, j] >= max(P_k - C_k + C_j, s_k + 1)`` when ``r[k, j]``, and
  ``P_j + sum_k w[k, j] <= M``.
* a tuple, ``formulation=("interval", "completion")`` (the default): a *race*.  Each formulation is
  solved at once in its own thread (``workers`` CP-SAT workers each) from the same warm start; the
  first proof of optimality stops the others, and otherwise the result is the best schedule any of
  them found with the largest bound any of them proved (each is an exact model of the same problem on
  the same horizon, so each bound holds for all).  The two formulations are good on different
  instances: measured side by side on the Jaillet instances (60 s limit, 5 seeds; ``python
  benchmarks/exact.py --backends cpsat-interval cpsat-completion cpsat-race cpsat-2workers --sizes 12 14
  16``), ``interval`` proves n = 14 seeds 0, 1, 2, 4 in 12.6-19.4 s but not seed 3 (many requests
  near ``M / 2``), which ``completion`` proves in 59.5 s (8.6-26.9 s on the others); the race proves all
  five (8.8-19.5 s, seed 3 59.0 s), against 4 of 5 for ``interval`` with 2 workers, the same two cores
  spent on one model.  At n = 12 every variant proves all five (medians: race 2.6 s, ``interval`` 2.9 s,
  2 workers 1.7 s); at n = 16 every variant proves 1 of 5.  Putting both formulations into one model
  instead (1 worker) proved less: ``jaillet_instance(14, 3)`` not within 60 s (bound 508).

Measured on Jaillet-style instances (n = 6..8), before ``completion`` and the pair gaps: ``interval`` with the redundant tail constraints and one
worker is the fastest to prove optimality (the default then); ``time`` proves slower, ``both`` slower still.
At n = 12 (proofs in 25-55 s) two workers, ``redundant=1`` and ``strategy="set_times"`` were within the
noise of the default.  What limits the proofs is the lower bound: the time-indexed LP relaxation is
only 0.79-0.97 of OPT on these instances (n = 6..10), and adding pairwise-conflict or "at most c
requests hold more than M/(c+1)" rows to it moved it by under 1%.

Pairwise completion gaps (``pairs=True``, the default, every formulation): for two requests with
``P_j + P_k > M`` (``P = s + o``, the peak), the one completing later completes at least
``g(j, k) = min(o_k, P_j + P_k - M)`` after the other (proof in :func:`lpsched.exact.bounds.completion_gap`); one Boolean per
such pair chooses the order.  Redundant for the model, but it lets CP-SAT reason about completion order
directly: on the n = 8 instances proofs went from 0.1-14.9 s to 0.0-0.5 s, and every n = 12 instance
is proven (1.3-7.5 s instead of 25-55 s with 4 of 5 proven; ``python benchmarks/exact.py``).

With the pair gaps, ``completion`` proved n = 12 in 1.0-4.2 s against 1.3-6.6 s for ``interval``, and 4
of 5 instances at n = 14 (13-56 s) against 3 of 5 (60 s limit, one worker).  With the chain constraints
(``chain=True``, :func:`_chain_constraints`) on top, ``interval`` took the lead again: n = 14 4 of 5 in
27-40 s (``completion`` 16-59 s), n = 16 1 of 5 (43 s; ``completion`` none), measured side by side
(``benchmarks/exact.py --backends cpsat cpsat-completion --sizes 14 16``).

Bound-oriented search (``params={"optimize_with_lb_tree_search": True}`` or ``"use_objective_lb_search"``)
raises CP-SAT's own bound well above the combinatorial one (``jaillet_instance(14, 3)``: 597 at 60 s against
the chain-head bound 508, about the root LP with tail cliques, 600, that ``solve`` reports; best known 660) but
finds worse schedules (724 against 663) and, alone or as a
second worker, proved nothing more within 60 s at n = 14-16: not the default (``benchmarks/exact.py
--backends cpsat-lbtree cpsat-lbsearch cpsat-core cpsat-shaving cpsat-lbworker --sizes 14 --seed-list 3``).

CP-SAT's own bound (``info["backend_bound"]`` of :func:`lpsched.exact.solve`) on the instances it does not
prove is far below the root LP: on all 15 of them at n = 14-25 (5 seeds, 60 s) it is 0.64-0.79 of the
best schedule, against 0.87-0.95 for the LP with the tail cliques, which is then the bound reported
(``benchmarks/exact.py --backends cpsat --sizes 8 12 14 16 20 25 --all-sizes --out runs.csv`` prints the
smallest of each per n; the log keeps both per instance).  More time does not move the reported bound:
with ``--time-limit 600`` (n = 16 seeds 2-4) or ``900`` (n = 20 seeds 0-1, n = 25 seed 0) these
instances end with the same bound as at 60 s.  For ``time`` the weak bound is CP-SAT's presolve: it re-encodes the starts and
loosens the LP (root bound 731-736 on ``jaillet_instance(16, 2)``, against 952 for the same LP in
HiGHS; ``--backends cpsat-time cpsat-time-nopresolve --sizes 16 --seed-list 2`` prints the search's
own bound of each).  With ``params={"cp_model_presolve": False}`` its root LP reaches 952 in 1.1 s, but the search
stays on it: n = 14 seeds 0-4 within 60 s end at 1036, 733, 628, 608, 866 (LPs 1031, 727, 624, 600, 862),
none proven, where the default race proves 4 of 5 (``--backends cpsat-time-nopresolve cpsat --sizes
14``).  ``linearization_level=2`` (``cpsat-lin2``) proves 3 of 5 at n = 14 (34-52 s).

Warm start: ``AddHint`` from the heuristic schedule.  At most 2 workers per model (the machine has 2
cores: the default race already uses both).
"""

from __future__ import annotations

import math
import threading
import time
from typing import NamedTuple

import numpy as np

from ..solvers import cp_model_module
from .bounds import areas, chain_weights, completion_gap, extended_tails
from .formulation import TimeIndexed
from .interrupt import ABANDONED, Interrupted, run_interruptibly
from .limits import (BYTES_PER_INTERVAL, BYTES_PER_PAIR, INT_LIMIT, MEMORY_BUDGET, ModelTooLarge, fmt_bytes,
                     fmt_count, magnitude, scaled_geq)

__all__ = ["solve_cpsat", "completion_gap", "check_range", "model_bytes", "FORMULATIONS", "DEFAULT_FORMULATION"]

FORMULATIONS = ("completion", "time", "interval", "both")


def _active_rule(m, ti: TimeIndexed, x) -> None:
    """Add the 'no request can start one step earlier' clauses (see :func:`solve_cpsat`)."""
    inst = ti.instance
    M, s, o, a = inst.memory, inst.s.tolist(), inst.o.tolist(), inst.a.tolist()
    # load(tau) for every tau (also where the memory row was dropped as never binding)
    terms: dict[int, list] = {}
    for c, (i, k) in enumerate(zip(ti.var_req.tolist(), ti.var_start.tolist())):
        for d in range(1, o[i] + 1):
            terms.setdefault(k + d, []).append((c, s[i] + d))
    load = {tau: sum(v * x[c] for c, v in lst) for tau, lst in terms.items()}
    cache: dict = {}

    def at_least(tau, level):
        """A literal implying load(tau) >= level (a false constant if it can never hold)."""
        key = (tau, level)
        if key not in cache:
            if tau not in load or sum(max(v for c, v in grp) for grp in _by_request(terms[tau], ti)) < level:
                cache[key] = None
            else:
                b = m.NewBoolVar(f"load{tau}ge{level}")
                m.Add(load[tau] >= level).OnlyEnforceIf(b)
                cache[key] = b
        return cache[key]

    for c, (j, k) in enumerate(zip(ti.var_req.tolist(), ti.var_start.tolist())):
        if k <= a[j]:
            continue
        lits = [at_least(k, M - s[j])] + [at_least(tau, M) for tau in range(k + 1, k + o[j])]
        m.AddBoolOr([x[c].Not()] + [b for b in lits if b is not None])


def _pair_orders(m, instance, C, P) -> None:
    """One order Boolean per pair with ``P_j + P_k > M`` and the two enforced gap constraints."""
    for j in range(instance.n):
        for k in range(j + 1, instance.n):
            if P[j] + P[k] <= instance.memory:
                continue
            first = m.NewBoolVar(f"c{j}_before_c{k}")
            m.Add(C[k] >= C[j] + completion_gap(instance, j, k)).OnlyEnforceIf(first)
            m.Add(C[j] >= C[k] + completion_gap(instance, k, j)).OnlyEnforceIf(first.Not())


def _completion_loads(m, instance, p, C, P, exact: bool = False, deadline=None) -> list:
    """``load(C_j) <= M`` for every ``j`` (the ``completion`` formulation, module docstring).

    ``exact``: each ``w[k, j]`` is then exactly what ``k`` holds at ``C_j`` (0 when it does not run), so
    a lower bound on the load means something, and the load expressions ``P_j + sum_k w[k, j]`` are
    returned (an empty list otherwise)."""
    n, M, s = instance.n, instance.memory, instance.s.tolist()
    loads = []
    for j in range(n):
        _check_time(deadline)
        held = []
        for k in range(n):
            if k == j:
                continue
            runs = m.NewBoolVar(f"r{k}_at_c{j}")            # k runs at C_j: p_k < C_j <= C_k
            m.Add(p[k] + 1 <= C[j]).OnlyEnforceIf(runs)
            m.Add(C[j] <= C[k]).OnlyEnforceIf(runs)
            later = m.NewBoolVar(f"p{k}_after_c{j}")
            m.Add(p[k] >= C[j]).OnlyEnforceIf(later)
            done = m.NewBoolVar(f"c{k}_before_c{j}")
            m.Add(C[k] + 1 <= C[j]).OnlyEnforceIf(done)
            m.AddBoolOr([runs, later, done])
            w = m.NewIntVar(0, P[k], f"w{k}_{j}")
            m.Add(w >= P[k] - C[k] + C[j]).OnlyEnforceIf(runs)
            m.Add(w >= s[k] + 1).OnlyEnforceIf(runs)
            if exact:
                m.Add(w <= P[k] - C[k] + C[j]).OnlyEnforceIf(runs)
                m.Add(w == 0).OnlyEnforceIf(runs.Not())
            held.append(w)
        m.Add(sum(held) <= M - P[j])
        if exact:
            loads.append(P[j] + sum(held))
    return loads


def _completion_active(m, instance, p, C, loads) -> None:
    """The active rule on the ``completion`` model: every ``j`` starts at ``a_j`` or is blocked (see
    :func:`solve_cpsat`, ``active``), which here reads: some ``k`` completes at ``p_j`` with
    ``load(C_k) >= M - s_j``, or some ``k`` completes in ``(p_j, C_j)`` with ``load(C_k) = M``.

    Why these suffice: moving ``j`` one step earlier adds ``s_j + 1`` tokens at ``p_j`` and one at each
    ``tau`` in ``(p_j, C_j)``.  If ``load(p_j) >= M - s_j`` and nothing completes at ``p_j``, then every
    request at ``p_j`` still runs at ``p_j + 1`` with one token more and ``j`` adds ``s_j + 1``, so
    ``load(p_j + 1) > M``: impossible.  If ``load(tau) = M`` at some ``tau`` in ``(p_j, C_j)``, the first
    completion ``c >= tau`` has ``load(c) >= load(tau)`` (the load grows between completions); ``c = C_j``
    is impossible (``j`` runs at ``tau`` and would add ``C_j - tau >= 1``), so ``c`` is another request's
    completion in ``(p_j, C_j)`` with ``load(c) = M``.
    """
    n, M, s, a, o = instance.n, instance.memory, instance.s.tolist(), instance.a.tolist(), instance.o.tolist()
    levels: dict = {}

    def at_least(k, v):
        """A literal implying ``load(C_k) >= v``."""
        if (k, v) not in levels:
            b = m.NewBoolVar(f"load_c{k}_ge{v}")
            m.Add(loads[k] >= v).OnlyEnforceIf(b)
            levels[k, v] = b
        return levels[k, v]

    for j in range(n):
        first = m.NewBoolVar(f"p{j}_at_arrival")
        m.Add(p[j] == a[j]).OnlyEnforceIf(first)
        lits = [first]
        for k in range(n):
            if k == j:
                continue
            at_start = m.NewBoolVar(f"c{k}_at_p{j}")
            m.Add(C[k] == p[j]).OnlyEnforceIf(at_start)
            m.AddImplication(at_start, at_least(k, M - s[j]))
            lits.append(at_start)
            if o[j] >= 2:
                inside = m.NewBoolVar(f"c{k}_in_run{j}")
                m.Add(C[k] >= p[j] + 1).OnlyEnforceIf(inside)
                m.Add(C[k] <= C[j] - 1).OnlyEnforceIf(inside)
                m.AddImplication(inside, at_least(k, M))
                lits.append(inside)
        m.AddBoolOr(lits)


def _chain_constraints(m, instance, p, C, P, hi) -> None:
    """Redundant constraints on the completion times ``C = p + o`` (valid in every feasible schedule).

    * *extended tails*: the windows of :func:`lpsched.exact.bounds.extended_tails` (proof there) are
      pairwise disjoint in every feasible schedule: a ``NoOverlap``.  It contains the "at most one
      request holds more than ``M / 2``" no-overlap of ``redundant=1`` and is about twice as long,
      which is what makes the chain visible to CP-SAT's energetic reasoning and LP.
    * *parallel inequalities* (Queyranne): (area) ``M C_k >= sum_{i: C_i <= C_k} A_i`` for every ``k``
      (the area bound of :mod:`lpsched.exact.bounds`), so for any set ``S``:
      ``2 M sum_S A_k C_k >= (sum_S A)^2 + sum_S A^2`` (the identity
      ``sum_k q_k sum_{i <= k} q_i = ((sum q)^2 + sum q^2) / 2`` over the completion order; ties only
      help).  (chain) for a set ``S`` of requests with ``2 P > M``, with ``alpha``, ``beta`` of
      :func:`lpsched.exact.bounds.chain_weights` computed on ``S`` and ``q = alpha + beta``: summing the pairwise
      gaps along the completion order of ``S`` gives
      ``C_(r) + alpha_(r) >= C_(1) - beta_(1) + sum_{i <= r} q_(i)`` and ``C_(1) >= o >= beta``, so if
      every ``q > 0`` the same identity gives ``2 sum_S q_k (C_k + alpha_k) >= (sum q)^2 + sum q^2``
      (implemented in doubled integer units).  Added for the nested prefixes of two orders each.
    The parallel inequalities have coefficients of the order of ``M A C`` (``10^21`` with outputs of
    ``10^5`` tokens): they are added through :func:`_add_geq`, which scales one down when its integers
    would not fit CP-SAT's range (still valid, :func:`lpsched.exact.limits.scaled_geq`).
    """
    n, M, o = instance.n, instance.memory, instance.o.tolist()
    windows = extended_tails(instance)
    if windows:
        m.AddNoOverlap([m.NewFixedSizeIntervalVar(C[j] - w + 1, w + e, f"ext{j}") for j, (w, e) in windows.items()])
    A = [int(v) for v in areas(instance).tolist()]
    for key in (lambda i: A[i], lambda i: o[i]):
        S: list[int] = []
        for i in sorted(range(n), key=key):
            S.append(i)
            sa, sq = sum(A[k] for k in S), sum(A[k] ** 2 for k in S)
            _add_geq(m, p, hi, {k: 2 * M * A[k] for k in S}, sa * sa + sq - sum(2 * M * A[k] * o[k] for k in S))
    G = [i for i in range(n) if 2 * P[i] > M]
    for key in (lambda i: P[i], lambda i: o[i]):
        order = sorted(G, key=key)
        for r in range(2, len(order) + 1):
            S = order[:r]
            al2, be2 = chain_weights(P, o, M, S)
            q2 = [int(v) for v in (al2 + be2).tolist()]
            if min(q2) <= 0:
                continue
            sq, sq2 = sum(q2), sum(v * v for v in q2)
            _add_geq(m, p, hi, {k: 4 * q for k, q in zip(S, q2)},
                     sq * sq + sq2 - sum(2 * q * (2 * o[k] + int(a2)) for k, q, a2 in zip(S, q2, al2.tolist())))


def _add_geq(m, p, hi, coefs: dict, rhs: int) -> None:
    """``sum_k coefs[k] p_k >= rhs`` (``coefs >= 0``, ``0 <= p_k <= hi[k]``), scaled to CP-SAT's range if
    needed; left out when it cannot bind (``rhs <= 0``)."""
    if rhs <= 0:
        return
    ks = list(coefs)
    c, r, _ = scaled_geq([coefs[k] for k in ks], [hi[k] for k in ks], rhs)
    m.Add(sum(ck * p[k] for ck, k in zip(c, ks)) >= r)


def _by_request(lst, ti):
    groups: dict[int, list] = {}
    for c, v in lst:
        groups.setdefault(int(ti.var_req[c]), []).append((c, v))
    return groups.values()


def check_range(ti: TimeIndexed) -> None:
    """Refuse (:class:`lpsched.exact.limits.ModelTooLarge`) a model whose essential expressions could exceed
    CP-SAT's integers: the objective ``sum_i p_i + sum_i o_i`` and the completion loads, whose terms are at
    most ``n`` times the horizon or ``n M``.  The redundant constraints are scaled instead (:func:`_add_geq`)."""
    inst = ti.instance
    L, o = [int(v) for v in ti.latest_start.tolist()], [int(v) for v in inst.o.tolist()]
    horizon = max(li + oi for li, oi in zip(L, o))
    need = max(magnitude([(1, 0, li) for li in L], sum(o)), magnitude([(2, 0, horizon)] * inst.n, inst.n * inst.memory))
    if need > INT_LIMIT:
        raise ModelTooLarge(f"CP-SAT model refused: its objective and memory rows reach {need:.3g} (n = {inst.n}, "
                            f"horizon {horizon:,}, M = {inst.memory:,}), beyond CP-SAT's 64-bit integers "
                            f"(limit {INT_LIMIT:.3g}); scale M, s and o down")


def _check_time(deadline) -> None:
    if deadline is not None and deadline.expired():
        raise TimeoutError("the time limit was reached while building the CP-SAT model")


def _model(cp_model, ti: TimeIndexed, formulation: str, start, redundant: int, strategy: str | None,
           no_idle: bool, active: bool, pairs: bool, chain: bool, deadline=None):
    """The CP-SAT model of one formulation (see :func:`solve_cpsat`): ``(model, start variables)``.

    ``deadline`` (:class:`lpsched.exact.limits.Deadline`): building stops with ``TimeoutError`` once it
    has passed (checked once per request or memory row)."""
    inst = ti.instance
    n, s, o, a, L = inst.n, inst.s.tolist(), inst.o.tolist(), inst.a.tolist(), ti.latest_start.tolist()
    check_range(ti)
    m = cp_model.CpModel()
    p = [m.NewIntVar(a[i], max(a[i], L[i]), f"p{i}") for i in range(n)]
    C = [p[i] + o[i] for i in range(n)]                        # completion times
    P = [s[i] + o[i] for i in range(n)]                        # peaks
    if formulation in ("time", "both"):
        x = [m.NewBoolVar(f"x{c}") for c in range(ti.nvars)]
        ks = ti.var_start.tolist()
        for i in range(n):
            cols = ti.columns(i)
            m.AddExactlyOne([x[c] for c in cols])
            m.Add(p[i] == sum(ks[c] * x[c] for c in cols))
        for _, cols, vals in ti.memory_rows():
            _check_time(deadline)
            m.Add(sum(int(v) * x[c] for c, v in zip(cols.tolist(), vals.tolist())) <= inst.memory)
        for i, j in ti.sym_pairs:
            m.Add(p[i] <= p[j])
        for cols in ti.clique_rows():
            m.AddAtMostOne([x[c] for c in cols.tolist()])
        if active:
            _active_rule(m, ti, x)
    if formulation in ("interval", "both"):
        intervals, demands = [], []
        for i in range(n):
            _check_time(deadline)
            intervals.append(m.NewFixedSizeIntervalVar(p[i] + 1, o[i], f"base{i}"))
            demands.append(s[i] + 1)
            for d in range(2, o[i] + 1):
                intervals.append(m.NewFixedSizeIntervalVar(p[i] + d, o[i] - d + 1, f"st{i}_{d}"))
                demands.append(1)
        m.AddCumulative(intervals, demands, inst.memory)
        for cap in range(2 if chain else 1, redundant + 1):
            # redundant: at most `cap` requests hold more than M / (cap + 1) tokens at any time
            thr = inst.memory // (cap + 1) + 1
            tails = []
            for i in range(n):
                age = max(1, thr - s[i])                # first age at which i holds >= thr
                if age <= o[i]:
                    tails.append(m.NewFixedSizeIntervalVar(p[i] + age, o[i] - age + 1, f"tail{cap}_{i}"))
            if len(tails) > cap:
                if cap == 1:
                    m.AddNoOverlap(tails)
                else:
                    m.AddCumulative(tails, [1] * len(tails), cap)
        if formulation == "interval":
            for i, j in ti.sym_pairs:
                m.Add(p[i] <= p[j])
    if formulation == "completion":
        active_tct = active and ti.objective == "tct"
        loads = _completion_loads(m, inst, p, C, P, exact=active_tct, deadline=deadline)
        if active_tct:
            _completion_active(m, inst, p, C, loads)
        for i, j in ti.sym_pairs:
            m.Add(p[i] <= p[j])
    _check_time(deadline)
    if pairs:
        _pair_orders(m, inst, C, P)
    if chain:
        _chain_constraints(m, inst, p, C, P, [max(a[i], L[i]) for i in range(n)])
    _check_time(deadline)
    if no_idle:
        amax = max(a)
        for j in range(n):
            if L[j] <= amax:
                continue
            early = m.NewBoolVar(f"early{j}")
            m.Add(p[j] <= amax).OnlyEnforceIf(early)
            lits = [early]
            for i in range(n):
                if i == j:
                    continue
                b = m.NewBoolVar(f"cover{i}_{j}")          # i runs in step [p_j - 1, p_j)
                m.Add(p[i] + 1 <= p[j]).OnlyEnforceIf(b)
                m.Add(p[j] <= p[i] + o[i]).OnlyEnforceIf(b)
                lits.append(b)
            m.AddBoolOr(lits)
    if ti.objective == "makespan":
        z = m.NewIntVar(0, int(max(L[i] + o[i] for i in range(n))), "z")
        for i in range(n):
            m.Add(z >= C[i])
        m.Minimize(z)
    else:
        m.Minimize(sum(p) + sum(o))
    if strategy == "set_times":
        # branch on the request with the smallest possible start, at that start (schedule generation)
        m.AddDecisionStrategy(p, cp_model.CHOOSE_LOWEST_MIN, cp_model.SELECT_MIN_VALUE)
    elif strategy is not None:
        raise ValueError(f"unknown strategy {strategy!r}; valid strategies: set_times")
    if start is not None:
        for i in range(n):
            m.AddHint(p[i], int(start[i]))
        if formulation in ("time", "both"):
            chosen = set(ti.column_of(start).tolist())
            for c in range(ti.nvars):
                m.AddHint(x[c], 1 if c in chosen else 0)
    return m, p


DEFAULT_FORMULATION = ("interval", "completion")


def solve_cpsat(ti: TimeIndexed, time_limit: float, start=None, formulation=None, workers: int = 1,
                seed: int = 0, msg: bool = False, redundant: int = 3, params: dict | None = None,
                strategy: str | None = None, no_idle: bool = False, active: bool = False, pairs: bool = True,
                chain: bool = True, memory_budget: float = MEMORY_BUDGET, end: float | None = None):
    """Solve with CP-SAT.  Returns ``(status, starts | None, bound, message)``.

    ``formulation``: one of :data:`FORMULATIONS`, or several distinct ones to race (module docstring);
    ``None`` (the default) races :data:`DEFAULT_FORMULATION`, leaving out a model whose estimated memory
    (:func:`model_bytes`) exceeds ``memory_budget`` (``interval`` has one interval per output token:
    with outputs of ``10^5`` tokens only ``completion`` is kept); a formulation asked for by name that
    exceeds it is refused (:class:`lpsched.exact.limits.ModelTooLarge`).

    ``end``: a ``time.perf_counter`` time by which the call returns (default ``time_limit`` from now):
    model building stops there, CP-SAT gets what is left as its own limit and is asked to stop at
    ``end``; one that has not returned :data:`lpsched.exact.interrupt.GRACE` seconds later is abandoned and
    the last schedule and bound its solution callback recorded are returned.  Ctrl-C does the same at
    once (:class:`lpsched.exact.interrupt.Interrupted`).

    ``redundant=r`` adds, for ``c = 1..r``, the redundant constraint "at most ``c`` requests hold more
    than ``M / (c + 1)`` tokens at once" (a no-overlap for ``c = 1``, a cumulative of capacity ``c``
    otherwise) on the tail of each request where it holds that much (interval formulations only).
    ``pairs``: the pairwise completion gaps of :func:`completion_gap` (module docstring).
    ``chain``: the extended tails and parallel inequalities of :func:`_chain_constraints` (they imply
    the ``c = 1`` constraint of ``redundant``, which is then left out).
    ``workers``: CP-SAT search workers per model (1 or 2; on the 2-core machine 1 measured faster).
    ``strategy="set_times"``: branch on the smallest start first.  ``params``: raw ``SatParameters`` (a list sets a repeated field).
    ``no_idle``: every request starting after the last arrival ``a_max`` starts while another one runs
    (``p_i < p_j <= p_i + o_i`` for some ``i``: ``i`` runs in step ``[p_j - 1, p_j)``).  Valid for both objectives: if no request ran in
    some step ``[t, t + 1)`` with ``t >= a_max`` and some started later, moving all those one step
    earlier would be feasible and strictly better (:mod:`lpsched.exact.horizon`); and if ``j`` is the
    first request starting after such an idle step, nothing runs in step ``p_j - 1``, so the condition
    is equivalent to "no idle step after ``a_max`` before the end".  Off by default: with its ``n^2``
    reified Booleans it measured slower (n = 8 Jaillet instances: 0.7-13 s against 0.5-8 s).
    ``active`` (time-indexed and completion formulations): no request can start one step earlier with every other
    start unchanged.  Moving ``j`` from ``p_j > a_j`` to ``p_j - 1`` adds ``s_j + 1`` tokens at ``p_j``
    and one token at each time in ``(p_j, p_j + o_j)``, so it is impossible iff
    ``load(p_j) >= M - s_j`` or ``load(tau) = M`` for some ``p_j < tau < p_j + o_j``.  Every optimal TCT
    schedule satisfies it (the move is strictly better); for the makespan an optimal schedule with the
    smallest sum of starts does.  Encoded with Booleans ``load(tau) >= M`` and ``load(tau) >= M - s``.
    Measured (n = 8 Jaillet instances, 30 s): the time-indexed formulations stay far slower than
    ``interval`` even with it (1-2 of 5 proven against 4 of 5).  On ``completion`` (``tct`` only) it is
    encoded on the loads at completions (:func:`_completion_active`), whose contributions are then
    made exact; measured slower too: ``jaillet_instance(14, 0)`` 85.9 s against 27.1 s (exact
    contributions alone 37.7 s), ``jaillet_instance(14, 3)`` not proven in 90 s against 58.8 s, n = 12
    seeds 0-2 3.8-5.1 s against 1.5-3.4 s (``formulation="completion", active=True``).
    """
    adaptive = formulation is None
    forms = DEFAULT_FORMULATION if adaptive else (formulation,) if isinstance(formulation, str) else tuple(formulation)
    for f in forms:
        if f not in FORMULATIONS:
            raise ValueError(f"unknown formulation {f!r}; valid formulations: {', '.join(FORMULATIONS)}")
    if not forms or len(set(forms)) < len(forms):
        raise ValueError(f"formulation = {formulation!r}: give one formulation or distinct ones to race")
    cp_model = cp_model_module()
    from .limits import Deadline

    t_start = time.perf_counter()
    end = t_start + time_limit if end is None else end
    forms, note = _affordable(ti, forms, adaptive, memory_budget)
    deadline = Deadline(0.0)
    deadline.end = end
    try:
        models = [_model(cp_model, ti, f, start, redundant, strategy, no_idle, active, pairs, chain, deadline)
                  for f in forms]
    except TimeoutError as exc:
        return "unknown", None, -math.inf, f"CP-SAT: {exc}{note}"
    left = end - time.perf_counter() - STOP_MARGIN
    if left <= 0:
        return "unknown", None, -math.inf, f"CP-SAT: the time limit was reached before the search{note}"
    runs = [_Run(f, m, p, _solver(cp_model, left, workers, seed, msg, params), _Recorder(cp_model, p))
            for f, (m, p) in zip(forms, models)]

    def stop_all():
        for run in runs:
            run.solver.StopSearch()

    statuses, interrupted = run_interruptibly(lambda: _race(cp_model, runs, stop_all), stop_all, end)
    if statuses is ABANDONED:            # CP-SAT did not return after StopSearch: what its callbacks recorded
        outcomes = [run.recorder.outcome() for run in runs]
        names = ", ".join(f"{run.formulation}: did not stop in time, last reported" for run in runs)
    else:
        outcomes = [_outcome(cp_model, run, st) for run, st in zip(runs, statuses)]
        names = ", ".join(f"{run.formulation}: {run.solver.StatusName(st)}" for run, st in zip(runs, statuses))
    outcome = _combine(outcomes) + (f"CP-SAT ({names}){note}",)
    if interrupted:
        raise Interrupted(outcome)
    return outcome


#: the default race leaves ``interval`` out beyond this many output tokens (one interval each): building
#: it takes about a second per 100,000 in Python and its cumulative propagates slowly (three requests of
#: 10^5 tokens: no schedule within 5 s, where ``completion`` proves the optimum at once)
INTERVAL_MAX_TOKENS = 50_000
#: seconds before ``end`` at which CP-SAT's own time limit expires (it then returns by ``end``)
STOP_MARGIN = 0.05


def model_bytes(ti: TimeIndexed, formulation: str) -> float:
    """Estimated memory of one CP-SAT model (:mod:`lpsched.exact.limits`): ``interval`` one interval per
    output token, ``completion`` a few constraints per ordered pair, ``time`` / ``both`` the time-indexed
    entries; plus the pair orders and chain constraints (``O(n^2)``) every formulation has."""
    from .limits import BYTES_PER_ENTRY, time_indexed_size

    inst = ti.instance
    n = inst.n
    pairs = n * n * BYTES_PER_PAIR / 4
    if formulation == "interval":
        return pairs + BYTES_PER_INTERVAL * (int(inst.o.sum()) + 4 * n)
    if formulation == "completion":
        return pairs + BYTES_PER_PAIR * n * n
    size = time_indexed_size(inst.o, inst.a, ti.latest_start)
    extra = BYTES_PER_INTERVAL * (int(inst.o.sum()) + 4 * n) if formulation == "both" else 0
    return pairs + extra + BYTES_PER_ENTRY["cpsat-time"] * size["entries"]


def _affordable(ti: TimeIndexed, forms: tuple, adaptive: bool, budget: float) -> tuple[tuple, str]:
    """``forms`` without those over ``budget`` (only when ``adaptive``; else a refusal) and a note saying
    what was left out."""
    need = {f: model_bytes(ti, f) for f in forms}
    tokens = int(ti.instance.o.sum())
    over = [f for f in forms if need[f] > budget or (adaptive and f == "interval" and tokens > INTERVAL_MAX_TOKENS)]
    if not over:
        return forms, ""
    inst = ti.instance
    what = "; ".join(f"'{f}' about {fmt_bytes(need[f])}" + (f" ({fmt_count(int(inst.o.sum()))} output tokens, one "
                     "interval each)" if f == "interval" else "") for f in over)
    if adaptive and len(over) < len(forms):
        kept = tuple(f for f in forms if f not in over)
        return kept, (f"; left out (memory budget {fmt_bytes(budget)}, at most {fmt_count(INTERVAL_MAX_TOKENS)} "
                      f"output tokens for 'interval'): {what}")
    raise ModelTooLarge(f"CP-SAT model refused: {what}, over the memory budget of {fmt_bytes(budget)} "
                        f"(memory_budget=); n = {inst.n}")


class _Recorder:
    """The last schedule and bound a CP-SAT run reported while it ran (solution and bound callbacks)."""

    def __init__(self, cp_model, p):
        rec = self
        self.starts, self.value, self.bound = None, math.inf, -math.inf

        class Callback(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self):
                rec.starts = np.array([self.Value(v) for v in p], np.int64)
                rec.value = self.ObjectiveValue()
                rec.bound = max(rec.bound, self.BestObjectiveBound())

        self.callback = Callback()

    def on_bound(self, value: float) -> None:
        self.bound = max(self.bound, float(value))

    def outcome(self) -> tuple:
        """``(status, starts, bound, objective)`` as :func:`_outcome` gives for a finished run."""
        return ("feasible" if self.starts is not None else "unknown"), self.starts, self.bound, self.value


def _solver(cp_model, time_limit: float, workers: int, seed: int, msg: bool, params: dict | None):
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, float(time_limit))
    solver.parameters.num_workers = max(1, min(2, int(workers)))
    solver.parameters.random_seed = int(seed)
    solver.parameters.log_search_progress = bool(msg)
    for key, value in (params or {}).items():
        if isinstance(value, (list, tuple)):            # a repeated field, e.g. subsolvers
            field = getattr(solver.parameters, key)
            field.clear()
            field.extend(value)
        else:
            setattr(solver.parameters, key, value)
    solver.parameters.catch_sigint_signal = False          # Ctrl-C: see lpsched.exact.interrupt
    return solver


class _Run(NamedTuple):
    """One model of a (possibly one-model) race, the solver that solves it and what it reported."""

    formulation: str
    model: object
    starts: list           # the start variables p_i
    solver: object
    recorder: object = None


def _race(cp_model, runs: list[_Run], stop_all) -> list:
    """Solve every run at once, one thread each (CP-SAT releases the GIL); the first to prove optimality
    (or infeasibility) stops the others through ``stop_all``.  The CP-SAT statuses, in order."""
    if len(runs) == 1:
        return [_solve_one(runs[0])]
    statuses, errors = [None] * len(runs), []
    won = threading.Event()

    def one(i):
        try:
            statuses[i] = _solve_one(runs[i])
        except BaseException as exc:     # re-raised below, after the other racers are stopped
            errors.append(exc)
            won.set()
        if statuses[i] in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            won.set()

    threads = [threading.Thread(target=one, args=(i,), name=f"lpsched-cpsat-{r.formulation}") for i, r in enumerate(runs)]
    for th in threads:
        th.start()
    while any(th.is_alive() for th in threads):
        if won.wait(0.05):
            stop_all()                  # again until they return: also reaches a solver not yet started
    for th in threads:
        th.join()
    if errors:
        raise errors[0]
    return statuses


def _solve_one(run: _Run):
    """``run.solver.Solve`` with its recorder's callbacks (if any)."""
    if run.recorder is None:
        return run.solver.Solve(run.model)
    try:
        run.solver.best_bound_callback = run.recorder.on_bound
    except AttributeError:  # pragma: no cover - older OR-Tools
        pass
    return run.solver.Solve(run.model, run.recorder.callback)


def _outcome(cp_model, run: _Run, st) -> tuple:
    """``(status, starts | None, bound, objective)`` of one finished run (objective ``inf`` without a schedule)."""
    solver = run.solver
    starts, bound, value = None, -math.inf, math.inf
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        starts = np.array([solver.Value(v) for v in run.starts], np.int64)
        bound, value = float(solver.BestObjectiveBound()), solver.ObjectiveValue()
    status = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible",
              cp_model.UNKNOWN: "unknown"}.get(st, "error")
    return status, starts, (math.inf if status == "infeasible" else bound), value


def _combine(outcomes) -> tuple:
    """One ``(status, starts, bound)`` from racing exact models of the same problem and horizon: a proof
    from any of them; otherwise the best schedule found and the largest bound (each model's bound is
    valid for all of them)."""
    for want in ("optimal", "infeasible"):
        for status, starts, bound, _ in outcomes:
            if status == want:
                return status, starts, bound
    found = [oc for oc in outcomes if oc[1] is not None]
    bound = max(oc[2] for oc in outcomes)
    if found:
        best = min(found, key=lambda oc: oc[3])
        return "feasible", best[1], bound
    status = "error" if all(oc[0] == "error" for oc in outcomes) else "unknown"
    return status, None, bound

"""Probes behind the exact-OPT frontier (issue 3): ideas measured and not adopted, kept so they can be rerun.

Each probe prints what it measured on ``jaillet_instance(n, seed)`` (CP-SAT, one worker).  What each
one tried, what it measured and the command that reproduces it: ``docs/exact_probes.md``.  None was
adopted; the code stays here, outside the package, so that the measurements can be rerun.

    python benchmarks/exact_probes.py trace --n 14 --seed 3 --time-limit 200 | grep -E '^#([0-9]+|Bound|Done) '
    python benchmarks/exact_probes.py feasibility --n 16 --seeds 0 1 2 3 4 --phase1 15 --time-limit 60
    python benchmarks/exact_probes.py rcfix --n 14 --seed 3 --phase1 10 --time-limit 200
    python benchmarks/exact_probes.py rcfix --n 14 --seeds 3 --phase1 10 --time-limit 60 --probing
    python benchmarks/exact_probes.py large --n 16 --seeds 0 1 2 --constrain --time-limit 60
    python benchmarks/exact_probes.py sawtooth --n 14 --seeds 3 --time-limit 60
    python benchmarks/exact_probes.py propagators --n 14 --seeds 0 3 --time-limit 60
    python benchmarks/exact_probes.py arcflow --n 12 --seeds 0 1 2 3 4 --time-limit 120
    python benchmarks/exact_probes.py hull --n 12 --seeds 0 1 2 3 4 --rounds 5
    python benchmarks/exact_probes.py rcineq --n 14 --seeds 0 1 2 3 4 --time-limit 60
    python benchmarks/exact_probes.py rlt --n 8 --seeds 1 0 [--full]
    python benchmarks/exact_probes.py dominance --n 8 --seeds 0 1 2 3 4 5 6 7 8 9 --time-limit 30
"""

from __future__ import annotations

import argparse
import contextlib
import time

import numpy as np

from lpsched import Instance
from lpsched.exact import solve
from lpsched.exact.study import jaillet_instance


@contextlib.contextmanager
def _patched(obj, name, make):
    """Temporarily replace ``obj.name`` by ``make(original)`` (probes only: the library has no such hook)."""
    missing = name not in vars(obj)
    orig = getattr(obj, name, None)
    setattr(obj, name, make(orig))
    try:
        yield
    finally:
        if missing:
            delattr(obj, name)
        else:
            setattr(obj, name, orig)


def _extra_constraints(add):
    """While active, ``add(model, ti, p)`` runs on every CP-SAT model :func:`solve` builds (``p``: the
    start variables), after the library's own constraints."""
    from lpsched.exact import cpsat

    def wrap(model):
        def build_model(cp_model, ti, *rest):
            m, p = model(cp_model, ti, *rest)
            add(m, ti, p)
            return m, p
        return build_model

    return _patched(cpsat, "_model", wrap)


def trace(inst, args):
    """CP-SAT's log goes to stdout: pipe it through ``grep -E '^#([0-9]+|Bound|Done) '``."""
    print(solve(inst, time_limit=args.time_limit, root_lp=False, msg=True))


def warm(inst, args):
    first = solve(inst, time_limit=args.phase1, root_lp=False)
    again = solve(inst, time_limit=args.time_limit, root_lp=False, initial=first.schedule)
    print(f"phase 1: {first}\nfrom its schedule: {again}")


def feasibility(inst, args):
    from ortools.sat.python import cp_model

    first = solve(inst, time_limit=args.phase1, root_lp=False)
    if first.status == "optimal":
        print(f"proven in phase 1: {first}")
        return
    best = int(first.objective)
    t0 = time.perf_counter()
    with _patched(cp_model.CpModel, "minimize", lambda f: lambda self, expr: self.add(expr <= best - 1)):
        res = solve(inst, time_limit=args.time_limit, root_lp=False, warm_start=False)
    if "INFEASIBLE" in res.message:
        verdict = "none exists, so it is optimal"
    elif res.objective is not None and res.objective < best:
        verdict = f"found one of cost {res.objective}"
    else:
        verdict = f"undecided ({res.message})"
    print(f"best {best} after {first.seconds:.1f} s; better than it: {verdict} in {time.perf_counter() - t0:.1f} s")


PROPAGATORS = {      # CP-SAT's optional scheduling propagators and cut settings (SatParameters fields)
    "default": {},
    "overload": {"use_overload_checker_in_cumulative": True},
    "edge-finding": {"use_timetable_edge_finding_in_cumulative": True,
                     "max_num_intervals_for_timetable_edge_finding": 10000},
    "precedences": {"use_hard_precedences_in_cumulative": True, "exploit_all_precedences": True},
    "dynamic": {"use_dynamic_precedence_in_cumulative": True},
    "disjunctive": {"use_strong_propagation_in_disjunctive": True},
    "cuts": {"max_cut_rounds_at_level_zero": 5, "add_objective_cut": True},
}


def propagators(inst, args):
    """Each formulation alone under each of :data:`PROPAGATORS`."""
    for form in ("interval", "completion"):
        for name, params in PROPAGATORS.items():
            print(f"{form:10s} {name:12s} {solve(inst, time_limit=args.time_limit, formulation=form, params=params)}",
                  flush=True)


def _lp_solution(ti, arrays=None):
    """``(value, x, reduced costs)`` of the time-indexed LP (or of ``arrays``, an extension of it)."""
    from lpsched.exact.formulation import run_lp

    h = ti.highs(arrays)
    z = run_lp(h)
    sol = h.getSolution()
    return z, np.array(sol.col_value)[:ti.nvars], np.array(sol.col_dual)[:ti.nvars]


def probing_fix(ti, keep, best: int) -> np.ndarray:
    """``keep`` without the starts ``c`` whose LP with ``x_c = 1`` (the others removed fixed at 0) is above
    ``best - 1``: no better schedule uses them.  Repeated until a pass removes none; prints each pass."""
    from lpsched.exact.formulation import run_lp, run_lp_with_start

    keep = keep.copy()
    h = ti.highs()
    for c in np.flatnonzero(~keep).tolist():
        h.changeColBounds(c, 0.0, 0.0)
    while True:
        removed = 0
        for c in np.flatnonzero(keep).tolist():
            if run_lp_with_start(h, c) > best - 1 + 1e-6:
                h.changeColBounds(c, 0.0, 0.0)
                keep[c] = False
                removed += 1
        print(f"probing: {removed} more starts removed, {int(keep.sum())} kept, LP {run_lp(h):.2f}", flush=True)
        if not removed:
            return keep


def rcfix(inst, args):
    from ortools.sat.python import cp_model

    from lpsched.exact.formulation import build

    first = solve(inst, time_limit=args.phase1, root_lp=False)
    best = int(first.objective)
    ti = build(inst, "tct", best)
    z, val, rc = _lp_solution(ti)
    keep = z + np.where(val < 0.5, rc, 0.0) <= best - 1 + 1e-6
    print(f"best {best}, LP {z:.1f}: {int(keep.sum())} of {ti.nvars} starts kept ({keep.mean():.1%})")
    if args.probing:
        keep = probing_fix(ti, keep, best)
    domains = {f"p{i}": ti.var_start[ti.first[i]:ti.first[i + 1]][keep[ti.first[i]:ti.first[i + 1]]].tolist()
               for i in range(inst.n)}

    def new_int_var(_):           # CpModel.NewIntVar is an alias resolved at call time: shadow it
        def make(self, lb, ub, name):
            if domains.get(name):
                return self.new_int_var_from_domain(cp_model.Domain.from_values(domains[name]), name)
            return self.new_int_var(lb, ub, name)
        return make

    with _patched(cp_model.CpModel, "NewIntVar", new_int_var):
        res = solve(inst, time_limit=args.time_limit, root_lp=False, initial=first.schedule)
    print(f"restricted starts: {res}")


def large(inst, args):
    """The large requests ``G`` (``2 P > M``) and the rest, each alone: LP, chain bound and CP-SAT.

    Restricting a feasible schedule to a subset keeps it feasible, so ``sum_G C >= OPT(G)`` and
    ``sum_rest C >= OPT(rest)``: the parts' bounds add up to a lower bound.  ``--constrain``: solve the
    whole instance again with those two sums as constraints (CP-SAT's LP then starts from them).
    """
    from lpsched.exact.bounds import chain_bound
    from lpsched.exact.lp_bounds import lp_bound

    P = inst.s + inst.o
    G = np.flatnonzero(2 * P > inst.memory)
    parts = []
    for name, S in (("large", G), ("rest", np.setdiff1d(np.arange(inst.n), G))):
        if len(S) == 0:
            continue
        sub = Instance(inst.memory, inst.s[S], inst.o[S], inst.a[S])
        res = solve(sub, time_limit=args.time_limit, root_lp=False)
        parts.append((S.tolist(), int(np.ceil(res.bound - 1e-9))))
        print(f"{name} ({len(S)} requests): LP {lp_bound(sub)}, chain bound {chain_bound(sub)}, {res}")
    print(f"sum of the parts' bounds {sum(b for _, b in parts)}; LP of the whole instance {lp_bound(inst)}",
          flush=True)
    if not args.constrain:
        return

    o = inst.o.tolist()

    def with_parts(m, ti, p):
        for S, b in parts:
            m.Add(sum(p[k] + o[k] for k in S) >= b)

    print(f"whole instance: {solve(inst, time_limit=args.time_limit)}", flush=True)
    with _extra_constraints(with_parts):
        print(f"with the parts' bounds as constraints: {solve(inst, time_limit=args.time_limit)}")


def sawtooth_capacity(M: int, H: int, n: int) -> np.ndarray:
    """``cap[q, T]``: most memory-time ``sum_{t=1..T} load(t)`` a feasible schedule can use by ``T`` with at
    most ``q`` distinct completion times in ``[1, T]`` (``q = 0..n``, ``T = 0..H``).

    Proof.  Let ``c`` be the first completion at or after ``t``.  Every request holding memory at ``t``
    still runs at ``c`` and then holds ``c - t`` tokens more, so ``M >= load(c) >= load(t) + (c - t)``
    when ``load(t) > 0``: ``load(t) <= max(0, M - (c - t))``.  Split ``[1, T]`` at the completions
    ``c_1 < ... < c_r <= T`` (``r <= q``): a gap of length ``g`` ending at a completion holds at most
    ``f(g) = sum_{d < g} max(0, M - d)``, the part after ``c_r`` (next completion after ``T``) at most
    ``h(g) = sum_{1 <= d <= g} max(0, M - d)``; ``cap`` is the maximum over the splits (a DP).
    """
    d = np.arange(H + 1)
    room = np.maximum(0, M - d)
    f = np.r_[0, np.cumsum(room)[:-1]]
    h = np.r_[0, np.cumsum(room[1:])]
    cap = np.empty((n + 1, H + 1))
    cap[0] = h
    for q in range(1, n + 1):
        cap[q] = cap[q - 1]
        for g in range(1, H + 1):
            cap[q, g:] = np.maximum(cap[q, g:], f[g] + cap[q - 1, :H + 1 - g])
    return cap


def _upper_hull(values) -> list:
    """Vertices ``q`` of the upper concave hull of the points ``(q, values[q])``."""
    hull: list[int] = []
    for q, v in enumerate(values):
        while len(hull) >= 2:
            q1, q2 = hull[-2], hull[-1]
            if (values[q2] - values[q1]) * (q - q1) <= (v - values[q1]) * (q2 - q1):
                hull.pop()
            else:
                break
        hull.append(q)
    return hull


def sawtooth(inst, args):
    """Capacity cuts ``U_T <= cap(T, Y_T)`` on the time-indexed LP, by separation on its optimum.

    ``U_T``: memory-time used in ``[1, T]``; ``Y_T``: requests completed by ``T`` (both linear in ``x``);
    ``cap``: the concave hull in ``q`` of :func:`sawtooth_capacity` (monotone in ``q``, so valid at
    ``q = Y_T``).  Each round adds the 50 most violated cuts and solves again.  Also prints the share of
    ``M T`` that the LP and the best schedule found use by their last completion.
    """
    import scipy.sparse as sp

    from lpsched.exact.bounds import areas
    from lpsched.exact.formulation import build

    res = solve(inst, time_limit=args.time_limit)
    ti = build(inst, "tct", int(res.objective))
    arr = ti.lp_arrays()
    nv, M = ti.nvars, inst.memory
    s, o, k = inst.s[ti.var_req], inst.o[ti.var_req], ti.var_start
    H = int((k + o).max())
    cap = sawtooth_capacity(M, H, inst.n)

    def used(T):                                    # U_T per column
        held = np.clip(T - k, 0, o)
        return s * held + held * (held + 1) / 2

    rows, rhs = [], []
    first = None
    for rnd in range(20):
        if rows:
            extra = sp.csr_matrix(np.vstack(rows))
            extra = sp.hstack([extra, sp.csr_matrix((len(rows), arr["A"].shape[1] - nv))])
            a2 = {**arr, "A": sp.vstack([arr["A"], extra]).tocsc(),
                  "row_lower": np.r_[arr["row_lower"], np.full(len(rows), -np.inf)],
                  "row_upper": np.r_[arr["row_upper"], rhs]}
        else:
            a2 = arr
        z, x, _ = _lp_solution(ti, a2)
        first = z if first is None else first
        cuts = []
        for T in range(1, H + 1):
            u, y = used(T) @ x, (k + o <= T) @ x
            hull = _upper_hull(cap[:, T])
            for q1, q2 in zip(hull, hull[1:]):
                if q1 <= y <= q2:
                    slope = (cap[q2, T] - cap[q1, T]) / (q2 - q1)
                    bound = cap[q1, T] + slope * (y - q1)
                    if u > bound + 1e-6:
                        cuts.append((u - bound, used(T) - slope * (k + o <= T), cap[q1, T] - slope * q1))
                    break
        cuts.sort(key=lambda c: -c[0])
        print(f"round {rnd}: LP {z:.1f}, {len(cuts)} violated cuts (largest violation "
              f"{cuts[0][0] if cuts else 0:.1f} token-steps)", flush=True)
        if not cuts:
            break
        for _, row, b in cuts[:50]:
            rows.append(row)
            rhs.append(b)
    lp_end = int((k + o)[x > 1e-6].max())                      # the LP's last (fractional) completion
    best_end = int((res.schedule.start + inst.o).max())
    print(f"LP {first:.1f} -> {z:.1f} with {len(rows)} cuts (best schedule {res.objective}); share of M T used by "
          f"the last completion T: LP {used(lp_end) @ x / (M * lp_end):.3f}, best schedule "
          f"{areas(inst).sum() / (M * best_end):.3f}")


def arcflow_arrays(ti) -> dict:
    """``ti.lp_arrays()`` plus an arc-time-indexed flow over ``G = {i: 2 P_i > M}`` (tct objective).

    Nodes: ``(j, t)`` for each column ``x[j, k]`` of ``j`` in ``G`` (``t = k + o_j``), an idle chain
    ``(*, t)``, a source at ``(*, 0)`` and a sink.  Arcs: ``(j, t) -> (k, t')`` for ``t'`` in
    ``[t + g(j, k), t + o_k - 1]`` (``k`` started before ``C_j``; ``g`` of
    :func:`lpsched.exact.bounds.completion_gap`), ``(j, t) -> (*, t)``, ``(*, t) -> (*, t + 1)``,
    ``(*, t) -> (k, t + o_k)`` (``k`` starts at ``t``) and every node to the sink.  Flow in and out of
    ``(j, t)`` equals ``x[j, t - o_j]``; one unit leaves the source.  Valid: order ``G`` by completion
    (distinct, as ``P_j + P_k > M``); consecutive ``j, k`` have ``C_k - C_j >= g(j, k) >= 1``, and
    either ``k`` started before ``C_j`` (a direct arc) or at or after it (through the idle chain).
    """
    import scipy.sparse as sp

    from lpsched.exact.bounds import completion_gap

    arr = ti.lp_arrays()
    inst, nv = ti.instance, ti.nvars
    o, P = inst.o, inst.s + inst.o
    G = [int(i) for i in np.flatnonzero(2 * P > inst.memory)]
    if not G:
        return arr
    T = int(max(ti.latest_start[k] for k in G))          # the last start of a request of G
    idle = nv                                             # node ids: G-node = its column; (*, t) = idle + t
    tails, heads = [], []
    for j in G:
        cj = np.arange(ti.first[j], ti.first[j + 1])
        tj = ti.var_start[cj] + o[j]
        for k in G:
            if k == j:
                continue
            g = completion_gap(inst, j, k)
            if g >= o[k]:
                continue                                  # no start of k before C_j keeps the gap
            start = tj[:, None] + np.arange(g, o[k])[None, :] - o[k]
            ok = (start >= 0) & (start <= ti.latest_start[k])
            tails.append(np.broadcast_to(cj[:, None], start.shape)[ok])
            heads.append(ti.first[k] + start[ok])
        tails += [cj[tj <= T], cj, idle + ti.var_start[cj]]
        heads += [idle + tj[tj <= T], np.full(len(cj), -1), cj]
    tails += [idle + np.arange(T), idle + np.arange(T + 1)]
    heads += [idle + np.arange(1, T + 1), np.full(T + 1, -1)]
    tails, heads = np.concatenate(tails), np.concatenate(heads)
    gcols = np.concatenate([np.arange(ti.first[j], ti.first[j + 1]) for j in G])
    r0 = arr["A"].shape[0]
    in_row = np.full(nv, -1); in_row[gcols] = r0 + np.arange(len(gcols))
    out_row = np.full(nv, -1); out_row[gcols] = r0 + len(gcols) + np.arange(len(gcols))
    idle_row = r0 + 2 * len(gcols)                          # (*, t): out - in = [t == 0]
    na = len(tails)
    acol = nv + np.arange(na)

    def row_of(node, g_rows):
        return np.where(node < idle, g_rows[np.minimum(node, nv - 1)], idle_row + node - idle)

    into = heads >= 0
    rows = np.concatenate([in_row[gcols], out_row[gcols], row_of(tails, out_row), row_of(heads[into], in_row)])
    cols = np.concatenate([gcols, gcols, acol, acol[into]])
    vals = np.concatenate([-np.ones(2 * len(gcols)), np.ones(na), np.where(heads[into] < idle, 1.0, -1.0)])
    nrow = idle_row + T + 1
    A = sp.bmat([[arr["A"], None], [None, sp.csc_matrix((nrow - r0, na))]], format="csc")   # padded to (nrow, nv + na)
    A = (A + sp.csc_matrix((vals, (rows, cols)), shape=(nrow, nv + na))).tocsc()
    flow_rhs = np.r_[np.zeros(2 * len(gcols)), 1.0, np.zeros(T)]
    return {"cost": np.r_[arr["cost"], np.zeros(na)], "col_lower": np.zeros(nv + na),
            "col_upper": np.r_[arr["col_upper"], np.full(na, np.inf)], "A": A,
            "row_lower": np.r_[arr["row_lower"], flow_rhs], "row_upper": np.r_[arr["row_upper"], flow_rhs]}


def arcflow(inst, args):
    from lpsched.exact.formulation import build

    res = solve(inst, time_limit=args.time_limit)
    ti = build(inst, "tct", int(res.objective))
    t0 = time.perf_counter()
    plain = ti.solve_lp()
    t1 = time.perf_counter()
    arr = arcflow_arrays(ti)
    flow = ti.solve_lp(arrays=arr)
    t2 = time.perf_counter()
    print(f"{res.status} {res.objective}: LP {plain:.1f} ({plain / res.objective:.3f}, {t1 - t0:.2f} s), with the "
          f"chain flow {flow:.1f} ({flow / res.objective:.3f}, {t2 - t1:.2f} s, {arr['A'].shape[1]} columns)")


def choice_knapsack(groups, M: int):
    """``(value, chosen)``: the most total value of items with total weight at most ``M``, at most one item
    per group; ``groups`` is a list of lists of ``(item, weight, value)`` (a DP over the capacity)."""
    best = np.zeros(M + 1)
    picks = []
    for items in groups:
        new, pick = best.copy(), np.full(M + 1, -1)
        for k, (_, w, v) in enumerate(items):
            if v > 0 and w <= M:
                cand = np.full(M + 1, -np.inf)
                cand[w:] = best[:M + 1 - w] + v
                better = cand > new + 1e-12
                new[better], pick[better] = cand[better], k
        picks.append(pick)
        best = new
    cap = int(np.argmax(best))
    value, chosen = float(best[cap]), []
    for items, pick in zip(reversed(groups), reversed(picks)):
        if pick[cap] >= 0:
            item, w, _ = items[pick[cap]]
            chosen.append(item)
            cap -= w
    return value, chosen


def configuration_cut(y, weights, owners, M: int, rounds: int = 200):
    """Separate ``y`` (the LP values of the columns running at one time ``t``, holding ``weights`` tokens
    then, started by the requests ``owners``) from the hull of the *configurations* at ``t``: the sets
    of columns with at most one per request and total weight at most ``M``, which is what any feasible
    schedule runs at ``t``.  Column generation for ``min sum lambda`` s.t. ``sum lambda_S 1[c in S] >= y_c``
    (``y`` is in the hull, which is closed under subsets, iff the minimum is at most 1), priced by
    :func:`choice_knapsack`.  Returns ``(minimum, pi)``: ``pi >= 0`` with ``pi(S) <= 1`` for every
    configuration ``S``, so ``sum pi_c x_c <= 1`` is valid, and violated by ``y`` iff the minimum is > 1."""
    from scipy.optimize import linprog

    m = len(y)
    by_owner: dict = {}
    for c, g in enumerate(np.asarray(owners).tolist()):
        by_owner.setdefault(g, []).append(c)
    configs = [[c] for c in range(m)]
    for _ in range(rounds):
        cover = np.zeros((m, len(configs)))
        for j, S in enumerate(configs):
            cover[S, j] = 1.0
        lp = linprog(np.ones(len(configs)), A_ub=-cover, b_ub=-np.asarray(y, float), bounds=(0, None), method="highs")
        pi = np.maximum(0.0, -lp.ineqlin.marginals)
        value, S = choice_knapsack([[(c, int(weights[c]), pi[c]) for c in cs] for cs in by_owner.values()], M)
        if value <= 1 + 1e-9:
            break
        configs.append(S)
    return float(lp.fun), pi


def hull(inst, args):
    """Configuration cuts (:func:`configuration_cut`) at every memory row, separated on the LP optimum, for
    ``--rounds`` rounds: how far the per-time hull of the memory rows lifts the LP."""
    import scipy.sparse as sp

    from lpsched.exact.formulation import build

    res = solve(inst, time_limit=args.time_limit)
    ti = build(inst, "tct", int(res.objective))
    arr = ti.lp_arrays()
    ncol = arr["A"].shape[1]
    rows = list(ti.memory_rows())
    cut_rows, cut_cols, cut_vals = [], [], []          # the cuts sum pi x <= 1, as sparse triplets
    first, ncuts = None, 0
    t0 = time.perf_counter()
    for rnd in range(args.rounds + 1):
        extra = sp.csr_matrix((cut_vals, (cut_rows, cut_cols)), shape=(ncuts, ncol))
        z, x, _ = _lp_solution(ti, {**arr, "A": sp.vstack([arr["A"], extra]).tocsc(),
                                    "row_lower": np.r_[arr["row_lower"], np.full(ncuts, -np.inf)],
                                    "row_upper": np.r_[arr["row_upper"], np.ones(ncuts)]})
        first = z if first is None else first
        if rnd == args.rounds:
            break
        added = 0
        for _, cols, vals in rows:
            on = x[cols] > 1e-7
            if on.sum() >= 2:
                value, pi = configuration_cut(x[cols][on], vals[on], ti.var_req[cols[on]], inst.memory)
                if value > 1 + 1e-6:
                    keep = pi > 1e-9
                    cut_rows += [ncuts] * int(keep.sum())
                    cut_cols += cols[on][keep].tolist()
                    cut_vals += pi[keep].tolist()
                    ncuts += 1
                    added += 1
        print(f"round {rnd}: LP {z:.2f}, {added} violated configuration cuts", flush=True)
        if not added:
            break
    print(f"{res.status} {res.objective}: LP {first:.2f} ({first / res.objective:.4f}), with {ncuts} "
          f"configuration cuts {z:.2f} ({z / res.objective:.4f}), {time.perf_counter() - t0:.1f} s")


def rlt_arrays(ti, keep, full: bool = False) -> dict:
    """The LP over the columns ``keep`` lifted by one level of the Sherali-Adams (RLT) hierarchy.

    Besides ``x`` (one per kept column) it has ``y[c, d]`` for every two kept columns of different
    requests, standing for ``x_c x_d``; with ``c = (i, k)`` and ``a_c(t)`` the tokens ``i`` holds at ``t``
    when started at ``k``, the rows are the LP's (assignment, memory, tail cliques) and, for every kept
    ``c``: ``sum_{d of j} y[c, d] = x_c`` for each request ``j != i`` (the assignment of ``j`` times
    ``x_c``), and each memory row times ``x_c``: ``sum_{d not of i} a_d(t) y[c, d] <= (M - a_c(t)) x_c``
    (``x_c x_d = 0`` for two starts of one request), at the times ``t`` of ``c``'s run, or (``full``) at
    every memory row's time together with the row times ``1 - x_c``: ``sum_{d of i, d != c} a_d(t) x_d +
    sum_{d not of i} a_d(t) (x_d - y[c, d]) + M x_c <= M``.  Every schedule satisfies them with
    ``y = x_c x_d``, so the value bounds the optimum over the schedules that use only ``keep``.
    Returns ``lp_arrays``-style arrays whose first ``len(keep)`` columns are the kept ``x``.
    """
    import scipy.sparse as sp

    inst, M = ti.instance, ti.instance.memory
    keep = np.asarray(keep)
    req, st = ti.var_req[keep], ti.var_start[keep]
    o, s = inst.o[req], inst.s[req]
    nc = len(keep)
    T = int((st + o).max()) + 1
    a = np.zeros((nc, T + 1))
    for c in range(nc):
        a[c, st[c] + 1:st[c] + o[c] + 1] = s[c] + np.arange(1, o[c] + 1)
    times = [t for t in ti.mem_times.tolist() if t <= T]
    pc, pd = np.nonzero(np.triu(req[:, None] != req[None, :], 1))
    ny = len(pc)
    ycol = np.full((nc, nc), -1)
    ycol[pc, pd] = ycol[pd, pc] = nc + np.arange(ny)
    rows, cols, vals, lo, up = [], [], [], [], []

    def add(cs, vs, low, high):
        rows.append(np.full(len(cs), len(lo))); cols.append(np.asarray(cs)); vals.append(np.asarray(vs, float))
        lo.append(low); up.append(high)

    for i in range(inst.n):
        add(np.flatnonzero(req == i), np.ones(int((req == i).sum())), 1.0, 1.0)
    for t in times:
        on = np.flatnonzero(a[:, t] > 0)
        add(on, a[on, t], -np.inf, M)
    where = np.full(ti.nvars, -1)
    where[keep] = np.arange(nc)
    for clique in ti.clique_rows():
        on = where[clique][where[clique] >= 0]
        if len(on) > 1:
            add(on, np.ones(len(on)), -np.inf, 1.0)
    for c in range(nc):
        for j in set(req.tolist()) - {int(req[c])}:
            dj = np.flatnonzero(req == j)
            add(np.r_[ycol[c, dj], c], np.r_[np.ones(len(dj)), -1.0], 0.0, 0.0)
        for t in (times if full else [t for t in times if st[c] < t <= st[c] + o[c]]):
            other = np.flatnonzero((a[:, t] > 0) & (req != req[c]))
            if len(other):
                add(np.r_[ycol[c, other], c], np.r_[a[other, t], -(M - a[c, t])], -np.inf, 0.0)
            if full:
                own = np.flatnonzero((a[:, t] > 0) & (req == req[c]) & (np.arange(nc) != c))
                add(np.r_[own, other, ycol[c, other], c], np.r_[a[own, t], a[other, t], -a[other, t], M], -np.inf, M)
    A = sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(len(lo), nc + ny))
    return {"cost": np.r_[(st + o).astype(float), np.zeros(ny)], "col_lower": np.zeros(nc + ny),
            "col_upper": np.ones(nc + ny), "A": A, "row_lower": np.array(lo), "row_upper": np.array(up)}


def lifted_value(ti, arrays) -> float:
    """Value of a lifted LP (HiGHS interior point, crossover only when the status is unknown without: the
    simplex takes 10-40x longer on the ``full`` lift of tiny instances)."""
    from lpsched.exact.formulation import run_lp

    h = ti.highs(arrays)
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    try:
        return run_lp(h)
    except RuntimeError:               # status unknown without crossover (seen on a 3-request instance)
        h.setOptionValue("run_crossover", "on")
        return run_lp(h)


def rlt(inst, args):
    """The LP against its level-1 RLT lift (:func:`rlt_arrays`; ``--full`` for every product), on the
    starts that reduced-cost fixing from the best schedule found keeps (HiGHS interior point)."""
    from lpsched.exact.formulation import build

    res = solve(inst, time_limit=args.time_limit)
    best = int(res.objective)
    ti = build(inst, "tct", best)
    z, x, d = _lp_solution(ti)
    keep = np.flatnonzero((z + np.where(x < 1e-9, d, 0.0) <= best + 1e-6) | (x > 1e-9))
    t0 = time.perf_counter()
    arr = rlt_arrays(ti, keep, full=args.full)
    print(f"{res.status} {best}: LP {z:.2f} ({z / best:.4f}); {len(keep)} of {ti.nvars} starts kept; lifted LP "
          f"{arr['A'].shape[0]} rows, {arr['A'].shape[1]} columns, {arr['A'].nnz} nonzeros "
          f"(built in {time.perf_counter() - t0:.1f} s)", flush=True)
    t0 = time.perf_counter()
    v = lifted_value(ti, arr)
    print(f"RLT level 1{' (full)' if args.full else ''}: {v:.2f} ({v / best:.4f}), {time.perf_counter() - t0:.1f} s")


def reduced_cost_inequality(ti):
    """``(value, d, const)`` from the LP optimum ``x*`` with reduced costs ``d = c - A^T y``: every feasible
    schedule's columns ``x`` have ``c x >= const + d x`` with ``const = value - d x*``.  Proof: ``c x =
    y^T A x + d x`` and ``y^T A x >= y^T A x*`` (a row's dual is nonzero only where ``x*`` holds the row at
    a bound, with the sign that makes the other side worse), and ``y^T A x* = value - d x*``."""
    z, x, d = _lp_solution(ti)
    return z, d, z - float(d @ x)


def rcineq(inst, args):
    """The solve with :func:`reduced_cost_inequality` added to each CP-SAT model (``sum_i d[i, p_i]`` by
    an element table per request, scaled by 1000 and rounded down), against the plain solve."""
    import math

    print(f"plain: {solve(inst, time_limit=args.time_limit)}", flush=True)
    cache = {}

    def with_inequality(m, ti, p):
        if cache.get("ti") is not ti:
            cache.update(ti=ti, ineq=reduced_cost_inequality(ti))
        _, d, const = cache["ineq"]
        a, o = ti.instance.a.tolist(), int(ti.instance.o.sum())
        terms = []
        for i in range(ti.instance.n):
            table = [math.floor(1000 * v - 1e-6) for v in d[ti.first[i]:ti.first[i + 1]]]
            f = m.NewIntVar(min(table), max(table), f"rc{i}")
            m.AddElement(p[i] - a[i], table, f)
            terms.append(f)
        m.Add(1000 * (sum(p) + o) >= math.floor(1000 * const - 1e-6) + sum(terms))

    with _extra_constraints(with_inequality):
        print(f"with the reduced-cost inequality: {solve(inst, time_limit=args.time_limit)}")


DOMINANCE = {     # candidate rules "request i completes (or starts) no later than j", on pairs of requests
    "same-prompt": lambda si, oi, sj, oj: si == sj and oi < oj,
    "same-output": lambda si, oi, sj, oj: oi == oj and si < sj,
    "smaller": lambda si, oi, sj, oj: si <= sj and oi <= oj and (si, oi) != (sj, oj),
}


def ordered_optimum(inst, pairs, by: str = "completion", time_limit: float = 60.0):
    """The optimum with ``C_i <= C_j`` (``by="start"``: ``p_i <= p_j``) imposed for every ``(i, j)`` in
    ``pairs``, or ``None`` when no schedule of cost at most the heuristic's satisfies them (the horizon of
    :func:`solve` holds every such schedule, so a value equal to the plain optimum means the rule keeps
    one optimal schedule, and anything else means it cuts them all).  ``TimeoutError`` when the solve
    ends undecided, ``RuntimeError`` when it fails."""
    from lpsched.exact.horizon import heuristic, horizon

    shift = inst.o.tolist() if by == "completion" else [0] * inst.n
    upper = heuristic(inst, "tct").objective
    cap = horizon(inst, "tct", upper).end        # the model's own horizon: an infeasible one is reported so

    def with_order(m, ti, p):
        for i, j in pairs:
            m.Add(p[i] + shift[i] <= p[j] + shift[j])

    with _extra_constraints(with_order):
        res = solve(inst, time_limit=time_limit, root_lp=False, horizon_cap=cap)
    if res.status == "infeasible" or res.bound > upper:
        return None                                  # every ordered schedule costs more than the heuristic's
    if res.status == "error":
        raise RuntimeError(f"ordered solve failed: {res}")
    if res.status != "optimal":
        raise TimeoutError(f"undecided within {time_limit} s: {res}")
    if any(res.schedule.start[i] + shift[i] > res.schedule.start[j] + shift[j] for i, j in pairs):
        raise RuntimeError(f"the ordered optimum breaks an imposed pair: {res.schedule.start.tolist()}")
    return int(res.objective)


def dominance(inst, args):
    """Each rule of :data:`DOMINANCE`, by completion and by start, imposed on every pair it covers: does
    the optimum stay?  Identical requests are left to the solver's own symmetry rule."""
    s, o = inst.s.tolist(), inst.o.tolist()
    plain = solve(inst, time_limit=args.time_limit, root_lp=False)
    print(f"optimum {plain.objective} ({plain.status})", flush=True)
    if plain.status != "optimal":
        return                                       # nothing to compare the ordered optima with
    for name, covers in DOMINANCE.items():
        pairs = [(i, j) for i in range(inst.n) for j in range(inst.n) if i != j and covers(s[i], o[i], s[j], o[j])]
        for by in ("completion", "start"):
            try:
                value = ordered_optimum(inst, pairs, by, args.time_limit)
                verdict = "keeps an optimum" if value == plain.objective else f"cuts every optimum ({value})"
            except TimeoutError as exc:
                verdict = str(exc)
            print(f"{name:12s} by {by:10s} {len(pairs):3d} pairs: {verdict}", flush=True)


PROBES = {"arcflow": arcflow, "trace": trace, "warm": warm, "feasibility": feasibility, "rcfix": rcfix, "large": large,
          "sawtooth": sawtooth, "propagators": propagators, "hull": hull, "rcineq": rcineq, "rlt": rlt,
          "dominance": dominance}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("probe", choices=sorted(PROBES))
    ap.add_argument("--n", type=int, default=14)
    ap.add_argument("--seeds", type=int, nargs="+", default=None)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--phase1", type=float, default=10.0, help="seconds of the first solve (warm, feasibility, rcfix)")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--constrain", action="store_true", help="large: solve again with the parts' bounds as constraints")
    ap.add_argument("--rounds", type=int, default=5, help="hull: separation rounds")
    ap.add_argument("--full", action="store_true", help="rlt: every product of a memory row with x and 1 - x")
    ap.add_argument("--probing", action="store_true", help="rcfix: then remove the starts that probing rules out")
    args = ap.parse_args(argv)
    for seed in args.seeds or [args.seed]:
        print(f"== {args.probe}: jaillet_instance({args.n}, {seed})", flush=True)
        PROBES[args.probe](jaillet_instance(args.n, seed), args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

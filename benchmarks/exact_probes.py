"""Probes behind the exact-OPT frontier (issue 3): ideas measured and not adopted, kept so they can be rerun.

Each probe prints what it measured on ``jaillet_instance(n, seed)`` (CP-SAT, one worker):

* ``trace``: CP-SAT's own bound and incumbents over time (its log), to see whether a proof waits for
  the optimum or for the bound.  ``--n 14 --seed 3 --time-limit 200``: the optimum 660 appears at
  about 97 s while CP-SAT's bound creeps from 450 to 462; proofs come from exhausting the tree.
* ``warm``: solve once, then again from that schedule (``solve(initial=...)``): how much a perfect
  warm start helps the proof.
* ``feasibility``: solve for ``--phase1`` s, then ask CP-SAT only for a schedule better than the best
  found (no objective): an ``INFEASIBLE`` answer proves optimality.
* ``rcfix``: reduced-cost fixing from the time-indexed LP (with the extended-tail cliques): a start
  ``k`` of request ``i`` whose LP reduced cost lifts the LP value above ``best - 1`` cannot be in a
  better schedule, so ``p_i`` is restricted to the remaining starts before CP-SAT runs.
* ``large``: the requests with ``2 P > M`` alone (their optimum plus the other requests' ``o`` is a
  lower bound): how hard the chain of large requests is by itself.
* ``arcflow``: the root LP with an arc-time-indexed flow over the chain of large requests ``G`` added
  (Pessoa, Uchoa, Poggi de Aragao's single-machine formulation; what branch-and-price over chain columns
  would start from), against the LP of ``solve`` and the optimum (:func:`arcflow_arrays`).  Measured:
  it lifts the LP by at most 0.005 of OPT (n = 8-14; 0 on most instances after rounding up:
  ``jaillet_instance(14, 3)`` 600 -> 601, OPT 660) for 1-80x the LP time, and not at all at n = 25
  seeds 0, 1 (1394, 1321): the memory rows and the tail cliques already carry the chain, the gap is
  elsewhere.

    python benchmarks/exact_probes.py trace --n 14 --seed 3 --time-limit 200 | grep -E '^#([0-9]+|Bound|Done) '
    python benchmarks/exact_probes.py feasibility --n 16 --seeds 0 1 2 3 4 --phase1 15 --time-limit 60
    python benchmarks/exact_probes.py rcfix --n 14 --seed 3 --phase1 10 --time-limit 200
    python benchmarks/exact_probes.py large --n 25 --seeds 0 1 2 --time-limit 60
    python benchmarks/exact_probes.py arcflow --n 12 --seeds 0 1 2 3 4 --time-limit 120
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


def rcfix(inst, args):
    import highspy
    from ortools.sat.python import cp_model

    from lpsched.exact.formulation import build

    first = solve(inst, time_limit=args.phase1, root_lp=False)
    best = int(first.objective)
    ti = build(inst, "tct", best)
    seen = {}
    with _patched(highspy.Highs, "run", lambda f: lambda self: (seen.__setitem__("h", self), f(self))[1]):
        z = ti.solve_lp()
    sol = seen["h"].getSolution()
    rc, val = np.array(sol.col_dual)[:ti.nvars], np.array(sol.col_value)[:ti.nvars]
    keep = z + np.where(val < 0.5, rc, 0.0) <= best - 1 + 1e-6
    domains = {f"p{i}": ti.var_start[ti.first[i]:ti.first[i + 1]][keep[ti.first[i]:ti.first[i + 1]]].tolist()
               for i in range(inst.n)}
    print(f"best {best}, LP {z:.1f}: {int(keep.sum())} of {ti.nvars} starts kept ({keep.mean():.1%})")

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
    P = inst.s + inst.o
    G = np.flatnonzero(2 * P > inst.memory)
    sub = Instance(inst.memory, inst.s[G], inst.o[G])
    res = solve(sub, time_limit=args.time_limit, root_lp=False)
    rest = int(inst.o.sum() - inst.o[G].sum())
    print(f"{len(G)} large requests: {res}; lower bound for all: {res.bound + rest:g}")


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


PROBES = {"arcflow": arcflow, "trace": trace, "warm": warm, "feasibility": feasibility, "rcfix": rcfix, "large": large}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("probe", choices=sorted(PROBES))
    ap.add_argument("--n", type=int, default=14)
    ap.add_argument("--seeds", type=int, nargs="+", default=None)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--phase1", type=float, default=10.0, help="seconds of the first solve (warm, feasibility, rcfix)")
    ap.add_argument("--time-limit", type=float, default=60.0)
    args = ap.parse_args(argv)
    for seed in args.seeds or [args.seed]:
        print(f"== {args.probe}: jaillet_instance({args.n}, {seed})", flush=True)
        PROBES[args.probe](jaillet_instance(args.n, seed), args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Lower bounds of lpsched.exact.bounds (the chain bound) and the chain constraints of the CP-SAT model:
never above the brute-force optimum, exact on a hand-solved chain."""

from __future__ import annotations

import numpy as np
import pytest

from lpsched import Instance, validate
from lpsched.exact import solve
from lpsched.exact.bounds import chain_bound, chain_dp_value
from lpsched.exact.lp_bounds import lower_bounds
from strategies import tiny_instance


def rnd(seed: int) -> Instance:
    """n <= 6, M in [4, 20), s <= 4, o <= 7; arrivals in 30% of the cases."""
    return tiny_instance(seed, max_n=6, memory=(4, 20), max_s=4, max_o=7, arrival_share=0.3)


def mostly_large(seed: int, arrivals: bool = False) -> Instance:
    """Most requests have 2 P > M, so the chain bound and the chain constraints bind."""
    rng = np.random.default_rng(2000 + seed)
    n = int(rng.integers(2, 7))
    M = int(rng.integers(8, 20))
    s = rng.integers(1, 4, n)
    o = np.array([rng.integers(max(1, M // 3 - si), M - si + 1) for si in s])
    return Instance(M, s, o, rng.integers(0, 6, n) if arrivals else None)


@pytest.mark.parametrize("objective", ["tct", "makespan"])
def test_bounds_never_exceed_the_optimum(objective):
    for seed in range(80):
        inst = rnd(seed)
        opt = solve(inst, backend="bruteforce", objective=objective).objective
        b = lower_bounds(inst, objective, ("alone", "area", "chain"))
        assert b["best"] <= opt, (seed, inst.to_dict(), b, opt)


@pytest.mark.parametrize("seed", range(40))
def test_chain_bound_and_model_on_mostly_large_requests(seed):
    inst = mostly_large(seed, arrivals=seed % 3 == 0)
    ref = solve(inst, backend="bruteforce")
    assert ref.status == "optimal"
    assert chain_bound(inst) <= ref.objective
    for opts in ({}, {"formulation": "interval"}, {"formulation": "time"}):
        res = solve(inst, backend="cpsat", **opts)
        assert (res.status, res.objective) == ("optimal", ref.objective), (opts, inst.to_dict())
        validate(res.schedule)


def test_chain_dp_on_a_pure_chain():
    """Two requests with P = 8, M = 10: the second completes >= min(6, 8 + 8 - 10) = 6 after the first."""
    assert chain_dp_value([8, 8], [6, 6], 10, [0, 1]) == 2 * 6 + 6
    inst = Instance(10, [2, 2], [6, 6])
    assert chain_bound(inst) == 18 == solve(inst, backend="bruteforce").objective


def test_chain_bound_beats_area_on_a_jaillet_instance():
    from lpsched.exact.study import jaillet_instance

    inst = jaillet_instance(8, 0)         # OPT 693 (proven by CP-SAT and the tests of test_exact_solve)
    b = lower_bounds(inst, "tct", ("area", "chain"))
    assert b["area"] < b["chain"] <= 693


# --- the chain-head bound (lpsched.exact.bounds.head_bound) ---------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from lpsched.exact.bounds import head_bound  # noqa: E402

#: OPT of jaillet_instance(n, seed), proven by solve(..., backend="cpsat") (n, seed) -> OPT
JAILLET_OPT = {(8, 0): 693, (8, 1): 262, (8, 2): 495, (8, 3): 196, (8, 4): 337,
               (10, 0): 831, (10, 1): 300, (10, 2): 413, (10, 3): 313, (10, 4): 488,
               (12, 0): 914, (12, 1): 685, (12, 2): 403, (12, 3): 450, (12, 4): 739}


def mixed(seed: int, arrivals: bool = False) -> Instance:
    """Two to four requests with 2 P > M (the chain) and small ones (2 P <= M), n <= 6: head_bound binds."""
    rng = np.random.default_rng(5000 + seed)
    M = int(rng.integers(8, 17))
    nG, nS = int(rng.integers(2, 5)), int(rng.integers(1, 4))
    s, o = [], []
    for _ in range(nG):
        si = int(rng.integers(1, 3))
        s.append(si)
        o.append(int(rng.integers(M // 2 + 1 - si, M - si + 1)))
    for _ in range(nS):
        si = int(rng.integers(1, 3))
        s.append(si)
        o.append(int(rng.integers(1, max(1, M // 2 - si) + 1)))
    a = rng.integers(0, 4, nG + nS) if arrivals else None
    return Instance(M, s, o, a)


def test_head_bound_never_exceeds_the_brute_force_optimum():
    stronger = 0
    for seed in range(120):
        inst = mixed(seed, arrivals=seed % 4 == 0)
        opt = solve(inst, backend="bruteforce").objective
        hb, cb = head_bound(inst), chain_bound(inst)
        assert cb <= hb <= opt, (seed, inst.to_dict(), cb, hb, opt)
        stronger += hb > cb
    assert stronger >= 10          # the test exercises the new inequalities, not just the chain bound


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6))
def test_head_bound_hypothesis(seed):
    for inst in (rnd(seed), mixed(seed, arrivals=seed % 2 == 1)):
        opt = solve(inst, backend="bruteforce").objective
        assert chain_bound(inst) <= head_bound(inst) <= opt, inst.to_dict()


def test_head_bound_below_proven_jaillet_optima():
    from lpsched.exact.study import jaillet_instance

    stronger = 0
    for (n, seed), opt in JAILLET_OPT.items():
        inst = jaillet_instance(n, seed)
        hb, cb = head_bound(inst), chain_bound(inst)
        assert cb <= hb <= opt, (n, seed, cb, hb, opt)
        assert cb <= head_bound(inst, nested=False, pairs=False) <= hb
        stronger += hb > cb
    assert stronger >= 5           # measured: 11 of 15 (e.g. n = 12 seed 3: chain 331, head 388, OPT 450;
                                   # n = 8 seed 4: head 336, OPT 337)


def test_head_bound_helpers_against_brute_force():
    import itertools
    import random

    from lpsched.exact.bounds import _max_on_time, _maximal_independent_sets

    rng = random.Random(0)
    for _ in range(200):
        V = list(range(rng.randint(1, 7)))
        E = [(x, y) for x in V for y in V if x < y and rng.random() < 0.4]
        adj = {v: set() for v in V}
        for x, y in E:
            adj[x].add(y)
            adj[y].add(x)
        ind = [set(c) for r in range(len(V) + 1) for c in itertools.combinations(V, r)
               if all(y not in adj[x] for x in c for y in c)]
        maximal = sorted(sorted(s) for s in ind if not any(s < t for t in ind))
        assert sorted(sorted(s) for s in _maximal_independent_sets(V, E)) == maximal
        jobs = sorted(((rng.randint(1, 9), rng.randint(0, 25)) for _ in range(rng.randint(0, 6))), key=lambda j: j[1])
        best = max(len(c) for r in range(len(jobs) + 1) for c in itertools.combinations(jobs, r)
                   if all(sum(sz for sz, _ in c[:q + 1]) <= c[q][1] for q in range(len(c))))
        assert _max_on_time(jobs) == best


# --- extended tails (lpsched.exact.bounds.extended_tails) and the LP relaxation with their cliques ----

from lpsched.exact.bounds import extended_tails  # noqa: E402
from lpsched.exact.lp_bounds import lp_bound  # noqa: E402


def feasible_starts(inst: Instance, horizon: int) -> np.ndarray:
    """Every start vector in ``[a_i, horizon]^n`` that keeps the memory within ``M`` (exhaustive)."""
    t = np.arange(1, horizon + int(inst.o.max()) + 1)
    out = []
    for first in range(int(inst.a[0]), horizon + 1):           # in slices, to bound the memory used
        grids = np.meshgrid([first], *[np.arange(a, horizon + 1) for a in inst.a[1:].tolist()], indexing="ij")
        p = np.stack([g.ravel() for g in grids], axis=1)                     # (count, n)
        age = t[None, None, :] - p[:, :, None]                               # (count, n, T)
        held = np.where((age >= 1) & (age <= inst.o[None, :, None]), inst.s[None, :, None] + age, 0)
        out.append(p[held.sum(axis=1).max(axis=1) <= inst.memory])
    return np.concatenate(out)


@pytest.mark.parametrize("seed", range(30))
def test_extended_tail_windows_are_disjoint_in_every_feasible_schedule(seed):
    inst = mostly_large(seed, arrivals=seed % 3 == 0)
    if inst.n > 3:                      # keep the exhaustive enumeration small
        inst = Instance(inst.memory, inst.s[:3], inst.o[:3], inst.a[:3])
    windows = extended_tails(inst)
    starts = feasible_starts(inst, horizon=int(inst.o.sum()) + int(inst.a.max()))
    assert len(starts) > 0
    C = starts + inst.o[None, :]
    ks = list(windows)
    for x in range(len(ks)):
        for y in range(x + 1, len(ks)):
            j, k = ks[x], ks[y]
            (wj, ej), (wk, ek) = windows[j], windows[k]
            apart = (C[:, j] + ej < C[:, k] - wk + 1) | (C[:, k] + ek < C[:, j] - wj + 1)
            assert apart.all(), (inst.to_dict(), j, k, starts[~apart][0].tolist())


def test_extended_tails_are_tight_on_a_pair():
    """M = 10: P = 8 and 6 give windows (3, 3) and (1, 1); both completion gaps are 4 = the window span."""
    inst = Instance(memory=10, s=[2, 1], o=[6, 5])
    assert extended_tails(inst) == {0: (3, 3), 1: (1, 1)}
    starts = feasible_starts(inst, 12)
    gaps = np.abs((starts + inst.o).dot([1, -1]))
    assert gaps.min() == 4


def test_lp_with_tail_cliques_is_a_stronger_valid_bound():
    from lpsched.exact.study import jaillet_instance

    stronger = 0
    for (n, seed), opt in JAILLET_OPT.items():
        if n > 10:
            continue
        inst = jaillet_instance(n, seed)
        plain, tails = lp_bound(inst, tails=False), lp_bound(inst)
        assert plain <= tails <= opt, (n, seed, plain, tails, opt)
        stronger += tails > plain
    assert stronger >= 8           # measured: all 10 (e.g. n = 8 seed 0: 549 -> 676, OPT 693)
    for seed in range(40):
        inst = mixed(seed, arrivals=seed % 4 == 0)
        opt = solve(inst, backend="bruteforce").objective
        assert lp_bound(inst, tails=False) <= lp_bound(inst) <= opt, inst.to_dict()


def test_probing_bound_between_the_lp_and_the_optimum():
    """probe_bound is a valid bound (never above the brute-force optimum, tiny instances with arrivals,
    both objectives), never below the LP, and above it on Jaillet instances with proven optima."""
    from lpsched.exact.lp_bounds import probe_bound
    from lpsched.exact.study import jaillet_instance

    for seed in range(30):
        inst = mixed(seed, arrivals=seed % 3 == 0)
        for objective in ("tct", "makespan"):
            opt = solve(inst, backend="bruteforce", objective=objective).objective
            lp, pb = lp_bound(inst, objective), probe_bound(inst, objective)
            assert lp <= pb <= opt, (seed, objective, inst.to_dict(), lp, pb, opt)
    lifted = 0
    for (n, seed), opt in JAILLET_OPT.items():
        if n != 8:
            continue
        inst = jaillet_instance(n, seed)
        lp, pb = lp_bound(inst), probe_bound(inst)
        assert lp <= pb <= opt, (n, seed, lp, pb, opt)
        lifted += pb > lp
        near = lower_bounds(inst, which=("lp", "probe"), upper=opt)     # the optimum's (smaller) horizon
        assert lp <= near["lp"] <= near["probe"] <= opt and pb <= near["probe"], (n, seed, near)
    assert lifted >= 4           # measured: all 5 (n = 8 seed 0: 676 -> 690, OPT 693)


def test_probing_bound_stops_at_its_time_limit_with_a_valid_bound():
    from lpsched.exact.lp_bounds import probe_bound
    from lpsched.exact.study import jaillet_instance

    inst = jaillet_instance(12, 0)
    pb = probe_bound(inst, time_limit=1.0)        # stops early: the LP bound or better, never above OPT
    assert lp_bound(inst) <= pb <= JAILLET_OPT[12, 0]


def test_no_dominance_rule_between_smaller_and_larger_requests():
    """Why the models break symmetry only between identical requests (formulation.py): a request that is
    no larger in both ``s`` and ``o`` need not start or complete first.  M = 4, A = (s 1, o 3),
    B = (1, 1), C = (2, 1): B dominates C, but the only optimum runs C alone at 0, then A and B together
    (2 + 2 tokens at t = 2): TCT 1 + 4 + 2 = 7; with B no later than C the best is 8 (hand-checked too)."""
    inst = Instance(memory=4, s=[1, 1, 2], o=[3, 1, 1])
    starts = feasible_starts(inst, 5)
    C = starts + inst.o
    tct = C.sum(axis=1)
    assert tct.min() == 7 == solve(inst, backend="cpsat").objective
    assert starts[tct == 7].tolist() == [[1, 1, 0]]
    assert tct[starts[:, 1] <= starts[:, 2]].min() == 8
    assert tct[C[:, 1] <= C[:, 2]].min() == 8

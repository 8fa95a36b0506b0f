"""Selection subproblem: exact DP against brute force, guarantees of the other selectors."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lpsched import Instance
from lpsched.sortedf import better, is_feasible, loads, select, selectors
from lpsched.sortedf.dp import exact_dp, memory_grid_dp, scaled_dp
from lpsched.sortedf.local import local_swap

HEURISTICS = ["scaled_dp", "memory_grid_dp", "local_swap", "quantile_greedy"]
DATA = Path(__file__).resolve().parent / "data"


def random_instance(rng, n_max=12):
    n = int(rng.integers(1, n_max + 1))
    M = int(rng.integers(4, 80))
    hi = max(2, M // int(rng.integers(2, 6)))
    s = rng.integers(1, hi, n)
    o = rng.integers(1, hi, n)
    if rng.random() < 0.3:                      # duplicates exercise the bundle splitting
        s[: n // 2] = s[0]
        o[: n // 2] = o[0]
    keep = s + o <= M
    if not keep.any():
        s, o = np.array([1]), np.array([1])
    else:
        s, o = s[keep], o[keep]
    return s, o, M


def test_slides_example_hand_solved():
    # M = 6, s = 2, o = (1, 1, 2, 3): {0, 1} holds 3 + 3 = 6 at t = 1, F = 2/4; adding any other
    # request overflows at t = 1
    r = select(([2, 2, 2, 2], [1, 1, 2, 3]), 6)
    assert r.indices.tolist() == [0, 1] and (r.sum_o, r.size) == (2, 2) and r.status == "optimal"


def test_tie_in_F_goes_to_the_larger_set():
    # {0}: F = 1; {0, 1, 2} with o = 1, 1, 2: F = 4/9 < 1; {0,1,2,3} with o = 1,1,2,4... M large
    r = select(([1, 1, 1, 1], [1, 1, 2, 2]), 100)
    assert r.size == 4 and r.sum_o == 6
    # F({a}) = 1/1 vs F({a, b}) = 4/4 = 1: tie -> the larger set
    r = select(([1, 1], [1, 3]), 100)
    assert r.size == 2


@pytest.mark.parametrize("seed", range(6))
def test_exact_dp_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    for _ in range(60):
        s, o, M = random_instance(rng)
        bf = select((s, o), M, "brute_force")
        ex = select((s, o), M, "exact_dp")
        assert ex.key == bf.key, (s.tolist(), o.tolist(), M)
        assert is_feasible(s[ex.indices], o[ex.indices], M)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 9), st.integers(1, 9)), min_size=1, max_size=10), st.integers(18, 40))
def test_exact_dp_equals_brute_force_property(reqs, M):
    s = np.array([r[0] for r in reqs])
    o = np.array([r[1] for r in reqs])
    assert select((s, o), M, "exact_dp").key == select((s, o), M, "brute_force").key


@pytest.mark.parametrize("seed", range(4))
def test_no_selector_beats_exact_and_all_are_feasible(seed):
    rng = np.random.default_rng(100 + seed)
    for _ in range(40):
        s, o, M = random_instance(rng, 16)
        ex = select((s, o), M, "exact_dp")
        for name in HEURISTICS:
            r = select((s, o), M, name)
            assert r.size >= 1 and len(set(r.indices.tolist())) == r.size
            assert is_feasible(s[r.indices], o[r.indices], M), name
            assert not better(r.key, ex.key), (name, s.tolist(), o.tolist(), M)
            assert r.sum_o == int(o[r.indices].sum())


@pytest.mark.parametrize("eps", [0.05, 0.2, 0.5, 1.0])
def test_memory_grid_dp_guarantee(eps):
    rng = np.random.default_rng(7)
    grids = []
    for _ in range(40):
        n = int(rng.integers(5, 30))
        M = int(rng.integers(200, 600))
        s, o = rng.integers(1, 60, n), rng.integers(1, 60, n)
        r = memory_grid_dp(s, o, M, eps=eps)
        m_eps = r.info["memory_eps"]
        assert r.guarantee == "feasible at M; F <= F*(M_eps), M_eps = M - K(g-1) >= M/(1+eps)"
        assert m_eps >= M / (1 + eps) and is_feasible(s[r.indices], o[r.indices], M)
        # at least as good as the exact optimum at memory M_eps (when that memory admits a request)
        if (s + o <= m_eps).any():
            keep = np.flatnonzero(s + o <= m_eps)
            ref = exact_dp(s[keep], o[keep], m_eps)
            assert not better(ref.key, r.key), (eps, s.tolist(), o.tolist(), M)
        assert not better(r.key, exact_dp(s, o, M).key)
        grids.append(r.info["grid"])
    assert max(grids) > 1            # the grid really was coarser than one token


def test_memory_grid_dp_with_tiny_eps_is_exact():
    rng = np.random.default_rng(3)
    s, o = rng.integers(1, 20, 12), rng.integers(1, 20, 12)
    r = memory_grid_dp(s, o, 60, eps=1e-9)
    assert r.info["grid"] == 1 and r.key == exact_dp(s, o, 60).key and r.status == "optimal"


def exact_fill_instance(rng, n_max=12):
    """An optimum candidate that fills memory exactly (the memory grid's bad case), among random requests."""
    M = int(rng.integers(20, 400))
    k = int(rng.integers(2, 6))
    o = rng.integers(1, 6, k)
    target = M - k * int(o.min())                      # sum s of the filling set
    cuts = np.sort(rng.choice(np.arange(1, target), k - 1, replace=False))
    s = np.diff(np.concatenate([[0], cuts, [target]]))
    m = int(rng.integers(0, n_max - k + 1))
    s_all = np.concatenate([s, rng.integers(1, max(2, M // 2), m)])
    o_all = np.concatenate([o, rng.integers(1, max(2, M // 4), m)])
    keep = s_all + o_all <= M
    return s_all[keep], o_all[keep], M


def within(r, ref, eps) -> bool:
    """``F(r) <= (1 + eps) F(ref)`` in exact rationals."""
    return Fraction(r.sum_o, r.size ** 2) <= (1 + Fraction(eps)) * Fraction(ref.sum_o, ref.size ** 2)


@pytest.mark.parametrize("prune", [True, False])
@pytest.mark.parametrize("eps", [0.05, 0.1, 0.5])
def test_scaled_dp_within_one_plus_eps_of_brute_force(eps, prune):
    """40 small random, 25 long-output and 25 exact-fill instances (n <= 12) per case: 540 comparisons."""
    rng = np.random.default_rng(int(eps * 1000) + prune)
    rounded = 0
    for i in range(90):
        if i < 40:
            s, o, M = random_instance(rng)
        elif i < 65:                                    # long outputs: the rounding step delta is > 1
            n, M = int(rng.integers(2, 13)), int(rng.integers(2000, 20000))
            s, o = rng.integers(1, M // 4, n), rng.integers(1, M // 4, n)
        else:
            s, o, M = exact_fill_instance(rng)
        bf = select((s, o), M, "brute_force")
        r = scaled_dp(s, o, M, eps=eps, prune=prune)
        assert r.size >= 1 and len(set(r.indices.tolist())) == r.size and r.sum_o == int(o[r.indices].sum())
        assert is_feasible(s[r.indices], o[r.indices], M)
        assert not better(r.key, bf.key)
        assert within(r, bf, eps), (eps, prune, s.tolist(), o.tolist(), M, r.F, bf.F)
        if r.status == "optimal":
            assert r.key == bf.key
        rounded += max(r.info.get("delta", [1]) or [1]) > 1
    if not prune:
        assert rounded >= 10         # the rounding itself was exercised, not only delta = 1


@pytest.mark.parametrize("eps", [0.05, 0.1, 0.5])
def test_scaled_dp_within_one_plus_eps_of_exact_dp_at_n_20_to_30(eps):
    rng = np.random.default_rng(40 + int(100 * eps))
    for i in range(24):
        n = int(rng.integers(20, 31))
        M = int(rng.integers(100, 1000))
        if i % 3 == 2:                                  # few long-output cheap vs many short expensive
            k = n // 4
            s = np.concatenate([rng.integers(M // 8, M // 4, n - k), rng.integers(1, 4, k)])
            o = np.concatenate([rng.integers(1, 4, n - k), rng.integers(M // 8, M // 4, k)])
        else:
            s, o = rng.integers(1, M // 10, n), rng.integers(1, M // (3 if i % 3 else 10), n)
        ex = exact_dp(s, o, M)
        for prune in (True, False):
            r = scaled_dp(s, o, M, eps=eps, prune=prune)
            assert is_feasible(s[r.indices], o[r.indices], M) and not better(r.key, ex.key)
            assert within(r, ex, eps), (eps, prune, s.tolist(), o.tolist(), M)


@pytest.mark.parametrize("eps", [0.05, 0.1, 0.5])
def test_scaled_dp_rounding_is_nearly_tight_but_within_the_bound(eps):
    """Four requests A (o_A, s_A) fill memory exactly; four B have o_B > o_A and s_B = s_A - (o_B - o_A).

    K = 4 and any mix of A and B is feasible; all-A is the optimum.  When o_B rounds to the same multiple of
    delta as o_A, the rounded DP keeps the smaller prompt sum, i.e. B, and pays o_B / o_A: the sweep over
    o_B in (o_A, (1 + 2 eps) o_A] must stay within 1 + eps (a step twice too coarse breaks it for eps =
    0.05, 0.1) and must come close to it (so the rounding really acts).
    """
    k, o_a = 4, round(10 / eps) + 1
    ratios = []
    for o_b in range(o_a + 1, int(o_a * (1 + 2 * eps)) + 1):
        s_a = 5 * o_a
        s = np.array([s_a] * k + [s_a - (o_b - o_a)] * k)
        o = np.array([o_a] * k + [o_b] * k)
        M = k * (s_a + o_a)
        ex = exact_dp(s, o, M)
        assert ex.key == (k * o_a, k)
        r = scaled_dp(s, o, M, eps=eps, prune=False)
        assert is_feasible(s[r.indices], o[r.indices], M) and within(r, ex, eps), (eps, o_b)
        ratios.append(r.F / ex.F)
        assert scaled_dp(s, o, M, eps=eps).key == ex.key          # the o-ascending prefix finds all-A
    assert 1 + eps / 2 < max(ratios) <= 1 + eps


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 30)), min_size=1, max_size=14),
       st.integers(60, 200), st.sampled_from([0.01, 0.1, 0.3, 1.0, 3.0]), st.booleans())
def test_scaled_dp_property(reqs, M, eps, prune):
    s = np.array([r[0] for r in reqs])
    o = np.array([r[1] for r in reqs])
    r = scaled_dp(s, o, M, eps=eps, prune=prune)
    ex = exact_dp(s, o, M)
    assert is_feasible(s[r.indices], o[r.indices], M)
    assert not better(r.key, ex.key)
    assert within(r, ex, eps)


def test_memory_grid_gap_instance_is_closed_by_scaled_dp():
    case = json.loads((DATA / "sortedf_memory_grid_gap.json").read_text())
    s, o, M, eps = np.array(case["s"]), np.array(case["o"]), case["memory"], case["eps"]
    bf = select((s, o), M, "brute_force")
    assert (bf.sum_o, bf.size) == (case["optimum"]["sum_o"], case["optimum"]["size"])
    assert int(loads(s[bf.indices], o[bf.indices]).max()) == M          # the optimum fills memory exactly
    grid = memory_grid_dp(s, o, M, eps=eps)
    ref = case["memory_grid_dp"]
    assert (grid.info["grid"], grid.info["memory_eps"], grid.sum_o, grid.size) == \
        (ref["grid"], ref["memory_eps"], ref["sum_o"], ref["size"])
    assert grid.F / bf.F > 1.6                                           # 5/3: the gap the old check reported
    for prune in (True, False):
        for e in (eps, 0.5):
            r = scaled_dp(s, o, M, eps=e, prune=prune)
            assert r.F / bf.F <= 1 + e and is_feasible(s[r.indices], o[r.indices], M)
    assert scaled_dp(s, o, M, eps=eps, prune=False).F / bf.F <= 1.1


def test_scaled_dp_tiny_eps_is_exact_and_info():
    rng = np.random.default_rng(3)
    s, o = rng.integers(1, 20, 12), rng.integers(1, 20, 12)
    r = scaled_dp(s, o, 60, eps=1e-9, prune=False)
    assert set(r.info["delta"]) == {1} and r.status == "optimal" and r.key == exact_dp(s, o, 60).key
    assert r.info["method"] == "rounded" and r.info["cells"] > 0 and r.info["K"] >= max(r.info["K_T"])
    assert "(1 + 1e-09) F* at the same M" in r.guarantee
    # a large eps rounds coarsely and can lose optimality, but stays within its bound
    r = scaled_dp(s, o, 60, eps=3.0, prune=False)
    assert max(r.info["delta"]) > 1 and within(r, exact_dp(s, o, 60), 3.0)


def test_scaled_dp_falls_back_to_exact_dp_when_its_table_is_smaller():
    # many small requests and a small memory: K (M - min o) cells beat the rounded tables
    rng = np.random.default_rng(0)
    s, o = rng.integers(1, 51, 500), rng.integers(1, 51, 500)
    r = scaled_dp(s, o, 2000, eps=0.1)
    assert r.info["method"] == "exact_dp" and r.status == "optimal" and r.key == exact_dp(s, o, 2000).key


@pytest.mark.parametrize("selector", ["scaled_dp", "memory_grid_dp"])
@pytest.mark.parametrize("eps", [0, -0.1, float("nan"), float("inf"), True, "0.1", None])
def test_eps_is_validated(selector, eps):
    with pytest.raises(ValueError, match=r"eps = .* must be a finite number > 0") as err:
        select(([2, 2], [1, 1]), 6, selector, eps=eps)
    assert repr(eps) in str(err.value)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_mip_matches_brute_force(solver):
    rng = np.random.default_rng(11)
    for _ in range(4):
        s, o, M = random_instance(rng, 8)
        r = select((s, o), M, "mip", solver=solver)
        assert r.key == select((s, o), M, "brute_force").key and r.status == "optimal"
        assert is_feasible(s[r.indices], o[r.indices], M)


def test_local_swap_is_a_local_optimum():
    rng = np.random.default_rng(5)
    for _ in range(30):
        s, o, M = random_instance(rng, 10)
        r = local_swap(s, o, M)
        assert r.info["local_optimum"]
        X = set(r.indices.tolist())
        out = [i for i in range(len(s)) if i not in X]
        neigh = [X | {a} for a in out] + [X - {b} for b in X if len(X) > 1]
        neigh += [(X - {b}) | {a} for b in X for a in out]
        for Y in neigh:
            y = np.array(sorted(Y))
            if is_feasible(s[y], o[y], M):
                assert not better((int(o[y].sum()), len(y)), r.key), (s.tolist(), o.tolist(), M, sorted(Y))


def _swap_by_definition(s, o, M, members, out):
    """The first swap of local_swap's sweep, from the definition: members by descending (o, index), each
    tried out of the batch with every non-member of smaller o (ascending o, index) until one fits."""
    for r in sorted(members, key=lambda i: (o[i], i), reverse=True):
        rest = [i for i in members if i != r]
        for a in out:
            if o[a] < o[r] and is_feasible(s[rest + [a]], o[rest + [a]], M):
                return r, a
    return None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 30)), min_size=1, max_size=16),
       st.integers(31, 120), st.integers(0, 10**6))
def test_batch_swap_is_the_first_feasible_swap_by_definition(reqs, M, seed):
    from lpsched.sortedf.problem import Batch

    s, o = np.array([r[0] for r in reqs]), np.array([r[1] for r in reqs])
    rng = np.random.default_rng(seed)
    members = []
    for i in rng.permutation(len(s)).tolist():              # a random feasible batch
        if is_feasible(s[members + [i]], o[members + [i]], M):
            members.append(i)
    out = [i for i in np.lexsort((np.arange(len(s)), o)).tolist() if i not in members]
    batch = Batch(s, o, M, members)
    move = batch.swap(np.array(out, np.int64))
    want = _swap_by_definition(s, o, M, members, out)
    assert (None if move is None else (int(batch.members[move[0]]), move[1])) == want


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(1, 40)), min_size=1, max_size=40),
       st.integers(41, 400))
def test_local_swap_compiled_core_makes_the_same_moves(reqs, M):
    s, o = np.array([r[0] for r in reqs]), np.array([r[1] for r in reqs])
    py, jit = local_swap(s, o, M, compiled=False), local_swap(s, o, M, compiled=True)
    assert py.indices.tolist() == jit.indices.tolist() and py.info == jit.info
    assert is_feasible(s[jit.indices], o[jit.indices], M)


def test_local_swap_initial_batch_is_the_longest_feasible_prefix():
    from lpsched.sortedf.local import _initial

    rng = np.random.default_rng(11)
    for _ in range(300):
        s, o, M = random_instance(rng, 30)
        order = np.lexsort((np.arange(len(s)), s + o)).tolist()
        want = []
        for i in order:                                     # grow the prefix while it stays feasible
            if not is_feasible(s[want + [i]], o[want + [i]], M):
                break
            want.append(i)
        assert _initial(s, o, M) == want


def test_quantile_greedy_is_seeded_and_large_inputs_work():
    rng = np.random.default_rng(0)
    s, o = rng.integers(1, 50, 20_000), rng.integers(1, 50, 20_000)
    a = select((s, o), 5000, "quantile_greedy", seed=3)
    b = select((s, o), 5000, "quantile_greedy", seed=3)
    assert a.indices.tolist() == b.indices.tolist()
    assert is_feasible(s[a.indices], o[a.indices], 5000)


def test_loads_and_feasibility():
    assert loads([2, 2, 2], [1, 1, 2]).tolist() == [9, 9, 4]
    assert is_feasible([2, 2], [1, 1], 6) and not is_feasible([2, 2, 2], [1, 1, 2], 6)


def test_instance_input_and_errors():
    inst = Instance(6, [2, 2, 2, 2], [1, 1, 2, 3])
    assert select(inst).indices.tolist() == [0, 1]
    with pytest.raises(ValueError, match="valid selectors: brute_force, exact_dp"):
        select(inst, selector="greedy")
    with pytest.raises(ValueError, match="request 1: s \\+ o = 9 exceeds memory M = 6"):
        select(([1, 4], [1, 5]), 6)
    with pytest.raises(ValueError, match="memory"):
        select(([1], [1]))
    with pytest.raises(ValueError, match="eps = 0 must be"):
        select(inst, selector="scaled_dp", eps=0)
    with pytest.raises(ValueError, match="n = 25 > max_n"):
        select(([1] * 25, [1] * 25), 100, "brute_force")
    assert set(selectors()) == {"exact_dp", "scaled_dp", "memory_grid_dp", "local_swap", "quantile_greedy",
                                "brute_force", "mip", "typed_exact"}


def test_many_duplicates_use_bundles():
    # 200 copies of two types: exact via bundles, compared with the closed form of the two-type optimum
    s = np.array([9] * 100 + [1] * 100)
    o = np.array([1] * 100 + [2] * 100)
    r = exact_dp(s, o, 100)
    assert r.info["bundles"] <= 16
    best = None
    for c2 in range(0, 34):                      # 3 c2 <= 100
        c1 = min(100, (100 - 2 * c2) // 10) if c2 <= 33 else 0
        for k1 in range(0, c1 + 1):
            if k1 + c2 and (k1 == 0 or k1 * 10 + 2 * c2 <= 100):
                key = (k1 + 2 * c2, k1 + c2)
                if better(key, best):
                    best = key
    assert r.key == best


def test_typed_exact_equals_exact_dp_on_few_types():
    rng = np.random.default_rng(21)
    for _ in range(60):
        T = int(rng.integers(1, 4))
        M = int(rng.integers(20, 120))
        ts, to = rng.integers(1, M // 3, T), rng.integers(1, M // 3, T)
        cnt = rng.integers(1, 15, T)
        s, o = np.repeat(ts, cnt), np.repeat(to, cnt)
        perm = rng.permutation(len(s))
        s, o = s[perm], o[perm]
        a, b = select((s, o), M, "typed_exact"), select((s, o), M, "exact_dp")
        assert a.key == b.key and is_feasible(s[a.indices], o[a.indices], M)
        if len(s) <= 12:
            assert a.key == select((s, o), M, "brute_force").key
    with pytest.raises(ValueError, match="max_grid"):
        select((np.arange(1, 40), np.arange(40, 1, -1)), 2000, "typed_exact")

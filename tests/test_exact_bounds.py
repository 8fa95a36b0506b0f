"""Lower bounds of lpsched.exact.bounds (the chain bound) and the chain constraints of the CP-SAT model:
never above the brute-force optimum, exact on a hand-solved chain."""

from __future__ import annotations

import numpy as np
import pytest

from lpsched import Instance, validate
from lpsched.exact import solve
from lpsched.exact.bounds import chain_bound, chain_dp_value, lower_bounds
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

"""SPEC section 4: highspy (< 1.15) and OR-Tools must live in one process; solve with each."""

import importlib.metadata as md

from lpsched import Instance
from lpsched.exact import solve


def test_highspy_and_ortools_in_one_process():
    import highspy  # noqa: F401
    from ortools.sat.python import cp_model  # noqa: F401

    major, minor = (int(x) for x in md.version("highspy").split(".")[:2])
    assert (major, minor) < (1, 15), "highspy >= 1.15 cannot coexist with ortools 9.15 (SPEC section 4)"
    inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
    a = solve(inst, backend="cpsat")
    b = solve(inst, backend="highs")
    c = solve(inst, backend="cpsat")
    assert a.objective == b.objective == c.objective == 11
    assert "HiGHS" in b.message and "CP-SAT" in a.message


def test_pulp_models_use_the_api_that_pulp_4_keeps():
    """PuLP 3.3 warns on what 4.0 removes (``LpVariable(...)`` without a problem); the MIP backend and
    the Sorted-F MIP build theirs through ``prob.add_variable``, so neither warns."""
    import warnings

    from lpsched.sortedf.exhaustive import mip

    inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
    reference = solve(inst, backend="bruteforce", objective="makespan").objective
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        for backend in ("highs", "cbc"):
            assert solve(inst, backend=backend, objective="makespan").objective == reference
            assert mip(inst.s, inst.o, inst.memory, solver=backend).indices.tolist() == [0, 1]

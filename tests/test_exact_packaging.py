"""highspy and OR-Tools must live in one process; solve with each.  highspy 1.15.x
cannot (measured: either import fails with an undefined symbol); 1.11-1.14 and 1.16 can."""

import importlib.metadata as md
import json
import subprocess
import sys

from lpsched import Instance
from lpsched.exact import solve


def test_highspy_and_ortools_in_one_process():
    import highspy  # noqa: F401
    from ortools.sat.python import cp_model  # noqa: F401

    major, minor = (int(x) for x in md.version("highspy").split(".")[:2])
    assert (major, minor) != (1, 15), "highspy 1.15.x cannot coexist with ortools 9.15"
    inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
    a = solve(inst, backend="cpsat")
    b = solve(inst, backend="highs")
    c = solve(inst, backend="cpsat")
    assert a.objective == b.objective == c.objective == 11
    assert "HiGHS" in b.message and "CP-SAT" in a.message


def test_no_highs_banner_on_stdout():
    """highspy 1.16 prints a banner on descriptor 1 at a process's first ``Highs()``; the CLI's ``--json``
    must still be JSON, with each place that builds one (the root LP, the MIP backend) used first."""
    objectives = []
    for backend in ("cpsat", "highs"):
        run = subprocess.run([sys.executable, "-m", "lpsched", "opt", "--jaillet", "6", "--seed", "0",
                              "--backend", backend, "--json"], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        assert run.stdout.startswith("{"), run.stdout[:200]
        objectives.append(json.loads(run.stdout)["objective"])
    assert objectives == [224, 224]


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

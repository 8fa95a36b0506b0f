"""Exact solver: backends agree, OPT <= every policy, schedules valid, limits and errors behave."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import given, settings

from lpsched import Instance, Predictions, available_policies, simulate, validate
from lpsched.exact import solve
from strategies import instances, tiny_instance
from lpsched.exact.lp_bounds import lower_bounds
from lpsched.exact.bruteforce import search
from lpsched.exact.horizon import heuristic, horizon

WORKED = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
BACKENDS = [("highs", {}), ("cbc", {}), ("cpsat", {"formulation": "time"}), ("cpsat", {"formulation": "interval"}),
            ("cpsat", {"formulation": "both", "workers": 2}), ("cpsat", {"no_idle": True, "redundant": 0}),
            ("cpsat", {"formulation": "both", "active": True}), ("cpsat", {"formulation": "interval", "pairs": False}),
            ("cpsat", {"formulation": "completion", "pairs": False}), ("cpsat", {"formulation": "completion", "active": True}),
            ("cpsat", {"workers": 2, "params": {"subsolvers": ["default_lp", "lb_tree_search"]}}),
            ("cpsat", {"formulation": ("interval", "completion")}), ("cpsat", {"formulation": ("completion", "time")})]
IDS = ["highs", "cbc", "cpsat-time", "cpsat-interval", "cpsat-both", "cpsat-noidle", "cpsat-active", "cpsat-nopairs",
       "cpsat-completion-nopairs", "cpsat-completion-active", "cpsat-lbworker", "cpsat-race", "cpsat-race-time"]


def tiny(seed: int) -> Instance:
    """A tiny random instance: n <= 5, M <= 12, o <= 5, arrivals in 40% of the cases."""
    return tiny_instance(seed)


N_TINY = 150
TINY = [tiny(seed) for seed in range(N_TINY)]


@pytest.fixture(scope="module")
def brute():
    """Brute-force optimum of every tiny instance (the reference)."""
    out = []
    for inst in TINY:
        res = solve(inst, backend="bruteforce", time_limit=30, decompose=False)   # the whole search
        assert res.status == "optimal", res
        out.append(res)
    return out


@pytest.mark.parametrize("backend,opts", BACKENDS, ids=IDS)
def test_worked_example_optimum_is_11(backend, opts):
    res = solve(WORKED, backend=backend, **opts)
    assert (res.status, res.objective, res.bound, res.gap) == ("optimal", 11, 11.0, 0.0)
    assert validate(res.schedule).peak_memory <= 6
    assert res.metrics.tct == 11


def test_worked_example_bruteforce_and_makespan():
    res = solve(WORKED, backend="bruteforce")
    assert res.objective == 11 and res.schedule.start.tolist() == [0, 0, 1, 3]
    # makespan: the o = 3 request cannot share t = 1 with both o = 1 requests; optimum 5 (checked by hand:
    # 4 would need all four done by 4, i.e. the o = 3 one started by 1 next to three others)
    assert solve(WORKED, backend="bruteforce", objective="makespan").objective == 5


@pytest.mark.parametrize("backend,opts", BACKENDS, ids=IDS)
def test_backends_agree_with_bruteforce_on_tiny_instances(brute, backend, opts):
    for k, inst in enumerate(TINY):
        res = solve(inst, backend=backend, time_limit=30, **opts)
        assert res.status == "optimal", (k, res)
        assert res.objective == brute[k].objective, (k, inst.to_dict(), res, brute[k])
        validate(res.schedule)
        assert res.objective == res.metrics.tct == int(res.schedule.completion.sum())


@pytest.mark.parametrize("backend,opts", [("bruteforce", {})] + BACKENDS, ids=["bruteforce"] + IDS)
def test_makespan_backends_agree(backend, opts):
    ref = [solve(inst, backend="bruteforce", objective="makespan").objective for inst in TINY[:40]]
    got = [solve(inst, backend=backend, objective="makespan", **opts) for inst in TINY[:40]]
    assert all(r.status == "optimal" for r in got)
    assert [r.objective for r in got] == ref
    assert all(r.objective == r.metrics.makespan for r in got)


def _with_perfect_predictions(inst: Instance) -> Instance:
    o = inst.o
    return inst.with_predictions(Predictions(lower=o, upper=o, point=o.astype(float),
                                             mu=np.log(o.astype(float)), sigma=np.full(inst.n, 0.1)))


def test_opt_is_at_most_every_policy(brute):
    policies = available_policies()
    assert {"fcfs", "hsf", "mcsf", "vllm"} <= set(policies)
    for k, inst in enumerate(TINY[:60]):
        opt = brute[k]
        full = _with_perfect_predictions(inst)
        for name in policies:
            m = simulate(full, name).metrics
            assert opt.objective <= m.tct, (k, name)
            assert opt.metrics.tel <= m.tel


def test_bounds_are_below_the_optimum_and_horizon_contains_it(brute):
    for k, inst in enumerate(TINY[:80]):
        opt = brute[k].objective
        b = lower_bounds(inst)
        assert b["alone"] <= b["area"] or b["alone"] <= opt
        assert max(b["alone"], b["area"], b["lp"]) <= opt, (k, b, opt)
        # the horizon proof: searching with a far larger horizon finds nothing better
        h = heuristic(inst)
        big = [int(inst.a.max() + inst.o.sum() * 3)] * inst.n
        status, starts, bound, _ = search(inst, "tct", None, big, 30)
        assert status == "optimal" and bound == opt
        assert np.all(brute[k].schedule.start <= horizon(inst, "tct", h.objective).latest_start)


def test_time_limit_returns_feasible_not_proven_quickly():
    rng = np.random.default_rng(5)
    M = 40
    s = rng.integers(1, 6, 40)
    o = rng.integers(1, M - s + 1)
    inst = Instance(M, s, o)
    for backend in ("highs", "cbc", "cpsat"):
        res = solve(inst, backend=backend, time_limit=2)
        assert res.status == "feasible", res              # stopped by the limit, not proven
        assert res.bound < res.objective and 0 < res.gap < 1
        validate(res.schedule)
    with pytest.raises(ValueError, match="tiny instances"):
        solve(inst, backend="bruteforce")
    small = inst.subset(range(9))
    res = solve(small, backend="bruteforce", time_limit=1)
    assert res.status == "feasible" and "time limit" in res.message


def test_horizon_cap_can_make_the_decision_infeasible():
    # worked example: no schedule has makespan <= 4
    for backend in ("bruteforce", "highs", "cbc", "cpsat"):
        res = solve(WORKED, backend=backend, objective="makespan", horizon_cap=4)
        assert res.status == "infeasible" and res.schedule is None, res
        res = solve(WORKED, backend=backend, objective="makespan", horizon_cap=5)
        assert res.status == "optimal" and res.objective == 5


def test_bad_arguments():
    with pytest.raises(ValueError, match="valid backends: bruteforce, cbc, cpsat, highs"):
        solve(WORKED, backend="gurobi")
    with pytest.raises(ValueError, match="valid objectives: tct, makespan"):
        solve(WORKED, objective="latency")
    with pytest.raises(ValueError, match="time_limit"):
        solve(WORKED, time_limit=0)
    with pytest.raises(ValueError, match="valid formulations"):
        solve(WORKED, backend="cpsat", formulation="graph")
    with pytest.raises(ValueError, match="unknown formulation 'graph'; valid formulations"):
        solve(WORKED, backend="cpsat", formulation=("interval", "graph"))
    for bad in ((), ("interval", "interval")):
        with pytest.raises(ValueError, match="give one formulation or distinct ones to race"):
            solve(WORKED, backend="cpsat", formulation=bad)


@pytest.mark.parametrize("formulation", ["time", "completion"])
def test_active_rule_keeps_blocked_starts_and_forbids_the_others(formulation):
    """M = 12, A = (s 1, o 10), B = (s 1, o 2): B cannot run at A's completion 10 (11 + 2 > 12), so B
    started at 10 cannot move earlier (kept); B at 5, or A at 1 or 2 beside B at 0, could (forbidden)."""
    from ortools.sat.python import cp_model

    from lpsched.exact.cpsat import _model
    from lpsched.exact.formulation import build

    inst = Instance(memory=12, s=[1, 1], o=[10, 2])
    ti = build(inst, "tct", 40)                      # latest starts 2 and 10

    def feasible(starts, active):
        m, p = _model(cp_model, ti, formulation, None, 3, None, False, active, True, True)
        for var, k in zip(p, starts):
            m.Add(var == k)
        return cp_model.CpSolver().Solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    cases = [[0, 10], [0, 0], [0, 5], [1, 0], [2, 0]]
    assert all(feasible(starts, active=False) for starts in cases)
    assert [feasible(starts, active=True) for starts in cases] == [True, True, False, False, False]


def test_race_combines_the_models_outcomes():
    """A proof from any racer wins; otherwise the best schedule found and the largest bound."""
    from lpsched.exact.cpsat import _combine

    a, b = np.array([0, 1]), np.array([1, 0])
    assert _combine([("feasible", a, 9.0, 12.0), ("optimal", b, 11.0, 11.0)]) == ("optimal", b, 11.0)
    status, starts, bound = _combine([("feasible", a, 9.0, 12.0), ("feasible", b, 7.0, 13.0)])
    assert (status, starts.tolist(), bound) == ("feasible", [0, 1], 9.0)
    assert _combine([("unknown", None, -math.inf, math.inf), ("feasible", b, 5.0, 13.0)])[0] == "feasible"
    assert _combine([("unknown", None, -math.inf, math.inf), ("error", None, -math.inf, math.inf)])[0] == "unknown"
    assert _combine([("infeasible", None, math.inf, math.inf), ("feasible", a, 3.0, 4.0)])[0] == "infeasible"


def test_time_limited_race_returns_the_best_of_both_models():
    """On an instance too large to prove, the race returns a validated schedule no worse than the warm
    start, and a bound below it, when neither model proves optimality."""
    from lpsched.exact.study import jaillet_instance

    inst = jaillet_instance(20, 1)
    res = solve(inst, backend="cpsat", formulation=("interval", "completion"), time_limit=3, root_lp=False)
    assert res.status == "feasible" and "interval: FEASIBLE, completion: FEASIBLE" in res.message
    assert res.objective <= res.info["heuristic_objective"] and res.bound <= res.objective
    validate(res.schedule)


def test_missing_backend_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "ortools.sat.python", None)
    monkeypatch.setitem(sys.modules, "ortools.sat.python.cp_model", None)
    with pytest.raises(ImportError, match="pip install 'ortools"):
        solve(WORKED, backend="cpsat")


def test_result_to_dict_is_json_ready():
    import json

    res = solve(WORKED, backend="highs")
    d = json.loads(json.dumps(res.to_dict()))
    assert d["status"] == "optimal" and d["objective"] == 11 and d["start"] == res.schedule.start.tolist()
    assert math.isclose(d["gap"], 0.0)


def test_resume_from_a_saved_result_keeps_schedule_and_bound():
    import json

    from lpsched.exact import ExactResult
    from lpsched.exact.study import jaillet_instance

    inst = jaillet_instance(14, 3)                        # not proven within a few seconds
    first = solve(inst, time_limit=2, root_lp=False)
    assert first.status == "feasible"
    saved = ExactResult.from_dict(json.loads(json.dumps(first.to_dict())), inst)
    assert saved.objective == first.objective and saved.bound == first.bound
    again = solve(inst, time_limit=2, root_lp=False, initial=saved)
    assert again.objective <= first.objective and again.bound >= first.bound
    assert again.info["initial_bound"] == first.bound and again.info["heuristic"] == "initial"
    validate(again.schedule)
    # a schedule alone is a warm start only; another objective or instance gets no bound
    assert "initial_bound" not in solve(inst, time_limit=1, root_lp=False, initial=first.schedule).info
    mk = solve(inst, objective="makespan", time_limit=1, root_lp=False, initial=first)
    assert "initial_bound" not in mk.info
    with pytest.raises(ValueError, match="instance_digest .* another instance"):
        ExactResult.from_dict(first.to_dict(), jaillet_instance(14, 4))


def test_resume_from_an_optimal_result_returns_at_once():
    first = solve(WORKED, backend="cbc")
    again = solve(WORKED, backend="cbc", initial=first)
    assert again.status == "optimal" and again.objective == 11 and "initial result" in again.message
    assert "combinatorial_bound" not in again.info          # nothing left to prove: no bound computed
    with pytest.raises(ValueError, match="initial: not a feasible schedule"):
        solve(WORKED, initial=[0, 0, 0, 0])


def test_symmetric_requests_and_arrivals():
    inst = Instance(10, s=[2, 2, 2, 2, 3], o=[3, 3, 3, 3, 2], a=[0, 0, 1, 1, 0])
    ref = solve(inst, backend="bruteforce")
    for backend in ("highs", "cpsat"):
        res = solve(inst, backend=backend)
        assert res.objective == ref.objective and res.status == "optimal"


@settings(max_examples=150, deadline=None)
@given(instances(max_n=7, max_memory=20))
def test_completion_gap_holds_in_every_schedule(inst):
    """The pairwise gap of the CP-SAT model holds in every policy's schedule and in the optimum."""
    from lpsched.exact.cpsat import completion_gap

    schedules = [simulate(inst, name).schedule for name in ("fcfs", "mcsf", "hsf", "vllm")]
    schedules.append(solve(inst, backend="cpsat", pairs=False, time_limit=30).schedule)
    for sched in schedules:
        C = sched.completion.tolist()
        for j in range(inst.n):
            for k in range(inst.n):
                if j != k and C[j] <= C[k]:
                    assert C[k] - C[j] >= completion_gap(inst, j, k), (inst.to_dict(), sched.start.tolist(), j, k)


def test_completion_gap_is_tight_on_a_chain():
    """M = 10, peaks 8 and 6: the second can complete exactly 8 + 6 - 10 = 4 after the first."""
    from lpsched.exact.cpsat import completion_gap

    inst = Instance(memory=10, s=[2, 1], o=[6, 5])
    res = solve(inst, backend="cpsat")
    C = sorted(res.schedule.completion.tolist())
    assert completion_gap(inst, 0, 1) == 4 and C[1] - C[0] == 4
    assert (res.objective, solve(inst, backend="bruteforce").objective) == (C[0] + C[1], C[0] + C[1])


@pytest.mark.parametrize("seed", range(4))
def test_formulations_agree_on_jaillet_instances(seed):
    """n = 8 Jaillet instances (long outputs, unlike TINY): the completion-time model without the pair
    gaps, the staircase model without them and the default model give the same proven optimum."""
    from lpsched.exact.study import jaillet_instance

    inst = jaillet_instance(8, 100 + seed)
    got = [solve(inst, backend="cpsat", time_limit=60, **opts) for opts in
           ({"formulation": "completion", "pairs": False}, {"formulation": "interval", "pairs": False}, {})]
    assert [r.status for r in got] == ["optimal"] * 3
    assert len({r.objective for r in got}) == 1, [r.objective for r in got]
    assert all(r.objective <= simulate(inst, "mcsf").metrics.tct for r in got)


def test_cpsat_reports_the_root_lp_bound():
    """solve(root_lp=True) reports the LP relaxation with the tail cliques when CP-SAT's bound is lower."""
    from lpsched.exact.lp_bounds import lp_bound
    from lpsched.exact.study import jaillet_instance

    inst = jaillet_instance(12, 3)              # OPT 450, LP 417, chain-head bound 388
    res = solve(inst, backend="cpsat", time_limit=4)           # the LP (0.2-0.3 s) gets up to half of it
    assert res.info["lp_bound"] == lp_bound(inst) == 417
    assert res.bound >= 417 and res.objective >= 450
    assert "lp_bound" not in solve(inst, backend="cpsat", time_limit=0.5, root_lp=False).info
    starved = solve(jaillet_instance(30, 2), backend="cpsat", time_limit=0.05)    # LP (about 9 s) cut off
    assert "lp_bound" not in starved.info and starved.status == "feasible"


@pytest.mark.parametrize("backend", ["cpsat", "highs"])
def test_the_reported_bound_is_the_best_of_the_backends_own_and_the_root_bounds(backend):
    """info["backend_bound"] is what the search proved; the reported bound is the best of it and the root
    bounds, and never above the schedule found (jaillet_instance(20, 0): not proven within 4 s)."""
    from lpsched.exact.study import jaillet_instance

    res = solve(jaillet_instance(20, 0), backend=backend, time_limit=4)
    assert res.status == "feasible"
    own = res.info.get("backend_bound", -math.inf)
    roots = [res.info[k] for k in ("combinatorial_bound", "lp_bound") if k in res.info]
    assert res.bound == max([own, *roots]) <= res.objective
    done = solve(Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3]), backend=backend)
    assert done.status == "optimal" and done.info["backend_bound"] == done.objective == 11


def _interrupt_after(cmd, seconds, safety: float = 900):
    """Run ``cmd`` (Python code) in a child with the default Ctrl-C handler; SIGINT after ``seconds``.

    Returns ``(returncode, stdout, stderr)``.  The child is killed if it has not ended ``safety`` seconds
    after the signal (a hang, not a slow machine: the test then fails) and always before returning.
    """
    import signal
    import subprocess
    import time

    code = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n" + cmd
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(seconds)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=safety)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


@pytest.mark.parametrize("backend, n, root_lp, opts", [("cpsat", 25, False, {}), ("cpsat", 25, True, {}),
                                                       ("cpsat", 25, False, {"formulation": ("interval", "completion")}),
                                                       ("highs", 16, True, {}), ("bruteforce", 12, False, {})])
def test_ctrl_c_stops_the_solve_and_returns_the_best_so_far(backend, n, root_lp, opts):
    import json

    rc, out, err = _interrupt_after(
        "import json\nfrom lpsched.exact import solve\nfrom lpsched.exact.study import jaillet_instance\n"
        f"r = solve(jaillet_instance({n}, 4), backend={backend!r}, time_limit=300, root_lp={root_lp}, **{opts!r})\n"
        "print(json.dumps(r.to_dict()))", 6)
    assert rc == 0, err
    d = json.loads(out)
    assert d["info"]["interrupted"] is True and "interrupted by the user" in d["message"]
    assert d["status"] == "feasible" and d["start"] is not None       # the best so far, validated


def test_ctrl_c_stops_a_study_without_logging_the_unfinished_trial(tmp_path):
    from lpsched.rowlog import read_results

    out = tmp_path / "trials.csv"
    rc, _, err = _interrupt_after(
        "from lpsched.cli import main\nraise SystemExit(main(['jaillet', '--n', '25', '--trials', '3', "
        f"'--arrivals', 'zero', '--time-limit', '300', '--out', {str(out)!r}]))", 6)
    assert rc == 130 and "interrupted" in err
    assert read_results(out) == []          # the interrupted trial is not recorded as unproven


def test_root_lp_stops_at_its_time_limit_on_a_large_model():
    """HiGHS's presolve ignores the time limit (196 s under 4 s on this model): the root LP runs without it,
    and a time-limited LP reports no bound (-inf) rather than a partial one."""
    from lpsched.exact.formulation import build
    from lpsched.exact.study import jaillet_instance

    ti = build(jaillet_instance(100, 0, "poisson"))          # 301,898 columns, 12.5 M nonzeros
    assert ti.highs().getOptionValue("presolve")[1] == "off"
    assert ti.solve_lp(time_limit=2) == -math.inf             # no bound within 2 s

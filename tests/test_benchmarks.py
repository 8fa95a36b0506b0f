"""benchmarks/: the exact-OPT benchmark's settings and resume, and the validity of the probes' cuts (sawtooth
capacity, configuration cuts, the reduced-cost inequality)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lpsched import simulate
from lpsched.exact.bounds import areas
from lpsched.workloads import uniform

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

from exact_probes import (choice_knapsack, configuration_cut, reduced_cost_inequality, rlt_arrays,  # noqa: E402
                          lifted_value, ordered_optimum, probing_fix,
                          sawtooth_capacity, _lp_solution)


def _exact(*args):
    return subprocess.run([sys.executable, str(BENCH / "exact.py"), *args], capture_output=True, text=True)


def test_exact_benchmark_online_instances_resume_from_the_log(tmp_path):
    log = tmp_path / "runs.csv"
    args = ["--backends", "bruteforce", "--sizes", "4", "--seeds", "2", "--arrivals", "poisson", "--rate", "0.2",
            "--out", str(log)]
    first = _exact(*args)
    assert first.returncode == 0, first.stderr
    assert "Poisson arrivals, rate 0.2" in first.stdout
    assert "bruteforce        4   2/2" in first.stdout
    again = _exact(*args)
    assert "(2 runs taken from" in again.stdout
    other = _exact(*args[:-6], "--out", str(log))                 # all at 0: other instances, solved anew
    assert "runs taken from" not in other.stdout and "all at 0" in other.stdout
    assert sum(1 for _ in log.open()) == 1 + 4
    bad = _exact("--rate", "0")
    assert bad.returncode == 2 and "--rate must be positive, got 0" in bad.stderr


def test_exact_benchmark_logs_and_prints_the_searchs_own_bound(tmp_path):
    """An instance not proven at the limit: the table gives the reported bound and the search's own one,
    which the log keeps (jaillet_instance(20, 0), 4 s)."""
    import csv

    log = tmp_path / "runs.csv"
    run = _exact("--backends", "cpsat", "--sizes", "20", "--seed-list", "0", "--time-limit", "4", "--out", str(log))
    assert run.returncode == 0, run.stderr
    assert "0/1" in run.stdout and "bound/best at the limit >= " in run.stdout and "(the search's own" in run.stdout
    (row,) = csv.DictReader(log.open())
    assert row["status"] == "feasible" and float(row["backend_bound"] or 0) <= float(row["bound"])
    assert _exact("--backends", "cpsat", "--sizes", "20", "--seed-list", "0", "--time-limit", "4",
                  "--out", str(log)).stdout.splitlines()[2] == run.stdout.splitlines()[2]     # resumed: same line


def test_sawtooth_capacity_holds_for_policy_schedules_and_is_tight_somewhere():
    slack = []
    for seed in range(40):
        rng = np.random.default_rng(seed)
        inst = uniform(int(rng.integers(3, 9)), rng, memory=int(rng.integers(6, 15)))
        for policy in ("fcfs", "hsf", "mcsf"):
            p = simulate(inst, policy).schedule.start
            done = p + inst.o
            end = int(done.max()) + 2
            load = np.zeros(end + 1)
            for i in range(inst.n):
                t = np.arange(p[i] + 1, done[i] + 1)
                load[t] += inst.s[i] + t - p[i]
            used = np.cumsum(load)
            assert used[end] == areas(inst).sum()
            cap = sawtooth_capacity(inst.memory, end, inst.n)
            for T in range(1, end + 1):
                slack.append(cap[len(set(done[done <= T].tolist())), T] - used[T])
    assert min(slack) == 0


@pytest.mark.parametrize("M, H", [(5, 7), (9, 12)])
def test_sawtooth_capacity_by_enumeration(M, H):
    """cap[q, T] against every set of at most q completion times in [1, T] (direct sum of the load limits)."""
    import itertools

    cap = sawtooth_capacity(M, H, 3)
    for T in range(H + 1):
        for q in range(4):
            best = 0
            for r in range(q + 1):
                for times in itertools.combinations(range(1, T + 1), r):
                    nxt = [min([c for c in times if c >= t], default=T + 1) for t in range(1, T + 1)]
                    best = max(best, sum(max(0, M - (c - t)) for t, c in zip(range(1, T + 1), nxt)))
            assert cap[q, T] == best, (q, T)


def test_choice_knapsack_against_enumeration():
    import itertools

    rng = np.random.default_rng(7)
    for _ in range(60):
        M = int(rng.integers(1, 12))
        groups = [[((g, k), int(rng.integers(1, 8)), float(rng.normal())) for k in range(int(rng.integers(1, 4)))]
                  for g in range(int(rng.integers(1, 5)))]
        best = max(sum(it[2] for it in pick if it) for pick in itertools.product(*[[None, *g] for g in groups])
                   if sum(it[1] for it in pick if it) <= M)
        value, chosen = choice_knapsack(groups, M)
        items = {it[0]: it for g in groups for it in g}
        assert value == pytest.approx(max(best, 0.0))
        assert value == pytest.approx(sum(items[c][2] for c in chosen))
        assert sum(items[c][1] for c in chosen) <= M and len({c[0] for c in chosen}) == len(chosen)


def _policy_columns(ti, inst):
    """Column indicator vectors of the policy schedules whose starts all lie in the model's windows."""
    out = []
    for policy in ("fcfs", "hsf", "mcsf", "vllm", "sorted_f"):
        p = simulate(inst, policy).schedule.start
        if np.all(p <= ti.latest_start):
            x = np.zeros(ti.nvars)
            x[ti.column_of(p)] = 1.0
            out.append(x)
    return out


def _tiny_models(count):
    from lpsched.exact.formulation import build
    from lpsched.exact.horizon import heuristic

    for seed in range(count):
        rng = np.random.default_rng(seed)
        inst = uniform(int(rng.integers(3, 8)), rng, memory=int(rng.integers(6, 16)))
        yield inst, build(inst, "tct", heuristic(inst).objective)


def test_configuration_cuts_hold_for_policy_schedules_and_cut_the_lp():
    violated = checked = 0
    for inst, ti in _tiny_models(40):
        z, x, _ = _lp_solution(ti)
        schedules = _policy_columns(ti, inst)
        for _, cols, vals in ti.memory_rows():
            on = x[cols] > 1e-7
            if on.sum() < 2:
                continue
            value, pi = configuration_cut(x[cols][on], vals[on], ti.var_req[cols[on]], inst.memory)
            assert pi @ x[cols][on] == pytest.approx(value, abs=1e-6)      # LP duality: the cut's value at y
            violated += value > 1 + 1e-6
            for xs in schedules:
                checked += 1
                assert pi @ xs[cols][on] <= 1 + 1e-9
    assert violated > 0 and checked > 100


def test_reduced_cost_inequality_holds_for_policy_schedules_and_the_optimum():
    from lpsched.exact import solve

    checked = 0
    for inst, ti in _tiny_models(30):
        z, d, const = reduced_cost_inequality(ti)
        cost = ti.cost
        opt = solve(inst, backend="bruteforce", time_limit=30)
        assert opt.status == "optimal"
        xo = np.zeros(ti.nvars)
        xo[ti.column_of(opt.schedule.start)] = 1.0
        for xs in [*_policy_columns(ti, inst), xo]:
            checked += 1
            assert cost @ xs >= const + d @ xs - 1e-6
        assert const + d @ xo <= opt.objective + 1e-6 and z <= opt.objective + 1e-6
    assert checked > 60


def test_hull_probe_runs_and_cuts_only_raise_the_lp():
    import re

    run = subprocess.run([sys.executable, str(BENCH / "exact_probes.py"), "hull", "--n", "6", "--seeds", "0", "1",
                          "--rounds", "2", "--time-limit", "10"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    found = re.findall(r"LP ([\d.]+) \([\d.]+\), with (\d+) configuration cuts ([\d.]+)", run.stdout)
    assert len(found) == 2
    for before, _, after in found:
        assert float(after) >= float(before) - 1e-6


@pytest.mark.parametrize("full", [False, True])
def test_rlt_lift_holds_for_policy_schedules_and_lies_between_the_lp_and_the_optimum(full):
    """Every policy schedule and the brute-force optimum, with ``y = x_c x_d``, satisfy every row of the
    lifted LP; its value is between the LP's and the optimum, above the LP on some instances."""
    from lpsched.exact import solve

    checked, lifted = 0, 0
    for inst, ti in _tiny_models(12):
        if ti.nvars > (120 if full else 200):     # the full lift of the largest: 10-60 s of interior point
            continue
        keep = np.arange(ti.nvars)
        arr = rlt_arrays(ti, keep, full=full)
        A, nc = arr["A"].tocsr(), len(keep)
        opt = solve(inst, backend="bruteforce", time_limit=30)
        xo = np.zeros(ti.nvars)
        xo[ti.column_of(opt.schedule.start)] = 1.0
        c, d = np.nonzero(np.triu(np.ones((nc, nc)), 1) * (ti.var_req[:, None] != ti.var_req[None, :]))
        for xs in [*_policy_columns(ti, inst), xo]:
            v = np.r_[xs, xs[c] * xs[d]]
            lhs = A @ v
            assert np.all(lhs <= arr["row_upper"] + 1e-6) and np.all(lhs >= arr["row_lower"] - 1e-6)
            checked += 1
        z = ti.solve_lp()
        v = lifted_value(ti, arr)
        assert z - 1e-6 <= v <= opt.objective + 1e-6, (inst.to_dict(), z, v, opt.objective)
        lifted += v > z + 1e-6
    assert checked > 25 and lifted >= 1


def test_probing_fix_keeps_every_start_of_an_optimum_and_removes_some():
    """With ``best = OPT + 1`` the optimum is a better schedule: its starts must all be kept."""
    from lpsched.exact import solve

    removed = 0
    for inst, ti in _tiny_models(10):
        opt = solve(inst, backend="bruteforce", time_limit=30)
        keep = probing_fix(ti, np.ones(ti.nvars, bool), int(opt.objective) + 1)
        assert keep[ti.column_of(opt.schedule.start)].all(), inst.to_dict()
        removed += int((~keep).sum())
    assert removed > 0


def test_ordered_optimum_keeps_the_optimum_or_reports_that_an_order_cuts_it():
    """The hand-checked instance of test_no_dominance_rule_between_smaller_and_larger_requests: its only
    optimum (7) starts request 2 before request 1 and completes it first."""
    from lpsched import Instance

    inst = Instance(memory=4, s=[1, 1, 2], o=[3, 1, 1])
    for by in ("start", "completion"):
        assert ordered_optimum(inst, [(2, 1)], by, time_limit=10) == 7
        assert ordered_optimum(inst, [(1, 2)], by, time_limit=10) == 8       # within the heuristic's horizon
    # all three starting together need 2 + 2 + 3 > 4 tokens: no schedule satisfies the cyclic order
    assert ordered_optimum(inst, [(0, 1), (1, 2), (2, 0)], "start", time_limit=10) is None

"""benchmarks/: the exact-OPT benchmark's settings and resume, and the sawtooth capacity of the probes."""

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

from exact_probes import sawtooth_capacity  # noqa: E402


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

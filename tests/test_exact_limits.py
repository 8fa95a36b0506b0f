"""Issue 31: one deadline per solve, stopping every backend, exact solves at real token counts, the best
bound reported, boundary validation of the exact CLI.  Behaviour only (statuses, what is kept, messages):
no test asserts a wall-clock time, and every process a test starts is killed before it returns."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lpsched import Instance, InstanceError, Schedule, ScheduleError, validate
from lpsched.cli import main
from lpsched.exact import solve, worker
from lpsched.exact.check import check_schedule
from lpsched.exact.interrupt import ABANDONED, run_interruptibly
from lpsched.exact.limits import INT_LIMIT, scaled_geq
from lpsched.exact.study import jaillet_instance
from strategies import instances

WORKED = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
#: the issue's instances (token counts of 10^5 and 10^8, far arrivals)
TOKENS_1E5 = Instance(400000, [1000, 2000, 1500], [100000, 150000, 120000])
TOKENS_1E8 = Instance(150_000_000, [1000, 2000], [100_000_000, 100_000_000])
LATE_1E9 = Instance(40, [3, 2, 4, 1, 5, 2], [30, 20, 25, 17, 19, 22], [0, 0, 10**9, 10**9, 10**9 + 3, 10**9 + 5])
LATE_1E15 = Instance(40, [3, 2, 4], [30, 20, 25], [10**15, 10**15, 10**15 + 5])


# --------------------------------------------------------------------------- token counts, overflow, refusals
def test_outputs_of_1e5_tokens_solve_without_overflow():
    """CP-SAT's parallel inequalities reach 10^21 here; they are scaled to its range, and the interval
    model (370,000 intervals) is left out of the default race."""
    res = solve(TOKENS_1E5)
    assert res.status == "optimal" and res.objective == 370000 == res.bound
    assert "left out" in res.message and "'interval'" in res.message
    validate(res.schedule)
    for backend in ("highs", "cbc"):          # one start per request within the provable horizon
        assert solve(TOKENS_1E5, backend=backend).objective == 370000


def test_a_conflicting_pair_at_1e5_tokens_is_proven():
    """Peaks 101,000 + 123,000 > M = 200,000: the second completes at least 24,000 after the first (the
    pairwise gap); starting it at 4,000 beside the first meets that, so OPT = 100,000 + 124,000."""
    inst = Instance(200000, [1000, 3000], [100000, 120000])
    for backend in ("cpsat", "highs"):
        res = solve(inst, backend=backend, time_limit=20)
        assert res.status == "optimal" and res.objective == 224000 == res.bound, res
        assert res.info["bound_method"] in ("chain", "head", backend)
        check_schedule(res.schedule)


def test_outputs_of_1e8_tokens_are_refused_by_the_time_indexed_backends_with_the_numbers():
    cp = solve(TOKENS_1E8)
    assert cp.status == "optimal" and cp.objective == 250_003_000 and cp.info["bound_method"] in ("chain", "head", "cpsat")
    for backend in ("highs", "cbc"):
        res = solve(TOKENS_1E8, backend=backend, time_limit=5)
        assert res.info["refused"] is True and "\n" not in res.message
        for part in ("refused", "start variables", "memory-row entries", "budget", "heuristic schedule",
                     "backend='cpsat'", "divided by a common factor"):
            assert part in res.message, (part, res.message)
        # the alternative is returned: the heuristic schedule with its lower bound (here they meet)
        assert res.status == "optimal" and res.objective == cp.objective and res.bound == cp.objective
    brute = solve(TOKENS_1E8, backend="bruteforce")
    assert brute.info["refused"] is True and "brute force refused" in brute.message


def test_a_small_memory_budget_refuses_even_the_root_lp():
    inst = jaillet_instance(12, 1)
    res = solve(inst, backend="highs", memory_budget=1e5, time_limit=5)
    assert res.info["refused"] and "over the budget of 100 kB" in res.message
    assert res.status in ("feasible", "optimal") and res.schedule is not None
    cp = solve(inst, backend="cpsat", memory_budget=1e5, time_limit=5)
    assert "lp_skipped" in cp.info and "lp_bound" not in cp.info
    with pytest.raises(ValueError, match="memory_budget"):
        solve(inst, memory_budget=0)


def test_scaled_inequalities_stay_valid_and_in_range():
    rng = np.random.default_rng(0)
    for _ in range(200):
        k = int(rng.integers(1, 6))
        coefs = [int(c) for c in rng.integers(1, 10**6, k) * 10**14]
        highs = [int(h) for h in rng.integers(1, 10**6, k)]
        x = [int(rng.integers(0, h + 1)) for h in highs]
        rhs = sum(c * v for c, v in zip(coefs, x)) - int(rng.integers(0, 10**15))
        c2, r2, g = scaled_geq(coefs, highs, rhs)
        assert sum(c * h for c, h in zip(c2, highs)) + abs(r2) <= INT_LIMIT and g >= 1
        assert sum(c * v for c, v in zip(c2, x)) >= r2          # x satisfied the original: it satisfies this


def test_cpsat_refuses_a_model_beyond_its_integers():
    from lpsched.exact.cpsat import check_range
    from lpsched.exact.formulation import build
    from lpsched.exact.limits import ModelTooLarge

    inst = Instance(2 ** 61, [1, 1], [2 ** 60, 2 ** 60])
    with pytest.raises(ModelTooLarge, match="beyond CP-SAT's 64-bit integers"):
        check_range(build(inst, "tct", 2 ** 62, arrays=False))


# --------------------------------------------------------------------------- time compression
def test_far_arrivals_are_shifted_not_modelled():
    res = solve(LATE_1E15)
    assert res.status == "optimal" and res.info["time_shift"] == 10**15
    assert res.objective == int(res.schedule.completion.sum()) and res.schedule.start.min() >= 10**15
    ref = solve(Instance(40, [3, 2, 4], [30, 20, 25], [0, 0, 5]), backend="bruteforce")
    assert res.objective == ref.objective + 3 * 10**15
    for backend in ("highs", "bruteforce"):
        assert solve(LATE_1E15, backend=backend).objective == res.objective
    mk = solve(LATE_1E15, objective="makespan")
    assert mk.objective == solve(Instance(40, [3, 2, 4], [30, 20, 25], [0, 0, 5]), objective="makespan").objective + 10**15


def test_a_block_arriving_at_1e9_is_solved_as_one_arriving_at_0():
    res = solve(LATE_1E9)
    assert res.status == "optimal" and res.info["blocks"] == [2, 4] and res.info["bound_method"] == "blocks"
    whole = solve(LATE_1E9, backend="bruteforce")
    assert whole.objective == res.objective
    check_schedule(res.schedule)


def test_resume_carries_the_bound_across_the_shift():
    first = solve(LATE_1E15, time_limit=5)
    again = solve(LATE_1E15, initial=first)
    assert again.status == "optimal" and again.objective == first.objective
    assert again.info["bound_method"] == "initial"


# --------------------------------------------------------------------------- the long-horizon check
@settings(max_examples=150, deadline=None)
@given(instances(max_n=6, max_memory=20), st.data())
def test_the_check_at_run_ends_agrees_with_the_validator(inst, data):
    """Random start vectors (valid or not): same verdict and same peak as lpsched.validate."""
    from lpsched.exact.check import _check_at_run_ends

    horizon = int(inst.a.max() + inst.o.sum())
    starts = [data.draw(st.integers(int(a), int(a) + horizon)) for a in inst.a.tolist()]
    sched = Schedule(inst, starts)
    try:
        ref = validate(sched)
    except ScheduleError as exc:
        with pytest.raises(ScheduleError) as got:         # the same kind of violation (the first time over M
            _check_at_run_ends(sched)                      # may differ: a run end is checked instead)
        assert str(got.value).split(" ")[:2] == str(exc).split(" ")[:2]
        return
    mine = _check_at_run_ends(sched)
    assert mine.peak_memory == ref.peak_memory


def test_the_check_at_run_ends_names_the_overflow():
    from lpsched.exact.check import _check_at_run_ends

    with pytest.raises(ScheduleError, match=r"memory at t = \d+ is 9 > M = 6"):
        _check_at_run_ends(Schedule(WORKED, [0, 0, 0, 3]))
    big = Schedule(TOKENS_1E8, [0, 50_003_000])
    assert check_schedule(big).peak_memory <= TOKENS_1E8.memory      # 2.5e8 steps: no profile array
    with pytest.raises(ScheduleError, match="memory at t"):
        check_schedule(Schedule(TOKENS_1E8, [0, 50_002_999]))


# --------------------------------------------------------------------------- the best bound, and its method
def test_the_reported_bound_names_its_method():
    res = solve(jaillet_instance(20, 0), backend="cpsat", time_limit=4)
    found = {k: res.info[k] for k in ("combinatorial_bound", "lp_bound", "backend_bound") if k in res.info}
    assert res.bound == max(found.values()) and res.info["bound_method"] in ("alone", "area", "chain", "head", "lp", "cpsat")
    if res.info["bound_method"] == "lp":
        assert res.bound == res.info["lp_bound"]
    done = solve(WORKED, backend="highs")
    assert done.status == "optimal" and done.info["bound_method"] == "head"       # the root bound met it


def test_probing_runs_within_the_solve():
    res = solve(jaillet_instance(8, 2), probe=True, time_limit=20)
    assert res.status == "optimal" and res.info["probe_bound"] >= res.info["lp_bound"]


def test_cli_prints_the_gap_against_the_best_bound(capsys):
    assert main(["opt", "--jaillet", "16", "--seed", "2", "--time-limit", "4"]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("tct:"))
    objective, bound = int(line.split()[1]), float(line.split("bound: ")[1].split()[0])
    method = line.split("bound: ")[1].split("(")[1].split(")")[0]
    gap = float(line.split("gap: ")[1].split()[0])
    lows = dict(kv.split(" = ") for kv in next(ln for ln in out.splitlines() if ln.startswith("lower bounds"))
                [len("lower bounds: "):].split(", "))
    assert bound >= float(lows["best"]) and method
    assert math.isclose(gap, (objective - bound) / objective, rel_tol=1e-5)


# --------------------------------------------------------------------------- deadlines and stopping
def test_the_helper_process_is_killed_at_the_deadline_and_its_reports_kept():
    import time

    worker.shutdown()
    worker.prestart()
    (pid,) = worker.pids()
    got = []
    kind, value = worker.call({"kind": "echo", "messages": [("bound", 7.0), ("incumbent", [0, 1], 9.0)],
                               "seconds": 3600}, time.perf_counter() + 1.0, got.append)
    assert (kind, value) == ("timeout", None)
    assert got == [("bound", 7.0), ("incumbent", [0, 1], 9.0)]
    assert worker.pids() == [] and not _alive(pid)            # killed and reaped, not left running
    kind, value = worker.call({"kind": "echo", "value": 42}, time.perf_counter() + 60)   # a new worker
    assert (kind, value) == ("done", 42)
    worker.shutdown()
    assert worker.pids() == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def test_highs_stopped_at_the_deadline_keeps_the_best_so_far():
    inst = jaillet_instance(25, 1)
    for backend in ("highs", "cbc"):
        res = solve(inst, backend=backend, time_limit=3)
        assert res.status == "feasible" and res.objective <= res.info["heuristic_objective"]
        assert res.bound <= res.objective
        validate(res.schedule)


def test_a_solver_that_does_not_stop_is_abandoned():
    import threading

    release = threading.Event()
    stops = []
    value, interrupted = run_interruptibly(lambda: release.wait(600), lambda: stops.append(1),
                                           end=__import__("time").perf_counter() + 0.2, grace=0.1)
    release.set()
    assert value is ABANDONED and not interrupted and stops == [1]


def test_solve_rejects_bad_limits_and_options():
    for bad in (0, -1, math.nan, math.inf, True, "5"):
        with pytest.raises(ValueError, match="time_limit"):
            solve(WORKED, time_limit=bad)
    with pytest.raises(TypeError, match="takes no option 'formulation'"):
        solve(WORKED, backend="highs", formulation="interval")
    with pytest.raises(ValueError, match="horizon_cap"):
        solve(WORKED, horizon_cap=True)


def _sigint_child(code: str, first: float, second: float | None = None, safety: float = 600):
    """Run ``code`` in a child with the default Ctrl-C handler; SIGINT once it prints ``go`` plus
    ``first`` seconds (and again ``second`` seconds later).  The child is killed before returning."""
    import time

    prog = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n" + code
    proc = subprocess.Popen([sys.executable, "-c", prog], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "go"
        time.sleep(first)
        proc.send_signal(signal.SIGINT)
        if second is not None:
            time.sleep(second)
            proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=safety)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


def test_a_second_ctrl_c_is_not_ignored():
    """A solver that does not stop when asked: the first Ctrl-C asks, the second leaves at once."""
    rc, out, err = _sigint_child(
        "import threading\nfrom lpsched.exact.interrupt import Abort, run_interruptibly\n"
        "release = threading.Event()\nprint('go', flush=True)\n"
        "try:\n    run_interruptibly(lambda: release.wait(600), lambda: None, grace=600)\n"
        "except Abort:\n    print('aborted')\n", 0.5, 0.5)
    assert rc == 0 and out.strip().splitlines()[-1] == "aborted", err


@pytest.mark.parametrize("backend", ["cbc"])
def test_ctrl_c_kills_the_helper_process_and_returns_the_best_so_far(backend):
    """Ctrl-C one second into the CBC run (``go`` is printed when the helper process is asked to solve)."""
    rc, out, err = _sigint_child(
        "import json\nfrom lpsched.exact import solve, worker\nfrom lpsched.exact.study import jaillet_instance\n"
        "call = worker.call\n"
        "def announced(req, end, note=None):\n"
        f"    if req['kind'] == {backend!r}:\n        print('go', flush=True)\n"
        "    return call(req, end, note)\n"
        "worker.call = announced\n"
        f"r = solve(jaillet_instance(25, 4), backend={backend!r}, time_limit=300)\n"
        "print(json.dumps({'result': r.to_dict(), 'workers': worker.pids()}))", 1)
    assert rc == 0, err
    d = json.loads(out.strip().splitlines()[-1])
    assert d["result"]["info"]["interrupted"] is True and d["result"]["status"] == "feasible"
    assert "its process was killed" in d["result"]["message"]
    assert d["result"]["start"] is not None and d["workers"] == []       # killed, not left running


# --------------------------------------------------------------------------- boundary validation
BAD_CLI = [
    (["opt", "--jaillet", "0"], "argument --jaillet: '0'"),
    (["opt", "--jaillet", "-2"], "argument --jaillet: '-2'"),
    (["opt", "--jaillet", "true"], "argument --jaillet: 'true'"),
    (["opt", "--jaillet", "5", "--time-limit", "nan"], "argument --time-limit: 'nan'"),
    (["opt", "--jaillet", "5", "--time-limit", "Infinity"], "argument --time-limit: 'Infinity'"),
    (["opt", "--jaillet", "5", "--time-limit", "0"], "argument --time-limit: '0'"),
    (["opt", "--jaillet", "5", "--time-limit", "-3"], "argument --time-limit: '-3'"),
    (["opt", "--jaillet", "5", "--seed", "-1"], "argument --seed: '-1'"),
    (["opt", "--jaillet", "5", "--poisson", "--rate", "0"], "argument --rate: '0'"),
    (["opt", "--jaillet", "5", "--memory-budget", "nan"], "argument --memory-budget: 'nan'"),
    (["jaillet", "--trials", "0"], "argument --trials: '0'"),
    (["jaillet", "--trials", "-1"], "argument --trials: '-1'"),
    (["jaillet", "--n", "0"], "argument --n: '0'"),
    (["jaillet", "--time-limit", "inf"], "argument --time-limit: 'inf'"),
    (["jaillet", "--rate", "-0.5"], "argument --rate: '-0.5'"),
    (["jaillet", "--c1", "-1"], "argument --c1: '-1'"),
    (["jaillet", "--trials", "True"], "argument --trials: 'True'"),
    (["reductions", "--count", "0"], "argument --count: '0'"),
    (["reductions", "--count", "1"], "argument --count: '1'"),
    (["reductions", "--time-limit", "NaN"], "argument --time-limit: 'NaN'"),
]


@pytest.mark.parametrize("argv, message", BAD_CLI, ids=[" ".join(a) for a, _ in BAD_CLI])
def test_bad_numbers_are_one_line_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and message in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("content, message", [
    ("[1, 2]", "a saved result is a JSON object"),
    ('{"status": "feasible", "start": "abc"}', "start = 'abc' must be a list"),
    ('{"status": "feasible", "bound": "x"}', "bound = 'x' must be a finite number"),
    ('{"status": "done"}', "status = 'done'"),
    ('{"status": "feasible", "start": [true, 0, 0, 0, 0]}', "must be a list of integer start times"),
])
def test_resume_of_a_bad_saved_result_is_a_one_line_error(tmp_path, capsys, content, message):
    path = tmp_path / "saved.json"
    path.write_text(content)
    assert main(["opt", "--jaillet", "5", "--resume", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"--resume {str(path)!r}" in err and message in err and err.count("\n") == 1


@pytest.mark.parametrize("text, message", [
    ('{"memory": Infinity, "s": [1], "o": [1]}', "memory = inf must be a finite integer"),
    ('{"memory": NaN, "s": [1], "o": [1]}', "memory = nan must be a finite integer"),
    ('{"memory": true, "s": [1], "o": [1]}', "memory = True must be an integer"),
    ('{"memory": 10, "s": [true, 3], "o": [1, 1]}', "s[0] = True is not an integer"),
    ('{"memory": 10, "s": [1], "o": [1e300]}', "o[0] = 1e+300 exceeds"),
    ('{"memory": 1e300, "s": [1], "o": [1]}', "memory = 1e+300 exceeds"),
    ('{"memory": 10, "s": [100000000000000000000], "o": [1]}', "s[0] = 100000000000000000000 exceeds"),
])
def test_instance_json_boundaries(tmp_path, capsys, text, message):
    with pytest.raises(InstanceError, match=message.replace("[", r"\[").replace("+", r"\+")):
        Instance.from_json(text)
    path = tmp_path / "inst.json"
    path.write_text(text)
    assert main(["opt", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_study_and_reduction_counts_are_checked():
    from lpsched.exact.reductions import verify
    from lpsched.exact.study import hsf_worst_case, jaillet_study

    for bad in (0, -1, True, 2.5):
        with pytest.raises(ValueError, match="trials"):
            jaillet_study(n=4, trials=bad)
        with pytest.raises(ValueError, match="count"):
            verify("W1", count=bad)
    with pytest.raises(ValueError, match="time_limit"):
        jaillet_study(n=4, trials=1, time_limit=math.nan)
    with pytest.raises(ValueError, match="samples"):
        hsf_worst_case(samples=0)
    with pytest.raises(ValueError, match="n = 0"):
        jaillet_instance(0, 1)


def test_the_limits_benchmark_runs():
    """benchmarks/limits.py, its instance table only, on an idle machine: one line per instance."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    run = subprocess.run([sys.executable, str(root / "benchmarks" / "limits.py"), "--only", "instances", "--busy", "0",
                          "--backends", "highs", "--time-limit", "3"], capture_output=True, text=True, cwd=root,
                         timeout=900)
    assert run.returncode == 0, run.stderr
    rows = [ln for ln in run.stdout.splitlines() if " highs " in ln]
    assert len(rows) >= 5 and all(("optimal" in r or "feasible" in r) and "Error" not in r for r in rows), run.stdout
    assert any("refused" in r for r in rows)

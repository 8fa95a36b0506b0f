"""J1/C1 study functions and the exact CLI commands."""

import json

import numpy as np
import pytest

from lpsched import simulate
from lpsched.cli import main
from lpsched.exact import solve
from lpsched.exact.study import hsf_worst_case, jaillet_instance, jaillet_study


def test_jaillet_instance_recipe():
    for seed in range(20):
        inst = jaillet_instance(7, seed)
        assert 30 <= inst.memory <= 50 and inst.s.min() >= 1 and inst.s.max() <= 5
        assert (inst.o >= 1).all() and (inst.s + inst.o <= inst.memory).all() and inst.all_at_zero
    online = jaillet_instance(7, 3, "poisson", rate=0.2)
    assert not online.all_at_zero and (np.diff(online.a) >= 0).all()
    with pytest.raises(ValueError, match="valid: zero, poisson"):
        jaillet_instance(5, 0, "burst")


def test_small_study_ratios_are_consistent():
    res = jaillet_study(n=4, trials=6, arrivals="zero", time_limit=20)
    assert res.proven == 6 and res.n == 4
    for st in res.stats:
        assert st.worst_ratio >= st.mean_ratio >= 1.0 and st.trials == 6
    # recompute one ratio by hand
    inst = jaillet_instance(4, 0)
    opt = solve(inst, backend="bruteforce").metrics.tel
    assert res.ratios["mcsf"][0] == pytest.approx(simulate(inst, "mcsf").metrics.tel / opt)
    online = jaillet_study(n=4, trials=4, arrivals="poisson", time_limit=20)
    assert online.proven == 4 and all(s.mean_ratio >= 1 for s in online.stats)
    assert "n = 4" in res.table()


def test_hsf_worst_case_search():
    wc = hsf_worst_case(samples=15, homogeneous=False, n_max=4, mutations=5, seed=2)
    assert wc.ratio >= 1.0 and wc.ratio == pytest.approx(wc.hsf_tct / wc.opt_tct)
    assert simulate(wc.instance, "hsf").metrics.tct == wc.hsf_tct
    assert solve(wc.instance, backend="bruteforce").objective == wc.opt_tct


def test_cli_opt_text_and_json(tmp_path, capsys):
    from lpsched import Instance

    path = tmp_path / "inst.json"
    Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3]).to_json(path)
    assert main(["opt", str(path), "--backend", "highs"]) == 0
    out = capsys.readouterr().out
    assert "bound: 11 (head)   gap: 0" in out           # the best bound found, and which method gave it
    assert "status: optimal" in out and "tct: 11" in out and "lower bounds: alone = 7, area = 10, chain = 10, head = 11, lp = 11" in out
    assert main(["opt", str(path), "--probe"]) == 0
    assert "lp = 11, probe = 11, best = 11" in capsys.readouterr().out
    assert main(["opt", str(path), "--backend", "bruteforce", "--objective", "makespan", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["objective"] == 5 and d["status"] == "optimal" and d["lower_bounds"]["best"] <= 5
    assert main(["opt", "--jaillet", "5", "--seed", "2", "--formulation", "interval", "completion", "--json"]) == 0
    msg = json.loads(capsys.readouterr().out)["message"]
    assert "interval: " in msg and "completion: " in msg
    assert main(["opt", "--jaillet", "5", "--seed", "2", "--formulation", "interval", "--json"]) == 0
    saved = tmp_path / "saved.json"
    saved.write_text(capsys.readouterr().out)
    assert json.loads(saved.read_text())["status"] == "optimal"
    assert main(["opt", "--jaillet", "5", "--seed", "2", "--resume", str(saved)]) == 0
    assert "initial result" in capsys.readouterr().out
    assert main(["opt", "--jaillet", "5", "--seed", "3", "--resume", str(saved)]) == 2
    assert "the saved result is for another instance" in capsys.readouterr().err
    big = tmp_path / "big.json"
    assert main(["opt", "--jaillet", "16", "--time-limit", "2", "--no-lp", "--save", str(big)]) == 0
    out = capsys.readouterr().out
    assert "status: feasible" in out and f"continue with --resume {big}" in out
    assert json.loads(big.read_text())["status"] == "feasible"


def test_cli_errors(capsys):
    assert main(["opt"]) == 2
    assert "--jaillet" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["opt", "--backend", "gurobi"])


def test_cli_jaillet_and_reductions(capsys):
    assert main(["jaillet", "--n", "4", "--trials", "3", "--arrivals", "zero", "--c1", "4", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["J1-zero"]["proven"] == 3 and d["C1-homogeneous"]["ratio"] >= 1
    assert main(["reductions", "--claim", "W2", "--count", "4"]) == 0
    out = capsys.readouterr().out
    assert "W2    literal" in out and "fails" in out and "holds on every case" in out


def test_study_resumes_from_its_trial_log(tmp_path):
    from lpsched.rowlog import read_results

    out = tmp_path / "trials.csv"
    first = jaillet_study(n=5, trials=3, arrivals="poisson", time_limit=20, out=out)
    assert first.from_log == 0 and len(read_results(out)) == 3
    resumed = jaillet_study(n=5, trials=5, arrivals="poisson", time_limit=20, out=out)
    fresh = jaillet_study(n=5, trials=5, arrivals="poisson", time_limit=20)
    assert resumed.from_log == 3 and len(read_results(out)) == 5
    assert resumed.ratios == fresh.ratios and resumed.proven == fresh.proven == 5
    # proofs hold under any time limit
    assert jaillet_study(n=5, trials=5, arrivals="poisson", time_limit=10, out=out).from_log == 5


def test_longer_limit_continues_the_unproven_trials(tmp_path):
    from lpsched.rowlog import read_results

    out = tmp_path / "trials.csv"
    short = jaillet_study(n=14, trials=2, seed=2, time_limit=0.5, out=out)       # too short to prove n = 14
    assert short.proven == 0 and len(read_results(out)) == 2
    rows = read_results(out)
    same = jaillet_study(n=14, trials=2, seed=2, time_limit=0.5, out=out)        # same limit: reused as unproven
    assert same.from_log == 2 and len(read_results(out)) == 2
    longer = jaillet_study(n=14, trials=2, seed=2, time_limit=1.5, out=out)      # longer: solved again, logged
    assert longer.from_log == 0
    again = read_results(out)[2:]
    assert len(again) == 2 and [r["key"] for r in again] == [r["key"] for r in rows]
    for old, new in zip(rows, again):                 # continued from the logged schedule and bound
        assert int(new["objective"]) <= int(old["objective"]) and float(new["bound"]) >= float(old["bound"])


def test_logged_schedules_are_validated_again(tmp_path):
    from lpsched.schedule import ScheduleError

    out = tmp_path / "trials.csv"
    jaillet_study(n=5, trials=1, time_limit=20, out=out)
    import csv

    from lpsched.exact.study import TRIAL_COLUMNS
    from lpsched.rowlog import read_results

    (row,) = read_results(out)
    assert row["status"] == "optimal"
    row["start"] = " ".join(["0"] * 5)                         # everything at 0: over the memory
    with out.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=TRIAL_COLUMNS)
        writer.writeheader()
        writer.writerow(row)
    with pytest.raises(ScheduleError):
        jaillet_study(n=5, trials=1, time_limit=20, out=out)


def test_cli_study_killed_midway_resumes_every_trial_once(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    from collections import Counter

    from lpsched.rowlog import read_results

    out = tmp_path / "trials.csv"
    cmd = [sys.executable, "-m", "lpsched.cli", "jaillet", "--n", "7", "--trials", "12", "--arrivals", "zero",
           "--time-limit", "20", "--out", str(out), "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 600          # a bound against a hang, not a speed requirement
    while time.time() < deadline and len(read_results(out)) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = len(read_results(out))
    assert 2 <= before < 12, "the study should have been killed midway"
    done = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)["J1-zero"]
    keys = Counter(r["key"] for r in read_results(out))
    assert done["from_log"] == before and len(keys) == 12 and set(keys.values()) == {1}
    assert done["proven"] == 12

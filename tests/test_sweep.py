"""Sweeps: grid, resume after a hard kill (every cell exactly once), joblib and Dask backends."""

import json
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from lpsched.sweep import cell_key, cells, read_results, run_sweep

CONFIG = {"policy": ["fcfs", "mcsf", "vllm"], "workload": ["lmsys"], "n": [200], "memory": [2000],
          "arrival_rate": [0.3], "seed": [0, 1]}


def keys_in(path):
    return Counter(r["key"] for r in read_results(path))


def test_grid_and_errors():
    assert len(cells(CONFIG)) == 6
    with pytest.raises(ValueError, match="unknown sweep axes \\['colour'\\]"):
        cells({"colour": ["red"]})
    with pytest.raises(ValueError, match="unknown backend 'spark'"):
        run_sweep(CONFIG, "x.csv", backend="spark")


def test_failing_cell_is_recorded_not_dropped(tmp_path):
    out = tmp_path / "r.csv"
    summary = run_sweep({"policy": ["mcsf", "nope"], "n": [20]}, out, backend="serial")
    rows = {r["policy"]: r for r in read_results(out)}
    assert summary["computed"] == 2 and summary["errors"] == 1
    assert "unknown policy 'nope'" in rows["nope"]["error"] and rows["mcsf"]["error"] == ""


def test_resume_after_kill_runs_every_cell_exactly_once(tmp_path):
    cfg = dict(CONFIG, n=[1500], seed=list(range(6)))  # 18 cells of about 0.1 s each
    path, out = tmp_path / "cfg.json", tmp_path / "rows.csv"
    path.write_text(json.dumps(cfg))
    cmd = [sys.executable, "-m", "lpsched.cli", "sweep", str(path), "--out", str(out), "--backend", "serial", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 600          # a bound against a hang, not a speed requirement
    while time.time() < deadline and sum(keys_in(out).values()) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = keys_in(out)
    assert 3 <= sum(before.values()) < 18, "the sweep should have been killed midway"
    result = subprocess.run(cmd, capture_output=True, text=True, check=True)
    summary = json.loads(result.stdout)
    after = keys_in(out)
    assert summary["already_done"] == sum(before.values())
    assert set(after) == {cell_key(c) for c in cells(cfg)}
    assert set(after.values()) == {1}


def test_truncated_last_line_is_recomputed(tmp_path):
    out = tmp_path / "r.csv"
    run_sweep(CONFIG, out, backend="serial")
    text = out.read_text()
    out.write_text(text[: len(text) - 20])  # a writer killed in the middle of a row
    summary = run_sweep(CONFIG, out, backend="serial")
    assert summary["computed"] == 1
    assert set(keys_in(out).values()) == {1} and len(keys_in(out)) == 6


@pytest.mark.parametrize("backend", ["serial", "joblib"])
def test_backends_agree(tmp_path, backend):
    ref = tmp_path / "serial.csv"
    run_sweep(CONFIG, ref, backend="serial")
    out = tmp_path / f"{backend}.csv"
    run_sweep(CONFIG, out, backend=backend, n_jobs=2)
    strip = lambda rows: {r["key"]: {k: v for k, v in r.items() if k != "seconds"} for r in rows}  # noqa: E731
    assert strip(read_results(out)) == strip(read_results(ref))


def test_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None)
    try:
        out = tmp_path / "dask.csv"
        summary = run_sweep(CONFIG, out, backend="dask", scheduler=cluster.scheduler_address)
        assert summary["computed"] == 6 and summary["errors"] == 0
        ref = tmp_path / "serial.csv"
        run_sweep(CONFIG, ref, backend="serial")
        tct = lambda p: {r["key"]: r["tct"] for r in read_results(p)}  # noqa: E731
        assert tct(out) == tct(ref)
    finally:
        cluster.close()


def test_prediction_axis(tmp_path):
    out = tmp_path / "p.csv"
    cfg = {"policy": ["amin", "amax"], "n": [100], "memory": [2000], "prediction": ["buckets", "overlap:0.5", "rough"]}
    summary = run_sweep(cfg, out, backend="serial")
    rows = read_results(out)
    assert summary["errors"] == 0 and len(rows) == 6
    worst = {r["prediction"]: float(r["mean_latency"]) for r in rows if r["policy"] == "amax"}
    assert worst["rough"] > worst["buckets"]  # A_max degrades with the widest intervals
    with pytest.raises(ValueError, match="unknown prediction 'psychic'"):
        from lpsched.sweep import attach_predictions
        from lpsched import workloads
        attach_predictions(workloads.uniform(3, 0), "psychic", 0)


@pytest.mark.parametrize("config, message", [
    ([1, 2], "expected a JSON object .* got a list"),
    ("fcfs", "got a string"),
    ({"n": [0]}, "axis 'n' value 0 must be an integer >= 1"),
    ({"n": [True]}, "axis 'n' value True must be an integer"),
    ({"n": [2.5]}, "axis 'n' value 2.5 must be an integer"),
    ({"memory": [1]}, "axis 'memory' value 1 must be an integer >= 2"),
    ({"seed": [-1]}, "axis 'seed' value -1 must be an integer >= 0"),
    ({"arrival_rate": [float("nan")]}, "axis 'arrival_rate' value nan must be a finite number > 0"),
    ({"arrival_rate": [0]}, "axis 'arrival_rate' value 0 must be a finite number > 0"),
    ({"policy": [3]}, "axis 'policy' value 3 must be a name"),
    ({"policy": []}, "sweep axis 'policy' is an empty list"),
    ({"prediction": ["overlap:2"]}, r"axis 'prediction': prediction 'overlap:2': x = 2 must be in \[0, 1\)"),
])
def test_config_is_checked_at_the_boundary(config, message):
    from lpsched.sweep import check_config

    with pytest.raises(ValueError, match=message):
        check_config(config)


def test_cli_predictions_join_every_cell_of_the_prediction_axis(tmp_path, capsys):
    from lpsched.cli import main

    cfg = tmp_path / "g.json"
    cfg.write_text(json.dumps({"policy": ["amin", "tie", "sf_point"], "n": [60], "memory": [2000]}))
    out = tmp_path / "r.csv"
    assert main(["sweep", str(cfg), "--out", str(out), "--backend", "serial", "--intervals", "buckets",
                 "--point", "0.5", "--logt", "0.8", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    rows = read_results(out)
    assert summary["errors"] == 0 and {r["prediction"] for r in rows} == {"buckets+point:0.5+logt:0.8"}

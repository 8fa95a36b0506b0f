import json

import pytest

from lpsched.cli import main


def test_simulate_json(capsys):
    assert main(["simulate", "--workload", "uniform", "--n", "12", "--seed", "3", "--json", "-p", "hsf"]) == 0
    out = json.loads(capsys.readouterr().out)
    row = out["rows"][0]
    assert row["policy"] == "hsf" and row["n"] == 12 and row["tct"] > 0


def test_simulate_schedule_out_and_csv(tmp_path, capsys):
    path = tmp_path / "s.csv"
    assert main(["simulate", "--trace", "conv", "--n", "50", "--csv", "--schedule-out", str(path)]) == 0
    assert capsys.readouterr().out.startswith("policy,engine")
    assert len(path.read_text().splitlines()) == 51


def test_compare_table(capsys):
    assert main(["compare", "--workload", "lmsys", "--n", "300", "--memory", "2000", "--arrival-rate", "0.5",
                 "-p", "fcfs,mcsf,vllm"]) == 0
    out = capsys.readouterr().out
    for name in ("fcfs", "mcsf", "vllm", "mean_latency"):
        assert name in out


def test_trace_summary(capsys):
    assert main(["trace", "code", "--json"]) == 0
    summ = json.loads(capsys.readouterr().out)
    assert summ["requests"] == 8819
    assert main(["trace", "conv"]) == 0
    assert "requests: 19366" in capsys.readouterr().out


def test_errors_are_clear(capsys, tmp_path):
    assert main(["simulate", "-p", "nope", "--n", "5"]) == 2
    assert "unknown policy 'nope'; valid policies:" in capsys.readouterr().err
    bad = tmp_path / "b.csv"
    bad.write_text("prompt,output\n1,2\n3,-4\n")
    assert main(["simulate", "--trace", str(bad)]) == 2
    assert "b.csv, line 3: column 'output' = '-4' must be >= 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["simulate", "--workload", "bogus"])


def test_compare_defaults_to_every_policy_with_an_affordable_sorted_f(capsys):
    assert main(["compare", "--trace", "conv", "--n", "300", "--json"]) == 0
    rows = {r["policy"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert "sorted_f[local_swap]" in rows and rows["mcsf"]["tct"] > 0
    assert "needs interval predictions" in rows["amin"]["error"]

import json
from pathlib import Path

import pytest

from lpsched.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def test_simulate_json(capsys):
    assert main(["simulate", "--workload", "uniform", "--n", "12", "--seed", "3", "--json", "-p", "hsf"]) == 0
    out = json.loads(capsys.readouterr().out)
    row = out["rows"][0]
    assert row["policy"] == "hsf" and row["n"] == 12 and row["tct"] > 0
    assert out["predictions"] == "none"


def test_simulate_a_prediction_policy_attaches_defaults_and_says_so(capsys):
    assert main(["simulate", "-p", "amin", "--workload", "lmsys", "--n", "300", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows"][0]["policy"] == "amin" and out["rows"][0]["n"] == 300
    assert "buckets of width 100" in out["predictions"] and "defaults used" in out["predictions"]
    assert main(["simulate", "-p", "amax", "--n", "200", "--intervals", "overlap:0.1", "--seed", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["predictions"].startswith("intervals: overlap [(1 - 0.1) o, (1 + 0.1) o]") and "seed 2" in out["predictions"]
    assert main(["simulate", "-p", "tie", "--n", "100", "--logt", "0.5", "--json"]) == 0
    assert "sigma 0.5" in json.loads(capsys.readouterr().out)["predictions"]


def test_simulate_schedule_out_and_csv(tmp_path, capsys):
    path = tmp_path / "s.csv"
    assert main(["simulate", "--trace", "conv", "--n", "50", "--csv", "--schedule-out", str(path)]) == 0
    assert capsys.readouterr().out.startswith("policy,engine")
    assert len(path.read_text().splitlines()) == 51


def test_compare_table(capsys):
    assert main(["compare", "--workload", "lmsys", "--n", "300", "--memory", "2000", "--arrival-rate", "0.5",
                 "-p", "fcfs,mcsf,vllm"]) == 0
    out = capsys.readouterr().out
    for name in ("fcfs", "mcsf", "vllm", "mean_latency", "predictions:"):
        assert name in out


def test_trace_summary(capsys):
    assert main(["trace", "code", "--json"]) == 0
    summ = json.loads(capsys.readouterr().out)
    assert summ["requests"] == 8819 and summ["reading"]["format"] == "azure"
    assert main(["trace", "conv"]) == 0
    assert "requests: 19366" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["azure2023_conv.csv", "azure2024_conv.csv", "mooncake_conversation.jsonl",
                                  "burstgpt.csv", "vidur_splitwise_conv.csv", "sharegpt_llmservingsim.jsonl"])
def test_every_public_format_runs_every_policy_from_the_cli(name, capsys):
    assert main(["trace", str(FIXTURES / name), "--memory", "auto"]) == 0
    assert "M = auto" in capsys.readouterr().out
    assert main(["compare", "--trace", str(FIXTURES / name), "--memory", "auto", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    from lpsched import available_policies

    assert {r["policy"].split("[")[0] for r in out["rows"]} == set(available_policies())
    assert all(not r.get("error") for r in out["rows"]), [r for r in out["rows"] if r.get("error")]
    assert "M = auto" in out["trace"] and "defaults used" in out["predictions"]


def test_trace_options_from_the_cli(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("in,out,t_ns\n5,3,0\n7,2,20000000\n")
    assert main(["simulate", "--trace", str(path), "--columns", "prompt=in,output=out,arrival=t_ns", "--time-unit",
                 "ns", "--json", "-M", "auto"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "arrivals in ns -> steps at 100 steps/s" in out["trace"] and "M = auto = 9" in out["trace"]
    assert main(["simulate", "--trace", str(FIXTURES / "mooncake_conversation.jsonl"), "--drop-oversize", "--json"]) == 0
    assert "8 requests with s + o > M dropped" in json.loads(capsys.readouterr().out)["trace"]
    assert main(["simulate", "--columns", "prompt=a,output=b"]) == 2
    assert "--columns apply to --trace only" in capsys.readouterr().err
    assert main(["simulate", "--memory", "auto"]) == 2
    assert "--memory auto needs --trace" in capsys.readouterr().err


def test_errors_are_clear(capsys, tmp_path):
    assert main(["simulate", "-p", "nope", "--n", "5"]) == 2
    assert "unknown policy 'nope'; valid policies:" in capsys.readouterr().err
    bad = tmp_path / "b.csv"
    bad.write_text("prompt,output\n1,2\n3,-4\n")
    assert main(["simulate", "--trace", str(bad)]) == 2
    assert "b.csv, line 3, column 'output': value '-4' must be >= 1" in capsys.readouterr().err
    nan = tmp_path / "nan.csv"
    nan.write_text("prompt,output,arrival\n1,2,0\n3,4,nan\n")
    assert main(["simulate", "--trace", str(nan)]) == 2
    assert "nan.csv, line 3, column 'arrival': value 'nan' is not a finite time" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["simulate", "--workload", "bogus"])


@pytest.mark.parametrize("argv, message", [
    (["simulate", "-M", "0"], "argument --memory/-M: '0' is neither an integer >= 2"),
    (["simulate", "--n", "0"], "argument --n: '0' must be an integer >= 1"),
    (["simulate", "--n", "-3"], "argument --n: '-3' must be an integer >= 1"),
    (["simulate", "--n", "true"], "argument --n: 'true' is not an integer"),
    (["simulate", "--n", "1e3"], "argument --n: '1e3' is not an integer"),
    (["simulate", "--seed", "-1"], "argument --seed: '-1' must be an integer >= 0"),
    (["simulate", "--arrival-rate", "nan"], "argument --arrival-rate: 'nan' must be a finite number > 0"),
    (["simulate", "--arrival-rate", "0"], "argument --arrival-rate: '0' must be a finite number > 0"),
    (["simulate", "--steps-per-second", "inf"], "argument --steps-per-second: 'inf' must be a finite number > 0"),
    (["simulate", "--point", "-0.5"], "argument --point: '-0.5' must be a finite number >= 0"),
    (["simulate", "--logt", "0"], "argument --logt: '0' must be a finite number > 0"),
    (["simulate", "--intervals", "overlap:1.5"], r"argument --intervals: prediction 'overlap:1.5': x = 1.5 must be in [0, 1)"),
    (["compare", "--intervals", "point:0.5"], "argument --intervals: 'point:0.5' is not one interval kind"),
    (["trace", "conv", "-M", "NaN"], "argument --memory/-M: 'NaN' is neither an integer >= 2"),
    (["sweep", "g.json", "--out", "x.csv", "--jobs", "0"], "argument --jobs: '0' must be an integer >= 1"),
    (["adversary", "-p", "sf", "--iterations", "0"], "argument --iterations: '0' must be an integer >= 1"),
    (["adversary", "-p", "sf", "--time-budget", "-1"], "argument --time-budget: '-1' must be a finite number > 0"),
    (["cr", "0"], "argument u: '0' must be an integer >= 1"),
    (["cr", "4", "--lower", "nan"], "argument --lower: 'nan' is not an integer >= 1"),
    (["sortedf-study", "w3", "--M", "0"], "argument --M: '0' must be an integer >= 2"),
    (["sortedf-study", "w6", "--trials", "0"], "argument --trials: '0' must be an integer >= 1"),
    (["sortedf-select", "--eps", "inf"], "argument --eps: 'inf' must be a finite number > 0 and <= 10"),
    (["uncertainty", "c2", "--seeds", "0"], "argument --seeds: '0' must be an integer >= 1"),
    (["uncertainty", "t1", "--sigma", "-1"], "argument --sigma: '-1' must be a finite number > 0"),
    (["uncertainty", "c3", "--s-over-l", "0"], "argument --s-over-l: '0' must be a finite number > 0"),
])
def test_every_cli_number_is_checked_at_the_boundary(argv, message, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("argv, message", [
    (["adversary", "-p", "sf", "--param", "bogus=1"], "unknown option 'bogus' of family 'random'; valid: n, memory"),
    (["adversary", "-p", "sf", "--param", "n=true"], "family option n = True must be an integer"),
    (["adversary", "-p", "amin", "--iterations", "4", "--restarts", "1"], "needs interval predictions"),
    (["cr", "4", "--lower", "5"], "--lower 5 must be <= u = 4"),
    (["cr", "--fit", "10"], "give at least two different u"),
    (["uncertainty", "t1", "--sigma", "0.1", "0.2", "0.3"], "--sigma takes one spread or two"),
])
def test_bad_combinations_are_one_line_errors(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_json_outputs_are_valid_json(capsys):
    assert main(["cr", "4", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)["rows"][0]
    assert isinstance(row["value"], float) and abs(row["value"] - 1.465872835) < 1e-9
    assert main(["sortedf-study", "w4", "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["rule_equivalent"] is True and meta["difference"] == "-n1*o2 + n2*o1"


def test_sweep_grid_that_is_not_an_object(tmp_path, capsys):
    path = tmp_path / "g.json"
    path.write_text("[1, 2]")
    assert main(["sweep", str(path), "--out", str(tmp_path / "r.csv")]) == 2
    assert "expected a JSON object (axis -> list of values), got a list" in capsys.readouterr().err
    path.write_text('{"n": [0]}')
    assert main(["sweep", str(path), "--out", str(tmp_path / "r.csv")]) == 2
    assert "axis 'n' value 0 must be an integer >= 1" in capsys.readouterr().err


def test_compare_defaults_to_every_policy_with_no_error_row(capsys):
    assert main(["compare", "--trace", "conv", "--n", "300", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {r["policy"]: r for r in out["rows"]}
    assert "sorted_f[local_swap]" in rows and rows["mcsf"]["tct"] > 0
    assert all(not r.get("error") for r in rows.values())
    assert "identical results" in out and "hsf = mcsf = sf" in out["identical results"]


def test_progress_bars_only_on_a_terminal(capsys):
    assert main(["simulate", "--n", "20000", "-p", "mcsf"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "it/s" not in err and "req/s" not in err

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
    assert "status: optimal" in out and "tct: 11" in out and "lower bounds: alone = 7, area = 10, chain = 10, head = 11, lp = 11" in out
    assert main(["opt", str(path), "--backend", "bruteforce", "--objective", "makespan", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["objective"] == 5 and d["status"] == "optimal" and d["lower_bounds"]["best"] <= 5
    assert main(["opt", "--jaillet", "5", "--seed", "2", "--formulation", "interval", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "optimal"


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
    assert "W2    literal" in out and "refuted" in out and "holds" in out

import numpy as np
import pytest

from lpsched import simulate, validate
from lpsched.cli import main
from lpsched.ratio import competitive_ratio
from lpsched.studies.uncertainty import (amax_lower_instance, apportion, bucketed_amin, curve, eigen_instance,
                                         logt_workload, prediction_settings_table, ratio_vs_hsf, tie_table)


def test_apportion():
    assert apportion([1, 1, 2], 8).tolist() == [2, 2, 4]
    assert apportion([0.3, 0.7], 3).sum() == 3
    with pytest.raises(ValueError):
        apportion([0, 0], 3)


def test_amax_lower_instance_counts():
    inst = amax_lower_instance(10, 40, 5, memory=200)
    assert (inst.o == 10).sum() == 10 and (inst.o == 40).sum() == 5      # N_l / N_u = (40/10)^(1/2)
    assert inst.predictions.lower.tolist() == [10] * 15 and inst.predictions.upper.tolist() == [40] * 15


def test_eigen_instance_follows_maximiser():
    inst = eigen_instance(1, 4, 1000, memory=100)
    x = competitive_ratio(4).vector
    counts = np.array([(inst.o == k).sum() for k in range(1, 5)])
    assert np.abs(counts / 1000 - x).max() < 1e-3
    sh = eigen_instance(1, 4, 1000, memory=100, scale=3, shuffle=1)
    assert sorted(sh.o.tolist()) == sorted((3 * inst.o).tolist()) and sh.o.tolist() != sorted(sh.o.tolist())


def test_ratio_vs_hsf_and_curve():
    inst = eigen_instance(1, 2, 200, memory=50)
    r = ratio_vs_hsf(inst, "amin", seeds=range(2))
    assert r.ratio >= 0.9 and r.seeds == 2
    df = curve("eigen", "amin", [40], l=1, u=2, ties=("index",), batches=3)
    assert df["ratio"].iloc[0] == pytest.approx(ratio_vs_hsf(eigen_instance(1, 2, int(df["n"].iloc[0]), 40),
                                                            "amin", [0], tie="index").ratio)
    with pytest.raises(ValueError, match="unknown family"):
        curve("nope", "amin", [40], l=1, u=2)


def test_c8_c7_t1_tables_small():
    from lpsched.workloads import lmsys_like
    inst = lmsys_like(60, memory=3000, seed=1)
    tab = prediction_settings_table(inst)
    assert list(tab.index) == ["rough", "buckets", "overlap(0.1)", "overlap(0.95)", "overlap(0.99)"]
    assert (tab["amax/hsf"] > 0).all()
    b = bucketed_amin(inst, [50, 200], seeds=[0])
    assert len(b) == 3
    lt = logt_workload(80, 2000, seed=2)
    assert lt.predictions.mu is not None and lt.o.max() <= 2000 - lt.s.min()
    t = tie_table(lt)
    assert set(t.index) == {"tie", "sf_point", "fcfs", "vllm"}
    validate(simulate(lt, "tie").schedule)


def test_cli_cr(capsys):
    assert main(["cr", "10"]) == 0
    out = capsys.readouterr().out
    assert "1.724924022" in out and "True" in out
    assert main(["cr", "4", "--json"]) == 0
    assert '"value": "1.465872835"' in capsys.readouterr().out
    assert main(["cr", "--fit", "10", "100", "1000"]) == 0
    assert "ln u" in capsys.readouterr().out
    assert main(["cr", "3", "--lower", "5"]) == 2
    assert "lower = 5 must be <= u = 3" in capsys.readouterr().err


def test_cli_uncertainty(capsys):
    assert main(["uncertainty", "c3", "--memory", "40", "--ties", "index", "--batches", "3"]) == 0
    out = capsys.readouterr().out
    assert "value: 1.25" in out
    assert main(["uncertainty", "t1", "--n", "50", "--memory", "2000"]) == 0
    assert "sf_point" in capsys.readouterr().out


def test_fluid_forms_consistent_with_ratio():
    from lpsched.studies.uncertainty import fluid_forms
    inst = eigen_instance(1, 4, 600, memory=200, scale=3)
    p = ratio_vs_hsf(inst, "amin", seeds=[0])
    f = fluid_forms(inst, 1, 4, 3, p.tel_hsf, p.tel_policy)
    value = competitive_ratio(4).value
    counts = np.array([(inst.o == 3 * k).sum() for k in range(1, 5)], float)
    from lpsched.ratio import dense_matrices
    A, B = dense_matrices([1, 2, 3, 4])
    q = counts @ A @ counts / (counts @ B @ counts)        # the quotient at the rounded counts
    assert p.ratio == pytest.approx(q * f["policy_vs_form"] / f["hsf_vs_form"], rel=1e-12)
    assert abs(q - value) < 1e-3
    assert 0.5 < f["hsf_vs_form"] < 2 and 0.5 < f["policy_vs_form"] < 2

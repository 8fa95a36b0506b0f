import numpy as np
import pytest

from lpsched import simulate, validate
from lpsched.cli import main
from lpsched.ratio import competitive_ratio
from lpsched.studies.uncertainty import (SIZES, C2Search, amax_lower_instance, apportion, batch_fluid_ratio,
                                         bucketed_amin, c2_counts, c2_curve, c2_search, c3_curve, c3_scale, curve,
                                         discarded_work, eigen_instance, logt_workload, mixed_instance,
                                         prediction_settings_table, ratio_vs_hsf, tie_table)


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
    import json

    (row,) = json.loads(capsys.readouterr().out)["rows"]
    assert row["value"] == pytest.approx(1.465872835, abs=1e-9)
    assert main(["cr", "--fit", "10", "100", "1000"]) == 0
    assert "ln u" in capsys.readouterr().out
    assert main(["cr", "3", "--lower", "5"]) == 2
    assert "--lower 5 must be <= u = 3" in capsys.readouterr().err


def test_cli_uncertainty(capsys):
    # legacy form of c3: absolute --memory on the index set {l..u} (default {1, 2})
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


# --------------------------------------------------------------------------------------------- C2 / C3


def test_mixed_instance_orders_and_errors():
    assert mixed_instance([1, 4], [2, 1], 20, l=1, u=4).o.tolist() == [1, 1, 4]
    assert mixed_instance([1, 4], [2, 1], 20, l=1, u=4, order="reversed").o.tolist() == [4, 1, 1]
    sh = mixed_instance([1, 2, 3, 4], [5, 5, 5, 5], 40, l=1, u=4, order="shuffled", seed=2)
    assert sorted(sh.o.tolist()) == [1] * 5 + [2] * 5 + [3] * 5 + [4] * 5
    assert sh.o.tolist() == mixed_instance([1, 2, 3, 4], [5] * 4, 40, l=1, u=4, order="shuffled", seed=2).o.tolist()
    with pytest.raises(ValueError, match="length 5 lies outside the interval"):
        mixed_instance([5], [1], 20, l=1, u=4)
    with pytest.raises(ValueError, match="unknown order 'up'"):
        mixed_instance([1], [1], 20, l=1, u=4, order="up")
    assert (amax_lower_instance(1, 4, 3, 20, nl_over_nu=30).o == 1).sum() == 90


def test_batch_fluid_ratio_meets_the_lower_bound_only_at_alpha_quarter():
    from lpsched.ratio import amax_lower_bound, amax_upper_bound
    assert batch_fluid_ratio(0.25, 2) == pytest.approx(amax_lower_bound(0.25))         # 6 = 6
    assert batch_fluid_ratio(1 / 9, 3) == pytest.approx(13.5) and 13.5 < amax_lower_bound(1 / 9) == 18
    assert batch_fluid_ratio(0.25, 1e9) == pytest.approx(16) and 16 > amax_upper_bound(0.25)  # sup alpha^-2
    with pytest.raises(ValueError, match="alpha"):
        batch_fluid_ratio(0, 1)


# The C2 instance by hand: M = 10, s = 1, [l, u] = [1, 4]; A_max starts floor(10 / 5) = 2 on an empty
# memory, batches = 2 gives n = 4, N_l / N_u = 3 gives o = 1, 1, 1, 4.
# * H-SF starts everyone at 0 (3 x 2 + 2 = 8 <= 10 at t' = 1, 5 at t' = 4): TEL = 1 + 1 + 1 + 4 = 7.
# * adversarial ties (longest first): t = 0 starts the 4 and one 1.  refill: at t = 1 the 4 (5 tokens at
#   t' = 4) leaves room for one more (5 + 4 = 9 <= 10), at t = 2 again: TEL = 4 + 1 + 2 + 3 = 10;
#   batch: the two others wait for t = 4: TEL = 4 + 1 + 5 + 5 = 15.
# * index ties (shortest first): two 1s at 0, then the last 1 and the 4 at t = 1 under both readings
#   (nothing runs at t = 1): TEL = 1 + 1 + 2 + 5 = 9.
def test_c2_curve_by_hand():
    assert c2_counts(10, l=1, u=4, s=1, nl_over_nu=3, batches=2) == (3, 1)
    df = c2_curve([10], l=1, u=4, s=1, nl_over_nu=3, ties=("adversarial", "index"), batches=2, seeds=[0])
    got = {(r.reading, r.tie): r.ratio for r in df.itertuples()}
    assert got == pytest.approx({("refill", "adversarial"): 10 / 7, ("batch", "adversarial"): 15 / 7,
                                 ("refill", "index"): 9 / 7, ("batch", "index"): 9 / 7})
    assert set(df.tel_hsf) == {7.0} and set(df.lower) == {6.0} and set(df.upper) == {10.0}
    assert {"reading", "l", "u", "s", "M", "n", "nl_over_nu", "tie", "ratio", "lower", "upper"} <= set(df.columns)
    with pytest.raises(ValueError, match="unknown reading 'both'"):
        c2_curve([10], l=1, u=4, readings=("both",))
    with pytest.raises(ValueError, match="memory = 4 is smaller than s \\+ u = 5"):
        c2_curve([4], l=1, u=4)


def test_c2_curve_several_ratios_and_random_ties():
    df = c2_curve([2005], l=100, u=400, nl_over_nu=(None, 8), ties=("random",), batches=3, seeds=range(2))
    assert sorted(set(df.nl_over_nu_target)) == [2.0, 8.0] and set(df.seeds) == {2}
    # the batch reading leaves memory idle until the longest request of a batch ends: never better here
    wide = df.pivot_table(index="nl_over_nu_target", columns="reading", values="ratio")
    assert (wide["batch"] > wide["refill"]).all()


def test_c2_search_finds_and_rebuilds_the_worst():
    res = c2_search(10, l=1, u=4, ratios=(1, 3), middles=(2,), step=2, ties=("adversarial", "index"), batches=2,
                    seeds=[0])
    assert isinstance(res, C2Search)
    # (2 ratios + 3 mixes (w_l, w_m, w_u) in {(0,2,0), (0,1,1), (1,1,0)}) x 2 readings x 2 ties
    assert len(res.table) == (2 + 3) * 2 * 2
    for reading in ("refill", "batch"):
        assert res.worst.loc[reading].ratio == res.table[res.table.reading == reading].ratio.max()
        par = res.params(reading)
        again = ratio_vs_hsf(res.instance(reading), "amax", par["seeds"], tie=par["tie"], reading=reading)
        assert again.ratio == pytest.approx(par["ratio"])
    assert res.worst.loc["batch"].ratio == pytest.approx(15 / 7)     # the hand-solved instance above
    with pytest.raises(ValueError, match="middle length 4 must lie strictly inside"):
        c2_search(10, l=1, u=4, middles=(4,))


def test_discarded_work_by_hand():
    from lpsched import Instance, Predictions
    slides = Instance(6, s=[2, 2, 2, 2], o=[1, 1, 2, 3], predictions=Predictions(lower=[1] * 4, upper=[4] * 4))
    d = discarded_work(simulate(slides, "amin", tie="index").schedule)
    # the run of request 2 evicted at t = 2 after 1 step (s = 2): 1 token, 2 + 1 = 3 token-steps; useful:
    # sum o s + o (o + 1) / 2 = 14 + 11 = 25
    assert (d["wasted_tokens"], d["useful_tokens"], d["wasted_memtime"], d["useful_memtime"]) == (1, 7, 3, 25)
    assert d["memtime_share"] == pytest.approx(3 / 25)
    assert discarded_work(simulate(slides, "hsf").schedule)["memtime_share"] == 0


def test_c3_curve_small():
    assert c3_scale(20, 0.01) == (5, 1)
    df = c3_curve([4, 8], l=10, u_over_l=(2,), s_over_l=(0.1, 0.02), ties=("random", "index"), batches=3,
                  seeds=range(2))
    assert len(df) == 2 * 2 * 2
    assert set(df.quotient_support.round(4)) == {round(competitive_ratio(20, lower=10).value, 4)}
    assert set(df.quotient_1.round(4)) == {1.25}
    assert sorted(set(df.s_over_l)) == [0.02, 0.1] and set(df.u / df.l) == {2.0}
    assert ((df.memtime_share >= 0) & (df.memtime_share < 1)).all() and (df.ratio > 0.9).all()
    row = df[(df.tie == "index") & (df.s_over_l == 0.1) & (df.M_over_u == 4)].iloc[0]
    inst = eigen_instance(10, 20, int(row.n), int(row.M), s=1)
    assert row.ratio == pytest.approx(ratio_vs_hsf(inst, "amin", [0], tie="index").ratio)
    with pytest.raises(ValueError, match="unknown order"):
        c3_curve([4], order="random")


def test_sizes_are_named():
    assert set(SIZES) == {"c2", "c2_search", "c3"}
    assert all(set(v) == {"quick", "full"} for v in SIZES.values())


def test_cli_c2_c3(capsys, tmp_path):
    import json
    assert main(["uncertainty", "c2", "--memory", "10", "--l", "1", "--u", "4", "--nl-nu", "3", "--ties",
                 "adversarial", "--batches", "2", "--seeds", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ratios = {(r["reading"], r["tie"]): r["ratio"] for r in out["rows"]}
    assert ratios == pytest.approx({("refill", "adversarial"): 10 / 7, ("batch", "adversarial"): 15 / 7})
    assert out["claimed_lower"] == 6.0 and out["claimed_upper"] == 10.0
    png = tmp_path / "c2.png"
    assert main(["uncertainty", "c2", "--memory", "2005", "4010", "--reading", "batch", "--nl-nu", "slides",
                 "--ties", "index", "--batches", "2", "--plot", str(png)]) == 0
    assert png.stat().st_size > 0 and "batch/index" in capsys.readouterr().out
    assert main(["uncertainty", "c2", "--search", "--memory", "10", "--l", "1", "--u", "4", "--nl-nu", "3",
                 "--ties", "adversarial", "--batches", "2", "--seeds", "1", "--csv"]) == 0
    assert "reading" in capsys.readouterr().out
    assert main(["uncertainty", "c2", "--nl-nu", "x"]) == 2
    assert "--nl-nu 'x' is not a number" in capsys.readouterr().err
    png = tmp_path / "c3.png"
    assert main(["uncertainty", "c3", "--l", "10", "--u-over-l", "2", "--s-over-l", "0.1", "--m-over-u", "4",
                 "--ties", "index", "--batches", "3", "--csv", "--plot", str(png)]) == 0
    assert "quotient" in capsys.readouterr().out and png.stat().st_size > 0
    assert main(["uncertainty", "c3", "--l", "10", "--u", "25"]) == 2
    assert "--u 25 must be a multiple of --l 10" in capsys.readouterr().err

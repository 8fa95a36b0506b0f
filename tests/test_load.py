import json
import math

import numpy as np
import pandas as pd
import pytest

from lpsched import Instance, simulate, validate
from lpsched.cli import main
from lpsched.studies.load import (at_load, capacity, check_loads, load_curve, measured_knee, memory_time,
                                  queue_test, verdict)
from lpsched.workloads import lmsys_like


def test_capacity_by_hand():
    # memory-time o s + o (o + 1) / 2: (s=2, o=2) -> 4 + 3 = 7, (s=4, o=3) -> 12 + 6 = 18; mean 12.5
    inst = Instance(memory=100, s=[2, 4], o=[2, 3])
    assert memory_time(inst).tolist() == [7.0, 18.0]
    assert capacity(inst) == pytest.approx(100 / 12.5)
    # memory-time is what the memory profile of one run integrates to
    res = simulate(Instance(memory=100, s=[2, 4], o=[2, 3]), "hsf")
    assert validate(res.schedule).memory.sum() == 25


def test_check_loads_rejects_bad_values():
    assert check_loads([0.5, 2, math.inf]) == (0.5, 2.0, math.inf)
    for bad in ([0], [-1.0], [float("nan")], [True], ["1"], [None]):
        with pytest.raises(ValueError, match=r"loads\[0\] = .* must be a number > 0"):
            check_loads(bad)
    with pytest.raises(ValueError, match="loads is empty"):
        check_loads([])
    with pytest.raises(ValueError, match="must be a sequence"):
        check_loads(0.5)


def test_at_load_is_seeded_poisson_at_the_right_rate():
    inst = lmsys_like(2000, memory=3000, seed=0)
    a = at_load(inst, 0.8, seed=3).a
    assert np.array_equal(a, at_load(inst, 0.8, seed=3).a)
    assert (inst.n - 1) / a.max() == pytest.approx(0.8 * capacity(inst), rel=0.06)
    assert at_load(inst, math.inf).a.max() == 0
    with pytest.raises(ValueError, match="load"):
        at_load(inst, 0)


def test_load_curve_tiny_instance():
    inst = lmsys_like(25, memory=2500, seed=2)
    df = load_curve(inst, [0.5, 2.0], seed=1)
    assert {"load", "rate", "setting", "policy", "ratio", "hsf_mean_latency", "arrivals"} <= set(df.columns)
    assert sorted(set(df.load)) == [0.5, 2.0, math.inf]
    assert len(df) == 3 * 5 * 2
    # every number is a real simulation: recompute one cell through simulate (validated schedule)
    from lpsched.predictions import interval_predictions

    row = df[(df.load == 2.0) & (df.setting == "buckets") & (df.policy == "amax")].iloc[0]
    timed = at_load(inst, 2.0, seed=1)
    hsf = simulate(timed, "hsf")
    amax = simulate(timed.with_predictions(interval_predictions(timed.o, "buckets")), "amax", seed=1)
    validate(hsf.schedule), validate(amax.schedule)
    assert row.hsf_mean_latency == pytest.approx(hsf.metrics.mean_latency)
    assert row.ratio == pytest.approx(amax.metrics.mean_latency / hsf.metrics.mean_latency)
    assert row.rate == pytest.approx(2.0 * capacity(inst))
    # deterministic given the seed
    pd.testing.assert_frame_equal(df, load_curve(inst, [0.5, 2.0], seed=1))


def test_load_curve_own_arrivals_and_errors():
    inst = lmsys_like(20, memory=2500, seed=0)
    timed = at_load(inst, 1.0, seed=0)
    df = load_curve(timed, [], include_all_at_zero=False, own_arrivals=True, policies=("amin",))
    assert set(df.arrivals) == {"trace"} and len(df) == 5
    assert df.load.iloc[0] == pytest.approx(inst.n / timed.a.max() / capacity(inst))
    with pytest.raises(ValueError, match="arrives at the same time"):
        load_curve(inst, [1.0], own_arrivals=True)
    with pytest.raises(ValueError, match=r"loads\[0\] = False"):
        load_curve(inst, [False])


def test_queue_test_bounded_below_and_growing_above():
    q = queue_test(lmsys_like(400, memory=3000, seed=0), [0.5, 3.0])
    assert q.grows.tolist() == [False, True]
    assert q.backlog_growth.iloc[1] == pytest.approx(q.offered.iloc[1] - q.utilization.iloc[1], abs=0.1)
    k = measured_knee(q)
    assert k.last_bounded == 0.5 and k.first_growing == 3.0 and 0 < k.throughput <= 1


def _frame(rows):
    out = []
    for load, amin, amax in rows:
        for setting, a in zip(["rough", "buckets", "overlap(0.1)", "overlap(0.95)", "overlap(0.99)"], amax):
            out += [(load, setting, "amin", amin), (load, setting, "amax", a)]
    return pd.DataFrame(out, columns=["load", "setting", "policy", "ratio"])


def test_verdict_on_constructed_frame():
    df = _frame([(0.5, 1.0, (1.0, 1.0, 1.0, 1.0, 1.0)),          # no contention: A_max does not degrade
                 (0.9, 1.02, (40, 1.3, 1.0, 1.3, 1.35)),          # the claim's picture
                 (math.inf, 2.3, (17, 1.4, 1.06, 1.6, 1.7))])     # overload: A_min far from H-SF
    v = verdict(df)
    assert v.loads("amin_close") == [0.5, 0.9]
    assert v.loads("amax_degrades") == [0.9, math.inf]
    assert v.loads("reproduced") == [0.9]
    row = v.table.set_index("load").loc[0.9]
    assert row["amax_rough/buckets"] == pytest.approx(40 / 1.3)
    assert row["amax_0.99/0.1"] == pytest.approx(1.35)
    assert "both (claim reproduced) at [0.9]" in v.summary()
    # thresholds are parameters, reported back
    assert verdict(df, close=3.0).loads("reproduced") == [0.9, math.inf]
    with pytest.raises(ValueError, match="close = 0"):
        verdict(df, close=0)
    with pytest.raises(ValueError, match="no amax ratio for settings"):
        verdict(df[~((df.policy == "amax") & (df.setting == "rough"))])


def test_cli_c8_loads_json_and_plot(capsys, tmp_path):
    png = tmp_path / "c8.png"
    assert main(["uncertainty", "c8", "--n", "30", "--memory", "2500", "--loads", "0.5", "inf",
                 "--plot", str(png), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["capacity_requests_per_step"] > 0 and "A_min/H-SF (stop) <= 1.1" in out["verdict"]
    rows = out["rows"]
    assert len(rows) == 2 * 5 * 2
    assert {r["arrivals"] for r in rows} == {"poisson", "all at 0"}
    assert all(r["ratio"] > 0 for r in rows)
    assert png.stat().st_size > 10_000
    assert main(["uncertainty", "c8", "--n", "30", "--loads", "0"]) == 2
    assert "--loads[0] = 0.0 must be a number > 0" in capsys.readouterr().err
    assert main(["uncertainty", "c8", "--n", "30", "--loads", "trace"]) == 2
    assert "needs --trace" in capsys.readouterr().err

import numpy as np
import pytest

from lpsched import Instance, Schedule, ScheduleError, metrics, validate
from lpsched.schedule import memory_profile

from strategies import WORKED


def test_worked_example_hsf_schedule_is_valid_with_tct_11():
    inst = Instance(**WORKED)
    sch = Schedule(inst, [0, 0, 1, 3])
    assert validate(sch).peak_memory == 6
    assert metrics(sch).tct == 11


def test_worked_example_bad_schedule_rejected():
    """Starting the o = 2 request at 0 beside the two o = 1 ones needs 9 > 6 tokens at t = 1."""
    inst = Instance(**WORKED)
    with pytest.raises(ScheduleError, match=r"memory at t = 1 is 9 > M = 6"):
        validate(Schedule(inst, [0, 0, 0, 3]))


def test_one_at_a_time_order_2_1_3_1_costs_18():
    inst = Instance(**WORKED)
    # order o = 2, 1, 3, 1 one at a time: request 2 at 0, request 0 at 2, request 3 at 3, request 1 at 6
    assert metrics(Schedule(inst, [2, 6, 0, 3])).tct == 18


@pytest.mark.parametrize("inst_kw, start, evictions, message", [
    (dict(memory=10, s=[1], o=[2], a=[3]), [2], [], "request 0 starts at 2 before its arrival a = 3"),
    (dict(memory=10, s=[1], o=[3]), [5], [[0, 0, 3]], "ran 3 >= o = 3 steps: it completed"),
    (dict(memory=10, s=[1], o=[3]), [5], [[0, 2, 2]], "must run at least one step"),
    (dict(memory=10, s=[1], o=[3], a=[1]), [5], [[0, 0, 1]], "evicted run of request 0 starts at 0 before its arrival"),
    (dict(memory=10, s=[1], o=[4]), [1], [[0, 0, 2]], "request 0 has overlapping runs"),
    (dict(memory=10, s=[1], o=[2]), [0], [[0, 3, 4]], "a later run was evicted at 4"),
    (dict(memory=10, s=[1], o=[2]), [0], [[1, 0, 1]], "names request 1, not in 0..0"),
    (dict(memory=10, s=[4, 4], o=[3, 3]), [0, 1], [], r"memory at t = 2 is 11 > M = 10"),
])
def test_hand_made_infeasible_schedules(inst_kw, start, evictions, message):
    inst = Instance(**inst_kw)
    with pytest.raises(ScheduleError, match=message):
        validate(Schedule(inst, start, np.array(evictions, dtype=np.int64).reshape(-1, 3)))


def test_negative_or_wrong_length_start_rejected():
    inst = Instance(10, [1, 1], [1, 1])
    with pytest.raises(ScheduleError, match="has 1 entries"):
        Schedule(inst, [0])
    with pytest.raises(ScheduleError, match=r"schedule start\[1\] = -1"):
        Schedule(inst, [0, -1])


def test_evicted_runs_count_memory_and_waste():
    # request 0 runs 0..2 (evicted at 2), restarts at 2; request 1 runs alone at first
    inst = Instance(10, [3, 2], [3, 2])
    sch = Schedule(inst, [2, 0], [[0, 0, 2]])
    val = validate(sch)
    # t=1: 4 + 3 = 7; t=2: 5 + 4 = 9; t=3: 4; t=4: 5; t=5: 6
    assert val.memory.tolist() == [0, 7, 9, 4, 5, 6]
    m = metrics(sch, val)
    assert (m.evictions, m.wasted_tokens, m.tct, m.makespan) == (1, 2, 7, 5)


def test_memory_profile_matches_direct_count():
    rng = np.random.default_rng(0)
    inst = Instance(1000, rng.integers(1, 20, 30), rng.integers(1, 20, 30))
    start = rng.integers(0, 50, 30)
    sch = Schedule(inst, start)
    req, beg, end = sch.runs()
    prof = memory_profile(inst, req, beg, end)
    for t in range(len(prof)):
        direct = sum(inst.s[i] + t - beg[k] for k, i in enumerate(req) if beg[k] < t <= end[k])
        assert prof[t] == direct


def test_metrics_with_arrivals():
    inst = Instance(20, [1, 1, 1], [2, 4, 1], [0, 1, 5])
    m = metrics(Schedule(inst, [0, 1, 6]))
    assert m.tct == 2 + 5 + 7 and m.tel == 2 + 4 + 2 and m.makespan == 7
    assert m.per_token_latency_mean == pytest.approx((1 + 1 + 2) / 3)
    frame = Schedule(inst, [0, 1, 6]).to_frame()
    assert frame["latency"].tolist() == [2, 4, 2]

"""Hand-solved instances for the baseline policies, and the registry's errors."""

import pytest

from lpsched import Instance, InstanceError, make_policy, simulate
from lpsched.policies import available, register

from strategies import WORKED


def starts(inst, policy, **kw):
    res = simulate(inst, policy, **kw)
    return res.schedule.start.tolist(), res.metrics.tct


def test_hsf_worked_example_total_11():
    assert starts(Instance(**WORKED), "hsf") == ([0, 0, 1, 3], 11)


def test_fcfs_blocks_behind_the_head_and_mcsf_does_not():
    inst = Instance(10, [5, 5], [5, 1])
    assert starts(inst, "fcfs") == ([0, 5], 11)
    assert starts(inst, "mcsf") == ([1, 0], 7)


def test_fcfs_follows_arrival_order():
    inst = Instance(10, [5, 5], [1, 5], a=[3, 0])
    assert starts(inst, "fcfs") == ([5, 0], 5 + 6)


def test_mcsf_with_over_estimates_is_more_cautious():
    inst = Instance(12, [2, 2, 2], [2, 2, 2])
    # true lengths: all three start at 0 (peak 3 * 4 = 12)
    assert starts(inst, "mcsf")[0] == [0, 0, 0]
    # believing o = 4: 2 + 4 = 6 each, two fit; the third waits for an actual completion at 2
    assert starts(inst, "mcsf", estimate=[4, 4, 4])[0] == [0, 0, 2]


def test_mcsf_estimate_is_validated():
    inst = Instance(12, [2, 2], [3, 3])
    with pytest.raises(InstanceError, match=r"estimate\[1\] = 2 must satisfy o = 3 <= estimate"):
        simulate(inst, "mcsf", estimate=[3, 2])
    with pytest.raises(InstanceError, match="estimate has 1 entries, instance has 2"):
        simulate(inst, "mcsf", estimate=[3])


def test_vllm_evicts_most_recent_and_restarts():
    inst = Instance(10, [3, 3], [3, 3])
    res = simulate(inst, "vllm")
    assert res.schedule.start.tolist() == [0, 3]
    assert res.schedule.evictions.tolist() == [[1, 0, 2]]
    assert (res.metrics.tct, res.metrics.evictions, res.metrics.wasted_tokens) == (9, 1, 2)


def test_vllm_never_reads_o():
    assert make_policy("vllm").clairvoyant is False


def test_registry():
    assert {"fcfs", "mcsf", "sf", "hsf", "vllm"} <= set(available())
    with pytest.raises(ValueError, match="unknown policy 'x'; valid policies: "):
        make_policy("x")
    with pytest.raises(ValueError, match="registered twice"):
        register("mcsf")(lambda: None)
    with pytest.raises(TypeError):
        make_policy("hsf", estimate=[1])
    pol = make_policy("mcsf")
    assert make_policy(pol) is pol
    with pytest.raises(ValueError, match="options can only be given with a policy name"):
        make_policy(pol, estimate=[1])

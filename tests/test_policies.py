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


# ------------------------------------------------------------------------------------------ scan = skip
def test_skip_starts_a_small_request_behind_a_blocked_head():
    """M = 10.  Request 0 (s = 4, o = 4) runs from 0 and holds 5..8 tokens at 1..4.  At 1, request 1
    (s = 5, o = 1) would hold 6 at 2 beside 6: 12 > 10; it fits only at 4, when request 0 completes.
    Request 2 (s = 1, o = 2) would hold 2, 3 at 2, 3 beside 6, 7: it fits at 1.  H-SF's order puts
    request 1 (o = 1) first: the stop scan waits for it, the skip scan starts request 2 at once."""
    inst = Instance(10, [4, 5, 1], [4, 1, 2], a=[0, 1, 1])
    assert simulate(inst, "hsf").schedule.start.tolist() == [0, 4, 4]
    res = simulate(inst, "hsf", scan="skip")
    assert res.schedule.start.tolist() == [0, 4, 1] and res.policy == "hsf[skip]"
    assert (simulate(inst, "hsf").metrics.tel, res.metrics.tel) == (4 + 4 + 5, 4 + 4 + 2)   # C = 4, 5, 6 vs 4, 5, 3


def test_fcfs_skip_backfills():
    """M = 12: request 1 (s = 6) cannot join request 0 (s = 6, holding 7, 8, 9 at 1..3) before 3; request
    2 (s = 1, o = 1), arriving at 2, holds 2 at 3 beside 9: it fits at 2.  fcfs waits behind request 1."""
    inst = Instance(12, [6, 6, 1], [3, 1, 1], a=[0, 1, 2])
    assert simulate(inst, "fcfs").schedule.start.tolist() == [0, 3, 3]
    assert simulate(inst, "fcfs[skip]").schedule.start.tolist() == [0, 3, 2]
    assert simulate(inst, "priority", scan="skip", priority=[0, 0, 1]).schedule.start.tolist() == [0, 3, 2]


def test_scan_option_is_validated_and_named():
    with pytest.raises(ValueError, match="scan = 'jump'; valid: 'stop', 'skip'"):
        make_policy("hsf", scan="jump")
    assert [make_policy(n, scan="skip").name for n in ("mcsf", "sf", "hsf", "fcfs")] == \
        ["mcsf[skip]", "sf[skip]", "hsf[skip]", "fcfs[skip]"]
    assert make_policy("hsf").name == "hsf" and make_policy("hsf[stop]").name == "hsf"


def test_options_in_brackets_round_trip_and_are_checked():
    assert make_policy("mcsf[skip]", estimate=[3, 3]).scan == "skip"
    pol = make_policy("sorted_f[offline,local_swap]")
    assert (pol.planning, pol.selector, pol.name) == ("offline", "local_swap", "sorted_f[offline,local_swap]")
    with pytest.raises(ValueError, match=r"policy 'hsf\[skip\]' sets scan = 'skip', but scan = 'stop' was given"):
        make_policy("hsf[skip]", scan="stop")
    with pytest.raises(ValueError, match=r"unknown option 'fast' in brackets; valid for hsf: skip, stop"):
        make_policy("hsf[fast]")
    with pytest.raises(ValueError, match=r"'stop' and 'skip' both set scan"):
        make_policy("hsf[stop,skip]")
    with pytest.raises(ValueError, match="valid for vllm: none"):
        make_policy("vllm[skip]")
    with pytest.raises(ValueError, match=r"unknown policy 'nope\[skip\]'"):
        make_policy("nope[skip]")

"""The sorted_f policy and the priority policy in the engine."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lpsched import Instance, simulate, validate
from lpsched.future import FutureMemory
from lpsched.sortedf.policy import list_schedule, sorted_f_order

from strategies import instances

SELECTORS = ["exact_dp", "scaled_dp", "local_swap", "quantile_greedy"]


def rand_inst(seed, n=25, arrivals=False):
    rng = np.random.default_rng(seed)
    M = int(rng.integers(30, 60))
    s = rng.integers(1, 8, n)
    o = rng.integers(1, M - 8, n)
    a = rng.integers(0, 30, n) if arrivals else None
    return Instance(M, s, o, a)


def test_slides_example():
    inst = Instance(6, [2, 2, 2, 2], [1, 1, 2, 3])
    res = simulate(inst, "sorted_f")
    assert res.schedule.start.tolist() == [0, 0, 1, 3] and res.metrics.tct == 11


@pytest.mark.parametrize("selector", SELECTORS)
@pytest.mark.parametrize("arrivals", [False, True])
def test_engines_agree_and_schedules_validate(selector, arrivals):
    for seed in range(4):
        inst = rand_inst(seed, arrivals=arrivals)
        fast = simulate(inst, "sorted_f", engine="fast", selector=selector)
        ref = simulate(inst, "sorted_f", engine="reference", selector=selector)
        assert fast.schedule.same_as(ref.schedule)
        validate(fast.schedule)
        assert fast.metrics.tct == int(fast.schedule.completion.sum())


def test_plan_is_list_scheduling_of_the_sorted_f_order():
    inst = rand_inst(9, n=30, arrivals=True)
    order, batches = sorted_f_order(inst.s, inst.o, inst.memory)
    assert sorted(order.tolist()) == list(range(inst.n))
    for b in batches:                                    # each batch by ascending o
        assert np.all(np.diff(inst.o[b]) >= 0)
    start = list_schedule(inst, order)
    assert np.all(np.diff(start[order]) >= 0)            # non-decreasing along the order
    assert np.all(start >= inst.a)
    res = simulate(inst, "sorted_f", plan="offline")
    assert res.schedule.start.tolist() == start.tolist() and res.policy == "sorted_f[offline]"
    # earliest: one step earlier (still >= the previous start and the arrival) would not fit
    fm = FutureMemory(inst.memory)
    prev = 0
    for i in order.tolist():
        p = int(start[i])
        if p - 1 >= max(prev, inst.a[i]):
            assert not fm.fits(int(inst.s[i]), int(inst.o[i]), p - 1)
        fm.add(int(inst.s[i]), p, p + int(inst.o[i]))
        prev = p


def test_sorted_f_beats_sf_on_the_two_type_family():
    # type 1: s = sqrt(M) - 1, o = 1 (M of them); type 2: s = 1, o = 2 (M^1.5): SF is worse than type-2-first
    M, m = 100, 10
    s = [m - 1] * M + [1] * m ** 3
    o = [1] * M + [2] * m ** 3
    inst = Instance(M, s, o)
    sf = simulate(inst, "sf").metrics.tct
    t2 = simulate(inst, "priority", priority=[1] * M + [0] * m ** 3).metrics.tct
    sfo = simulate(inst, "sorted_f").metrics.tct
    assert t2 < sf and sfo < sf


def test_priority_policy_and_errors():
    inst = Instance(6, [2, 2, 2, 2], [1, 1, 2, 3])
    assert simulate(inst, "priority", priority=[3, 2, 1, 0]).metrics.tct == 18
    assert simulate(inst, "priority").schedule.same_as(simulate(inst, "fcfs").schedule)
    with pytest.raises(ValueError, match="priority has 2 entries"):
        simulate(inst, "priority", priority=[0, 1])
    with pytest.raises(ValueError, match="unknown selector 'x'; valid selectors"):
        simulate(inst, "sorted_f", selector="x")
    with pytest.raises(ValueError, match="permutation"):
        list_schedule(inst, [0, 0, 1, 2])



@settings(max_examples=60, deadline=None)
@given(st.integers(8, 40).flatmap(lambda M: st.tuples(
    st.just(M),
    st.lists(st.tuples(st.integers(1, M // 2), st.integers(1, M // 2), st.integers(0, 12)), min_size=1, max_size=12))),
    st.sampled_from(SELECTORS))
def test_every_sorted_f_schedule_validates(data, selector):
    M, reqs = data
    inst = Instance(M, [r[0] for r in reqs], [r[1] for r in reqs], [r[2] for r in reqs])
    fast = simulate(inst, "sorted_f", selector=selector)
    validate(fast.schedule)
    assert fast.schedule.same_as(simulate(inst, "sorted_f", engine="reference", selector=selector).schedule)
    assert np.all(fast.schedule.start >= inst.a)


def test_affordable_selector_stays_exact_when_cheap():
    from lpsched import workloads
    from lpsched.sortedf.policy import affordable_selector

    assert affordable_selector(workloads.two_type(100, 9, 1, 50, 1, 2, 300)) == {"selector": "typed_exact"}
    assert affordable_selector(workloads.uniform(50, seed=1)) == {"selector": "exact_dp"}
    assert affordable_selector(workloads.lmsys_like(500, seed=1)) == {"selector": "local_swap"}


def test_default_selector_is_affordable_and_exact_on_request():
    from lpsched import workloads

    small = rand_inst(3, n=30)                                   # > 4 types, n <= 200: exact_dp
    assert simulate(small, "sorted_f").policy == "sorted_f"
    assert simulate(small, "sorted_f").schedule.same_as(simulate(small, "sorted_f", selector="exact_dp").schedule)
    big = workloads.lmsys_like(300, memory=2000, seed=1)          # n > 200: local_swap with its pool
    assert simulate(big, "sorted_f").policy == "sorted_f[local_swap]"
    typed = workloads.two_type(100, 9, 1, 50, 1, 2, 300)          # few types: typed_exact
    res = simulate(typed, "sorted_f")
    assert res.policy == "sorted_f[typed_exact]"
    assert res.schedule.same_as(simulate(typed, "sorted_f", selector="exact_dp").schedule)


@settings(max_examples=60, deadline=None)
@given(st.integers(10, 120), st.integers(1, 4), st.integers(1, 90), st.integers(0, 10**6))
def test_typed_pool_gives_the_plan_of_all_remaining_requests(M, types, n, seed):
    """Per type, its M // (s + o) remaining requests with the smallest indices: exact for typed_exact."""
    rng = np.random.default_rng(seed)
    ts = rng.integers(1, max(2, M // 3), types)
    to = np.array([rng.integers(1, M - x + 1) for x in ts])
    pick = rng.integers(0, types, n)
    s, o = ts[pick], to[pick]
    full = sorted_f_order(s, o, M, "typed_exact")
    pooled = sorted_f_order(s, o, M, "typed_exact", pool="typed")
    assert full[0].tolist() == pooled[0].tolist()
    assert [b.tolist() for b in full[1]] == [b.tolist() for b in pooled[1]]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 400), max_size=60), st.integers(1, 8))
def test_sorted_ints_is_a_sorted_set(ops, block):
    from lpsched.sortedf.policy import SortedInts

    keys, ref = SortedInts(), set()
    keys.BLOCK = block                                    # small blocks: splits and empty blocks happen
    for x in ops:
        if x in ref:
            keys.remove(x)
            ref.discard(x)
        else:
            keys.add(x)
            ref.add(x)
        assert keys.first() == sorted(ref) and len(keys) == len(ref)
        assert keys.first(3) == sorted(ref)[:3]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([None, "typed", 1, 3, 7]), st.integers(0, 10**6))
def test_a_pool_kept_up_to_date_gives_the_candidates_of_a_fresh_one(pool, seed):
    """The online plan keeps one pool over the waiting requests (arrivals join, batches leave, unstarted
    ones come back); its candidates must be those of a pool built from scratch on the same set."""
    from lpsched.sortedf.policy import make_pool

    rng = np.random.default_rng(seed)
    n, M = 40, 30
    kinds = rng.integers(1, 10, (4, 2))
    pick = rng.integers(0, 4, n) if pool == "typed" else None
    s = kinds[pick, 0] if pick is not None else rng.integers(1, 10, n)
    o = kinds[pick, 1] if pick is not None else rng.integers(1, 10, n)
    live = make_pool(s, o, M, pool, ())
    members: set[int] = set()
    for _ in range(80):
        i = int(rng.integers(0, n))
        if i in members:
            live.take(np.array([i]))
            members.discard(i)
        else:
            live.add(i)
            members.add(i)
        if members:
            fresh = make_pool(s, o, M, pool, sorted(members))
            assert live.candidates().tolist() == fresh.candidates().tolist()
        assert len(live) == len(members)


def test_ordered_pool_bounds_the_candidates_and_stays_valid():
    from lpsched import workloads

    inst = workloads.lmsys_like(600, memory=3000, seed=2)
    order, batches = sorted_f_order(inst.s, inst.o, inst.memory, "local_swap", pool=40)
    assert sorted(order.tolist()) == list(range(inst.n)) and all(len(b) <= 80 for b in batches)
    res = simulate(inst, "sorted_f", selector="local_swap", pool=40)
    validate(res.schedule)
    assert res.schedule.start.tolist() == list_schedule(inst, order).tolist()   # all at 0: the paper's plan
    # a pool as large as the instance changes nothing
    assert simulate(inst, "sorted_f", selector="local_swap", pool=inst.n).schedule.same_as(
        simulate(inst, "sorted_f", selector="local_swap", pool=None).schedule)
    with pytest.raises(ValueError, match="pool = 0; valid"):
        simulate(inst, "sorted_f", pool=0)
    with pytest.raises(ValueError, match="pool = 'x'; valid"):
        sorted_f_order(inst.s, inst.o, inst.memory, pool="x")


# ------------------------------------------------------------------------------------------ online plan
def test_a_late_arrival_blocks_the_offline_plan_and_not_the_online_one():
    """M = 6, three requests s = 2, o = 1 (3 tokens each at completion: two fit at a time); request 0
    arrives at 5, requests 1 and 2 at 0.  Over all three the F-optimal batch is {0, 1} (F = 2/4; ties to
    the smaller indices), so the offline order is 0, 1, 2: list scheduling starts 0 at its arrival 5,
    1 beside it at 5 and 2 at 6 -- requests 1 and 2 sit idle for 5 steps with the memory empty.  Online,
    the order at 0 is over {1, 2} only: both start at 0, and 0 starts when it arrives."""
    late = Instance(6, [2, 2, 2], [1, 1, 1], a=[5, 0, 0])
    off = simulate(late, "sorted_f", plan="offline")
    on = simulate(late, "sorted_f")
    assert off.schedule.start.tolist() == [5, 5, 6] and off.metrics.tel == 1 + 6 + 7
    assert on.schedule.start.tolist() == [5, 0, 0] and on.metrics.tel == 1 + 1 + 1
    assert (off.policy, on.policy) == ("sorted_f[offline,typed_exact]", "sorted_f[typed_exact]")   # one type


def test_online_skip_goes_past_a_head_that_does_not_fit():
    """The instance of tests/test_policies.py: at 1 the waiting {1, 2} is one batch in ascending o, so
    request 1 (o = 1, does not fit until 4) comes first; stop waits, skip starts request 2 at 1."""
    inst = Instance(10, [4, 5, 1], [4, 1, 2], a=[0, 1, 1])
    assert simulate(inst, "sorted_f").schedule.start.tolist() == [0, 4, 4]
    res = simulate(inst, "sorted_f", scan="skip")
    assert res.schedule.start.tolist() == [0, 4, 1] and res.policy == "sorted_f[skip,typed_exact]"


def test_plan_and_scan_options_are_validated():
    inst = Instance(6, [2, 2], [1, 1])
    with pytest.raises(ValueError, match="plan = 'later'; valid: 'online', 'offline'"):
        simulate(inst, "sorted_f", plan="later")
    with pytest.raises(ValueError, match="scan = 'x'; valid: 'stop', 'skip'"):
        simulate(inst, "sorted_f", scan="x")
    with pytest.raises(ValueError, match="scan = 'skip' needs plan = 'online'"):
        simulate(inst, "sorted_f", plan="offline", scan="skip")


@settings(max_examples=60, deadline=None)
@given(st.integers(8, 40).flatmap(lambda M: st.lists(
    st.tuples(st.integers(1, M // 2), st.integers(1, M // 2)), min_size=1, max_size=14).map(lambda r: (M, r))),
    st.sampled_from(["exact_dp", "local_swap"]))
def test_online_is_the_papers_sorted_f_when_all_arrive_at_0(data, selector):
    """With every request at 0 the online order is computed once, over all: the same schedule as the
    offline plan (the W3-W6 studies and the claims rely on it)."""
    M, reqs = data
    inst = Instance(M, [r[0] for r in reqs], [r[1] for r in reqs])
    on = simulate(inst, "sorted_f", selector=selector)
    assert on.schedule.same_as(simulate(inst, "sorted_f", plan="offline", selector=selector).schedule)


@settings(max_examples=80, deadline=None)
@given(st.integers(8, 40).flatmap(lambda M: st.lists(
    st.tuples(st.integers(1, M // 2), st.integers(1, M // 2), st.integers(0, 3 * M)), min_size=1,
    max_size=14).map(lambda r: (M, r))), st.sampled_from(["stop", "skip"]), st.sampled_from(SELECTORS[:3]))
def test_online_schedules_validate_and_engines_agree(data, scan, selector):
    M, reqs = data
    inst = Instance(M, [r[0] for r in reqs], [r[1] for r in reqs], [r[2] for r in reqs])
    fast = simulate(inst, "sorted_f", scan=scan, selector=selector)
    validate(fast.schedule)
    assert fast.schedule.same_as(simulate(inst, "sorted_f", engine="reference", scan=scan,
                                          selector=selector).schedule)
    assert np.all(fast.schedule.start >= inst.a)


@settings(max_examples=60, deadline=None)
@given(instances(max_n=10, max_memory=40), st.sampled_from(["hsf", "mcsf", "fcfs", "priority"]),
       st.integers(0, 10**6))
def test_skip_schedules_validate_and_engines_agree(inst, name, seed):
    """The skip scan: validator, reference == Python event loop (the kernel: tests/test_kernels.py)."""
    rng = np.random.default_rng(seed)
    opts = {"scan": "skip"}
    if name == "mcsf":
        opts["estimate"] = np.minimum(inst.memory - inst.s, inst.o + rng.integers(0, 4, inst.n))
    if name == "priority":
        opts["priority"] = rng.integers(0, 3, inst.n)
    ref = simulate(inst, name, engine="reference", **opts)
    fast = simulate(inst, name, engine="python", **opts)
    validate(fast.schedule)
    assert fast.schedule.same_as(ref.schedule) and fast.decisions <= ref.decisions

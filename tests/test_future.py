"""FutureMemory against a direct token count at every future time."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lpsched.future import FutureMemory


def direct_fits(runs, M, s, o, tau):
    """Memory at every t in (tau, tau + o] with the new run added, counted directly."""
    for t in range(tau + 1, tau + o + 1):
        held = sum(rs + t - rp for rs, rp, re in runs if rp < t <= re) + s + t - tau
        if held > M:
            return False
    return True


@st.composite
def profiles(draw):
    M = draw(st.integers(5, 60))
    runs = []
    for _ in range(draw(st.integers(0, 7))):
        p = draw(st.integers(0, 10))
        s = draw(st.integers(1, M // 3))
        e = p + draw(st.integers(1, 25))
        runs.append((s, p, e))
    s = draw(st.integers(1, M - 1))
    o = draw(st.integers(1, M - s))
    tau = draw(st.integers(max([p for _, p, _ in runs], default=0), 40))
    return M, runs, s, o, tau


def build(M, runs):
    fm = FutureMemory(M)
    for s, p, e in runs:
        fm.add(s, p, e)
    return fm


@settings(max_examples=400, deadline=None)
@given(profiles())
def test_fits_matches_direct_count(case):
    M, runs, s, o, tau = case
    assert build(M, runs).fits(s, o, tau) == direct_fits(runs, M, s, o, tau)


@settings(max_examples=400, deadline=None)
@given(profiles())
def test_earliest_start_matches_linear_scan(case):
    M, runs, s, o, tau = case
    fm = build(M, runs)
    expect = next(t for t in range(tau, 200) if direct_fits(runs, M, s, o, t))
    assert fm.earliest_start(s, o, tau) == expect
    hi = tau + 3
    assert fm.earliest_start(s, o, tau, hi) == (expect if expect < hi else None)


@settings(max_examples=200, deadline=None)
@given(profiles())
def test_mem_at_and_remove(case):
    M, runs, s, o, tau = case
    fm = build(M, runs)
    x = tau + 1
    assert fm.mem_at(x) == sum(rs + x - rp for rs, rp, re in runs if rp < x <= re)
    if runs:
        fm.remove(*runs[0])
        assert len(fm) == len(runs) - 1
        assert fm.fits(s, o, tau) == direct_fits(runs[1:], M, s, o, tau)


def test_remove_missing_run_raises():
    fm = FutureMemory(10)
    fm.add(1, 0, 3)
    try:
        fm.remove(2, 0, 3)
    except KeyError as exc:
        assert "no run" in str(exc)
    else:
        raise AssertionError("expected KeyError")


@settings(max_examples=300, deadline=None)
@given(profiles(), st.integers(0, 30))
def test_postpone_matches_direct_count(case, time):
    """postpone(time): runs ending at or before ``time`` end at ``time + 1`` (A_min's overdue runs)."""
    M, runs, s, o, tau = case
    fm = build(M, runs)
    fm.postpone(time)
    moved = [(rs, rp, max(re, time + 1)) for rs, rp, re in runs]
    assert len(fm) == len(runs)
    tau = max(tau, time)
    assert fm.fits(s, o, tau) == direct_fits(moved, M, s, o, tau)
    expect = next(t for t in range(tau, 200) if direct_fits(moved, M, s, o, t))
    assert fm.earliest_start(s, o, tau) == expect
    assert fm.next_end() == min([re for _, _, re in moved], default=float("inf"))


def test_equal_ends_merge_and_remove_one_at_a_time():
    fm = FutureMemory(100)
    fm.add(3, 0, 5)
    fm.add(4, 1, 5)
    assert len(fm) == 2 and fm.mem_at(5) == (3 + 5) + (4 + 4)
    fm.remove(3, 0, 5)
    assert len(fm) == 1 and fm.mem_at(5) == 4 + 4
    fm.remove(4, 1, 5)
    assert len(fm) == 0 and fm.next_end() == float("inf")


@settings(max_examples=300, deadline=None)
@given(profiles(), st.integers(1, 4))
def test_fits_of_a_group_matches_direct_count(case, count):
    """``count`` requests of length ``o`` with prompts summing to ``s`` started together, counted directly."""
    M, runs, s, o, tau = case
    s = max(s, count)
    held = lambda t: sum(rs + t - rp for rs, rp, re in runs if rp < t <= re) + s + count * (t - tau)  # noqa: E731
    assert build(M, runs).fits(s, o, tau, count=count) == all(held(t) <= M for t in range(tau + 1, tau + o + 1))

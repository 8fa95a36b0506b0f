"""Checking a schedule whose horizon is too long for a memory profile.

Layer: algorithms.

:func:`lpsched.validate` checks the memory at every integer time with a profile array of one entry per
time step: two requests of ``o = 10^8`` tokens need about 8 GB for it, an arrival at ``10^15`` cannot be
checked at all.  :func:`check_schedule` calls :func:`lpsched.validate` whenever the profile is small
(horizon up to :data:`PROFILE_LIMIT` steps, about 35 MB per array) and otherwise runs the same checks
with the memory evaluated only at the ends of the runs, which is exact:

**Claim.**  The largest load over all integer times is the largest load at a run end.  *Proof.*  Take
an integer time ``t`` with a positive load and let ``e`` be the first run end at or after ``t`` (a run
holding memory at ``t`` ends at ``>= t``, so there is one).  For ``t <= u < e`` no run ends at ``u``, so
every run holding memory at ``u`` (``beg < u <= end``) still holds it at ``u + 1`` with one token more,
and runs starting at ``u`` only add: ``load(u + 1) >= load(u)``.  Hence ``load(t) <= load(e)``.

The load at the ``R`` run ends takes ``O(R log R)`` time with sorted prefix sums, whatever the token
counts.  The other checks are those of :func:`lpsched.validate` (start after arrival, evicted runs that
ran and ended before completing, no overlapping runs of one request).  The returned
:class:`lpsched.schedule.Validation` then carries an empty ``memory`` array (no profile was built) and
the peak found at the run ends.
"""

from __future__ import annotations

import numpy as np

from ..schedule import Metrics, Schedule, Validation, check_runs, metrics, overflow_error, validate

__all__ = ["check_schedule", "checked_metrics", "loads_at_run_ends", "PROFILE_LIMIT"]

#: longest horizon (time steps) checked with :func:`lpsched.validate`'s full memory profile
PROFILE_LIMIT = 1 << 22


def check_schedule(schedule: Schedule, profile_limit: int = PROFILE_LIMIT) -> Validation:
    """:func:`lpsched.validate` when the horizon is at most ``profile_limit`` steps, else the same checks
    with the memory at the run ends only (module docstring).  Raises :class:`lpsched.ScheduleError`."""
    _, _, end = schedule.runs()
    if int(end.max()) <= profile_limit:
        return validate(schedule)
    return _check_at_run_ends(schedule)


def checked_metrics(schedule: Schedule) -> Metrics:
    """:func:`lpsched.metrics` of ``schedule`` checked by :func:`check_schedule`."""
    return metrics(schedule, check_schedule(schedule))


def loads_at_run_ends(instance, req, beg, end) -> tuple[np.ndarray, list[int]]:
    """``(sorted distinct run ends, load at each)``: the tokens held at each end ``e`` by the runs with
    ``beg < e <= end`` (``s + e - beg`` each), in exact Python integers."""
    s = instance.s[req]
    c = [int(x) - int(b) for x, b in zip(s.tolist(), beg.tolist())]       # s - beg: the constant part
    by_beg = np.argsort(beg, kind="stable")
    by_end = np.argsort(end, kind="stable")
    beg_sorted, end_sorted = beg[by_beg], end[by_end]
    pre_beg = [0]
    for k in by_beg.tolist():
        pre_beg.append(pre_beg[-1] + c[k])
    pre_end = [0]
    for k in by_end.tolist():
        pre_end.append(pre_end[-1] + c[k])
    ends = np.unique(end)
    na = np.searchsorted(beg_sorted, ends, side="left").tolist()           # runs with beg < e
    nb = np.searchsorted(end_sorted, ends, side="left").tolist()           # runs with end < e (beg < e too)
    loads = [(pre_beg[x] - pre_end[y]) + int(e) * (x - y) for e, x, y in zip(ends.tolist(), na, nb)]
    return ends, loads


def _check_at_run_ends(schedule: Schedule) -> Validation:
    inst = schedule.instance
    req, beg, end = check_runs(schedule)
    ends, loads = loads_at_run_ends(inst, req, beg, end)
    over = [k for k, v in enumerate(loads) if v > inst.memory]
    if over:
        raise overflow_error(inst, req, beg, end, int(ends[over[0]]), loads[over[0]])
    k = int(np.argmax(loads)) if loads else 0
    return Validation(int(loads[k]) if loads else 0, int(ends[k]) if loads else 0, np.zeros(0, np.int64))

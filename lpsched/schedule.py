"""Schedules, the independent validator, and the metrics computed from a schedule.

Layer: model.

A :class:`Schedule` records, for every request, its *final* start ``p_i`` (the run that completes at
``C_i = p_i + o_i``) and every earlier run that was evicted: ``(request, start, evicted_at)``.

:func:`validate` checks a schedule against the model of ``docs/model.md`` using nothing but the
instance and the schedule's numbers: starts after arrival, evicted runs that really ended before
completion, runs of one request that do not overlap, and memory at *every* integer time (a run
``[p, e]`` of request ``i`` holds ``s_i + (t - p)`` tokens at each integer ``p < t <= e``).  It names the
first violation.  Every schedule a policy, selector or solver returns goes through it.

Examples
--------
>>> from lpsched import Instance, Schedule, validate
>>> inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
>>> validate(Schedule(inst, start=[0, 0, 1, 3])).peak_memory
6
>>> validate(Schedule(inst, start=[0, 0, 0, 3]))
Traceback (most recent call last):
...
lpsched.schedule.ScheduleError: memory at t = 1 is 9 > M = 6; holding: request 0 (s=2, started 0, 3 tokens), request 1 (s=2, started 0, 3 tokens), request 2 (s=2, started 0, 3 tokens)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .model import Instance, InstanceError, int_column

__all__ = ["Schedule", "ScheduleError", "Validation", "Metrics", "validate", "memory_profile", "metrics"]


class ScheduleError(ValueError):
    """A schedule violates the model; the message names the first violation."""


@dataclass(frozen=True, eq=False)
class Schedule:
    """Start times (and evicted runs) of every request of ``instance``.

    Parameters
    ----------
    instance : Instance
    start : array_like of int
        Final start time ``p_i`` of each request (the run that completes).
    evictions : array_like, shape (k, 3), optional
        Evicted runs as rows ``(request, start, evicted_at)``: the request ran during steps
        ``start .. evicted_at - 1``, lost its progress and its memory at ``evicted_at``.
    policy : str
        Name of what produced it (for reports).
    """

    instance: Instance
    start: np.ndarray
    evictions: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.int64))
    policy: str = ""

    def __post_init__(self) -> None:
        try:
            start = int_column(self.start, "schedule start", 0, self.instance.n)
        except InstanceError as exc:
            raise ScheduleError(str(exc)) from None
        ev = np.asarray(self.evictions, dtype=np.int64).reshape(-1, 3)
        ev.setflags(write=False)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "evictions", ev)

    @property
    def completion(self) -> np.ndarray:
        """Completion times ``C_i = p_i + o_i``."""
        return self.start + self.instance.o

    def runs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All runs as arrays ``(request, start, end)``: evicted runs first, then the final ones."""
        n = self.instance.n
        req = np.concatenate([self.evictions[:, 0], np.arange(n)])
        beg = np.concatenate([self.evictions[:, 1], self.start])
        end = np.concatenate([self.evictions[:, 2], self.completion])
        return req, beg, end

    def metrics(self) -> "Metrics":
        return metrics(self)

    def to_frame(self):
        """One row per request: s, o, a, start, completion, latency, restarts."""
        import pandas as pd

        inst = self.instance
        restarts = np.bincount(self.evictions[:, 0], minlength=inst.n) if len(self.evictions) else np.zeros(inst.n, int)
        return pd.DataFrame({"s": inst.s, "o": inst.o, "a": inst.a, "start": self.start,
                             "completion": self.completion, "latency": self.completion - inst.a,
                             "evictions": restarts})

    def same_as(self, other: "Schedule") -> bool:
        """True if both schedules have the same starts and the same evicted runs."""
        def ordered(ev: np.ndarray) -> np.ndarray:
            return ev[np.lexsort(ev.T[::-1])] if len(ev) else ev
        return (np.array_equal(self.start, other.start)
                and np.array_equal(ordered(self.evictions), ordered(other.evictions)))


@dataclass(frozen=True)
class Validation:
    """What :func:`validate` measured on a valid schedule."""

    peak_memory: int
    peak_time: int
    memory: np.ndarray = field(repr=False)  # memory[t] for t = 0 .. makespan


def memory_profile(instance: Instance, req: np.ndarray, beg: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Tokens held at every integer time ``0 .. max(end)`` by the runs ``(req, beg, end)``.

    A run holds ``s + (t - beg)`` at ``beg < t <= end``: a constant part ``s - beg`` and a slope of one
    per time unit, accumulated with two difference arrays (exact, O(runs + horizon)).
    """
    horizon = int(end.max()) if len(end) else 0
    const = np.zeros(horizon + 2, np.int64)
    count = np.zeros(horizon + 2, np.int64)
    # a run holds on [beg + 1, end]: the differences go to const[beg + 1] and const[end + 1], written
    # through views shifted by one, with one temporary the size of the runs (A_min on 10^7 requests has
    # 1.7 x 10^7 runs: 136 MB per such array)
    part = instance.s[req]
    part -= beg
    np.add.at(const[1:], beg, part)
    np.negative(part, out=part)
    np.add.at(const[1:], end, part)
    del part
    count[1:] = np.bincount(beg, minlength=horizon + 1)
    count[1:] -= np.bincount(end, minlength=horizon + 1)
    mem = np.cumsum(const, out=const)
    mem += np.cumsum(count, out=count) * np.arange(horizon + 2)
    return mem[: horizon + 1]


_CHUNK = 1 << 20       # runs per step of the validator's overlap check


def check_runs(schedule: Schedule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The checks of :func:`validate` that do not need memory over time: starts after arrivals, evicted
    runs well formed, no request running twice at once, the final run after every evicted one.  Returns
    the runs ``(request, begin, end)``; raises :class:`ScheduleError` naming the first violation."""
    inst = schedule.instance
    n, o, a = inst.n, inst.o, inst.a
    p = schedule.start
    late = np.flatnonzero(p < a)
    if len(late):
        i = int(late[0])
        raise ScheduleError(f"request {i} starts at {p[i]} before its arrival a = {a[i]}")
    ev = schedule.evictions
    if len(ev):
        r, b, e = ev[:, 0], ev[:, 1], ev[:, 2]
        bad = np.flatnonzero((r < 0) | (r >= n))
        if len(bad):
            raise ScheduleError(f"evicted run {int(bad[0])} names request {int(r[bad[0]])}, not in 0..{n - 1}")
        checks = [
            (b < a[r], "evicted run of request {i} starts at {b} before its arrival a = {a}"),
            (e <= b, "evicted run of request {i} started at {b} ends at {e}: it must run at least one step"),
            (e - b >= o[r], "evicted run of request {i} started at {b} and ran {d} >= o = {o} steps: "
                            "it completed, it cannot be evicted"),
        ]
        for mask, msg in checks:
            bad = np.flatnonzero(mask)
            if len(bad):
                k = int(bad[0])
                i = int(r[k])
                raise ScheduleError(msg.format(i=i, b=b[k], e=e[k], a=a[i], d=e[k] - b[k], o=o[i]))
    req, beg, end = schedule.runs()
    order = np.lexsort((beg, req))
    for lo in range(0, max(len(order) - 1, 0), _CHUNK):   # the sorted runs a chunk at a time (memory)
        idx = order[lo: lo + _CHUNK + 1]
        req_o, beg_o, end_o = req[idx], beg[idx], end[idx]
        overlap = np.flatnonzero((req_o[1:] == req_o[:-1]) & (beg_o[1:] < end_o[:-1]))
        if len(overlap):
            k = int(overlap[0])
            i = int(req_o[k])
            raise ScheduleError(f"request {i} has overlapping runs: one from {beg_o[k]} to {end_o[k]}, another "
                                f"starting at {beg_o[k + 1]}")
    del order
    if len(ev):
        last_evicted = np.full(n, -1, np.int64)
        np.maximum.at(last_evicted, ev[:, 0], ev[:, 2])
        early = np.flatnonzero(p < last_evicted)
        if len(early):
            i = int(early[0])
            raise ScheduleError(
                f"request {i} completes from a run started at {p[i]}, but a later run was evicted at {last_evicted[i]}"
            )
        del last_evicted
    return req, beg, end


def overflow_error(inst: Instance, req, beg, end, t: int, load: int) -> ScheduleError:
    """The error for memory ``load > M`` at time ``t``, naming the runs that hold it (at most eight)."""
    s = inst.s
    holding = np.flatnonzero((beg < t) & (t <= end))
    desc = ", ".join(
        f"request {int(req[k])} (s={int(s[req[k]])}, started {int(beg[k])}, {int(s[req[k]] + t - beg[k])} tokens)"
        for k in holding[:8]
    )
    more = f" and {len(holding) - 8} more" if len(holding) > 8 else ""
    return ScheduleError(f"memory at t = {t} is {load} > M = {inst.memory}; holding: {desc}{more}")


def validate(schedule: Schedule) -> Validation:
    """Check ``schedule`` against the model; raise :class:`ScheduleError` naming the first violation.

    Returns the memory profile and its peak when the schedule is valid.
    """
    inst = schedule.instance
    req, beg, end = check_runs(schedule)
    mem = memory_profile(inst, req, beg, end)
    over = np.flatnonzero(mem > inst.memory)
    if len(over):
        t = int(over[0])
        raise overflow_error(inst, req, beg, end, t, int(mem[t]))
    peak_time = int(np.argmax(mem))
    return Validation(int(mem[peak_time]), peak_time, mem)


@dataclass(frozen=True)
class Metrics:
    """Figures of merit of a schedule (``docs/model.md``, "Metrics"), all recomputed from the schedule."""

    n: int
    tct: int                 # total completion time, sum C_i
    tel: int                 # total end-to-end latency, sum (C_i - a_i)
    mean_latency: float
    makespan: int
    per_token_latency_mean: float   # mean of (C_i - a_i) / o_i
    per_token_latency_p90: float
    evictions: int
    wasted_tokens: int       # tokens generated by runs that were evicted
    peak_memory: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def metrics(schedule: Schedule, validation: Validation | None = None) -> Metrics:
    """Validate ``schedule`` (unless ``validation`` is given) and compute its :class:`Metrics`."""
    val = validation if validation is not None else validate(schedule)
    inst = schedule.instance
    c = schedule.completion
    lat = c - inst.a
    ptl = lat / inst.o
    ev = schedule.evictions
    return Metrics(
        n=inst.n,
        tct=int(c.sum()),
        tel=int(lat.sum()),
        mean_latency=float(lat.mean()),
        makespan=int(c.max()),
        per_token_latency_mean=float(ptl.mean()),
        per_token_latency_p90=float(np.percentile(ptl, 90)),
        evictions=int(len(ev)),
        wasted_tokens=int((ev[:, 2] - ev[:, 1]).sum()) if len(ev) else 0,
        peak_memory=val.peak_memory,
    )

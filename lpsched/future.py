"""Future memory of a set of runs with known (or predicted) ends: the MC-SF admission test.

A run of request ``j`` started at ``p_j`` and ending at ``e_j`` holds ``s_j + (x - p_j)`` tokens at every
integer time ``p_j < x <= e_j``.  For times ``x`` after every start, the memory of the set is

    mem(x) = sum_{j : e_j >= x} (s_j - p_j)  +  x * #{j : e_j >= x},

which grows between end points and drops just after each one, so it is enough to look at the ends.
:meth:`FutureMemory.fits` is the future-memory check of MC-SF (Jaillet et al., arXiv 2502.07115,
``SPEC.md`` section 2): a request of prompt ``s`` and (predicted) length ``o`` started at ``tau`` keeps
memory within ``M`` iff ``mem(q) + s + q - tau <= M`` at every end ``q`` in ``(tau, tau + o]`` and
``mem(tau + o) + s + o <= M``.

:meth:`FutureMemory.earliest_start` finds the first ``tau`` at which the check holds.  Proof that the
candidate set below contains it: let ``tau*`` be the earliest feasible time above ``lo``.  ``tau* - 1``
fails either (a) at its end point, ``mem(tau* - 1 + o) > ...`` while ``mem(tau* + o)`` passes, which needs
a drop, i.e. ``tau* + o - 1 = q`` for an end ``q``; or (b) at an end ``q`` in its window: then either
``q`` left the window (``tau* = q``) or its requirement ``tau >= mem(q) + s + q - M`` became true
(``tau* = mem(q) + s + q - M``).  So ``tau*`` is ``lo`` or one of ``q - o + 1``, ``q``,
``mem(q) + s + q - M``.  The fast engine uses it to sleep until a blocked request can start, and
Sorted-F uses it for list scheduling.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FutureMemory"]


class FutureMemory:
    """Mutable set of runs ``(s, start, end)``; answers memory questions about times after every start.

    >>> fm = FutureMemory(6)
    >>> fm.add(2, 0, 1); fm.add(2, 0, 1)        # two o = 1 requests started at 0
    >>> fm.fits(2, 2, 0), fm.earliest_start(2, 2, 0)
    (False, 1)
    """

    __slots__ = ("memory", "_end", "_base", "_mem_at_end", "_suffix", "_dirty")

    def __init__(self, memory: int, s=(), start=(), end=()) -> None:
        self.memory = int(memory)
        end = np.asarray(end, dtype=np.int64)
        base = np.asarray(s, dtype=np.int64) - np.asarray(start, dtype=np.int64)
        order = np.argsort(end, kind="stable")
        self._end = end[order]
        self._base = base[order]
        self._dirty = True

    def __len__(self) -> int:
        return len(self._end)

    def add(self, s: int, start: int, end: int) -> None:
        """Add a run of prompt ``s`` from ``start`` to ``end``."""
        k = int(np.searchsorted(self._end, end, side="left"))
        self._end = np.insert(self._end, k, end)
        self._base = np.insert(self._base, k, s - start)
        self._dirty = True

    def next_end(self) -> float:
        """The earliest end in the set (``inf`` if empty)."""
        return int(self._end[0]) if len(self._end) else np.inf

    def drop_ended(self, time: int) -> None:
        """Forget runs that end at or before ``time`` (they hold nothing after it)."""
        k = int(np.searchsorted(self._end, time, side="right"))
        if k:
            self._end = self._end[k:]
            self._base = self._base[k:]
            self._dirty = True

    def _refresh(self) -> None:
        if self._dirty:
            m = len(self._end)
            suffix = np.zeros(m + 1, np.int64)
            if m:
                suffix[:m] = np.cumsum(self._base[::-1])[::-1]
            first = np.searchsorted(self._end, self._end, side="left")
            self._suffix = suffix
            self._mem_at_end = suffix[first] + self._end * (m - first)
            self._dirty = False

    def mem_at(self, x):
        """Memory held at time(s) ``x`` (valid for ``x`` after every start)."""
        self._refresh()
        k = np.searchsorted(self._end, x, side="left")
        return self._suffix[k] + np.asarray(x) * (len(self._end) - k)

    def fits(self, s: int, o: int, tau: int) -> bool:
        """Can a request of prompt ``s`` and length ``o`` start at ``tau`` without exceeding memory?"""
        self._refresh()
        if self.mem_at(tau + o) + s + o > self.memory:
            return False
        lo = np.searchsorted(self._end, tau, side="right")
        hi = np.searchsorted(self._end, tau + o, side="right")
        if lo == hi:
            return True
        q = self._end[lo:hi]
        return bool(np.all(self._mem_at_end[lo:hi] + (s - tau) + q <= self.memory))

    def earliest_start(self, s: int, o: int, lo: int, hi: float = np.inf) -> int | None:
        """Earliest ``tau`` in ``[lo, hi)`` at which :meth:`fits` holds, or ``None``.

        With ``hi = inf`` the answer always exists when ``s + o <= M`` (the set is empty after its
        last end).  The engine passes ``hi`` = the next end, after which it re-asks anyway.
        """
        self._refresh()
        if lo >= hi:
            return None
        if self.fits(s, o, lo):
            return lo
        q = self._end
        cand = np.concatenate([q - o + 1, q, self._mem_at_end + s + q - self.memory])
        cand = np.unique(cand[(cand > lo) & (cand < hi)])
        for chunk in np.array_split(cand, max(1, len(cand) * len(q) // 250_000)):
            # fits() for a whole chunk of candidates at once
            ends_ok = self.mem_at(chunk + o) + s + o <= self.memory
            win = (q[None, :] > chunk[:, None]) & (q[None, :] <= chunk[:, None] + o)
            pts = self._mem_at_end[None, :] + s + q[None, :] - chunk[:, None] <= self.memory
            hit = np.flatnonzero(ends_ok & np.all(pts | ~win, axis=1))
            if len(hit):
                return int(chunk[hit[0]])
        if hi == np.inf:
            raise ValueError(f"a request with s + o = {s + o} > M = {self.memory} never fits")
        return None

    def remove(self, s: int, start: int, end: int) -> None:
        """Remove one run ``(s, start, end)`` (e.g. a request that completed before its predicted end)."""
        lo = int(np.searchsorted(self._end, end, side="left"))
        hi = int(np.searchsorted(self._end, end, side="right"))
        hits = np.flatnonzero(self._base[lo:hi] == s - start)
        if not len(hits):
            raise KeyError(f"no run (s={s}, start={start}, end={end})")
        k = lo + int(hits[0])
        self._end = np.delete(self._end, k)
        self._base = np.delete(self._base, k)
        self._dirty = True

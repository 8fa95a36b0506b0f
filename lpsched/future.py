"""Future memory of a set of runs with known (or predicted) ends: the MC-SF admission test.

Layer: model.

A run of request ``j`` started at ``p_j`` and ending at ``e_j`` holds ``s_j + (x - p_j)`` tokens at every
integer time ``p_j < x <= e_j``.  For times ``x`` after every start, the memory of the set is

    mem(x) = sum_{j : e_j >= x} (s_j - p_j)  +  x * #{j : e_j >= x},

which grows between end points and drops just after each one, so it is enough to look at the ends.
:meth:`FutureMemory.fits` is the future-memory check of MC-SF (Jaillet et al., arXiv 2502.07115,
``docs/model.md``, "What a schedule is"): a request of prompt ``s`` and (predicted) length ``o`` started at ``tau`` keeps
memory within ``M`` iff ``mem(q) + s + q - tau <= M`` at every end ``q`` in ``(tau, tau + o]`` and
``mem(tau + o) + s + o <= M``.

:meth:`FutureMemory.earliest_start` finds the first ``tau`` at which the check holds, jumping from a
failing time straight to the first time its violated constraint can hold.  The fast engine uses it to
sleep until a blocked request can start, and Sorted-F uses it for list scheduling.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

__all__ = ["FutureMemory"]

INF = float("inf")


class FutureMemory:
    """Mutable multiset of runs ``(s, start, end)``; answers memory questions about times after every start.

    Runs with the same end are kept as one entry (their count and the sum of their ``s - start``), in
    plain Python lists sorted by end and searched with ``bisect``: a query walks the distinct ends it
    needs.  Merging matters for A_min, whose many overdue runs all end at ``t + 1`` (:meth:`postpone`).
    The sets a policy holds are small (the running batch), where this beats numpy's per-call overhead.

    >>> fm = FutureMemory(6)
    >>> fm.add(2, 0, 1); fm.add(2, 0, 1)        # two o = 1 requests started at 0
    >>> fm.fits(2, 2, 0), fm.earliest_start(2, 2, 0)
    (False, 1)
    """

    __slots__ = ("memory", "_end", "_cnt", "_base", "_n")

    def __init__(self, memory: int, s=(), start=(), end=()) -> None:
        self.memory = int(memory)
        self._end: list[int] = []    # distinct ends, ascending
        self._cnt: list[int] = []    # number of runs with that end
        self._base: list[int] = []   # sum of s - start over those runs
        self._n = 0
        for a, b, e in zip(s, start, end):
            self.add(int(a), int(b), int(e))

    def __len__(self) -> int:
        return self._n

    def _merge(self, end: int, cnt: int, base: int) -> None:
        k = bisect_left(self._end, end)
        if k < len(self._end) and self._end[k] == end:
            self._cnt[k] += cnt
            self._base[k] += base
        else:
            self._end.insert(k, end)
            self._cnt.insert(k, cnt)
            self._base.insert(k, base)
        self._n += cnt

    def add(self, s: int, start: int, end: int) -> None:
        """Add a run of prompt ``s`` from ``start`` to ``end``."""
        self._merge(end, 1, s - start)

    def remove(self, s: int, start: int, end: int) -> None:
        """Remove one run ``(s, start, end)`` (e.g. a request that completed before its predicted end)."""
        k = bisect_left(self._end, end)
        if k == len(self._end) or self._end[k] != end or (self._cnt[k] == 1 and self._base[k] != s - start):
            raise KeyError(f"no run (s={s}, start={start}, end={end})")
        if self._cnt[k] == 1:
            del self._end[k], self._cnt[k], self._base[k]
        else:
            self._cnt[k] -= 1
            self._base[k] -= s - start
        self._n -= 1

    def copy(self) -> "FutureMemory":
        other = FutureMemory(self.memory)
        other._end, other._cnt, other._base, other._n = self._end[:], self._cnt[:], self._base[:], self._n
        return other

    def total_at(self, x: int) -> int:
        """Memory at ``x`` of all the runs as if none had ended yet (what a running set will hold)."""
        return sum(self._base) + x * self._n

    def next_end(self) -> float:
        """The earliest end of a run (``inf`` if none)."""
        return self._end[0] if self._end else INF

    def _pop_ended(self, time: int) -> tuple[int, int]:
        """Remove the runs that end at or before ``time``; return their count and summed ``s - start``."""
        k = bisect_right(self._end, time)
        cnt, base = sum(self._cnt[:k]), sum(self._base[:k])
        del self._end[:k], self._cnt[:k], self._base[:k]
        self._n -= cnt
        return cnt, base

    def drop_ended(self, time: int) -> None:
        """Forget runs that end at or before ``time`` (they hold nothing after it)."""
        self._pop_ended(time)

    def postpone(self, time: int) -> None:
        """Runs that end at or before ``time`` end at ``time + 1`` instead.

        A_min's prediction for a request still running past its estimate: it ends next step.
        """
        cnt, base = self._pop_ended(time)
        if cnt:
            self._merge(time + 1, cnt, base)

    def mem_at(self, x: int) -> int:
        """Memory held at time ``x`` (valid for ``x`` after every start)."""
        k = bisect_left(self._end, x)
        return sum(self._base[k:]) + x * sum(self._cnt[k:])

    def fits(self, s: int, o: int, tau: int, count: int = 1) -> bool:
        """Can a request of prompt ``s`` and length ``o`` start at ``tau`` without exceeding memory?

        With ``count > 1``: can ``count`` requests of length ``o`` whose prompts sum to ``s`` all start at
        ``tau``?  (They hold ``s + count (x - tau)`` at ``x`` in ``(tau, tau + o]``: one check instead of
        adding them one by one, as A_min and A_max do for a group of equal estimates.)

        >>> fm = FutureMemory(10, [2], [0], [2])   # holds 3 at t = 1, 4 at t = 2
        >>> fm.fits(2, 2, 0), fm.fits(5, 1, 0, count=2), fm.fits(6, 1, 0, count=2)
        (True, True, False)
        """
        return self._blocked_until(s, o, tau, count) is None

    def _blocked_until(self, s: int, o: int, tau: int, count: int = 1) -> float | None:
        """``None`` if the request fits at ``tau``; else a time ``> tau`` before which it cannot fit
        (``count``: as in :meth:`fits`).

        If the check fails at the request's own end ``x = tau + o``, it keeps failing until ``x`` is just
        past an end ``q >= x`` where ``mem(q + 1) + s + count o <= M`` (memory only grows between ends).
        If it fails at an end ``q`` in the window, it keeps failing while ``q`` is in the window and
        ``count tau < mem(q) + s + count q - M``.
        """
        end, cnt, base = self._end, self._cnt, self._base
        x = tau + o
        k = bisect_left(end, x)
        acc, c = sum(base[k:]), sum(cnt[k:])
        if acc + x * c + s + count * o > self.memory:      # at the request's own end
            # memory only grows between ends: try just after each later end until the end check holds
            need = self.memory - s - count * o
            for j in range(k, len(end)):
                acc -= base[j]
                c -= cnt[j]
                if acc + (end[j] + 1) * c <= need:
                    return end[j] + 1 - o
            return INF      # (count > 1 only: s + o <= M lets one request fit on an empty memory)
        room = self.memory - s + count * tau
        # ends q in (tau, x), walking down
        for j in range(k - 1, bisect_right(end, tau) - 1, -1):
            acc += base[j]
            c += cnt[j]
            q = end[j]
            if acc + q * c + count * q > room:
                return min(q, -((self.memory - s - acc - q * c - count * q) // count))
        return None

    def earliest_start(self, s: int, o: int, lo: int, hi: float = INF) -> int | None:
        """Earliest ``tau`` in ``[lo, hi)`` at which :meth:`fits` holds, or ``None``.

        Jumps from a failing ``tau`` to the first time its violated constraint can hold
        (:meth:`_blocked_until`), so it never skips a feasible time.  With ``hi = inf`` the answer
        always exists when ``s + o <= M`` (the set is empty after its last end).
        """
        if s + o > self.memory:
            raise ValueError(f"a request with s + o = {s + o} > M = {self.memory} never fits")
        tau = lo
        while tau < hi:
            nxt = self._blocked_until(s, o, tau)
            if nxt is None:
                return tau
            tau = nxt
        return None

    def first_fit(self, candidates, lo: int, hi: float = INF) -> float:
        """Earliest ``tau`` in ``[lo, hi)`` at which one of ``candidates`` (pairs ``(s, o)``) fits, or ``hi``.

        Each search stops at the best time found so far, so a long list costs little once one fits early.

        >>> fm = FutureMemory(6, [2, 2], [0, 0], [1, 1])
        >>> fm.first_fit([(2, 3), (2, 2)], 0)
        1
        """
        best = hi
        for s, o in candidates:
            tau = self.earliest_start(s, o, lo, best)
            if tau is not None:
                best = tau
        return best

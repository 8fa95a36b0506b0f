"""The Sorted-F selection subproblem, defined: the batch ``X`` minimising ``(F(X), -|X|)`` under memory.

Wang, Ye, Zhou, *LLM Serving Optimization with Variable Prefill and Decode Lengths*, arXiv 2508.06133
(Wang, Ye and Zhou, ``docs/sources``).  For a set ``X`` of requests (prompt ``s_i``, output ``o_i``)

    F(X) = sum_{i in X} o_i / |X|^2          (smaller is better),

and ``X`` is *feasible* for memory ``M`` when the requests started together at time 0 never exceed
``M``.  A request holds ``s_i + t`` tokens at ``0 < t <= o_i``, so the memory grows between completions
and it is enough to look at each completion time ``o_j``:

    for every j in X:   sum_{i in X, o_i >= o_j} (s_i + o_j) <= M.

The selection problem picks a non-empty feasible ``X`` minimising ``(F(X), -|X|)`` lexicographically
(ties in ``F`` go to the larger set).  Comparisons are exact in integers: ``F(X) < F(Y)`` iff
``sum_X o * |Y|^2 < sum_Y o * |X|^2``.

Layer: algorithms (the bottom of Sorted-F: every selector module builds on these definitions; the
registry and :func:`lpsched.sortedf.select` are in :mod:`.selection`).

>>> F([1, 1]), is_feasible([2, 2], [1, 1], 6), better((2, 2), (3, 2))
(0.5, True, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..model import Instance

__all__ = ["SelectionResult", "F", "is_feasible", "loads", "better", "as_requests", "make_result",
           "max_batch_size", "Batch"]


@dataclass(frozen=True)
class SelectionResult:
    """A selected batch.

    Attributes
    ----------
    indices : request indices of ``X`` (into the arrays given), ordered by ascending ``o`` then index.
    sum_o : ``sum_{i in X} o_i`` (exact integer).
    size : ``|X|``.
    selector : name of the selector.
    guarantee : what the selector proves about ``F`` (a sentence).
    status : ``"optimal"`` (proved), ``"feasible"`` (no proof of optimality).
    seconds : wall time of the call.
    info : selector-specific figures (e.g. grid step, iterations).
    """

    indices: np.ndarray
    sum_o: int
    size: int
    selector: str
    guarantee: str
    status: str
    seconds: float = 0.0
    info: dict = field(default_factory=dict)

    @property
    def F(self) -> float:
        """``F(X) = sum o / |X|^2`` as a float (compare exactly with :func:`better`)."""
        return self.sum_o / self.size ** 2

    @property
    def key(self) -> tuple[int, int]:
        """``(sum_o, size)``: the exact objective data."""
        return self.sum_o, self.size


def as_requests(requests: Any, memory: int | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """Normalise ``requests`` to ``(s, o, memory)``.

    ``requests`` is an :class:`~lpsched.model.Instance` (``memory`` defaults to its own) or a pair
    ``(s, o)`` of integer sequences.
    """
    if isinstance(requests, Instance):
        s, o = requests.s, requests.o
        memory = requests.memory if memory is None else memory
    else:
        try:
            s, o = requests
        except (TypeError, ValueError):
            raise ValueError("requests must be an Instance or a pair (s, o) of integer sequences") from None
    s = np.asarray(s, dtype=np.int64).ravel()
    o = np.asarray(o, dtype=np.int64).ravel()
    if len(s) != len(o):
        raise ValueError(f"s has {len(s)} entries, o has {len(o)}")
    if len(s) == 0:
        raise ValueError("requests is empty: there is nothing to select")
    if memory is None or int(memory) != memory or memory < 2:
        raise ValueError(f"memory = {memory!r} must be an integer >= 2")
    memory = int(memory)
    if (s < 1).any() or (o < 1).any():
        i = int(np.flatnonzero((s < 1) | (o < 1))[0])
        raise ValueError(f"request {i}: s = {s[i]}, o = {o[i]}; both must be >= 1")
    big = np.flatnonzero(s + o > memory)
    if len(big):
        i = int(big[0])
        raise ValueError(f"request {i}: s + o = {s[i] + o[i]} exceeds memory M = {memory}; it never fits")
    return s, o, memory


def F(o) -> float:
    """``F(X) = sum o / |X|^2`` of the output lengths ``o`` of a batch.

    >>> F([1, 1, 2])
    0.4444444444444444
    """
    o = np.asarray(o)
    if len(o) == 0:
        raise ValueError("F of an empty batch is undefined")
    return float(o.sum()) / len(o) ** 2


def loads(s, o) -> np.ndarray:
    """Memory of the batch ``(s, o)`` started together, at each member's completion time ``o_j``.

    ``loads[j] = sum_{i : o_i >= o_j} (s_i + o_j)``; the batch is feasible iff ``max(loads) <= M``.

    >>> loads([2, 2, 2], [1, 1, 2]).tolist()
    [9, 9, 4]
    """
    s = np.asarray(s, dtype=np.int64)
    o = np.asarray(o, dtype=np.int64)
    order = np.argsort(o, kind="stable")
    o_sorted = o[order]
    suffix_s = np.concatenate([np.cumsum(s[order][::-1])[::-1], [0]])
    first = np.searchsorted(o_sorted, o, side="left")   # members with o_i >= o_j start here
    return suffix_s[first] + (len(o) - first) * o


def is_feasible(s, o, memory: int) -> bool:
    """Is the batch ``(s, o)`` memory-feasible when started together?

    >>> is_feasible([2, 2], [1, 1], 6), is_feasible([2, 2, 2], [1, 1, 2], 6)
    (True, False)
    """
    if len(s) == 0:
        return True
    return bool(loads(s, o).max() <= memory)


def better(a: tuple[int, int], b: tuple[int, int] | None) -> bool:
    """Is ``a = (sum_o, size)`` strictly better than ``b`` for ``(F, -|X|)``?  ``b = None`` loses.

    >>> better((2, 2), (3, 2)), better((4, 4), (1, 2)), better((1, 2), (4, 4))
    (True, True, False)
    """
    if b is None:
        return True
    lhs, rhs = a[0] * b[1] ** 2, b[0] * a[1] ** 2
    return lhs < rhs or (lhs == rhs and a[1] > b[1])


def make_result(idx, s, o, selector: str, guarantee: str, status: str, t0: float, **info) -> SelectionResult:
    """Build a :class:`SelectionResult` for indices ``idx`` (sorted by ascending ``o``, then index)."""
    idx = np.asarray(idx, dtype=np.int64)
    idx = idx[np.lexsort((idx, o[idx]))]
    idx.setflags(write=False)
    return SelectionResult(idx, int(o[idx].sum()), len(idx), selector, guarantee, status,
                           time.perf_counter() - t0, dict(info))


def max_batch_size(s: np.ndarray, o: np.ndarray, memory: int) -> int:
    """Upper bound ``K`` on ``|X|`` for any feasible ``X``.

    At the member ``j`` with the smallest ``o``: ``sum_X s_i + |X| o_j <= M``, so
    ``sum_X (s_i + min(o)) <= M``; ``K`` is the largest ``k`` for which the ``k`` smallest ``s`` pass.
    """
    small = np.sort(s)[: max(1, memory)] + int(o.min())
    return int(np.searchsorted(np.cumsum(small), memory, side="right"))


class Batch:
    """A feasible batch with vectorised add / swap checks (shared by the heuristic selectors).

    Members are kept sorted by ascending ``o``.  With ``slack_j = M - load_j``, adding ``a`` keeps
    the batch feasible iff (i) its own load ``sum_{o_i >= o_a} s_i + s_a + (#{o_i >= o_a} + 1) o_a <= M``
    and (ii) every member ``j`` with ``o_j <= o_a`` (which now also holds ``s_a + o_j``) keeps
    ``slack_j - o_j >= s_a``; (ii) is one prefix minimum.
    """

    def __init__(self, s: np.ndarray, o: np.ndarray, memory: int, members) -> None:
        self.s_all, self.o_all, self.memory = s, o, memory
        self.set(members)

    def set(self, members) -> None:
        m = np.asarray(members, dtype=np.int64)
        self.members = m[np.lexsort((m, self.o_all[m]))]
        self._prepare()

    def _prepare(self) -> None:
        m = self.members
        s, o = self.s_all[m], self.o_all[m]
        self.o_sorted = o
        self.suffix_s = np.concatenate([np.cumsum(s[::-1])[::-1], [0]])
        first = np.searchsorted(o, o, side="left")
        load = self.suffix_s[first] + (len(o) - first) * o
        self.slack = self.memory - load
        pm = np.minimum.accumulate(self.slack - o) if len(o) else np.zeros(0, np.int64)
        self.prefix_min = np.concatenate([[np.iinfo(np.int64).max], pm])
        self.sum_o = int(o.sum())

    @property
    def size(self) -> int:
        return len(self.members)

    def add_ok(self, cand: np.ndarray) -> np.ndarray:
        """Boolean mask: which candidate requests could each be added alone."""
        sa, oa = self.s_all[cand], self.o_all[cand]
        ge = np.searchsorted(self.o_sorted, oa, side="left")
        own = self.suffix_s[ge] + sa + (len(self.o_sorted) - ge + 1) * oa <= self.memory
        le = np.searchsorted(self.o_sorted, oa, side="right")
        return own & (self.prefix_min[le] >= sa)

    def swap(self, out: np.ndarray) -> tuple[int, int] | None:
        """The first improving-order swap that keeps the batch feasible: the member at the largest sorted
        position ``p`` for which some non-member ``a`` of ``out`` (ascending ``o``) with ``o_a < o_p`` fits
        once ``p`` is out, and the first such ``a``; ``(p, a)`` or ``None``.

        All members at once: ``p`` lies in the suffix of every such ``a`` (``o_p > o_a``), so without ``p``
        a's own load drops by ``s_p + o_a`` and a member ``j`` with ``o_j <= o_a`` loses ``s_p + o_j``;
        both conditions of :meth:`add_ok` become ``s_p >= need_a``, one threshold per candidate.
        """
        if not len(out) or not len(self.members):
            return None
        sa, oa = self.s_all[out], self.o_all[out]
        k = len(self.o_sorted)
        ge = np.searchsorted(self.o_sorted, oa, side="left")
        own = self.suffix_s[ge] + sa + (k - ge) * oa - self.memory      # a's own load without p, minus M
        le = np.searchsorted(self.o_sorted, oa, side="right")
        slack_min = np.concatenate([[np.iinfo(np.int64).max // 2], np.minimum.accumulate(self.slack)])
        need = np.maximum(own, sa - slack_min[le])
        first_need = np.minimum.accumulate(need)       # over the candidates with the smallest o
        count = np.searchsorted(oa, self.o_sorted, side="left")   # candidates with o_a < o_p, per member
        sp = self.s_all[self.members]
        has = (count > 0) & (first_need[np.maximum(count, 1) - 1] <= sp)
        if not has.any():
            return None
        p = int(np.flatnonzero(has)[-1])
        a = int(np.flatnonzero(need[: count[p]] <= sp[p])[0])
        return p, int(out[a])

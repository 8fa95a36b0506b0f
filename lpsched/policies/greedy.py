"""The MC-SF family: admit waiting requests in a priority order while the future-memory check holds.

Layer: policies.

Jaillet, Jiang, Mellou, Molinaro, Podimata, Zhou, *Online Scheduling for LLM Inference with KV Cache
Constraints*, arXiv 2502.07115: MC-SF keeps every running request and scans the waiting ones by
(predicted) output length, adding each while the memory of running + added requests stays within ``M``
at every future time up to the latest predicted completion (:class:`lpsched.future.FutureMemory`); it
stops at the first request that fails.  It never evicts.

* ``mcsf`` / ``sf`` — order by ``õ`` (true ``o`` by default, or an over-estimate ``estimate >= o``).
* ``hsf`` — H-SF, the hindsight benchmark of Chen, Ye, Zhou (arXiv 2508.14544): MC-SF with ``õ = o``.
* ``fcfs`` — arrival order with the same check (Jaillet's "MC-Benchmark").
* ``priority`` — a user-given fixed order (``priority[i]`` ascending, then arrival, then index), e.g.
  "type 2 first" for the W3 family.

Ties are broken by arrival time, then request index.

**Scan** (``scan=``, every policy of the family).  ``"stop"`` (default) is the papers' rule: the scan
stops at the first waiting request that does not fit, so a head that does not fit (a long prompt, say)
holds back the requests behind it that would.  ``"skip"`` goes on past it and starts every waiting request that fits,
in the same order (backfilling; A_max's scan).  Results name the variant: ``hsf`` vs ``hsf[skip]``.
On long-prompt traces the two differ a lot, so a ratio "over H-SF" says which scan its benchmark used.

:func:`admit` is the admission of the family, shared with the online Sorted-F
(:mod:`lpsched.sortedf.policy`), whose order changes as requests arrive; the queues below give it the
order: :class:`HeadQueue` (a heap of static keys: the stop scan only looks at its head),
:class:`RankedQueue` (static ranks in a minimum tree of prompts: the skip scan jumps over requests that
cannot fit, and the *staircase* of waiting requests gives the earliest time any of them can start).

>>> from lpsched import Instance, simulate
>>> inst = Instance(10, s=[4, 5, 1], o=[4, 1, 2], a=[0, 1, 1])   # at 1, request 1 (o = 1) does not fit
>>> simulate(inst, "hsf").schedule.start.tolist()                 # ... and holds back request 2, which does
[0, 4, 4]
>>> simulate(inst, "hsf", scan="skip").schedule.start.tolist()    # skip: request 2 starts at once
[0, 4, 1]
"""

from __future__ import annotations

import heapq

import numpy as np

from ..engine import NEVER, Decision, InstanceView, State
from ..future import INF, FutureMemory
from ..model import Instance, InstanceError, int_column
from .registry import register
from .robust import _MinTree

__all__ = ["FutureCheckPolicy", "SCANS", "SCAN_TAGS", "check_scan", "admit", "HeadQueue", "RankedQueue",
           "ranked_decision"]

SCANS = ("stop", "skip")


def check_scan(scan: str) -> str:
    """``scan`` if it is one of :data:`SCANS`, else ``ValueError`` naming the option and the valid values."""
    if scan not in SCANS:
        raise ValueError(f"scan = {scan!r}; valid: {', '.join(repr(x) for x in SCANS)}")
    return scan


def admit(fm: FutureMemory, t: int, s, est, queue, scan: str, dominated: bool = False,
          exact: bool = True) -> tuple[list[int], int | None]:
    """Start waiting requests at ``t`` in ``queue``'s order by the future-memory check (mutates ``fm``
    and ``queue``); returns ``(starts, at)``.

    ``"stop"``: up to the first request that does not fit; ``at`` is its earliest start (searched up to
    the next forecast end unless the forecast is ``exact``; ``None`` if not found or nobody is left).
    ``"skip"``: every request that fits, in order; ``at`` is ``None``.  The skip scan only asks the
    queue for requests that can fit: a prompt must leave a token of room at ``t + 1``, and, with
    ``dominated`` (an order by ascending length), it must be smaller than every prompt that failed
    before it (the check is monotone in ``s`` and ``o``).
    """
    starts: list[int] = []
    skip = scan == "skip"
    room = fm.memory - fm.total_at(t + 1)        # a request needs s + 1 of it
    bound = INF
    queue.restart(fm, t)
    while True:
        i = queue.next(min(bound, room) if skip else INF)
        if i is None:
            return starts, None
        if not skip:
            at = fm.earliest_start(s[i], est[i], t, INF if exact else fm.next_end())
            if at != t:
                return starts, at
        elif not fm.fits(s[i], est[i], t):
            if dominated:
                bound = s[i]
            continue
        queue.take(i)
        fm.add(s[i], t, t + est[i])
        starts.append(i)
        room -= s[i] + 1


class HeadQueue:
    """Waiting requests in a heap of static keys ``(..., index)``; :func:`admit` protocol for the stop scan."""

    __slots__ = ("key", "heap")

    def __init__(self, key: list[tuple]) -> None:
        self.key = key
        self.heap: list[tuple] = []

    def __len__(self) -> int:
        return len(self.heap)

    def add(self, i: int) -> None:
        heapq.heappush(self.heap, self.key[i])

    def restart(self, fm: FutureMemory, t: int) -> None:
        pass

    def next(self, bound: float) -> int | None:
        return self.heap[0][-1] if self.heap else None

    def take(self, i: int) -> None:
        heapq.heappop(self.heap)

    def head(self) -> tuple | None:
        return self.heap[0] if self.heap else None


class RankedQueue:
    """Waiting requests on static ranks: a minimum tree of their prompts over the ranks.

    :meth:`next` returns the next waiting request after the previous one whose prompt is below a bound
    (``O(log n)``: the skip scan jumps over the rest).  A second order by ascending length
    (``by_length``; the same one when omitted) gives the :meth:`staircase`.
    """

    def __init__(self, by_rank, s, est, by_length=None) -> None:
        self.s, self.est = s, est
        self.by_rank = list(by_rank)
        self.rank = _inverse(self.by_rank)
        self.tree = _MinTree(len(self.by_rank))
        if by_length is None:
            self.by_length, self.lrank, self.ltree = self.by_rank, self.rank, self.tree
        else:
            self.by_length = list(by_length)
            self.lrank = _inverse(self.by_length)
            self.ltree = _MinTree(len(self.by_length))
        self.size = 0
        self.pos = 0

    def __len__(self) -> int:
        return self.size

    def add(self, i: int) -> None:
        self.tree.set(self.rank[i], self.s[i])
        if self.ltree is not self.tree:
            self.ltree.set(self.lrank[i], self.s[i])
        self.size += 1

    def take(self, i: int) -> None:
        self.tree.set(self.rank[i], INF)
        if self.ltree is not self.tree:
            self.ltree.set(self.lrank[i], INF)
        self.size -= 1

    def restart(self, fm: FutureMemory, t: int) -> None:
        self.pos = 0

    def next(self, bound: float) -> int | None:
        slot = self.tree.first(self.pos, bound)
        if slot < 0:
            return None
        self.pos = slot + 1
        return self.by_rank[slot]

    def staircase(self) -> list[tuple[int, int]]:
        """``(s, est)`` of the waiting requests that no other beats in both (by ascending ``est``, each
        with a smaller prompt than those before): whenever a waiting request fits, one of these fits
        (the check is monotone in ``s`` and ``o``), so their earliest start is everyone's."""
        out, pos, bound = [], 0, INF
        tree, ids, s, est = self.ltree, self.by_length, self.s, self.est
        while True:
            slot = tree.first(pos, bound)
            if slot < 0:
                return out
            i = ids[slot]
            out.append((s[i], est[i]))
            bound, pos = s[i], slot + 1


def _inverse(perm: list[int]) -> list[int]:
    inv = [0] * len(perm)
    for r, i in enumerate(perm):
        inv[i] = r
    return inv


class FutureCheckPolicy:
    """Admission by the MC-SF future-memory check in a fixed priority order; never evicts.

    Parameters
    ----------
    name : registry name (for reports; ``[skip]`` is appended for the skip scan).
    order : ``"length"`` (by ``õ``, then arrival, then index) or ``"arrival"`` (by arrival, then index).
    estimate : optional over-estimates ``õ >= o`` of the output lengths (default: the true ``o``).
    scan : ``"stop"`` (default: stop at the first request that does not fit) or ``"skip"`` (start every
        waiting request that fits, in the order); module docstring.
    """

    clairvoyant = True

    def __init__(self, name: str, order: str, estimate=None, scan: str = "stop") -> None:
        if order not in ("length", "arrival"):
            raise ValueError(f"order = {order!r}; valid: 'length', 'arrival'")
        self.scan = check_scan(scan)
        self.name = name if scan == "stop" else f"{name}[skip]"
        self.order = order
        self.estimate = None if estimate is None else int_column(estimate, "estimate", 1)

    def check(self, instance: Instance) -> None:
        """Boundary check: an estimate must cover every request and never under-estimate ``o``."""
        if self.estimate is None:
            return
        if len(self.estimate) != instance.n:
            raise InstanceError(f"estimate has {len(self.estimate)} entries, instance has {instance.n}")
        bad = np.flatnonzero((self.estimate < instance.o) | (instance.s + self.estimate > instance.memory))
        if len(bad):
            i = int(bad[0])
            raise InstanceError(f"estimate[{i}] = {self.estimate[i]} must satisfy o = {instance.o[i]} <= "
                                f"estimate <= M - s = {instance.memory - instance.s[i]}")

    def reset(self, view: InstanceView, rng: np.random.Generator) -> None:
        est = view.o if self.estimate is None else self.estimate
        self._s = view.s.tolist()
        self._est = est.tolist()
        key = list(zip(*(k.tolist() for k in self.order_keys(view)), range(view.n)))
        if self.scan == "stop":
            self._queue = HeadQueue(key)
        else:
            by_rank = sorted(range(view.n), key=key.__getitem__)
            by_length = None if self.order == "length" else \
                np.lexsort((np.arange(view.n), view.a, est)).tolist()
            self._queue = RankedQueue(by_rank, self._s, self._est, by_length)
        self._future = FutureMemory(view.memory)
        self._start: dict[int, int] = {}

    def order_keys(self, instance: Instance) -> tuple:
        """The priority order as sort keys, most significant first (the index breaks the last ties)."""
        est = instance.o if self.estimate is None else self.estimate
        return (est, instance.a) if self.order == "length" else (instance.a,)

    def compiled(self, instance: Instance):
        """The compiled twin of this rule (:mod:`lpsched.kernels.greedy`), or ``None`` for a subclass
        that may have changed it."""
        from .. import kernels as K

        if not K.exact_type(self, FutureCheckPolicy, PriorityPolicy):
            return None
        try:
            self.check(instance)          # the kernel trusts its input: a bad one goes to the Python engine
        except InstanceError:
            return None
        est = instance.o if self.estimate is None else self.estimate
        rank, by_rank = K.ranks(*self.order_keys(instance))
        skip = self.scan == "skip"
        lrank, by_lrank = (rank, by_rank) if self.order == "length" else K.ranks(est, instance.a)
        if not skip:                      # the stop scan keeps a heap of ranks: no trees
            by_rank = lrank = by_lrank = K.i64(np.zeros(0, np.int64))
        return K.Job("greedy", "future_check",
                     (instance.memory, K.i64(instance.s), K.i64(est), K.i64(instance.o), K.i64(instance.a),
                      rank, K.arrival_order(instance), self.estimate is None, skip, self.order == "length",
                      by_rank, lrank, by_lrank))

    def release(self) -> None:
        """Drop the per-run state (the engine calls this once the run is over)."""
        for attr in ("_s", "_est", "_queue", "_future", "_start"):
            self.__dict__.pop(attr, None)

    def decide(self, state: State) -> Decision:
        t, fm, s, est = state.t, self._future, self._s, self._est
        for i in state.completed:
            p = self._start.pop(i)
            fm.remove(s[i], p, p + est[i])
        queue = self._queue
        for i in state.arrived:
            queue.add(i)
        exact = self.estimate is None
        starts, at = admit(fm, t, s, est, queue, self.scan, self.order == "length", exact)
        for i in starts:
            self._start[i] = t
        if self.scan == "skip":
            return ranked_decision(fm, t, starts, queue, exact)
        # the head's earliest start is when to look again (with over-estimates the search went only up
        # to the next forecast end: a completion may come early, and the engine asks at completions)
        return Decision(starts, (), NEVER if at is None else at)


def ranked_decision(fm: FutureMemory, t: int, starts: list[int], queue, exact: bool,
                    wake: float | None = None) -> Decision:
    """The decision of a scan over a :class:`RankedQueue`-like queue: look again at ``wake`` if given,
    else when the first waiting request fits (its :meth:`~RankedQueue.staircase`; with over-estimates
    searched up to the next forecast end only)."""
    if wake is None:
        hi = INF if exact else fm.next_end()
        wake = fm.first_fit(queue.staircase(), t + 1, hi) if queue else INF
        if wake >= hi:
            wake = NEVER
    return Decision(starts, (), wake)


@register("mcsf")
def mcsf(estimate=None, scan: str = "stop") -> FutureCheckPolicy:
    """MC-SF: shortest (predicted) output first with the future-memory check."""
    return FutureCheckPolicy("mcsf", "length", estimate, scan)


@register("sf")
def sf(estimate=None, scan: str = "stop") -> FutureCheckPolicy:
    """``sf``: the same algorithm as ``mcsf`` (the Sorted-F papers' "Shortest-First")."""
    return FutureCheckPolicy("sf", "length", estimate, scan)


@register("hsf")
def hsf(scan: str = "stop") -> FutureCheckPolicy:
    """H-SF: MC-SF with the true output lengths (hindsight benchmark of the A_min paper)."""
    return FutureCheckPolicy("hsf", "length", scan=scan)


@register("fcfs")
def fcfs(scan: str = "stop") -> FutureCheckPolicy:
    """FCFS with the future-memory check; stops at the first request that does not fit (``scan="skip"``:
    goes on, i.e. backfills)."""
    return FutureCheckPolicy("fcfs", "arrival", scan=scan)


SCAN_TAGS = {"stop": ("scan", "stop"), "skip": ("scan", "skip")}


class PriorityPolicy(FutureCheckPolicy):
    """MC-SF admission in a fixed order: ``priority[i]`` ascending, then arrival, then index."""

    def __init__(self, priority=None, scan: str = "stop") -> None:
        super().__init__("priority", "arrival", scan=scan)
        self.priority = None if priority is None else np.asarray(priority)
        if self.priority is None:
            return
        if self.priority.ndim != 1 or not np.issubdtype(self.priority.dtype, np.number):
            raise ValueError(f"priority must be a 1-d numeric array, got {priority!r:.60}")

    def check(self, instance: Instance) -> None:
        if self.priority is not None and len(self.priority) != instance.n:
            raise InstanceError(f"priority has {len(self.priority)} entries, instance has {instance.n}")

    def order_keys(self, instance: Instance) -> tuple:
        prio = np.zeros(instance.n, np.int64) if self.priority is None else self.priority
        return prio, instance.a

    def reset(self, view: InstanceView, rng: np.random.Generator) -> None:
        self.check(view)
        super().reset(view, rng)


@register("priority")
def priority(priority=None, scan: str = "stop") -> PriorityPolicy:
    """Fixed-priority admission with the future-memory check (``priority=`` keys, smaller first;
    default: all equal, i.e. arrival order; ``scan="skip"``: go on past a request that does not fit)."""
    return PriorityPolicy(priority, scan)


for _factory in (mcsf, sf, hsf, fcfs, priority):
    _factory.tags = SCAN_TAGS

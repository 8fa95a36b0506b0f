"""The ``sorted_f`` policy (Wang, Ye, Zhou, arXiv 2508.06133), a plug-in of the policy registry.

Layer: algorithms.

Sorted-F has two phases (Wang, Ye and Zhou, section 5; ``docs/sources``):

1. **Order** (:func:`sorted_f_order`): repeatedly select, among the requests not yet ordered, the batch
   ``X`` minimising ``(F(X), -|X|)`` under memory (any selector of :mod:`lpsched.sortedf.selection`),
   sort it by ascending ``o`` (then index) and append it.
2. **List scheduling** (:func:`list_schedule`): in that order each request starts at the earliest time
   ``tau`` that is not before the previous request's start, not before its own arrival, and at which
   adding it keeps the whole schedule memory-feasible
   (:meth:`lpsched.future.FutureMemory.earliest_start`; starts are non-decreasing, so every run already
   placed starts at or before ``tau`` and the future-memory check is exact).

**Arrivals** (``plan=``).  The paper assumes every request is present at time 0.  Two extensions:

* ``plan="online"`` (default): at a decision, the order is the Sorted-F order over the requests that
  have arrived and wait, and they are admitted in it by the MC-SF future-memory check
  (:func:`lpsched.policies.greedy.admit`: a request starts when it fits at every future time beside the
  running ones; ``scan="stop"`` stops at the first that does not fit, as list scheduling does,
  ``scan="skip"`` goes on past it).  The order is recomputed when requests have arrived since it was
  computed, and only at a time when one of the waiting requests fits (otherwise nobody can start, and
  the order would be computed again before anyone does); a start does not recompute it.  So with every
  request at 0 it is computed once and the schedule is exactly the paper's Sorted-F (list scheduling
  admits the same requests at the same times); recomputing after starts would change that (the rest of
  a batch that only partly started would be selected again).  The order is computed lazily, one
  selection per batch as the scan reaches it (:func:`sorted_f_batches`): the stop scan rarely needs
  more than the first batches; when all the waiting requests fit, no order is computed (all start in any
  order).  One candidate pool is kept over the waiting requests (:func:`make_pool`), so an order costs
  the pool's size, not the number waiting: the run is linear in the trace's length.  Cost on the Azure
  conversation trace (19,366 requests, ``local_swap``): the order is computed 12,296 times, over 2-163
  waiting requests; the run takes 2.9 s of CPU with the compiled ``local_swap`` core (loaded from 5,000
  requests, :func:`lpsched.sortedf.local.use_compiled`), 6 s without it.
* ``plan="offline"``: the order is computed once, on *all* requests (the policy is clairvoyant: it knows
  ``o`` and ``a``), and list scheduling gets the extra constraint ``tau >= a_i``.  The order ignores
  arrivals, so a late request in an early batch holds back every later request (starts are
  non-decreasing): on the Azure conversation trace it starts nothing for the first hour.  The plan is
  computed in ``reset`` and each request is started at its planned time; the wake hint is the next
  planned start, so the reference and fast engines produce the same schedule.

Results name the variant: ``sorted_f`` (online, stop), ``sorted_f[offline]``, ``sorted_f[skip]``, with the
selector appended when it is not ``exact_dp`` (``sorted_f[offline,local_swap]``).

**Selector and candidate pool** (the cost of the plan).  ``sorted_f`` without ``selector=`` uses
:func:`affordable_selector` (``typed_exact`` for at most four request types, ``exact_dp`` up to 200
requests, else ``local_swap``); ``selector="exact_dp"`` asks for the exact selection at any size.  Each
selection over all the remaining requests costs at least their number, so a plan costs
``O(n^2 / batch)``; a *candidate pool* bounds what each selection sees (``pool=``, :func:`sorted_f_order`):

* ``typed_exact``: for each type ``(s, o)`` the ``M // (s + o)`` remaining requests of that type with
  the smallest indices -- no batch holds more of a type, and ``typed_exact`` takes a type's requests by
  index, so the plan is *identical* to the one without a pool (always on);
* the heuristics ``local_swap`` and ``quantile_greedy``: the :data:`POOL` remaining requests first by
  ``s + o`` (then index) with the :data:`POOL` first by ``o`` -- where ``local_swap`` starts and what its
  moves try first (:data:`ONLINE_POOL` for the online plan, whose order is computed at almost every
  decision: its cost per order is then bounded, so the run stays linear while the queue grows).  A
  heuristic's batch can differ from the one it finds among all remaining requests (neither has a
  guarantee); ``pool=None`` turns the pool off;
* the exact selectors (``exact_dp``, ``scaled_dp``, ``memory_grid_dp``, ``brute_force``, ``mip``): no pool.

Examples
--------
>>> from lpsched import Instance, simulate
>>> inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
>>> res = simulate(inst, "sorted_f")
>>> res.schedule.start.tolist(), res.metrics.tct
([0, 0, 1, 3], 11)

A late arrival placed early in the offline order holds everyone back; the online plan does not know it
before it arrives:

>>> late = Instance(memory=6, s=[2, 2, 2], o=[1, 1, 1], a=[5, 0, 0])
>>> simulate(late, "sorted_f", plan="offline").schedule.start.tolist()
[5, 5, 6]
>>> simulate(late, "sorted_f").schedule.start.tolist()
[5, 0, 0]
"""

from __future__ import annotations

import bisect
from typing import Iterator

import numpy as np

from ..engine import NEVER, Decision, InstanceView, SimulationError, State
from ..future import FutureMemory
from ..model import Instance
from ..policies.greedy import SCAN_TAGS, RankedQueue, admit, check_scan, ranked_decision
from ..policies.registry import REGISTRY, register
from . import local
from .selection import SELECTORS, select

__all__ = ["sorted_f_order", "sorted_f_batches", "list_schedule", "SortedFPolicy", "PLANS"]

#: how ``sorted_f`` plans when requests arrive over time (module docstring)
PLANS = ("online", "offline")


#: candidates of each heuristic selection (twice this many at most; ``sorted_f(pool=...)`` changes it)
POOL = 2048
#: the same for the online plan.  On the LMSYS-like benchmark (Poisson 1.5 per step, ``M = 16492``) it gives
#: the schedules of ``POOL`` at 10^4, 10^5 and 3 x 10^5 requests (TCT 1,247,532, 21,761,817 and 119,554,167),
#: where the queue reaches 700 requests (at 10^6 the sum of the start times differs by 0.0002%); the run
#: grows as n^1.07 between 10^5 and 10^6 (n^1.43 with ``POOL``: the cost of an order follows the queue up
#: to the pool's size).
ONLINE_POOL = 256
HEURISTICS = ("local_swap", "quantile_greedy")


def sorted_f_order(s, o, memory: int, selector: str = "exact_dp", pool: int | str | None = None,
                   **options) -> tuple[np.ndarray, list[np.ndarray]]:
    """Sorted-F order: repeated selection; returns ``(order, batches)`` (batches as index arrays).

    ``pool``: ``None`` (every selection sees all remaining requests), ``"typed"`` (per type the
    ``M // (s + o)`` remaining ones with the smallest indices: exact for ``typed_exact``), or an integer
    ``P`` (the ``P`` first remaining by ``s + o`` with the ``P`` first by ``o``); module docstring.

    >>> order, batches = sorted_f_order([2, 2, 2, 2], [1, 1, 2, 3], 6)
    >>> order.tolist(), [b.tolist() for b in batches]
    ([0, 1, 2, 3], [[0, 1], [2], [3]])
    >>> sorted_f_order([2, 2, 2, 2], [1, 1, 2, 3], 6, "typed_exact", pool="typed")[0].tolist()
    [0, 1, 2, 3]
    """
    batches = list(sorted_f_batches(s, o, memory, selector, pool, **options))
    return np.concatenate(batches), batches


def sorted_f_batches(s, o, memory: int, selector: str = "exact_dp", pool: int | str | None = None,
                     **options) -> Iterator[np.ndarray]:
    """The batches of :func:`sorted_f_order` one at a time: each selection runs when its batch is asked
    for (the online plan needs only the batches its scan reaches).  A bad ``pool`` fails at once.

    >>> batches = sorted_f_batches([2, 2, 2, 2], [1, 1, 2, 3], 6)
    >>> next(batches).tolist()
    [0, 1]
    """
    s = np.asarray(s, dtype=np.int64)
    o = np.asarray(o, dtype=np.int64)
    return _batches(make_pool(s, o, memory, pool, range(len(s))), s, o, memory, selector, options)


def _batches(pool, s: np.ndarray, o: np.ndarray, memory: int, selector: str, options: dict,
             planned: set[int] | None = None) -> Iterator[np.ndarray]:
    """Select among ``pool``'s candidates, take the batch out of the pool, yield it; until none is left.

    With ``planned`` (the online plan: the pool is the waiting set, which a plan does not change) the
    batches stay in the pool and join ``planned`` instead, and the candidates leave them out.
    """
    while len(pool) > (0 if planned is None else len(planned)):
        cand = pool.candidates(planned)            # ascending indices
        r = select((s[cand], o[cand]), memory, selector, **options)
        chosen = cand[r.indices]                   # r.indices are in ascending o, then index
        if planned is None:
            pool.take(chosen)
        else:
            planned.update(chosen.tolist())
        yield chosen


def _first_free(keys: "SortedInts", k: int | None, exclude: set[int] | None, to_id=None) -> np.ndarray:
    """The first ``k`` (all if ``None``) requests of ``keys`` (mapped to ids by ``to_id``) not in ``exclude``."""
    extra = len(exclude) if exclude else 0
    ids = np.array(keys.first(None if k is None else k + extra), np.int64)
    if to_id is not None:
        ids = to_id[ids]
    if exclude:
        ids = ids[~np.isin(ids, np.fromiter(exclude, np.int64, extra))]
    return ids if k is None else ids[:k]


def make_pool(s: np.ndarray, o: np.ndarray, memory: int, pool: int | str | None, members):
    """The candidate pool (module docstring) over the requests ``members`` of ``(s, o)``; requests join
    with ``add`` and leave with ``take`` (the online plan keeps one pool over the waiting requests, so a
    re-plan costs the pool's size, not the number waiting)."""
    if pool is None:
        return _AllRemaining(members)
    if pool == "typed":
        return _TypedPool(s, o, memory, members)
    if isinstance(pool, (int, np.integer)) and not isinstance(pool, bool) and pool >= 1:
        return _OrderedPool(s, o, int(pool), members)
    raise ValueError(f"pool = {pool!r}; valid: None, 'typed' or an integer >= 1")


class SortedInts:
    """A set of integers kept sorted in blocks: ``add`` and ``remove`` in ``O(log n + B)``, the first ``k``
    in ``O(k)`` (what a candidate pool needs from a set that changes by a few members at a time).

    >>> keys = SortedInts([5, 1, 3])
    >>> keys.add(2); keys.remove(5); keys.first(2), len(keys)
    ([1, 2], 3)
    """

    BLOCK = 512

    def __init__(self, values=()) -> None:
        v = sorted(values)
        self.blocks = [v[k:k + self.BLOCK] for k in range(0, len(v), self.BLOCK)]
        self.maxes = [b[-1] for b in self.blocks]
        self.size = len(v)

    def __len__(self) -> int:
        return self.size

    def add(self, x: int) -> None:
        blocks, maxes = self.blocks, self.maxes
        self.size += 1
        if not blocks:
            blocks.append([x])
            maxes.append(x)
            return
        k = min(bisect.bisect_left(maxes, x), len(maxes) - 1)
        b = blocks[k]
        bisect.insort(b, x)
        maxes[k] = b[-1]
        if len(b) > 2 * self.BLOCK:
            blocks[k:k + 1] = [b[:self.BLOCK], b[self.BLOCK:]]
            maxes[k:k + 1] = [b[self.BLOCK - 1], b[-1]]

    def remove(self, x: int) -> None:
        k = bisect.bisect_left(self.maxes, x)
        b = self.blocks[k]
        del b[bisect.bisect_left(b, x)]
        if b:
            self.maxes[k] = b[-1]
        else:
            del self.blocks[k], self.maxes[k]
        self.size -= 1

    def first(self, k: int | None = None) -> list[int]:
        out: list[int] = []
        for b in self.blocks:
            if k is not None and len(out) >= k:
                break
            out.extend(b)
        return out if k is None else out[:k]


class _AllRemaining:
    """Every member is a candidate."""

    def __init__(self, members) -> None:
        self.keys = SortedInts(members)

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, i: int) -> None:
        self.keys.add(i)

    def take(self, chosen) -> None:
        for i in np.asarray(chosen).tolist():
            self.keys.remove(i)

    def candidates(self, exclude: set[int] | None = None) -> np.ndarray:
        return _first_free(self.keys, None, exclude)


class _TypedPool:
    """Per type ``(s, o)``, its ``M // (s + o)`` members with the smallest indices (no batch holds more of a
    type, and ``typed_exact`` takes a type's requests by index)."""

    def __init__(self, s: np.ndarray, o: np.ndarray, memory: int, members) -> None:
        kinds, inverse = np.unique(np.stack([s, o], axis=1), axis=0, return_inverse=True)
        self.type_of = inverse.reshape(-1).tolist()
        self.cap = [max(1, memory // int(so)) for so in kinds.sum(axis=1).tolist()]
        self.keys = [SortedInts() for _ in self.cap]
        self.size = 0
        for i in members:
            self.add(int(i))

    def __len__(self) -> int:
        return self.size

    def add(self, i: int) -> None:
        self.keys[self.type_of[i]].add(i)
        self.size += 1

    def take(self, chosen) -> None:
        for i in np.asarray(chosen).tolist():
            self.keys[self.type_of[i]].remove(i)
        self.size -= len(chosen)

    def candidates(self, exclude: set[int] | None = None) -> np.ndarray:
        parts = [_first_free(k, c, exclude) for k, c in zip(self.keys, self.cap) if len(k)]
        return np.sort(np.concatenate(parts))


class _OrderedPool:
    """The ``P`` first members by ``(s + o, index)`` and the ``P`` first by ``(o, index)``."""

    def __init__(self, s: np.ndarray, o: np.ndarray, size: int, members) -> None:
        idx = np.arange(len(s))
        self.orders = [np.lexsort((idx, s + o)), np.lexsort((idx, o))]
        members = np.fromiter(members, np.int64)
        self.ranks, self.keys = [], []
        for order in self.orders:
            rank = np.empty(len(s), np.int64)
            rank[order] = idx
            self.ranks.append(rank.tolist())
            self.keys.append(SortedInts(rank[members].tolist()))
        self.size = size

    def __len__(self) -> int:
        return len(self.keys[0])

    def add(self, i: int) -> None:
        for keys, rank in zip(self.keys, self.ranks):
            keys.add(rank[i])

    def take(self, chosen) -> None:
        for i in np.asarray(chosen).tolist():
            for keys, rank in zip(self.keys, self.ranks):
                keys.remove(rank[i])

    def candidates(self, exclude: set[int] | None = None) -> np.ndarray:
        first = [_first_free(k, self.size, exclude, order) for order, k in zip(self.orders, self.keys)]
        return np.union1d(first[0], first[1])


def list_schedule(instance: Instance, order) -> np.ndarray:
    """Start times by list scheduling in ``order`` (earliest feasible, non-decreasing, after arrival).

    >>> from lpsched import Instance
    >>> list_schedule(Instance(6, [2, 2, 2, 2], [1, 1, 2, 3]), [2, 0, 1, 3]).tolist()
    [0, 2, 0, 2]
    """
    order = np.asarray(order, dtype=np.int64)
    if sorted(order.tolist()) != list(range(instance.n)):
        raise ValueError(f"order must be a permutation of 0..{instance.n - 1}")
    s, o, a = instance.s.tolist(), instance.o.tolist(), instance.a.tolist()
    fm = FutureMemory(instance.memory)
    start = np.zeros(instance.n, np.int64)
    prev = 0
    for i in order.tolist():
        lo = max(prev, a[i])
        fm.drop_ended(lo)
        tau = fm.earliest_start(s[i], o[i], lo)
        fm.add(s[i], tau, tau + o[i])
        start[i] = prev = tau
    return start


class SortedFPolicy:
    """Sorted-F as an engine policy: the order over the waiting requests (``plan="online"``) or the offline
    plan computed in ``reset`` (``plan="offline"``); module docstring.

    Parameters
    ----------
    selector : name of the selection subroutine; ``None`` (default): :func:`affordable_selector` of the
        instance, chosen in ``reset`` (the name then says which one ran, e.g. ``sorted_f[local_swap]``).
    pool : ``"auto"`` (default: the exact per-type pool for ``typed_exact``; for the heuristics
        :data:`POOL` offline, :data:`ONLINE_POOL` online; none for the exact selectors), ``None`` (every
        selection sees every remaining request) or an integer pool size for any selector.
    plan : ``"online"`` (default) or ``"offline"`` (:data:`PLANS`).
    scan : ``"stop"`` (default) or ``"skip"`` (online only): admission past a request that does not fit.
    **options : passed to the selector (``eps=``, ``seed=``...).
    """

    clairvoyant = True

    def __init__(self, selector: str | None = None, pool: int | str | None = "auto", plan: str = "online",
                 scan: str = "stop", **options) -> None:
        if selector is not None and selector not in SELECTORS:
            raise ValueError(f"unknown selector {selector!r}; valid selectors: {', '.join(sorted(SELECTORS))}")
        if not (pool is None or pool in ("auto", "typed")
                or (isinstance(pool, (int, np.integer)) and not isinstance(pool, bool) and pool >= 1)):
            raise ValueError(f"pool = {pool!r}; valid: 'auto', None, 'typed' or an integer >= 1")
        if plan not in PLANS:
            raise ValueError(f"plan = {plan!r}; valid: {', '.join(repr(p) for p in PLANS)}")
        check_scan(scan)
        if plan == "offline" and scan == "skip":
            raise ValueError("scan = 'skip' needs plan = 'online' (the offline plan list-schedules: no start "
                             "goes before an earlier one in the order); valid with plan = 'offline': 'stop'")
        self.selector = selector
        self.pool = pool
        self.planning = plan             # (``plan`` is the offline plan's start times once it ran)
        self.scan = scan
        self.options = options
        self.name = self._name(selector)

    def _name(self, selector: str | None) -> str:
        tags = ["offline"] * (self.planning == "offline") + ["skip"] * (self.scan == "skip")
        if selector not in (None, "exact_dp"):
            tags.append(selector)
        return f"sorted_f[{','.join(tags)}]" if tags else "sorted_f"

    def plan_options(self, instance: Instance) -> tuple[str, int | str | None]:
        """The selector and the pool this policy uses on ``instance``."""
        selector = self.selector or affordable_selector(instance)["selector"]
        pool = self.pool
        if pool == "auto":
            size = ONLINE_POOL if self.planning == "online" else POOL
            pool = "typed" if selector == "typed_exact" else size if selector in HEURISTICS else None
        return selector, pool

    def reset(self, view: InstanceView, rng: np.random.Generator) -> None:
        inst = Instance(view.memory, view.s, view.o, view.a)
        selector, pool = self.plan_options(inst)
        self.name = self._name(selector)
        if self.planning == "online":
            if selector == "local_swap":
                local.use_compiled(view.n)
            s, o = view.s.tolist(), view.o.tolist()
            length = RankedQueue(np.lexsort((np.arange(view.n), view.a, view.o)), s, o)
            self._queue = _PlanQueue(view.s, view.o, view.memory, selector, pool, self.options, length)
            self._s, self._o = s, o
            self._future = FutureMemory(view.memory)
            self._start: dict[int, int] = {}
            self.replans = 0
            return
        self.order, self.batches = sorted_f_order(view.s, view.o, view.memory, selector, pool, **self.options)
        self.plan = list_schedule(inst, self.order)
        seq = np.lexsort((np.arange(view.n), self.plan))
        self._times = self.plan[seq].tolist()
        self._ids = seq.tolist()
        self._next = 0

    def release(self) -> None:
        """Drop the per-run state (the offline plan stays readable as ``order``, ``batches`` and ``plan``;
        the online one leaves ``replans``, the number of times its order was computed)."""
        queue = self.__dict__.get("_queue")
        if queue is not None:
            self.replans = queue.plans
        for attr in ("_times", "_ids", "_queue", "_s", "_o", "_future", "_start"):
            self.__dict__.pop(attr, None)

    def decide(self, state: State) -> Decision:
        if self.planning == "online":
            return self._decide_online(state)
        times, ids, k = self._times, self._ids, self._next
        if k < len(times) and times[k] < state.t:
            raise SimulationError(f"sorted_f: request {ids[k]} was planned at t = {times[k]} but the engine "
                                  f"first asked at t = {state.t}")
        starts = []
        while k < len(times) and times[k] == state.t:
            starts.append(ids[k])
            k += 1
        self._next = k
        return Decision(starts, (), times[k] if k < len(times) else NEVER)

    def _decide_online(self, state: State) -> Decision:
        t, fm, s, o, queue = state.t, self._future, self._s, self._o, self._queue
        for i in state.completed:
            p = self._start.pop(i)
            fm.remove(s[i], p, p + o[i])
        for i in state.arrived:
            queue.add(i)
        starts, at = [], None
        # an order made stale by arrivals is recomputed only when someone can start
        if queue and (not queue.stale or fm.first_fit(queue.staircase(), t, t + 1) == t):
            starts, at = admit(fm, t, s, o, queue, self.scan)
        for i in starts:
            self._start[i] = t
        return ranked_decision(fm, t, starts, queue, True, at)


def _all_fit(fm: FutureMemory, t: int, ids, s: list[int], o: list[int]) -> bool:
    """Do the requests ``ids`` all fit at ``t`` beside the runs of ``fm`` (started together)?"""
    trial = fm.copy()
    for i in ids:
        if not trial.fits(s[i], o[i], t):
            return False
        trial.add(s[i], t, t + o[i])
    return True


class _PlanQueue:
    """The waiting requests in Sorted-F order, for :func:`lpsched.policies.greedy.admit`.

    The order over the waiting set (ascending ids, so index ties fall as in the offline plan) is computed
    batch by batch as the scan reaches it, and again from scratch at the next scan after an arrival.  One
    candidate pool (:func:`make_pool`) holds the waiting requests (arrivals join it, starts leave it); an
    order's batches are left out of its candidates (``planned``) and a new order starts with none, so an
    order costs the pool's size and its batches, not the number waiting.  When the waiting requests all
    fit beside the running ones, every order starts all of them (a subset of a feasible set is feasible),
    so no order is computed.  ``length`` (a :class:`~lpsched.policies.greedy.RankedQueue` over the length order) holds
    the same set and gives the staircase.
    """

    def __init__(self, s, o, memory, selector, pool, options, length: RankedQueue) -> None:
        self.s_all, self.o_all = np.asarray(s, np.int64), np.asarray(o, np.int64)
        self.s, self.o = self.s_all.tolist(), self.o_all.tolist()
        self.memory, self.selector, self.options = memory, selector, options
        self.pool = make_pool(self.s_all, self.o_all, memory, pool, ())
        self.length = length
        self.waiting: set[int] = set()
        self.planned: set[int] = set()              # waiting, in a batch of the current order
        self.stale = False
        self.ids: list[int] = []
        self.batches: Iterator[list[int]] = iter(())
        self.head = self.pos = self.plans = 0

    def __len__(self) -> int:
        return len(self.waiting)

    def add(self, i: int) -> None:
        self.waiting.add(i)
        self.pool.add(i)
        self.length.add(i)
        self.stale = True

    def take(self, i: int) -> None:
        self.waiting.discard(i)
        self.planned.discard(i)
        self.pool.take((i,))
        self.length.take(i)

    def staircase(self) -> list[tuple[int, int]]:
        return self.length.staircase()

    def restart(self, fm: FutureMemory, t: int) -> None:
        if self.stale:
            self.planned.clear()
            self.head, self.stale, self.batches = 0, False, iter(())
            if len(self.waiting) > 1 and not _all_fit(fm, t, self.waiting, self.s, self.o):
                self.ids, self.batches = [], self._plan()
                self.plans += 1
            else:
                self.ids = sorted(self.waiting)
        ids, waiting = self.ids, self.waiting
        while self.head < len(ids) and ids[self.head] not in waiting:
            self.head += 1                             # the started prefix is never looked at again
        self.pos = self.head

    def _plan(self) -> Iterator[list[int]]:
        for batch in _batches(self.pool, self.s_all, self.o_all, self.memory, self.selector, self.options,
                              self.planned):
            yield batch.tolist()

    def next(self, bound: float) -> int | None:
        ids, waiting, s = self.ids, self.waiting, self.s
        while True:
            if self.pos == len(ids):
                batch = next(self.batches, None)
                if batch is None:
                    return None
                ids.extend(batch)
            i = ids[self.pos]
            self.pos += 1
            if i in waiting and s[i] < bound:
                return i


def affordable_selector(instance: Instance) -> dict:
    """Options for ``sorted_f`` that stay exact where that is cheap and fast elsewhere: ``typed_exact``
    when there are at most four distinct request types, ``exact_dp`` up to 200 requests, else
    ``local_swap`` (the exact DP costs O(n K M) per selection; see ``benchmarks/sortedf_selectors.py``)."""
    types = len(set(zip(instance.s.tolist(), instance.o.tolist())))
    if types <= 4:
        return {"selector": "typed_exact"}
    return {"selector": "exact_dp" if instance.n <= 200 else "local_swap"}


def sorted_f(selector: str | None = None, pool: int | str | None = "auto", plan: str = "online",
             scan: str = "stop", **options) -> SortedFPolicy:
    """Sorted-F with the named selector (``selector=``, default :func:`affordable_selector`; ``"exact_dp"``
    for the exact selection at any size), a candidate pool (``pool=``), ``plan="online"`` (default: the
    order over the waiting requests) or ``"offline"`` (over all, list-scheduled), ``scan="stop"`` or
    ``"skip"``, and the selector's options."""
    return SortedFPolicy(selector, pool, plan, scan, **options)


def _sorted_f_tags() -> dict[str, tuple[str, str]]:
    """What a bracket in a name like ``sorted_f[offline,local_swap]`` sets (:func:`lpsched.policies.make_policy`)."""
    return {**{p: ("plan", p) for p in PLANS}, **SCAN_TAGS, **{x: ("selector", x) for x in SELECTORS}}


sorted_f.tags = _sorted_f_tags


def _register(name: str, factory) -> None:
    # a second import of this file under another module name (pytest --import-mode=importlib collecting it
    # directly) must not register the same factory twice
    old = REGISTRY.get(name)
    if old is None or old.__qualname__ != factory.__qualname__:
        register(name)(factory)


_register("sorted_f", sorted_f)

"""The ``sorted_f`` policy (Wang, Ye, Zhou, arXiv 2508.06133) and a fixed-``priority`` policy.

Sorted-F has two phases (Wang, Ye and Zhou, section 5; ``docs/sources``):

1. **Order** (:func:`sorted_f_order`): repeatedly select, among the requests not yet ordered, the batch
   ``X`` minimising ``(F(X), -|X|)`` under memory (any selector of :mod:`lpsched.sortedf.selection`),
   sort it by ascending ``o`` (then index) and append it.
2. **List scheduling** (:func:`list_schedule`): in that order each request starts at the earliest time
   ``tau`` that is not before the previous request's start, not before its own arrival, and at which
   adding it keeps the whole schedule memory-feasible
   (:meth:`lpsched.future.FutureMemory.earliest_start`; starts are non-decreasing, so every run already
   placed starts at or before ``tau`` and the future-memory check is exact).

**Arrivals.**  The paper assumes every request is present at time 0.  Our choice for ``a > 0``: the plan
is computed once, offline, on *all* requests (the policy is clairvoyant: it knows ``o`` and ``a``), and the
list-scheduling rule gets the extra constraint ``tau >= a_i``.  The order ignores arrivals, so a late
request in an early batch holds back every later request (starts are non-decreasing): this is the literal
extension, not an online algorithm; with all ``a = 0`` it is exactly the paper's Sorted-F.

In the engine the plan is computed in ``reset`` and each request is started at its planned time; the
wake hint is the next planned start, so the reference and fast engines produce the same schedule.

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
  moves try first.  A heuristic's batch can differ from the one it finds among all remaining requests
  (neither has a guarantee); ``pool=None`` turns the pool off;
* the exact selectors (``exact_dp``, ``scaled_dp``, ``memory_grid_dp``, ``brute_force``, ``mip``): no pool.

``priority``: the MC-SF admission (future-memory check, stop at the first request that does not fit) in
a user-given fixed order (``priority[i]`` ascending, then arrival, then index), e.g. "type 2 first" for
the W3 family.

Examples
--------
>>> from lpsched import Instance, simulate
>>> inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
>>> res = simulate(inst, "sorted_f")
>>> res.schedule.start.tolist(), res.metrics.tct
([0, 0, 1, 3], 11)
>>> simulate(inst, "priority", priority=[3, 2, 1, 0]).metrics.tct
18
"""

from __future__ import annotations

import numpy as np

from ..engine import NEVER, Decision, InstanceView, SimulationError, State
from ..future import FutureMemory
from ..model import Instance, InstanceError
from ..policies import REGISTRY, register
from ..policies.greedy import FutureCheckPolicy
from .selection import SELECTORS, _load_selectors, select

__all__ = ["sorted_f_order", "list_schedule", "SortedFPolicy", "PriorityPolicy"]


#: candidates of each heuristic selection (twice this many at most; ``sorted_f(pool=...)`` changes it)
POOL = 2048
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
    s = np.asarray(s, dtype=np.int64)
    o = np.asarray(o, dtype=np.int64)
    if pool is None:
        pools = _AllRemaining(len(s))
    elif pool == "typed":
        pools = _TypedPool(s, o, memory)
    elif isinstance(pool, (int, np.integer)) and not isinstance(pool, bool) and pool >= 1:
        pools = _OrderedPool(s, o, int(pool))
    else:
        raise ValueError(f"pool = {pool!r}; valid: None, 'typed' or an integer >= 1")
    batches = []
    while pools.left:
        cand = pools.candidates()                      # ascending indices
        r = select((s[cand], o[cand]), memory, selector, **options)
        chosen = cand[r.indices]                       # r.indices are in ascending o, then index
        batches.append(chosen)
        pools.take(chosen)
    return np.concatenate(batches), batches


class _AllRemaining:
    """Every remaining request is a candidate."""

    def __init__(self, n: int) -> None:
        self.rest = np.arange(n)
        self.left = n

    def candidates(self) -> np.ndarray:
        return self.rest

    def take(self, chosen: np.ndarray) -> None:
        keep = np.ones(len(self.rest), bool)
        keep[np.searchsorted(self.rest, chosen)] = False
        self.rest = self.rest[keep]
        self.left = len(self.rest)


class _TypedPool:
    """Per type ``(s, o)``, its ``M // (s + o)`` remaining requests with the smallest indices (a type's
    remaining requests are always a suffix of its index list: ``typed_exact`` takes them in index order)."""

    def __init__(self, s: np.ndarray, o: np.ndarray, memory: int) -> None:
        _, inverse, counts = np.unique(np.stack([s, o], axis=1), axis=0, return_inverse=True, return_counts=True)
        order = np.argsort(inverse.reshape(-1), kind="stable")
        self.members = np.split(order, np.cumsum(counts)[:-1])
        self.cap = [max(1, memory // int(s[m[0]] + o[m[0]])) for m in self.members]
        self.ptr = [0] * len(self.members)
        self.left = len(s)

    def candidates(self) -> np.ndarray:
        parts = [m[p:p + c] for m, p, c in zip(self.members, self.ptr, self.cap) if p < len(m)]
        return np.sort(np.concatenate(parts))

    def take(self, chosen: np.ndarray) -> None:
        for k, m in enumerate(self.members):
            p = self.ptr[k]
            if p < len(m):
                took = np.isin(m[p:p + self.cap[k]], chosen)
                c = int(took.sum())
                if took[:c].all():                      # typed_exact: by index, a prefix
                    self.ptr[k] = p + c
                elif c:                                 # another selector may take any of the window
                    self.members[k] = np.concatenate([m[:p], m[p:][~np.isin(m[p:], chosen)]])
        self.left -= len(chosen)


class _OrderedPool:
    """The ``P`` first remaining requests by ``(s + o, index)`` and the ``P`` first by ``(o, index)``."""

    def __init__(self, s: np.ndarray, o: np.ndarray, size: int) -> None:
        idx = np.arange(len(s))
        self.orders = [np.lexsort((idx, s + o)), np.lexsort((idx, o))]
        self.ptr = [0, 0]
        self.taken = np.zeros(len(s), bool)
        self.size = size
        self.left = len(s)

    def candidates(self) -> np.ndarray:
        parts = []
        for k, order in enumerate(self.orders):
            while self.ptr[k] < len(order) and self.taken[order[self.ptr[k]]]:
                self.ptr[k] += 1                        # leading taken requests leave the window for good
            window = 2 * self.size
            while True:
                seg = order[self.ptr[k]:self.ptr[k] + window]
                free = seg[~self.taken[seg]]
                if len(free) >= self.size or self.ptr[k] + window >= len(order):
                    break
                window *= 2
            parts.append(free[: self.size])
        return np.union1d(parts[0], parts[1])

    def take(self, chosen: np.ndarray) -> None:
        self.taken[chosen] = True
        self.left -= len(chosen)


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
    """Sorted-F as an engine policy: the offline plan is computed in ``reset`` (module docstring).

    Parameters
    ----------
    selector : name of the selection subroutine; ``None`` (default): :func:`affordable_selector` of the
        instance, chosen in ``reset`` (the name then says which one ran, e.g. ``sorted_f[local_swap]``).
    pool : ``"auto"`` (default: the exact per-type pool for ``typed_exact``, :data:`POOL` for the
        heuristics, none for the exact selectors), ``None`` (every selection sees every remaining
        request) or an integer pool size for any selector.
    **options : passed to the selector (``eps=``, ``seed=``...).
    """

    clairvoyant = True

    def __init__(self, selector: str | None = None, pool: int | str | None = "auto", **options) -> None:
        _load_selectors()
        if selector is not None and selector not in SELECTORS:
            raise ValueError(f"unknown selector {selector!r}; valid selectors: {', '.join(sorted(SELECTORS))}")
        if not (pool is None or pool in ("auto", "typed")
                or (isinstance(pool, (int, np.integer)) and not isinstance(pool, bool) and pool >= 1)):
            raise ValueError(f"pool = {pool!r}; valid: 'auto', None, 'typed' or an integer >= 1")
        self.selector = selector
        self.pool = pool
        self.options = options
        self.name = self._name(selector)

    @staticmethod
    def _name(selector: str | None) -> str:
        return "sorted_f" if selector in (None, "exact_dp") else f"sorted_f[{selector}]"

    def plan_options(self, instance: Instance) -> tuple[str, int | str | None]:
        """The selector and the pool this policy uses on ``instance``."""
        selector = self.selector or affordable_selector(instance)["selector"]
        pool = self.pool
        if pool == "auto":
            pool = "typed" if selector == "typed_exact" else POOL if selector in HEURISTICS else None
        return selector, pool

    def reset(self, view: InstanceView, rng: np.random.Generator) -> None:
        inst = Instance(view.memory, view.s, view.o, view.a)
        selector, pool = self.plan_options(inst)
        self.name = self._name(selector)
        self.order, self.batches = sorted_f_order(view.s, view.o, view.memory, selector, pool, **self.options)
        self.plan = list_schedule(inst, self.order)
        seq = np.lexsort((np.arange(view.n), self.plan))
        self._times = self.plan[seq].tolist()
        self._ids = seq.tolist()
        self._next = 0

    def release(self) -> None:
        """Drop the per-run state (the plan stays readable as ``order``, ``batches`` and ``plan``)."""
        for attr in ("_times", "_ids"):
            self.__dict__.pop(attr, None)

    def decide(self, state: State) -> Decision:
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


def affordable_selector(instance: Instance) -> dict:
    """Options for ``sorted_f`` that stay exact where that is cheap and fast elsewhere: ``typed_exact``
    when there are at most four distinct request types, ``exact_dp`` up to 200 requests, else
    ``local_swap`` (the exact DP costs O(n K M) per selection; see ``benchmarks/sortedf_selectors.py``)."""
    types = len(set(zip(instance.s.tolist(), instance.o.tolist())))
    if types <= 4:
        return {"selector": "typed_exact"}
    return {"selector": "exact_dp" if instance.n <= 200 else "local_swap"}


def sorted_f(selector: str | None = None, pool: int | str | None = "auto", **options) -> SortedFPolicy:
    """Sorted-F with the named selector (``selector=``, default :func:`affordable_selector`; ``"exact_dp"``
    for the exact selection at any size), a candidate pool (``pool=``) and the selector's options."""
    return SortedFPolicy(selector, pool, **options)


class PriorityPolicy(FutureCheckPolicy):
    """MC-SF admission in a fixed order: ``priority[i]`` ascending, then arrival, then index."""

    def __init__(self, priority=None) -> None:
        super().__init__("priority", "arrival")
        self.priority = None if priority is None else np.asarray(priority)
        if self.priority is None:
            return
        if self.priority.ndim != 1 or not np.issubdtype(self.priority.dtype, np.number):
            raise ValueError(f"priority must be a 1-d numeric array, got {priority!r:.60}")

    def check(self, instance: Instance) -> None:
        if self.priority is not None and len(self.priority) != instance.n:
            raise InstanceError(f"priority has {len(self.priority)} entries, instance has {instance.n}")

    def order_keys(self, instance: Instance) -> tuple:
        prio = np.zeros(instance.n) if self.priority is None else self.priority
        return prio, instance.a

    def reset(self, view: InstanceView, rng: np.random.Generator) -> None:
        super().reset(view, rng)
        prio = [0] * view.n if self.priority is None else self.priority.tolist()
        if len(prio) != view.n:
            raise InstanceError(f"priority has {len(prio)} entries, instance has {view.n}")
        self._key = list(zip(prio, view.a.tolist(), range(view.n)))


def priority(priority=None) -> PriorityPolicy:
    """Fixed-priority admission with the future-memory check (``priority=`` keys, smaller first;
    default: all equal, i.e. arrival order)."""
    return PriorityPolicy(priority)


def _register(name: str, factory) -> None:
    # a second import of this file under another module name (pytest --import-mode=importlib collecting it
    # directly) must not register the same factory twice
    old = REGISTRY.get(name)
    if old is None or old.__qualname__ != factory.__qualname__:
        register(name)(factory)


_register("sorted_f", sorted_f)
_register("priority", priority)

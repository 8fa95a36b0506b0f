"""The ``sorted_f`` policy (Wang, Ye, Zhou, arXiv 2508.06133) and a fixed-``priority`` policy.

Sorted-F has two phases (``SPEC.md`` section 5):

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


def sorted_f_order(s, o, memory: int, selector: str = "exact_dp", **options) -> tuple[np.ndarray, list[np.ndarray]]:
    """Sorted-F order: repeated selection; returns ``(order, batches)`` (batches as index arrays).

    >>> order, batches = sorted_f_order([2, 2, 2, 2], [1, 1, 2, 3], 6)
    >>> order.tolist(), [b.tolist() for b in batches]
    ([0, 1, 2, 3], [[0, 1], [2], [3]])
    """
    s = np.asarray(s, dtype=np.int64)
    o = np.asarray(o, dtype=np.int64)
    rest = np.arange(len(s))
    batches = []
    while len(rest):
        r = select((s[rest], o[rest]), memory, selector, **options)
        chosen = rest[r.indices]                       # r.indices are in ascending o, then index
        batches.append(chosen)
        keep = np.ones(len(rest), bool)
        keep[r.indices] = False
        rest = rest[keep]
    return np.concatenate(batches), batches


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
    selector : name of the selection subroutine (``exact_dp`` by default).
    **options : passed to the selector (``eps=``, ``seed=``...).
    """

    clairvoyant = True

    def __init__(self, selector: str = "exact_dp", **options) -> None:
        _load_selectors()
        if selector not in SELECTORS:
            raise ValueError(f"unknown selector {selector!r}; valid selectors: {', '.join(sorted(SELECTORS))}")
        self.selector = selector
        self.options = options
        self.name = "sorted_f" if selector == "exact_dp" else f"sorted_f[{selector}]"

    def reset(self, view: InstanceView, rng: np.random.Generator) -> None:
        inst = Instance(view.memory, view.s, view.o, view.a)
        self.order, self.batches = sorted_f_order(view.s, view.o, view.memory, self.selector, **self.options)
        self.plan = list_schedule(inst, self.order)
        seq = np.lexsort((np.arange(view.n), self.plan))
        self._times = self.plan[seq].tolist()
        self._ids = seq.tolist()
        self._next = 0

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


def sorted_f(selector: str = "exact_dp", **options) -> SortedFPolicy:
    """Sorted-F with the named selector (``selector=``; options go to the selector)."""
    return SortedFPolicy(selector, **options)


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

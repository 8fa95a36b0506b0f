"""The MC-SF family: admit waiting requests in a priority order while the future-memory check holds.

Jaillet, Jiang, Mellou, Molinaro, Podimata, Zhou, *Online Scheduling for LLM Inference with KV Cache
Constraints*, arXiv 2502.07115: MC-SF keeps every running request and scans the waiting ones by
(predicted) output length, adding each while the memory of running + added requests stays within ``M``
at every future time up to the latest predicted completion (:class:`lpsched.future.FutureMemory`); it
stops at the first request that fails.  It never evicts.

* ``mcsf`` / ``sf`` — order by ``õ`` (true ``o`` by default, or an over-estimate ``estimate >= o``).
* ``hsf`` — H-SF, the hindsight benchmark of Chen, Ye, Zhou (arXiv 2508.14544): MC-SF with ``õ = o``.
* ``fcfs`` — arrival order with the same check (Jaillet's "MC-Benchmark").

Ties are broken by arrival time, then request index.
"""

from __future__ import annotations

import heapq

import numpy as np

from ..engine import NEVER, Decision, InstanceView, State
from ..future import INF, FutureMemory
from ..model import Instance, InstanceError, int_column
from . import register


class FutureCheckPolicy:
    """Admission by the MC-SF future-memory check in a fixed priority order; never evicts.

    Parameters
    ----------
    name : registry name (for reports).
    order : ``"length"`` (by ``õ``, then arrival, then index) or ``"arrival"`` (by arrival, then index).
    estimate : optional over-estimates ``õ >= o`` of the output lengths (default: the true ``o``).
    """

    clairvoyant = True

    def __init__(self, name: str, order: str, estimate=None) -> None:
        if order not in ("length", "arrival"):
            raise ValueError(f"order = {order!r}; valid: 'length', 'arrival'")
        self.name = name
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
        a = self._a = view.a.tolist()
        if self.order == "length":
            self._key = list(zip(self._est, a, range(view.n)))
        else:
            self._key = list(zip(a, range(view.n)))
        self._queue: list = []
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
        from ..sortedf.policy import PriorityPolicy

        if not K.exact_type(self, FutureCheckPolicy, PriorityPolicy):
            return None
        try:
            self.check(instance)          # the kernel trusts its input: a bad one goes to the Python engine
        except InstanceError:
            return None
        est = instance.o if self.estimate is None else self.estimate
        rank, _ = K.ranks(*self.order_keys(instance))
        return K.Job("greedy", "future_check",
                     (instance.memory, K.i64(instance.s), K.i64(est), K.i64(instance.o), K.i64(instance.a),
                      rank, K.arrival_order(instance), self.estimate is None))

    def release(self) -> None:
        """Drop the per-run state (the engine calls this once the run is over)."""
        for attr in ("_s", "_est", "_a", "_key", "_queue", "_future", "_start"):
            self.__dict__.pop(attr, None)

    def decide(self, state: State) -> Decision:
        t, fm, s, est = state.t, self._future, self._s, self._est
        for i in state.completed:
            p = self._start.pop(i)
            fm.remove(s[i], p, p + est[i])
        for i in state.arrived:
            heapq.heappush(self._queue, self._key[i])
        queue, starts = self._queue, []
        key, exact, arrival = self._key, self.estimate is None, self._a
        tau = None
        while queue:
            i = queue[0][-1]
            # the head's earliest start: now, or when to look again.  With the true lengths the forecast
            # is exact, so that time already accounts for every completion; with over-estimates a
            # completion may come early, so look only up to the next forecast end and let completions
            # wake us.
            at = fm.earliest_start(s[i], est[i], t, INF if exact else fm.next_end())
            if at != t:
                tau = at
                break
            heapq.heappop(queue)
            fm.add(s[i], t, t + est[i])
            self._start[i] = t
            starts.append(i)
        head = queue[0] if queue else None

        def defer(j: int):
            # asked about the arrivals in arrival order: one queued behind the blocked head (the first
            # in the queue, or an earlier arrival that cannot start either) cannot be admitted before it
            nonlocal head
            if head is not None and key[j] > head:
                return True
            if not exact:
                return False
            # j becomes the head when it arrives; with an exact forecast we know already whether it
            # can start then, and if not, when
            head = key[j]
            at = fm.earliest_start(s[j], est[j], arrival[j])
            return False if at == arrival[j] else at

        # with nothing waiting, a completion changes nothing: only an arrival can start something
        return Decision(starts, (), NEVER if tau is None else tau, defer if queue or exact else None,
                        completions_matter=bool(queue) and not exact)


@register("mcsf")
def mcsf(estimate=None) -> FutureCheckPolicy:
    """MC-SF: shortest (predicted) output first with the future-memory check."""
    return FutureCheckPolicy("mcsf", "length", estimate)


@register("sf")
def sf(estimate=None) -> FutureCheckPolicy:
    """``sf``: the same algorithm as ``mcsf`` (the Sorted-F papers' "Shortest-First")."""
    return FutureCheckPolicy("sf", "length", estimate)


@register("hsf")
def hsf() -> FutureCheckPolicy:
    """H-SF: MC-SF with the true output lengths (hindsight benchmark of the A_min paper)."""
    return FutureCheckPolicy("hsf", "length")


@register("fcfs")
def fcfs() -> FutureCheckPolicy:
    """FCFS with the future-memory check; stops at the first request that does not fit."""
    return FutureCheckPolicy("fcfs", "arrival")

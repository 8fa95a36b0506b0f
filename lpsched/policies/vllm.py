"""vLLM-like non-clairvoyant baseline (``vllm``).

Layer: policies.

First come first served; admit waiting requests while the *current* memory plus one token per running
request fits (``sum(s_i + g_i + 1) <= M`` for the next step), stopping at the first that does not; when
the running set would overflow, evict the most recently started request (recompute: its progress is lost)
until it fits.  A request evicted at ``t`` is not restarted at ``t``.  Never reads ``o``.
"""

from __future__ import annotations

import heapq

import numpy as np

from ..engine import NEVER, Decision, InstanceView, State
from .registry import register


def evict_most_recent(state: State, s, need: int, memory: int) -> tuple[list[int], int]:
    """vLLM recompute rule: evict the most recently started running requests (ties: higher index first)
    until the next step's memory ``need`` fits in ``memory``; return the evicted ids and the new need.

    ``state.running`` is in start order (the engine adds a run when it starts), so the walk goes
    backwards from its end and sorts only the requests that share a start time: O(evicted + ties)."""
    evict: list[int] = []
    if need <= memory:
        return evict, need
    t = state.t
    group: list[int] = []                 # running requests with the start time p_group
    p_group = None
    for i, p in reversed(state.running.items()):
        if p != p_group:
            for j in sorted(group, reverse=True):
                need -= s[j] + t - p_group + 1
                evict.append(j)
                if need <= memory:
                    return evict, need
            group, p_group = [], p
        group.append(i)
    for j in sorted(group, reverse=True):
        need -= s[j] + t - p_group + 1
        evict.append(j)
        if need <= memory:
            break
    return evict, need


class VllmPolicy:
    clairvoyant = False

    def __init__(self, name: str = "vllm") -> None:
        self.name = name

    def reset(self, view: InstanceView, rng: np.random.Generator) -> None:
        self._s = view.s.tolist()
        self._key = list(zip(view.a.tolist(), range(view.n)))
        self._queue: list = []
        self._memory = view.memory

    def compiled(self, instance):
        """The compiled twin of this rule (:mod:`lpsched.kernels.vllm`), or ``None`` for a subclass."""
        from .. import kernels as K

        if not K.exact_type(self, VllmPolicy):
            return None
        rank, by_rank = K.ranks(instance.a)      # by_rank: the ids in arrival order
        return K.Job("vllm", "vllm", (instance.memory, K.i64(instance.s), K.i64(instance.o), K.i64(instance.a),
                                      rank, by_rank), evicts=True)

    def release(self) -> None:
        """Drop the per-run state (the engine calls this once the run is over)."""
        for attr in ("_s", "_key", "_queue"):
            self.__dict__.pop(attr, None)

    def decide(self, state: State) -> Decision:
        for i in state.arrived:
            heapq.heappush(self._queue, self._key[i])
        evict, need = evict_most_recent(state, self._s, state.memory_next, self._memory)
        starts, queue = [], self._queue
        while queue and need + self._s[queue[0][-1]] + 1 <= self._memory:
            i = heapq.heappop(queue)[-1]
            need += self._s[i] + 1
            starts.append(i)
        for i in evict:
            heapq.heappush(queue, self._key[i])
        # between events memory only grows, so admission cannot newly succeed -- except for a
        # request evicted now, which may restart from the next step on
        return Decision(starts, evict, state.t + 1 if evict else NEVER)


@register("vllm")
def vllm() -> VllmPolicy:
    """vLLM-like FCFS with recompute eviction of the most recently started request."""
    return VllmPolicy()

"""vLLM-like non-clairvoyant baseline (``vllm``).

First come first served; admit waiting requests while the *current* memory plus one token per running
request fits (``sum(s_i + g_i + 1) <= M`` for the next step), stopping at the first that does not; when
the running set would overflow, evict the most recently started request (recompute: its progress is lost)
until it fits.  A request evicted at ``t`` is not restarted at ``t``.  Never reads ``o``.
"""

from __future__ import annotations

import heapq

import numpy as np

from ..engine import NEVER, Decision, InstanceView, State
from . import register


def evict_most_recent(state: State, s, need: int, memory: int) -> tuple[list[int], int]:
    """vLLM recompute rule: evict the most recently started running requests (ties: higher index first)
    until the next step's memory ``need`` fits in ``memory``; return the evicted ids and the new need."""
    evict = []
    if need > memory:
        for i in sorted(state.running, key=lambda j: (state.running[j], j), reverse=True):
            need -= s[i] + state.generated(i) + 1
            evict.append(i)
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
        # and while someone waits, an arrival joins the FCFS queue behind it
        key = self._key
        defer = (lambda j: key[j] > queue[0]) if queue else None
        return Decision(starts, evict, state.t + 1 if evict else NEVER, defer)


@register("vllm")
def vllm() -> VllmPolicy:
    """vLLM-like FCFS with recompute eviction of the most recently started request."""
    return VllmPolicy()

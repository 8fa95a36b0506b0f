"""TIE: shortest *tail-inflated expectation* first (Zheng et al., arXiv 2604.00499; ``SPEC.md`` section 2).

Each request carries a log-t prediction ``X = exp(mu_i + sigma_i T_nu)`` (``instance.predictions``;
the paper fixes ``nu = 3.5``).  Its score is

    score_i = E[min(X, x_max)] + beta * CVaR_0.9[min(X, x_max)],
    beta    = min(0.5, max(0.1, 0.1 * queue_len / max_batch)),

with both expectations computed by numerical integration
(:func:`lpsched.predictions.logt_score_parts`, ``scipy.integrate.quad``), once per request.  Waiting
requests are served by the aged score ``score_i * 0.9 ** (wait_i / age_period)`` ascending
(``wait_i = t - a_i``; ties by arrival, then index); admission is on *current* memory as in ``vllm`` (the
next step must fit: ``sum(s + g + 1) <= M``), stopping at the first that does not fit; on overflow the most
recently started request is evicted (recompute), and may restart from the next step.

Options: ``x_max`` (cap; default ``M - s_i``, the longest output request ``i`` can have), ``max_batch``
(default 256, vLLM's ``max_num_seqs``), ``age_period`` (default 1000 steps), ``q`` (0.9).

Aging does not reorder the queue between events: ``0.9^((t - a_i) / P) = 0.9^(t / P) * 0.9^(-a_i / P)``
and the first factor is common to all, so the order is that of the time-free key
``ln(score_i) - (a_i / P) ln 0.9`` (used for sorting, so both engines sort identical numbers).  Only
``beta`` (through the queue length) changes the order, and only at events.  Between events memory only
grows, so a request that does not fit now cannot fit before an event: the wake hint is ``NEVER`` (or
``t + 1`` after an eviction, when the evicted request may restart).

>>> import numpy as np
>>> from lpsched import Instance, Predictions, simulate
>>> pred = Predictions(mu=np.log([6, 1, 2]), sigma=[0.3] * 3)
>>> inst = Instance(8, s=[2, 2, 2], o=[6, 1, 2], predictions=pred)
>>> simulate(inst, "tie").schedule.start.tolist()      # the two short ones first, then the long one
[1, 0, 0]
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import NEVER, Decision, InstanceView, State
from ..model import Instance, InstanceError
from ..predictions import logt_score_parts
from . import register
from .vllm import evict_most_recent

__all__ = ["TiePolicy"]


class TiePolicy:
    """TIE scheduler (non-clairvoyant: reads only the log-t predictions)."""

    clairvoyant = False

    def __init__(self, x_max: float | None = None, max_batch: int = 256, age_period: float = 1000.0,
                 q: float = 0.9, name: str = "tie") -> None:
        if x_max is not None and not x_max > 0:
            raise ValueError(f"x_max = {x_max!r} must be positive")
        if int(max_batch) != max_batch or max_batch < 1:
            raise ValueError(f"max_batch = {max_batch!r} must be an integer >= 1")
        if not age_period > 0:
            raise ValueError(f"age_period = {age_period!r} must be positive")
        if not 0 < q < 1:
            raise ValueError(f"q = {q!r} must be in (0, 1)")
        self.name, self.x_max, self.max_batch, self.age_period, self.q = name, x_max, int(max_batch), \
            float(age_period), float(q)

    def check(self, instance: Instance) -> None:
        p = instance.predictions
        if p is None or p.mu is None:
            raise InstanceError("policy 'tie' needs log-t predictions (predictions.mu/sigma)")

    def reset(self, view: InstanceView, rng: np.random.Generator) -> None:
        p = view.predictions
        if p is None or p.mu is None:
            raise InstanceError("policy 'tie' needs log-t predictions (predictions.mu/sigma)")
        self._M = view.memory
        self._s = view.s.tolist()
        self._a = view.a.tolist()
        caps = (view.memory - view.s) if self.x_max is None else np.full(view.n, self.x_max)
        cache: dict[tuple, tuple[float, float]] = {}
        self._E, self._C = [], []
        for mu, sg, cap in zip(p.mu.tolist(), p.sigma.tolist(), np.asarray(caps, float).tolist()):
            key = (mu, sg, cap)
            if key not in cache:
                cache[key] = logt_score_parts(mu, sg, p.nu, cap, self.q)
            e, c = cache[key]
            self._E.append(e)
            self._C.append(c)
        self._waiting: set[int] = set()
        self._deferred: list[int] = []

    def beta(self, queue_len: int) -> float:
        """``min(0.5, max(0.1, 0.1 * queue_len / max_batch))``."""
        return min(0.5, max(0.1, 0.1 * queue_len / self.max_batch))

    def scores(self, t: int, ids) -> list[tuple[float, int, int]]:
        """Aged scores ``(score * 0.9^(wait / age_period), a, i)`` of the requests ``ids`` at time ``t``."""
        b = self.beta(len(self._waiting))
        return [((self._E[i] + b * self._C[i]) * 0.9 ** ((t - self._a[i]) / self.age_period), self._a[i], i)
                for i in ids]

    def order_keys(self, ids) -> list[tuple[float, int, int]]:
        """Time-free sort keys ``(ln score - (a / age_period) ln 0.9, a, i)``: the order of the aged scores."""
        b = self.beta(len(self._waiting))
        c = math.log(0.9) / self.age_period
        return [(math.log(self._E[i] + b * self._C[i]) - self._a[i] * c, self._a[i], i) for i in ids]

    def decide(self, state: State) -> Decision:
        t, s, M = state.t, self._s, self._M
        self._waiting.update(self._deferred)
        self._deferred = []
        self._waiting.update(state.arrived)
        evict, need = evict_most_recent(state, s, state.memory_next, M)
        starts: list[int] = []
        if self._waiting:
            order = sorted(self.order_keys(self._waiting))
            for _, _, i in order:
                if need + s[i] + 1 > M:
                    break
                need += s[i] + 1
                starts.append(i)
            self._waiting.difference_update(starts)
        self._deferred = evict
        return Decision(starts, evict, t + 1 if evict else NEVER)


@register("tie")
def tie(x_max: float | None = None, max_batch: int = 256, age_period: float = 1000.0, q: float = 0.9
        ) -> TiePolicy:
    """TIE: tail-inflated expectation of a log-t prediction, shortest first, vLLM-style eviction."""
    return TiePolicy(x_max, max_batch, age_period, q)

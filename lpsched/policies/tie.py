"""TIE: shortest *tail-inflated expectation* first (Zheng et al., arXiv 2604.00499).

Layer: policies.

Each request carries a log-t prediction ``X = exp(mu_i + sigma_i T_nu)`` (``instance.predictions``;
the paper fixes ``nu = 3.5``).  Its score is

    score_i = E[min(X, x_max)] + beta * CVaR_0.9[min(X, x_max)],
    beta    = min(0.5, max(0.1, 0.1 * queue_len / max_batch)),

with both expectations computed by numerical integration, for all requests at once
(:func:`score_parts`: Gauss-Legendre on panels, vectorised over requests; it agrees with the per-request
``scipy.integrate.quad`` of :func:`lpsched.predictions.logt_score_parts` to about 1e-10 relative).
Waiting requests are served by the aged score ``score_i * 0.9 ** (wait_i / age_period)`` ascending
(``wait_i = t - a_i``; ties by arrival, then index); admission is on *current* memory as in ``vllm`` (the
next step must fit: ``sum(s + g + 1) <= M``), stopping at the first that does not fit; on overflow the most
recently started request is evicted (recompute), and may restart from the next step.

Options: ``x_max`` (cap; default ``M - s_i``, the longest output request ``i`` can have), ``max_batch``
(default 256, vLLM's ``max_num_seqs``), ``age_period`` (default 1000 steps), ``q`` (0.9).

Aging does not reorder the queue between events: ``0.9^((t - a_i) / P) = 0.9^(t / P) * 0.9^(-a_i / P)``
and the first factor is common to all, so the order is that of the time-free key
``ln(score_i) - (a_i / P) ln 0.9`` (used for sorting, so both engines sort identical numbers).  Only
``beta`` (through the queue length) changes the order: the waiting requests are a heap on the time-free
key, rebuilt only when ``beta`` changes (``beta`` is constant unless the queue holds between
``max_batch`` and ``5 max_batch`` requests, so a rebuild touches at most ``5 max_batch`` of them).
Between events memory only grows, so a request that does not fit now cannot fit before an event, unless
the order changes: the wake hint is ``NEVER``, or ``t + 1`` after an eviction (the evicted request may
restart) and after starts that change ``beta`` (the queue is shorter at ``t + 1``, so its order may put
a request that fits first).

>>> import numpy as np
>>> from lpsched import Instance, Predictions, simulate
>>> pred = Predictions(mu=np.log([6, 1, 2]), sigma=[0.3] * 3)
>>> inst = Instance(8, s=[2, 2, 2], o=[6, 1, 2], predictions=pred)
>>> simulate(inst, "tie").schedule.start.tolist()      # the two short ones first, then the long one
[1, 0, 0]
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from ..engine import NEVER, Decision, InstanceView, State
from ..model import Instance, InstanceError
from .registry import register
from .vllm import evict_most_recent

__all__ = ["TiePolicy", "score_parts"]


#: Gauss-Legendre rule of each panel, and the fixed panel edges (decades, as the quad version splits)
_GL_X, _GL_W = np.polynomial.legendre.leggauss(20)
_EDGES = np.array(sorted([-(10.0 ** k) for k in range(0, 5)] + [-30.0, -3.0, 0.0, 3.0, 30.0]
                         + [10.0 ** k for k in range(0, 16)]))
_LEFT = -1e4            # the left tail beyond holds under 1e-13 of the mass (as in logt_score_parts)
_CHUNK = 2048


def _integral(mu, sigma, nu, lo, hi, log_c):
    """``int_lo^hi exp(mu + sigma t) f_nu(t) dt`` per row: 20-point Gauss-Legendre on each panel between
    the fixed edges and the integrand's two turning points (``sigma - (nu+1) t / (nu + t^2) = 0``), all
    clipped to ``[lo, hi]`` (empty panels add nothing)."""
    out = np.zeros(len(mu))
    order = np.argsort(hi, kind="stable")      # rows with similar upper ends share their panels
    for k in range(0, len(mu), _CHUNK):
        rows = order[k:k + _CHUNK]
        m, sg, a, b = mu[rows], sigma[rows], lo[rows], hi[rows]
        disc = (nu + 1) ** 2 - 4 * sg * sg * nu
        root = np.sqrt(np.maximum(disc, 0.0))
        turn1 = np.where(disc > 0, ((nu + 1) - root) / (2 * sg), a)
        turn2 = np.where(disc > 0, ((nu + 1) + root) / (2 * sg), a)
        fixed = _EDGES[(_EDGES > a.min()) & (_EDGES < b.max())]
        pts = np.concatenate([a[:, None], np.broadcast_to(fixed, (len(rows), len(fixed))), turn1[:, None],
                              turn2[:, None], b[:, None]], axis=1)
        pts = np.sort(np.clip(pts, a[:, None], b[:, None]), axis=1)
        half = (pts[:, 1:] - pts[:, :-1]) / 2
        t = ((pts[:, 1:] + pts[:, :-1]) / 2)[:, :, None] + half[:, :, None] * _GL_X
        g = np.exp(m[:, None, None] + sg[:, None, None] * t + log_c - (nu + 1) / 2 * np.log1p(t * t / nu))
        out[rows] = ((g @ _GL_W) * half).sum(axis=1)
    return out


def score_parts(mu, sigma, nu: float, x_max, q: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """``(E[Y], CVaR_q[Y])`` of ``Y = min(X, x_max)``, ``X = exp(mu + sigma T_nu)``, for arrays of requests.

    The same integrals as :func:`lpsched.predictions.logt_score_parts` (read it for the derivation:
    ``x_max`` above ``p_cap = F((ln x_max - mu) / sigma)``, the integral of ``exp(mu + sigma t) f_nu(t)``
    below), evaluated with a fixed composite Gauss-Legendre rule vectorised over the requests instead of
    an adaptive ``quad`` per request (about 10^4 times fewer Python calls); the two agree to about
    1e-10 relative (``tests/test_tie.py``).

    >>> e, c = score_parts([0.0, np.log(50)], [1e-9, 1.0], 3.5, [100.0, 100.0])
    >>> round(float(e[0]), 6), round(float(c[0]), 6), bool(0 < e[1] < c[1] <= 100)
    (1.0, 1.0, True)
    """
    from scipy import special

    mu, sigma, x_max = (np.asarray(v, dtype=float).ravel() for v in (mu, sigma, x_max))
    if not (np.all(sigma > 0) and np.all(x_max > 0) and 0 < q < 1 and nu > 0):
        raise ValueError(f"need sigma > 0, x_max > 0, 0 < q < 1, nu > 0; got q={q}, nu={nu}")
    z = (np.log(x_max) - mu) / sigma
    p_cap = special.stdtr(nu, z)
    log_c = math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2) - 0.5 * math.log(nu * math.pi)
    mean = x_max * (1.0 - np.minimum(p_cap, 1.0))
    inside = z > _LEFT
    mean[inside] += _integral(mu[inside], sigma[inside], nu, np.full(int(inside.sum()), _LEFT), z[inside], log_c)
    cvar = x_max.copy()
    up = p_cap > q
    t_q = float(special.stdtrit(nu, q))
    part = _integral(mu[up], sigma[up], nu, np.full(int(up.sum()), t_q), z[up], log_c)
    cvar[up] = (part + x_max[up] * (1.0 - p_cap[up])) / (1 - q)
    return mean, cvar


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
        # equal (mu, sigma, cap) get equal scores: integrate each distinct triple once
        triples = np.stack([p.mu, p.sigma, np.asarray(caps, float)], axis=1)
        uniq, inverse = np.unique(triples, axis=0, return_inverse=True)
        e, c = score_parts(uniq[:, 0], uniq[:, 1], p.nu, uniq[:, 2], self.q)
        inverse = inverse.reshape(-1)
        self._Ea, self._Ca, self._aa = e[inverse], c[inverse], np.asarray(view.a, dtype=np.int64)
        self._E, self._C = self._Ea.tolist(), self._Ca.tolist()
        self._waiting: set[int] = set()
        self._deferred: list[int] = []
        self._heap: list[tuple[float, int, int]] = []   # order keys of the waiting requests
        self._beta: float | None = None                  # the beta they were computed with

    def release(self) -> None:
        """Drop the per-run state (the engine calls this once the run is over)."""
        for attr in ("_s", "_a", "_E", "_C", "_Ea", "_Ca", "_aa", "_waiting", "_deferred", "_heap"):
            self.__dict__.pop(attr, None)

    def beta(self, queue_len: int) -> float:
        """``min(0.5, max(0.1, 0.1 * queue_len / max_batch))``."""
        return min(0.5, max(0.1, 0.1 * queue_len / self.max_batch))

    def scores(self, t: int, ids) -> list[tuple[float, int, int]]:
        """Aged scores ``(score * 0.9^(wait / age_period), a, i)`` of the requests ``ids`` at time ``t``."""
        b = self.beta(len(self._waiting))
        return [((self._E[i] + b * self._C[i]) * 0.9 ** ((t - self._a[i]) / self.age_period), self._a[i], i)
                for i in ids]

    def order_keys(self, ids, b: float | None = None, ordered: bool = False) -> list[tuple[float, int, int]]:
        """Time-free sort keys ``(ln score - (a / age_period) ln 0.9, a, i)``: the order of the aged scores
        (``b``: the beta to use; default that of the current queue; ``ordered``: sorted).  Computed with
        numpy for any number of ids, so a key never depends on which other keys were computed with it."""
        if b is None:
            b = self.beta(len(self._waiting))
        ids = np.fromiter(ids, dtype=np.int64)
        if not len(ids):
            return []
        a = self._aa[ids]
        keys = np.log(self._Ea[ids] + b * self._Ca[ids]) - a * (math.log(0.9) / self.age_period)
        if ordered:
            order = np.lexsort((ids, a, keys))
            keys, a, ids = keys[order], a[order], ids[order]
        return list(zip(keys.tolist(), a.tolist(), ids.tolist()))

    def decide(self, state: State) -> Decision:
        t, s, M = state.t, self._s, self._M
        new = self._deferred + state.arrived
        self._deferred = []
        self._waiting.update(new)
        b = self.beta(len(self._waiting))
        if b != self._beta:                  # the order changed: rebuild the heap on the new keys
            self._heap = self.order_keys(self._waiting, b, ordered=True)   # a sorted list is a heap
            self._beta = b
        else:
            for key in self.order_keys(new, b):
                heapq.heappush(self._heap, key)
        evict, need = evict_most_recent(state, s, state.memory_next, M)
        starts: list[int] = []
        heap = self._heap
        while heap and need + s[heap[0][2]] + 1 <= M:
            i = heapq.heappop(heap)[2]
            need += s[i] + 1
            starts.append(i)
        self._waiting.difference_update(starts)
        self._deferred = evict
        reorder = bool(starts) and self.beta(len(self._waiting)) != b
        return Decision(starts, evict, t + 1 if evict or reorder else NEVER)


@register("tie")
def tie(x_max: float | None = None, max_batch: int = 256, age_period: float = 1000.0, q: float = 0.9
        ) -> TiePolicy:
    """TIE: tail-inflated expectation of a log-t prediction, shortest first, vLLM-style eviction."""
    return TiePolicy(x_max, max_batch, age_period, q)

"""``quantile_greedy``: a linear-time selection heuristic (no guarantee).

Layer: algorithms.

1. Sample ``m = min(n, sample)`` requests (seeded).  For quantile levels ``q`` on a grid, the thresholds
   are the sample's ``q``-quantiles of ``s + o`` and of ``o``; the *level* is the largest ``q`` whose
   estimated total ``n * mean_sample[(s + o) 1{below both}]`` is at most ``M``.
2. One pass over the pool (index order): take those below both thresholds while the running sum of
   ``s + o`` stays ``<= M``.  This is feasible because the load at any completion time ``o_j`` is
   ``sum_{o_i >= o_j} (s_i + o_j) <= sum (s_i + o_i)``.
3. Fill: the remaining requests whose addition would improve ``(F, -|X|)`` are tried by ascending
   ``o / (s + o)`` (at most ``pool`` of them, chosen by ``argpartition``), each added if it still improves and
   fits exactly; stop after ``patience`` consecutive failures.

Steps 1–2 are ``O(n)``; step 3 is ``O(n + pool log pool + tries * k log k)``.
"""

from __future__ import annotations

import time

import numpy as np

from .problem import Batch, SelectionResult, make_result

__all__ = ["quantile_greedy"]


def quantile_greedy(s: np.ndarray, o: np.ndarray, memory: int, seed: int | None = 0, sample: int = 1000,
                    pool: int = 4096, patience: int = 64) -> SelectionResult:
    """Quantile thresholds from a sample, then fill by ``o / (s + o)`` (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> from lpsched.sortedf.greedy import quantile_greedy
    >>> r = quantile_greedy(np.array([2, 2, 2, 2]), np.array([1, 1, 2, 3]), 6)
    >>> r.indices.tolist(), r.F
    ([0, 1], 0.5)
    """
    for name, v in (("sample", sample), ("pool", pool), ("patience", patience)):
        if int(v) != v or v < 1:
            raise ValueError(f"{name} = {v!r} must be an integer >= 1")
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    n = len(s)
    so = s + o
    qs = np.linspace(0.01, 1.0, 100)
    zone = np.arange(n)
    zooms = 0
    while True:
        m = min(len(zone), sample)
        smp = zone[rng.choice(len(zone), size=m, replace=False)] if m < len(zone) else zone
        ta = np.quantile(so[smp], qs, method="lower")
        tb = np.quantile(o[smp], qs, method="lower")
        below = (so[smp][None, :] <= ta[:, None]) & (o[smp][None, :] <= tb[:, None])
        est = len(zone) * (below * so[smp][None, :]).mean(axis=1)
        fit = np.flatnonzero(est <= memory)
        if len(fit) or m == len(zone):
            level = int(fit[-1]) if len(fit) else -1
            break
        # even the 1% quantiles hold too much: zoom into the requests below them and sample again
        inner = zone[(so[zone] <= ta[0]) & (o[zone] <= tb[0])]
        if len(inner) == len(zone) or not len(inner):
            level = -1
            break
        zone, zooms = inner, zooms + 1
    chosen = np.zeros(0, np.int64)
    if level >= 0:
        cand = zone[(so[zone] <= ta[level]) & (o[zone] <= tb[level])]
        chosen = cand[np.cumsum(so[cand]) <= memory]
    batch = Batch(s, o, memory, chosen)
    # fill
    k, V = batch.size, batch.sum_o
    rest = np.ones(n, bool)
    rest[batch.members] = False
    cand = np.flatnonzero(rest)
    if k:
        cand = cand[(V + o[cand]) * k * k <= V * (k + 1) ** 2]
    ratio = o[cand] / so[cand]
    if len(cand) > pool:
        part = np.argpartition(ratio, pool - 1)[:pool]
        cand, ratio = cand[part], ratio[part]
    cand = cand[np.lexsort((cand, ratio))]
    fails, tries, added = 0, 0, 0
    for a in cand.tolist():
        k, V = batch.size, batch.sum_o
        if k and (V + int(o[a])) * k * k > V * (k + 1) ** 2:
            fails += 1
        elif batch.add_ok(np.array([a]))[0]:
            batch.set(np.append(batch.members, a))
            fails, added = 0, added + 1
        else:
            fails += 1
        tries += 1
        if fails >= patience:
            break
    return make_result(batch.members, s, o, "quantile_greedy", "none (heuristic)", "feasible", t0,
                       level=float(qs[level]) if level >= 0 else 0.0, initial=len(chosen), filled=added,
                       tries=tries, zooms=zooms, seed=seed)

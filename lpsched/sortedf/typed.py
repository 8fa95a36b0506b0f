"""``typed_exact``: exact selection for instances with few distinct request types ``(s, o)``.

Layer: algorithms.

Lemma.  If ``o_a <= o_i`` for every member ``i`` of ``X`` (``|X| = k >= 1``, ``sum_X o = V``), adding ``c``
copies of ``a`` gives ``F(c) = (V + c o_a) / (k + c)^2`` with
``dF/dc ∝ o_a (k + c) - 2 (V + c o_a) <= o_a k - 2 V - o_a c < 0`` (as ``V >= k o_a``): ``F`` strictly
decreases in the number of smallest-``o`` members.  Adding smallest-``o`` requests does not change the
loads at larger completion times; it only adds to the load at ``o_min``.  So for fixed counts of the
types with ``o > o_min``, the best choice takes as many ``o_min`` requests as fit at ``o_min``, smallest
``s`` first.

The selector enumerates every count vector of the other types (vectorised; refuses more than
``max_grid`` vectors), completes each with the maximal ``o_min`` count, and keeps the best
``(F, -|X|)`` exactly.  For the W3 two-type family this is ``O(M)`` per call, where ``exact_dp`` needs
``O(log(n) K M)``.
"""

from __future__ import annotations

import time

import numpy as np

from .problem import SelectionResult, better, make_result

__all__ = ["typed_exact"]


def typed_exact(s: np.ndarray, o: np.ndarray, memory: int, max_grid: int = 5_000_000) -> SelectionResult:
    """Exact selection by enumerating type counts (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> from lpsched.sortedf.typed import typed_exact
    >>> typed_exact(np.array([2, 2, 2, 2]), np.array([1, 1, 2, 3]), 6).indices.tolist()
    [0, 1]
    """
    t0 = time.perf_counter()
    base = int(s.max()) + 1                               # one int64 key per (o, s), sorted like (o, s)
    ukey, inverse, counts = np.unique(o * base + s, return_inverse=True, return_counts=True)
    types = np.stack([ukey // base, ukey % base], axis=1)
    inverse = inverse.ravel()
    to, ts = types[:, 0], types[:, 1]
    o_min = int(to.min())
    low = np.flatnonzero(to == o_min)                 # ascending s (np.unique sorts by (o, s))
    other = np.flatnonzero(to > o_min)
    # count ranges of the other types: c_t <= min(count, M // (s_t + o_t))
    hi = np.minimum(counts[other], memory // (ts[other] + to[other]))
    size = int(np.prod(hi + 1, dtype=float))
    if size > max_grid:
        raise ValueError(f"typed_exact: {size} count vectors for {len(types)} types exceed max_grid = {max_grid}")
    grids = np.indices(tuple((hi + 1).tolist()), dtype=np.int64).reshape(len(other), -1).T if len(other) \
        else np.zeros((1, 0), np.int64)
    C = grids                                                     # (G, T') counts of the other types
    so, oo = ts[other], to[other]
    ok = np.ones(len(C), bool)
    for j in range(len(other)):                                   # load at each present other type
        ge = oo >= oo[j]
        load = C[:, ge] @ (so[ge] + oo[j])
        ok &= (C[:, j] == 0) | (load <= memory)
    C = C[ok]
    K_o = C.sum(axis=1)
    S_o = C @ so
    V_o = C @ oo
    cap = memory - S_o - K_o * o_min                             # room for o_min requests at time o_min
    take = np.zeros((len(C), len(low)), np.int64)
    rem = cap.copy()
    full = np.ones(len(C), bool)
    for g, t in enumerate(low.tolist()):
        per = int(ts[t]) + o_min
        c = np.where(full, np.minimum(counts[t], np.maximum(rem, -1) // per), 0)
        c = np.maximum(c, 0)
        take[:, g] = c
        rem = rem - c * per
        full &= c == counts[t]
    k = K_o + take.sum(axis=1)
    V = V_o + take.sum(axis=1) * o_min
    nz = np.flatnonzero(k > 0)
    f = V[nz] / k[nz].astype(float) ** 2
    cand = nz[f <= f.min() * (1 + 1e-12)]
    best, row = None, None
    for r in cand.tolist():
        kk = (int(V[r]), int(k[r]))
        if better(kk, best):
            best, row = kk, r
    want = np.zeros(len(types), np.int64)
    want[other] = C[row]
    want[low] = take[row]
    order = np.argsort(inverse, kind="stable")
    members = np.split(order, np.cumsum(counts)[:-1])
    idx = np.concatenate([members[t][:c] for t, c in enumerate(want.tolist()) if c])
    return make_result(idx, s, o, "typed_exact", "optimal: all type-count vectors enumerated", "optimal", t0,
                       types=len(types), vectors=int(len(grids)))

r"""Dynamic programs for the Sorted-F selection subproblem: ``exact_dp`` and ``scaled_dp``.

Derivation (``exact_dp``)
-------------------------
Sort the requests by output length, **descending**.  For a set ``X`` the constraint at member ``j``,

    L_j(X) = sum_{i in X, o_i >= o_j} s_i + #{i in X : o_i >= o_j} * o_j <= M,

involves only members with output at least ``o_j``: the members processed *before* ``j`` (and ``j``'s ties).
So if we decide the requests in that order and, when request ``j`` is added to a partial set with
``k`` members and prompt sum ``S``, check

    (S + s_j) + (k + 1) * o_j <= M,                                              (*)

then every constraint is checked: later requests have smaller ``o`` and never enter ``L_j``; for a group
of equal ``o`` the check at the last added member of the group is the strongest and implies the others.
Conversely a feasible ``X`` passes (*) at every addition (the partial sums are exactly ``L_j``, or smaller
for earlier ties).  Hence feasibility of the future depends on the past only through ``(k, S)``, and the
objective ``F = (sum o) / |X|^2`` is increasing in the past ``sum o`` for a fixed final ``|X|``.  State:

    D_t[k, S] = min { sum_{i in X} o_i : X subset of the first t requests, |X| = k,
                      sum_{i in X} s_i = S, every addition passed (*) }          (inf if none)

    D_0[0, 0] = 0;  D_t[k, S] = min( D_{t-1}[k, S],
                                     D_{t-1}[k-1, S-s_t] + o_t   if S + k o_t <= M ).

The answer is the non-empty cell minimising ``(D_n[k, S] / k^2, -k)``; the set is recovered by walking
back through one bit per cell and request ("did request t improve this cell").  ``S`` ranges over
``0 .. M - min(o)`` and ``k`` over ``0 .. K`` with ``K`` the largest count whose ``k`` smallest prompts plus
``k min(o)`` fit (:func:`~lpsched.sortedf.selection.max_batch_size`); so time ``O(n K M)`` and memory
``O(K M)`` numbers plus ``n K M`` bits (the slides' ``O(nM)`` omits the count dimension, which the ratio
objective needs).  Each request updates the whole ``(k, S)`` block with one numpy operation, restricted to
rows and columns that are reachable and can pass (*).

Identical requests ``(s, o)`` are merged into bundles of 1, 2, 4, ... copies (binary splitting, so any
count ``0..c`` is a sum of distinct bundles); a bundle of ``b`` copies adds ``(b, b s, b o)`` and is checked
with (*) at ``k + b``.  This makes instances with few distinct types (the W3 family) cost
``O(types * log(count) * K * M)``.

``scaled_dp``
-------------
Prompt memory is counted on a grid of ``g`` tokens: ``s'_i = ceil(s_i / g)`` and (*) becomes
``g S' + k o_j <= M``.  Since ``g S' >= S`` the result is feasible at ``M``.  Rounding adds at most
``g - 1`` per member, at most ``K (g - 1)`` in all (the result is also compared with the best single
request, which always fits), so every set feasible at ``M_eps = M - K (g - 1)`` passes
the rounded check: the result is at least as good as the exact optimum at memory ``M_eps``.  With
``g = 1 + floor(eps M / ((1 + eps) K))`` we get ``M_eps >= M / (1 + eps)``:

    F(scaled) <= F*(M / (1 + eps))      and the batch is feasible at M

(a ``(1 + eps)`` memory-augmentation guarantee).  The grid has ``M / g ~ K (1 + eps) / eps`` columns, so
the time is ``O(n K^2 / eps)``, independent of ``M``.  It is *not* a ``(1 + eps)`` bound on ``F`` at the
same memory (a set that fills memory exactly can be lost to rounding); the W6 study measures that gap.
"""

from __future__ import annotations

import time

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .selection import SelectionResult, better, make_result, max_batch_size

__all__ = ["exact_dp", "scaled_dp", "dp_select"]

_INF = np.int64(1) << np.int64(61)


def _bundles(s: np.ndarray, o: np.ndarray):
    """Merge identical requests; split each count into 1, 2, 4, ... copies.

    Returns bundle arrays (copies, s, o, type id) sorted by ``o`` descending, and, per type, the request
    indices (ascending).
    """
    base = int(s.max()) + 1                               # one int64 key per (o, s), sorted like (o, s)
    ukey, inverse, counts = np.unique(o * base + s, return_inverse=True, return_counts=True)
    types = np.stack([ukey // base, ukey % base], axis=1)
    inverse = inverse.ravel()
    order = np.argsort(inverse, kind="stable")
    members = np.split(order, np.cumsum(counts)[:-1])
    b_cnt, b_type = [], []
    for t, c in enumerate(counts.tolist()):
        p = 1
        while c > 0:
            take = min(p, c)
            b_cnt.append(take)
            b_type.append(t)
            c -= take
            p *= 2
    b_cnt = np.array(b_cnt, np.int64)
    b_type = np.array(b_type, np.int64)
    b_o = types[b_type, 0]
    b_s = types[b_type, 1]
    ordr = np.lexsort((-b_cnt, b_type, -b_o))
    return b_cnt[ordr], b_s[ordr], b_o[ordr], b_type[ordr], members


def dp_select(s: np.ndarray, o: np.ndarray, memory: int, grid: int = 1):
    """Run the DP with prompt memory on a grid of ``grid`` tokens; return ``(indices, info)``."""
    K = max_batch_size(s, o, memory)
    b_cnt, b_s, b_o, b_type, members = _bundles(s, o)
    b_su = -(-b_s // grid)                             # ceil(s / grid), grid units
    W = (memory - int(o.min())) // grid + 1            # columns S' = 0 .. (M - min o) / grid
    small = K * int(o.max()) < (1 << 29)
    dtype = np.int32 if small else np.int64             # int32 halves the memory traffic when sums allow
    inf = (1 << 30) if small else int(_INF)
    D = np.full((K + 1, W), inf, dtype=dtype)
    D[0, 0] = 0
    cbuf = np.empty((K + 1, W), dtype=dtype)            # work buffers, reused by every request
    ibuf = np.empty((K + 1, W), dtype=bool)
    _ramp = np.arange(K * int(b_o.max()) + W * grid + 1, dtype=np.int64)
    kreach, sreach = 0, 0
    bits = []                                          # (bundle, row0, col0, ncols, packed mask)
    cells = 0
    for t in range(len(b_cnt)):
        b, su, oo = int(b_cnt[t]), int(b_su[t]) * int(b_cnt[t]), int(b_o[t])
        v = b * oo
        if su * grid + b * oo > memory:
            continue
        k_hi = min(K, (memory - su * grid) // oo, kreach + b)
        c_hi = min(W - 1, (memory - b * oo) // grid, sreach + su)
        if k_hi < b or c_hi < su:
            continue
        nr, nc = k_hi - b + 1, c_hi - su + 1
        src = D[0:nr, 0:nc]
        dst = D[b:k_hi + 1, su:c_hi + 1]
        # (*) for new cell (b + r, su + c): c grid + r oo <= R.  The mask is a strided view of one 1-d
        # threshold array T[j] = (j <= R) with mask[r, c] = T[c grid + r oo]: no 2-d work to build it.
        R = memory - su * grid - b * oo
        T = _ramp[: (nc - 1) * grid + (nr - 1) * oo + 1] <= R
        mask = as_strided(T, shape=(nr, nc), strides=(oo, grid), writeable=False)
        cand = np.add(src, D.dtype.type(v), out=cbuf[:nr, :nc])
        imp = np.less(cand, dst, out=ibuf[:nr, :nc])
        np.logical_and(imp, mask, out=imp)
        cells += imp.size
        if not imp.any():
            continue
        np.copyto(dst, cand, where=imp)
        if k_hi > kreach:                              # extend the reachable block only when it can grow
            kreach = max(kreach, b + int(np.flatnonzero(imp.any(axis=1))[-1]))
        if c_hi > sreach:
            sreach = max(sreach, su + int(np.flatnonzero(imp.any(axis=0))[-1]))
        bits.append((t, b, su, nc, np.packbits(imp)))
    _INF_used = inf
    # best non-empty cell
    best, best_cell = None, None
    for k in range(1, kreach + 1):
        row = D[k]
        j = int(np.argmin(row))
        if row[j] >= _INF_used:
            continue
        key = (int(row[j]), k)
        if better(key, best):
            best, best_cell = key, (k, j)
    single = int(np.lexsort((np.arange(len(o)), o))[0])   # any one request fits alone (s + o <= M)
    if best is None or better((int(o[single]), 1), best):
        # only on a coarse grid, where rounding can push even s + o <= M over the limit
        return np.array([single]), {"K": K, "bundles": len(b_cnt), "grid": grid, "columns": W, "cells": cells,
                                    "value": (int(o[single]), 1)}
    k, S = best_cell
    taken = np.zeros(len(members), np.int64)
    for t, r0, c0, ncols, packed in reversed(bits):
        if k == 0:
            break
        r, c = k - r0, S - c0
        if r < 0 or c < 0 or c >= ncols:
            continue
        idx = r * ncols + c
        if idx >> 3 >= len(packed) or not (packed[idx >> 3] >> (7 - (idx & 7))) & 1:
            continue
        b = int(b_cnt[t])
        taken[b_type[t]] += b
        k -= b
        S -= int(b_su[t]) * b
    assert k == 0 and S == 0, "DP reconstruction failed"
    idx = np.concatenate([members[ty][:c] for ty, c in enumerate(taken.tolist()) if c] or [np.zeros(0, np.int64)])
    return idx, {"K": K, "bundles": len(b_cnt), "grid": grid, "columns": W, "cells": cells,
                 "value": best}


def exact_dp(s: np.ndarray, o: np.ndarray, memory: int) -> SelectionResult:
    """Optimal batch by the ``(k, S)`` dynamic program (derivation in the module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> from lpsched.sortedf.dp import exact_dp
    >>> r = exact_dp(np.array([2, 2, 2, 2]), np.array([1, 1, 2, 3]), 6)
    >>> r.indices.tolist(), r.F, r.status
    ([0, 1], 0.5, 'optimal')
    """
    t0 = time.perf_counter()
    idx, info = dp_select(s, o, memory, 1)
    return make_result(idx, s, o, "exact_dp", "optimal: minimises (F, -|X|) exactly", "optimal", t0, **info)


def scaled_dp(s: np.ndarray, o: np.ndarray, memory: int, eps: float = 0.1) -> SelectionResult:
    """The DP on a prompt-memory grid: feasible at ``M``, and ``F <= F*(M / (1 + eps))``.

    Parameters
    ----------
    eps : float > 0
        Memory slack; grid ``g = 1 + floor(eps M / ((1 + eps) K))`` (``g = 1`` is the exact DP).

    Examples
    --------
    >>> import numpy as np
    >>> from lpsched.sortedf.dp import scaled_dp
    >>> r = scaled_dp(np.array([30, 31, 29, 40]), np.array([5, 5, 6, 9]), 120, eps=0.2)
    >>> r.info["grid"], r.info["memory_eps"] >= 120 / 1.2, r.status
    (7, True, 'feasible')
    """
    if not (isinstance(eps, (int, float)) and eps > 0):
        raise ValueError(f"eps = {eps!r} must be a number > 0")
    t0 = time.perf_counter()
    K = max_batch_size(s, o, memory)
    grid = 1 + int(eps * memory / ((1 + eps) * K))
    idx, info = dp_select(s, o, memory, grid)
    m_eps = memory - K * (grid - 1)
    return make_result(idx, s, o, "scaled_dp",
                       f"feasible at M; F <= F*(M_eps) with M_eps = M - K (g - 1) = {m_eps} >= M / (1 + {eps})",
                       "optimal" if grid == 1 else "feasible", t0, eps=eps, memory_eps=m_eps, **info)

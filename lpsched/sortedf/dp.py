r"""Dynamic programs for the Sorted-F selection subproblem: ``exact_dp``, ``scaled_dp``, ``memory_grid_dp``.

Layer: algorithms.

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

``memory_grid_dp``: rounding the constraint
-------------------------------------------
Prompt memory is counted on a grid of ``g`` tokens: ``s'_i = ceil(s_i / g)`` and (*) becomes
``g S' + k o_j <= M``.  Since ``g S' >= S`` the result is feasible at ``M``.  Rounding adds at most
``g - 1`` per member, at most ``K (g - 1)`` in all (the result is also compared with the best single
request, which always fits), so every set feasible at ``M_eps = M - K (g - 1)`` passes
the rounded check: the result is at least as good as the exact optimum at memory ``M_eps``.  With
``g = 1 + floor(eps M / ((1 + eps) K))`` we get ``M_eps >= M / (1 + eps)``:

    F(memory_grid) <= F*(M_eps) <= F*(M / (1 + eps))      and the batch is feasible at M

(a ``(1 + eps)`` memory-augmentation guarantee).  The grid has ``M / g ~ K (1 + eps) / eps`` columns, so
the time is ``O(n K^2 / eps)``, independent of ``M``.  It is *not* a ``(1 + eps)`` bound on ``F`` at the
same memory: a set that fills memory exactly can be lost to rounding (``s = [359, 198, 146, 233, 120, 248,
12, 91]``, ``o = [2, 2, 8, 13, 28, 6, 7, 14]``, ``M = 561``: ``F* = 1`` from ``{0, 1}`` with load exactly
561, ``memory_grid_dp(eps=0.1)`` gives ``5/3``).

``scaled_dp``: rounding the objective, not the constraint
---------------------------------------------------------
The memory check (*) stays exact; the output lengths are rounded instead.  Let ``X*`` be an optimum,
``V* = sum_{X*} o``, ``k* = |X*|``, ``F* = V* / k*^2``.

*Classes.*  ``V* >= o_min`` (the smallest output), so ``V*`` lies in exactly one class ``T <= V* < 2T``
with ``T = o_min 2^j``.  A set of class ``T`` only has members with ``o_i <= 2T - 1`` and at most

    K_T = min(K, max{k : the k smallest o sum to <= 2T - 1})

members.  Per class: the integer step ``delta = max(1, floor(eps T / K_T))`` (``delta = 1`` rounds nothing:
the ``o_i`` are integers) and rounded values ``u_i = ceil(o_i / delta)``, so ``o_i <= delta u_i < o_i + delta``.

*DP per class.*  Eligible requests by descending ``o`` (bundled as above), state ``(k, U)`` = (count,
rounded value), ``D[k, U]`` = the smallest prompt sum ``S`` over sets whose every addition passed the exact
check (*) ``(S + s_j) + (k + 1) o_j <= M``; a smaller ``S`` dominates, since it only loosens (*) for every
later addition.  Rows ``k <= K_T``, columns ``U <= U_T = floor((2T - 1 + K_T (delta - 1)) / delta)``.  Each
cell also carries the true ``sum o`` of the set it stores; the answer is the stored set with the best true
``(sum o / k^2, -k)`` over all cells and classes (and the incumbent below), recovered through one bit per
cell and bundle as in ``exact_dp``.

*Proof of* ``F <= (1 + eps) F*`` *at the same M.*  (i) Every stored set passed (*) at each addition, so it
is feasible at ``M`` (derivation of ``exact_dp``).  (ii) In the class ``T`` of ``V*`` every member of ``X*``
is eligible, ``k* <= K_T`` and ``U* = sum_{X*} u_i <= (V* + k* (delta - 1)) / delta <= U_T``, so ``X*``'s
path lies in the table.  By induction over the requests in order, cell ``(|P_t|, U(P_t))`` of ``X*``'s
prefix ``P_t`` holds ``S <= sum_{P_t} s``: the candidate for the next member ``j`` of ``X*`` is at most
``sum_{P_t} s + s_j`` and passes (*) because ``sum_{P_t} s + s_j + (|P_t| + 1) o_j <= L_j(X*) <= M`` (the
members with ``o_i >= o_j`` come first).  So cell ``(k*, U*)`` holds a set ``Z`` with

    sum_Z o <= delta U* < V* + k* delta <= V* + K_T (eps T / K_T) <= (1 + eps) V*,

i.e. ``F(Z) <= (1 + eps) F*``, and the answer is no worse than ``Z``.  (iii) A set of class ``T`` with
``k`` members has ``sum o >= B_k = max(T, c_k)`` (``c_k``: the ``k`` smallest ``o``), so
``F >= lb_T = min_{k <= K_T} B_k / k^2``.  With ``inc`` the best set found so far, a class is skipped when
no key ``(B_k, k)`` beats ``inc`` (it cannot hold ``X*``, nor anything better than ``inc``), or when
``(1 + eps) lb_T > F(inc)`` (if it held ``X*`` then ``F(inc) < (1 + eps) F*`` already).  The first
incumbent is the best feasible prefix of the requests by ascending ``s + o`` and by ascending ``o``;
classes are run by ascending ``lb_T``, so the answer is ``min(F(inc), F(Z)) <= (1 + eps) F*``.

*Optimality.*  If every class that ran had ``delta = 1`` and every class skipped by the ``(1 + eps)`` rule
is excluded by the first rule against the final answer, the table of ``X*``'s class is the exact DP
restricted to that class and the answer is optimal: ``status = "optimal"``, else ``"feasible"``.

*Cost.*  ``U_T + 1 <= 4 K_T / eps + K_T + 1`` columns (``floor`` costs at most a factor 2) and ``K_T + 1``
rows per bundle, at most ``log2(K o_max / o_min) + 1`` classes: ``O(n K^2 log(K o_max / o_min) / eps)``,
independent of ``M``.  The slides' ``O(n B / eps)`` leaves out the count dimension ``K`` that the ratio
objective needs and the guess of ``V*``.  When ``M`` is small against ``K^2 / eps`` the exact table is the
smaller one: with ``prune=True`` (default) ``scaled_dp`` then runs ``exact_dp`` (``info["method"]``), whose
answer is optimal and so meets the bound too.
"""

from __future__ import annotations

import math
import numbers
import time
from fractions import Fraction

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .problem import SelectionResult, better, is_feasible, make_result, max_batch_size

__all__ = ["exact_dp", "scaled_dp", "memory_grid_dp", "dp_select"]

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
    idx = _recover(bits, best_cell, b_cnt, b_su, b_type, members)
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




def _check_eps(eps) -> float:
    """``eps`` must be a finite real number > 0 (``bool`` is refused)."""
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real) or not math.isfinite(eps) \
            or not eps > 0:
        raise ValueError(f"eps = {eps!r} must be a finite number > 0")
    return float(eps)


MEMORY_GRID_GUARANTEE = "feasible at M; F <= F*(M_eps), M_eps = M - K(g-1) >= M/(1+eps)"


def memory_grid_dp(s: np.ndarray, o: np.ndarray, memory: int, eps: float = 0.1) -> SelectionResult:
    """The DP on a prompt-memory grid: feasible at ``M``, and ``F <= F*(M_eps)`` with ``M_eps >= M / (1 + eps)``.

    A memory-augmentation guarantee (module docstring, ``memory_grid_dp``), *not* ``(1 + eps) F*`` at the
    same memory: use :func:`scaled_dp` for that.

    Parameters
    ----------
    s, o : integer arrays (prompt and output lengths, ``s + o <= memory``).
    memory : int
        ``M``.
    eps : float > 0
        Memory slack; grid ``g = 1 + floor(eps M / ((1 + eps) K))`` (``g = 1`` is the exact DP).

    Returns
    -------
    SelectionResult
        ``info["memory_eps"]`` is ``M_eps = M - K (g - 1)``; ``info["grid"]`` is ``g``.

    Examples
    --------
    >>> import numpy as np
    >>> from lpsched.sortedf.dp import memory_grid_dp
    >>> r = memory_grid_dp(np.array([30, 31, 29, 40]), np.array([5, 5, 6, 9]), 120, eps=0.2)
    >>> r.info["grid"], r.info["memory_eps"] >= 120 / 1.2, r.status
    (7, True, 'feasible')
    """
    eps = _check_eps(eps)
    t0 = time.perf_counter()
    K = max_batch_size(s, o, memory)
    grid = 1 + int(eps * memory / ((1 + eps) * K))
    idx, info = dp_select(s, o, memory, grid)
    m_eps = memory - K * (grid - 1)
    return make_result(idx, s, o, "memory_grid_dp", MEMORY_GRID_GUARANTEE,
                       "optimal" if grid == 1 else "feasible", t0, eps=eps, memory_eps=m_eps, **info)


# ------------------------------------------------------------------------------------------- scaled_dp
def _prefix_incumbent(s: np.ndarray, o: np.ndarray, memory: int):
    """Best feasible prefix of the requests by ascending ``s + o`` and by ascending ``o``: ``(key, indices)``.

    Prefix feasibility is monotone (a new member only adds load), so the longest feasible prefix is found by
    bisection; a single request always fits.
    """
    n = len(s)
    ar = np.arange(n)
    best, best_idx = None, None
    for order in (np.lexsort((ar, s + o)), np.lexsort((ar, s, o))):
        lo, hi = 1, n
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if is_feasible(s[order[:mid]], o[order[:mid]], memory):
                lo = mid
            else:
                hi = mid - 1
        cum = np.cumsum(o[order[:lo]])
        ks = np.arange(1, lo + 1)
        f = cum / ks.astype(float) ** 2
        for m in np.flatnonzero(f <= f.min() * (1 + 1e-9)).tolist():
            key = (int(cum[m]), m + 1)
            if better(key, best):
                best, best_idx = key, order[: m + 1]
    return best, best_idx


def _rounded_class_dp(b_cnt, b_s, b_o, b_u, sel, K_T: int, U_T: int, memory: int, delta: int):
    """The ``(k, U) -> min S`` table of one class (module docstring, ``scaled_dp``).

    Returns ``(best, cell, bits, cells)``: the best ``(true sum o, k)`` over the table, its cell ``(k, U)``,
    the improvement bits ``(bundle, rows offset, columns offset, ncols, packed)`` and the cells touched.
    """
    small_s = memory < (1 << 29)
    dt_s = np.int32 if small_s else np.int64
    inf = (1 << 30) if small_s else int(_INF)
    # a stored true sum is at most delta U_T (o <= delta u), and one more bundle is added to it
    dt_v = np.int32 if delta * U_T + int((b_cnt[sel] * b_o[sel]).max()) < (1 << 31) else np.int64
    D = np.full((K_T + 1, U_T + 1), inf, dtype=dt_s)
    TV = np.zeros((K_T + 1, U_T + 1), dtype=dt_v)
    D[0, 0] = 0
    cbuf = np.empty_like(D)
    lbuf = np.empty_like(D)
    vbuf = np.empty_like(TV)
    ibuf = np.empty(D.shape, dtype=bool)
    kreach, ureach, cells = 0, 0, 0
    bits = []
    for t in sel.tolist():
        b = int(b_cnt[t])
        ss, oo, uu = b * int(b_s[t]), int(b_o[t]), b * int(b_u[t])
        k_hi = min(K_T, kreach + b, (memory - ss) // oo)        # (*) with S >= ss needs k oo <= M - ss
        c_hi = min(U_T, ureach + uu)
        if k_hi < b or c_hi < uu:
            continue
        nr, nc = k_hi - b + 1, c_hi - uu + 1
        src, dst = D[:nr, :nc], D[b:k_hi + 1, uu:c_hi + 1]
        # new cell (k, U): S' = S + ss must pass (*) S' + k oo <= M and improve on D[k, U]:
        # S' < min(D[k, U], M - k oo + 1)
        lim = (memory + 1 - oo * np.arange(b, k_hi + 1, dtype=np.int64)).astype(dt_s)[:, None]
        cand = np.add(src, dt_s(ss), out=cbuf[:nr, :nc])
        bound = np.minimum(dst, lim, out=lbuf[:nr, :nc])
        imp = np.less(cand, bound, out=ibuf[:nr, :nc])
        cells += imp.size
        if not imp.any():
            continue
        tv = np.add(TV[:nr, :nc], dt_v(b * oo), out=vbuf[:nr, :nc])
        np.copyto(dst, cand, where=imp)
        np.copyto(TV[b:k_hi + 1, uu:c_hi + 1], tv, where=imp)
        if k_hi > kreach:
            kreach = max(kreach, b + int(np.flatnonzero(imp.any(axis=1))[-1]))
        if c_hi > ureach:
            ureach = max(ureach, uu + int(np.flatnonzero(imp.any(axis=0))[-1]))
        bits.append((t, b, uu, nc, np.packbits(imp)))
    best, cell = None, None
    big = int(np.iinfo(TV.dtype).max)
    tv_all = np.where(D[1:kreach + 1, :ureach + 1] < inf, TV[1:kreach + 1, :ureach + 1], big)
    cols = np.argmin(tv_all, axis=1) if kreach else np.zeros(0, np.int64)
    for r, c in enumerate(cols.tolist()):
        v = int(tv_all[r, c])
        if v == big:
            continue
        key = (v, r + 1)
        if better(key, best):
            best, cell = key, (r + 1, c)
    return best, cell, bits, cells


def _class_bound(T: int, cum_small: np.ndarray):
    """``(lb, k_tie, T, K_T)`` for the class ``T <= sum o < 2T``.

    A set of the class with ``k`` members has ``sum o >= B_k = max(T, c_k)`` (``c_k``: the ``k`` smallest
    ``o``), so ``F >= lb = min_{k <= K_T} B_k / k^2`` (exact ``Fraction``); ``k_tie`` is the largest ``k``
    attaining it.  ``K_T`` = the largest ``k`` with ``c_k <= 2T - 1`` (``cum_small`` holds ``c_1 .. c_K``).
    """
    K_T = int(np.searchsorted(cum_small, 2 * T - 1, side="right"))
    ks = np.arange(1, K_T + 1)
    B = np.maximum(cum_small[:K_T], T)
    f = B / ks.astype(float) ** 2
    lb, k_tie = None, 0
    for i in np.flatnonzero(f <= f.min() * (1 + 1e-9)).tolist():   # exact among the float near-minima
        q = Fraction(int(B[i]), (i + 1) ** 2)
        if lb is None or q < lb or (q == lb and i + 1 > k_tie):
            lb, k_tie = q, i + 1
    return lb, k_tie, T, K_T


def _excluded(lb: Fraction, k_tie: int, best: tuple[int, int]) -> bool:
    """Can no set of a class with bound ``(lb, k_tie)`` (:func:`_class_bound`) beat ``best = (sum o, k)``?"""
    f = Fraction(best[0], best[1] ** 2)
    return lb > f or (lb == f and k_tie <= best[1])


def _recover(bits, cell, b_cnt, b_u, b_type, members) -> np.ndarray:
    """Walk the improvement bits of a DP table back from ``cell = (k, U)``; the request indices.

    ``bits`` holds, per bundle that improved some cell, ``(bundle, row0, col0, ncols, packed mask)``; a
    bundle of ``b_cnt[t]`` copies moves ``b_cnt[t]`` rows and ``b_cnt[t] * b_u[t]`` columns (prompt grid
    units in :func:`dp_select`, rounded output units in :func:`scaled_dp`)."""
    k, U = cell
    taken = np.zeros(len(members), np.int64)
    for t, r0, c0, ncols, packed in reversed(bits):
        if k == 0:
            break
        r, c = k - r0, U - c0
        if r < 0 or c < 0 or c >= ncols:
            continue
        i = r * ncols + c
        if i >> 3 >= len(packed) or not (packed[i >> 3] >> (7 - (i & 7))) & 1:
            continue
        taken[b_type[t]] += int(b_cnt[t])
        k -= int(b_cnt[t])
        U -= int(b_u[t]) * int(b_cnt[t])
    assert k == 0 and U == 0, "DP reconstruction failed"
    return np.concatenate([members[ty][:cnt] for ty, cnt in enumerate(taken.tolist()) if cnt]
                          or [np.zeros(0, np.int64)])


def scaled_dp(s: np.ndarray, o: np.ndarray, memory: int, eps: float = 0.1, prune: bool = True) -> SelectionResult:
    """``(1 + eps)``-optimal batch at the same memory: round the objective, keep the memory check exact.

    Guesses the class ``T <= sum_{X*} o < 2T`` of the optimum's output sum, rounds outputs up to multiples
    of ``delta = max(1, floor(eps T / K_T))`` and runs a ``(k, rounded sum) -> min prompt sum`` DP with the
    exact feasibility check; the proof of ``F <= (1 + eps) F*`` is in the module docstring.

    Parameters
    ----------
    s, o : integer arrays (prompt and output lengths, ``s + o <= memory``).
    memory : int
        ``M``; the result is feasible at ``M`` (the memory is never rounded).
    eps : float > 0
        Accuracy: ``F(result) <= (1 + eps) F*``.
    prune : bool
        ``True`` (default): start from the best feasible prefix, skip classes by their lower bound, and run
        :func:`exact_dp` instead when its ``(K + 1) x (M - min o + 1)`` table is smaller than the rounded
        tables of the classes left (``info["method"]`` says which ran).  ``False``: the rounded DP alone,
        on every class (to test or time the rounding itself).

    Returns
    -------
    SelectionResult
        ``status`` is ``"optimal"`` when no rounding happened in any class that ran (``delta = 1``) and every
        class skipped by the ``(1 + eps)`` rule is excluded by the final answer (or ``exact_dp`` ran); else
        ``"feasible"``.  ``info``: ``method`` (``"rounded"`` or ``"exact_dp"``), ``guesses`` (the class lower
        ends ``T`` that ran), ``delta`` (their steps), ``K_T``, ``columns``, ``K`` (:func:`max_batch_size`),
        ``cells`` (table cells touched), ``skipped`` (classes pruned), ``eps``.

    Examples
    --------
    >>> import numpy as np
    >>> from lpsched.sortedf.dp import scaled_dp
    >>> s = np.array([359, 198, 146, 233, 120, 248, 12, 91]); o = np.array([2, 2, 8, 13, 28, 6, 7, 14])
    >>> r = scaled_dp(s, o, 561, eps=0.1)       # the optimum {0, 1} fills memory exactly: 359 + 198 + 2 * 2
    >>> r.indices.tolist(), r.F, r.status
    ([0, 1], 1.0, 'optimal')
    >>> r = scaled_dp(s, o, 561, eps=0.5, prune=False)
    >>> r.F, r.info["guesses"], r.info["delta"]
    (1.0, [2, 4, 8, 16, 32], [1, 1, 1, 2, 4])
    >>> scaled_dp(s, o, 561, eps=float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: eps = nan must be a finite number > 0
    """
    eps = _check_eps(eps)
    t0 = time.perf_counter()
    feps = Fraction(eps)
    K = max_batch_size(s, o, memory)
    b_cnt, b_s, b_o, b_type, members = _bundles(s, o)
    o_sorted = np.sort(o)
    cum_small = np.cumsum(o_sorted[:K])                        # c_k: the k smallest o, k <= K
    upper = int(o_sorted[::-1][:K].sum())                      # V* <= the K largest o
    best, best_idx = _prefix_incumbent(s, o, memory) if prune else (None, None)
    if best is not None:
        upper = min(upper, best[0] * K * K // best[1] ** 2)    # V* = F* k*^2 <= F(inc) K^2
    classes = []
    T = int(o_sorted[0])
    while T <= upper:
        classes.append(_class_bound(T, cum_small))
        T *= 2
    if prune:
        classes.sort()                                         # most promising (smallest lower bound) first

    def plan(lb, k_tie, T, K_T):
        """``None`` (skip, exactly), ``"eps"`` (skip by the (1 + eps) rule) or ``(delta, U_T)``."""
        if prune and _excluded(lb, k_tie, best):
            return None
        if prune and (1 + feps) * lb > Fraction(best[0], best[1] ** 2):
            return "eps"
        delta = max(1, math.floor(feps * T / K_T))
        return delta, (2 * T - 1 + K_T * (delta - 1)) // delta

    info = {"eps": eps, "K": K, "bundles": len(b_cnt)}
    if prune:
        est = sum(c[3] * (p[1] + 1) for c in classes if isinstance(p := plan(*c), tuple))
        if (K + 1) * (memory - int(o_sorted[0]) + 1) <= est:
            idx, ex = dp_select(s, o, memory, 1)
            return make_result(idx, s, o, "scaled_dp", _scaled_guarantee(eps), "optimal", t0, method="exact_dp",
                               **{**info, "cells": ex["cells"], "columns": ex["columns"], "value": ex["value"]})
    guesses, deltas, kts, columns = [], [], [], []
    cells, skipped, exact, eps_skipped = 0, 0, True, []
    for lb, k_tie, T, K_T in classes:
        p = plan(lb, k_tie, T, K_T)
        if p is None or p == "eps":
            skipped += 1
            if p == "eps":
                eps_skipped.append((lb, k_tie))
            continue
        delta, U_T = p
        b_u = -(-b_o // delta)
        sel = np.flatnonzero(b_o <= 2 * T - 1)
        key, cell, bits, c = _rounded_class_dp(b_cnt, b_s, b_o, b_u, sel, K_T, U_T, memory, delta)
        guesses.append(T)
        deltas.append(delta)
        kts.append(K_T)
        columns.append(U_T + 1)
        cells += c
        exact = exact and delta == 1
        if key is not None and better(key, best):
            idx = _recover(bits, cell, b_cnt, b_u, b_type, members)
            assert int(o[idx].sum()) == key[0] and len(idx) == key[1], "scaled_dp: stored sum differs from the set"
            best, best_idx = key, idx
    # a class skipped by the (1 + eps) rule is still excluded exactly if no set in it can tie the answer
    exact = exact and all(_excluded(lb, k_tie, best) for lb, k_tie in eps_skipped)
    return make_result(best_idx, s, o, "scaled_dp", _scaled_guarantee(eps), "optimal" if exact else "feasible",
                       t0, method="rounded", guesses=guesses, delta=deltas, K_T=kts, columns=columns, cells=cells,
                       skipped=skipped, value=best, **info)


def _scaled_guarantee(eps: float) -> str:
    return f"feasible at M (exact memory check); F <= (1 + {eps:g}) F* at the same M"

"""Compiled core of the ``local_swap`` selector (:func:`lpsched.sortedf.local.local_swap`).

Layer: engine (a compiled kernel below the algorithms that call it; the Python ``local_swap`` is the
reference and the tests require the same batch and the same move counts).

The online Sorted-F computes an order at almost every decision (about 12,000 selections of 2-160
requests on the Azure conversation trace); in numpy each selection pays a few hundred small-array calls,
here one loop.  The search is the reference's, step for step: the longest feasible prefix of the
``(s + o, index)`` order, then add / drop / swap moves until none improves ``(F, -|X|)``.

Batch arithmetic (members sorted by ``(o, index)``, positions ``0..k-1``): ``load_q = sum_{o_i >= o_q}
(s_i + o_q)`` and ``slack_q = M - load_q``.  A request ``a`` can join iff its own load
``sum_{o_i >= o_a} s_i + s_a + (#{o_i >= o_a} + 1) o_a <= M`` and every member with ``o_q <= o_a`` keeps
``slack_q - o_q >= s_a``; a swap of member ``p`` for ``a`` (``o_a < o_p``) keeps the batch feasible iff
``s_p >= need_a = max(own_a - o_a - M, s_a - min_{o_q <= o_a} slack_q)`` (``own_a - o_a``: the load
``sum_{o_i >= o_a} s_i + s_a + #{o_i >= o_a} o_a``)
(:meth:`lpsched.sortedf.problem.Batch.swap`).
"""

from __future__ import annotations

import numpy as np

from ._jit import kernel

__all__ = ["local_swap_core"]

BIG = np.int64(2**62)


@kernel
def _prepare(s, o, mem, k, memory, suffix, room, low):
    """For the ``k`` members ``mem``: ``suffix[q] = sum s`` of positions ``q..k-1``; ``room[q]`` and
    ``low[q]``: the least ``slack - o`` and the least ``slack`` over positions ``0..q-1``."""
    suffix[k] = 0
    for q in range(k - 1, -1, -1):
        suffix[q] = suffix[q + 1] + s[mem[q]]
    first = 0
    room[0] = BIG
    low[0] = BIG
    for q in range(k):
        if q == 0 or o[mem[q]] != o[mem[q - 1]]:
            first = q
        slack = memory - (suffix[first] + (k - first) * o[mem[q]])
        room[q + 1] = min(room[q], slack - o[mem[q]])
        low[q + 1] = min(low[q], slack)


@kernel
def _position(o, mem, k, value, right):
    """First position whose member has ``o >= value`` (``o > value`` when ``right``)."""
    lo, hi = 0, k
    while lo < hi:
        mid = (lo + hi) // 2
        v = o[mem[mid]]
        if v < value or (right and v == value):
            lo = mid + 1
        else:
            hi = mid
    return lo


@kernel
def _fits(s, o, mem, k, memory, suffix, room, a):
    """Can ``a`` join the ``k`` members (``suffix`` and ``room`` prepared)?"""
    ge = _position(o, mem, k, o[a], False)
    if suffix[ge] + s[a] + (k - ge + 1) * o[a] > memory:
        return False
    return room[_position(o, mem, k, o[a], True)] >= s[a]


@kernel
def _insert(o, mem, k, a):
    """Insert ``a`` into the ``k`` members ``mem`` (sorted by ``(o, index)``)."""
    q = k
    while q > 0 and (o[mem[q - 1]] > o[a] or (o[mem[q - 1]] == o[a] and mem[q - 1] > a)):
        mem[q] = mem[q - 1]
        q -= 1
    mem[q] = a


@kernel
def _collect(by_o, inside, mem):
    """Members in ``(o, index)`` order into ``mem``; returns their number."""
    k = 0
    for i in by_o:
        if inside[i]:
            mem[k] = i
            k += 1
    return k


@kernel
def local_swap_core(s, o, memory, max_moves):
    """``(members, adds, drops, swaps, local_optimum)`` of the reference ``local_swap`` on ``(s, o)``."""
    n = len(s)
    by_so = np.argsort(s + o, kind="mergesort")       # stable: ties by index
    by_o = np.argsort(o, kind="mergesort")
    inside = np.zeros(n, np.bool_)
    mem = np.empty(n, np.int64)
    suffix = np.empty(n + 1, np.int64)
    room = np.empty(n + 1, np.int64)
    low = np.empty(n + 1, np.int64)
    k = 0
    for a in by_so:                                   # the longest feasible prefix of the s + o order
        if k:
            _prepare(s, o, mem, k, memory, suffix, room, low)
            if not _fits(s, o, mem, k, memory, suffix, room, a):
                break
        elif s[a] + o[a] > memory:
            break
        inside[a] = True
        _insert(o, mem, k, a)
        k += 1
    adds = drops = swaps = 0
    out = np.empty(n, np.int64)
    need = np.empty(n, np.int64)
    first_need = np.empty(n, np.int64)
    local_opt = False
    while adds + drops + swaps < max_moves:
        k = _collect(by_o, inside, mem)
        _prepare(s, o, mem, k, memory, suffix, room, low)
        v = 0
        for q in range(k):
            v += o[mem[q]]
        m = 0
        for i in by_o:
            if not inside[i]:
                out[m] = i
                m += 1
        added = False
        for j in range(m):                            # add: the first improving non-member that fits
            a = out[j]
            if k and (v + o[a]) * k * k > v * (k + 1) * (k + 1):
                continue
            if _fits(s, o, mem, k, memory, suffix, room, a):
                inside[a] = True
                adds += 1
                added = True
                break
        if added:
            continue
        if k > 1:                                     # drop the largest-o member
            r = mem[k - 1]
            lhs = (v - o[r]) * k * k
            rhs = v * (k - 1) * (k - 1)
            if lhs < rhs:
                inside[r] = False
                drops += 1
                continue
        if m == 0 or k == 0:
            local_opt = True
            break
        for j in range(m):                            # swap: a threshold on s_p per non-member
            a = out[j]
            ge = _position(o, mem, k, o[a], False)
            need[j] = max(suffix[ge] + s[a] + (k - ge) * o[a] - memory,
                          s[a] - low[_position(o, mem, k, o[a], True)])
            first_need[j] = need[j] if j == 0 else min(first_need[j - 1], need[j])
        chosen_p = -1
        chosen_a = -1
        c = m
        for p in range(k - 1, -1, -1):                # members by descending o
            op, sp = o[mem[p]], s[mem[p]]
            while c > 0 and o[out[c - 1]] >= op:      # c: non-members with o < o_p
                c -= 1
            if c > 0 and first_need[c - 1] <= sp:
                chosen_p = mem[p]
                for j in range(c):
                    if need[j] <= sp:
                        chosen_a = out[j]
                        break
                break
        if chosen_p < 0:
            local_opt = True
            break
        inside[chosen_p] = False
        inside[chosen_a] = True
        swaps += 1
    k = _collect(by_o, inside, mem)
    return mem[:k].copy(), adds, drops, swaps, local_opt

"""Building blocks of the compiled event loops: the future-memory forecast in arrays, and binary heaps.

Layer: engine (compiled helpers of :mod:`lpsched.kernels`; plain Python functions until
:func:`lpsched.kernels._jit.load` wraps them in numba).

**Forecast** (``fm_*``): the array twin of :class:`lpsched.future.FutureMemory`, with the same
semantics and the same algorithms (read that class for the derivations).  Runs with the same end are
one entry: ``fe`` (distinct ends, ascending), ``fc`` (number of runs), ``fb`` (sum of ``s - start``),
held in ``[fs[0], fs[1])`` of arrays of fixed capacity; ``fs[2]`` is the number of runs and ``fs[3]``
the sum of ``s - start`` over all of them.  Every end of a running request lies in ``(t, t + M]``, so
the capacity ``min(n, M) + 2`` never overflows; a prefix is dropped by moving ``fs[0]`` and an insertion
shifts the shorter side.

**Heaps** (``heap_*``): a binary min-heap of ``int64`` keys with an ``int64`` payload; ``hs[0]`` is its
size.

**Segment trees** (``tree_*``): a minimum tree over ``P`` slots (``P`` a power of two; slot ``x`` at
``tr[P + x]``, empty slots hold a large value) that finds the first slot at or after a position whose
value is below a bound (the skip scans: :mod:`.estimate`, :mod:`.greedy`).

Times are ``int64``; :data:`NEVER` stands for "no such time" (the engine's ``math.inf``) and :data:`FITS`
for "fits now" (``None`` in :meth:`FutureMemory._blocked_until`).
"""

from __future__ import annotations

import numpy as np

from ._jit import kernel

NEVER = 1 << 62
FITS = -1

# status codes of a kernel run: anything but OK makes the Python engine rerun and raise its own error
OK = 0
LIMIT = 1          # past max_time
LONE_OVERFLOW = 2  # one running request overflows memory on its own
STUCK = 3          # a policy rule left nothing to do (the Python engine names the rule)
BROKEN = 4         # an internal inconsistency (a bug): the Python engine decides


# ---------------------------------------------------------------------------------------- forecast
@kernel
def fm_new(cap):
    """Empty forecast arrays ``(fe, fc, fb, fs)`` with room for ``cap`` distinct ends."""
    return (np.zeros(cap, np.int64), np.zeros(cap, np.int64), np.zeros(cap, np.int64),
            np.zeros(4, np.int64))


@kernel
def _bisect_left(a, lo, hi, x):
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@kernel
def _bisect_right(a, lo, hi, x):
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@kernel
def fm_merge(fe, fc, fb, fs, end, cnt, base):
    """Add ``cnt`` runs ending at ``end`` whose ``s - start`` sum to ``base``."""
    lo, hi = fs[0], fs[1]
    k = _bisect_left(fe, lo, hi, end)
    fs[2] += cnt
    fs[3] += base
    if k < hi and fe[k] == end:
        fc[k] += cnt
        fb[k] += base
        return
    if lo > 0 and (k - lo < hi - k or hi == len(fe)):
        for j in range(lo, k):                 # shift the front part left
            fe[j - 1] = fe[j]
            fc[j - 1] = fc[j]
            fb[j - 1] = fb[j]
        lo -= 1
        k -= 1
        fs[0] = lo
    else:
        for j in range(hi, k, -1):             # shift the back part right
            fe[j] = fe[j - 1]
            fc[j] = fc[j - 1]
            fb[j] = fb[j - 1]
        fs[1] = hi + 1
    fe[k] = end
    fc[k] = cnt
    fb[k] = base


@kernel
def fm_add(fe, fc, fb, fs, s, start, end):
    """Add a run of prompt ``s`` from ``start`` to ``end``."""
    fm_merge(fe, fc, fb, fs, end, 1, s - start)


@kernel
def fm_remove(fe, fc, fb, fs, s, start, end):
    """Remove one run ``(s, start, end)``; ``False`` if there is no run with that end."""
    lo, hi = fs[0], fs[1]
    k = _bisect_left(fe, lo, hi, end)
    if k == hi or fe[k] != end:
        return False
    fs[2] -= 1
    fs[3] -= s - start
    if fc[k] > 1:
        fc[k] -= 1
        fb[k] -= s - start
        return True
    if k - lo < hi - 1 - k:
        for j in range(k, lo, -1):
            fe[j] = fe[j - 1]
            fc[j] = fc[j - 1]
            fb[j] = fb[j - 1]
        fs[0] = lo + 1
    else:
        for j in range(k, hi - 1):
            fe[j] = fe[j + 1]
            fc[j] = fc[j + 1]
            fb[j] = fb[j + 1]
        fs[1] = hi - 1
    return True


@kernel
def fm_pop_ended(fe, fc, fb, fs, time):
    """Remove the runs ending at or before ``time``; return their count and summed ``s - start``."""
    lo, hi = fs[0], fs[1]
    k = _bisect_right(fe, lo, hi, time)
    cnt = 0
    base = 0
    for j in range(lo, k):
        cnt += fc[j]
        base += fb[j]
    fs[0] = k
    if k == hi:
        fs[0] = 0
        fs[1] = 0
    fs[2] -= cnt
    fs[3] -= base
    return cnt, base


@kernel
def fm_postpone(fe, fc, fb, fs, time):
    """Runs that end at or before ``time`` end at ``time + 1`` instead (A_min's overdue runs)."""
    cnt, base = fm_pop_ended(fe, fc, fb, fs, time)
    if cnt:
        fm_merge(fe, fc, fb, fs, time + 1, cnt, base)


@kernel
def fm_next_end(fe, fs):
    """The earliest end of a run (:data:`NEVER` if none)."""
    return fe[fs[0]] if fs[1] > fs[0] else NEVER


@kernel
def fm_blocked_until(fe, fc, fb, fs, M, s, o, tau):
    """:data:`FITS` if a request ``(s, o)`` fits at ``tau``; else a time ``> tau`` before which it cannot
    (:meth:`lpsched.future.FutureMemory._blocked_until`, same answers)."""
    return fm_blocked_until_many(fe, fc, fb, fs, M, 1, s, o, tau)


@kernel
def fm_blocked_until_many(fe, fc, fb, fs, M, count, s, o, tau):
    """:func:`fm_blocked_until` for ``count`` requests of length ``o`` whose prompts sum to ``s``, started
    together (``FutureMemory._blocked_until(s, o, tau, count)``, same answers).

    One pass up the ends below ``x = tau + o`` gives the sums over the ends ``>= x`` (the totals minus
    that prefix) and the largest violated end ``q`` in ``(tau, x)`` -- the one the Python walk down from
    ``x`` meets first -- so a short request costs the ends before its own end, not all of them."""
    lo, hi = fs[0], fs[1]
    x = tau + o
    room = M - s + count * tau
    acc = 0                                       # sum of s - start over the ends below the current one
    c = 0
    worst_q = -1
    worst_v = 0
    j = lo
    while j < hi and fe[j] < x:
        q = fe[j]
        if q > tau:
            v = (fs[3] - acc) + q * (fs[2] - c) + count * q     # mem(q) + count q
            if v > room:
                worst_q = q
                worst_v = v
        acc += fb[j]
        c += fc[j]
        j += 1
    acc = fs[3] - acc                             # the runs ending at or after x
    c = fs[2] - c
    if acc + x * c + s + count * o > M:           # at the request's own end
        need = M - s - count * o
        while j < hi:
            acc -= fb[j]
            c -= fc[j]
            if acc + (fe[j] + 1) * c <= need:
                return fe[j] + 1 - o
            j += 1
        return NEVER                              # count > 1 only: an empty memory fits one request
    if worst_q >= 0:
        return min(worst_q, -((M - s - worst_v) // count))
    return FITS


@kernel
def fm_fits(fe, fc, fb, fs, M, s, o, tau):
    return fm_blocked_until(fe, fc, fb, fs, M, s, o, tau) == FITS


@kernel
def fm_earliest_start(fe, fc, fb, fs, M, s, o, lo, hi):
    """Earliest ``tau`` in ``[lo, hi)`` at which ``(s, o)`` fits, or :data:`NEVER`."""
    tau = lo
    while tau < hi:
        nxt = fm_blocked_until(fe, fc, fb, fs, M, s, o, tau)
        if nxt == FITS:
            return tau
        tau = nxt
    return NEVER


# ---------------------------------------------------------------------------------------- heaps
@kernel
def heap_push(hk, hv, hs, key, val):
    i = hs[0]
    hs[0] = i + 1
    while i > 0:
        p = (i - 1) >> 1
        if hk[p] <= key:
            break
        hk[i] = hk[p]
        hv[i] = hv[p]
        i = p
    hk[i] = key
    hv[i] = val


@kernel
def heap_pop(hk, hv, hs):
    """Remove the top; return its ``(key, value)``."""
    key, val = hk[0], hv[0]
    n = hs[0] - 1
    hs[0] = n
    if n > 0:
        hk[0], hv[0] = hk[n], hv[n]
        heap_fix_down(hk, hv, n, 0)
    return key, val


@kernel
def heap_fix_down(hk, hv, n, i):
    """Sift position ``i`` down in a heap of size ``n``."""
    lk, lv = hk[i], hv[i]
    while True:
        c = 2 * i + 1
        if c >= n:
            break
        if c + 1 < n and hk[c + 1] < hk[c]:
            c += 1
        if hk[c] >= lk:
            break
        hk[i] = hk[c]
        hv[i] = hv[c]
        i = c
    hk[i] = lk
    hv[i] = lv


@kernel
def heapify(hk, hv, n):
    for i in range(n // 2 - 1, -1, -1):
        heap_fix_down(hk, hv, n, i)


# ---------------------------------------------------------------------------------------- segment tree
@kernel
def tree_set(tr, P, slot, val):
    x = slot + P
    tr[x] = val
    x >>= 1
    while x:
        tr[x] = min(tr[2 * x], tr[2 * x + 1])
        x >>= 1


@kernel
def tree_first(tr, P, pos, thr):
    """First slot ``>= pos`` whose value is ``< thr``, or -1."""
    if pos >= P:
        return -1
    x = pos + P
    while True:
        if tr[x] < thr:
            while x < P:
                x = 2 * x
                if tr[x] >= thr:
                    x += 1
            return x - P
        while x & 1:
            x >>= 1
        if x == 0:
            return -1
        x += 1


# ---------------------------------------------------------------------------------------- records
@kernel
def grow_rows(a, need):
    """A copy of the 2-d ``a`` with room for at least ``need`` rows (half as many again as now)."""
    b = np.empty((max(need, len(a) + len(a) // 2 + 16), a.shape[1]), np.int64)
    for x in range(len(a)):
        for y in range(a.shape[1]):
            b[x, y] = a[x, y]
    return b


@kernel
def sort_prefix(a, m):
    """Sort ``a[:m]`` in place (heapsort: no recursion, and numba compiles it in a fraction of the time
    its own ``ndarray.sort`` takes)."""
    for start in range(m // 2 - 1, -1, -1):
        _sift(a, start, m)
    for end in range(m - 1, 0, -1):
        tmp = a[0]
        a[0] = a[end]
        a[end] = tmp
        _sift(a, 0, end)


@kernel
def _sift(a, i, m):
    v = a[i]
    while True:
        c = 2 * i + 1
        if c >= m:
            break
        if c + 1 < m and a[c + 1] > a[c]:
            c += 1
        if a[c] <= v:
            break
        a[i] = a[c]
        i = c
    a[i] = v

"""Compiled event loop of the estimate family: ``amax`` (both readings), ``amin``, ``sf_point``.

Layer: engine (a compiled twin of :class:`lpsched.policies.robust.EstimatePolicy`; the Python policy in
the Python engine is the reference, and its module docstring states the rules).

At a decision at time ``t`` the kernel does what :meth:`EstimatePolicy.decide` does, in the same order:
the running forecast's overdue runs are moved to ``t + 1``; on overflow it evicts (``amin``: smallest
estimate ``max(L, g + 1)`` first, ties by the tie rule; ``sf_point``: the most recent start); it admits
from the queue (``stop`` scan: the head group, the next one only if the whole group started; ``skip``
scan: every group in key order that is not dominated by a group that failed); evicted requests join the
queue afterwards, with what they learned.  Random ties draw ``rng.integers(r)`` (:func:`._random.bounded`)
on the same lists at the same moments as the Python policy, so a seed gives the same schedule; the
stream is the lazy Fisher-Yates of :mod:`lpsched.policies.robust` ("Ties"): one draw per member taken.

Queue.  Waiting requests sit in *groups* of equal admission key (a group has one member unless ties are
random).  A group lives in a *slot*: its static rank (``amax``, ``sf_point``), its estimate (``amin``
with random ties: the key is ``L``) or the request itself (``amin`` with index or adversarial ties,
whose key changes when it learns).  Its members are a list in one shared array, the *pool* (the
Python policy's list, in the same order: a draw takes position ``x`` and moves the last member there),
with the group's size, prompt sum, smallest prompt and how many members hold it (row ``G[.., slot]``).
A static slot's list has room for every request of that slot (they join it at most once at a time);
an ``amin`` group's list moves to the end of the pool with twice the room when it is full, and a full
pool is compacted.  Every list operation is ``O(1)``; the smallest prompt is rescanned only when its
last holder is drawn (probability ``1 / r`` per draw: ``O(1)`` expected).  The ``stop`` scan keeps the
groups in a heap of keys; the ``skip`` scan (``amax``) keeps a segment tree of the groups' smallest
prompts over the static slots, so it jumps straight to the next group that is not dominated (a linear
scan of the queue per decision made A_max quadratic).

When the kernel decides: at every completion, at the time the running set overflows, at the earliest
time a candidate fits if nothing else happens (:func:`first_fit`, the port of
:meth:`EstimatePolicy._first_fit`), and at every arrival except one that the ``stop`` scan puts behind
a blocked head; with the ``batch`` reading, while anything runs, only when the running set empties.
"""

from __future__ import annotations

import numpy as np

from ._common import (FITS, LIMIT, LONE_OVERFLOW, NEVER, OK, STUCK, fm_add, fm_blocked_until,
                      fm_blocked_until_many, fm_earliest_start, fm_new, fm_postpone, fm_remove, grow_rows, heap_pop,
                      heap_push, heapify, sort_prefix, tree_first, tree_set)
from ._jit import kernel
from ._random import bounded

RANDOM, INDEX, ADVERSARIAL = 0, 1, 2          # tie rules
SLOT_STATIC, SLOT_BY_L, SLOT_BY_ID = 0, 1, 2  # where a request's group lives
EVICT_NONE, EVICT_SMALLEST, EVICT_RECENT = 0, 1, 2
INF = 1 << 62
# rows of the group table G: the list's offset in the pool and its room, the number of members, the sum
# and the smallest of their prompts, how many hold the smallest, their estimate
OFF, CAP, SIZE, SUM, MIN, NMIN, EST = 0, 1, 2, 3, 4, 5, 6


# ---------------------------------------------------------------------------------------- groups
@kernel
def new_groups(n, n_slots, slot_kind, gslot):
    """The group table ``G`` (rows :data:`OFF` .. :data:`EST`), the pool and its used length ``pst[0]``.
    Static slots and one-request slots get their final room now; ``amin``'s groups by estimate start
    empty."""
    G = np.zeros((7, n_slots), np.int64)
    G[MIN, :] = INF
    pst = np.zeros(1, np.int64)
    if slot_kind == SLOT_BY_L:
        return G, np.empty(max(64, n_slots), np.int64), pst
    if slot_kind == SLOT_STATIC:
        for i in range(n):
            G[CAP, gslot[i]] += 1
    else:
        G[CAP, :] = 1
    top = 0
    for x in range(n_slots):
        G[OFF, x] = top
        top += G[CAP, x]
    pst[0] = top
    return G, np.empty(max(1, top), np.int64), pst


@kernel
def group_append(G, pool, pst, slot, i, si):
    """Append request ``i`` (prompt ``si``) to the list of the group in ``slot``; return the pool (a new
    array when it had to grow)."""
    x = G[SIZE, slot]
    if x == G[CAP, slot]:
        pool = _pool_room(G, pool, pst, slot, max(4, 2 * x))
    pool[G[OFF, slot] + x] = i
    G[SIZE, slot] = x + 1
    G[SUM, slot] += si
    if si < G[MIN, slot]:
        G[MIN, slot] = si
        G[NMIN, slot] = 1
    elif si == G[MIN, slot]:
        G[NMIN, slot] += 1
    return pool


@kernel
def _pool_room(G, pool, pst, slot, cap):
    """Move the list of ``slot`` to the end of the pool with room for ``cap``; return the pool.  A full
    pool is compacted first into an array at least twice the room in use, every other list keeping room
    for twice its members (so moves and compactions cost ``O(1)`` amortised per append)."""
    n_slots = G.shape[1]
    if pst[0] + cap <= len(pool):
        top = pst[0]
        off = G[OFF, slot]
        for y in range(G[SIZE, slot]):
            pool[top + y] = pool[off + y]
        G[OFF, slot] = top
        G[CAP, slot] = cap
        pst[0] = top + cap
        return pool
    used = 0
    for x in range(n_slots):
        G[CAP, x] = cap if x == slot else (2 * G[SIZE, x] + 2 if G[SIZE, x] else 0)
        used += G[CAP, x]
    new = np.empty(max(len(pool), 2 * used), np.int64)
    top = 0
    for x in range(n_slots):
        off = G[OFF, x]
        for y in range(G[SIZE, x]):
            new[top + y] = pool[off + y]
        G[OFF, x] = top
        top += G[CAP, x]
    pst[0] = top
    return new


@kernel
def group_take(G, pool, s, slot, x):
    """Remove and return the member at position ``x`` of the list of ``slot`` (the last one moves into its
    place), keeping the group's sum and smallest prompt (rescanned when its last holder leaves)."""
    off = G[OFF, slot]
    r = G[SIZE, slot] - 1
    i = pool[off + x]
    pool[off + x] = pool[off + r]
    G[SIZE, slot] = r
    G[SUM, slot] -= s[i]
    if s[i] == G[MIN, slot]:
        G[NMIN, slot] -= 1
        if G[NMIN, slot] == 0:
            least = INF
            c = 0
            for y in range(r):
                v = s[pool[off + y]]
                if v < least:
                    least = v
                    c = 1
                elif v == least:
                    c += 1
            G[MIN, slot] = least
            G[NMIN, slot] = c
    return i


@kernel
def first_fit(fe, fc, fb, fs, M, frm, upto, cand_s, cand_l, ncand):
    """Earliest ``tau`` in ``[frm, upto)`` at which a candidate ``(s, L)`` fits if the running set keeps
    running (:meth:`lpsched.policies.robust.EstimatePolicy._first_fit`; ``upto``: the next event, after
    which the forecast changes anyway); :data:`NEVER` if none does."""
    k = fs[2]
    base = fs[3]
    best = NEVER
    for c in range(ncand):
        hi = NEVER if k == 0 else (M - cand_s[c] - 1 - base) // k
        hi = min(hi, upto, best)
        if frm < hi:
            best = min(best, fm_earliest_start(fe, fc, fb, fs, M, cand_s[c], cand_l[c], frm, hi))
    return best


# ---------------------------------------------------------------------------------------- the loop
@kernel
def estimate(M, s, o, a, L, arrivals, arr_rank, slot_kind, gslot, n_slots, skip, eviction, learn, tie,
             batch, o_max, limit, rs):
    """Run the policy; return ``(start, evictions, n_evictions, decisions, status)`` (``evictions[:n]``:
    rows ``(request, start, evicted_at)``).""

    Parameters
    ----------
    M, s, o, a : memory, prompts, true lengths (for completions and adversarial ties), arrivals.
    L : initial estimates (clipped to ``[1, M - s]``), updated in place when ``learn``.
    arrivals, arr_rank : ids by arrival (then index), and each request's position there.
    slot_kind, gslot, n_slots : where groups live (``SLOT_*``), the static slot of each request
        (``SLOT_STATIC``) and the number of slots.
    skip : the ``skip`` scan (else ``stop``).
    eviction, learn, tie : ``EVICT_*``, keep ``L = max(L, g + 1)`` on eviction, tie rule.
    batch : the ``batch`` reading (admit only when nothing runs).
    o_max : the largest ``o`` (packs the adversarial key).
    limit, rs : a decision after ``limit`` stops the run; the state of the engine's PCG64 generator
        (random ties, :mod:`._random`), advanced in place.
    """
    n = len(s)
    cap = min(n, M) + 1                           # running requests (each holds >= 1 token) and starts
    start = np.full(n, -1, np.int64)
    fe, fc, fb, fs = fm_new(min(n, M) + 2)
    t_fm = -1                                     # time of the forecast's last postpone
    G, pool, pst = new_groups(n, n_slots, slot_kind, gslot)
    # order of the groups: heap of keys (stop scan) or segment tree over static slots (skip scan)
    qk = np.empty(1 if skip else min(n, n_slots), np.int64)
    qv = np.empty(1 if skip else min(n, n_slots), np.int64)
    qs = np.zeros(1, np.int64)
    P = 1
    while P < n_slots:
        P *= 2
    tr = np.full(2 * P if skip else 2, INF, np.int64)
    # running set: a table (id, start, L, s, o) scanned in memory order by amin's eviction, with each
    # request's row (-1: not running); a stack in start order (sf_point's eviction); a heap of completions
    run_pos = np.full(n, -1, np.int64)
    rt_id = np.empty(cap, np.int64)
    rt_p = np.empty(cap, np.int64)
    rt_l = np.empty(cap, np.int64)
    rt_s = np.empty(cap, np.int64)
    rt_o = np.empty(cap, np.int64)
    k = 0
    base = 0
    recent = eviction == EVICT_RECENT
    stack = np.empty(n if recent else 1, np.int64)
    stack_p = np.empty(n if recent else 1, np.int64)
    top = 0
    ck = np.empty(min(n, 2 * cap + 64), np.int64)
    cv = np.empty(min(n, 2 * cap + 64), np.int64)
    cs = np.zeros(1, np.int64)
    last_end = -1                                 # batch reading: when the running set empties
    # scratch
    tmp = np.empty(cap, np.int64)
    tmp2 = np.empty(cap, np.int64)
    starts = np.empty(cap, np.int64)
    evicted = np.empty(cap, np.int64)
    evicted_p = np.empty(cap, np.int64)
    cand_s = np.empty(n_slots + 1, np.int64)
    cand_l = np.empty(n_slots + 1, np.int64)
    rec = np.empty((16, 3), np.int64)             # evicted runs
    n_ev = 0
    done = 0
    nxt_arr = 0
    decisions = 0
    t = a[arrivals[0]]
    while True:
        # ---- completions up to t (their forecast end is max(p + L, t_fm + 1))
        while cs[0] and ck[0] <= t:
            c, i = heap_pop(ck, cv, cs)
            if run_pos[i] < 0 or rt_p[run_pos[i]] + o[i] != c:
                continue                          # an evicted run
            p = rt_p[run_pos[i]]
            fm_remove(fe, fc, fb, fs, s[i], p, max(p + L[i], t_fm + 1))
            base -= s[i] - p
            k = _table_remove(i, k, run_pos, rt_id, rt_p, rt_l, rt_s, rt_o)
            done += 1
        if done == n:
            return start, rec, n_ev, decisions, OK
        if t > limit:
            return start, rec, n_ev, decisions, LIMIT
        # ---- arrivals up to t join the queue
        while nxt_arr < n and a[arrivals[nxt_arr]] <= t:
            pool = _enqueue(arrivals[nxt_arr], s, o, L, arr_rank, slot_kind, gslot, skip, tie, o_max, n, G, pool,
                            pst, qk, qv, qs, tr, P)
            nxt_arr += 1
        need = base + k * (t + 1)
        if k == 1 and need > M:
            return start, rec, n_ev, decisions, LONE_OVERFLOW
        decisions += 1
        fm_postpone(fe, fc, fb, fs, t)
        t_fm = t
        # ---- overflow: evict
        n_out = 0
        if need > M and eviction != EVICT_NONE:
            if recent:
                while need > M:
                    top -= 1
                    i = stack[top]
                    if run_pos[i] < 0 or rt_p[run_pos[i]] != stack_p[top]:
                        continue                  # completed or an earlier run
                    p = stack_p[top]
                    need -= s[i] + t - p + 1
                    evicted[n_out] = i
                    evicted_p[n_out] = p
                    n_out += 1
                    rt_p[run_pos[i]] = -1         # out of the running set below
            else:
                need, n_out = _evict_smallest(t, M, need, rt_id, rt_p, rt_l, rt_s, rt_o, k, tie, tmp, tmp2,
                                              evicted, evicted_p, rs)
            if n_ev + n_out > len(rec):
                rec = grow_rows(rec, n_ev + n_out)
            for x in range(n_out):
                i = evicted[x]
                p = evicted_p[x]
                fm_remove(fe, fc, fb, fs, s[i], p, max(p + L[i], t + 1))
                base -= s[i] - p
                k = _table_remove(i, k, run_pos, rt_id, rt_p, rt_l, rt_s, rt_o)
                rec[n_ev, 0] = i
                rec[n_ev, 1] = p
                rec[n_ev, 2] = t
                n_ev += 1
                if learn:
                    L[i] = max(L[i], t - p + 1)
        # ---- admission
        n_st = 0
        if not (batch and k > 0):
            n_st = _admit(t, M, s, fe, fc, fb, fs, G, pool, qk, qv, qs, tr, P, skip, starts, rs)
        if n_st:
            if recent:
                if n_st > 1:
                    sort_prefix(starts, n_st)     # the stack's order among equal starts: by index
                if top + n_st > len(stack):       # drop the stack's entries of finished runs
                    m = 0
                    for x in range(top):
                        j = stack[x]
                        if run_pos[j] >= 0 and rt_p[run_pos[j]] == stack_p[x]:
                            stack[m] = stack[x]
                            stack_p[m] = stack_p[x]
                            m += 1
                    top = m
            for x in range(n_st):
                i = starts[x]
                start[i] = t
                base += s[i] - t
                run_pos[i] = k
                rt_id[k] = i
                rt_p[k] = t
                rt_l[k] = L[i]
                rt_s[k] = s[i]
                rt_o[k] = o[i]
                k += 1
                if recent:
                    stack[top] = i
                    stack_p[top] = t
                    top += 1
                if cs[0] == len(ck):
                    _compact_completions(ck, cv, cs, run_pos, rt_p, o)
                heap_push(ck, cv, cs, t + o[i], i)
                if batch:
                    last_end = max(last_end, t + o[i])
        for x in range(n_out):                    # the evicted wait again, behind this step's arrivals
            pool = _enqueue(evicted[x], s, o, L, arr_rank, slot_kind, gslot, skip, tie, o_max, n, G, pool, pst,
                            qk, qv, qs, tr, P)
        # ---- the next time anything can change
        if batch and k > 0:
            t = max(last_end, t + 1)              # nobody starts while anything runs
            continue
        nxt = NEVER
        if cs[0]:
            nxt = ck[0]                           # may be stale (an evicted run): deciding early is harmless
        if k:
            nxt = min(nxt, (M - base) // k)       # the running set overflows after this step
        ncand = _candidates(skip, G, qv, qs, tr, P, cand_s, cand_l)
        nxt = min(nxt, first_fit(fe, fc, fb, fs, M, t + 1, nxt, cand_s, cand_l, ncand))
        x = nxt_arr
        while x < n and a[arrivals[x]] < nxt:
            i = arrivals[x]
            if skip or qs[0] == 0:
                nxt = a[i]
                break
            head = qv[0]
            key = _key(i, L, o, arr_rank, slot_kind, gslot, tie, o_max, n)
            if key < qk[0] or (key == qk[0] and s[i] < G[MIN, head]):
                nxt = a[i]                         # a new head, or a smaller prompt in the head group
                break
            x += 1
        if nxt >= NEVER:
            return start, rec, n_ev, decisions, STUCK
        t = max(nxt, t + 1)


@kernel
def _table_remove(i, k, run_pos, rt_id, rt_p, rt_l, rt_s, rt_o):
    """Remove request ``i`` from the running table of ``k`` rows (the last row moves into its place);
    return the new number of rows."""
    x = run_pos[i]
    last = k - 1
    if x != last:
        j = rt_id[last]
        rt_id[x] = j
        rt_p[x] = rt_p[last]
        rt_l[x] = rt_l[last]
        rt_s[x] = rt_s[last]
        rt_o[x] = rt_o[last]
        run_pos[j] = x
    run_pos[i] = -1
    return last


@kernel
def _key(i, L, o, arr_rank, slot_kind, gslot, tie, o_max, n):
    """The heap key of request ``i``'s group (stop scan), in the order of the Python policy's keys."""
    if slot_kind == SLOT_STATIC:
        return gslot[i]
    if slot_kind == SLOT_BY_L:
        return L[i]
    if tie == ADVERSARIAL:
        return (L[i] * (o_max + 1) + (o_max - o[i])) * n + arr_rank[i]
    return L[i] * n + arr_rank[i]


@kernel
def _enqueue(i, s, o, L, arr_rank, slot_kind, gslot, skip, tie, o_max, n, G, pool, pst, qk, qv, qs, tr, P):
    """Request ``i`` joins the end of its group's list (a new group joins the heap or the tree); return
    the pool."""
    if slot_kind == SLOT_STATIC:
        slot = gslot[i]
    elif slot_kind == SLOT_BY_L:
        slot = L[i]
    else:
        slot = i
    new = G[SIZE, slot] == 0
    pool = group_append(G, pool, pst, slot, i, s[i])
    G[EST, slot] = L[i]
    if skip:
        tree_set(tr, P, slot, G[MIN, slot])
    elif new:
        heap_push(qk, qv, qs, _key(i, L, o, arr_rank, slot_kind, gslot, tie, o_max, n), slot)
    return pool


@kernel
def _try_group(t, M, s, fe, fc, fb, fs, G, pool, slot, starts, n_st, rs):
    """Admit from the group in ``slot``, whose smallest prompt fits; return the new number of starts.

    As :meth:`EstimatePolicy._try_group`: the whole group if it fits (one check: its members all end at
    ``t + L``); else the random tie of :mod:`lpsched.policies.robust` ("Ties"), drawing while the smallest
    prompt left fits; a member drawn that fits starts, one that does not moves to the end of the list
    and ends the tie.  (Only the ``stop`` scan meets one: the ``skip`` scan is ``amax``'s, whose groups
    share their prompt.)"""
    est = G[EST, slot]
    off = G[OFF, slot]
    m = G[SIZE, slot]
    if m == 1 or fm_blocked_until_many(fe, fc, fb, fs, M, m, G[SUM, slot], est, t) == FITS:
        for x in range(m):
            i = pool[off + x]
            fm_add(fe, fc, fb, fs, s[i], t, t + est)
            starts[n_st] = i
            n_st += 1
        G[SIZE, slot] = 0
        G[SUM, slot] = 0
        G[MIN, slot] = INF
        G[NMIN, slot] = 0
        return n_st
    while G[SIZE, slot] > 0:
        least = G[MIN, slot]
        if fm_blocked_until(fe, fc, fb, fs, M, least, est, t) != FITS:
            break                                 # nobody left fits: no draw
        r = G[SIZE, slot]
        x = bounded(rs, r)
        i = pool[off + x]
        if s[i] != least and fm_blocked_until(fe, fc, fb, fs, M, s[i], est, t) != FITS:
            pool[off + x] = pool[off + r - 1]     # set aside: to the end of the list
            pool[off + r - 1] = i
            break
        group_take(G, pool, s, slot, x)
        fm_add(fe, fc, fb, fs, s[i], t, t + est)
        starts[n_st] = i
        n_st += 1
    return n_st


@kernel
def _admit(t, M, s, fe, fc, fb, fs, G, pool, qk, qv, qs, tr, P, skip, starts, rs):
    """:meth:`EstimatePolicy._admit`: the ``stop`` scan takes the head group (the next one only if the
    whole group started); the ``skip`` scan visits every group in slot order that no failed group
    dominates (a smaller or equal prompt failed), jumping over the others in the tree."""
    n_st = np.int64(0)
    thr = np.int64(INF)                           # smallest prompt of a group that failed (skip scan)
    pos = np.int64(0)
    while True:
        if skip:
            slot = tree_first(tr, P, pos, thr)
            if slot < 0:
                return n_st
            pos = slot + 1
        else:
            if qs[0] == 0:
                return n_st
            slot = qv[0]
        if fm_blocked_until(fe, fc, fb, fs, M, G[MIN, slot], G[EST, slot], t) == FITS:
            n_st = _try_group(t, M, s, fe, fc, fb, fs, G, pool, slot, starts, n_st, rs)
            if G[SIZE, slot] == 0:                # the whole group started
                if skip:
                    tree_set(tr, P, slot, INF)
                else:
                    heap_pop(qk, qv, qs)
                continue
        if not skip:
            return n_st
        thr = min(thr, G[MIN, slot])


@kernel
def _candidates(skip, G, qv, qs, tr, P, cand_s, cand_l):
    """``(s, L)`` of the waiting groups whose admission could come first
    (:meth:`EstimatePolicy._candidates`): the head group, or the staircase of smallest prompts."""
    if not skip:
        if qs[0] == 0:
            return 0
        cand_s[0] = G[MIN, qv[0]]
        cand_l[0] = G[EST, qv[0]]
        return 1
    m = 0
    thr = np.int64(INF)
    pos = np.int64(0)
    while True:
        slot = tree_first(tr, P, pos, thr)
        if slot < 0:
            return m
        cand_s[m] = G[MIN, slot]
        cand_l[m] = G[EST, slot]
        m += 1
        thr = G[MIN, slot]
        pos = slot + 1


@kernel
def _evict_smallest(t, M, need, rt_id, rt_p, rt_l, rt_s, rt_o, k, tie, tmp, tmp2, evicted, evicted_p, rs):
    """A_min's eviction (:meth:`EstimatePolicy._evict_smallest`): by estimate ``max(L, g + 1)`` ascending,
    ties by index (``index``), shortest true ``o`` then index (``adversarial``) or the random tie of
    :mod:`lpsched.policies.robust` ("Ties") among the group of equal estimates listed by index
    (``random``; drawn only when the draws decide who goes).  Scans the running table (rows
    ``0..k-1``) in memory order; an evicted row gets start -1.  Returns ``(need, number evicted)`` with
    the ids and starts in ``evicted`` and ``evicted_p``."""
    g = t + 1
    n_out = 0
    while need > M:
        best = INF                                # the smallest key among the rows still running
        best_o = INF
        best_j = -1
        best_x = -1
        for x in range(k):
            p = rt_p[x]
            if p < 0:
                continue
            e = max(rt_l[x], g - p)
            j = rt_id[x]
            if e < best:
                best, best_o, best_j, best_x = e, rt_o[x], j, x
            elif e == best:
                if tie == ADVERSARIAL:
                    if rt_o[x] < best_o or (rt_o[x] == best_o and j < best_j):
                        best_o, best_j, best_x = rt_o[x], j, x
                elif j < best_j:
                    best_j, best_x = j, x
        if best_x < 0:
            return need, n_out
        m = 1
        tmp[0] = best_x
        if tie == RANDOM:                         # the whole group of equal estimates, ids ascending
            m = 0
            for x in range(k):
                p = rt_p[x]
                if p >= 0 and max(rt_l[x], g - p) == best:
                    tmp[m] = rt_id[x] * (k + 1) + x
                    m += 1
            sort_prefix(tmp, m)
            for z in range(m):
                tmp[z] = tmp[z] % (k + 1)         # back to rows, in id order
        total = 0
        least = INF
        for z in range(m):
            x = tmp[z]
            tmp2[z] = rt_s[x] + g - rt_p[x]
            total += tmp2[z]
            least = min(least, tmp2[z])
        draw = not (need - total > M or m == 1 or need - total + least > M)
        for r in range(m, 0, -1):                 # r members left
            if draw:                              # a random tie: take a drawn position, the last moves there
                z = bounded(rs, r)
                x = tmp[z]
                need -= tmp2[z]
                tmp[z] = tmp[r - 1]
                tmp2[z] = tmp2[r - 1]
            else:                                 # all of the group, or deterministic: by index
                x = tmp[m - r]
                need -= tmp2[m - r]
            evicted[n_out] = rt_id[x]
            evicted_p[n_out] = rt_p[x]
            n_out += 1
            rt_p[x] = -1
            if need <= M:
                return need, n_out
    return need, n_out


@kernel
def _compact_completions(ck, cv, cs, run_pos, rt_p, o):
    """Drop the stale entries (evicted runs) of the completion heap."""
    m = 0
    for x in range(cs[0]):
        i = cv[x]
        if run_pos[i] >= 0 and rt_p[run_pos[i]] + o[i] == ck[x]:
            ck[m] = ck[x]
            cv[m] = cv[x]
            m += 1
    cs[0] = m
    heapify(ck, cv, m)

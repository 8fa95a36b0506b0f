"""Compiled event loop of the future-check family: ``fcfs``, ``mcsf`` / ``sf`` / ``hsf``, ``priority``.

Layer: engine (a compiled twin of :class:`lpsched.policies.greedy.FutureCheckPolicy` run by
:func:`lpsched.engine.run`; the Python policy in the Python engine is the reference).

The policy: keep every running request; scan the waiting ones in a fixed priority order and admit
each while the MC-SF future-memory check (with the lengths ``est``) holds; never evict.  The ``stop``
scan stops at the first that fails; the ``skip`` scan goes on and admits every one that fits
(:func:`lpsched.policies.greedy.admit`).  The order is given as ``rank`` (the position of each request
in the policy's sort by its key).

Queue.  ``stop``: a heap of ranks (only its head matters).  ``skip``: a minimum tree of the waiting
requests' prompts over the ranks, so the scan jumps straight to the next request whose prompt leaves a
token of room at ``t + 1`` and, when the order is by length, is smaller than every prompt that failed
before it; and, for an order that is not by length, a second tree over the length ranks ``lrank``, whose
*staircase* (the waiting requests no other beats in both ``s`` and ``est``) says when the first waiting
request fits (:meth:`lpsched.policies.greedy.RankedQueue.staircase`).

When the kernel decides (every other time the policy would admit nobody, so skipping it changes
nothing):

* at the earliest time the head of the queue (``stop``) or a request of the staircase (``skip``) fits
  (:func:`fm_earliest_start` on the running forecast).  With the true lengths (``exact``) the forecast
  already accounts for every completion, so completions are not events; with over-estimates a completion
  may come before its forecast end and is an event while someone waits;
* ``stop``: at an arrival that would come before the head in the order (one behind a blocked head cannot
  start before it; it joins the queue at the next decision, as in the Python engine); ``skip``: at an
  arrival that fits when it arrives (exact; with over-estimates at every arrival), else by the time it
  first fits;
* at an arrival while nobody waits.

The loop ends when the last request has started (nothing can change after that).
"""

from __future__ import annotations

import numpy as np

from ._common import (BROKEN, FITS, LIMIT, NEVER, OK, fm_add, fm_earliest_start, fm_blocked_until, fm_new,
                      fm_pop_ended, fm_remove, heap_pop, heap_push, tree_first, tree_set)
from ._jit import kernel


@kernel
def future_check(M, s, est, o, a, rank, arrivals, exact, skip, by_length, by_rank, lrank, by_lrank, limit):
    """Run the policy; return ``(start, decisions, status)``.

    Parameters
    ----------
    M : memory.
    s, est, o, a : prompt sizes, lengths the policy plans with (``o`` or over-estimates), true lengths,
        arrivals (``int64`` arrays).
    rank : each request's position in the priority order.
    arrivals : request ids by arrival, then index.
    exact : ``est`` is ``o``.
    skip : the ``skip`` scan (else ``stop``).
    by_length : the priority order is by ascending ``est`` (a failed request rules out the later ones
        with larger prompts; the staircase comes from the same tree).
    by_rank, lrank, by_lrank : ``skip`` only (else empty): the ids in priority order; each request's
        position in the length order and the ids in that order (``rank`` and ``by_rank`` when
        ``by_length``).
    limit : a decision after this time stops the run with status ``LIMIT``.
    """
    n = len(s)
    start = np.full(n, -1, np.int64)
    fe, fc, fb, fs = fm_new(min(n, M) + 2)
    qk = np.empty(n if not skip else 1, np.int64)    # stop: heap of ranks (payload: the id)
    qv = np.empty(n if not skip else 1, np.int64)
    qs = np.zeros(1, np.int64)
    P = 1
    while skip and P < n:
        P *= 2
    big = NEVER
    tr = np.full(2 * P if skip else 2, big, np.int64)  # skip: prompts of the waiting over the ranks
    sep = skip and not by_length
    tl = np.full(2 * P, big, np.int64) if sep else tr  # ... and over the length ranks
    waiting = 0
    ck = np.empty(n if not exact else 1, np.int64)   # over-estimates: true completions (time, id)
    cv = np.empty(n if not exact else 1, np.int64)
    cs = np.zeros(1, np.int64)
    nxt_arr = 0
    started = 0
    decisions = 0
    t = a[arrivals[0]]
    while True:
        if t > limit:
            return start, decisions, LIMIT
        while nxt_arr < n and a[arrivals[nxt_arr]] <= t:
            i = arrivals[nxt_arr]
            if skip:
                tree_set(tr, P, rank[i], s[i])
                if sep:
                    tree_set(tl, P, lrank[i], s[i])
            else:
                heap_push(qk, qv, qs, rank[i], i)
            waiting += 1
            nxt_arr += 1
        if exact:
            fm_pop_ended(fe, fc, fb, fs, t)
        else:
            while cs[0] and ck[0] <= t:
                _, i = heap_pop(ck, cv, cs)
                if not fm_remove(fe, fc, fb, fs, s[i], start[i], start[i] + est[i]):
                    return start, decisions, BROKEN
        decisions += 1
        if skip:
            room = M - (fs[3] + fs[2] * (t + 1))      # memory left at t + 1: a request needs s + 1 of it
            bound = big
            pos = 0
            while True:
                slot = tree_first(tr, P, pos, min(bound, room))
                if slot < 0:
                    break
                pos = slot + 1
                i = by_rank[slot]
                if fm_blocked_until(fe, fc, fb, fs, M, s[i], est[i], t) != FITS:
                    if by_length:
                        bound = s[i]
                    continue
                tree_set(tr, P, slot, big)
                if sep:
                    tree_set(tl, P, lrank[i], big)
                fm_add(fe, fc, fb, fs, s[i], t, t + est[i])
                start[i] = t
                started += 1
                waiting -= 1
                room -= s[i] + 1
                if not exact:
                    heap_push(ck, cv, cs, t + o[i], i)
        else:
            while qs[0]:
                i = qv[0]
                if fm_blocked_until(fe, fc, fb, fs, M, s[i], est[i], t) != FITS:
                    break
                heap_pop(qk, qv, qs)
                fm_add(fe, fc, fb, fs, s[i], t, t + est[i])
                start[i] = t
                started += 1
                waiting -= 1
                if not exact:
                    heap_push(ck, cv, cs, t + o[i], i)
        if started == n:
            return start, decisions, OK
        if waiting == 0:
            t = a[arrivals[nxt_arr]]          # nobody waits: the next arrival (one exists: started < n)
            continue
        hi = NEVER
        if not exact and cs[0]:
            hi = ck[0]                        # the next completion is an event of its own
        nxt = hi
        if skip:                              # the first time a request of the staircase fits
            pos = 0
            bound = big
            while True:
                slot = tree_first(tl, P, pos, bound)
                if slot < 0:
                    break
                pos = slot + 1
                i = by_lrank[slot]
                bound = s[i]
                nxt = min(nxt, fm_earliest_start(fe, fc, fb, fs, M, s[i], est[i], t + 1, nxt))
        else:
            head = qv[0]
            nxt = min(hi, fm_earliest_start(fe, fc, fb, fs, M, s[head], est[head], t + 1, hi))
        k = nxt_arr
        while k < n and a[arrivals[k]] < nxt:
            j = arrivals[k]
            if not skip:
                if rank[j] < qk[0]:           # a new head: decide at its arrival
                    nxt = a[j]
                    break
            elif not exact:                   # skip, over-estimates: every arrival is a decision
                nxt = a[j]
                break
            else:                             # skip: an arrival that fits when it comes; else by its fit
                at = fm_earliest_start(fe, fc, fb, fs, M, s[j], est[j], a[j], nxt)
                if at == a[j]:
                    nxt = a[j]
                    break
                nxt = min(nxt, at)
            k += 1
        t = nxt

"""Compiled event loop of the future-check family: ``fcfs``, ``mcsf`` / ``sf`` / ``hsf``, ``priority``.

Layer: engine (a compiled twin of :class:`lpsched.policies.greedy.FutureCheckPolicy` run by
:func:`lpsched.engine.run`; the Python policy in the Python engine is the reference).

The policy: keep every running request; scan the waiting ones in a fixed priority order and admit
each while the MC-SF future-memory check (with the lengths ``est``) holds; stop at the first that
fails; never evict.  The order is given as ``rank`` (the position of each request in the policy's
sort by its key), so the queue is a heap of ranks.

When the kernel decides (every other time the policy would admit nobody, so skipping it changes
nothing):

* at the earliest time the head of the queue fits (:func:`fm_earliest_start` on the running forecast).
  With the true lengths (``exact``) the forecast already accounts for every completion, so completions
  are not events; with over-estimates a completion may come before its forecast end and is an event
  while someone waits;
* at an arrival that would come before the head in the order (one behind a blocked head cannot start
  before it; it joins the queue at the next decision, as in the Python engine);
* at an arrival while nobody waits.

The loop ends when the last request has started (nothing can change after that).
"""

from __future__ import annotations

import numpy as np

from ._common import (BROKEN, FITS, LIMIT, NEVER, OK, fm_add, fm_earliest_start, fm_blocked_until,
                      fm_new, fm_pop_ended, fm_remove, heap_pop, heap_push)
from ._jit import kernel


@kernel
def future_check(M, s, est, o, a, rank, arrivals, exact, limit):
    """Run the policy; return ``(start, decisions, status)``.

    Parameters
    ----------
    M : memory.
    s, est, o, a : prompt sizes, lengths the policy plans with (``o`` or over-estimates), true lengths,
        arrivals (``int64`` arrays).
    rank : each request's position in the priority order.
    arrivals : request ids by arrival, then index.
    exact : ``est`` is ``o``.
    limit : a decision after this time stops the run with status ``LIMIT``.
    """
    n = len(s)
    start = np.full(n, -1, np.int64)
    fe, fc, fb, fs = fm_new(min(n, M) + 2)
    qk = np.empty(n, np.int64)            # queue: heap of ranks (payload unused)
    qv = np.empty(n, np.int64)
    qs = np.zeros(1, np.int64)
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
            heap_push(qk, qv, qs, rank[i], i)
            nxt_arr += 1
        if exact:
            fm_pop_ended(fe, fc, fb, fs, t)
        else:
            while cs[0] and ck[0] <= t:
                _, i = heap_pop(ck, cv, cs)
                if not fm_remove(fe, fc, fb, fs, s[i], start[i], start[i] + est[i]):
                    return start, decisions, BROKEN
        decisions += 1
        while qs[0]:
            i = qv[0]
            if fm_blocked_until(fe, fc, fb, fs, M, s[i], est[i], t) != FITS:
                break
            heap_pop(qk, qv, qs)
            fm_add(fe, fc, fb, fs, s[i], t, t + est[i])
            start[i] = t
            started += 1
            if not exact:
                heap_push(ck, cv, cs, t + o[i], i)
        if started == n:
            return start, decisions, OK
        if qs[0] == 0:
            t = a[arrivals[nxt_arr]]          # nobody waits: the next arrival (one exists: started < n)
            continue
        head = qv[0]
        hi = NEVER
        if not exact and cs[0]:
            hi = ck[0]                        # the next completion is an event of its own
        nxt = min(hi, fm_earliest_start(fe, fc, fb, fs, M, s[head], est[head], t + 1, hi))
        k = nxt_arr
        while k < n and a[arrivals[k]] < nxt:
            if rank[arrivals[k]] < qk[0]:     # a new head: decide at its arrival
                nxt = a[arrivals[k]]
                break
            k += 1
        t = nxt

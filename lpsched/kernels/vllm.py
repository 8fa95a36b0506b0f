"""Compiled event loop of the vLLM-like baseline ``vllm``.

Layer: engine (a compiled twin of :class:`lpsched.policies.vllm.VllmPolicy`; the Python policy in the
Python engine is the reference).

The policy at time ``t``: when the running set would overflow at ``t + 1``, evict the most recently
started request (ties: the higher index) until it fits; then admit waiting requests first come first
served while the next step fits (``need + s + 1 <= M``), stopping at the first that does not; the
evicted requests wait again (behind this step's arrivals, in arrival order) and may restart from
``t + 1``.

Between events the memory of the running set only grows, so the kernel decides only at a completion,
at the time the running set overflows, at ``t + 1`` after an eviction, at an arrival while nobody
waits, and at an arrival that comes before the head of the queue (an evicted request back in it);
an arrival behind a waiting head cannot start before it and joins the queue at the next decision.

The running set is a stack in start order (the top is the most recent start, ties by the higher
index); completed runs leave it lazily.  Completions are a heap of ``(time, request)`` whose stale
entries (evicted runs) are skipped.
"""

from __future__ import annotations

import numpy as np

from ._common import LIMIT, LONE_OVERFLOW, NEVER, OK, grow_rows, heap_pop, heap_push, heapify, sort_prefix
from ._jit import kernel


@kernel
def _compact_completions(ck, cv, cs, run_start, o):
    """Drop the stale entries (evicted runs) of the completion heap."""
    m = 0
    for x in range(cs[0]):
        i = cv[x]
        if run_start[i] >= 0 and run_start[i] + o[i] == ck[x]:
            ck[m] = ck[x]
            cv[m] = cv[x]
            m += 1
    cs[0] = m
    heapify(ck, cv, m)


@kernel
def vllm(M, s, o, a, rank, arrivals, limit):
    """Run ``vllm``; return ``(start, evictions, n_evictions, decisions, status)`` (``evictions[:n]``: rows
    ``(request, start, evicted_at)``).

    ``rank``: each request's position in arrival order (``arrivals`` is its inverse).
    """
    n = len(s)
    start = np.full(n, -1, np.int64)
    run_start = np.full(n, -1, np.int64)  # start of the current run, -1 if not running
    qk = np.empty(n, np.int64)            # queue: heap of arrival ranks
    qv = np.empty(n, np.int64)
    qs = np.zeros(1, np.int64)
    ck = np.empty(n, np.int64)            # completions: heap of (time, request), stale entries skipped
    cv = np.empty(n, np.int64)
    cs = np.zeros(1, np.int64)
    stack = np.empty(n, np.int64)         # runs (request, start) in (start, index) order; entries of
    stack_p = np.empty(n, np.int64)       # runs that completed or were evicted are skipped
    top = 0
    new = np.empty(n, np.int64)
    rec = np.empty((16, 3), np.int64)     # evicted runs
    n_ev = 0
    base = 0                              # sum over running of s - start
    k = 0                                 # number running
    done = 0
    nxt_arr = 0
    decisions = 0
    t = a[arrivals[0]]
    while True:
        while cs[0] and ck[0] <= t:
            c, i = heap_pop(ck, cv, cs)
            if run_start[i] >= 0 and run_start[i] + o[i] == c:
                base -= s[i] - run_start[i]
                k -= 1
                run_start[i] = -1
                done += 1
        if done == n:
            return start, rec, n_ev, decisions, OK
        if t > limit:
            return start, rec, n_ev, decisions, LIMIT
        while nxt_arr < n and a[arrivals[nxt_arr]] <= t:
            i = arrivals[nxt_arr]
            heap_push(qk, qv, qs, rank[i], i)
            nxt_arr += 1
        need = base + k * (t + 1)
        if k == 1 and need > M:
            return start, rec, n_ev, decisions, LONE_OVERFLOW
        decisions += 1
        n_out = 0
        while need > M:                   # evict the most recent start
            top -= 1
            i = stack[top]
            p = stack_p[top]
            if run_start[i] != p:         # completed or an earlier run
                continue
            need -= s[i] + t - p + 1
            base -= s[i] - p
            k -= 1
            run_start[i] = -1
            if n_ev == len(rec):
                rec = grow_rows(rec, n_ev + 1)
            rec[n_ev, 0] = i
            rec[n_ev, 1] = p
            rec[n_ev, 2] = t
            n_ev += 1
            new[n_out] = i                # re-queued after the admissions
            n_out += 1
        n_new = 0
        while qs[0] and need + s[qv[0]] + 1 <= M:
            _, i = heap_pop(qk, qv, qs)
            need += s[i] + 1
            run_start[i] = t
            start[i] = t
            base += s[i] - t
            k += 1
            if cs[0] == len(ck):
                _compact_completions(ck, cv, cs, run_start, o)
            heap_push(ck, cv, cs, t + o[i], i)
            new[n_out + n_new] = i
            n_new += 1
        if n_new > 1:                     # same start: the higher index is the more recent
            sort_prefix(new[n_out:], n_new)
        if top + n_new > len(stack):      # drop the entries of finished runs (at most n live ones)
            m = 0
            for x in range(top):
                if run_start[stack[x]] == stack_p[x]:
                    stack[m] = stack[x]
                    stack_p[m] = stack_p[x]
                    m += 1
            top = m
        for x in range(n_new):
            stack[top] = new[n_out + x]
            stack_p[top] = t
            top += 1
        for x in range(n_out):
            heap_push(qk, qv, qs, rank[new[x]], new[x])
        # the next time anything can change
        nxt = t + 1 if n_out else NEVER
        if cs[0]:
            nxt = min(nxt, ck[0])
        if k:
            nxt = min(nxt, (M - base) // k)   # the running set overflows after this step
        x = nxt_arr
        while x < n and a[arrivals[x]] < nxt:
            if qs[0] == 0 or rank[arrivals[x]] < qk[0]:
                nxt = a[arrivals[x]]
                break
            x += 1
        t = max(nxt, t + 1)

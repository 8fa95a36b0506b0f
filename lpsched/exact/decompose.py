"""Exact split of an instance with arrivals into blocks, solved one by one (:func:`solve` ``decompose=``).

Layer: algorithms.

Why it is exact.  Take any partition of the requests into groups ``B_1, ..., B_r``.

* *Lower bound.*  A feasible schedule of the whole instance, restricted to one group, is a feasible
  schedule of that group alone: dropping requests only lowers the memory held at every time, and
  arrivals are kept.  The total completion time is the sum over the groups, so ``OPT >= sum_b
  OPT(B_b)``, and any valid bound of each group adds up to a valid bound of the whole (for the
  makespan: the largest of the groups' bounds).
* *Upper bound.*  If the union of one optimal schedule per group is feasible for the whole instance
  (memory at every time within ``M``; :func:`lpsched.validate` decides), its cost is ``sum_b OPT(B_b)``,
  which meets the lower bound: it is optimal.

The groups start from the *no-wait blocks* (:func:`arrival_blocks`): in arrival order, a request opens
a new block when it arrives no earlier than every earlier request could complete had it started on
arrival (``a_j >= max_{i before j} a_i + o_i``).  The blocks are solved in arrival order.  A block
whose schedule completes a request after the next block's first arrival is merged with it before that
one is solved (and, before any solve, so is one whose heuristic schedule does: :func:`spill_merged`).
Then every block completes by the next one's first arrival, so no two blocks hold memory at one time
and the union always fits (the check stays, as a guard).  Without that rule (``merge_on_spill=False``),
when the union of the blocks' schedules is not feasible, the blocks holding
memory at the first time over ``M`` are merged, with every block between them, and
the merged block is solved again.  Each merge removes a block, so the loop ends, at worst with the
whole instance in one block.  A merged block's bound is at least the sum of its parts' bounds.

All requests at 0 form a single block: this helps only instances with arrivals (Jaillet's online
setting), where it turns one large model into several small ones.
"""

from __future__ import annotations

import time

import numpy as np

from ..model import Instance
from .check import loads_at_run_ends

__all__ = ["arrival_blocks", "spill_merged", "solve_by_blocks"]


def arrival_blocks(instance: Instance) -> list[np.ndarray]:
    """The no-wait blocks of ``instance``: index arrays, in arrival order, that partition the requests.

    A request ``j`` (in arrival order) opens a block when ``a_j >= a_i + o_i`` for every request ``i``
    before it: had every request started on arrival, no two blocks would hold memory at one time.

    >>> from lpsched import Instance
    >>> [b.tolist() for b in arrival_blocks(Instance(memory=6, s=[2, 2, 2], o=[3, 2, 1], a=[0, 1, 3]))]
    [[0, 1], [2]]
    """
    order = np.argsort(instance.a, kind="stable")
    blocks, current, end = [], [], -1
    for j in order.tolist():
        a = int(instance.a[j])
        if current and a >= end:
            blocks.append(np.array(current, np.int64))
            current = []
        current.append(j)
        end = max(end, a + int(instance.o[j]))
    if current:
        blocks.append(np.array(current, np.int64))
    return blocks


def _no_wait_bound(instance: Instance, idx: np.ndarray, objective: str) -> float:
    done = instance.a[idx] + instance.o[idx]
    return float(done.sum() if objective == "tct" else done.max())


def _union(instance: Instance, parts: list, schedules: list) -> np.ndarray:
    """Start times of the whole from each part's schedule."""
    start = np.zeros(instance.n, np.int64)
    for idx, sched in zip(parts, schedules):
        start[idx] = sched.start
    return start


def _collision(instance: Instance, parts: list, start: np.ndarray) -> tuple[int, int] | None:
    """``(lo, hi)``: the first and last part holding memory at the first run end where the union ``start``
    exceeds ``M`` (the load peaks at run ends: :mod:`.check`; at least two parts hold memory there, as
    each part's own schedule fits), or None if it never does.  ``O(n log n)``, whatever the horizon."""
    beg, end = start, start + instance.o
    ends, loads = loads_at_run_ends(instance, np.arange(instance.n), beg, end)
    over = [k for k, v in enumerate(loads) if v > instance.memory]
    if not over:
        return None
    t = int(ends[over[0]])
    holding = (beg < t) & (t <= end)
    hit = [b for b, idx in enumerate(parts) if holding[idx].any()]
    return hit[0], hit[-1]


def _heuristic_union(instance: Instance, parts: list, schedules: list, objective: str) -> np.ndarray:
    """A feasible schedule of the whole from the parts' ``schedules``: a part without one gets the best
    heuristic schedule (:func:`.horizon.heuristic`), and colliding parts are merged and scheduled so."""
    from .horizon import heuristic

    parts, schedules = list(parts), list(schedules)
    while True:
        schedules = [heuristic(instance.subset(idx), objective).schedule if sched is None else sched
                     for idx, sched in zip(parts, schedules)]
        start = _union(instance, parts, schedules)
        hit = _collision(instance, parts, start)
        if hit is None or len(parts) == 1:
            return start
        lo, hi = hit
        parts[lo:hi + 1] = [np.concatenate(parts[lo:hi + 1])]
        schedules[lo:hi + 1] = [None]


def spill_merged(instance: Instance, blocks: list[np.ndarray], objective: str = "tct") -> list[np.ndarray]:
    """``blocks`` with each one merged into the next while its heuristic schedule (:func:`.horizon.heuristic`,
    alone) completes a request after the next one's first arrival: a cheap guess at which blocks an
    optimum couples, so that a block is not solved alone only to be merged."""
    from .horizon import heuristic

    out = [np.asarray(blocks[0], np.int64)]
    for nxt in blocks[1:]:
        done = heuristic(instance.subset(out[-1]), objective).schedule.completion.max()
        if done > instance.a[nxt].min():
            out[-1] = np.concatenate([out[-1], nxt])
        else:
            out.append(np.asarray(nxt, np.int64))
    return out


#: with the union feasible and this much time left, the unproven blocks are resumed (at most so often)
RESUME_SECONDS, RESUME_ROUNDS = 1.0, 3


def solve_by_blocks(instance: Instance, solve_block, objective: str, time_limit: float,
                    blocks: list[np.ndarray] | None = None, merge_on_spill: bool = True, incumbent=None,
                    deadline=None):
    """Solve ``instance`` block by block (see the module docstring); merge blocks until the union fits.

    ``solve_block(sub_instance, time_limit, initial)`` returns an :class:`ExactResult` of one block;
    ``initial`` is the block's part of ``incumbent`` (start times of a feasible schedule of the whole,
    so feasible for the block too), or None.  Each block gets a share of the time left in proportion to
    its number of requests; when the union fits with time left, the unproven blocks are resumed from
    their results (``initial`` is then that :class:`ExactResult`).  ``merge_on_spill``: merge a
    block with the next one as soon as its schedule completes a request after the next block's first
    arrival, before solving the next one alone (and start from :func:`spill_merged`); without it,
    blocks are merged only when the union collides.  Returns ``(status, starts, bound, message,
    info)`` for :func:`lpsched.exact.solve` to finish.  When time runs out (or Ctrl-C) before the union
    fits, a block being resumed keeps its earlier result, and the blocks without a schedule and the
    colliding ones get the heuristic's (:func:`_heuristic_union`).  ``bound`` is the sum (makespan:
    the largest) of the blocks' bounds, valid in every case.

    ``deadline`` (:class:`lpsched.exact.limits.Deadline`, shared with the caller; default ``time_limit``
    from now): no block starts after it, and every block's share ends by it.  Each block solve is
    shifted in time to its own first arrival by :func:`lpsched.exact.solve` (a block arriving at
    ``10^9`` is solved as one arriving at 0).
    """
    from .limits import Deadline

    if deadline is None:
        deadline = Deadline(time_limit)
    t0 = time.perf_counter()
    blocks = [np.asarray(b, np.int64) for b in (blocks or arrival_blocks(instance))]
    parts = spill_merged(instance, blocks, objective) if merge_on_spill else list(blocks)
    results: list = [None] * len(parts)
    # each part's bound from the finer parts it was merged from (the partition bound holds for them too)
    floors = [_no_wait_bound(instance, idx, objective) for idx in parts]
    prior: list = [None] * len(parts)        # a block's unproven result, resumed when time is left
    interrupted, rounds = False, 0

    def merge(lo: int, hi: int) -> None:
        known = [floors[b] if results[b] is None else max(floors[b], results[b].bound) for b in range(lo, hi + 1)]
        floors[lo:hi + 1] = [sum(known) if objective == "tct" else max(known)]
        parts[lo:hi + 1] = [np.concatenate(parts[lo:hi + 1])]
        results[lo:hi + 1] = [None]
        prior[lo:hi + 1] = [None]

    while True:
        todo = [b for b, r in enumerate(results) if r is None]
        if todo:
            b = todo[0]
            left = min(time_limit - (time.perf_counter() - t0), deadline.left())
            if left <= 0:
                break
            share = len(parts[b]) / sum(len(parts[c]) for c in todo)
            initial = prior[b] if prior[b] is not None else None if incumbent is None else incumbent[parts[b]]
            res = results[b] = solve_block(instance.subset(parts[b]), left * share, initial)
            if res.info.get("interrupted") or res.schedule is None:
                interrupted = bool(res.info.get("interrupted"))
                break
            if (merge_on_spill and b + 1 < len(parts)
                    and res.schedule.completion.max() > instance.a[parts[b + 1]].min()):
                merge(b, b + 1)
            continue
        start = _union(instance, parts, [r.schedule for r in results])
        hit = _collision(instance, parts, start)
        left = min(time_limit - (time.perf_counter() - t0), deadline.left())
        unproven = [b for b, r in enumerate(results) if r.status != "optimal"]
        if hit is None and unproven and left > RESUME_SECONDS and rounds < RESUME_ROUNDS:
            rounds += 1                      # the time the proven blocks left over goes to the others
            for b in unproven:
                prior[b], results[b] = results[b], None
            continue
        if hit is None or len(parts) == 1 or left <= 0:
            break
        merge(*hit)
    results = [p if r is None else r for r, p in zip(results, prior)]   # a resumed block not reached in time
    # a block left unsolved (Ctrl-C, time) keeps its floor: at least the no-wait bound, each C_i >= a_i + o_i
    bounds = [f if r is None else max(f, r.bound) for f, r in zip(floors, results)]
    bound = sum(bounds) if objective == "tct" else max(bounds)
    merges = len(blocks) - len(parts)          # of the no-wait blocks, before or while solving
    info = {"blocks": [len(p) for p in parts], "block_status": [r.status if r else "unsolved" for r in results],
            "block_merges": merges}
    summary = f"{len(parts)} blocks ({', '.join(map(str, info['blocks']))}), {merges} merges"
    if interrupted:
        info["interrupted"] = True
    complete = all(r is not None and r.schedule is not None for r in results)
    if complete:
        start = _union(instance, parts, [r.schedule for r in results])
    if interrupted or not complete or _collision(instance, parts, start) is not None:
        failed = [r for r in results if r is not None and r.schedule is None]
        why = ("interrupted by the user" if interrupted else
               f"a block ended {failed[0].status}: {failed[0].message}" if failed else "not solved in time")
        start = _heuristic_union(instance, parts, [None if r is None else r.schedule for r in results], objective)
        return "feasible", start, bound, f"{summary}, {why}: the rest by the heuristic", info
    status = "optimal" if all(r.status == "optimal" for r in results) else "feasible"
    return status, start, bound, summary, info

"""``local_swap``: local search for the selection subproblem (no global guarantee).

Layer: algorithms.

Start: requests by ascending ``s + o`` (then index), the longest prefix that is feasible when started
together.  Moves, each applied only when it strictly improves ``(F, -|X|)``:

* **add** a non-member ``a`` (the one with the smallest ``o`` among those that fit and improve);
* **drop** the member with the largest ``o``;
* **swap** a member ``r`` for a non-member ``a`` with ``o_a < o_r`` (members tried by descending ``o``; for
  each, the smallest-``o`` non-member that fits once ``r`` is out).

Every move strictly decreases ``(F, -|X|)`` over a finite set, so the search stops, at a set no single
add, drop or swap improves (a local optimum for these neighbourhoods).  Feasibility checks are
vectorised over all candidates (:class:`~lpsched.sortedf.selection.Batch`): ``O(n log k)`` per member
tried, ``O(k n log k)`` per sweep.
"""

from __future__ import annotations

import time

import numpy as np

from .problem import Batch, SelectionResult, better, make_result

__all__ = ["local_swap"]


def _initial(s: np.ndarray, o: np.ndarray, memory: int) -> list[int]:
    order = np.lexsort((np.arange(len(s)), s + o))
    batch = Batch(s, o, memory, [])
    chosen: list[int] = []
    for i in order.tolist():
        if not batch.add_ok(np.array([i]))[0]:
            break
        chosen.append(i)
        batch.set(chosen)
    return chosen


def local_swap(s: np.ndarray, o: np.ndarray, memory: int, max_moves: int = 100_000) -> SelectionResult:
    """Local search from the ``s + o`` order with add / drop / swap moves (see the module docstring).

    Parameters
    ----------
    max_moves : int
        Safety cap on improving moves (``info["moves"]`` reports how many were made; the status says
        whether the cap stopped it before a local optimum).

    Examples
    --------
    >>> import numpy as np
    >>> from lpsched.sortedf.local import local_swap
    >>> r = local_swap(np.array([2, 2, 2, 2]), np.array([1, 1, 2, 3]), 6)
    >>> r.indices.tolist(), r.F
    ([0, 1], 0.5)
    """
    t0 = time.perf_counter()
    n = len(s)
    batch = Batch(s, o, memory, _initial(s, o, memory))
    by_o = np.lexsort((np.arange(n), o))            # all requests, ascending o then index
    moves = {"add": 0, "drop": 0, "swap": 0}
    local_opt = False
    while sum(moves.values()) < max_moves:
        k, V = batch.size, batch.sum_o
        inside = np.zeros(n, bool)
        inside[batch.members] = True
        out = by_o[~inside[by_o]]                      # non-members, ascending o
        # add: improving iff (V + o_a) k^2 <= V (k + 1)^2 (ties go to the larger set)
        if len(out):
            imp = out[(V + o[out]) * k * k <= V * (k + 1) ** 2] if k else out
            if len(imp):
                ok = np.flatnonzero(batch.add_ok(imp))
                if len(ok):
                    batch.set(np.append(batch.members, imp[ok[0]]))
                    moves["add"] += 1
                    continue
        # drop the largest-o member
        if k > 1:
            r = int(batch.members[-1])
            if better((V - int(o[r]), k - 1), (V, k)):
                batch.set(batch.members[:-1])
                moves["drop"] += 1
                continue
        # swap: member r (descending o) for the smallest-o non-member that fits without r
        swapped = False
        for pos in range(k - 1, -1, -1):
            r = int(batch.members[pos])
            cand = out[: int(np.searchsorted(o[out], o[r], side="left"))]
            if not len(cand):
                continue
            rest = batch.without(pos)
            ok = np.flatnonzero(rest.add_ok(cand))
            if len(ok):
                batch.set(np.append(rest.members, cand[ok[0]]))
                moves["swap"] += 1
                swapped = True
                break
        if not swapped:
            local_opt = True
            break
    status = "feasible"
    msg = "local optimum for add/drop/swap moves; no global guarantee" if local_opt else \
        f"stopped after max_moves = {max_moves} before a local optimum; no guarantee"
    return make_result(batch.members, s, o, "local_swap", msg, status, t0, local_optimum=local_opt, **moves)

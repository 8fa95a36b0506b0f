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
vectorised over all candidates (:class:`~lpsched.sortedf.problem.Batch`): ``O(n log k)`` per move, the
whole swap sweep included (:meth:`~lpsched.sortedf.problem.Batch.swap`).  A compiled core
(:mod:`lpsched.kernels.selection`) makes the same moves; the online Sorted-F, which selects at almost
every decision, uses it on large runs (:func:`use_compiled`).
"""

from __future__ import annotations

import time

import numpy as np

from .problem import Batch, SelectionResult, better, is_feasible, make_result

__all__ = ["local_swap"]


def _initial(s: np.ndarray, o: np.ndarray, memory: int) -> list[int]:
    """The longest prefix of the ``s + o`` order that is feasible started together.

    A subset of a feasible batch is feasible, so the feasible prefixes form an initial segment; its end
    lies between two bounds (a prefix with ``sum (s + o) <= M`` fits: every load is at most that sum; one
    with ``sum s + |X| min o > M`` does not: that is the load at the first completion) and a binary
    search finds it.
    """
    order = np.lexsort((np.arange(len(s)), s + o))
    so, oo = s[order], o[order]
    good = int(np.searchsorted(np.cumsum(so + oo), memory, side="right"))          # fits
    counts = np.arange(1, len(order) + 1)
    bad = int(np.argmax(np.concatenate([np.cumsum(so) + counts * np.minimum.accumulate(oo) > memory, [True]]))) + 1
    while bad - good > 1:                                                            # good fits, bad does not
        mid = (good + bad) // 2
        good, bad = (mid, bad) if is_feasible(so[:mid], oo[:mid], memory) else (good, mid)
    return order[:good].tolist()


def local_swap(s: np.ndarray, o: np.ndarray, memory: int, max_moves: int = 100_000,
               compiled: bool | None = None) -> SelectionResult:
    """Local search from the ``s + o`` order with add / drop / swap moves (see the module docstring).

    Parameters
    ----------
    max_moves : int
        Safety cap on improving moves (``info["moves"]`` reports how many were made; the status says
        whether the cap stopped it before a local optimum).
    compiled : bool, optional
        Run the compiled core (:mod:`lpsched.kernels.selection`: the same search, move for move).
        Default: when numba is already loaded in this process (:func:`use_compiled` loads it for a run
        that will make many selections).

    Examples
    --------
    >>> import numpy as np
    >>> from lpsched.sortedf.local import local_swap
    >>> r = local_swap(np.array([2, 2, 2, 2]), np.array([1, 1, 2, 3]), 6)
    >>> r.indices.tolist(), r.F
    ([0, 1], 0.5)
    """
    t0 = time.perf_counter()
    from ..kernels import _jit, numba_available, selection   # here: importing lpsched imports no kernel

    if compiled and not numba_available():
        raise ValueError("compiled = True needs numba (pip install numba)")
    if compiled or (compiled is None and _jit.loaded()):
        _jit.load()
        members, add, drop, swap, local_opt = selection.local_swap_core(
            np.ascontiguousarray(s, np.int64), np.ascontiguousarray(o, np.int64), memory, max_moves)
        return _result(members, s, o, max_moves, t0, bool(local_opt), {"add": add, "drop": drop, "swap": swap})
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
        move = batch.swap(out)
        if move is None:
            local_opt = True
            break
        pos, a = move
        batch.set(np.append(np.delete(batch.members, pos), a))
        moves["swap"] += 1
    return _result(batch.members, s, o, max_moves, t0, local_opt, moves)


def _result(members, s, o, max_moves: int, t0: float, local_opt: bool, moves: dict) -> SelectionResult:
    msg = "local optimum for add/drop/swap moves; no global guarantee" if local_opt else \
        f"stopped after max_moves = {max_moves} before a local optimum; no guarantee"
    return make_result(members, s, o, "local_swap", msg, "feasible", t0, local_optimum=local_opt,
                       **{k: int(v) for k, v in moves.items()})


def use_compiled(selections: int) -> bool:
    """Load the compiled core before a run that makes about ``selections`` selections, when that repays
    loading numba (:data:`lpsched.kernels.KERNEL_MIN_REQUESTS` ``["selection"]``), numba is installed and
    ``LPSCHED_ENGINE`` does not ask for pure Python; returns whether the compiled core is on."""
    from ..engine import env_mode
    from ..kernels import KERNEL_MIN_REQUESTS, _jit, numba_available

    if _jit.loaded():
        return True
    if selections < KERNEL_MIN_REQUESTS["selection"] or not numba_available() or env_mode() == "python":
        return False
    _jit.load()
    return True

"""The time-indexed integer program of Jaillet et al. (arXiv 2502.07115), as sparse arrays.

Layer: algorithms.

Variables ``x[i, k] = 1`` iff request ``i`` starts at ``k``, for ``a_i <= k <= L_i`` (``L_i`` the latest
start of :mod:`lpsched.exact.horizon`).  Constraints:

* assignment: ``sum_k x[i, k] = 1``;
* memory, for every integer time ``t``: ``sum_i sum_{k = max(a_i, t - o_i)}^{t - 1} (s_i + t - k) x[i, k] <= M``
  (a request started at ``k`` holds ``s_i + t - k`` tokens at ``k < t <= k + o_i``); a row whose
  largest possible left-hand side is at most ``M`` is dropped;
* symmetry between identical requests ``i < j`` (same ``s``, ``o``, ``a``): ``i`` starts no later than
  ``j``: ``sum_k k x[i, k] <= sum_k k x[j, k]`` (one row per consecutive pair; the cumulative form
  ``sum_{k <= t} x[j, k] <= sum_{k <= t} x[i, k]`` for every ``t`` is stronger but has ``O(T^2)``
  nonzeros).  Valid: exchanging the starts of identical requests maps schedules to schedules of the
  same cost (and keeps them inside the horizon, whose bounds are equal for identical requests).  It
  does not extend to dominance: a request no larger in ``s`` and ``o`` than another need not start or
  complete first (``M = 4``, ``s = (1, 1, 2)``, ``o = (3, 1, 1)``: OPT 7 starts request 2 before
  request 1, 8 otherwise; ``test_no_dominance_rule_between_smaller_and_larger_requests``);
* extended-tail cliques (``tails=True``, the default), for every integer time ``t``: at most one
  request ``k`` of :func:`lpsched.exact.bounds.extended_tails` has ``t`` in its window
  ``[k' + o_k - w_k + 1, k' + o_k + e_k]`` (``k'`` its start): ``sum x[k, k'] <= 1`` over those
  columns.  Valid in every feasible schedule (the windows are pairwise disjoint, proof there); they
  give the LP relaxation the chain of large requests, which the memory rows alone average away.
  Measured on the Jaillet instances at n = 25 (``python benchmarks/exact.py --bounds``): the LP is
  0.66-0.74 of the heuristic schedule's cost without them, 0.80-0.92 with them (0.87-0.94 of the best
  schedules CP-SAT finds in 60 s), for 1.3-9 s of HiGHS instead of 0.8-4.5 s (with HiGHS's presolve;
  without it, as :meth:`TimeIndexed.highs` now runs, 0.3-1.6 s with them); HiGHS then proves every
  n = 8 instance in 1.8-17.9 s (11.2 s median before) and 2 of 5 at n = 12 (none before), CBC every n = 8
  instance (1 of 5 before; ``python benchmarks/exact.py --backends highs cbc --sizes 8 12``);
* objective ``tct``: ``min sum_i sum_k (k + o_i) x[i, k]`` (= sum C_i; with arrivals, minimising
  ``sum (C_i - a_i)`` is the same up to the constant ``sum a_i``); ``makespan``: ``min z`` with
  ``z >= sum_k (k + o_i) x[i, k]`` for every ``i``.

The backends (:mod:`.mip`, :mod:`.cpsat`) translate this one description; :meth:`TimeIndexed.solve_lp`
solves its LP relaxation with HiGHS (:meth:`TimeIndexed.highs` loads it for repeated solves).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..model import Instance
from ..solvers import highspy_module
from .bounds import extended_tails
from .horizon import heuristic, horizon as make_horizon

__all__ = ["TimeIndexed", "build", "identical_groups", "run_lp", "run_lp_with_start"]

def identical_groups(instance: Instance) -> list[list[int]]:
    """Groups (size >= 2) of requests with the same ``(s, o, a)``, each sorted by index."""
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(zip(instance.s.tolist(), instance.o.tolist(), instance.a.tolist())):
        groups.setdefault(key, []).append(i)
    return [g for g in groups.values() if len(g) > 1]


@dataclass(eq=False)
class TimeIndexed:
    """The model as arrays.  Columns ``0 .. nvars - 1`` are the ``x[i, k]`` (``var_req``, ``var_start``);
    ``first[i] .. first[i + 1] - 1`` are the columns of request ``i`` in increasing ``k``."""

    instance: Instance
    objective: str
    latest_start: np.ndarray
    var_req: np.ndarray
    var_start: np.ndarray
    first: np.ndarray
    mem_times: np.ndarray          # the time t of each memory row
    mem_ptr: np.ndarray            # CSR row pointers of the memory rows
    mem_col: np.ndarray
    mem_val: np.ndarray
    sym_pairs: list = field(default_factory=list)   # (i, j): i starts no later than j
    clique_ptr: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))   # CSR rows of the
    clique_col: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))   # extended-tail cliques

    @property
    def nvars(self) -> int:
        return len(self.var_req)

    @property
    def cost(self) -> np.ndarray:
        """Completion time ``k + o_i`` of each column."""
        return self.var_start + self.instance.o[self.var_req]

    def columns(self, i: int) -> range:
        return range(int(self.first[i]), int(self.first[i + 1]))

    def memory_rows(self):
        """Yield ``(t, cols, coefs)`` for every memory row."""
        for r, t in enumerate(self.mem_times.tolist()):
            lo, hi = self.mem_ptr[r], self.mem_ptr[r + 1]
            yield t, self.mem_col[lo:hi], self.mem_val[lo:hi]

    def clique_rows(self):
        """Yield the column arrays ``cols`` of the extended-tail cliques ``sum x[cols] <= 1``."""
        for r in range(len(self.clique_ptr) - 1):
            yield self.clique_col[self.clique_ptr[r]:self.clique_ptr[r + 1]]

    def symmetry_rows(self):
        """Yield ``(cols, coefs)`` meaning ``sum coefs * x[cols] <= 0``: ``p_i - p_j <= 0`` per pair."""
        for i, j in self.sym_pairs:
            ci, cj = np.arange(*self.first[i:i + 2]), np.arange(*self.first[j:j + 2])
            yield np.r_[ci, cj], np.r_[self.var_start[ci], -self.var_start[cj]]

    def size(self) -> dict:
        return {"vars": self.nvars, "memory_rows": len(self.mem_times), "nonzeros": int(len(self.mem_col)),
                "symmetry_pairs": len(self.sym_pairs), "clique_rows": len(self.clique_ptr) - 1, "horizon": int(self.mem_times.max(initial=0))}

    def column_of(self, starts) -> np.ndarray:
        """Column index of each request's start (must lie in its window)."""
        starts = np.asarray(starts, dtype=np.int64)
        a = self.instance.a
        if np.any(starts < a) or np.any(starts > self.latest_start):
            raise ValueError("start outside the model's horizon")
        return self.first[:-1] + (starts - a)

    def starts_from(self, values) -> np.ndarray:
        """Start times from column values (the largest value per request)."""
        values = np.asarray(values, dtype=float)
        out = np.empty(self.instance.n, np.int64)
        for i in range(self.instance.n):
            cols = self.columns(i)
            out[i] = self.var_start[cols.start + int(np.argmax(values[cols.start:cols.stop]))]
        return out

    # ------------------------------------------------------------------ LP relaxation
    def lp_arrays(self) -> dict:
        """The LP relaxation as arrays: ``cost``, column bounds ``col_lower`` / ``col_upper``, the sparse
        matrix ``A`` (CSC, one column per ``x[i, k]``, then ``z`` for the makespan) and row bounds
        ``row_lower`` / ``row_upper`` (``-inf`` / ``inf`` where unbounded); every row included."""
        import scipy.sparse as sp

        inf = math.inf
        n, nv = self.instance.n, self.nvars
        mk = self.objective == "makespan"
        ncol = nv + (1 if mk else 0)
        cost = np.zeros(ncol) if mk else self.cost.astype(float)
        if mk:
            cost[nv] = 1.0
        rows, cols, vals, lo, up = [], [], [], [], []
        r = 0
        for i in range(n):                                      # assignment
            c = np.arange(self.first[i], self.first[i + 1])
            rows.append(np.full(len(c), r)); cols.append(c); vals.append(np.ones(len(c)))
            lo.append(1.0); up.append(1.0); r += 1
        nm = len(self.mem_times)                                # memory
        rows.append(r + np.repeat(np.arange(nm), np.diff(self.mem_ptr)))
        cols.append(self.mem_col); vals.append(self.mem_val.astype(float))
        lo.extend([-inf] * nm); up.extend([float(self.instance.memory)] * nm); r += nm
        for c, v in self.symmetry_rows():
            rows.append(np.full(len(c), r)); cols.append(c); vals.append(v.astype(float))
            lo.append(-inf); up.append(0.0); r += 1
        nc = len(self.clique_ptr) - 1                            # extended-tail cliques
        rows.append(r + np.repeat(np.arange(nc), np.diff(self.clique_ptr)))
        cols.append(self.clique_col); vals.append(np.ones(len(self.clique_col)))
        lo.extend([-inf] * nc); up.extend([1.0] * nc); r += nc
        if mk:                                                  # z >= C_i
            cst = self.cost.astype(float)
            for i in range(n):
                c = np.arange(self.first[i], self.first[i + 1])
                rows.append(np.full(len(c) + 1, r)); cols.append(np.r_[c, nv]); vals.append(np.r_[cst[c], -1.0])
                lo.append(-inf); up.append(0.0); r += 1
        A = sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r, ncol))
        return {"cost": cost, "col_lower": np.zeros(ncol), "col_upper": np.r_[np.ones(nv), [inf]] if mk else np.ones(nv),
                "A": A, "row_lower": np.array(lo, float), "row_upper": np.array(up, float)}

    def highs(self, arrays: dict | None = None):
        """A ``highspy.Highs`` object loaded with the LP relaxation (or ``arrays``, an extension of
        :meth:`lp_arrays`, as the probes in ``benchmarks/`` build), quiet and not yet solved."""
        highspy = highspy_module()

        arr = self.lp_arrays() if arrays is None else arrays
        big = lambda v: np.clip(v, -highspy.kHighsInf, highspy.kHighsInf)   # noqa: E731 (inf -> HiGHS inf)
        A = arr["A"].tocsc()
        lp = highspy.HighsLp()
        lp.num_row_, lp.num_col_ = A.shape
        lp.col_cost_ = np.asarray(arr["cost"], float)
        lp.col_lower_, lp.col_upper_ = big(arr["col_lower"]), big(arr["col_upper"])
        lp.row_lower_, lp.row_upper_ = big(arr["row_lower"]), big(arr["row_upper"])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = A.indptr
        lp.a_matrix_.index_ = A.indices
        lp.a_matrix_.value_ = A.data
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        # HiGHS's presolve never reduces this LP, is 3-6x slower than the simplex it precedes (n = 12-25)
        # and does not check the time limit: 196 s on jaillet_instance(100, 0, "poisson") with a 4 s limit
        h.setOptionValue("presolve", "off")
        h.passModel(lp)
        h.HandleUserInterrupt = True                       # lets cancelSolve() stop it (Ctrl-C)
        return h

    def solve_lp(self, time_limit: float | None = None, arrays: dict | None = None) -> float:
        """Optimal value of the LP relaxation (HiGHS simplex), every row included (:func:`run_lp`;
        ``arrays`` as for :meth:`highs`); ``-inf`` (no bound) when ``time_limit`` runs out, also when HiGHS
        does not stop at it (it is then left to stop in the background)."""
        try:
            return run_lp(self.highs(arrays), time_limit)
        except TimeoutError:
            return -math.inf


def run_lp(h, time_limit: float | None = None) -> float:
    """Solve the loaded HiGHS object ``h`` (from its current basis) and return the optimal value;
    ``inf`` if infeasible, ``-inf`` (no bound) if ``time_limit`` seconds run out first; Ctrl-C raises
    :class:`lpsched.exact.interrupt.Interrupted`; a HiGHS that has not stopped
    :data:`lpsched.exact.interrupt.GRACE` seconds after its limit raises ``TimeoutError`` (``h`` is then
    still running and must not be used again).  In-process: :func:`lpsched.exact.solve` solves its LPs
    in a helper process instead (:mod:`lpsched.exact.worker`)."""
    highspy = highspy_module()

    import time

    from .interrupt import ABANDONED, Interrupted, run_interruptibly

    h.setOptionValue("time_limit", max(0.01, float(time_limit)) if time_limit is not None else highspy.kHighsInf)
    end = None if time_limit is None else time.perf_counter() + max(0.01, float(time_limit))
    value, interrupted = run_interruptibly(h.run, h.cancelSolve, end)
    if interrupted:
        raise Interrupted()
    if value is ABANDONED:           # HiGHS did not stop at its limit; ``h`` is still busy: no bound
        raise TimeoutError("HiGHS did not stop at its time limit")
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return math.inf                 # no schedule within the horizon (e.g. a horizon cap)
    if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt):
        return -math.inf                # out of time (its own limit, or stopped at it by run_interruptibly)
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"LP relaxation not solved: {h.modelStatusToString(status)}")
    return float(h.getInfo().objective_function_value)


def run_lp_with_start(h, c: int, time_limit: float | None = None) -> float:
    """:func:`run_lp` with column ``c`` (one request's start) fixed at 1, its bounds ``[0, 1]`` restored
    after (probing: :func:`lpsched.exact.lp_bounds.probe_bound`, ``benchmarks/exact_probes.py``)."""
    h.changeColBounds(c, 1.0, 1.0)
    try:
        return run_lp(h, time_limit)
    finally:
        h.changeColBounds(c, 0.0, 1.0)


def build(instance: Instance, objective: str = "tct", upper: int | None = None, cap: int | None = None,
          symmetry: bool = True, tails: bool = True, arrays: bool = True) -> TimeIndexed:
    """Build the model with the horizon implied by a feasible cost ``upper`` (default: best heuristic).

    ``arrays=False``: only the horizon (``latest_start``) and the symmetry pairs, no column or row (what
    CP-SAT's ``interval`` and ``completion`` formulations use; its size does not grow with the token
    counts)."""
    if upper is None:
        upper = heuristic(instance, objective).objective
    hz = make_horizon(instance, objective, upper, cap)
    s, o, a = instance.s, instance.o, instance.a
    L = hz.latest_start
    pairs = []
    if symmetry:
        for g in identical_groups(instance):
            pairs.extend(zip(g[:-1], g[1:]))
    if not arrays:
        none = np.zeros(0, np.int64)
        return TimeIndexed(instance, objective, L, none, none, np.zeros(instance.n + 1, np.int64), none,
                           np.zeros(1, np.int64), none, none, pairs)
    counts = np.maximum(L - a + 1, 0)
    first = np.r_[0, np.cumsum(counts)].astype(np.int64)
    var_req = np.repeat(np.arange(instance.n), counts)
    var_start = (np.arange(first[-1]) - first[:-1][var_req] + a[var_req]).astype(np.int64)
    # memory entries: column v (request i, start k) holds s_i + d at time k + d, d = 1..o_i
    rep = o[var_req]
    col = np.repeat(np.arange(len(var_req)), rep)
    d = np.arange(len(col)) - np.repeat(np.cumsum(rep) - rep, rep) + 1
    t = var_start[col] + d
    val = s[var_req[col]] + d
    T = int(t.max(initial=0))
    # largest possible load at t: per request the largest coefficient (one start per request)
    mx = np.zeros((T + 1, instance.n), np.int64)
    np.maximum.at(mx, (t, var_req[col]), val)
    keep_t = np.flatnonzero(mx.sum(axis=1) > instance.memory)
    times, ptr, col, val = _rows_by_time(t, np.isin(t, keep_t), col, val)
    ti = TimeIndexed(instance, objective, L, var_req, var_start, first, times, ptr, col, val, pairs)
    if tails:
        ti.clique_ptr, ti.clique_col = _tail_cliques(ti)
    return ti


def _rows_by_time(t: np.ndarray, keep: np.ndarray, *columns: np.ndarray):
    """Entries (time ``t``, then ``columns``) kept by ``keep``, grouped into one CSR row per time:
    ``(times, ptr, *columns)``, each row sorted by its first column."""
    t = t[keep]
    columns = [c[keep] for c in columns]
    order = np.lexsort((columns[0], t))
    t = t[order]
    times, ptr = np.unique(t, return_index=True)
    return (times.astype(np.int64), np.r_[ptr, len(t)].astype(np.int64),
            *(c[order].astype(np.int64) for c in columns))


def _tail_cliques(ti: TimeIndexed) -> tuple[np.ndarray, np.ndarray]:
    """CSR ``(ptr, col)`` of the extended-tail cliques (module docstring), one row per time with >= 2 columns."""
    o = ti.instance.o
    ts, cs = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for k, (w, e) in extended_tails(ti.instance).items():
        cols = np.asarray(ti.columns(k))
        span = np.arange(-w + 1, e + 1)
        ts.append((ti.var_start[cols, None] + o[k] + span).ravel())     # the window around each completion
        cs.append(np.repeat(cols, len(span)))
    t, c = np.concatenate(ts), np.concatenate(cs)
    _, inverse, counts = np.unique(t, return_inverse=True, return_counts=True)
    _, ptr, col = _rows_by_time(t, counts[inverse] >= 2, c)
    return ptr, col

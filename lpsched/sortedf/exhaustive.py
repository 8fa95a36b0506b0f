"""Ground truth for small instances: ``brute_force`` (every subset) and ``mip`` (one ILP per batch size).

Layer: algorithms.

``mip`` formulation (PuLP; HiGHS by default, CBC as ``solver="cbc"``): for each size ``k = 1 .. K``,

    min  sum_i o_i x_i
    s.t. sum_i x_i = k,
         sum_{i : o_i >= o_j} (s_i + o_j) x_i <= M + B_j (1 - x_j)        for every j,
         x binary,

with ``B_j = sum_{i : o_i >= o_j} (s_i + o_j) - M`` (the constraint of ``j`` is void when ``j`` is not
chosen).  The answer is the best ``(V_k / k^2, -k)``; sizes whose lower bound
``(sum of the k smallest o) / k^2`` cannot beat the incumbent are skipped.
"""

from __future__ import annotations

import time

import numpy as np

from .problem import SelectionResult, better, make_result, max_batch_size

__all__ = ["brute_force", "mip"]


def brute_force(s: np.ndarray, o: np.ndarray, memory: int, max_n: int = 20) -> SelectionResult:
    """Enumerate all ``2^n - 1`` non-empty subsets (vectorised); refuses ``n > max_n``.

    >>> import numpy as np
    >>> from lpsched.sortedf.exhaustive import brute_force
    >>> brute_force(np.array([2, 2, 2, 2]), np.array([1, 1, 2, 3]), 6).indices.tolist()
    [0, 1]
    """
    n = len(s)
    if n > max_n:
        raise ValueError(f"brute_force: n = {n} > max_n = {max_n} (2^n subsets)")
    t0 = time.perf_counter()
    ge = (o[:, None] >= o[None, :]).astype(np.int64)           # ge[i, j]: o_i >= o_j
    best, best_mask = None, None
    chunk = 1 << 16
    for lo in range(1, 1 << n, chunk):
        codes = np.arange(lo, min(1 << n, lo + chunk), dtype=np.int64)
        B = ((codes[:, None] >> np.arange(n)) & 1).astype(np.int64)
        cnt = B @ ge
        ssum = B @ (ge * s[:, None])
        ok = np.all((ssum + cnt * o[None, :] <= memory) | (B == 0), axis=1)
        if not ok.any():
            continue
        B, codes = B[ok], codes[ok]
        k = B.sum(axis=1)
        v = B @ o
        # exact best: minimise v / k^2, then maximise k (integer cross-multiplication via sorting by float
        # and a final exact check among near-ties)
        f = v / k.astype(float) ** 2
        cand = np.flatnonzero(f <= f.min() * (1 + 1e-12))
        for c in cand:
            key = (int(v[c]), int(k[c]))
            if better(key, best):
                best, best_mask = key, int(codes[c])
    idx = [i for i in range(n) if best_mask >> i & 1]
    return make_result(idx, s, o, "brute_force", "optimal: every subset enumerated", "optimal", t0)


def mip(s: np.ndarray, o: np.ndarray, memory: int, solver: str = "highs", time_limit: float = 60.0) -> SelectionResult:
    """One binary program per batch size (see the module docstring), solved with PuLP.

    Parameters
    ----------
    solver : {"highs", "cbc"}
    time_limit : seconds per size; a size that is not solved to optimality makes the status ``feasible``.

    >>> import numpy as np
    >>> from lpsched.sortedf.exhaustive import mip
    >>> mip(np.array([2, 2, 2, 2]), np.array([1, 1, 2, 3]), 6).indices.tolist()
    [0, 1]
    """
    from ..solvers import cbc_command, pulp_module

    pulp = pulp_module()
    solvers = {"highs": lambda: pulp.HiGHS(msg=False, timeLimit=time_limit),
               "cbc": lambda: cbc_command(msg=False, timeLimit=time_limit)}
    if solver not in solvers:
        raise ValueError(f"unknown MIP solver {solver!r}; valid: {', '.join(sorted(solvers))}")
    t0 = time.perf_counter()
    n = len(s)
    K = max_batch_size(s, o, memory)
    o_sorted = np.sort(o)
    best, best_idx, proved = None, None, True
    ge = o[:, None] >= o[None, :]
    for k in range(K, 0, -1):
        lb = (int(o_sorted[:k].sum()), k)
        if best is not None and not better(lb, best):
            continue
        prob = pulp.LpProblem(f"sortedf_k{k}", pulp.LpMinimize)
        x = [prob.add_variable(f"x{i}", cat="Binary") for i in range(n)]
        prob += pulp.lpSum(int(o[i]) * x[i] for i in range(n))
        prob += pulp.lpSum(x) == k
        for j in range(n):
            members = np.flatnonzero(ge[:, j])
            big = int((s[members] + o[j]).sum()) - memory
            if big <= 0:
                continue
            prob += pulp.lpSum(int(s[i] + o[j]) * x[i] for i in members) <= memory + big * (1 - x[j])
        status = prob.solve(solvers[solver]())
        if pulp.LpStatus[status] != "Optimal":
            if pulp.LpStatus[status] == "Infeasible":
                continue
            proved = False
        vals = np.array([v.value() or 0 for v in x])
        idx = np.flatnonzero(vals > 0.5)
        if len(idx) != k:
            proved = False
            continue
        key = (int(o[idx].sum()), k)
        if better(key, best):
            best, best_idx = key, idx
    return make_result(best_idx, s, o, "mip", f"optimal if every size solved to optimality ({solver})",
                       "optimal" if proved else "feasible", t0, solver=solver)

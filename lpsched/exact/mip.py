"""MIP backends through PuLP: HiGHS (``highspy``) and CBC (PuLP's bundled binary).

Layer: algorithms.

Both solve the time-indexed model of :mod:`lpsched.exact.formulation` and start from the heuristic
schedule (HiGHS: ``Highs.setSolution``; CBC: PuLP's ``warmStart`` MIP start).  The best bound is read
from HiGHS' ``mip_dual_bound`` and from CBC's log.

:func:`lpsched.exact.solve` runs both in a helper process (:mod:`lpsched.exact.worker`) that is killed
if it overruns the deadline: HiGHS checks its time limit and its interrupt flag only now and then (its
MIP presolve ran 7-42 s on ``jaillet_instance(16, 4)`` with a 5 s limit, on an idle machine), and CBC
is a process of its own.  So that a killed solve still has a result, HiGHS reports every improving
schedule and its dual bound as it goes (``on_incumbent``, ``on_bound``: HiGHS callbacks) and CBC writes
its log to a file the caller reads (:func:`cbc_log_bound`).  CBC measures its time limit in elapsed
seconds here (``timeMode elapsed``; by default it counts CPU seconds, which a loaded machine stretches).
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import time

import numpy as np

from ..solvers import HIGHSPY_HINT, PULP_HINT, cbc_command, highspy_module, pulp_module
from .formulation import TimeIndexed
from .interrupt import ABANDONED, Interrupted, run_interruptibly

__all__ = ["solve_highs", "solve_cbc", "to_pulp", "cbc_log_bound"]

def to_pulp(ti: TimeIndexed, start=None):
    """The model as a ``pulp.LpProblem``; returns ``(problem, x_vars)``.  ``start``: warm-start starts."""
    pulp = pulp_module()
    prob = pulp.LpProblem("lpsched_exact", pulp.LpMinimize)
    x = [prob.add_variable(f"x_{i}_{k}", cat=pulp.LpBinary)
         for i, k in zip(ti.var_req.tolist(), ti.var_start.tolist())]
    cost = ti.cost.tolist()
    n = ti.instance.n
    if ti.objective == "makespan":
        z = prob.add_variable("z", lowBound=0)
        prob += z
        for i in range(n):
            cols = ti.columns(i)
            prob += pulp.LpAffineExpression([(x[c], cost[c]) for c in cols] + [(z, -1)]) <= 0, f"mk_{i}"
    else:
        prob += pulp.LpAffineExpression(list(zip(x, cost)))
    for i in range(n):
        prob += pulp.LpAffineExpression([(x[c], 1) for c in ti.columns(i)]) == 1, f"one_{i}"
    M = ti.instance.memory
    for t, cols, vals in ti.memory_rows():
        prob += pulp.LpAffineExpression([(x[c], v) for c, v in zip(cols.tolist(), vals.tolist())]) <= M, f"mem_{t}"
    for r, (cols, coefs) in enumerate(ti.symmetry_rows()):
        prob += pulp.LpAffineExpression([(x[c], v) for c, v in zip(cols.tolist(), coefs.tolist())]) <= 0, f"sym_{r}"
    for r, cols in enumerate(ti.clique_rows()):
        prob += pulp.LpAffineExpression([(x[c], 1) for c in cols.tolist()]) <= 1, f"tail_{r}"
    if start is not None:
        chosen = set(ti.column_of(start).tolist())
        for c, var in enumerate(x):
            var.setInitialValue(1 if c in chosen else 0)
        if ti.objective == "makespan":
            z.setInitialValue(max(cost[c] for c in chosen))
    return prob, x


def _values(x) -> np.ndarray:
    return np.array([0.0 if v.varValue is None else v.varValue for v in x])


def solve_highs(ti: TimeIndexed, time_limit: float, start=None, threads: int | None = None, msg: bool = False,
                on_incumbent=None, on_bound=None, end: float | None = None, watchdog: bool = True):
    """Solve with HiGHS through PuLP.  Returns ``(status, starts | None, bound, message)``.

    ``on_incumbent(starts, value)`` and ``on_bound(value)`` are called as HiGHS finds better schedules
    and raises its dual bound (at most every :data:`BOUND_EVERY` seconds).  ``end``: a
    ``time.perf_counter`` time at which HiGHS's own time limit expires (the time PuLP takes to build the
    model counts) and, with ``watchdog``, at which it is asked to stop again and abandoned
    :data:`lpsched.exact.interrupt.GRACE` seconds later (``TimeoutError``).  The helper process of
    :mod:`lpsched.exact.worker` runs it without the watchdog: it is killed from outside instead.
    """
    pulp = pulp_module()
    highspy = highspy_module()
    if not pulp.HiGHS().available():  # pragma: no cover
        raise ImportError(f"PuLP cannot load HiGHS (is highspy 1.15.x next to ortools?): {HIGHSPY_HINT}")

    class WarmHiGHS(pulp.HiGHS):
        """PuLP's HiGHS with a MIP start taken from the variables' initial values, and the model
        passed to HiGHS in one call (PuLP adds rows one by one, which takes seconds at n = 30)."""

        interrupted = False            # set by callSolver: Ctrl-C stopped the solve

        def buildSolverModel(self, lp):
            inf = highspy.kHighsInf
            variables = lp.variables()
            for k, var in enumerate(variables):
                var.index = k
            nv = len(variables)
            lp.solverModel.addVars(nv, [-inf if v.lowBound is None else v.lowBound for v in variables],
                                   [inf if v.upBound is None else v.upBound for v in variables])
            lp.solverModel.changeColsCost(nv, np.arange(nv, dtype=np.int32),
                                          np.array([lp.objective.get(v, 0.0) for v in variables], float))
            ints = np.array([v.index for v in variables if v.cat == pulp.const.LpInteger], np.int32)
            if len(ints):
                lp.solverModel.changeColsIntegrality(len(ints), ints, np.full(len(ints), highspy.HighsVarType.kInteger))
            lower, upper, starts, index, value = [], [], [], [], []
            for k, con in enumerate(lp._constraints.values()):
                con.index = k
                starts.append(len(index))
                for var, coef in con.items():
                    if coef != 0:
                        index.append(var.index)
                        value.append(coef)
                lb, ub = con.getLb(), con.getUb()
                lower.append(-inf if lb is None else lb)
                upper.append(inf if ub is None else ub)
            lp.solverModel.addRows(len(lower), np.array(lower, float), np.array(upper, float), len(index),
                                   np.array(starts, np.int32), np.array(index, np.int32), np.array(value, float))

        def callSolver(self, lp):
            if start is not None:
                cols = sorted(lp.variables(), key=lambda v: v.index)
                sol = highspy.HighsSolution()
                sol.col_value = [0.0 if v.varValue is None else float(v.varValue) for v in cols]
                sol.value_valid = True
                lp.solverModel.setSolution(sol)
            h = lp.solverModel
            if end is not None:                  # the time PuLP took to build the model counts
                h.setOptionValue("time_limit", max(0.01, end - time.perf_counter()))
            if on_incumbent is not None or on_bound is not None:
                _report_progress(h, x, ti, on_incumbent, on_bound)
            h.HandleUserInterrupt = True                   # Ctrl-C: cancelSolve (lpsched.exact.interrupt)
            value, self.interrupted = run_interruptibly(h.run, h.cancelSolve, end if watchdog else None)
            if value is ABANDONED:
                raise Interrupted(None) if self.interrupted else TimeoutError("HiGHS did not stop at its time limit")

    prob, x = to_pulp(ti, start)
    opts = {"threads": threads} if threads else {}
    solver = WarmHiGHS(msg=msg, timeLimit=max(0.01, float(time_limit)), gapRel=0.0, gapAbs=0.99, **opts)
    prob.solve(solver)
    h = prob.solverModel
    ms = h.getModelStatus()
    info = h.getInfo()
    text = h.modelStatusToString(ms)
    bound = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else -math.inf
    has_sol = info.primal_solution_status == 2 or ms == highspy.HighsModelStatus.kOptimal
    starts = ti.starts_from(_values(x)) if has_sol else None
    if ms == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
    elif ms == highspy.HighsModelStatus.kInfeasible:
        status, starts = "infeasible", None
    elif starts is not None:
        status = "feasible"
    else:
        status = "unknown"
    if solver.interrupted:
        raise Interrupted(("feasible" if starts is not None else "unknown", starts, bound, f"HiGHS: {text}"))
    return status, starts, bound, f"HiGHS: {text}"


#: least seconds between two bound reports of :func:`solve_highs`
BOUND_EVERY = 0.2


def _report_progress(h, x, ti: TimeIndexed, on_incumbent, on_bound) -> None:
    """Subscribe HiGHS callbacks that report improving schedules and the dual bound."""
    last = {"at": -math.inf, "bound": -math.inf}

    def bound(value):
        if on_bound is not None and math.isfinite(value) and value > last["bound"]:
            now = time.perf_counter()
            if now - last["at"] >= BOUND_EVERY:
                last["at"], last["bound"] = now, value
                on_bound(float(value))

    def improving(event):
        data = event.data_out
        if on_incumbent is not None:
            sol = np.asarray(data.mip_solution, float)
            if len(sol):
                cols = np.array([v.index for v in x], np.int64)
                on_incumbent(ti.starts_from(sol[cols]), float(data.objective_function_value))
        bound(data.mip_dual_bound)

    def progress(event):
        bound(event.data_out.mip_dual_bound)

    h.cbMipImprovingSolution.subscribe(improving)
    h.cbMipInterrupt.subscribe(progress)


_CBC_BOUND = re.compile(r"^(Lower bound|Objective value):\s*([-+0-9.eE]+)", re.M)


_CBC_PROGRESS = re.compile(r"best possible ([-+0-9.eE]+)")


def cbc_log_bound(text: str) -> float:
    """The last "best possible" bound of a CBC log (``-inf`` if none): what a killed CBC had proved."""
    found = _CBC_PROGRESS.findall(text)
    try:
        return float(found[-1]) if found else -math.inf
    except ValueError:
        return -math.inf


def solve_cbc(ti: TimeIndexed, time_limit: float, start=None, msg: bool = False, log_path: str | None = None):
    """Solve with PuLP's bundled CBC.  Returns ``(status, starts | None, bound, message)``.

    The limit is in elapsed seconds (``timeMode elapsed``), at least half a second.
    ``log_path``: where CBC writes its log (default: a temporary file), for a caller that may have to
    read the bound of a run it killed (:func:`cbc_log_bound`).
    """
    pulp = pulp_module()
    if not cbc_command().available():  # pragma: no cover
        raise ImportError(f"PuLP's bundled CBC is not available (PuLP 4 dropped it): {PULP_HINT}")
    prob, x = to_pulp(ti, start)
    with tempfile.TemporaryDirectory() as tmp:
        log = log_path or os.path.join(tmp, "cbc.log")
        solver = cbc_command(msg=False, timeLimit=round(max(0.5, float(time_limit)), 2),
                             warmStart=start is not None, logPath=log, gapRel=0.0, gapAbs=0.99,
                             options=["timeMode elapsed"])
        solver.tmpDir = os.path.dirname(log)     # PuLP's model and solution files too: removed with the directory
        try:
            prob.solve(solver)
        except pulp.PulpSolverError as exc:
            # CBC 2.10 exits with an error when its time limit strikes while reading or preprocessing
            return "unknown", None, -math.inf, f"CBC: stopped without a solution ({exc})"
        text = open(log).read() if os.path.exists(log) else ""
    found = dict((k, float(v)) for k, v in _CBC_BOUND.findall(text.split("Result -")[-1]))
    result_line = next((ln for ln in text.splitlines() if ln.startswith("Result -")), "Result - ?")
    sol_status = prob.sol_status
    starts = ti.starts_from(_values(x)) if sol_status in (1, 2) else None
    if prob.status == -1 or "infeasible" in result_line.lower():
        if start is not None:
            # CBC 2.10 reports "Pre-processing says infeasible" when its time limit strikes during
            # preprocessing; the model holds the warm-start schedule, so it is not infeasible.
            return "unknown", None, -math.inf, "CBC: stopped without a solution (reported infeasible)"
        return "infeasible", None, math.inf, f"CBC: {result_line}"
    if sol_status == 1 and "Optimal" in result_line:
        status = "optimal"
        bound = found.get("Objective value", -math.inf)
    else:
        status = "feasible" if starts is not None else "unknown"
        bound = found.get("Lower bound", -math.inf)
    return status, starts, bound, f"CBC: {result_line.strip()}"

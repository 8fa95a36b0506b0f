"""Exact optimum of the scheduling problem: time-indexed MIP (HiGHS, CBC), CP-SAT, brute force.

:func:`solve` minimises the total completion time ``sum C_i`` (``objective="tct"``; with arrivals this
is minimising the total latency ``sum (C_i - a_i)``, which differs by the constant ``sum a_i``) or the
makespan, over schedules without eviction (eviction never helps a clairvoyant schedule: dropping the
evicted runs keeps every completion time and only lowers the memory; see :mod:`.horizon`).  The
formulation is the time-indexed integer program of Jaillet et al. (arXiv 2502.07115), restricted to a
horizon proved to contain every optimal schedule (:mod:`.horizon`), with symmetry breaking between
identical requests (:mod:`.formulation`) and a warm start from the best of the ``hsf`` and ``fcfs``
policies.

Every backend returns an :class:`ExactResult` whose schedule went through :func:`lpsched.validate` and
whose objective is recomputed from that schedule.  Backends are imported only when used.

>>> from lpsched import Instance
>>> from lpsched.exact import solve
>>> res = solve(Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3]), backend="highs")
>>> res.status, res.objective, res.bound
('optimal', 11, 11.0)
>>> solve(Instance(memory=6, s=[2], o=[1]), backend="gurobi")
Traceback (most recent call last):
...
ValueError: unknown backend 'gurobi'; valid backends: bruteforce, cbc, cpsat, highs
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..model import Instance
from ..schedule import Schedule, ScheduleError, metrics, validate
from .bounds import head_bound, lower_bounds
from .decompose import arrival_blocks, solve_by_blocks
from .horizon import OBJECTIVES, Heuristic, heuristic, horizon, objective_value
from .interrupt import Interrupted
from .result import STATUSES, ExactResult, instance_digest

__all__ = ["solve", "ExactResult", "STATUSES", "BACKENDS", "lower_bounds", "heuristic", "horizon"]


def _mip(name):
    def run(ti, time_limit, start, **opts):
        from . import mip

        return (mip.solve_highs if name == "highs" else mip.solve_cbc)(ti, time_limit, start, **opts)
    return run


def _cpsat(ti, time_limit, start, **opts):
    from .cpsat import solve_cpsat

    return solve_cpsat(ti, time_limit, start, **opts)


#: backend name -> function(model, time_limit, warm_start_starts, **options)
BACKENDS = {"highs": _mip("highs"), "cbc": _mip("cbc"), "cpsat": _cpsat, "bruteforce": None}


def _initial(instance: Instance, objective: str, horizon_cap, initial) -> tuple[Heuristic | None, float]:
    """``(initial schedule as a warm start, lower bound carried over)`` from :func:`solve`'s ``initial``.

    The schedule is rebuilt on ``instance`` and validated; a bound is carried only from an
    :class:`ExactResult` of the same instance (same digest), objective and horizon cap.
    """
    carried = -math.inf
    if isinstance(initial, ExactResult):
        same = (initial.info.get("instance_digest") == instance_digest(instance)
                and initial.objective_name == objective and initial.info.get("horizon_cap") == horizon_cap)
        if same and initial.status != "infeasible" and math.isfinite(initial.bound):
            carried = float(initial.bound)
        initial = initial.schedule
    if initial is None:
        return None, carried
    starts = initial.start if isinstance(initial, Schedule) else initial
    try:
        schedule = Schedule(instance, np.asarray(starts), policy="initial")
        value = objective_value(schedule, objective)          # validates
    except ScheduleError as exc:
        raise ValueError(f"initial: not a feasible schedule of this instance: {exc}") from None
    return Heuristic(schedule, value, "initial"), carried


def solve(instance: Instance, backend: str = "cpsat", objective: str = "tct", time_limit: float = 60.0,
          warm_start: bool = True, horizon_cap: int | None = None, root_lp: bool = True, initial=None,
          on_interrupt: str = "return", decompose: bool = True, **options) -> ExactResult:
    """Minimum total completion time (or makespan) schedule of ``instance``.

    Parameters
    ----------
    instance : Instance
    backend : ``"highs"``, ``"cbc"`` (time-indexed MIP through PuLP), ``"cpsat"`` (OR-Tools, the default
        and the fastest measured; options ``formulation="completion" | "interval" | "time" | "both"`` or a
        tuple of them to race, one thread each (the default races ``("interval", "completion")``: two
        threads), ``workers <= 2`` per model, ``pairs=``, ``redundant=``, see :mod:`lpsched.exact.cpsat`)
        or ``"bruteforce"`` (n <= ~7).
    objective : ``"tct"`` (sum of completion times) or ``"makespan"``.
    time_limit : seconds for the whole call (approximately: building the model counts).  On timeout the
        best schedule found (at worst the heuristic one) and the best bound are returned with status
        ``feasible``.
    on_interrupt : what Ctrl-C once the heuristic schedule is known does (:mod:`.interrupt`): ``"return"``
        stops the search and returns as on timeout, with ``info["interrupted"] = True`` (the best
        schedule and bound so far: at least the heuristic one); ``"raise"`` (for loops over many solves)
        raises ``KeyboardInterrupt`` after stopping the solver.  The root LP, CP-SAT and HiGHS stop at
        once; brute force stops where it is and keeps only its warm start; CBC is a subprocess, which
        gets the signal too from a terminal but not from a notebook, and then runs on in the background
        until its time limit.
    warm_start : start the solver from the best heuristic schedule (its cost sets the horizon anyway).
    horizon_cap : optional ``C_i <= horizon_cap`` for every request (a decision version: the result may
        then be ``infeasible``).
    root_lp : with ``backend="cpsat"``, also solve the LP relaxation of the time-indexed model with its
        extended-tail cliques (:mod:`.formulation`; ``info["lp_bound"]``, in at most half the time limit) and
        report the best of it, CP-SAT's bound (``info["backend_bound"]``, any backend's own) and the
        chain-head bound.  CP-SAT's own bound stays far below that LP on the larger instances
        (``jaillet_instance(14, 3)``: 508 against 600 at 60 s, best schedule 660).  It costs one LP:
        0.02-0.14 s at n = 12, 0.3-1.6 s at n = 25 (HiGHS, no presolve).  Handing the LP value to CP-SAT
        as an objective lower bound proved nothing faster (n = 14: 18-53 s against 18-31 s; ``git
        checkout decfc6a && python benchmarks/exact.py --backends cpsat-nolp cpsat --sizes 14``), so it
        is only reported.  The MIP backends solve that LP at their root anyway.
    initial : resume from an earlier run: an :class:`ExactResult` of the same instance (for example
        ``ExactResult.from_dict(json, instance)`` of ``lpsched opt --json`` output), a :class:`Schedule` or
        start times.  Its schedule (validated) replaces the heuristic one as warm start and horizon
        source when it is better; a result's bound is kept (the reported bound never goes down), and a
        result already proven optimal is returned at once without solving.
    decompose : with arrivals, split the instance into its no-wait blocks and solve them one by one,
        merging blocks until the union of their optima is feasible (exact: :mod:`.decompose`; the blocks
        are in ``info["blocks"]``); each block starts from its part of the best heuristic (or
        ``initial``) schedule.  The bound is then the sum (makespan: the largest) of the blocks' reported
        bounds, and ``info["backend_bound"]`` is that sum, not one search's own bound; no LP of the whole
        instance is solved.  All requests at 0 are one block, so it changes nothing there.  Ignored
        with ``horizon_cap``.
    options : passed to the backend (e.g. ``formulation=``, ``workers=``, ``msg=True``).
    """
    t0 = time.perf_counter()
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends: {', '.join(sorted(BACKENDS))}")
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; valid objectives: {', '.join(OBJECTIVES)}")
    if not isinstance(instance, Instance):
        raise TypeError(f"instance must be an lpsched.Instance, got {type(instance).__name__}")
    if on_interrupt not in ("return", "raise"):
        raise ValueError(f"on_interrupt = {on_interrupt!r}; valid: return, raise")
    if not (isinstance(time_limit, (int, float)) and time_limit > 0):
        raise ValueError(f"time_limit = {time_limit!r} must be a positive number of seconds")
    heur = heuristic(instance, objective)
    given, carried = _initial(instance, objective, horizon_cap, initial)
    if given is not None and given.objective <= heur.objective:
        heur = given
    incumbent = heur.schedule.start
    if horizon_cap is not None and heur.schedule.completion.max() > horizon_cap:
        incumbent = None          # the heuristic schedule lies outside the requested horizon
    info = {"heuristic": heur.policy, "heuristic_objective": heur.objective,
            "instance_digest": instance_digest(instance), "horizon_cap": horizon_cap}
    comb = -math.inf
    proven = incumbent is not None and carried >= heur.objective       # by the initial result: nothing to do
    try:
        if not proven:
            comb = info["combinatorial_bound"] = head_bound(instance, objective)   # >= chain, alone, area
        if math.isfinite(carried):
            info["initial_bound"] = carried
            comb = max(comb, int(carried))
        if proven:
            status, starts, bound, msg = "optimal", incumbent, carried, "proven optimal by the initial result's bound"
        elif decompose and horizon_cap is None and len(blocks := arrival_blocks(instance)) > 1:
            def solve_block(sub, limit, starts):
                return solve(sub, backend, objective, limit, warm_start, None, root_lp, starts, on_interrupt,
                             decompose=False, **options)

            status, starts, bound, msg, parts = solve_by_blocks(
                instance, solve_block, objective, time_limit - (time.perf_counter() - t0), blocks,
                incumbent=heur.schedule.start)
            info.update(parts)
        elif backend == "bruteforce":
            from .bruteforce import search

            hz = horizon(instance, objective, heur.objective, horizon_cap)
            info["horizon"] = hz.end
            status, starts, bound, msg = search(instance, objective, heur.objective if incumbent is not None
                                                else None, hz.latest_start, time_limit - (time.perf_counter() - t0),
                                                incumbent=incumbent)
        else:
            from .formulation import build

            ti = build(instance, objective, heur.objective, horizon_cap)
            info.update(ti.size())
            if root_lp and backend == "cpsat":
                lp = ti.solve_lp(0.5 * (time_limit - (time.perf_counter() - t0)))    # at most half the time left
                if math.isfinite(lp):        # (infeasible under a horizon cap: left to CP-SAT to decide)
                    info["lp_bound"] = int(math.ceil(lp - 1e-6))
                    comb = max(comb, info["lp_bound"])
            remaining = time_limit - (time.perf_counter() - t0)
            status, starts, bound, msg = BACKENDS[backend](
                ti, remaining, incumbent if warm_start else None, **options)
    except (Interrupted, KeyboardInterrupt) as exc:   # Ctrl-C in a solver (lpsched.exact.interrupt) or between
        if on_interrupt == "raise":                   # them (bounds, model building): the best so far
            raise KeyboardInterrupt("exact solve interrupted") from None
        info["interrupted"] = True
        status, starts, bound, msg = getattr(exc, "outcome", None) or ("feasible", None, -math.inf, "")
        msg = (msg + "; " if msg else "") + "interrupted by the user"
    except ImportError:
        raise
    except (ValueError, TypeError):
        raise
    except Exception as exc:  # a backend failure is reported, not raised
        status, starts, bound, msg = "error", None, -math.inf, f"{type(exc).__name__}: {exc}"
    if status == "infeasible" and horizon_cap is None:
        status, msg = "error", msg + " (reported infeasible although the heuristic schedule is feasible)"
    if starts is None and status in ("feasible", "unknown", "error") and incumbent is not None:
        starts = incumbent                    # never return less than the warm start
        status = "feasible" if status != "error" else status
    schedule = met = value = None
    if starts is not None:
        schedule = Schedule(instance, np.asarray(starts, np.int64), policy=f"exact:{backend}")
        try:
            validation = validate(schedule)
        except ScheduleError as exc:
            return ExactResult("error", None, None, -math.inf, time.perf_counter() - t0, backend, objective,
                               f"{msg}; returned schedule invalid: {exc}", None, info)
        met = metrics(schedule, validation)
        value = met.tct if objective == "tct" else met.makespan
        if incumbent is not None and value > heur.objective:   # a solver may stop on a worse point
            schedule = heur.schedule
            met = metrics(schedule)
            value = heur.objective
    if math.isfinite(bound):
        bound = float(math.ceil(bound - 1e-6))    # integer objective
        if not proven:
            info["backend_bound"] = int(bound)    # what the search proved, before the root bounds join it
    bound = max(bound, float(comb)) if status != "infeasible" else bound
    if status == "optimal":
        if value is None or bound > value + 1e-9:
            status = "error"
            msg += f"; claimed optimal but bound {bound} > objective {value}"
        else:
            bound = float(value)
    elif status == "feasible" and value is not None and bound >= value:
        status = "optimal"      # the bound proves it
        bound = float(value)
    return ExactResult(status, schedule, value, bound, time.perf_counter() - t0, backend, objective, msg,
                       met, info)

"""Exact optimum of the scheduling problem: time-indexed MIP (HiGHS, CBC), CP-SAT, brute force.

Layer: algorithms.

:func:`solve` minimises the total completion time ``sum C_i`` (``objective="tct"``; with arrivals this
is minimising the total latency ``sum (C_i - a_i)``, which differs by the constant ``sum a_i``) or the
makespan, over schedules without eviction (eviction never helps a clairvoyant schedule: dropping the
evicted runs keeps every completion time and only lowers the memory; see :mod:`.horizon`).  The
formulation is the time-indexed integer program of Jaillet et al. (arXiv 2502.07115), restricted to a
horizon proved to contain every optimal schedule (:mod:`.horizon`), with symmetry breaking between
identical requests (:mod:`.formulation`) and a warm start from the best of the ``hsf`` and ``fcfs``
policies.

Every backend returns an :class:`ExactResult` whose schedule went through :func:`lpsched.validate` (or,
when the horizon is too long for its memory profile, the same checks at the run ends:
:mod:`.check`) and whose objective is recomputed from that schedule.  Backends are imported only when
used.

Limits (issue 31): one wall-clock deadline covers the whole call (:mod:`.limits`); CP-SAT and brute
force stop in this process (:mod:`.interrupt`), HiGHS and CBC run in a helper process that is killed
when it overruns or on Ctrl-C, keeping the schedules and bounds it reported (:mod:`.worker`); models
are sized before they are built and refused over a memory budget; time is shifted to the first
arrival (and per no-wait block), so far arrivals cost nothing; the reported bound is the best one
found, named in ``info["bound_method"]``.

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
import os
import tempfile
import time

import numpy as np

from ..model import Instance
from ..schedule import Schedule, ScheduleError, metrics
from .bounds import alone_bound, area_bound, chain_bound, head_bound
from .lp_bounds import lower_bounds
from .check import check_schedule
from .decompose import arrival_blocks, solve_by_blocks
from .horizon import OBJECTIVES, Heuristic, heuristic, horizon, objective_value
from .interrupt import Abort, Interrupted
from .limits import (FINISH_RESERVE, MEMORY_BUDGET, Deadline, ModelTooLarge, check_budget, estimated_bytes,
                     finite_positive, fmt_bytes, fmt_count, time_indexed_size)
from .result import STATUSES, ExactResult, instance_digest

__all__ = ["solve", "ExactResult", "STATUSES", "BACKENDS", "lower_bounds", "heuristic", "horizon", "BOUND_METHODS"]

#: backend names (the MIP backends run in a helper process: :mod:`lpsched.exact.worker`)
BACKENDS = {"highs": "worker", "cbc": "worker", "cpsat": "in-process", "bruteforce": "in-process"}
#: options each backend accepts besides those of :func:`solve`
BACKEND_OPTIONS = {"highs": ("threads", "msg"), "cbc": ("msg",), "bruteforce": ()}
#: the names ``info["bound_method"]`` can take (the backend's own search bound is named by the backend),
#: cheapest first: a tie goes to the first
BOUND_METHODS = ("alone", "area", "chain", "head", "initial", "lp", "probe", "blocks")
#: longest horizon (time steps) the brute-force search is run on (it recurses once per step)
BRUTE_MAX_HORIZON = 10_000
#: with a helper-process solve, seconds between the solver's own time limit and the kill
KILL_GRACE = 0.3
#: info entries that are objective values (shifted with the time, :func:`_shift_back`)
_VALUE_KEYS = ("heuristic_objective", "combinatorial_bound", "initial_bound", "lp_bound", "probe_bound",
               "backend_bound")


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
          warm_start: bool = True, horizon_cap: int | None = None, root_lp: bool | None = None, initial=None,
          on_interrupt: str = "return", decompose: bool = True, probe: bool = False,
          memory_budget: float = MEMORY_BUDGET, **options) -> ExactResult:
    """Minimum total completion time (or makespan) schedule of ``instance``.

    Parameters
    ----------
    instance : Instance
    backend : ``"highs"``, ``"cbc"`` (time-indexed MIP through PuLP, run in a helper process:
        :mod:`lpsched.exact.worker`), ``"cpsat"`` (OR-Tools, the default and the fastest measured;
        options ``formulation="completion" | "interval" | "time" | "both"`` or a tuple of them to race,
        one thread each (the default races ``("interval", "completion")``: two threads, leaving out a
        model over ``memory_budget``), ``workers <= 2`` per model, ``pairs=``, ``redundant=``, see
        :mod:`lpsched.exact.cpsat`) or ``"bruteforce"`` (n <= ~7).
    objective : ``"tct"`` (sum of completion times) or ``"makespan"``.
    time_limit : wall-clock seconds for the whole call, a finite positive number: the heuristic, the
        bounds, model building, the root LP, every backend call and every block of a decomposed solve
        share one deadline (:mod:`lpsched.exact.limits`).  The call returns within it plus a small
        overhead (measured by ``benchmarks/limits.py``: see the README); at the deadline the best
        schedule found (at worst the heuristic one) and the best bound are returned with status
        ``feasible``.
    on_interrupt : what Ctrl-C once the heuristic schedule is known does: ``"return"`` stops the search
        and returns as on timeout, with ``info["interrupted"] = True`` (the best schedule and bound so
        far: at least the heuristic one); ``"raise"`` (for loops over many solves) raises
        ``KeyboardInterrupt`` after stopping the solver.  Every backend stops at once: CP-SAT and brute
        force in this process (:mod:`lpsched.exact.interrupt`), HiGHS and CBC by killing their helper
        process (the schedules and bounds they reported so far are kept).  A second Ctrl-C while a solve
        is stopping raises ``KeyboardInterrupt`` at once, without a result.
    warm_start : start the solver from the best heuristic schedule (its cost sets the horizon anyway).
    horizon_cap : optional ``C_i <= horizon_cap`` for every request (a decision version: the result may
        then be ``infeasible``).
    root_lp : solve the LP relaxation of the time-indexed model with its extended-tail cliques
        (:mod:`.formulation`; ``info["lp_bound"]``, in at most half the time left) and report the best of
        it, the backend's own bound (``info["backend_bound"]``) and the combinatorial bounds.  The default
        (``None``) does so for ``cpsat`` only: the MIP backends solve that LP at their root anyway.
        CP-SAT's own bound stays far below that LP on the larger instances (``jaillet_instance(14, 3)``:
        508 against 600 at 60 s, best schedule 660).  It costs one LP: 0.02-0.14 s at n = 12, 0.3-1.6 s
        at n = 25, 10 s at n = 40 (HiGHS, no presolve).  Handing the LP value to CP-SAT as an objective
        lower bound proved nothing faster (n = 14: 18-53 s against 18-31 s; ``git checkout decfc6a &&
        python benchmarks/exact.py --backends cpsat-nolp cpsat --sizes 14``), so it is only reported.
        A model over ``memory_budget`` is not solved (``info["lp_skipped"]`` says why).
    probe : also the LP with request probing (:func:`lpsched.exact.lp_bounds.probe_bound`), after the root LP
        and within the same share of the time (``info["probe_bound"]``).
    initial : resume from an earlier run: an :class:`ExactResult` of the same instance (for example
        ``ExactResult.from_dict(json, instance)`` of ``lpsched opt --json`` output), a :class:`Schedule` or
        start times.  Its schedule (validated) replaces the heuristic one as warm start and horizon
        source when it is better; a result's bound is kept (the reported bound never goes down), and a
        result already proven optimal is returned at once without solving.
    decompose : with arrivals, split the instance into its no-wait blocks and solve them one by one,
        merging blocks until the union of their optima is feasible (exact: :mod:`.decompose`; the blocks
        are in ``info["blocks"]``); each block starts from its part of the best heuristic (or
        ``initial``) schedule.  The bound is then the sum (makespan: the largest) of the blocks' reported
        bounds (``info["bound_method"] = "blocks"``), and ``info["backend_bound"]`` is that sum, not one
        search's own bound; no LP of the whole instance is solved.  All requests at 0 are one block, so
        it changes nothing there.  Ignored with ``horizon_cap``.
    memory_budget : bytes a model may take by estimate (:mod:`lpsched.exact.limits`; default 1 GB).  A
        model over it is refused before it is built: the result is then the heuristic schedule with its
        lower bound (status ``feasible``, or ``optimal`` when the bound meets it), ``info["refused"]``
        and a one-line message naming the sizes and the alternatives.
    options : passed to the backend (e.g. ``formulation=``, ``workers=``, ``msg=True``).

    Time is compressed before anything is built: an instance whose first arrival is ``a_min > 0`` is
    solved with every arrival moved ``a_min`` earlier (the same problem shifted in time: schedules
    correspond one to one, every completion time moves by ``a_min``, the TCT by ``n a_min``) and the
    result moved back (``info["time_shift"]``); with ``decompose`` every block is shifted to its own
    first arrival.  So an idle gap or a late arrival (``a = 10^15``) costs nothing.

    The reported ``bound`` is the best of all bounds found, and ``info["bound_method"]`` names the one
    that gave it: one of :data:`BOUND_METHODS` or the backend's name (its search's own bound, or its
    proof of optimality).
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends: {', '.join(sorted(BACKENDS))}")
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; valid objectives: {', '.join(OBJECTIVES)}")
    if not isinstance(instance, Instance):
        raise TypeError(f"instance must be an lpsched.Instance, got {type(instance).__name__}")
    if on_interrupt not in ("return", "raise"):
        raise ValueError(f"on_interrupt = {on_interrupt!r}; valid: return, raise")
    deadline = Deadline(finite_positive(time_limit, "time_limit"))
    if isinstance(memory_budget, bool) or not isinstance(memory_budget, (int, float)) or not memory_budget > 0:
        raise ValueError(f"memory_budget = {memory_budget!r} must be a positive number of bytes")
    if horizon_cap is not None and (isinstance(horizon_cap, bool) or not isinstance(horizon_cap, (int, np.integer))):
        raise ValueError(f"horizon_cap = {horizon_cap!r} must be an integer")
    allowed = BACKEND_OPTIONS.get(backend)
    if allowed is not None and set(options) - set(allowed):
        bad = sorted(set(options) - set(allowed))[0]
        raise TypeError(f"backend {backend!r} takes no option {bad!r}; its options: {', '.join(allowed) or 'none'}")
    return _solve(instance, backend, objective, deadline, warm_start, horizon_cap, root_lp, initial, on_interrupt,
                  decompose, probe, float(memory_budget), options)


def _solve(instance, backend, objective, deadline, warm_start, horizon_cap, root_lp, initial, on_interrupt,
           decompose, probe, budget, options, given=None, carried=None) -> ExactResult:
    """:func:`solve` after its checks, within ``deadline``.  ``given``, ``carried``: the initial schedule
    and bound already read (a shifted or decomposed call)."""
    t0 = time.perf_counter()
    if given is None and carried is None:
        given, carried = _initial(instance, objective, horizon_cap, initial)
    shift = int(instance.a.min())
    if shift > 0 and (horizon_cap is None or horizon_cap > shift):
        return _solve_shifted(instance, shift, backend, objective, deadline, warm_start, horizon_cap, root_lp,
                              on_interrupt, decompose, probe, budget, options, given, carried, t0)
    heur = heuristic(instance, objective)
    if given is not None and given.objective <= heur.objective:
        heur = given
    incumbent = heur.schedule.start
    if horizon_cap is not None and heur.schedule.completion.max() > horizon_cap:
        incumbent = None          # the heuristic schedule lies outside the requested horizon
    info = {"heuristic": heur.policy, "heuristic_objective": heur.objective,
            "instance_digest": instance_digest(instance), "horizon_cap": horizon_cap}
    found = {}                                  # bound name -> value (bound_method: the best of them)
    proven = incumbent is not None and carried >= heur.objective       # by the initial result: nothing to do
    backend_bound = -math.inf
    use_lp = (backend == "cpsat") if root_lp is None else bool(root_lp) and backend != "bruteforce"
    if not proven and (backend in ("highs", "cbc") or use_lp or probe):
        from . import worker

        worker.prestart()                       # imports in the background while the bounds are computed
    try:
        if not proven:
            _combinatorial(instance, objective, deadline, found)
        if math.isfinite(carried):
            info["initial_bound"] = carried
            found["initial"] = float(carried)
        if proven:
            status, starts, backend_bound, msg = "optimal", incumbent, -math.inf, "proven optimal by the initial result's bound"
        elif decompose and horizon_cap is None and len(blocks := arrival_blocks(instance)) > 1:
            def solve_block(sub, limit, starts):
                g, c = (None, -math.inf)
                if starts is not None:
                    g, c = _initial(sub, objective, None, starts)
                return _solve(sub, backend, objective, deadline.within(limit), warm_start, None, root_lp, None,
                              on_interrupt, False, probe, budget, options, g, c)

            status, starts, bound, msg, parts = solve_by_blocks(
                instance, solve_block, objective, deadline.left(), blocks, incumbent=heur.schedule.start,
                deadline=deadline)
            info.update(parts)
            found["blocks"] = bound
            backend_bound = bound
        elif backend == "bruteforce":
            from .bruteforce import search

            hz = horizon(instance, objective, heur.objective, horizon_cap)
            info["horizon"] = hz.end
            if hz.end > BRUTE_MAX_HORIZON:
                raise ModelTooLarge(f"brute force refused: horizon {fmt_count(hz.end)} steps > {fmt_count(BRUTE_MAX_HORIZON)} "
                                    f"(it recurses once per step); the heuristic schedule ({heur.policy}, {objective} "
                                    f"{heur.objective:,}) with its lower bound is returned; backend='cpsat' does not "
                                    f"grow with the token counts")
            status, starts, backend_bound, msg = search(
                instance, objective, heur.objective if incumbent is not None else None, hz.latest_start,
                deadline.left() - FINISH_RESERVE, incumbent=incumbent)
        else:
            status, starts, backend_bound, msg = _model_solve(
                instance, backend, objective, deadline, heur, incumbent if warm_start else None, horizon_cap,
                use_lp, probe, budget, options, info, found)
    except Abort:
        raise
    except (Interrupted, KeyboardInterrupt) as exc:   # Ctrl-C in a solver (lpsched.exact.interrupt) or between
        if on_interrupt == "raise":                   # them (bounds, model building): the best so far
            raise KeyboardInterrupt("exact solve interrupted") from None
        info["interrupted"] = True
        status, starts, backend_bound, msg = getattr(exc, "outcome", None) or ("feasible", None, -math.inf, "")
        msg = (msg + "; " if msg else "") + "interrupted by the user"
    except ModelTooLarge as exc:                      # refused before it was built: the heuristic and its bound
        info["refused"] = True
        status, starts, backend_bound, msg = "feasible", None, -math.inf, str(exc)
    except ImportError:
        raise
    except (ValueError, TypeError):
        raise
    except Exception as exc:  # a backend failure is reported, not raised
        status, starts, backend_bound, msg = "error", None, -math.inf, f"{type(exc).__name__}: {exc}"
    comb = [found[k] for k in ("alone", "area", "chain", "head") if k in found]
    if comb:
        info["combinatorial_bound"] = int(max(comb))
    if status == "infeasible" and horizon_cap is None:
        status, msg = "error", msg + " (reported infeasible although the heuristic schedule is feasible)"
    if starts is None and status in ("feasible", "unknown", "error") and incumbent is not None:
        starts = incumbent                    # never return less than the warm start
        status = "feasible" if status != "error" else status
    schedule = met = value = None
    if starts is not None:
        schedule = Schedule(instance, np.asarray(starts, np.int64), policy=f"exact:{backend}")
        try:
            validation = check_schedule(schedule)
        except ScheduleError as exc:
            return ExactResult("error", None, None, -math.inf, time.perf_counter() - t0, backend, objective,
                               f"{msg}; returned schedule invalid: {exc}", None, info)
        met = metrics(schedule, validation)
        value = met.tct if objective == "tct" else met.makespan
        if incumbent is not None and value > heur.objective:   # a solver may stop on a worse point
            schedule = heur.schedule
            met = metrics(schedule, check_schedule(schedule))
            value = heur.objective
    if math.isfinite(backend_bound) and status != "infeasible":
        backend_bound = float(math.ceil(backend_bound - 1e-6))    # integer objective
        info["backend_bound"] = int(backend_bound)    # what the search proved (blocks: the sum of theirs)
        if "blocks" not in found:
            found[backend] = backend_bound
    roots = {k: v for k, v in found.items() if k != backend}
    bound, method = _best(found) if status != "infeasible" else (backend_bound, backend)
    if status == "optimal":
        if value is None or bound > value + 1e-9:
            status = "error"
            msg += f"; claimed optimal but bound {bound} > objective {value}"
        else:                      # who proved it: a bound found before the search, else the search
            best_root, root_name = _best(roots)
            method = root_name if best_root >= value else backend
            bound = float(value)
    elif status == "feasible" and value is not None and bound >= value:
        status = "optimal"      # the bound proves it
        bound = float(value)
    if math.isfinite(bound) and method:
        info["bound_method"] = method
    return ExactResult(status, schedule, value, bound, time.perf_counter() - t0, backend, objective, msg, met, info)


def with_bound(res: ExactResult, value: float, method: str) -> ExactResult:
    """``res`` with the lower bound ``value`` found by ``method`` (e.g. an LP computed after the solve) if it
    is higher than the reported one: the bound and ``info["bound_method"]`` change, and the status
    becomes ``optimal`` when the bound meets the objective.  Otherwise ``res`` itself."""
    import dataclasses

    if res.status == "infeasible" or not math.isfinite(value) or value <= res.bound:
        return res
    info = dict(res.info, bound_method=method)
    if res.objective is not None and value >= res.objective:
        if res.status != "feasible":
            return res
        return dataclasses.replace(res, status="optimal", bound=float(res.objective), info=info)
    return dataclasses.replace(res, bound=float(value), info=info)


def lp_within(instance: Instance, objective: str, upper: int, seconds: float, probe: bool = False,
              memory_budget: float = MEMORY_BUDGET) -> dict:
    """The root LP bound (and with ``probe`` the probing bound) of ``instance`` over the horizon of a
    schedule of cost ``upper``, computed in the helper process within ``seconds`` (wall clock, killed
    after): ``{"lp": value, "probe": value}`` with what was found in time (``{}`` if the model is over
    ``memory_budget``).  Shifted in time like :func:`solve`."""
    shift = int(instance.a.min())
    delta = instance.n * shift if objective == "tct" else shift
    sub = Instance(instance.memory, instance.s, instance.o, instance.a - shift) if shift else instance
    hz = horizon(sub, objective, upper - delta)
    if estimated_bytes(time_indexed_size(sub.o, sub.a, hz.latest_start), "lp") > memory_budget:
        return {}
    deadline = Deadline(max(0.0, seconds - FINISH_RESERVE))
    got = _worker_lp(sub, objective, upper - delta, None, deadline, probe)
    return {k: v + delta for k, v in got.items() if v is not None and math.isfinite(v)}


def _best(found: dict) -> tuple[float, str]:
    """The largest bound of ``found`` and its name (ties: the first of :data:`BOUND_METHODS`, then the
    backend's)."""
    if not found:
        return -math.inf, ""
    order = {name: k for k, name in enumerate(BOUND_METHODS)}
    best = max(found.values())
    name = min((k for k, v in found.items() if v >= best), key=lambda k: order.get(k, len(order)))
    return float(best), name


def _combinatorial(instance: Instance, objective: str, deadline: Deadline, out: dict) -> None:
    """The cheap bounds into ``out`` by name, cheapest first (so that a Ctrl-C keeps those already
    computed); ``head`` gets at most a quarter of the time left (:func:`.bounds.head_bound`)."""
    out["alone"] = float(alone_bound(instance, objective))
    out["area"] = float(area_bound(instance, objective))
    out["chain"] = float(chain_bound(instance, objective))
    if objective == "tct":
        out["head"] = float(head_bound(instance, objective, deadline=deadline.within(0.25 * deadline.left())))


def _model_solve(instance, backend, objective, deadline, heur, start, horizon_cap, use_lp, probe, budget, options,
                 info, found):
    """The root LP (and probing) and one backend call on the model of ``instance``: ``(status, starts,
    backend bound, message)``."""
    from .formulation import build

    hz = horizon(instance, objective, heur.objective, horizon_cap)
    size = time_indexed_size(instance.o, instance.a, hz.latest_start)
    info.update({"vars": size["columns"], "nonzeros": size["entries"], "horizon": size["horizon"]})
    numbers = (f"{instance.n} requests, horizon {fmt_count(size['horizon'])}: {fmt_count(size['columns'])} start "
               f"variables, {fmt_count(size['entries'])} memory-row entries")
    alternatives = (f"alternatives: the heuristic schedule ({heur.policy}, {objective} {heur.objective:,}) with "
                    f"its lower bound (returned), backend='cpsat' (its completion model does not grow with the "
                    f"token counts), or M, s and o divided by a common factor k (about k^2 fewer entries; an "
                    f"approximation)")
    if use_lp or probe:
        need = estimated_bytes(size, "lp")
        if need > budget:
            info["lp_skipped"] = (f"LP refused: {numbers}, about {fmt_bytes(need)} over the budget of "
                                  f"{fmt_bytes(budget)}")
        else:
            share = deadline.within(0.5 * (deadline.left() - FINISH_RESERVE))
            lp: dict = {}
            try:
                _worker_lp(instance, objective, heur.objective, horizon_cap, share, probe, lp)
            except RuntimeError as exc:          # the LP failed: no bound from it, the search goes on
                info["lp_error"] = str(exc)
            finally:                             # also on Ctrl-C: what the LP reported is kept
                for name, key in (("lp", "lp_bound"), ("probe", "probe_bound")):
                    v = lp.get(name)
                    if v is not None and math.isfinite(v):    # (infeasible under a horizon cap: the backend decides)
                        info[key] = int(math.ceil(v - 1e-6))
                        found[name] = float(info[key])
    if deadline.left() <= FINISH_RESERVE:
        return "feasible", None, -math.inf, "the time limit was reached before the search"
    if backend == "cpsat":
        from .cpsat import solve_cpsat

        forms = options.get("formulation")
        need_arrays = forms is not None and bool({"time", "both"} & ({forms} if isinstance(forms, str) else set(forms)))
        if need_arrays:
            check_budget("the time-indexed CP-SAT model", numbers, estimated_bytes(size, "cpsat-time"), budget,
                         alternatives)
        ti = build(instance, objective, heur.objective, horizon_cap, arrays=need_arrays)
        return solve_cpsat(ti, deadline.left() - FINISH_RESERVE, start, memory_budget=budget,
                           end=deadline.end - FINISH_RESERVE, **options)
    check_budget(f"the time-indexed model for {backend!r}", numbers, estimated_bytes(size, backend), budget,
                 alternatives)
    return _worker_mip(instance, backend, objective, heur.objective, horizon_cap, start, deadline, options)


def _worker_lp(instance, objective, upper, cap, share: Deadline, probe: bool, got: dict | None = None) -> dict:
    """The root LP (and probing) in the helper process until ``share``: ``got`` (returned) gets
    ``"lp"`` and ``"probe"`` as they are reported (so a killed worker or a Ctrl-C keeps them)."""
    from . import worker

    got = {} if got is None else got

    def note(msg):
        got[msg[0]] = max(got.get(msg[0], -math.inf), msg[1])

    end = share.end
    req = {"kind": "lp", "instance": instance, "objective": objective, "upper": upper, "cap": cap, "probe": probe,
           "deadline": time.time() + (end - time.perf_counter()) - min(KILL_GRACE, 0.2 * max(0.0, share.left()))}
    if share.left() <= 0:
        return got
    kind, value = worker.call(req, end, note)
    if kind == "done":
        got.update({k: v for k, v in value.items() if v is not None})
    return got


def _worker_mip(instance, backend, objective, upper, cap, start, deadline: Deadline, options) -> tuple:
    """HiGHS or CBC in the helper process: its outcome, or at the deadline (or Ctrl-C) the best schedule and
    bound it reported before it was killed."""
    from . import worker
    from .mip import cbc_log_bound

    best = {"starts": None, "value": math.inf, "bound": -math.inf}

    def note(msg):
        if msg[0] == "incumbent" and msg[2] < best["value"]:
            best["starts"], best["value"] = np.asarray(msg[1], np.int64), msg[2]
        elif msg[0] == "bound":
            best["bound"] = max(best["bound"], msg[1])

    name = {"highs": "HiGHS", "cbc": "CBC"}[backend]
    end = deadline.end - FINISH_RESERVE
    with tempfile.TemporaryDirectory(prefix="lpsched-cbc-") as tmp:
        log = os.path.join(tmp, "cbc.log")
        req = {"kind": backend, "instance": instance, "objective": objective, "upper": upper, "cap": cap,
               "start": None if start is None else np.asarray(start).tolist(), "options": dict(options),
               "deadline": time.time() + (end - time.perf_counter()) - min(KILL_GRACE, 0.1 * max(0.0, deadline.left())),
               "log_path": log if backend == "cbc" else None}

        def so_far(why):
            bound = best["bound"]
            if backend == "cbc" and os.path.exists(log):
                with open(log, errors="replace") as fh:
                    bound = max(bound, cbc_log_bound(fh.read()))
            return ("feasible" if best["starts"] is not None else "unknown", best["starts"], bound,
                    f"{name}: {why}; the best it reported so far")

        try:
            kind, value = worker.call(req, end, note)
        except KeyboardInterrupt:
            raise Interrupted(so_far("interrupted (its process was killed)")) from None
        except worker.WorkerError as exc:         # a failure: reported, with what it found before it
            return ("error",) + so_far(f"failed ({exc})")[1:]
        if kind == "done":
            return value
        return so_far("stopped at the time limit (its process was killed)")


def _solve_shifted(instance, shift, backend, objective, deadline, warm_start, horizon_cap, root_lp, on_interrupt,
                   decompose, probe, budget, options, given, carried, t0) -> ExactResult:
    """Solve ``instance`` with every arrival ``shift`` earlier and move the result back (see :func:`solve`)."""
    delta = instance.n * shift if objective == "tct" else shift
    sub = Instance(instance.memory, instance.s, instance.o, instance.a - shift, name=instance.name)
    g = None
    if given is not None:
        g = Heuristic(Schedule(sub, given.schedule.start - shift, policy="initial"), given.objective - delta, "initial")
    res = _solve(sub, backend, objective, deadline, warm_start, None if horizon_cap is None else horizon_cap - shift,
                 root_lp, None, on_interrupt, decompose, probe, budget, options, g,
                 carried - delta if math.isfinite(carried) else carried)
    info = dict(res.info)
    for key in _VALUE_KEYS:
        if key in info and info[key] is not None:
            info[key] = info[key] + delta
    info.update({"instance_digest": instance_digest(instance), "horizon_cap": horizon_cap, "time_shift": shift})
    for key in ("horizon",):
        if key in info:
            info[key] = info[key] + shift
    schedule = met = None
    if res.schedule is not None:
        schedule = Schedule(instance, res.schedule.start + shift, policy=res.schedule.policy)
        # the same schedule moved in time: valid iff the shifted one is (checked again, at the run ends
        # when the horizon is long)
        met = metrics(schedule, check_schedule(schedule))
    value = None if res.objective is None else res.objective + delta
    bound = res.bound + delta if math.isfinite(res.bound) else res.bound
    return ExactResult(res.status, schedule, value, bound, time.perf_counter() - t0, backend, objective, res.message,
                       met, info)

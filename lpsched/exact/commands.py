"""CLI: ``lpsched opt`` (exact optimum), ``lpsched jaillet`` (J1/C1 study), ``lpsched reductions`` (W1/W2).

Layer: interface.

Every number is checked at the boundary (:func:`lpsched.commands.int_type`, :func:`~lpsched.commands.float_type`): zero, negative values, NaN,
infinities, booleans and counts of zero are refused with a one-line error naming the argument and the
value (``lpsched opt: error: argument --time-limit: 'nan' must be a finite number > 0``), never a
traceback or a silent default.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from ..commands import float_type, int_type

#: seconds of ``lpsched opt --time-limit`` kept for the bounds and the output after the solve
CLI_RESERVE = 0.1
_SEED = int_type(0, 2 ** 32 - 1)
_COUNT = int_type(1)
_POSITIVE = float_type(0, strict_min=True)


def _instance(args):
    from ..model import Instance
    from .study import jaillet_instance

    if args.instance:
        return Instance.from_json(args.instance)
    if args.jaillet is None:
        raise ValueError("give an instance JSON file or --jaillet N (a Jaillet-style random instance)")
    return jaillet_instance(args.jaillet, args.seed, "poisson" if args.poisson else "zero", args.rate)


def _fmt(v):
    return "-" if v is None or (isinstance(v, float) and not math.isfinite(v)) else (
        f"{v:g}" if isinstance(v, float) else str(v))


def _process_age() -> float:
    """Seconds since this process started (Linux ``/proc``; 0 elsewhere): Python's start and the imports,
    which ``lpsched opt --time-limit`` counts too."""
    import os

    try:
        with open("/proc/self/stat") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def cmd_opt(args) -> int:
    import time

    from . import lp_within, solve, with_bound
    from .lp_bounds import lower_bounds

    # the limit is for the whole command: what Python's start and the imports took is taken off it
    t0 = time.perf_counter() - min(_process_age(), 0.5 * args.time_limit)
    if args.poisson and args.jaillet is None:
        raise ValueError("--poisson applies to --jaillet N only")
    inst = _instance(args)
    opts = {}
    if args.formulation:
        if args.backend != "cpsat":
            raise ValueError("--formulation applies to --backend cpsat only")
        opts["formulation"] = args.formulation[0] if len(args.formulation) == 1 else tuple(args.formulation)
    initial = None
    if args.resume:
        from .result import ExactResult

        try:
            saved = json.loads(Path(args.resume).read_text())
        except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"--resume {args.resume!r}: cannot read a saved result: {exc}") from None
        if not isinstance(saved, dict):
            raise ValueError(f"--resume {args.resume!r}: a saved result is a JSON object (what --save or --json "
                             f"writes), got a JSON {type(saved).__name__}")
        try:
            initial = ExactResult.from_dict(saved, inst)
        except ValueError as exc:
            raise ValueError(f"--resume {args.resume!r}: {exc}") from None
    res = solve(inst, backend=args.backend, objective=args.objective,
                time_limit=max(0.01, args.time_limit - (time.perf_counter() - t0) - CLI_RESERVE),
                warm_start=not args.no_warm_start, initial=initial, decompose=not args.no_decompose,
                root_lp=False if args.no_lp else None, probe=args.probe, memory_budget=args.memory_budget * 1e9,
                **opts)
    # the named bounds: the cheap ones again, the expensive ones as solve() found them, and the root LP
    # (or probing) that solve() did not run (e.g. for a MIP backend) only within the time limit left
    known = {name: res.info[key] for name, key in (("head", "combinatorial_bound"), ("lp", "lp_bound"),
                                                   ("probe", "probe_bound")) if key in res.info}
    left = args.time_limit - (time.perf_counter() - t0)
    wanted = (() if args.no_lp else ("lp",)) + (("probe",) if args.probe else ())
    missing = [w for w in wanted if w not in known]
    if missing and res.objective is not None and not res.info.get("interrupted") and left > 0.05:
        extra = lp_within(inst, args.objective, int(res.objective), left, probe="probe" in missing,
                          memory_budget=args.memory_budget * 1e9)
        known.update({k: int(math.ceil(v - 1e-6)) for k, v in extra.items() if math.isfinite(v)})
    which = ("alone", "area", "chain") + tuple(k for k in ("head", "lp", "probe") if k in known)
    bounds = lower_bounds(inst, args.objective, which, known)
    best = max(which, key=lambda k: (bounds[k], -which.index(k)))
    res = with_bound(res, bounds[best], best)        # the best bound found is the one reported
    out = res.to_dict()
    out["lower_bounds"] = bounds
    out["instance"] = {"n": inst.n, "memory": inst.memory, "name": inst.name}
    if args.save:
        Path(args.save).write_text(json.dumps(out))
    if args.json:
        print(json.dumps(out))
        return 0 if res.status in ("optimal", "feasible", "infeasible") else 1
    print(f"instance: n = {inst.n}, M = {inst.memory}{', ' + inst.name if inst.name else ''}")
    print(f"status: {res.status}   backend: {res.backend}   time: {res.seconds:.2f} s   ({res.message})")
    method = res.info.get("bound_method")
    own = (f"   (the backend's own bound: {res.info['backend_bound']})"
           if "backend_bound" in res.info and method != res.backend else "")
    print(f"{res.objective_name}: {_fmt(res.objective)}   bound: {_fmt(res.bound)}"
          f"{f' ({method})' if method else ''}   gap: {_fmt(res.gap)}{own}")
    print("lower bounds: " + ", ".join(f"{k} = {_fmt(v)}" for k, v in bounds.items()))
    for key in ("lp_skipped", "lp_error"):
        if key in res.info:
            print(f"LP bound: {res.info[key]}")
    print(f"heuristic ({res.info.get('heuristic')}): {res.info.get('heuristic_objective')}")
    if res.schedule is not None:
        m = res.metrics
        print(f"schedule: makespan {m.makespan}, TCT {m.tct}, TEL {m.tel}, peak memory {m.peak_memory}")
        if inst.n <= 40:
            print("start: " + " ".join(str(v) for v in res.schedule.start.tolist()))
    if res.status == "feasible":
        why = "interrupted" if res.info.get("interrupted") else "not proven within the time limit"
        print(f"{why}: " + (f"continue with --resume {args.save}" if args.save else
                             "--save FILE keeps the result, --resume FILE continues from it"))
    return 0 if res.status in ("optimal", "feasible", "infeasible") else 1


def cmd_jaillet(args) -> int:
    from .study import hsf_worst_case, jaillet_study

    out = {}
    for arr in (["zero", "poisson"] if args.arrivals == "both" else [args.arrivals]):
        res = jaillet_study(args.n, args.trials, arr, args.rate, backend=args.backend, time_limit=args.time_limit,
                            seed=args.seed, progress=args.progress and not args.json, out=args.out)
        out[f"J1-{arr}"] = res.to_dict()
        if not args.json:
            print(res.table())
            print()
    if args.c1:
        for homo in (True, False):
            wc = hsf_worst_case(args.c1, homogeneous=homo, seed=args.seed, backend=args.backend,
                                time_limit=args.time_limit, mutations=args.c1)
            out[f"C1-{'homogeneous' if homo else 'heterogeneous'}"] = wc.to_dict()
            if not args.json:
                inst = wc.instance
                print(f"C1 worst H-SF/OPT ({'homogeneous' if homo else 'heterogeneous'} s): {wc.ratio:.4f} "
                      f"(H-SF {wc.hsf_tct}, OPT {wc.opt_tct}) on M = {inst.memory}, s = {inst.s.tolist()}, "
                      f"o = {inst.o.tolist()}; {wc.searched} random instances: mean {wc.mean_ratio:.4f}, "
                      f"H-SF optimal on {wc.optimal_fraction:.0%}")
    if args.json:
        print(json.dumps(out))
    return 0


def cmd_reductions(args) -> int:
    from .reductions import verify

    verdicts = verify(args.claim, args.count, args.seed, args.backend, args.time_limit)
    if args.json:
        print(json.dumps([v.to_dict() for v in verdicts]))
        return 0
    print(f"{'claim':5s} {'construction':12s} {'YES->target':>12s} {'NO->target':>11s}  YES iff target")
    for v in verdicts:
        print(f"{v.claim:5s} {v.construction:12s} {v.yes_reaching_target:>5d}/{v.yes_cases:<6d} "
              f"{v.no_reaching_target:>4d}/{v.no_cases:<6d}  {'holds on every case' if v.holds else 'fails'}")
        if v.counterexample:
            print(f"      counterexample: {v.counterexample}")
    return 0


def add_commands(sub) -> None:
    from . import BACKENDS
    from .horizon import OBJECTIVES

    p = (sub.add_parser("opt", help="exact optimum (MIP / CP-SAT / brute force) with lower bounds"))
    p.add_argument("instance", nargs="?", help="instance JSON file (lpsched.instance/1)")
    p.add_argument("--jaillet", type=int_type(1, 10_000), metavar="N", help="instead: a Jaillet-style random instance of N requests")
    p.add_argument("--seed", type=_SEED, default=0)
    p.add_argument("--poisson", action="store_true", help="with --jaillet: Poisson arrivals")
    p.add_argument("--rate", type=_POSITIVE, default=0.1, help="Poisson arrival rate (per time step)")
    p.add_argument("--backend", choices=sorted(BACKENDS), default="cpsat")
    p.add_argument("--formulation", nargs="+", choices=("completion", "interval", "time", "both"),
                   help="CP-SAT formulation; several race, one thread each (e.g. interval completion)")
    p.add_argument("--objective", choices=OBJECTIVES, default="tct")
    p.add_argument("--time-limit", type=_POSITIVE, default=60.0, help="wall-clock seconds for the whole command "
                   "(Python's start and imports, solve, bounds and output; default 60)")
    p.add_argument("--memory-budget", type=_POSITIVE, default=1.0, metavar="GB",
                   help="refuse a model whose estimated memory exceeds this many GB (default 1; the heuristic "
                   "schedule and its lower bound are returned instead, with the sizes)")
    p.add_argument("--no-warm-start", action="store_true")
    p.add_argument("--no-decompose", action="store_true", help="with arrivals: one model of the whole instance, "
                   "not its no-wait blocks one by one (lpsched.exact.decompose)")
    p.add_argument("--no-lp", action="store_true", help="skip the LP-relaxation bound")
    p.add_argument("--probe", action="store_true", help="also the LP with request probing, within the time limit "
                   "(seconds at n = 12, 1-7 minutes at n = 25; lpsched.exact.lp_bounds.probe_bound)")
    p.add_argument("--save", metavar="FILE", help="also write the result as JSON (what --json prints) to FILE")
    p.add_argument("--resume", metavar="FILE", help="continue from a saved '--json' result of the same instance: "
                   "its schedule is the warm start and its bound is kept")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_opt)

    p = (sub.add_parser("jaillet", help="J1: MC-SF/FCFS/H-SF vs exact OPT on Jaillet's synthetic study; C1"))
    p.add_argument("--n", type=int_type(1, 10_000), default=8, help="requests per trial")
    p.add_argument("--trials", type=_COUNT, default=200)
    p.add_argument("--arrivals", choices=("zero", "poisson", "both"), default="both")
    p.add_argument("--rate", type=_POSITIVE, default=0.1)
    p.add_argument("--backend", choices=sorted(BACKENDS), default="cpsat")
    p.add_argument("--time-limit", type=_POSITIVE, default=60.0, help="wall-clock seconds per exact solve")
    p.add_argument("--seed", type=_SEED, default=0)
    p.add_argument("--out", metavar="FILE", help="trial log (CSV): each exact solve is appended as it finishes and "
                   "a rerun with the same arguments resumes from it")
    p.add_argument("--c1", type=int_type(0), default=0, metavar="SAMPLES", help="also run C1: this many random small instances, then as many mutations of the worst")
    p.add_argument("--progress", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_jaillet)

    p = (sub.add_parser("reductions", help="W1/W2: literal vs corrected NP-hardness constructions, exact check"))
    p.add_argument("--claim", choices=("W1", "W2", "both"), default="both")
    p.add_argument("--count", type=int_type(2, 10_000), default=12, help="instances per claim (half YES, half NO; at least 2)")
    p.add_argument("--seed", type=_SEED, default=0)
    p.add_argument("--backend", choices=sorted(BACKENDS), default="cpsat")
    p.add_argument("--time-limit", type=_POSITIVE, default=30.0, help="wall-clock seconds per exact solve")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_reductions)

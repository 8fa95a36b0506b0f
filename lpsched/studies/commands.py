"""Subcommands ``cr`` (the competitive-ratio eigenproblem) and ``uncertainty`` (C2/C3/C7/C8/T1 runs).

Layer: interface.

Examples (shell)::

    lpsched cr 10                      # value, certificate, time for u = 10
    lpsched cr 200 --lower 100         # on the index set {100, ..., 200}
    lpsched cr --fit 10 100 1000 10000 # fit a ln u + b
    lpsched uncertainty c2                              # quick size: A_max/H-SF, both readings
    lpsched uncertainty c2 --size full --plot c2.png    # the full curves and their figure
    lpsched uncertainty c2 --reading refill batch --nl-nu slides 30 --memory 4010 64160
    lpsched uncertainty c2 --search --size full         # worst A_max/H-SF per reading, with its instance
    lpsched uncertainty c3 --u-over-l 4 8 --s-over-l 0.1 0.01 --m-over-u 25 100 --plot c3.png
    lpsched uncertainty c3 --l 1 --u 2 --memory 1000 4000   # legacy: absolute M on {l..u} (x --scale)
    lpsched uncertainty c8 --n 2000
    lpsched uncertainty c8 --loads 0.5 0.9 1.2 inf --plot c8.png   # C8 as a curve over load
    lpsched uncertainty t1 --n 2000
"""

from __future__ import annotations

import argparse
import json
import math

import pandas as pd

from ..commands import SEED, add_output_args, emit, float_type, int_type

MAX_U = 10 ** 7          # the eigenproblem's index set: 10^6 takes seconds, 10^8 would not fit in memory


def cmd_cr(args: argparse.Namespace) -> int:
    from ..ratio import amax_lower_bound, amax_upper_bound, competitive_ratio, fit_log

    if args.fit:
        if len(set(args.fit)) < 2:
            raise ValueError(f"--fit {' '.join(map(str, args.fit))}: give at least two different u to fit a ln u + b")
        rows = []
        for u in args.fit:
            r = competitive_ratio(u, method=args.method)
            rows.append({"u": u, "value": r.value, "certified": r.certified, "seconds": r.seconds})
        frame = pd.DataFrame(rows).set_index("u")
        f = fit_log(frame.index.to_numpy(), frame["value"].to_numpy())
        emit(args, frame, {"fit": f"value ~ {f.a:.6f} ln u + {f.b:.6f} (max |residual| {f.max_abs_residual:.2e})"})
        return 0
    if args.u is None:
        raise ValueError("give u (or --fit U ...)")
    if args.lower > args.u:
        raise ValueError(f"--lower {args.lower} must be <= u = {args.u}")
    r = competitive_ratio(args.u, lower=args.lower, method=args.method)
    alpha = args.lower / args.u
    frame = pd.DataFrame([{"lower": args.lower, "u": args.u, "value": r.value, "certified": r.certified,
                           "min_x": r.min_entry, "residual": r.residual, "method": r.method,
                           "seconds": r.seconds, "amax_lower": amax_lower_bound(alpha),
                           "amax_upper": amax_upper_bound(alpha)}]).set_index("u")
    if not (args.json or args.csv):              # the table shows the value to 9 digits; JSON/CSV keep the number
        frame["value"] = frame["value"].map(lambda v: f"{v:.9f}")
    emit(args, frame, {"status": r.status})
    return 0 if r.certified else 1


def cmd_uncertainty(args: argparse.Namespace) -> int:
    from . import uncertainty as U

    if args.claim == "c2":
        return cmd_c2(args)
    if args.claim == "c3":
        return cmd_c3(args)
    if args.claim == "c7":
        import numpy as np

        from ..model import Instance
        from ..workloads import lmsys_like

        inst = lmsys_like(args.n, seed=args.seed)
        if args.s is not None or args.memory:        # the claim's model: one prompt size (and a chosen M)
            inst = Instance(args.memory[0] if args.memory else inst.memory,
                            np.full(inst.n, args.s) if args.s is not None else inst.s, inst.o, name=inst.name)
        emit(args, U.bucketed_amin(inst, [10, 50, 100, 200, 400], range(args.seeds)).set_index("width"),
             {"instance": repr(inst)})
    elif args.claim == "c8":
        return cmd_c8(args)
    else:
        if len(args.sigma) > 2:
            raise ValueError(f"--sigma takes one spread or two (LO HI), got {len(args.sigma)}: "
                             f"{' '.join(map(str, args.sigma))}")
        if len(args.sigma) == 2 and args.sigma[0] > args.sigma[1]:
            raise ValueError(f"--sigma LO HI needs LO <= HI, got {args.sigma[0]} > {args.sigma[1]}")
        sigma = tuple(args.sigma) if len(args.sigma) == 2 else args.sigma[0]
        inst = U.logt_workload(args.n, args.memory[0] if args.memory else 8192, seed=args.seed,
                               error=args.error, rate=args.rate, sigma=sigma)
        emit(args, U.tie_table(inst), {"instance": repr(inst)})
    return 0


def _preset(args: argparse.Namespace, claim: str) -> list[dict]:
    """The ``--size`` preset of a claim: its parts (:data:`lpsched.studies.uncertainty.SIZES`)."""
    from . import uncertainty as U

    return [dict(part) for part in U.SIZES[claim][args.size]]


def _pick(value, preset: dict, key: str, default=None):
    """An explicit argument, else the preset's value, else ``default``."""
    return value if value is not None else preset.get(key, default)


def _nl_nu(values):
    out = []
    for text in values:
        if str(text).lower() in ("slides", "none"):
            out.append(None)
            continue
        try:
            x = float(text)
        except ValueError:
            raise ValueError(f"--nl-nu {text!r} is not a number (or 'slides' for alpha^-1/2)") from None
        if not (math.isfinite(x) and x >= 0):
            raise ValueError(f"--nl-nu {text!r} must be a finite number >= 0")
        out.append(x)
    return out


def _savefig(draw, frame, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = draw(frame, path=path)
    plt.close(fig)


def _curve_out(args: argparse.Namespace, frame, meta: dict, figure: str, index: list[str]) -> bool:
    """Draw ``--plot`` with ``lpsched.plotting.<figure>`` and emit ``--json``/``--csv``; True when the
    caller should print its own table instead."""
    if args.plot:
        from .. import plotting

        _savefig(getattr(plotting, figure), frame, args.plot)
        meta["plot"] = args.plot
    if args.json or args.csv:
        emit(args, frame.set_index(index), meta)
        return False
    return True


def cmd_c2(args: argparse.Namespace) -> int:
    """C2: A_max/H-SF under both readings (:func:`lpsched.studies.uncertainty.c2_curve`), or with
    ``--search`` the worst instance found per reading (:func:`~lpsched.studies.uncertainty.c2_search`)."""
    from ..ratio import amax_lower_bound, amax_upper_bound
    from . import uncertainty as U

    if args.search:
        pre = _preset(args, "c2_search")[0]
        if args.memory and len(args.memory) != 1:
            raise ValueError(f"c2 --search takes one --memory M, got --memory {' '.join(map(str, args.memory))}")
        if args.plot:
            raise ValueError("--plot draws the c2 curves: drop --search")
        memory = args.memory[0] if args.memory else pre["memory"]
        l, u = _pick(args.l, pre, "l"), _pick(args.u, pre, "u")
        opts = {k: pre[k] for k in ("ratios", "middles", "step") if k in pre}
        if args.l is not None or args.u is not None:
            opts.pop("middles", None)               # the preset's middle lengths belong to its interval
        if args.nl_nu:
            opts["ratios"] = [math.sqrt(u / l) if r is None else r for r in _nl_nu(args.nl_nu)]
        ties = args.ties if args.ties is not None else ("random", "adversarial")
        res = U.c2_search(memory, l=l, u=u, s=_pick(args.s, pre, "s"),
                          readings=args.reading or U.READINGS, ties=ties,
                          batches=_pick(args.batches, pre, "batches"),
                          seeds=range(args.seeds) if args.seeds is not None else pre["seeds"], **opts)
        worst = res.worst.drop(columns=["seed_list"])
        meta = {"evaluated": len(res.table), "rebuild": {r: res.params(r) for r in res.worst.index},
                "note": "a CR is a sup: the worst ratio found is a lower estimate of CR(A_max) under each reading"}
        if args.json:
            meta["table"] = json.loads(res.table.drop(columns=["seed_list"]).to_json(orient="records"))
        emit(args, worst, meta)
        return 0
    pre = _preset(args, "c2")[0]
    l, u = _pick(args.l, pre, "l"), _pick(args.u, pre, "u")
    frame = U.c2_curve(args.memory or pre["memories"], l=l, u=u, s=_pick(args.s, pre, "s"),
                       readings=args.reading or U.READINGS,
                       nl_over_nu=_nl_nu(args.nl_nu) if args.nl_nu else pre.get("nl_over_nu"),
                       ties=_pick(args.ties, pre, "ties"), batches=_pick(args.batches, pre, "batches"),
                       seeds=range(args.seeds) if args.seeds is not None else pre["seeds"])
    meta = {"interval": f"[{l}, {u}]", "alpha": l / u, "claimed_lower": amax_lower_bound(l / u),
            "claimed_upper": amax_upper_bound(l / u),
            "batch_fluid": {f"{r:g}": U.batch_fluid_ratio(l / u, r) for r in dict.fromkeys(frame.nl_over_nu_target)}}
    if _curve_out(args, frame, meta, "c2_figure", ["nl_over_nu_target", "M", "reading", "tie"]):
        wide = frame.pivot_table(index=["nl_over_nu_target", "M", "n"], columns=["reading", "tie"], values="ratio",
                                 sort=False)
        wide.columns = [f"{r}/{t}" for r, t in wide.columns]
        emit(args, wide, {k: v for k, v in meta.items() if k != "batch_fluid"} |
             {"batch_fluid (by N_l/N_u)": ", ".join(f"{k}: {v:.3f}" for k, v in meta["batch_fluid"].items())})
    return 0


def cmd_c3(args: argparse.Namespace) -> int:
    """C3: A_min/H-SF on the maximiser instance (:func:`lpsched.studies.uncertainty.c3_curve`); with
    ``--memory`` (absolute sizes) the legacy :func:`~lpsched.studies.uncertainty.curve` on ``{l..u}``."""
    from ..ratio import competitive_ratio
    from . import uncertainty as U

    if args.memory is not None:                     # legacy form: --l --u --memory [--scale]
        if args.plot:
            raise ValueError("--plot draws the c3 curves over --m-over-u: drop --memory")
        l, u = args.l if args.l is not None else 1, args.u if args.u is not None else 2
        frame = U.curve("eigen", "amin", args.memory, l=l, u=u, s=args.s or 1,
                        ties=args.ties or ("random", "index", "adversarial"), batches=args.batches or 20.0,
                        seeds=range(args.seeds if args.seeds is not None else 3), scale=args.scale or 1)
        emit(args, frame.set_index("M"), {"value": competitive_ratio(u, lower=l).value})
        return 0
    parts = _preset(args, "c3")
    if any(v is not None for v in (args.m_over_u, args.u_over_l, args.s_over_l, args.ties, args.u)):
        parts = parts[:1]                           # an explicit grid replaces the preset's several parts
    frames = []
    for pre in parts:
        l = _pick(args.l, pre, "l")
        q = args.u_over_l
        if q is None and args.u is not None:
            if args.u % l:
                raise ValueError(f"--u {args.u} must be a multiple of --l {l} (or give --u-over-l)")
            q = [args.u // l]
        frames.append(U.c3_curve(args.m_over_u or pre["memory_over_u"], l=l, u_over_l=q or pre["u_over_l"],
                                 s_over_l=args.s_over_l or pre["s_over_l"], ties=_pick(args.ties, pre, "ties"),
                                 batches=_pick(args.batches, pre, "batches"),
                                 seeds=range(args.seeds) if args.seeds is not None else pre["seeds"],
                                 order=args.order))
    frame = pd.concat(frames, ignore_index=True)
    meta = {"quotient on {l..u}": {f"u/l = {k}": v for k, v in frame.groupby("u_over_l").quotient.first().items()},
            "quotient on {1..u/l}": {f"u/l = {k}": v for k, v in frame.groupby("u_over_l").quotient_1.first().items()}}
    if _curve_out(args, frame, meta, "c3_figure", ["u_over_l", "s_over_l", "M_over_u", "tie"]):
        keys = ["u_over_l", "s_over_l", "M_over_u", "n"]
        wide = frame.pivot_table(index=keys, columns="tie", values="ratio", sort=False)
        share = frame.pivot_table(index=keys, columns="tie", values="memtime_share", sort=False)
        wide.columns = [f"ratio/{c}" for c in wide.columns]
        for c in share.columns:
            wide[f"discarded/{c}"] = share[c]
        wide["quotient"] = frame.groupby(keys, sort=False).quotient.first()
        emit(args, wide, {k: ", ".join(f"{a}: {b:.4f}" for a, b in v.items()) for k, v in meta.items() if k != "plot"}
             | ({"plot": meta["plot"]} if "plot" in meta else {}))
    return 0


def cmd_c8(args: argparse.Namespace) -> int:
    """C8: the settings table at one arrival process (default, all at 0), or with ``--loads`` the curve
    over load (:func:`lpsched.studies.load.load_curve`) with its verdict and optionally a ``--plot``."""
    from ..traces import load_azure
    from ..workloads import lmsys_like
    from . import load as L
    from . import uncertainty as U

    if args.memory is not None and len(args.memory) != 1:
        raise ValueError(f"c8 takes one --memory M, got --memory {' '.join(map(str, args.memory))}")
    M = args.memory[0] if args.memory else 16492
    inst = load_azure("conv", memory=M, limit=args.n) if args.trace else lmsys_like(args.n, M, seed=args.seed)
    if args.loads is None:
        if args.plot:
            raise ValueError("--plot draws the curve over load: give --loads too")
        emit(args, U.prediction_settings_table(inst, seed=args.seed), {"instance": repr(inst)})
        return 0
    own = "trace" in [x.lower() for x in args.loads]
    values = []
    for text in args.loads:
        if text.lower() == "trace":
            continue
        try:
            values.append(float(text))
        except ValueError:
            raise ValueError(f"--loads {text!r} is not a number (give loads > 0, inf = all at 0, "
                             f"trace = the trace's own arrival times)") from None
    if own and not args.trace:
        raise ValueError("--loads trace (the trace's own arrival times) needs --trace")
    loads = L.check_loads(values, "--loads", allow_empty=own)
    frame = L.load_curve(inst, loads, seed=args.seed, include_all_at_zero=False, own_arrivals=own)
    v = L.verdict(frame)
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        from ..plotting import load_ratio_figure

        load_ratio_figure(frame, path=args.plot)
    meta = {"instance": repr(inst), "capacity_requests_per_step": L.capacity(inst),
            "verdict": v.summary(), "thresholds": v.thresholds,
            "verdict_rows": json.loads(v.table.to_json(orient="records")),
            "note": "load = arrival rate / capacity; load null (inf) = all requests at 0"}
    if args.plot:
        meta["plot"] = args.plot
    if args.json or args.csv:
        emit(args, frame.set_index(["arrivals", "load", "setting", "policy"]), meta)
    else:
        wide = frame.pivot_table(index=["arrivals", "load", "setting"], columns="policy", values="ratio",
                                 sort=False)
        wide.columns = [f"{c}/hsf" for c in wide.columns]
        wide["hsf_mean_latency"] = frame.groupby(["arrivals", "load", "setting"], sort=False).hsf_mean_latency.first()
        emit(args, wide, {k: meta[k] for k in ("instance", "capacity_requests_per_step", "verdict", "plot")
                          if k in meta})
    return 0


_UNCERTAINTY_EPILOG = """\
c2: TEL(A_max) / TEL(H-SF (stop)) on N_l requests of length l and N_u of length u (interval [l, u], prompt s, all
    at 0), for each reading of A_max: refill = admit a largest feasible set at every step (the default
    policy), batch = start requests only when nothing runs.  Claimed: alpha^-1 (1 + alpha^-1/2) / 2 <=
    CR(A_max) <= alpha^-1 (1 + alpha^-1) / 2 + O(1/M).  --search: worst two-/three-length instance found.
c3: TEL(A_min) / TEL(H-SF (stop)) on the maximiser instance of x'Ax / x'Bx on {l..u}, for each u/l, s/l and M/u,
    with the quotient on {l..u} (the claimed CR) and the discarded work (evicted / useful memory-time).
--size quick (seconds) or full (about 0.5 min c2, 1 min c2 --search, 5 min c3) fills the options not given.

examples:
  lpsched uncertainty c2 --size full --plot c2.png
  lpsched uncertainty c2 --reading batch --nl-nu slides 30 --memory 4010 64160 --batches 80
  lpsched uncertainty c2 --search --size full --json
  lpsched uncertainty c3 --u-over-l 4 8 --s-over-l 0.1 0.01 --m-over-u 25 100 --plot c3.png
"""


def add_commands(sub) -> None:
    p = sub.add_parser("cr", help="A_min competitive-ratio eigenproblem max x'Ax / x'Bx (claims C3-C5)")
    p.add_argument("u", type=int_type(1, MAX_U), nargs="?", help="upper end of the index set")
    p.add_argument("--lower", type=int_type(1, MAX_U), default=1, help="lower end of the index set (default 1)")
    p.add_argument("--method", choices=["auto", "dense", "lanczos"], default="auto")
    p.add_argument("--fit", type=int_type(1, MAX_U), nargs="+", metavar="U", help="compute at these u and fit a ln u + b")
    add_output_args(p)
    p.set_defaults(func=cmd_cr)

    q = sub.add_parser("uncertainty", help="prediction-uncertainty experiments (C2, C3, C7, C8, T1)",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=_UNCERTAINTY_EPILOG)
    q.add_argument("claim", choices=["c2", "c3", "c7", "c8", "t1"])
    q.add_argument("--size", choices=["quick", "full"], default="quick",
                   help="c2/c3: preset for every c2/c3 option not given (SIZES in lpsched.studies.uncertainty; "
                        "quick: seconds, full: the paper's curves)")
    q.add_argument("--l", type=int_type(1, 10 ** 6), default=None,
                   help="c2: shortest output l (tokens; preset 100); c3: smallest index (preset 20)")
    q.add_argument("--u", type=int_type(1, 10 ** 6), default=None, help="c2: longest output u (tokens; preset 400); "
                                                       "c3: largest index (= --l times --u-over-l)")
    q.add_argument("--s", type=int_type(1, 10 ** 6), default=None, help="c2: prompt size (tokens; preset 1); c7: one prompt size "
                   "for every request (default: the LMSYS-like prompts)")
    q.add_argument("--scale", type=int_type(1, 10 ** 4), default=None, help="legacy c3 (--memory): multiply every length by this")
    q.add_argument("--memory", type=int_type(2, 10 ** 8), nargs="+", default=None,
                   help="c2: memory sizes M (tokens); legacy c3: absolute M on {l..u}; t1, c8: M")
    q.add_argument("--reading", nargs="+", choices=["refill", "batch"], default=None,
                   help="c2: A_max readings (default both): refill = admit at every step, batch = admit only "
                        "when nothing runs")
    q.add_argument("--nl-nu", nargs="+", default=None, metavar="X",
                   help="c2: N_l/N_u values, a number or 'slides' (= alpha^-1/2); preset: slides 30. "
                        "With --search: the two-length ratios searched")
    q.add_argument("--search", action="store_true",
                   help="c2: search two- and three-length families for the largest A_max/H-SF per reading")
    q.add_argument("--u-over-l", type=int_type(1, 10 ** 4), nargs="+", default=None, metavar="Q", help="c3: u/l values (preset 4)")
    q.add_argument("--s-over-l", type=float_type(0, 10 ** 3, strict_min=True), nargs="+", default=None, metavar="X", help="c3: s/l values (preset 0.01)")
    q.add_argument("--m-over-u", type=float_type(0, 10 ** 4, strict_min=True), nargs="+", default=None, metavar="X",
                   help="c3: memory sizes in units of the longest output u (preset 10 40)")
    q.add_argument("--order", choices=["sorted", "reversed", "shuffled"], default="sorted",
                   help="c3: request order (matters for index ties)")
    q.add_argument("--ties", nargs="+", default=None, choices=["random", "index", "adversarial"],
                   help="c2/c3 tie rules (random: mean over --seeds)")
    q.add_argument("--batches", type=float_type(0, 10 ** 4, strict_min=True), default=None,
                   help="c2: about this many A_max batches; c3: about this many memories' worth of requests")
    q.add_argument("--seeds", type=int_type(1, 10 ** 4), default=None, help="seeds for random ties (c2, c3, c7; default 3 for c7)")
    q.add_argument("--seed", type=SEED, default=0)
    q.add_argument("--n", type=int_type(1, 10 ** 7), default=2000)
    q.add_argument("--trace", action="store_true", help="c8: the Azure conversation trace instead of LMSYS-like")
    q.add_argument("--loads", nargs="+", default=None, metavar="LOAD",
                   help="c8: curve over load -- Poisson arrival rates as fractions of the fluid capacity "
                        "M / E[memory-time] (each > 0), inf = all at 0, trace = the trace's own arrival times "
                        "(with --trace); e.g. --loads 0.5 0.9 1.2 inf")
    q.add_argument("--plot", default=None, metavar="FILE.png",
                   help="c2, c3, c8 with --loads: draw the figure to this file")
    q.add_argument("--error", type=float_type(0), default=0.3, help="t1: error of the predicted mu")
    q.add_argument("--rate", type=float_type(0, strict_min=True), default=None, help="t1: Poisson arrival rate (default all at 0)")
    q.add_argument("--sigma", type=float_type(0, strict_min=True), nargs="+", default=[0.8],
                   help="t1: log-t spread, or LO HI for per-request spreads uniform in [LO, HI]")
    add_output_args(q)
    q.set_defaults(func=_uncertainty_defaults)


def _uncertainty_defaults(args: argparse.Namespace) -> int:
    if args.seeds is None and args.claim == "c7":
        args.seeds = 3
    return cmd_uncertainty(args)

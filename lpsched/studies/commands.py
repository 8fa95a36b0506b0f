"""Subcommands ``cr`` (the competitive-ratio eigenproblem) and ``uncertainty`` (C2/C3/C7/C8/T1 runs).

Examples (shell)::

    lpsched cr 10                      # value, certificate, time for u = 10
    lpsched cr 200 --lower 100         # on the index set {100, ..., 200}
    lpsched cr --fit 10 100 1000 10000 # fit a ln u + b
    lpsched uncertainty c3 --l 1 --u 2 --memory 1000 4000
    lpsched uncertainty c8 --n 2000
    lpsched uncertainty t1 --n 2000
"""

from __future__ import annotations

import argparse

import pandas as pd

from ..commands import add_output_args, emit


def cmd_cr(args: argparse.Namespace) -> int:
    from ..ratio import amax_lower_bound, amax_upper_bound, competitive_ratio, fit_log

    if args.fit:
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
    r = competitive_ratio(args.u, lower=args.lower, method=args.method)
    alpha = args.lower / args.u
    frame = pd.DataFrame([{"lower": args.lower, "u": args.u, "value": f"{r.value:.9f}", "certified": r.certified,
                           "min_x": r.min_entry, "residual": r.residual, "method": r.method,
                           "seconds": r.seconds, "amax_lower": amax_lower_bound(alpha),
                           "amax_upper": amax_upper_bound(alpha)}]).set_index("u")
    emit(args, frame, {"status": r.status})
    return 0 if r.certified else 1


def cmd_uncertainty(args: argparse.Namespace) -> int:
    from . import uncertainty as U

    if args.claim in ("c2", "c3"):
        family, policy = ("amax_lower", "amax") if args.claim == "c2" else ("eigen", "amin")
        frame = U.curve(family, policy, args.memory, l=args.l, u=args.u, s=args.s, ties=args.ties,
                        batches=args.batches, seeds=range(args.seeds), scale=args.scale)
        from ..ratio import amax_lower_bound, amax_upper_bound, competitive_ratio

        meta = {"value": competitive_ratio(args.u, lower=args.l).value} if args.claim == "c3" else \
            {"formula_lower": amax_lower_bound(args.l / args.u), "formula_upper": amax_upper_bound(args.l / args.u)}
        emit(args, frame.set_index("M"), meta)
    elif args.claim == "c7":
        from ..workloads import lmsys_like

        inst = lmsys_like(args.n, seed=args.seed)
        emit(args, U.bucketed_amin(inst, [10, 25, 50, 100, 200, 400], range(args.seeds)).set_index("width"))
    elif args.claim == "c8":
        from ..traces import load_azure
        from ..workloads import lmsys_like

        inst = load_azure("conv", limit=args.n) if args.trace else lmsys_like(args.n, seed=args.seed)
        emit(args, U.prediction_settings_table(inst, seed=args.seed), {"instance": repr(inst)})
    else:
        sigma = tuple(args.sigma) if len(args.sigma) == 2 else args.sigma[0]
        inst = U.logt_workload(args.n, args.memory[0] if args.memory else 8192, seed=args.seed,
                               error=args.error, rate=args.rate, sigma=sigma)
        emit(args, U.tie_table(inst), {"instance": repr(inst)})
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("cr", help="A_min competitive-ratio eigenproblem max x'Ax / x'Bx (claims C3-C5)")
    p.add_argument("u", type=int, nargs="?", help="upper end of the index set")
    p.add_argument("--lower", type=int, default=1, help="lower end of the index set (default 1)")
    p.add_argument("--method", choices=["auto", "dense", "lanczos"], default="auto")
    p.add_argument("--fit", type=int, nargs="+", metavar="U", help="compute at these u and fit a ln u + b")
    add_output_args(p)
    p.set_defaults(func=cmd_cr)

    q = sub.add_parser("uncertainty", help="prediction-uncertainty experiments (C2, C3, C7, C8, T1)")
    q.add_argument("claim", choices=["c2", "c3", "c7", "c8", "t1"])
    q.add_argument("--l", type=int, default=1)
    q.add_argument("--u", type=int, default=2)
    q.add_argument("--s", type=int, default=1, help="prompt size (c2/c3)")
    q.add_argument("--scale", type=int, default=1, help="multiply every length by this (c3)")
    q.add_argument("--memory", type=int, nargs="+", default=None, help="memory sizes (c2/c3) or M (t1)")
    q.add_argument("--ties", nargs="+", default=["random", "index", "adversarial"])
    q.add_argument("--batches", type=float, default=20.0)
    q.add_argument("--seeds", type=int, default=3)
    q.add_argument("--seed", type=int, default=0)
    q.add_argument("--n", type=int, default=2000)
    q.add_argument("--trace", action="store_true", help="c8: the Azure conversation trace instead of LMSYS-like")
    q.add_argument("--error", type=float, default=0.3, help="t1: error of the predicted mu")
    q.add_argument("--rate", type=float, default=None, help="t1: Poisson arrival rate (default all at 0)")
    q.add_argument("--sigma", type=float, nargs="+", default=[0.8],
                   help="t1: log-t spread, or LO HI for per-request spreads uniform in [LO, HI]")
    add_output_args(q)
    q.set_defaults(func=_uncertainty_defaults)


def _uncertainty_defaults(args: argparse.Namespace) -> int:
    if args.memory is None and args.claim in ("c2", "c3"):
        args.memory = [200, 1000]
    return cmd_uncertainty(args)

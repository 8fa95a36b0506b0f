"""Sorted-F subcommands: ``sortedf-select`` (one selection) and ``sortedf-study`` (W3–W6, the W5 chain, mixed workload).

Layer: interface.

Examples (shell)::

    lpsched sortedf-select --workload mixed --n 500 --memory 8192 --selector local_swap
    lpsched sortedf-study w3 --M 16,64,256,1024,4096
    lpsched sortedf-study w3 --M 64,256,1024,4096,10000 --counts quarter
    lpsched sortedf-study chain --trials 30      # every inequality of the 48 chain (W5.1-W5.3)
    lpsched sortedf-study w6 --trials 100
"""

from __future__ import annotations

import argparse

import pandas as pd

from ..commands import SEED, add_instance_args, add_output_args, emit, float_type, instance_from_args, int_type
from ..workloads import MAX_REQUESTS
from . import studies
from .chain import chain_algebra, chain_instances, chain_study
from .selection import select, selectors

COUNTS = {"literal": lambda M: (M, round(M ** 1.5)),          # the slide: M type 1, M^1.5 type 2
          "quarter": lambda M: (M, round(M ** 1.25)),         # the Theta(M^1/4) family
          "best": lambda M: (M, round(M ** 1.25 / 6 ** 0.5))}  # its best constant (w3_best_constant)


def _ints(text: str) -> list[int]:
    """Comma-separated memories, each an integer in [2, 10^6]."""
    one = int_type(2, 10 ** 6)
    vals = [one(x) for x in text.split(",") if x.strip()]
    if not vals:
        raise argparse.ArgumentTypeError(f"{text!r} gives no integer")
    return vals


def cmd_select(args: argparse.Namespace) -> int:
    inst = instance_from_args(args)
    opts = {}
    if args.selector in ("scaled_dp", "memory_grid_dp"):
        opts["eps"] = args.eps
    if args.selector == "quantile_greedy":
        opts["seed"] = args.seed
    r = select(inst, selector=args.selector, **opts)
    frame = pd.DataFrame([{"selector": r.selector, "size": r.size, "sum_o": r.sum_o, "F": r.F,
                           "status": r.status, "seconds": r.seconds}]).set_index("selector")
    emit(args, frame, {"instance": inst.name, "n": inst.n, "memory": inst.memory, "guarantee": r.guarantee})
    return 0


def cmd_study(args: argparse.Namespace) -> int:
    meta = {}
    if args.study == "w3":
        Ms = args.M or [16, 64, 256, 1024]
        for M in Ms:
            n1, n2 = COUNTS[args.counts](M)
            if n1 + n2 > MAX_REQUESTS:
                raise ValueError(f"--M {M}: the {args.counts} counts give {n1 + n2:,} requests, over {MAX_REQUESTS:,}")
        df = studies.w3_simulate(Ms, counts=COUNTS[args.counts])
        for col in ("sf/type2_first", "sf/sorted_f", "sf/best"):
            if len(Ms) >= 2:
                meta[f"exponent {col}"] = round(studies.fit_exponent(df.M, df[col]), 4)
        df = df.set_index("M")
    elif args.study == "w3-search":
        df = studies.w3_count_search((args.M or [1024])[0]).set_index("M").head(10)
    elif args.study == "w4":
        df = studies.w4_exchange_bruteforce()
        meta = {"cases": len(df), "rule picks a best order": int(df.rule_ok.sum()),
                "two-batch formula exact": int(df.formula_exact.sum()), **studies.w4_exchange_sympy()}
        df = df[~df.rule_ok].head(10).set_index("M")
    elif args.study == "w5":
        worst, inst, ratios = studies.w5_ratio_search(trials=args.trials, seed=args.seed)
        meta = {"worst Sorted-F/OPT": round(worst, 4), "mean": round(float(ratios.mean()), 4),
                "worst instance": inst.to_json()}
        df = pd.DataFrame({"ratio": ratios}).describe()
    elif args.study == "chain":
        df = chain_study(chain_instances(args.trials, seed=args.seed))
        meta = {"instances": len(df), "F-optimal batches": int(df.batches.sum()),
                "max TCT(ALG)/TCT(sep) (<= 1)": round(float(df["alg/sep"].max()), 4),
                "max TCT(sep)/TCT(group) (<= 4)": round(float(df["sep/group"].max()), 4),
                "max TCT(group)/TCT(align) (<= 2)": round(float(df["group/align"].max()), 4),
                "least slack of (5) mean >= n/(2n-1) o_max": round(float(df["(5)_slack"].min()), 4)}
        df = df.set_index("name")
    elif args.study == "w6":
        df, worst = studies.w6_guarantees(trials=args.trials, seed=args.seed, eps=args.eps)
        df = df.set_index("selector")
        meta = {f"worst {k}": f"ratio {v[0]:.4f}: s={v[1]} o={v[2]} M={v[3]}" if len(v[1]) <= 12 else
                f"ratio {v[0]:.4f} (n = {len(v[1])}, M = {v[3]})" for k, v in worst.items()}
    elif args.study == "mixed":
        df = studies.mixed_experiment(n=args.n or 300, memories=args.M or (4096, 8192, 16492), seed=args.seed)
        df = df.set_index(["M", "policy"])
    else:  # algebra
        meta = {**{f"w3 {k}": str(v) for k, v in studies.w3_slide_algebra().items()},
                **{f"w5 {step} {k}": str(v) for step, d in chain_algebra().items() if isinstance(d, dict)
                   for k, v in d.items()}}
        df = pd.DataFrame({"claim": ["W3 slide ratio / sqrt(M)", "W3 exact-sum ratio"],
                           "limit as M -> oo": [meta["w3 limit_slide_over_sqrtM"],
                                                meta["w3 limit_exact"]]}).set_index("claim")
    emit(args, df, meta)
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("sortedf-select", help="solve one Sorted-F selection subproblem")
    add_instance_args(p)
    p.add_argument("--selector", choices=selectors(), default="exact_dp")
    p.add_argument("--eps", type=float_type(0, 10, strict_min=True), default=0.1,
                   help="scaled_dp accuracy F <= (1+eps) F*, memory_grid_dp memory slack (default 0.1)")
    add_output_args(p)
    p.set_defaults(func=cmd_select, default_n=200)

    p = sub.add_parser("sortedf-study", help="Sorted-F theory checks W3-W6 and the mixed-workload experiment")
    p.add_argument("study", choices=["w3", "w3-search", "w4", "w5", "chain", "w6", "mixed", "algebra"])
    p.add_argument("--M", type=_ints, default=None, help="memories (comma-separated)")
    p.add_argument("--counts", choices=sorted(COUNTS), default="literal", help="W3 counts (default literal)")
    p.add_argument("--trials", type=int_type(1, 10 ** 5), default=100)
    p.add_argument("--n", type=int_type(1, 10 ** 6), default=None, help="requests (mixed)")
    p.add_argument("--seed", type=SEED, default=0)
    p.add_argument("--eps", type=float_type(0, 10, strict_min=True), default=0.1, help="W6: eps of scaled_dp and memory_grid_dp (default 0.1)")
    add_output_args(p)
    p.set_defaults(func=cmd_study)

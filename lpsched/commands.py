"""Foundation subcommands: ``simulate``, ``compare``, ``trace``, ``sweep``, ``adversary``, ``verify``.

Other command modules reuse :func:`add_instance_args` / :func:`instance_from_args` (where the requests
come from) and :func:`emit` (table, ``--json`` or ``--csv`` output).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import traces, workloads
from .model import Instance
from .policies import available
from .runner import compare, simulate



def add_instance_args(p: argparse.ArgumentParser, default_n: int = 200) -> None:
    """Arguments that say which instance to build: a trace/instance file or a seeded workload."""
    src = p.add_argument_group("instance")
    src.add_argument("--trace", help="bundled trace (conv, code, arxiv) or a CSV/JSONL/instance-JSON file")
    src.add_argument("--workload", choices=sorted(workloads.GENERATORS), default="lmsys",
                     help="synthetic workload when no --trace is given (default: lmsys)")
    src.add_argument("--n", type=int, default=None,
                     help=f"number of requests (workload, default {default_n}) or the first n of a trace (default all)")
    p.set_defaults(default_n=default_n)
    src.add_argument("--memory", "-M", type=int, default=None, help="KV-cache size M in tokens (default 16492; uniform: U[30,50])")
    src.add_argument("--seed", type=int, default=0, help="seed of the workload and of random tie-breaking")
    src.add_argument("--arrival-rate", type=float, default=None,
                     help="Poisson arrivals with this many requests per step (default: all at 0, or the trace's times)")
    src.add_argument("--steps-per-second", type=float, default=100.0,
                     help="decoding steps per wall-clock second when a trace has timestamps (default 100)")


def instance_from_args(args: argparse.Namespace) -> Instance:
    if args.trace:
        inst = traces.load(args.trace, memory=args.memory or traces.DEFAULT_MEMORY,
                           limit=args.n, steps_per_second=args.steps_per_second)
    else:
        inst = workloads.generate(args.workload, args.n or args.default_n, args.memory, args.seed)
    if args.arrival_rate is not None:
        inst = workloads.with_arrivals(inst, workloads.poisson_arrivals(inst.n, args.arrival_rate, args.seed + 1))
    return inst


def add_output_args(p: argparse.ArgumentParser) -> None:
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    out.add_argument("--csv", action="store_true", help="CSV on stdout")


def emit(args: argparse.Namespace, frame, meta: dict[str, Any] | None = None) -> None:
    """Print a DataFrame as a table, JSON (records plus ``meta``) or CSV."""
    if args.json:
        json.dump({**(meta or {}), "rows": json.loads(frame.reset_index().to_json(orient="records"))},
                  sys.stdout, indent=2)
        print()
    elif args.csv:
        frame.to_csv(sys.stdout)
    else:
        for key, val in (meta or {}).items():
            print(f"{key}: {val}")
        with _pd_options():
            print(frame.to_string(float_format=lambda x: f"{x:,.3f}"))


def _pd_options():
    import pandas as pd

    return pd.option_context("display.width", 200, "display.max_columns", 30)


def _policy_list(text: str) -> list[str]:
    names = [x.strip() for x in text.split(",") if x.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one policy name")
    return names


def cmd_simulate(args: argparse.Namespace) -> int:
    inst = instance_from_args(args)
    res = simulate(inst, args.policy, engine=args.engine, seed=args.seed, progress=not (args.json or args.csv))
    import pandas as pd

    frame = pd.DataFrame([res.to_dict()]).set_index("policy")
    emit(args, frame, {"instance": repr(inst)})
    if args.schedule_out:
        res.schedule.to_frame().to_csv(args.schedule_out, index_label="request")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    inst = instance_from_args(args)
    from .sortedf.policy import affordable_selector

    frame = compare(inst, args.policies or available(), engine=args.engine, seed=args.seed,
                    progress=not (args.json or args.csv), options={"sorted_f": affordable_selector(inst)})
    emit(args, frame, {"instance": repr(inst)})
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    inst = traces.load(args.file, memory=args.memory, steps_per_second=args.steps_per_second)
    summary = traces.summarize(inst)
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
        return 0
    print(f"trace: {summary['name']}  requests: {summary['requests']}  memory M: {summary['memory']}")
    print(f"arrivals span {summary['arrival_span_steps']} steps; rate {summary['arrival_rate_per_step']} per step")
    print(f"largest s + o is {summary['s_plus_o_max_over_M']:.3f} of M")
    print(f"{'':8}" + "".join(f"{k:>12}" for k in summary["prompt"]))
    for name in ("prompt", "output"):
        print(f"{name:8}" + "".join(f"{v:12,.1f}" for v in summary[name].values()))
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("simulate", help="run one policy and print its metrics")
    p.add_argument("--policy", "-p", default="mcsf", help=f"one of: {', '.join(available())}")
    p.add_argument("--engine", choices=["fast", "reference"], default="fast")
    p.add_argument("--schedule-out", help="also write the per-request schedule to this CSV file")
    add_instance_args(p)
    add_output_args(p)
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("compare", help="run several policies side by side on one instance")
    p.add_argument("--policies", "-p", type=_policy_list, default=None,
                   help="comma-separated policy names (default: every registered policy; one that cannot run "
                        "on the instance, e.g. for lack of predictions, gets a row with the reason)")
    p.add_argument("--engine", choices=["fast", "reference"], default="fast")
    add_instance_args(p)
    add_output_args(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("trace", help="summary statistics of a trace file")
    p.add_argument("file", help="bundled trace name (conv, code, arxiv) or a file")
    p.add_argument("--memory", "-M", type=int, default=traces.DEFAULT_MEMORY)
    p.add_argument("--steps-per-second", type=float, default=100.0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_trace)

    add_sweep_command(sub)
    add_adversary_command(sub)
    add_verify_command(sub)


def cmd_sweep(args: argparse.Namespace) -> int:
    from .sweep import load_config, run_sweep

    summary = run_sweep(load_config(args.config), args.out, backend=args.backend, n_jobs=args.jobs,
                        scheduler=args.scheduler, progress=not args.json)
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        print()
    else:
        print(f"{summary['cells']} cells: {summary['already_done']} already in {args.out}, "
              f"{summary['computed']} computed ({summary['errors']} with errors) in {summary['seconds']:.1f} s")
    return 0


def add_sweep_command(sub) -> None:
    p = sub.add_parser("sweep", help="run a resumable grid of simulations (joblib or Dask)")
    p.add_argument("config", help="JSON file: axis -> list (policy, workload, n, memory, arrival_rate, prediction, seed)")
    p.add_argument("--out", required=True, help="results CSV; rows already there are not recomputed")
    p.add_argument("--backend", choices=["serial", "joblib", "dask"], default="joblib")
    p.add_argument("--jobs", type=int, default=2, help="parallel workers (joblib processes or local Dask workers)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address (default: a local cluster)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sweep)


def _key_value(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    key, val = text.split("=", 1)
    try:
        return key, json.loads(val)
    except json.JSONDecodeError:
        return key, val


def cmd_adversary(args: argparse.Namespace) -> int:
    from .adversary import search

    res = search(args.policy, family=args.family, benchmark=args.benchmark, iterations=args.iterations,
                 restarts=args.restarts, seed=args.seed, time_budget=args.time_budget,
                 progress=not args.json, **dict(args.param or []))
    if args.out:
        res.to_json(args.out)
    if args.json:
        print(res.to_json())
        return 0
    print(f"policy {res.policy} vs {res.benchmark} on family {res.family}: worst ratio {res.ratio:.4f} "
          f"after {res.evaluations} instances ({res.seconds:.1f} s)")
    for f in res.worst:
        print(f"  ratio {f.ratio:.4f}  n = {f.instance.n}  M = {f.instance.memory}  params {_short(f.params)}")
    if args.out:
        print(f"certificates written to {args.out}")
    return 0


def _short(params: dict) -> str:
    return json.dumps({k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in params.items()})


def add_adversary_command(sub) -> None:
    from .adversary import BENCHMARKS, FAMILIES

    p = sub.add_parser("adversary", help="search instances that maximise policy / benchmark")
    p.add_argument("--policy", "-p", required=True)
    p.add_argument("--family", choices=sorted(FAMILIES), default="random")
    p.add_argument("--benchmark", choices=sorted(BENCHMARKS), default="best_known")
    p.add_argument("--iterations", type=int, default=200)
    p.add_argument("--restarts", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--time-budget", type=float, default=None, help="stop after this many seconds")
    p.add_argument("--param", type=_key_value, action="append",
                   help="family option KEY=VALUE (random: n, memory, smax, online; two_type: memory, max_requests; "
                        "interval: memory, lower, upper, s, max_requests)")
    p.add_argument("--out", help="write the worst instances with their certificates (JSON)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_adversary)


def cmd_verify(args: argparse.Namespace) -> int:
    import importlib

    from .claims import REGISTRY, legend, load_builtin, run
    from .claims.certificates import export
    from .verify import to_json, to_markdown, to_table, update_readme

    load_builtin()
    for module in args.claims or []:           # a user's claims: a module that registers them on import
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ValueError(f"--claims {module}: cannot import it ({exc})") from None
    ids = [x.strip() for x in args.only.split(",") if x.strip()] if args.only else None
    if args.only is not None and not ids:
        raise ValueError(f"--only {args.only!r} names no claim id")
    quiet = args.json or args.markdown or args.update_readme
    say = None if quiet else (lambda cid: print(f"  checking {cid} ...", file=sys.stderr))
    results = run(ids, full=args.full, progress=say, recheck=True if args.recheck else None)
    if args.certificates:
        paths = export(results, args.certificates)
        print(f"{len(paths)} certificates written to {args.certificates}", file=sys.stderr)
    if args.update_readme:
        changed = update_readme(args.update_readme, to_markdown(results))
        print(f"{args.update_readme}: results section {'updated' if changed else 'unchanged'}", file=sys.stderr)
    elif args.json:
        print(to_json(results))
    elif args.markdown:
        print(to_markdown(results), end="")
    else:
        print(legend())
        print()
        print(to_table(results))
        total = sum(r.seconds for r in results)
        print(f"{len(results)} of {len(REGISTRY)} claims checked in {total:.1f} s ({'full' if args.full else 'quick'} size)")
    return 0


def add_verify_command(sub) -> None:
    p = sub.add_parser("verify", help="check every claim of the seeds and print verdicts with evidence")
    p.add_argument("--full", action="store_true", help="the larger versions of each check")
    p.add_argument("--only", help="comma-separated claim ids (and what they depend on)")
    p.add_argument("--claims", action="append", metavar="MODULE",
                   help="import MODULE first (it registers claims of your own with lpsched.claims.claim); repeatable")
    p.add_argument("--certificates", metavar="DIR", help="write every certificate as DIR/<id>-<k>.json")
    p.add_argument("--recheck", action="store_true", help="re-validate every certificate through the reference "
                   "engine and an exact solver (by default only those of at most 10,000 requests; --full: all)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="every field, with derivations and certificates")
    out.add_argument("--markdown", action="store_true", help="the README's Results section")
    out.add_argument("--update-readme", metavar="FILE", help="rewrite FILE's section between "
                     "<!-- verify:begin --> and <!-- verify:end -->")
    p.set_defaults(func=cmd_verify)

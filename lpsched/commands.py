"""Foundation subcommands: ``simulate``, ``compare``, ``trace``, ``sweep``, ``adversary``, ``verify``.

Layer: interface.

Other command modules reuse :func:`add_instance_args` / :func:`instance_from_args` (where the requests
come from), :func:`emit` (table, ``--json`` or ``--csv`` output) and the argument types below, which check
every number at the boundary: :func:`int_type` and :func:`float_type` refuse booleans, NaN, infinities
and values outside their range with a one-line error naming the argument and the value.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from typing import Any, Callable

from . import traces, workloads
from .model import Instance
from .policies import available
from .runner import compare, simulate

MAX_INT = 2 ** 53          # integers above this lose exactness in floats and overflow int64 sums


# ----------------------------------------------------------------------------------------------- argument types
def int_type(minimum: int | None = None, maximum: int | None = MAX_INT, what: str = "an integer") -> Callable[[str], int]:
    """An argparse ``type``: an integer in ``[minimum, maximum]`` (``"1e3"``, ``"true"``, ``"nan"`` refused).

    >>> int_type(1)("3")
    3
    >>> int_type(1)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: '0' must be an integer >= 1
    """
    need = what + ("" if minimum is None else f" >= {minimum}") + (
        "" if maximum is None or maximum == MAX_INT else f" and <= {maximum:,}")

    def parse(text: str) -> int:
        try:
            value = int(str(text).strip(), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {need}") from None
        if minimum is not None and value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be {need}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"{text!r} must be {need}" if maximum != MAX_INT
                                             else f"{text!r} is too large (over 2^53)")
        return value

    parse.__name__ = "integer"
    return parse


def float_type(minimum: float | None = None, maximum: float | None = None, *, strict_min: bool = False,
               strict_max: bool = False, allow_inf: bool = False) -> Callable[[str], float]:
    """An argparse ``type``: a finite number in a range (``strict_*``: the bound itself excluded).

    >>> float_type(0, strict_min=True)("0.5")
    0.5
    >>> float_type(0, strict_min=True)("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 'nan' must be a finite number > 0
    """
    parts = []
    if minimum is not None:
        parts.append(f"{'>' if strict_min else '>='} {minimum:g}")
    if maximum is not None:
        parts.append(f"{'<' if strict_max else '<='} {maximum:g}")
    need = f"a {'' if allow_inf else 'finite '}number" + (f" {' and '.join(parts)}" if parts else "")

    def parse(text: str) -> float:
        try:
            value = float(str(text).strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {need}") from None
        if math.isnan(value) or (math.isinf(value) and not allow_inf):
            raise argparse.ArgumentTypeError(f"{text!r} must be {need}")
        if minimum is not None and (value < minimum or (strict_min and value == minimum)):
            raise argparse.ArgumentTypeError(f"{text!r} must be {need}")
        if maximum is not None and (value > maximum or (strict_max and value == maximum)):
            raise argparse.ArgumentTypeError(f"{text!r} must be {need}")
        return value

    parse.__name__ = "number"
    return parse


def memory_type(text: str) -> int | str:
    """``--memory``: an integer ``>= 2`` or ``auto`` (the smallest M that keeps every request of a trace)."""
    try:
        return traces.parse_memory(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is neither an integer >= 2 (at most 2^53) nor 'auto'") from None


SEED = int_type(0, 2 ** 32 - 1)
COUNT = int_type(1)


def positive_ints(text: str) -> list[int]:
    """Comma-separated integers, each ``>= 1``."""
    vals = []
    for item in str(text).split(","):
        if item.strip():
            vals.append(COUNT(item))
    if not vals:
        raise argparse.ArgumentTypeError(f"{text!r} gives no integer")
    return vals


def interval_spec(text: str) -> str:
    """``--intervals``: ``rough``, ``buckets``, ``buckets:WIDTH`` or ``overlap:X`` (checked)."""
    from .predictions import parse_spec

    try:
        parts = parse_spec(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if len(parts) != 1 or parts[0][0] not in ("rough", "buckets", "overlap"):
        raise argparse.ArgumentTypeError(f"{text!r} is not one interval kind: rough, buckets[:WIDTH], overlap:X")
    return str(text).strip()


# ----------------------------------------------------------------------------------------------- instances
def add_instance_args(p: argparse.ArgumentParser, default_n: int = 200, predictions: bool = False) -> None:
    """Arguments that say which instance to build: a trace/instance file or a seeded workload.

    ``predictions=True`` adds ``--intervals``, ``--point`` and ``--logt`` (see :func:`add_prediction_args`).
    """
    src = p.add_argument_group("instance")
    src.add_argument("--trace", help="bundled trace (conv, code, arxiv), an instance JSON file, or a CSV/JSONL trace "
                     "(Azure 2023/2024, Mooncake, BurstGPT, vidur and ShareGPT-style files are recognised by their "
                     "columns; others need --columns)")
    src.add_argument("--workload", choices=sorted(workloads.GENERATORS), default="lmsys",
                     help="synthetic workload when no --trace is given (default: lmsys)")
    src.add_argument("--n", type=int_type(1, workloads.MAX_REQUESTS), default=None,
                     help=f"number of requests (workload, default {default_n}) or the first n rows of a trace (default all)")
    p.set_defaults(default_n=default_n)
    src.add_argument("--memory", "-M", type=memory_type, default=None,
                     help="KV-cache size M in tokens (default 16492; uniform: U[30,50]); with --trace also 'auto': "
                          "the smallest M that keeps every request")
    src.add_argument("--seed", type=SEED, default=0, help="seed of the workload, the predictions and random tie-breaking")
    src.add_argument("--arrival-rate", type=float_type(0, strict_min=True), default=None,
                     help="Poisson arrivals with this many requests per step (default: all at 0, or the trace's times)")
    tr = p.add_argument_group("trace reading")
    tr.add_argument("--columns", default=None, metavar="prompt=COL,output=COL[,arrival=COL]",
                    help="the trace's columns for prompt tokens, output tokens and arrival time (needed for a "
                         "format that is not recognised)")
    tr.add_argument("--time-unit", choices=sorted(traces.TIME_UNITS), default=None,
                    help="unit of numeric arrival times (default: the format's; s for other files; step: already "
                         "in decoding steps)")
    tr.add_argument("--steps-per-second", type=float_type(0, strict_min=True), default=100.0,
                    help="decoding steps per wall-clock second (default 100, a 10 ms step)")
    tr.add_argument("--drop-oversize", action="store_true",
                    help="drop (and count) requests with s + o > M instead of failing")
    tr.add_argument("--drop-zero", action="store_true",
                    help="drop (and count) rows with 0 prompt or 0 output tokens (BurstGPT's failed requests)")
    if predictions:
        add_prediction_args(p)


def add_prediction_args(p: argparse.ArgumentParser) -> None:
    """``--intervals``, ``--point``, ``--logt``: predictions attached from the true ``o`` (seeded by ``--seed``)."""
    g = p.add_argument_group("predictions (for amin, amax, sf_point, tie; seeded by --seed)")
    g.add_argument("--intervals", type=interval_spec, default=None, metavar="rough|buckets[:W]|overlap:X",
                   help="interval predictions: rough = [1, max(1000, max o)], buckets of width W (default 100) "
                        "around o, overlap:X = [(1-X) o, (1+X) o] with 0 <= X < 1")
    g.add_argument("--point", type=float_type(0), default=None, metavar="SPREAD",
                   help="point predictions o * exp(SPREAD * Z), Z ~ N(0, 1)")
    g.add_argument("--logt", type=float_type(0, strict_min=True), default=None, metavar="SIGMA",
                   help="calibrated log-t predictions with scale SIGMA > 0")


def prediction_spec(args: argparse.Namespace) -> str:
    """The spec (:func:`lpsched.predictions.parse_spec`) the prediction options name; ``"none"`` for none."""
    parts = []
    if getattr(args, "intervals", None):
        parts.append(args.intervals)
    if getattr(args, "point", None) is not None:
        parts.append(f"point:{args.point!r}")
    if getattr(args, "logt", None) is not None:
        parts.append(f"logt:{args.logt!r}")
    return "+".join(parts) or "none"


def read_instance(args: argparse.Namespace) -> tuple[Instance, dict[str, Any]]:
    """The instance the arguments name, and what to report about it (trace reading, predictions)."""
    meta: dict[str, Any] = {}
    trace_only = [f"--{k.replace('_', '-')}" for k in ("columns", "time_unit", "drop_oversize", "drop_zero")
                  if getattr(args, k, None)]
    if args.trace:
        t = traces.read(args.trace, memory=args.memory if args.memory is not None else traces.DEFAULT_MEMORY,
                        limit=args.n, steps_per_second=args.steps_per_second, time_unit=args.time_unit,
                        columns=args.columns, drop_oversize=args.drop_oversize, drop_zero=args.drop_zero)
        inst = t.instance
        meta["trace"] = t.describe()
    else:
        if trace_only:
            raise ValueError(f"{', '.join(trace_only)} apply to --trace only")
        if args.memory == "auto":
            raise ValueError("--memory auto needs --trace (a workload's M is an input of the generator)")
        inst = workloads.generate(args.workload, args.n or args.default_n, args.memory, args.seed)
    if args.arrival_rate is not None:
        inst = workloads.with_arrivals(inst, workloads.poisson_arrivals(inst.n, args.arrival_rate, args.seed + 1))
    return inst, meta


def instance_from_args(args: argparse.Namespace) -> Instance:
    """The instance the arguments name (see :func:`read_instance`)."""
    return read_instance(args)[0]


def with_cli_predictions(inst: Instance, args: argparse.Namespace, defaults: bool) -> tuple[Instance, str]:
    """``inst`` with the predictions of ``--intervals/--point/--logt``; with ``defaults`` also the default of
    each kind not given (:data:`lpsched.predictions.DEFAULT_SPEC`).  Returns the instance and a sentence
    saying which predictions it carries."""
    from .predictions import attach, complete_spec, describe_spec

    spec = prediction_spec(args)
    added: list[str] = []
    if defaults:
        spec, added = complete_spec(spec, inst)
    if spec == "none":
        return inst, "none"
    inst = attach(inst, spec, args.seed)
    text = f"{describe_spec(spec)} (seed {args.seed})"
    if added:
        text += f"; defaults used for {', '.join(added)} (set them with --intervals, --point, --logt)"
    return inst, text


# ----------------------------------------------------------------------------------------------- output
def add_output_args(p: argparse.ArgumentParser) -> None:
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    out.add_argument("--csv", action="store_true", help="CSV on stdout")


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data: numpy and sympy numbers become numbers (exact integers stay integers,
    other sympy expressions their string), NaN and infinities ``None``, unknown objects their string."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    try:
        import numpy as np

        if isinstance(value, np.generic):
            return jsonable(value.item())
        if isinstance(value, np.ndarray):
            return jsonable(value.tolist())
    except ImportError:  # pragma: no cover
        pass
    mod = type(value).__module__ or ""
    if mod.startswith("sympy"):
        try:
            if getattr(value, "is_Integer", False):
                return int(value)
            if getattr(value, "is_number", False) and getattr(value, "is_real", False):
                return {"value": float(value), "exact": str(value)}
        except (TypeError, ValueError):
            pass
        return str(value)
    return str(value)


def dumps(data: Any) -> str:
    """Strict JSON text of ``data`` (through :func:`jsonable`): never NaN, never a partial document."""
    return json.dumps(jsonable(data), indent=2, allow_nan=False)


def emit(args: argparse.Namespace, frame, meta: dict[str, Any] | None = None) -> None:
    """Print a DataFrame as a table, JSON (records plus ``meta``) or CSV.

    The JSON document is built whole before anything is written, so an error never leaves half of one.
    """
    if getattr(args, "json", False):
        rows = json.loads(frame.reset_index().to_json(orient="records", double_precision=15))
        sys.stdout.write(dumps({**(meta or {}), "rows": rows}) + "\n")
    elif getattr(args, "csv", False):
        frame.to_csv(sys.stdout)
    else:
        for key, val in (meta or {}).items():
            print(f"{key}: {val}")
        with _pd_options():
            print(frame.to_string(float_format=lambda x: f"{x:,.3f}"))


def _pd_options():
    import pandas as pd

    return pd.option_context("display.width", 200, "display.max_columns", 30)


def show_progress(args: argparse.Namespace) -> bool:
    """Progress bars only for a person watching: stderr is a terminal and the output is not machine-read."""
    quiet = getattr(args, "json", False) or getattr(args, "csv", False)
    return (not quiet) and sys.stderr.isatty()


def _policy_list(text: str) -> list[str]:
    """Comma-separated policy names; a comma inside brackets belongs to a name (``sorted_f[offline,local_swap]``)."""
    names = [x.strip() for x in re.split(r",(?![^\[]*\])", text) if x.strip()]
    if not names:
        raise argparse.ArgumentTypeError("give at least one policy name")
    return names


# ----------------------------------------------------------------------------------------------- simulate, compare
def cmd_simulate(args: argparse.Namespace) -> int:
    from .policies import make_policy

    make_policy(args.policy)                      # an unknown name fails before the instance is built
    inst, meta = read_instance(args)
    inst, said = with_cli_predictions(inst, args, defaults=_needs_predictions(args.policy))
    meta["predictions"] = said
    res = simulate(inst, args.policy, engine=args.engine, seed=args.seed, progress=show_progress(args))
    import pandas as pd

    frame = pd.DataFrame([res.to_dict()]).set_index("policy")
    emit(args, frame, {"instance": repr(inst), **meta})
    if args.schedule_out:
        res.schedule.to_frame().to_csv(args.schedule_out, index_label="request")
    return 0


_PREDICTION_POLICIES = ("amin", "amax", "sf_point", "tie")


def _needs_predictions(policy: str) -> bool:
    return policy in _PREDICTION_POLICIES


def cmd_compare(args: argparse.Namespace) -> int:
    from .policies import make_policy
    from .sortedf.policy import affordable_selector

    names = args.policies or available()
    for name in names:
        make_policy(name)
    inst, meta = read_instance(args)
    inst, said = with_cli_predictions(inst, args, defaults=True)
    meta["predictions"] = said
    frame = compare(inst, names, engine=args.engine, seed=args.seed, progress=show_progress(args),
                    options={"sorted_f": affordable_selector(inst)})
    same = _aliases(frame)
    if same:
        meta["identical results"] = same
    emit(args, frame, {"instance": repr(inst), **meta})
    return 0


def _aliases(frame) -> str:
    """Groups of policies whose metrics are identical on this instance (e.g. ``hsf = mcsf = sf``)."""
    cols = [c for c in ("tct", "tel", "makespan", "evictions", "wasted_tokens", "peak_memory") if c in frame]
    if not cols or "error" in frame and frame["error"].notna().all():
        return ""
    groups: dict[tuple, list[str]] = {}
    for name, row in frame[cols].iterrows():
        if row.isna().any():
            continue
        groups.setdefault(tuple(row.tolist()), []).append(str(name))
    return "; ".join(" = ".join(g) for g in groups.values() if len(g) > 1)


# ----------------------------------------------------------------------------------------------- trace
def cmd_trace(args: argparse.Namespace) -> int:
    t = traces.read(args.file, memory=args.memory, limit=args.n, steps_per_second=args.steps_per_second,
                    time_unit=args.time_unit, columns=args.columns, drop_oversize=args.drop_oversize,
                    drop_zero=args.drop_zero)
    summary = {**traces.summarize(t.instance), "reading": t.to_dict()}
    if args.json:
        sys.stdout.write(dumps(summary) + "\n")
        return 0
    print(t.describe())
    print(f"trace: {summary['name']}  requests: {summary['requests']}  memory M: {summary['memory']}")
    rate = summary["arrival_rate_per_step"]
    print(f"arrivals span {summary['arrival_span_steps']} steps; rate "
          f"{'-' if rate is None else f'{rate:.6g}'} per step")
    print(f"largest s + o is {summary['s_plus_o_max_over_M']:.3f} of M")
    print(f"{'':8}" + "".join(f"{k:>12}" for k in summary["prompt"]))
    for name in ("prompt", "output"):
        print(f"{name:8}" + "".join(f"{v:12,.1f}" for v in summary[name].values()))
    return 0


def add_commands(sub) -> None:
    p = sub.add_parser("simulate", help="run one policy and print its metrics")
    p.add_argument("--policy", "-p", default="mcsf", help=f"one of: {', '.join(available())}; options in brackets, e.g. hsf[skip], sorted_f[offline]")
    p.add_argument("--engine", choices=["fast", "reference"], default="fast")
    p.add_argument("--schedule-out", help="also write the per-request schedule to this CSV file")
    add_instance_args(p, predictions=True)
    add_output_args(p)
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("compare", help="run several policies side by side on one instance")
    p.add_argument("--policies", "-p", type=_policy_list, default=None,
                   help="comma-separated policy names, options in brackets as results name them (hsf[skip], "
                        "sorted_f[offline]; default: every registered policy; predictions are attached for those "
                        "that need them, defaults for any not given, and said in the output)")
    p.add_argument("--engine", choices=["fast", "reference"], default="fast")
    add_instance_args(p, predictions=True)
    add_output_args(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("trace", help="summary statistics of a trace file")
    p.add_argument("file", help="bundled trace name (conv, code, arxiv) or a file (CSV, JSONL, instance JSON)")
    p.add_argument("--memory", "-M", type=memory_type, default=traces.DEFAULT_MEMORY,
                   help="M in tokens or 'auto' (the smallest M that keeps every request)")
    p.add_argument("--n", type=COUNT, default=None, help="the first n rows only")
    p.add_argument("--columns", default=None, metavar="prompt=COL,output=COL[,arrival=COL]")
    p.add_argument("--time-unit", choices=sorted(traces.TIME_UNITS), default=None)
    p.add_argument("--steps-per-second", type=float_type(0, strict_min=True), default=100.0)
    p.add_argument("--drop-oversize", action="store_true")
    p.add_argument("--drop-zero", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_trace)

    add_sweep_command(sub)
    add_adversary_command(sub)
    add_verify_command(sub)


# ----------------------------------------------------------------------------------------------- sweep
def cmd_sweep(args: argparse.Namespace) -> int:
    from .sweep import load_config, run_sweep, with_predictions

    config = with_predictions(load_config(args.config), None if prediction_spec(args) == "none" else prediction_spec(args))
    summary = run_sweep(config, args.out, backend=args.backend, n_jobs=args.jobs,
                        scheduler=args.scheduler, progress=show_progress(args))
    if args.json:
        sys.stdout.write(dumps(summary) + "\n")
    else:
        print(f"{summary['cells']} cells: {summary['already_done']} already in {args.out}, "
              f"{summary['computed']} computed ({summary['errors']} with errors) in {summary['seconds']:.1f} s")
    return 0


def add_sweep_command(sub) -> None:
    p = sub.add_parser("sweep", help="run a resumable grid of simulations (joblib or Dask)")
    p.add_argument("config", help="JSON object: axis -> list (policy, workload, n, memory, arrival_rate, prediction, seed)")
    p.add_argument("--out", required=True, help="results CSV; rows already there are not recomputed")
    p.add_argument("--backend", choices=["serial", "joblib", "dask"], default="joblib")
    p.add_argument("--jobs", type=int_type(1, 1024), default=2, help="parallel workers (joblib processes or local Dask workers)")
    p.add_argument("--scheduler", default=None, help="Dask scheduler address (default: a local cluster)")
    add_prediction_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sweep, seed=0)


# ----------------------------------------------------------------------------------------------- adversary
def _key_value(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    key, val = text.split("=", 1)
    if not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key.strip(), json.loads(val)
    except (json.JSONDecodeError, RecursionError):
        return key.strip(), val


def cmd_adversary(args: argparse.Namespace) -> int:
    from .adversary import check_family_options, search
    from .policies import make_policy

    make_policy(args.policy)
    options = check_family_options(args.family, dict(args.param or []))
    res = search(args.policy, family=args.family, benchmark=args.benchmark, iterations=args.iterations,
                 restarts=args.restarts, seed=args.seed, time_budget=args.time_budget,
                 progress=show_progress(args), **options)
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
    p.add_argument("--iterations", type=int_type(1, 10 ** 7), default=200)
    p.add_argument("--restarts", type=int_type(1, 10 ** 6), default=5)
    p.add_argument("--seed", type=SEED, default=0)
    p.add_argument("--time-budget", type=float_type(0, strict_min=True), default=None, help="stop after this many seconds")
    p.add_argument("--param", type=_key_value, action="append",
                   help="family option KEY=VALUE (random: n, memory, smax, online; two_type: memory, max_requests; "
                        "interval: memory, lower, upper, s, max_requests)")
    p.add_argument("--out", help="write the worst instances with their certificates (JSON)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_adversary)


# ----------------------------------------------------------------------------------------------- verify
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

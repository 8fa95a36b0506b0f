"""``make demo``: every policy on the bundled Azure conversation trace with M = 16492.

Layer: interface.

Writes ``metrics.csv`` and ``demo.png`` to ``--out`` and prints the table.  M = 16492 is the KV budget of
Llama-2-70B on two A100s in the MC-SF experiments (Jaillet et al., arXiv 2502.07115).  The policies that do
not know ``o`` get the predictions of :data:`lpsched.predictions.DEFAULT_SPEC` (bucket intervals of width
100, point estimates with log-normal spread 0.5, calibrated log-t with sigma 0.8; seed 0).

Policies that produce the same schedule on this trace (``hsf``, ``mcsf`` and ``sf`` are one rule when the
true ``o`` is known; ``priority`` without priorities is ``fcfs``) are found by comparing their schedules,
shown once in the figure under all their names and marked in the table (``same_as``).

The figure: one small panel per distinct schedule with the KV-cache tokens held over the trace's time
(mean per bin, the bin's min-max shaded; dashed: M), all on the same axes; below, the empirical CDF of the
end-to-end latency of each, in seconds (100 decoding steps per second), with the legend outside the axes.

Examples (shell)::

    python -m lpsched.demo --out out/demo              # the whole trace (about 25 s)
    python -m lpsched.demo --out /tmp/d --limit 2000   # its first 2,000 requests
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def distinct(results) -> list[list]:
    """Group results whose schedules are identical (same starts and evicted runs), in input order.

    >>> from lpsched import Instance, simulate
    >>> inst = Instance(6, [2, 2, 2, 2], [3, 1, 2, 1])
    >>> [[r.policy for r in g] for g in distinct([simulate(inst, p) for p in ("hsf", "mcsf", "fcfs")])]
    [['hsf', 'mcsf'], ['fcfs']]
    """
    import numpy as np

    groups: list[list] = []
    for res in results:
        for g in groups:
            a, b = g[0].schedule, res.schedule
            if np.array_equal(a.start, b.start) and np.array_equal(a.evictions, b.evictions):
                g.append(res)
                break
        else:
            groups.append([res])
    return groups


ORDER = ("hsf", "mcsf", "sf", "fcfs", "priority", "sorted_f", "vllm", "amax", "amin", "sf_point", "tie")


def _rank(group) -> tuple:
    """Panels in reading order: the clairvoyant rules (benchmark H-SF first), vLLM, then those using predictions."""
    name = group[0].policy.split("[")[0]
    return (ORDER.index(name) if name in ORDER else len(ORDER), name)


def figure(groups, inst, steps_per_second: float, path: Path, title: str | None = None):
    """The demo figure: memory small multiples and the latency CDF (see the module docstring)."""
    import matplotlib.pyplot as plt
    import numpy as np

    from . import plotting

    groups = sorted(groups, key=_rank)
    k = len(groups)
    cols = min(4, k)
    rows = -(-k // cols)
    fig = plt.figure(figsize=(3.1 * cols + 2.2, 2.0 * rows + 3.6), layout="constrained")
    grid = fig.add_gridspec(rows + 1, cols, height_ratios=[1.0] * rows + [1.7])
    minutes = 60.0 * steps_per_second
    end = max(int(g[0].schedule.completion.max()) for g in groups) / minutes
    axes = []
    for j, g in enumerate(groups):
        ax = fig.add_subplot(grid[j // cols, j % cols], sharex=axes[0] if axes else None,
                             sharey=axes[0] if axes else None)
        axes.append(ax)
        res = g[0]
        color = plotting.policy_style(res.policy)[0]
        plotting.memory_profile(res.schedule, ax=ax, max_points=400, color=color, time_scale=minutes, band=True)
        ax.set_title(" = ".join(r.policy for r in g), fontsize=10, color=color, fontweight="bold")
        ax.text(0.98, 0.06, f"mean latency {res.metrics.mean_latency / steps_per_second:,.1f} s",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=8,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5})
        ax.set_xlim(0, end * 1.01)
        ax.set_ylim(0, inst.memory * 1.12)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v / 1000:g}"))
        first_col, last_row = j % cols == 0, j + cols >= k
        ax.set_ylabel("KV cache held\n(10$^3$ tokens)" if first_col else "")
        ax.set_xlabel("trace time (min)" if last_row else "")
        ax.tick_params(labelleft=first_col, labelbottom=last_row, labelsize=8)
        if j == 0:
            ax.text(0.02, inst.memory * 1.02, f"M = {inst.memory:,}", transform=ax.get_yaxis_transform(),
                    fontsize=8, va="bottom")
    cdf = fig.add_subplot(grid[rows, :])
    plotting.latency_cdf([g[0].schedule for g in groups], ax=cdf, labels=[" = ".join(r.policy for r in g) for g in groups],
                         time_scale=steps_per_second, unit=f"s; {steps_per_second:g} steps per second",
                         legend="outside")
    lat = np.concatenate([g[0].schedule.completion - inst.a for g in groups]) / steps_per_second
    cdf.set_xlim(max(lat.min(), 1e-2) / 1.5, lat.max() * 1.5)
    cdf.set_title("end-to-end latency of each request", fontsize=10)
    fig.suptitle(f"Every policy on {title or inst.name} ({inst.n:,} requests, M = {inst.memory:,} tokens)",
                 fontsize=12)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    from .commands import int_type, memory_type

    parser.add_argument("--out", default="out/demo", help="output folder")
    parser.add_argument("--trace", default="conv", help="bundled trace or trace file (default conv)")
    parser.add_argument("--memory", type=memory_type, default=16492, help="M in tokens, or auto")
    parser.add_argument("--limit", type=int_type(1), default=None, help="first N requests only")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from . import traces
    from .model import InstanceError
    from .policies import available
    from .predictions import DEFAULT_SPEC, attach, describe_spec
    from .runner import simulate
    from .sortedf.policy import affordable_selector

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        t = traces.read(args.trace, memory=args.memory, limit=args.limit)
    except (ValueError, OSError) as exc:
        print(f"lpsched.demo: error: {exc}", file=sys.stderr)
        return 2
    inst = attach(t.instance, DEFAULT_SPEC, seed=0)
    print(t.describe())
    print(f"predictions for the policies that do not know o: {describe_spec(DEFAULT_SPEC)} (seed 0)")
    rows, results = [], []
    # Sorted-F plans online, over the requests that have arrived (sorted_f[offline] plans over all of them
    # and starts nothing for the first hour); on a trace this size its selector is local swap (the exact
    # DP is for a few hundred requests)
    options = {"sorted_f": affordable_selector(inst)}
    progress = sys.stderr.isatty()
    for name in available():
        try:
            res = simulate(inst, name, progress=progress, **options.get(name, {}))
        except InstanceError as exc:  # a policy that cannot run on this instance: a row saying why
            rows.append({"policy": name, "error": str(exc)})
            continue
        results.append(res)
        rows.append(res.to_dict())
    groups = distinct(results)
    same = {r.policy: g[0].policy for g in groups for r in g[1:]}
    for row in rows:
        row["same_as"] = same.get(row["policy"], "")
    table = pd.DataFrame(rows).set_index("policy")
    cols = [c for c in ("same_as", "mean_latency", "per_token_latency_mean", "per_token_latency_p90", "makespan",
                        "evictions", "wasted_tokens", "peak_memory", "seconds", "error") if c in table]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table[cols].to_string(float_format=lambda x: f"{x:,.2f}"))
    table.to_csv(out / "metrics.csv")
    if same:
        print("identical schedules: " + "; ".join(" = ".join(r.policy for r in g) for g in groups if len(g) > 1))
    title = {"conv": "the Azure conversation trace", "code": "the Azure code trace"}.get(args.trace)
    figure(groups, inst, t.steps_per_second, out / "demo.png", title)
    print(f"wrote {out / 'metrics.csv'} and {out / 'demo.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

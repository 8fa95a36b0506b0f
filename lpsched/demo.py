"""``make demo``: every policy on the bundled Azure conversation trace with M = 16492.

Writes ``metrics.csv`` and ``demo.png`` (memory over time and latency distribution) to ``--out`` and
prints the table.  M = 16492 is the KV budget of Llama-2-70B on two A100s in the MC-SF experiments
(Jaillet et al., arXiv 2502.07115).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="out/demo", help="output folder")
    parser.add_argument("--trace", default="conv")
    parser.add_argument("--memory", type=int, default=16492)
    parser.add_argument("--limit", type=int, default=None, help="first N requests only")
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from . import plotting, traces
    from .model import InstanceError
    from .policies import available
    from .runner import simulate
    from .schedule import validate
    from .sweep import attach_predictions

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    inst = traces.load(args.trace, memory=args.memory, limit=args.limit)
    # predictions for the policies that do not know o: bucket intervals of width 100 (A_min/A_max),
    # noisy point estimates (point-prediction SF) and calibrated log-t distributions (TIE)
    inst = attach_predictions(attach_predictions(attach_predictions(inst, "buckets", 1), "point:0.5", 2),
                              "logt:0.8", 3)
    print(f"{inst!r}: {inst.n} requests, M = {inst.memory}; predictions: buckets of 100, "
          "point estimates (log-normal spread 0.5), calibrated log-t (sigma 0.8)")
    rows, results = [], []
    # Sorted-F plans offline over all requests (arrival times only delay starts); on a trace this size
    # its selector is local swap (the exact DP is for a few hundred requests)
    from .sortedf.policy import affordable_selector

    options = {"sorted_f": affordable_selector(inst)}
    for name in available():
        try:
            res = simulate(inst, name, progress=True, **options.get(name, {}))
        except InstanceError as exc:  # e.g. a policy that needs predictions the trace has not got
            rows.append({"policy": name, "error": str(exc)})
            continue
        results.append(res)
        rows.append(res.to_dict())
    table = pd.DataFrame(rows).set_index("policy")
    cols = [c for c in ("mean_latency", "per_token_latency_mean", "per_token_latency_p90", "makespan",
                        "evictions", "wasted_tokens", "peak_memory", "seconds", "error") if c in table]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table[cols].to_string(float_format=lambda x: f"{x:,.2f}"))
    table.to_csv(out / "metrics.csv")

    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 7))
    window = slice(0, 20000)
    for res in results:
        mem = validate(res.schedule).memory[window]
        ax1.plot(mem, lw=0.6, label=res.policy)
    ax1.axhline(inst.memory, color="k", ls="--", lw=0.8)
    ax1.set_title(f"KV-cache tokens held, first {window.stop} steps ({inst.name}, M = {inst.memory})")
    ax1.set_xlabel("time (steps)")
    ax1.legend(ncol=len(results), fontsize=8)
    plotting.latency_cdf([r.schedule for r in results], ax=ax2)
    ax2.set_title("end-to-end latency")
    fig.tight_layout()
    fig.savefig(out / "demo.png", dpi=110)
    print(f"wrote {out / 'metrics.csv'} and {out / 'demo.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

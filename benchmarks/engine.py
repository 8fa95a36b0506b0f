"""Engine benchmark: identical schedules, fast/reference speed ratio, and a 10^6-request run.

Prints, for each policy on the bundled Azure conversation trace (19,366 requests, M = 16492; A_min
gets bucket intervals of width 100):
whether the fast and the reference engine give identical schedules, their times and the ratio
(target: fast >= 20x).  Then, for 10^6 LMSYS-like requests with Poisson arrivals, the fast engine's
time (simulation, then validation) and the peak resident memory of that run, measured in a fresh
subprocess (targets: < 60 s, < 2 GB).

    python benchmarks/engine.py                 # everything (about 2-4 minutes on 2 cores)
    python benchmarks/engine.py --quick         # a 2,000-request prefix and 10^5 synthetic requests
    python benchmarks/engine.py --policies mcsf,vllm --big 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


NEEDS = {"amin": "buckets", "amax": "buckets", "sf_point": "point:0.5", "tie": "logt:0.8"}


def with_predictions(inst, policy: str):
    """Attach the predictions a policy needs (bucket intervals for A_min/A_max, as in their experiments)."""
    from lpsched.sweep import attach_predictions

    return attach_predictions(inst, NEEDS[policy], 1) if policy in NEEDS else inst


def big_run(n: int, policy: str, rate: float) -> None:
    """Child process: simulate n synthetic requests, print a JSON line with times and peak RSS."""
    from lpsched import simulate, workloads

    t0 = time.perf_counter()
    inst = workloads.with_arrivals(workloads.lmsys_like(n, seed=1), workloads.poisson_arrivals(n, rate, seed=2))
    inst = with_predictions(inst, policy)
    t1 = time.perf_counter()
    res = simulate(inst, policy, check=False)
    t2 = time.perf_counter()
    met = res.schedule.metrics()  # the independent validator, then the metrics
    t3 = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"n": n, "policy": policy, "generate_s": t1 - t0, "simulate_s": t2 - t1,
                      "validate_s": t3 - t2, "peak_rss_mb": peak_kb / 1024, "decisions": res.decisions,
                      "mean_latency": met.mean_latency}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--policies", default=None, help="comma-separated (default: mcsf, vllm and amin if present)")
    parser.add_argument("--big", type=int, default=None, help="size of the synthetic run (default 10^6, quick 10^5)")
    parser.add_argument("--rate", type=float, default=1.5, help="Poisson arrivals per step of the synthetic run")
    parser.add_argument("--steps-per-second", type=float, default=100.0,
                        help="time resolution of the trace (default 100; the ratio grows with it)")
    parser.add_argument("--child", nargs=2, metavar=("N", "POLICY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        big_run(int(args.child[0]), args.child[1], args.rate)
        return

    from lpsched import available_policies, simulate, traces

    names = args.policies.split(",") if args.policies else \
        [p for p in ("mcsf", "vllm", "amin") if p in available_policies()]
    inst = traces.load("conv", limit=2000 if args.quick else None, steps_per_second=args.steps_per_second)
    print(f"Azure conversation trace: {inst.n} requests, M = {inst.memory}, {args.steps_per_second:g} steps per second")
    print("times are CPU seconds of this process (less sensitive to other load than wall time)")
    print(f"{'policy':8} {'identical':>9} {'fast s':>8} {'ref s':>8} {'ratio':>7} {'fast calls':>10} {'ref calls':>10}")
    for name in names:
        try:
            run_on = with_predictions(inst, name)
            c0 = time.process_time()
            fast = simulate(run_on, name, check=False)
            c1 = time.process_time()
            ref = simulate(run_on, name, engine="reference", check=False)
            c2 = time.process_time()
        except Exception as exc:  # a policy that needs predictions the trace lacks
            print(f"{name:8} cannot run on the bare trace: {exc}")
            continue
        same = "yes" if fast.schedule.same_as(ref.schedule) else "NO"
        print(f"{name:8} {same:>9} {c1 - c0:8.2f} {c2 - c1:8.2f} {(c2 - c1) / (c1 - c0):7.1f} "
              f"{fast.decisions:10d} {ref.decisions:10d}")

    n = args.big or (100_000 if args.quick else 1_000_000)
    print(f"\n{n:,} LMSYS-like requests, Poisson arrivals at {args.rate} per step, M = 16492 (fresh process each)")
    print(f"{'policy':8} {'simulate s':>10} {'validate s':>10} {'peak RSS MB':>11} {'decisions':>10} {'mean latency':>12}")
    for name in names:
        out = subprocess.run([sys.executable, __file__, "--child", str(n), name, "--rate", str(args.rate)],
                             capture_output=True, text=True)
        if out.returncode:
            print(f"{name:8} failed: {out.stderr.strip().splitlines()[-1] if out.stderr else out.returncode}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{name:8} {r['simulate_s']:10.1f} {r['validate_s']:10.1f} {r['peak_rss_mb']:11.0f} "
              f"{r['decisions']:10d} {r['mean_latency']:12.1f}")


if __name__ == "__main__":
    main()

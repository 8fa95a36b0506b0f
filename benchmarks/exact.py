"""Exact OPT benchmark: time to proven optimality on Jaillet-style instances.

For each backend and n, solves ``seeds`` instances ``jaillet_instance(n, seed)`` (M ~ U[30, 50],
s ~ U[1, 5], o ~ U[1, M - s], all at 0; ``--arrivals poisson``: Jaillet's online setting, Poisson
arrivals at ``--rate`` requests per step) with a time limit, and prints the median time to proven
optimality (an instance not proven within the limit counts as infinitely slow, so a median above the
limit prints as ">limit") and the largest n whose instances were all proven.  Once a backend proves
none of the instances of some n, larger n are skipped for it (they are reported as skipped) unless
``--all-sizes``.  For unproven runs the line ends with the smallest ratio bound / best schedule found.

    python benchmarks/exact.py                 # n = 8 12 16 20 25 30, 5 seeds, 60 s, highs cbc cpsat
    python benchmarks/exact.py --quick         # n = 4 6 8, 3 seeds, 20 s
    python benchmarks/exact.py --backends cpsat --sizes 6 7 8 9 10 --json out.json
    python benchmarks/exact.py --bounds --sizes 12 25   # root bounds only: head, LP without / with tails
    python benchmarks/exact.py --bounds --probe --sizes 12 14 16 20 25   # and the LP with request probing
    python benchmarks/exact.py --backends cpsat --sizes 16 20 25 --arrivals poisson   # online instances
    python benchmarks/exact.py --out runs.csv           # resumable: Ctrl-C, rerun, it goes on

Timings are wall-clock on a shared 2-core machine: noisy.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time

from lpsched.exact import ExactResult, solve
from lpsched.exact.study import ARRIVALS, jaillet_instance
from lpsched.rowlog import RowLog, canonical_key

BACKEND_OPTIONS = {
    "highs": ("highs", {}),
    "cbc": ("cbc", {}),
    "cpsat": ("cpsat", {}),                                   # the default formulation of solve()
    # with arrivals: the whole instance as one model, without the no-wait blocks (lpsched.exact.decompose)
    "cpsat-whole": ("cpsat", {"decompose": False}),
    "highs-whole": ("highs", {"decompose": False}),
    "cpsat-nolp": ("cpsat", {"root_lp": False}),              # no root LP: CP-SAT's and the chain-head bound
    "cpsat-time": ("cpsat", {"formulation": "time"}),
    "cpsat-nopairs": ("cpsat", {"formulation": "interval", "pairs": False, "chain": False}),  # previous default
    "cpsat-nochain": ("cpsat", {"chain": False}),
    "cpsat-completion": ("cpsat", {"formulation": "completion"}),
    "cpsat-interval": ("cpsat", {"formulation": "interval"}),
    "cpsat-race": ("cpsat", {"formulation": ("interval", "completion")}),   # two models, one thread each
    "cpsat-2workers": ("cpsat", {"formulation": "interval", "workers": 2}),  # like with like for the race
    # CP-SAT's bound-oriented searches (raise its own bound, find worse schedules; cpsat.py docstring)
    "cpsat-lbtree": ("cpsat", {"params": {"optimize_with_lb_tree_search": True}}),
    "cpsat-lbsearch": ("cpsat", {"params": {"use_objective_lb_search": True}}),
    "cpsat-core": ("cpsat", {"params": {"optimize_with_core": True}}),
    "cpsat-shaving": ("cpsat", {"params": {"use_objective_shaving_search": True}}),
    "cpsat-lbworker": ("cpsat", {"workers": 2, "params": {"subsolvers": ["default_lp", "lb_tree_search"]}}),
    # CP-SAT's LP: without presolve (the time-indexed LP kept whole) and at the higher linearization level
    "cpsat-time-nopresolve": ("cpsat", {"formulation": "time", "params": {"cp_model_presolve": False}}),
    "cpsat-lin2": ("cpsat", {"params": {"linearization_level": 2}}),
    "bruteforce": ("bruteforce", {}),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backends", nargs="+", default=["highs", "cbc", "cpsat"], choices=sorted(BACKEND_OPTIONS))
    ap.add_argument("--sizes", nargs="+", type=int, default=[8, 12, 16, 20, 25, 30])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--seed-list", nargs="+", type=int, metavar="SEED",
                    help="run exactly these seeds (overrides --seeds), e.g. the hard ones with a longer limit")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--arrivals", choices=ARRIVALS, default="zero", help="all at 0 (default) or Poisson arrivals")
    ap.add_argument("--rate", type=float, default=0.1, help="with --arrivals poisson: requests per time step")
    ap.add_argument("--quick", action="store_true", help="n = 4 6 8, 3 seeds, 20 s limit")
    ap.add_argument("--all-sizes", action="store_true", help="run every n even after one with none proven "
                    "(to see the bounds reached at the limit)")
    ap.add_argument("--json", metavar="FILE", help="also write all runs to FILE")
    ap.add_argument("--out", metavar="FILE", help="run log (CSV): each solve is appended as it finishes and a "
                    "rerun takes the runs already there (interrupt and resume a long benchmark)")
    ap.add_argument("--bounds", action="store_true", help="print only the root lower bounds (chain-head, LP "
                    "without and with the extended-tail cliques) as fractions of the heuristic schedule's cost")
    ap.add_argument("--probe", action="store_true", help="with --bounds: also the LP with request probing "
                    "(lpsched.exact.lp_bounds.probe_bound) and its time")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes, args.seeds, args.time_limit = [4, 6, 8], 3, 20.0
    runs = []
    seeds = args.seed_list if args.seed_list else list(range(args.seeds))
    args.seeds = len(seeds)
    if args.rate <= 0:
        ap.error(f"--rate must be positive, got {args.rate:g}")
    arrivals = (args.arrivals, args.rate)
    if args.bounds:
        return root_bounds(args.sizes, seeds, arrivals, args.probe)
    setting = "all at 0" if args.arrivals == "zero" else f"Poisson arrivals, rate {args.rate:g}"
    print(f"exact OPT on Jaillet instances ({setting}): seeds {' '.join(map(str, seeds))} per n, "
          f"{args.time_limit:g} s limit", flush=True)
    print(f"{'backend':15s} {'n':>3s} {'proven':>7s} {'median s':>9s}  times (s; '-' = not proven)", flush=True)
    summary, from_log = {}, 0
    log = RowLog(args.out, RUN_COLUMNS) if args.out else None
    cached = {r["key"]: r for r in log.read_and_open()} if log else {}
    for name in args.backends:
        backend = BACKEND_OPTIONS[name][0]
        largest, dead = None, False
        for n in args.sizes:
            if dead or (backend == "bruteforce" and n > 12):
                print(f"{name:15s} {n:3d}  skipped", flush=True)
                continue
            times = []
            for seed in seeds:
                run = run_once(log, cached, name, n, seed, args.time_limit, arrivals)
                from_log += run.pop("from_log")
                times.append(run["seconds"] if run["status"] == "optimal" else math.inf)
                runs.append(run)
            open_runs = [r for r in runs[-args.seeds:] if r["status"] != "optimal" and r["objective"]]
            gaps = [r["bound"] / r["objective"] for r in open_runs if math.isfinite(r["bound"])]
            own = [r["backend_bound"] / r["objective"] for r in open_runs]
            proven = sum(math.isfinite(t) for t in times)
            med = statistics.median(times)
            med_s = f"{med:9.2f}" if math.isfinite(med) else f"{'>' + format(args.time_limit, 'g'):>9s}"
            shown = " ".join(f"{t:.1f}" if math.isfinite(t) else "-" for t in times)
            worst = f"  bound/best at the limit >= {min(gaps):.2f}" if gaps else ""
            if gaps:   # the backend's own bound, before the root bounds (LP, chain head) join it
                worst += f" (the search's own >= {min(own):.2f})" if math.isfinite(min(own)) else " (the search's own: none)"
            print(f"{name:15s} {n:3d} {proven:3d}/{args.seeds:<3d} {med_s}  {shown}{worst}", flush=True)
            if proven == args.seeds and (largest is None or n > largest):
                largest = n
            if proven == 0 and not args.all_sizes:
                dead = True
        summary[name] = largest
    if log is not None:
        log.close()
    print()
    if from_log:
        print(f"({from_log} runs taken from {args.out}, timed in an earlier run)")
    for name, largest in summary.items():
        print(f"{name:15s} largest n always proven optimal: {largest if largest is not None else 'none'}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"args": vars(args), "runs": runs, "largest_always_solved": summary}, fh, indent=1)
    return 0


RUN_COLUMNS = ["key", "backend", "n", "arrivals", "rate", "seed", "time_limit", *ExactResult.ROW_COLUMNS, "heuristic",
               "backend_bound"]


def run_once(log, cached: dict, name: str, n: int, seed: int, time_limit: float,
             arrivals: tuple = ("zero", 0.1)) -> dict:
    """One timed solve, or its row from the run log (schedule validated again); logged when solved now.
    ``arrivals``: ``(kind, rate)`` of :func:`jaillet_instance`."""
    kind, rate = arrivals
    setting = {"backend": name, "n": n, "arrivals": kind, "rate": rate, "seed": seed, "time_limit": time_limit}
    key = canonical_key(setting)
    row = cached.get(key)
    backend, opts = BACKEND_OPTIONS[name]
    inst = jaillet_instance(n, seed, kind, rate)
    if row is not None:
        res, heuristic = ExactResult.from_row(row, inst, backend), int(row["heuristic"])
        own = float(row["backend_bound"]) if row["backend_bound"] else -math.inf
    else:
        res = solve(inst, backend=backend, time_limit=time_limit, on_interrupt="raise", **opts)
        heuristic, own = res.info.get("heuristic_objective"), res.info.get("backend_bound", -math.inf)
        if log is not None:
            log.append({"key": key, **setting, **res.to_row(), "heuristic": heuristic,
                        "backend_bound": own if math.isfinite(own) else None})
    return {"backend": name, "n": n, "seed": seed, "status": res.status, "objective": res.objective,
            "bound": res.bound, "backend_bound": own, "seconds": res.seconds, "heuristic": heuristic,
            "from_log": row is not None}


def root_bounds(sizes, seeds, arrivals=("zero", 0.1), probe: bool = False) -> int:
    """Root lower bounds / heuristic cost, and the LP times, per instance (``probe``: also
    :func:`lpsched.exact.lp_bounds.probe_bound`)."""
    from lpsched.exact.bounds import head_bound
    from lpsched.exact.lp_bounds import lp_bound, probe_bound
    from lpsched.exact.horizon import heuristic

    print("root lower bounds on Jaillet instances, as fractions of the heuristic schedule's cost (hsf or fcfs)")
    extra = f" {'probe':>6s}" if probe else ""
    print(f"{'n':>3s} {'seed':>4s} {'heur':>6s} {'head':>6s} {'lp':>6s} {'lp+tails':>8s}{extra}   "
          f"LP seconds (plain, tails{', probe' if probe else ''})  bounds")
    for n in sizes:
        for seed in seeds:
            inst = jaillet_instance(n, seed, *arrivals)
            ub = heuristic(inst, "tct").objective
            t0 = time.perf_counter()
            plain = lp_bound(inst, upper=ub, tails=False)
            t1 = time.perf_counter()
            tails = lp_bound(inst, upper=ub)
            t2 = time.perf_counter()
            head = head_bound(inst)
            shown, times, values = "", f"{t1 - t0:.2f} {t2 - t1:.2f}", f"{head} {plain} {tails}"
            if probe:
                t3 = time.perf_counter()
                pb = probe_bound(inst, upper=ub)
                shown, times, values = f" {pb / ub:6.3f}", times + f" {time.perf_counter() - t3:.2f}", values + f" {pb}"
            print(f"{n:3d} {seed:4d} {ub:6d} {head / ub:6.3f} {plain / ub:6.3f} {tails / ub:8.3f}{shown}   "
                  f"{times}  {values}", flush=True)
    return 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main()
    print(f"total {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    sys.exit(code)

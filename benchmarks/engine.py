"""Engine benchmark: compiled kernels vs the Python event loop vs the reference engine, 10^4 .. 10^7 requests.

Every measurement runs in a fresh subprocess (its peak RSS is that run's), on LMSYS-like requests with
Poisson arrivals at ``--rate`` per step (1.5 by default), ``M = 16492``; A_min and A_max get bucket
intervals of width 100, ``sf_point`` noisy points (spread 0.5), TIE calibrated log-t predictions
(sigma 0.8), ``priority`` two classes (long outputs last).  Times are CPU seconds of the simulation
(``simulate(..., check=False)``), with wall seconds beside them; the kernels are measured after a warm-up
call on a tiny instance, so the one-off cost of loading numba is not in them -- ``--startup`` measures
that cost, and the size above which ``engine="fast"`` picks the kernel.  Then the validator runs on the
schedule (its time and the peak RSS of the whole run are reported).

What it prints:

1. per policy and size: kernel, Python ("python": today's fast clock) and reference CPU seconds, the
   ratios python/kernel and reference/kernel, whether the schedules are identical (digests of starts and
   evicted runs), decisions, peak RSS;
2. the fitted growth exponent ``log(t(10n) / t(n)) / log 10`` of each engine between 10^5 and 10^6
   (and 10^6 -> 10^7 where measured);
3. identical schedules, kernel vs reference, for every policy on the bundled Azure traces (conv, code);
4. the checks of issue 29 (MC-SF and A_min at 10^7, kernel/python at 10^6, growth exponents, the Azure
   conv ``compare`` of all policies).

    python benchmarks/engine.py                  # everything (about 30-40 minutes on 2 cores)
    python benchmarks/engine.py --quick          # 10^4 and 10^5 only, kernel policies (a few minutes)
    python benchmarks/engine.py --policies mcsf,amin --sizes 1e5,1e6,1e7 --engines kernel   # table only
    python benchmarks/engine.py --startup        # first-call cost of the kernels vs the Python engine
    python benchmarks/engine.py --azure          # identity on the Azure traces and the conv compare only
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import resource
import subprocess
import sys
import time

RATE = 1.5
# policy label -> (registry name, options, predictions attached)
POLICIES = {
    "fcfs": ("fcfs", {}, None),
    "mcsf": ("mcsf", {}, None),            # sf and hsf are the same code path
    "priority": ("priority", {"priority": "two_classes"}, None),
    "vllm": ("vllm", {}, None),
    "amax": ("amax", {}, "buckets"),
    "amax[batch]": ("amax", {"reading": "batch"}, "buckets"),
    "amax[batch/index]": ("amax", {"reading": "batch", "tie": "index"}, "buckets"),
    "amin": ("amin", {}, "buckets"),
    "amin[index]": ("amin", {"tie": "index"}, "buckets"),
    "sf_point": ("sf_point", {}, "point:0.5"),
    "tie": ("tie", {}, "logt:0.8"),
    "sorted_f": ("sorted_f", {}, None),    # affordable selector (local_swap here) with its candidate pool
}
KERNEL_POLICIES = [p for p in POLICIES if p not in ("tie", "sorted_f")]
# the largest size each engine runs by default (the reference engine asks at every integer time)
MAX_SIZE = {"kernel": {"mcsf": 10**7, "amin": 10**7, "fcfs": 10**7, "vllm": 10**7},
            "python": {"tie": 10**6, "sorted_f": 10**6},
            "reference": {}}
DEFAULT_MAX = {"kernel": 10**6, "python": 10**6, "reference": 10**5}
NEEDS = {"amin": "buckets", "amax": "buckets", "sf_point": "point:0.5", "tie": "logt:0.8"}


def with_predictions(inst, policy: str):
    """Attach the predictions a policy needs (bucket intervals for A_min/A_max, as in their experiments)."""
    from lpsched.sweep import attach_predictions

    return attach_predictions(inst, NEEDS[policy], 1) if policy in NEEDS else inst


def workload(n: int, rate: float, label: str):
    from lpsched import workloads

    name, options, pred = POLICIES[label]
    inst = workloads.with_arrivals(workloads.lmsys_like(n, seed=1), workloads.poisson_arrivals(n, rate, seed=2))
    if pred:
        from lpsched.sweep import attach_predictions
        inst = attach_predictions(inst, pred, 1)
    options = dict(options)
    if options.get("priority") == "two_classes":
        import numpy as np
        options["priority"] = (inst.o > np.median(inst.o)).astype(int)
    return inst, name, options


def digest(schedule) -> str:
    import numpy as np

    ev = schedule.evictions
    ev = ev[np.lexsort(ev.T[::-1])] if len(ev) else ev
    return hashlib.sha1(schedule.start.tobytes() + np.ascontiguousarray(ev).tobytes()).hexdigest()[:12]


def child(spec: dict) -> None:
    """One measurement (in its own process): print a JSON line."""
    from lpsched import Instance, Predictions, simulate

    n, label, engine, rate = spec["n"], spec["policy"], spec["engine"], spec["rate"]
    inst, name, options = workload(n, rate, label)
    if engine == "kernel":      # load numba and the compiled code first: the run below is the loop alone
        tiny = Instance(6, [2, 2, 2, 2], [1, 1, 2, 3], predictions=Predictions(
            lower=[1] * 4, upper=[4] * 4, point=[1.0, 1.0, 2.0, 3.0], mu=[0.0] * 4, sigma=[0.5] * 4))
        simulate(tiny, name, engine="kernel", **{k: v for k, v in options.items() if k != "priority"})
    c0, w0 = time.process_time(), time.perf_counter()
    res = simulate(inst, name, engine=engine, check=False, **options)
    c1, w1 = time.process_time(), time.perf_counter()
    met = res.schedule.metrics()            # the independent validator, then the metrics
    c2 = time.process_time()
    print(json.dumps({"n": n, "policy": label, "engine": res.engine, "cpu": c1 - c0, "wall": w1 - w0,
                      "validate_cpu": c2 - c1, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "decisions": res.decisions, "digest": digest(res.schedule), "evictions": met.evictions,
                      "tct": met.tct}))


def measure(n: int, label: str, engine: str, rate: float, timeout: float) -> dict:
    spec = json.dumps({"n": n, "policy": label, "engine": engine, "rate": rate})
    try:
        out = subprocess.run([sys.executable, __file__, "--child", spec], capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    if out.returncode:
        return {"error": (out.stderr.strip().splitlines() or ["?"])[-1][:80]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def fmt_t(r: dict | None) -> str:
    if r is None:
        return "-"
    if "error" in r:
        return "err"
    return f"{r['cpu']:.3g} ({r['wall']:.3g})"


def exponent(a: dict | None, b: dict | None, n_a: int, n_b: int) -> float | None:
    if not a or not b or "error" in a or "error" in b or a["cpu"] <= 0:
        return None
    return math.log(b["cpu"] / a["cpu"]) / math.log(n_b / n_a)


def table(args) -> dict:
    sizes = [int(float(x)) for x in args.sizes.split(",")]
    engines = args.engines.split(",")
    labels = args.policies.split(",") if args.policies else list(POLICIES)
    results: dict = {}
    print(f"LMSYS-like requests, Poisson arrivals at {args.rate} per step, M = 16492; CPU seconds of the "
          f"simulation (wall in parentheses), each run in a fresh process")
    head = (f"{'policy':17} {'n':>9} {'kernel s':>15} {'python s':>15} {'reference s':>15} {'py/k':>7} "
            f"{'ref/k':>7} {'same':>5} {'decisions k/py':>17} {'RSS MB':>7}")
    print(head)
    for label in labels:
        for n in sizes:
            row = {}
            for eng in engines:
                if eng == "kernel" and label not in KERNEL_POLICIES:
                    continue
                cap = args.max_size or MAX_SIZE[eng].get(label, DEFAULT_MAX[eng])
                if n > cap:
                    continue
                row[eng] = measure(n, label, eng, args.rate, args.timeout)
            results[(label, n)] = row
            if not row:
                continue
            k, p, r = row.get("kernel"), row.get("python"), row.get("reference")
            ok = [x for x in (k, p, r) if x and "error" not in x]
            same = "-" if len(ok) < 2 else ("yes" if len({x["digest"] for x in ok}) == 1 else "NO")
            def ratio(a, b):
                good = a and b and "error" not in a and "error" not in b and b["cpu"] > 0
                return f"{a['cpu'] / b['cpu']:.1f}" if good else "-"
            dec = "/".join(str(x["decisions"]) if x and "error" not in x else "-" for x in (k, p))
            rss = max((x["rss_mb"] for x in ok), default=0)
            print(f"{label:17} {n:>9,} {fmt_t(k):>15} {fmt_t(p):>15} {fmt_t(r):>15} {ratio(p, k):>7} "
                  f"{ratio(r, k):>7} {same:>5} {dec:>17} {rss:7.0f}", flush=True)
            for eng, x in row.items():
                if x and "error" in x:
                    print(f"    {eng}: {x['error']}")
    print("\nGrowth exponent of the CPU time, log(t(10n) / t(n)) / log 10")
    print(f"{'policy':17} " + " ".join(f"{e + ' ' + a + '->' + b:>24}" for e in engines
                                       for a, b in (("1e5", "1e6"), ("1e6", "1e7"))))
    for label in labels:
        cells = []
        for eng in engines:
            for a, b in ((10**5, 10**6), (10**6, 10**7)):
                e = exponent(results.get((label, a), {}).get(eng), results.get((label, b), {}).get(eng), a, b)
                cells.append(f"{e:24.2f}" if e is not None else f"{'-':>24}")
        print(f"{label:17} " + " ".join(cells))
    return results


def startup() -> None:
    """First kernel call of a process (numba import + cached code) vs the Python engine, per family."""
    code = ("import time, resource; t0 = time.process_time(); import lpsched; t1 = time.process_time();"
            "from lpsched import Instance, Predictions, simulate;"
            "inst = Instance(6, [2]*4, [1, 1, 2, 3], predictions=Predictions(lower=[1]*4, upper=[4]*4));"
            "c = time.process_time(); simulate(inst, '{p}', engine='kernel'); c2 = time.process_time();"
            "print(t1 - t0, c2 - c, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    print("first kernel call in a fresh process (numba import and the compiled code from the disk cache):")
    for p in ("mcsf", "vllm", "amin", "amax"):
        subprocess.run([sys.executable, "-c", code.format(p=p)], capture_output=True)   # fill the cache
        out = subprocess.run([sys.executable, "-c", code.format(p=p)], capture_output=True, text=True)
        imp, first, rss = map(float, out.stdout.split())
        print(f"  {p:6} import lpsched {imp:.3f} s CPU, first kernel call {first:.3f} s CPU, peak RSS {rss:.0f} MB")
    from lpsched import kernels

    print("Python engine, CPU microseconds per request (LMSYS-like, 20,000 requests):")
    for label in ("mcsf", "vllm", "amin", "sf_point", "amax"):
        r = measure(20_000, label, "python", RATE, 600)
        print(f"  {label:9} {r['cpu'] / 20_000 * 1e6:6.1f} us -> break-even with a 0.6 s first call at about "
              f"{0.6 / (r['cpu'] / 20_000):,.0f} requests")
    print(f"thresholds in use: {kernels.KERNEL_MIN_REQUESTS} (numba not loaded yet), "
          f"{kernels.LOADED_MIN_REQUESTS} (numba loaded)")


def azure(args) -> dict:
    """Kernel vs reference on the bundled traces (all policies), and the conv compare of all policies."""
    from lpsched import available_policies, simulate, traces
    from lpsched.predictions import DEFAULT_SPEC, attach
    from lpsched.sortedf.policy import affordable_selector

    out = {}
    for trace in ("conv", "code"):
        inst = attach(traces.load(trace), DEFAULT_SPEC, seed=1)
        print(f"\nAzure {trace} trace: {inst.n} requests, M = {inst.memory} (predictions {DEFAULT_SPEC})")
        print(f"{'policy':10} {'identical k/ref':>15} {'kernel s':>9} {'python s':>9} {'reference s':>11}")
        for name in ("fcfs", "mcsf", "sf", "hsf", "priority", "vllm", "amax", "amin", "sf_point"):
            for opt in ({},) + (({"reading": "batch"}, {"tie": "adversarial"}) if name == "amax" else
                                ({"tie": "index"}, {"tie": "adversarial"}) if name == "amin" else ()):
                t = {}
                res = {}
                for eng in ("kernel", "python", "reference"):
                    c = time.process_time()
                    res[eng] = simulate(inst, name, engine=eng, check=False, **opt)
                    t[eng] = time.process_time() - c
                same = all(res[e].schedule.same_as(res["reference"].schedule) for e in ("kernel", "python"))
                label = name + ("[" + ",".join(f"{v}" for v in opt.values()) + "]" if opt else "")
                out[(trace, label)] = same
                print(f"{label:18} {'yes' if same else 'NO':>7} {t['kernel']:9.3f} {t['python']:9.3f} "
                      f"{t['reference']:11.3f}", flush=True)
    inst = attach(traces.load("conv"), DEFAULT_SPEC, seed=1)
    c = time.process_time()
    from lpsched import compare

    compare(inst, available_policies(), options={"sorted_f": affordable_selector(inst)})
    out["compare_cpu"] = time.process_time() - c
    print(f"\nlpsched compare of all {len(available_policies())} policies on the conv trace: "
          f"{out['compare_cpu']:.2f} s CPU in this process (validation included; issue 29 measured 7.2 s before)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10^4 and 10^5, kernel policies, no traces")
    parser.add_argument("--policies", default=None, help=f"comma-separated labels from {', '.join(POLICIES)}")
    parser.add_argument("--sizes", default="1e4,1e5,1e6,1e7")
    parser.add_argument("--engines", default="kernel,python,reference")
    parser.add_argument("--max-size", type=float, default=None, help="one size cap for every engine")
    parser.add_argument("--rate", type=float, default=RATE, help="Poisson arrivals per step")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per measurement")
    parser.add_argument("--startup", action="store_true")
    parser.add_argument("--azure", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return
    if args.startup:
        startup()
        return
    if args.azure:
        azure(args)
        return
    if args.quick:
        args.sizes = "1e4,1e5"
        args.policies = args.policies or ",".join(KERNEL_POLICIES)
    args.max_size = int(args.max_size) if args.max_size else None
    results = table(args)
    if args.quick or args.policies:
        return
    startup()
    trace = azure(args)
    print("\nIssue 29 checks")
    get = lambda label, n, eng="kernel": results.get((label, n), {}).get(eng)  # noqa: E731
    for label, limit in (("mcsf", 10.0), ("amin", 30.0)):
        r = get(label, 10**7)
        if r and "error" not in r:
            print(f"  {label} at 10^7: {r['cpu']:.1f} s CPU (target < {limit:g}), validation "
                  f"{r['validate_cpu']:.1f} s, peak RSS {r['rss_mb']:.0f} MB (target < 2048)")
    k, p = get("mcsf", 10**6), get("mcsf", 10**6, "python")
    if k and p and "error" not in k and "error" not in p:
        print(f"  mcsf at 10^6: python / kernel = {p['cpu'] / k['cpu']:.1f}x (target >= 30x)")
    worst = []
    for label in POLICIES:
        eng = "kernel" if label in KERNEL_POLICIES else "python"
        e = exponent(get(label, 10**5, eng), get(label, 10**6, eng), 10**5, 10**6)
        if e is not None:
            worst.append((e, label, eng))
    if worst:
        e, label, eng = max(worst)
        print(f"  largest growth exponent 10^5 -> 10^6 (default engine per policy): {e:.2f} ({label}, {eng}; "
              f"target <= 1.15)")
    same = [v for key, v in trace.items() if isinstance(key, tuple)]
    print(f"  Azure traces: identical kernel/reference schedules in {sum(same)} of {len(same)} runs")


if __name__ == "__main__":
    main()

"""Wall-clock limits, Ctrl-C and memory of exact solves on a loaded machine (issue 31).

Every solve runs in a fresh Python process while ``--busy`` busy loops (default 2, one per core of the
2-core machine) compete for the CPU.  Three tables:

1. **limit vs wall**: :func:`lpsched.exact.solve` on ``jaillet_instance(n, 0)`` for each backend and n,
   with ``--time-limit``: the wall time of the ``solve`` call, its overhead over the limit, the whole
   process (Python start and imports included) and the peak memory of the process tree (the solve, its
   helper process and a CBC child: their RSS summed, sampled every 20 ms).  ``lpsched opt`` rows time
   the CLI the same way.
2. **Ctrl-C**: the same solves with a 300 s limit, SIGINT ``--ctrl-c-after`` seconds into the solve: the
   seconds from the signal to the result (the best so far, ``info["interrupted"]``) and to the exit.
3. **the issue's instances** (token counts of 10^5 and 10^8, arrivals at 10^9 and 10^15, a Mooncake
   slice): outcome, wall time and peak memory under the same limit.

    python benchmarks/limits.py                  # 2 busy loops, n = 16 25 40 (+ 100 online), 10 s, cpsat highs cbc
    python benchmarks/limits.py --busy 0         # an idle machine
    python benchmarks/limits.py --quick          # n = 16, 4 s limit, fewer rows
    python benchmarks/limits.py --only instances # one table (limits, ctrl-c, instances)

Timings are wall-clock on a shared machine: noisy.  The busy loops and every child are killed on exit.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOONCAKE = ROOT / "tests" / "fixtures" / "mooncake_conversation.jsonl"

#: the child: solve one case, print one JSON line (and ``started <time>`` just before the solve)
CHILD = r"""
import json, signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
spec = json.loads(sys.argv[1])
import numpy as np
from lpsched import Instance
from lpsched.exact import solve
from lpsched.exact.study import jaillet_instance

def mooncake_like(n, seed=0):
    rng = np.random.default_rng(seed)
    s = np.exp(rng.uniform(np.log(1e4), np.log(1e5), n)).astype(int)
    o = rng.integers(1, 1001, n)
    a = np.sort(rng.integers(0, 600, n)); a[0] = 0
    return Instance(131072, s, o, a, name=f"Mooncake-like n={n}")

def make(case):
    kind = case["kind"]
    if kind == "jaillet":
        return jaillet_instance(case["n"], case.get("seed", 0), case.get("arrivals", "zero"), case.get("rate", 0.1))
    if kind == "json":
        return Instance.from_dict(case["instance"])
    if kind == "mooncake":
        from lpsched import traces
        return traces.load(case["path"], memory=131072)
    if kind == "mooncake_like":
        return mooncake_like(case["n"])
    raise ValueError(kind)

out = {}
try:
    inst = make(spec["case"])
    print("started", time.time(), flush=True)
    t0 = time.perf_counter()
    r = solve(inst, backend=spec["backend"], time_limit=spec["limit"])
    out = {"wall": time.perf_counter() - t0, "done_at": time.time(), "status": r.status, "objective": r.objective,
           "bound": r.bound if r.bound == r.bound and abs(r.bound) != float("inf") else None,
           "method": r.info.get("bound_method"), "interrupted": bool(r.info.get("interrupted")),
           "message": r.message}
except KeyboardInterrupt:
    out = {"error": "KeyboardInterrupt", "done_at": time.time()}
except Exception as exc:
    out = {"error": f"{type(exc).__name__}: {exc}", "done_at": time.time()}
print("result", json.dumps(out), flush=True)
"""

ISSUE_INSTANCES = [
    ("3 requests, o ~ 10^5", {"kind": "json", "instance": {"memory": 400000, "s": [1000, 2000, 1500],
                                                           "o": [100000, 150000, 120000]}}),
    ("2 requests, o = 10^8", {"kind": "json", "instance": {"memory": 150_000_000, "s": [1000, 2000],
                                                           "o": [100_000_000, 100_000_000]}}),
    ("6 requests, 4 at t = 10^9", {"kind": "json", "instance": {
        "memory": 40, "s": [3, 2, 4, 1, 5, 2], "o": [30, 20, 25, 17, 19, 22],
        "a": [0, 0, 10**9, 10**9, 10**9 + 3, 10**9 + 5]}}),
    ("arrivals at 10^15", {"kind": "json", "instance": {"memory": 40, "s": [3, 2, 4], "o": [30, 20, 25],
                                                        "a": [10**15, 10**15, 10**15 + 5]}}),
    ("Mooncake slice (30 real rows)", {"kind": "mooncake", "path": str(MOONCAKE)}),
    ("Mooncake-like, n = 20", {"kind": "mooncake_like", "n": 20}),
]


def _tree_rss(proc) -> int:
    """RSS (bytes) of ``proc`` and all its descendants, summed; 0 once gone."""
    import psutil

    try:
        p = psutil.Process(proc.pid)
        procs = [p] + p.children(recursive=True)
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_child(argv: list[str], sigint_after: float | None = None, timeout: float = 900) -> dict:
    """Run ``argv``; sample the tree's RSS; optionally SIGINT ``sigint_after`` s after ``started``.
    Returns the child's JSON result with ``process_wall``, ``peak_mb`` and (Ctrl-C) ``signal_at``."""
    t0 = time.time()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    os.set_blocking(proc.stdout.fileno(), False)
    buf, peak, started, signal_at, ended_at, result = "", 0, None, None, None, {}
    try:
        while True:
            peak = max(peak, _tree_rss(proc))
            try:
                chunk = proc.stdout.read()
            except (BlockingIOError, TypeError):
                chunk = None
            if chunk:
                buf += chunk
            for line in buf.splitlines():
                if line.startswith("started") and started is None:
                    started = float(line.split()[1])
            if sigint_after is not None and started is not None and signal_at is None \
                    and time.time() >= started + sigint_after:
                signal_at = time.time()
                proc.send_signal(signal.SIGINT)
            if proc.poll() is not None:
                ended_at = time.time()
                rest = proc.stdout.read()
                buf += rest or ""
                break
            if time.time() - t0 > timeout:
                raise TimeoutError(f"{argv[-1][:80]} did not end within {timeout} s")
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    wall = time.time() - t0
    for line in buf.splitlines():
        if line.startswith("result"):
            result = json.loads(line.split(" ", 1)[1])
        elif line.startswith("{"):
            try:
                result = {"cli": json.loads(line)}
            except json.JSONDecodeError:
                pass
    if not result:
        result = {"error": (proc.stderr.read() or "").strip().splitlines()[-1:] or ["no output"]}
    result.update({"process_wall": wall, "peak_mb": peak / 1e6, "signal_at": signal_at, "ended_at": ended_at,
                   "returncode": proc.returncode})
    return result


def solve_argv(case: dict, backend: str, limit: float) -> list[str]:
    return [sys.executable, "-c", CHILD, json.dumps({"case": case, "backend": backend, "limit": limit})]


def busy_loops(k: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(k)]


def table_limits(backends, sizes, limit, cli: bool, online: int) -> None:
    extra = f"; n = {online}p: Poisson arrivals at 0.05 per step, solved by blocks" if online else ""
    print(f"\n1. limit vs wall (jaillet_instance(n, 0), all at 0{extra}; time_limit = {limit:g} s)")
    print(f"{'backend':8s} {'n':>4s} {'limit':>5s} {'solve wall':>10s} {'overhead':>9s} {'process':>8s} "
          f"{'peak MB':>8s}  status / bound (method)")
    cases = [(str(n), {"kind": "jaillet", "n": n}) for n in sizes]
    if online:
        cases.append((f"{online}p", {"kind": "jaillet", "n": online, "arrivals": "poisson", "rate": 0.05}))
    for backend in backends:
        for n, case in cases:
            r = run_child(solve_argv(case, backend, limit))
            if "wall" in r:
                print(f"{backend:8s} {n:>4s} {limit:5.1f} {r['wall']:10.2f} {r['wall'] - limit:+9.2f} "
                      f"{r['process_wall']:8.2f} {r['peak_mb']:8.0f}  {r['status']} {r['objective']} / "
                      f"{r['bound']} ({r['method']})", flush=True)
            else:
                print(f"{backend:8s} {n:>4s} {limit:5.1f} {'-':>10s} {'-':>9s} {r['process_wall']:8.2f} "
                      f"{r['peak_mb']:8.0f}  {r.get('error')}", flush=True)
        if cli:
            n = max(sizes)
            argv = [sys.executable, "-m", "lpsched", "opt", "--jaillet", str(n), "--time-limit", f"{limit:g}",
                    "--backend", backend, "--json"]
            r = run_child(argv)
            d = r.get("cli", {})
            print(f"{'(cli)':8s} {n:4d} {limit:5.1f} {'':>10s} {r['process_wall'] - limit:+9.2f} "
                  f"{r['process_wall']:8.2f} {r['peak_mb']:8.0f}  lpsched opt --jaillet {n} --backend {backend}: "
                  f"{d.get('status')} {d.get('objective')} / {d.get('bound')} "
                  f"({(d.get('info') or {}).get('bound_method')})", flush=True)


def table_ctrl_c(backends, sizes, after: float) -> None:
    print(f"\n2. Ctrl-C (SIGINT {after:g} s into a solve with a 300 s limit)")
    print(f"{'backend':8s} {'n':>4s} {'to result':>9s} {'to exit':>8s} {'peak MB':>8s}  outcome")
    for backend in backends:
        for n in sizes:
            if backend == "bruteforce" and n > 12:
                continue
            r = run_child(solve_argv({"kind": "jaillet", "n": n}, backend, 300.0), sigint_after=after)
            sig = r.get("signal_at")
            to_result = (r["done_at"] - sig) if sig and "done_at" in r else float("nan")
            to_exit = (r["ended_at"] - sig) if sig else float("nan")
            outcome = (f"{r['status']}, interrupted = {r['interrupted']}, {r['objective']} / {r['bound']}"
                       if "status" in r else r.get("error"))
            print(f"{backend:8s} {n:4d} {to_result:9.3f} {to_exit:8.3f} {r['peak_mb']:8.0f}  {outcome}", flush=True)


def table_instances(backends, limit: float) -> None:
    print(f"\n3. the issue's instances (time_limit = {limit:g} s; one line each: outcome or the message)")
    print(f"{'instance':32s} {'backend':8s} {'wall':>6s} {'overhead':>9s} {'peak MB':>8s}  outcome")
    for name, case in ISSUE_INSTANCES:
        if case["kind"] == "mooncake" and not MOONCAKE.exists():
            print(f"{name:32s} (skipped: {MOONCAKE} not found)")
            continue
        for backend in backends:
            r = run_child(solve_argv(case, backend, limit))
            if "wall" in r:
                outcome = f"{r['status']} {r['objective']} / {r['bound']} ({r['method']}); {r['message']}"
                print(f"{name:32s} {backend:8s} {r['wall']:6.2f} {r['wall'] - limit:+9.2f} {r['peak_mb']:8.0f}  "
                      f"{outcome[:260]}", flush=True)
            else:
                print(f"{name:32s} {backend:8s} {'-':>6s} {'-':>9s} {r['peak_mb']:8.0f}  {r.get('error')}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--busy", type=int, default=2, help="busy loops beside the solves (default 2)")
    ap.add_argument("--backends", nargs="+", default=["cpsat", "highs", "cbc"])
    ap.add_argument("--sizes", nargs="+", type=int, default=[16, 25, 40])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--ctrl-c-after", type=float, default=3.0)
    ap.add_argument("--only", nargs="+", choices=("limits", "ctrl-c", "instances"), default=["limits", "ctrl-c", "instances"])
    ap.add_argument("--no-cli", action="store_true", help="leave out the lpsched opt rows")
    ap.add_argument("--online", type=int, default=100, help="also jaillet_instance(N, 0, 'poisson', 0.05), solved "
                    "block by block (0: leave out; default 100)")
    ap.add_argument("--quick", action="store_true", help="n = 16, 4 s limit")
    args = ap.parse_args(argv)
    if args.quick:
        args.sizes, args.time_limit, args.online = [16], 4.0, 0
    loops = busy_loops(args.busy)
    print(f"{args.busy} busy loops beside every solve; {os.cpu_count()} cores; python {sys.version.split()[0]}")
    try:
        if "limits" in args.only:
            table_limits(args.backends, args.sizes, args.time_limit, not args.no_cli, args.online)
        if "ctrl-c" in args.only:
            table_ctrl_c(args.backends, args.sizes, args.ctrl_c_after)
        if "instances" in args.only:
            table_instances(args.backends, args.time_limit)
    finally:
        for p in loops:
            p.kill()
            p.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())

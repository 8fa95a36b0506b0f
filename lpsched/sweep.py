"""Resumable parameter sweeps: a grid of (policy, workload, n, M, arrival rate, prediction, seed) cells.

Every cell has a key (its parameters as canonical JSON).  Results are appended to a CSV file one row
per finished cell, flushed at once (:class:`lpsched.rowlog.RowLog`), so an interrupted sweep loses at most
the cells that were running; rerunning the same command skips every key already in the file and
computes only the rest.  A cell
that raises is written with its ``error`` (and counts as done), so nothing is silently dropped.

Backends run the same :func:`run_cell`: ``serial``, ``joblib`` (local processes) and ``dask`` (a
``distributed`` scheduler at ``scheduler=ADDRESS``, or a local cluster when no address is given).

Config (JSON): every axis is a list; the grid is their product.

>>> cfg = {"policy": ["fcfs", "mcsf"], "workload": ["uniform"], "n": [6], "seed": [0, 1]}
>>> len(cells(cfg))
4
"""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .rowlog import RowLog, canonical_key, read_results

__all__ = ["AXES", "cells", "cell_key", "run_cell", "run_sweep", "read_results", "load_config", "BACKENDS"]

# axis -> default value
AXES: dict[str, Any] = {
    "policy": "mcsf",
    "workload": "lmsys",
    "n": 200,
    "memory": None,          # None: the workload's default
    "arrival_rate": None,    # None: all at time 0 (traces keep their own times)
    "prediction": "none",
    "seed": 0,
}
METRIC_COLUMNS = ["tct", "tel", "mean_latency", "makespan", "per_token_latency_mean", "per_token_latency_p90",
                  "evictions", "wasted_tokens", "peak_memory", "seconds", "decisions"]
COLUMNS = ["key"] + list(AXES) + METRIC_COLUMNS + ["error"]


def load_config(path: str | Path) -> dict[str, list]:
    """Read a JSON sweep config (axis -> list of values)."""
    try:
        cfg = json.loads(Path(path).read_text())
    except json.JSONDecodeError as exc:
        raise ValueError(f"sweep config {str(path)!r} is not valid JSON: {exc}") from None
    return cfg


def cells(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The grid of a config: one dict per combination, axes in :data:`AXES` order."""
    unknown = set(config) - set(AXES)
    if unknown:
        raise ValueError(f"unknown sweep axes {sorted(unknown)}; valid axes: {', '.join(AXES)}")
    values = []
    for axis, default in AXES.items():
        v = config.get(axis, [default])
        v = v if isinstance(v, list) else [v]
        if not v:
            raise ValueError(f"sweep axis {axis!r} is an empty list")
        values.append(v)
    return [dict(zip(AXES, combo)) for combo in itertools.product(*values)]


def cell_key(cell: dict[str, Any]) -> str:
    return canonical_key({k: cell[k] for k in AXES})


def build_instance(cell: dict[str, Any]):
    """The instance of a cell: a workload generator or a trace, arrivals, predictions."""
    from . import traces, workloads
    name, n, M, seed = cell["workload"], int(cell["n"]), cell["memory"], int(cell["seed"])
    if name in workloads.GENERATORS:
        inst = workloads.generate(name, n, M, seed)
    elif name in traces.BUNDLED:
        inst = traces.load(name, memory=M or traces.DEFAULT_MEMORY, limit=n)
    else:
        raise ValueError(f"unknown workload {name!r}; valid: {', '.join(sorted(workloads.GENERATORS) + sorted(traces.BUNDLED))}")
    if cell["arrival_rate"] is not None:
        inst = workloads.with_arrivals(inst, workloads.poisson_arrivals(inst.n, float(cell["arrival_rate"]), seed + 1))
    return attach_predictions(inst, cell["prediction"], seed + 2)


PREDICTION_KINDS = ("none", "rough", "buckets[:width]", "overlap:x", "point:spread", "logt:sigma")


def attach_predictions(inst, name: str, seed: int):
    """The instance with the predictions named ``name``: one of :data:`PREDICTION_KINDS`.

    ``rough`` / ``buckets`` / ``overlap:x`` are the interval settings of the A_min experiments;
    ``point:spread`` noisy point predictions; ``logt:sigma`` calibrated log-t distributions.
    """
    from . import predictions as P
    from .model import Predictions

    kind, _, arg = str(name).partition(":")
    if kind == "none":
        return inst
    if kind == "rough":
        return P.with_intervals(inst, "rough", high=max(1000, int(inst.o.max())))
    if kind == "buckets":
        return P.with_intervals(inst, "buckets", **({"width": int(arg)} if arg else {}))
    if kind == "overlap" and arg:
        return P.with_intervals(inst, "overlap", x=float(arg))
    old = inst.predictions or Predictions()
    if kind == "point" and arg:
        point = P.point_predictions(inst.o, float(arg), seed)
        return inst.with_predictions(Predictions(old.lower, old.upper, point, old.mu, old.sigma, old.nu))
    if kind == "logt" and arg:
        mu, sigma = P.calibrated_logt(inst.o, sigma=float(arg), seed=seed)
        return inst.with_predictions(Predictions(old.lower, old.upper, old.point, mu, sigma, old.nu))
    raise ValueError(f"unknown prediction {name!r}; valid: {', '.join(PREDICTION_KINDS)}")


def run_cell(cell: dict[str, Any]) -> dict[str, Any]:
    """Simulate one cell; a row with its key, parameters and metrics (or its error)."""
    from .runner import simulate

    row: dict[str, Any] = {"key": cell_key(cell), **cell}
    t0 = time.perf_counter()
    try:
        res = simulate(build_instance(cell), cell["policy"], seed=int(cell["seed"]))
        row.update({k: v for k, v in res.to_dict().items() if k in METRIC_COLUMNS})
    except Exception as exc:  # recorded in the row: a failing cell is a result, not a lost one
        row["error"] = f"{type(exc).__name__}: {exc}"
    row["seconds"] = time.perf_counter() - t0
    return row


def _serial(func: Callable, todo: list, n_jobs: int, scheduler: str | None) -> Iterator[dict]:
    return map(func, todo)


def _joblib(func: Callable, todo: list, n_jobs: int, scheduler: str | None) -> Iterator[dict]:
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs, return_as="generator_unordered")(delayed(func)(c) for c in todo)


def _dask(func: Callable, todo: list, n_jobs: int, scheduler: str | None) -> Iterator[dict]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:  # pragma: no cover - depends on the install
        raise ImportError("the dask backend needs 'dask[distributed]': pip install 'lpsched[dask]'") from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=n_jobs, threads_per_worker=1, host="127.0.0.1", dashboard_address=None)
        scheduler = cluster.scheduler_address
    client = Client(scheduler)
    try:
        futures = client.map(func, todo, pure=False)
        for fut in as_completed(futures):
            yield fut.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


BACKENDS: dict[str, Callable] = {"serial": _serial, "joblib": _joblib, "dask": _dask}


def run_sweep(config: dict[str, Any], out: str | Path, backend: str = "joblib", n_jobs: int = 2,
              scheduler: str | None = None, progress: bool = False,
              func: Callable[[dict], dict] = run_cell) -> dict[str, Any]:
    """Run every cell of ``config`` not yet in ``out``; append rows as they finish.

    Returns a summary: cells in the grid, already done, computed now, errors, seconds, cells per second.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid backends: {', '.join(BACKENDS)}")
    if n_jobs < 1:
        raise ValueError(f"n_jobs = {n_jobs} must be >= 1")
    grid = cells(config)
    log = RowLog(out, COLUMNS)
    done = {r["key"] for r in log.read_and_open()}
    todo = [c for c in grid if cell_key(c) not in done]
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), desc="sweep", unit="cell")
    t0, errors, computed = time.perf_counter(), 0, 0
    with log:
        for row in BACKENDS[backend](func, todo, n_jobs, scheduler):
            log.append(row)
            computed += 1
            errors += bool(row.get("error"))
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    seconds = time.perf_counter() - t0
    return {"cells": len(grid), "already_done": len(grid) - len(todo), "computed": computed, "errors": errors,
            "seconds": seconds, "cells_per_second": computed / seconds if seconds > 0 else None}


def summarize(rows: Iterable[dict[str, str]]):
    """Results as a pandas DataFrame with numeric columns."""
    import pandas as pd

    frame = pd.DataFrame(list(rows))
    for col in METRIC_COLUMNS + ["n", "seed"]:
        if col in frame:
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame

"""Resumable parameter sweeps: a grid of (policy, workload, n, M, arrival rate, prediction, seed) cells.

Layer: theory.

Every cell has a key (its parameters as canonical JSON).  Results are appended to a CSV file one row
per finished cell, flushed at once (:class:`lpsched.rowlog.RowLog`), so an interrupted sweep loses at most
the cells that were running; rerunning the same command skips every key already in the file and
computes only the rest.  A cell
that raises is written with its ``error`` (and counts as done), so nothing is silently dropped.

Backends run the same :func:`run_cell`: ``serial``, ``joblib`` (local processes) and ``dask`` (a
``distributed`` scheduler at ``scheduler=ADDRESS``, or a local cluster when no address is given).

Config (JSON): an object whose axes (:data:`AXES`) are lists; the grid is their product.  The
``prediction`` axis takes the specs of :func:`lpsched.predictions.attach` (``"rough"``, ``"overlap:0.1"``,
``"buckets+point:0.5+logt:0.8"``, ...); ``lpsched sweep --intervals/--point/--logt`` adds parts to every
value (:func:`with_predictions`).

>>> cfg = {"policy": ["fcfs", "mcsf"], "workload": ["uniform"], "n": [6], "seed": [0, 1]}
>>> len(cells(cfg))
4
"""

from __future__ import annotations

import itertools
import json
import math
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .predictions import PREDICTION_KINDS  # noqa: F401  (re-exported: the prediction axis's kinds)
from .rowlog import RowLog, canonical_key, read_results

__all__ = ["AXES", "cells", "cell_key", "run_cell", "run_sweep", "read_results", "load_config", "check_config",
           "with_predictions", "attach_predictions", "BACKENDS"]

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
    """Read and check a JSON sweep config (an object: axis -> list of values; see :func:`check_config`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"sweep config {str(path)!r} is not a text file: {exc.reason}") from None
    except IsADirectoryError:
        raise ValueError(f"sweep config {str(path)!r} is a directory") from None
    try:
        cfg = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"sweep config {str(path)!r} is not valid JSON: {exc}") from None
    except RecursionError:
        raise ValueError(f"sweep config {str(path)!r}: JSON nested too deeply") from None
    return check_config(cfg, str(path))


def _int_value(axis: str, v: Any, minimum: int, where: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer() and abs(v) <= 2 ** 53:
            v = int(v)
        else:
            raise ValueError(f"{where}: axis {axis!r} value {v!r} must be an integer >= {minimum}")
    if not minimum <= v <= 2 ** 53:
        raise ValueError(f"{where}: axis {axis!r} value {v!r} must be an integer >= {minimum}")
    return v


def check_config(config: Any, where: str = "sweep config") -> dict[str, list]:
    """A config checked at the boundary: an object whose axes are :data:`AXES`, each a value or a non-empty
    list of values of the right type (errors name the axis and the value).

    ``policy`` and ``workload`` are names (strings; an unknown name becomes that cell's error row),
    ``n`` an integer >= 1, ``memory`` an integer >= 2 or null, ``arrival_rate`` a finite number > 0 or
    null, ``prediction`` a spec of :func:`lpsched.predictions.parse_spec`, ``seed`` an integer >= 0.

    >>> check_config({"policy": "fcfs", "n": [5, 10]})["n"]
    [5, 10]
    >>> check_config([1, 2])
    Traceback (most recent call last):
    ...
    ValueError: sweep config: expected a JSON object (axis -> list of values), got a list
    """
    from .predictions import parse_spec

    if not isinstance(config, dict):
        kind = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean",
                type(None): "null"}.get(type(config), type(config).__name__)
        raise ValueError(f"{where}: expected a JSON object (axis -> list of values), got {kind}")
    unknown = [k for k in config if k not in AXES]
    if unknown:
        raise ValueError(f"{where}: unknown sweep axes {sorted(map(str, unknown))}; valid axes: {', '.join(AXES)}")
    out: dict[str, list] = {}
    for axis, raw in config.items():
        values = raw if isinstance(raw, list) else [raw]
        if not values:
            raise ValueError(f"{where}: sweep axis {axis!r} is an empty list")
        checked = []
        for v in values:
            if axis in ("policy", "workload"):
                if not isinstance(v, str) or not v:
                    raise ValueError(f"{where}: axis {axis!r} value {v!r} must be a name (a string)")
            elif axis == "n":
                v = _int_value(axis, v, 1, where)
            elif axis == "seed":
                v = _int_value(axis, v, 0, where)
            elif axis == "memory":
                v = None if v is None else _int_value(axis, v, 2, where)
            elif axis == "arrival_rate":
                if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                                      or not math.isfinite(v) or v <= 0):
                    raise ValueError(f"{where}: axis 'arrival_rate' value {v!r} must be a finite number > 0 "
                                     f"(or null: all at 0)")
            elif axis == "prediction":
                try:
                    parse_spec(v)
                except ValueError as exc:
                    raise ValueError(f"{where}: axis 'prediction': {exc}") from None
            checked.append(v)
        out[axis] = checked
    return out


def cells(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The grid of a config: one dict per combination, axes in :data:`AXES` order (checked first)."""
    config = check_config(config)
    values = [config.get(axis, [default]) for axis, default in AXES.items()]
    return [dict(zip(AXES, combo)) for combo in itertools.product(*values)]


def with_predictions(config: dict[str, Any], extra: str | None) -> dict[str, Any]:
    """``config`` whose ``prediction`` axis also attaches ``extra`` (a spec) in every cell.

    The extra parts join each value of the axis (``"buckets"`` -> ``"buckets+point:0.5"``), so they are part
    of every cell's key: a resumed sweep never mixes cells computed with and without them.

    >>> with_predictions({"policy": ["amin"], "prediction": ["rough", "none"]}, "point:0.5")["prediction"]
    ['rough+point:0.5', 'point:0.5']
    """
    if not extra or extra == "none":
        return dict(config)
    config = check_config(config)
    values = config.get("prediction", ["none"])
    joined = [extra if v in ("none", "") else f"{v}+{extra}" for v in values]
    return {**config, "prediction": joined}


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


def attach_predictions(inst, name: str, seed: int):
    """The instance with the predictions named ``name``: :func:`lpsched.predictions.attach` (kept here for
    existing code; the kinds are :data:`lpsched.predictions.PREDICTION_KINDS`, joinable with ``+``)."""
    from .predictions import attach

    return attach(inst, name, seed)


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

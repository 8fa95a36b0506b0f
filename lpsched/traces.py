"""Trace loaders and summaries (``SPEC.md`` section 7).

Bundled data (in ``lpsched/data/``, with licences):

* ``conv`` / ``code`` — Azure LLM inference traces, one hour each of a production conversation and a
  code-completion service (Nov 2023); CC-BY 4.0; cite Patel et al., "Splitwise: Efficient Generative
  LLM Inference Using Phase Splitting", ISCA 2024 (Azure/AzurePublicDataset).
* ``arxiv`` — arXiv-summarization prompt/output token lengths (Cohan et al. 2018, Llama-2 tokenizer)
  from microsoft/vidur, MIT licence; no arrival times.

Loaders: :func:`load_azure` (the Azure CSV format), :func:`load_table` (any CSV or JSONL with a column
mapping), :func:`load` (dispatch on a bundled name or a file's extension, including the instance JSON
format).  Malformed rows raise :class:`TraceError` naming the file and line; nothing is skipped.

Time: the model's unit is one decoding step.  Wall-clock arrival times (seconds) are turned into steps
with ``steps_per_second`` (default 100, i.e. a 10 ms decoding iteration); arrival = floor(seconds *
steps_per_second) counted from the first row.

>>> from lpsched.traces import load
>>> inst = load("conv", limit=100)
>>> inst.n, inst.memory
(100, 16492)
"""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path
from typing import Mapping

import numpy as np

from .model import Instance, InstanceError

__all__ = ["TraceError", "BUNDLED", "data_path", "load", "load_azure", "load_table", "load_csv_columns",
           "summarize"]

DEFAULT_MEMORY = 16492  # KV budget of Llama-2-70B on two A100s in the MC-SF experiments
BUNDLED = {
    "conv": "AzureLLMInferenceTrace_conv.csv",
    "code": "AzureLLMInferenceTrace_code.csv",
    "arxiv": "vidur_arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv",
}


class TraceError(InstanceError):
    """A trace file is malformed; the message names the file and the line."""


def data_path(name: str) -> Path:
    """Path of a bundled data file (``conv``, ``code`` or ``arxiv``)."""
    if name not in BUNDLED:
        raise ValueError(f"unknown bundled trace {name!r}; valid names: {', '.join(sorted(BUNDLED))}")
    return Path(str(resources.files("lpsched") / "data" / BUNDLED[name]))


def _resolve(source: str | Path) -> Path:
    if isinstance(source, str) and source in BUNDLED:
        return data_path(source)
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"trace file {str(path)!r} does not exist (bundled names: {', '.join(sorted(BUNDLED))})")
    return path


def _number(value: str, path: Path, line: int, column: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TraceError(f"{path.name}, line {line}: column {column!r} = {value!r} is not a number") from None


def _integer(value: str, path: Path, line: int, column: str, minimum: int) -> int:
    x = _number(value, path, line, column)
    if not np.isfinite(x) or x != int(x):
        raise TraceError(f"{path.name}, line {line}: column {column!r} = {value!r} is not an integer")
    if x < minimum:
        raise TraceError(f"{path.name}, line {line}: column {column!r} = {value!r} must be >= {minimum}")
    return int(x)


def _seconds(value: str, path: Path, line: int, column: str) -> float:
    """A timestamp in seconds: a plain number, or a date-time string such as ``2023-11-16 18:15:46.68``."""
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return np.datetime64(value.strip(), "ns").astype(np.int64) / 1e9
    except ValueError:
        raise TraceError(f"{path.name}, line {line}: column {column!r} = {value!r} is not a time") from None


def _rows(path: Path):
    """Yield ``(line_number, dict)`` from a CSV (header on line 1) or a JSONL file."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        with path.open() as fh:
            for line, text in enumerate(fh, start=1):
                if not text.strip():
                    continue
                try:
                    row = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise TraceError(f"{path.name}, line {line}: malformed JSON ({exc.msg})") from None
                if not isinstance(row, dict):
                    raise TraceError(f"{path.name}, line {line}: expected a JSON object")
                yield line, {k: str(v) for k, v in row.items()}
        return
    with path.open(newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise TraceError(f"{path.name}: the file is empty")
        header = [h.strip() for h in header]
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise TraceError(f"{path.name}, line {line}: {len(row)} fields, the header has {len(header)}")
            yield line, dict(zip(header, row))


def load_csv_columns(path: str | Path, columns: list[str]) -> dict[str, np.ndarray]:
    """Integer columns of a CSV/JSONL file, validated row by row (used for the arXiv lengths)."""
    path = _resolve(path)
    out: dict[str, list[int]] = {c: [] for c in columns}
    for line, row in _rows(path):
        for c in columns:
            if c not in row:
                raise TraceError(f"{path.name}, line {line}: missing column {c!r} (has {sorted(row)})")
            out[c].append(_integer(row[c], path, line, c, 1 if c != "arrival" else 0))
    return {c: np.asarray(v, dtype=np.int64) for c, v in out.items()}


def load_table(path: str | Path, memory: int = DEFAULT_MEMORY, prompt: str = "prompt", output: str = "output",
               arrival: str | None = None, steps_per_second: float = 100.0, limit: int | None = None,
               name: str | None = None, drop_oversize: bool = False) -> Instance:
    """Load any CSV or JSONL trace with a column mapping.

    Parameters
    ----------
    prompt, output : column names of the prompt and output token counts.
    arrival : column of arrival times (seconds, or a date-time string), or ``None`` for all at 0.
    steps_per_second : decoding steps per second of wall-clock time.
    limit : read only the first ``limit`` requests.

    Arrival times must be non-decreasing; an earlier time than the previous row is an error naming
    the line.  A request with ``s + o > memory`` can never complete: it is an error, unless
    ``drop_oversize=True``, which removes such requests and says how many in the instance's name.
    """
    path = _resolve(path)
    if not (np.isfinite(steps_per_second) and steps_per_second > 0):
        raise TraceError(f"steps_per_second = {steps_per_second!r} must be a finite positive number")
    if limit is not None and limit < 1:
        raise TraceError(f"limit = {limit!r} must be >= 1")
    s, o, t = [], [], []
    for line, row in _rows(path):
        for c in (prompt, output) + ((arrival,) if arrival else ()):
            if c not in row:
                raise TraceError(f"{path.name}, line {line}: missing column {c!r} (has {sorted(row)})")
        s.append(_integer(row[prompt], path, line, prompt, 1))
        o.append(_integer(row[output], path, line, output, 1))
        if arrival:
            sec = _seconds(row[arrival], path, line, arrival)
            if t and sec < t[-1]:
                raise TraceError(f"{path.name}, line {line}: arrival {row[arrival]!r} is earlier than the previous row's")
            t.append(sec)
        if limit is not None and len(s) >= limit:
            break
    if not s:
        raise TraceError(f"{path.name}: no requests")
    a = None
    if arrival:
        tt = np.asarray(t)
        a = np.floor((tt - tt[0]) * steps_per_second + 1e-9).astype(np.int64)
    big = [i for i in range(len(s)) if s[i] + o[i] > memory]
    label = name or path.stem
    if big and not drop_oversize:
        i = big[0]
        raise TraceError(f"{path.name}: request {i} has s + o = {s[i]} + {o[i]} > memory = {memory} "
                         f"({len(big)} such rows); raise memory or pass drop_oversize=True")
    if big:
        keep = np.setdiff1d(np.arange(len(s)), big)
        s, o = np.asarray(s)[keep], np.asarray(o)[keep]
        a = None if a is None else a[keep]
        label += f" ({len(big)} requests with s + o > M dropped)"
    return Instance(memory, s, o, a, name=label)


def load_azure(source: str | Path = "conv", memory: int = DEFAULT_MEMORY, steps_per_second: float = 100.0,
               limit: int | None = None, drop_oversize: bool = False) -> Instance:
    """An Azure LLM inference trace (columns TIMESTAMP, ContextTokens, GeneratedTokens) as an instance.

    ``source`` is ``"conv"``, ``"code"`` (bundled) or a path in the same format.
    """
    label = f"azure_{source}" if isinstance(source, str) and source in BUNDLED else None
    return load_table(source, memory, "ContextTokens", "GeneratedTokens", "TIMESTAMP", steps_per_second,
                      limit, label, drop_oversize)


def load(source: str | Path, memory: int = DEFAULT_MEMORY, limit: int | None = None,
         steps_per_second: float = 100.0, columns: Mapping[str, str] | None = None,
         drop_oversize: bool = False) -> Instance:
    """Load a bundled trace (``conv``, ``code``, ``arxiv``), an instance ``.json``, or a CSV/JSONL trace.

    For CSV/JSONL other than the Azure format, ``columns`` maps ``prompt``/``output``/``arrival`` to the
    file's column names (default: the same names).
    """
    if source == "arxiv":
        from .workloads import arxiv_lengths

        s, o = arxiv_lengths()
        if limit is not None:
            s, o = s[:limit], o[:limit]
        return Instance(memory, s, o, name="arxiv")
    if isinstance(source, str) and source in BUNDLED:
        return load_azure(source, memory, steps_per_second, limit, drop_oversize)
    path = _resolve(source)
    if path.suffix.lower() == ".json":
        inst = Instance.from_json(path)
        return inst if limit is None else inst.subset(np.arange(min(limit, inst.n)))
    with path.open() as fh:
        first = fh.readline()
    if columns is None and "ContextTokens" in first and "GeneratedTokens" in first:
        return load_azure(path, memory, steps_per_second, limit, drop_oversize)
    cols = {"prompt": "prompt", "output": "output", "arrival": None, **(columns or {})}
    unknown = set(cols) - {"prompt", "output", "arrival"}
    if unknown:
        raise ValueError(f"unknown column roles {sorted(unknown)}; valid: prompt, output, arrival")
    if columns is None and "arrival" in first:
        cols["arrival"] = "arrival"
    return load_table(path, memory, cols["prompt"], cols["output"], cols["arrival"], steps_per_second, limit,
                      drop_oversize=drop_oversize)


def summarize(instance: Instance) -> dict:
    """Summary statistics of a trace: counts, prompt/output quantiles, arrival span and rate."""
    def stats(x: np.ndarray) -> dict:
        q = np.percentile(x, [50, 90, 99])
        return {"min": int(x.min()), "mean": float(x.mean()), "median": float(q[0]), "p90": float(q[1]),
                "p99": float(q[2]), "max": int(x.max()), "var": float(x.var())}

    span = int(instance.a.max() - instance.a.min())
    return {
        "name": instance.name,
        "requests": instance.n,
        "memory": instance.memory,
        "prompt": stats(instance.s),
        "output": stats(instance.o),
        "arrival_span_steps": span,
        "arrival_rate_per_step": instance.n / span if span else None,
        "s_plus_o_max_over_M": float((instance.s + instance.o).max() / instance.memory),
    }

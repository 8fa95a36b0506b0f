"""Request traces: loaders that recognise the public formats, and summaries.

Layer: model.

How a trace becomes an instance (``docs/model.md``, "Traces"): every row is one request with prompt size
``s`` (tokens), output length ``o`` (tokens) and an arrival time; the model's time unit is one decoding
step, so a wall-clock arrival ``t`` becomes ``a = floor((t - t_first) * steps_per_second)`` (default 100
steps per second, a 10 ms decoding iteration).  Arrival times must not decrease from one row to the next.

Recognised formats (:data:`FORMATS`; a file is of the first format whose column names it has, matched
exactly; prompt, output and arrival columns, and the unit of numeric arrival times):

* ``azure`` -- ``ContextTokens``, ``GeneratedTokens``, ``TIMESTAMP`` (date-times: naive in the 2023 traces,
  with a ``+00:00`` offset in the 2024 ones); Azure/AzurePublicDataset, CC-BY 4.0.
* ``mooncake`` -- ``input_length``, ``output_length``, ``timestamp`` (milliseconds); kvcache-ai/Mooncake
  traces (JSONL).
* ``burstgpt`` -- ``Request tokens``, ``Response tokens``, ``Timestamp`` (seconds); HPMLL/BurstGPT.
* ``vidur`` -- ``num_prefill_tokens``, ``num_decode_tokens``, optional ``arrived_at`` (seconds);
  microsoft/vidur processed traces.
* ``sharegpt`` -- ``input_toks``, ``output_toks``, optional ``arrival_time_ns`` (nanoseconds); the
  ShareGPT-derived JSONL of casys-kaist/LLMServingSim.
* ``generic`` -- ``prompt``, ``output``, optional ``arrival`` (seconds).

Any other CSV or JSONL loads with a column mapping (``columns={"prompt": ..., "output": ..., "arrival":
...}``, the CLI's ``--columns prompt=...,output=...,arrival=...``) and a time unit (``time_unit="s"``,
``"ms"``, ``"us"``, ``"ns"``, or ``"step"`` for arrivals already in decoding steps); date-time strings are
read as such whatever the unit.  Without a mapping, common column names (``prompt_tokens``,
``arrival_time``, ...; :data:`ALIASES`) are tried and the choice is reported.

Every bad row is an error (:class:`TraceError`) naming the file, the line, the column and the value; lines
starting with ``#`` before the first record are comments.  Nothing is dropped unless asked: with
``drop_oversize=True`` requests with ``s + o > M`` are removed, with ``drop_zero=True`` rows with 0 prompt
or 0 output tokens (BurstGPT's failed requests) are; both are counted in the result and in the instance
name.  ``memory="auto"`` picks the smallest ``M`` that keeps every request, ``max(s + o)``.

Bundled data (in ``lpsched/data/``, with licences):

* ``conv`` / ``code`` — Azure LLM inference traces, one hour each of a production conversation and a
  code-completion service (Nov 2023); CC-BY 4.0; cite Patel et al., "Splitwise: Efficient Generative
  LLM Inference Using Phase Splitting", ISCA 2024 (Azure/AzurePublicDataset).
* ``arxiv`` — arXiv-summarization prompt/output token lengths (Cohan et al. 2018, Llama-2 tokenizer)
  from microsoft/vidur, MIT licence; no arrival times.

Examples
--------
>>> from lpsched.traces import load, read
>>> inst = load("conv", limit=100)
>>> inst.n, inst.memory
(100, 16492)
>>> t = read("conv", memory="auto", limit=100)
>>> t.format, t.instance.memory == int((t.instance.s + t.instance.o).max())
('azure', True)
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np

from .model import Instance, InstanceError

__all__ = ["TraceError", "TraceFormat", "Trace", "FORMATS", "ALIASES", "TIME_UNITS", "BUNDLED", "DEFAULT_MEMORY",
           "data_path", "read", "load", "load_azure", "load_table", "load_csv_columns", "parse_columns",
           "parse_memory", "summarize"]

DEFAULT_MEMORY = 16492  # KV budget of Llama-2-70B on two A100s in the MC-SF experiments
MAX_VALUE = 2 ** 53     # token counts and arrival steps above this are refused (exact in float64, no overflow)
BUNDLED = {
    "conv": "AzureLLMInferenceTrace_conv.csv",
    "code": "AzureLLMInferenceTrace_code.csv",
    "arxiv": "vidur_arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv",
}
TIME_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9, "step": None}


class TraceError(InstanceError):
    """A trace file is malformed; the message names the file, the line, the column and the value."""


@dataclass(frozen=True)
class TraceFormat:
    """A trace format recognised by its column names.

    ``arrival`` may be ``None`` (no arrival times: all at 0); ``arrival_optional`` means the format is
    recognised without it and uses it when present.  ``time_unit`` is the unit of numeric arrival times
    (:data:`TIME_UNITS`); date-time strings are always read as date-times.
    """

    name: str
    prompt: str
    output: str
    arrival: str | None
    time_unit: str
    source: str
    arrival_optional: bool = False

    def matches(self, columns) -> bool:
        need = {self.prompt, self.output} | ({self.arrival} if self.arrival and not self.arrival_optional else set())
        return need <= set(columns)


FORMATS: dict[str, TraceFormat] = {f.name: f for f in (
    TraceFormat("azure", "ContextTokens", "GeneratedTokens", "TIMESTAMP", "s",
                "Azure LLM inference traces 2023 and 2024 (Azure/AzurePublicDataset, CC-BY 4.0)"),
    TraceFormat("mooncake", "input_length", "output_length", "timestamp", "ms",
                "Mooncake traces (kvcache-ai/Mooncake, FAST25-release/traces)"),
    TraceFormat("burstgpt", "Request tokens", "Response tokens", "Timestamp", "s",
                "BurstGPT (HPMLL/BurstGPT, CC-BY 4.0)"),
    TraceFormat("vidur", "num_prefill_tokens", "num_decode_tokens", "arrived_at", "s",
                "vidur processed traces (microsoft/vidur, MIT)", arrival_optional=True),
    TraceFormat("sharegpt", "input_toks", "output_toks", "arrival_time_ns", "ns",
                "ShareGPT-derived JSONL (casys-kaist/LLMServingSim dataset/)", arrival_optional=True),
    TraceFormat("generic", "prompt", "output", "arrival", "s", "lpsched's generic columns",
                arrival_optional=True),
)}

# role -> column names tried (case-insensitively) in a file no format recognises
ALIASES: dict[str, tuple[str, ...]] = {
    "prompt": ("prompt", "prompt_tokens", "prompt_len", "prompt_length", "input_tokens", "input_len",
               "input_length", "num_prompt_tokens", "context_tokens", "s"),
    "output": ("output", "output_tokens", "output_len", "output_length", "completion_tokens", "response_tokens",
               "generated_tokens", "num_output_tokens", "decode_tokens", "o"),
    "arrival": ("arrival", "arrival_time", "arrived_at", "arrival_s", "timestamp", "time", "a"),
}


@dataclass(frozen=True)
class Trace:
    """A loaded trace: the instance and how it was read (format, columns, units, memory, what was dropped)."""

    instance: Instance
    path: str
    format: str
    columns: dict[str, str | None]
    time_unit: str | None
    steps_per_second: float
    rows: int
    memory_auto: bool = False
    dropped_oversize: int = 0
    dropped_zero: int = 0
    notes: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        """One line saying what was read: format, columns, time conversion, M, drops."""
        cols = ", ".join(f"{role} = {col!r}" for role, col in self.columns.items() if col)
        parts = [f"{self.path}: {self.rows} rows, format {self.format} ({cols})"]
        if self.columns.get("arrival"):
            if self.time_unit == "step":
                parts.append("arrivals already in steps")
            else:
                unit = "date-times" if self.time_unit is None else f"in {self.time_unit}"
                parts.append(f"arrivals {unit} -> steps at {self.steps_per_second:g} steps/s")
        else:
            parts.append("no arrival column: all at 0")
        M = self.instance.memory
        parts.append(f"M = auto = {M:,} (the largest s + o)" if self.memory_auto else f"M = {M:,}")
        if self.dropped_oversize:
            parts.append(f"{self.dropped_oversize} requests with s + o > M dropped")
        if self.dropped_zero:
            parts.append(f"{self.dropped_zero} rows with 0 prompt or output tokens dropped")
        return "; ".join(parts + list(self.notes))

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "columns": dict(self.columns), "time_unit": self.time_unit,
                "steps_per_second": self.steps_per_second, "rows": self.rows, "requests": self.instance.n,
                "memory": self.instance.memory, "memory_auto": self.memory_auto,
                "dropped_oversize": self.dropped_oversize, "dropped_zero": self.dropped_zero,
                "notes": list(self.notes)}


# ----------------------------------------------------------------------------------------------- paths
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
    if path.is_dir():
        raise TraceError(f"trace {str(path)!r} is a directory, not a file")
    return path


def _label(source: str | Path, path: Path) -> str:
    return str(source) if isinstance(source, str) and source in BUNDLED else str(path)


# ----------------------------------------------------------------------------------------------- arguments
def parse_columns(text: str | Mapping[str, str] | None) -> dict[str, str] | None:
    """``"prompt=in,output=out,arrival=t"`` (or a mapping) as ``{"prompt": "in", ...}``; roles checked.

    >>> parse_columns("prompt=Request tokens,output=Response tokens")
    {'prompt': 'Request tokens', 'output': 'Response tokens'}
    """
    if text is None:
        return None
    if isinstance(text, Mapping):
        pairs = list(text.items())
    else:
        pairs = []
        for item in str(text).split(","):
            if not item.strip():
                continue
            if "=" not in item:
                raise ValueError(f"--columns {text!r}: {item.strip()!r} is not ROLE=COLUMN "
                                 f"(e.g. prompt=input_length,output=output_length,arrival=timestamp)")
            role, col = item.split("=", 1)
            pairs.append((role.strip(), col.strip()))
    out: dict[str, str] = {}
    for role, col in pairs:
        if role not in ("prompt", "output", "arrival"):
            raise ValueError(f"unknown column role {role!r} in --columns; valid roles: prompt, output, arrival")
        if not isinstance(col, str) or not col:
            raise ValueError(f"--columns {role}= needs a column name, got {col!r}")
        if role in out:
            raise ValueError(f"--columns gives the role {role!r} twice")
        out[role] = col
    if not out:
        raise ValueError(f"--columns {text!r} names no column")
    return out


def parse_memory(value: Any) -> int | str:
    """A memory budget: an integer ``>= 2`` or ``"auto"`` (errors name the value).

    >>> parse_memory("auto"), parse_memory("16492")
    ('auto', 16492)
    """
    if isinstance(value, str):
        if value.strip().lower() == "auto":
            return "auto"
        try:
            value = int(value.strip())
        except ValueError:
            raise ValueError(f"memory = {value!r} is neither an integer nor 'auto'") from None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"memory = {value!r} must be an integer >= 2 or 'auto'")
    if not 2 <= int(value) <= MAX_VALUE:
        raise ValueError(f"memory = {value!r} must be an integer in [2, 2^53] or 'auto'")
    return int(value)


def _check_rate(steps_per_second: Any) -> float:
    if isinstance(steps_per_second, bool) or not isinstance(steps_per_second, (int, float, np.integer, np.floating)):
        raise TraceError(f"steps_per_second = {steps_per_second!r} must be a finite positive number")
    if not (math.isfinite(steps_per_second) and steps_per_second > 0):
        raise TraceError(f"steps_per_second = {steps_per_second!r} must be a finite positive number")
    return float(steps_per_second)


# ----------------------------------------------------------------------------------------------- rows
def _is_jsonl(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return True
    if suffix in (".csv", ".tsv"):
        return False
    with path.open(encoding="utf-8", errors="replace") as fh:
        for text in fh:
            if text.strip() and not text.lstrip().startswith("#"):
                return text.lstrip().startswith("{")
    return False


def _rows(path: Path, label: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line_number, record)`` from a CSV (header first) or a JSONL file; leading ``#`` lines skipped."""
    try:
        if _is_jsonl(path):
            yield from _jsonl_rows(path, label)
        else:
            yield from _csv_rows(path, label)
    except UnicodeDecodeError as exc:
        raise TraceError(f"{label}: not a text file (UTF-8): {exc.reason} at byte {exc.start}") from None


def _jsonl_rows(path: Path, label: str):
    seen_record = False
    with path.open(encoding="utf-8") as fh:
        for line, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            if not seen_record and text.lstrip().startswith("#"):
                continue
            seen_record = True
            try:
                row = json.loads(text)
            except (json.JSONDecodeError, RecursionError) as exc:
                raise TraceError(f"{label}, line {line}: malformed JSON ({getattr(exc, 'msg', exc)})") from None
            if not isinstance(row, dict):
                raise TraceError(f"{label}, line {line}: expected a JSON object, got {type(row).__name__}")
            yield line, row


def _csv_rows(path: Path, label: str):
    with path.open(newline="", encoding="utf-8") as fh:
        line = 0
        header_text = None
        for text in fh:                       # leading comment lines and blank lines before the header
            line += 1
            if text.strip() and not text.lstrip().startswith("#"):
                header_text = text
                break
        if header_text is None:
            raise TraceError(f"{label}: the file is empty (no header line)")
        if "\x00" in header_text:
            raise TraceError(f"{label}, line {line}: not a text CSV file (NUL byte)")
        header = [h.strip() for h in next(csv.reader([header_text]))]
        if len(set(header)) != len(header):
            dup = next(h for h in header if header.count(h) > 1)
            raise TraceError(f"{label}, line {line}: the header names column {dup!r} twice")
        first_data = line + 1
        try:
            reader = csv.reader(fh)
            for row in reader:
                at = first_data + reader.line_num - 1
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise TraceError(f"{label}, line {at}: {len(row)} fields, the header has {len(header)}")
                yield at, dict(zip(header, row))
        except csv.Error as exc:
            raise TraceError(f"{label}, line {first_data + reader.line_num - 1}: malformed CSV ({exc})") from None


def _first_record(path: Path, label: str) -> tuple[int, dict[str, Any]] | None:
    for line, row in _rows(path, label):
        return line, row
    return None


# ----------------------------------------------------------------------------------------------- values
def _where(label: str, line: int, column: str, value: Any) -> str:
    return f"{label}, line {line}, column {column!r}: value {value!r}"


def _integer(value: Any, label: str, line: int, column: str, minimum: int, zero_ok: bool = False) -> int:
    where = _where(label, line, column, value)
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise TraceError(f"{where} is not a number")
    if isinstance(value, int):
        x: float | int = value
    else:
        try:
            x = float(str(value).strip())
        except ValueError:
            raise TraceError(f"{where} is not a number") from None
        if not math.isfinite(x) or x != int(x):
            raise TraceError(f"{where} is not an integer")
        x = int(x)
    if x < minimum and not (x == 0 and zero_ok):
        raise TraceError(f"{where} must be >= {minimum}")
    if x > MAX_VALUE:
        raise TraceError(f"{where} is larger than 2^53 tokens")
    return int(x)


def _time(value: Any, label: str, line: int, column: str) -> tuple[float, bool]:
    """A time: ``(number, False)`` for a plain number, ``(seconds since the epoch, True)`` for a date-time."""
    where = _where(label, line, column, value)
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise TraceError(f"{where} is not a time")
    if isinstance(value, (int, float)):
        x = float(value)
    else:
        text = str(value).strip()
        try:
            x = float(text)
        except ValueError:
            try:
                d = datetime.fromisoformat(text)
            except ValueError:
                raise TraceError(f"{where} is not a time (a number or an ISO date-time)") from None
            if d.tzinfo is None:
                d = d.replace(tzinfo=timezone.utc)
            return d.timestamp(), True
    if not math.isfinite(x):
        raise TraceError(f"{where} is not a finite time")
    return x, False


# ----------------------------------------------------------------------------------------------- loading
def _choose_columns(header: list[str], columns: Mapping[str, str] | None, label: str,
                    line: int) -> tuple[str, dict[str, str | None], str | None, list[str]]:
    """(format name, role -> column, the format's time unit or None, notes)."""
    if columns:
        cols = {"prompt": "prompt", "output": "output", "arrival": None, **columns}
        missing = [c for c in (cols["prompt"], cols["output"], cols["arrival"]) if c and c not in header]
        if missing:
            raise TraceError(f"{label}, line {line}: missing column {missing[0]!r} (the file has {header})")
        return "custom", cols, None, []
    for fmt in FORMATS.values():
        if fmt.matches(header):
            arrival = fmt.arrival if fmt.arrival in header else None
            return fmt.name, {"prompt": fmt.prompt, "output": fmt.output, "arrival": arrival}, fmt.time_unit, []
    lower = {h.lower(): h for h in header}
    found: dict[str, str | None] = {}
    for role, names in ALIASES.items():
        hits = [lower[n] for n in names if n in lower]
        found[role] = hits[0] if hits else None
    if not found["prompt"] or not found["output"]:
        known = "; ".join(f"{f.name}: {f.prompt!r}, {f.output!r}" + (f", {f.arrival!r}" if f.arrival else "")
                          for f in FORMATS.values())
        raise TraceError(f"{label}, line {line}: no prompt/output columns recognised among {header}; give them "
                         f"with --columns prompt=COL,output=COL[,arrival=COL] (Python: columns={{...}}); "
                         f"recognised formats: {known}")
    note = "columns guessed from their names: " + ", ".join(f"{r} = {c!r}" for r, c in found.items() if c)
    return "generic", found, None, [note]


def read(source: str | Path, memory: int | str = DEFAULT_MEMORY, *, limit: int | None = None,
         steps_per_second: float = 100.0, time_unit: str | None = None, columns: Mapping[str, str] | str | None = None,
         drop_oversize: bool = False, drop_zero: bool = False, name: str | None = None) -> Trace:
    """Read a trace file (or a bundled name) into a :class:`Trace`: the instance and how it was read.

    Parameters
    ----------
    source : a bundled name (``conv``, ``code``, ``arxiv``), an instance ``.json`` file, or a CSV / JSONL
        trace in a recognised format (:data:`FORMATS`) or with ``columns``.
    memory : KV-cache size ``M`` in tokens, or ``"auto"``: the smallest ``M`` keeping every request.
    limit : read only the first ``limit`` rows.
    steps_per_second : decoding steps per second of wall-clock time (arrival ``t`` -> ``floor(t * rate)``
        steps after the first row).
    time_unit : unit of numeric arrival times, one of :data:`TIME_UNITS` (default: the format's, ``"s"``
        for generic files); ``"step"`` takes arrivals as decoding steps.
    columns : role -> column (``prompt``, ``output``, ``arrival``), or the CLI's ``"prompt=A,output=B"``.
    drop_oversize : drop requests with ``s + o > M`` (counted) instead of failing.
    drop_zero : drop rows with 0 prompt or 0 output tokens (counted) instead of failing.

    Returns
    -------
    Trace

    Raises
    ------
    TraceError
        Naming the file, line, column and value of the first bad row.

    Examples
    --------
    >>> t = read("code", memory=8192, limit=50)
    >>> t.format, t.instance.n, t.columns["arrival"]
    ('azure', 50, 'TIMESTAMP')
    """
    memory = parse_memory(memory)
    rate = _check_rate(steps_per_second)
    if time_unit is not None and time_unit not in TIME_UNITS:
        raise TraceError(f"time unit {time_unit!r} is not one of {', '.join(TIME_UNITS)}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1):
        raise TraceError(f"limit = {limit!r} must be an integer >= 1")
    cols_arg = parse_columns(columns)
    if isinstance(source, str) and source == "arxiv":
        return _read_arxiv(memory, limit, drop_oversize)
    path = _resolve(source)
    label = _label(source, path)
    if path.suffix.lower() == ".json":
        inst = _instance_json(path, label)
        if inst is not None:
            if limit is not None:
                inst = inst.subset(np.arange(min(limit, inst.n)))
            return Trace(inst, label, "instance-json", {"prompt": "s", "output": "o", "arrival": "a"}, "step", rate,
                         inst.n, notes=("an instance JSON file: M, s, o, a as written",))
    first = _first_record(path, label)
    if first is None:
        raise TraceError(f"{label}: no requests")
    fmt, cols, fmt_unit, notes = _choose_columns(list(first[1]), cols_arg, label, first[0])
    unit = time_unit or fmt_unit or "s"
    p_col, o_col, a_col = cols["prompt"], cols["output"], cols["arrival"]
    s, o, t, lines = [], [], [], []
    zero = 0
    kind = None                                   # arrivals are all numbers or all date-times
    rows = 0
    for line, row in _rows(path, label):
        for c in (p_col, o_col) + ((a_col,) if a_col else ()):
            if c not in row:
                raise TraceError(f"{label}, line {line}: missing column {c!r} (the row has {sorted(row)})")
        rows += 1
        si = _integer(row[p_col], label, line, p_col, 1, zero_ok=True)
        oi = _integer(row[o_col], label, line, o_col, 1, zero_ok=True)
        if a_col:
            x, is_date = _time(row[a_col], label, line, a_col)
            if kind is None:
                kind = is_date
            elif kind != is_date:
                raise TraceError(f"{_where(label, line, a_col, row[a_col])} is a "
                                 f"{'date-time' if is_date else 'number'}, earlier rows are "
                                 f"{'date-times' if kind else 'numbers'}")
            if t and x < t[-1]:
                raise TraceError(f"{_where(label, line, a_col, row[a_col])}: arrival is earlier than the "
                                 f"previous row's (line {lines[-1] if lines else '?'}); rows must be in arrival order")
        if si == 0 or oi == 0:
            if not drop_zero:
                c, v = (p_col, row[p_col]) if si == 0 else (o_col, row[o_col])
                raise TraceError(f"{_where(label, line, c, v)} must be >= 1 (a request needs a prompt and an "
                                 f"output token; drop such rows, e.g. BurstGPT's failed requests, with --drop-zero)")
            zero += 1
        else:
            s.append(si)
            o.append(oi)
            lines.append(line)
            if a_col:
                t.append(x)
        if limit is not None and rows >= limit:
            break
    if not s:
        raise TraceError(f"{label}: no requests" + (f" ({zero} rows with 0 tokens dropped)" if zero else ""))
    a = None
    if a_col:
        tt = np.asarray(t, dtype=float)
        if kind:                                  # date-times: seconds since the epoch, whatever time_unit says
            scale = rate
            shown_unit = None
        elif unit == "step":
            scale = 1.0
            shown_unit = "step"
        else:
            scale = TIME_UNITS[unit] * rate
            shown_unit = unit
        steps = (tt - tt[0]) * scale
        if steps[-1] > MAX_VALUE:
            raise TraceError(f"{label}: the last arrival is {steps[-1]:.3g} steps after the first (over 2^53); "
                             f"lower --steps-per-second ({rate:g}) or check --time-unit ({unit})")
        if shown_unit == "step":
            bad = np.flatnonzero(tt != np.round(tt))
            if len(bad):
                i = int(bad[0])
                raise TraceError(f"{_where(label, lines[i], a_col, t[i])} is not an integer number of steps "
                                 f"(--time-unit step)")
        a = np.floor(steps + 1e-9).astype(np.int64)
    else:
        shown_unit = unit
    s_arr, o_arr = np.asarray(s, dtype=np.int64), np.asarray(o, dtype=np.int64)
    need = s_arr + o_arr
    auto = memory == "auto"
    M = int(max(2, need.max())) if auto else int(memory)
    big = np.flatnonzero(need > M)
    label_name = name or (f"azure_{source}" if isinstance(source, str) and source in BUNDLED else path.stem)
    if len(big) and not drop_oversize:
        i = int(big[0])
        raise TraceError(f"{label}, line {lines[i]}: request {i} has s + o = {s[i]} + {o[i]} > memory = {M} "
                         f"({len(big)} such rows; the largest s + o is {int(need.max())}); raise --memory, "
                         f"use --memory auto, or drop them with --drop-oversize (Python: drop_oversize=True)")
    if len(big):
        keep = np.setdiff1d(np.arange(len(s_arr)), big)
        if len(keep) == 0:
            raise TraceError(f"{label}: every request has s + o > memory = {M}; raise --memory (the largest s + o "
                             f"is {int(need.max())}, --memory auto takes it)")
        s_arr, o_arr = s_arr[keep], o_arr[keep]
        a = None if a is None else a[keep]
        label_name += f" ({len(big)} requests with s + o > M dropped)"
    if zero:
        label_name += f" ({zero} rows with 0 tokens dropped)"
    inst = Instance(M, s_arr, o_arr, a, name=label_name)
    return Trace(inst, label, fmt, dict(cols), shown_unit if a_col else None, rate, rows, auto, len(big), zero,
                 tuple(notes))


def _instance_json(path: Path, label: str) -> Instance | None:
    """An instance JSON file, or ``None`` when the file is JSON Lines named ``.json``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TraceError(f"{label}: not a text file (UTF-8): {exc.reason}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return None
        raise TraceError(f"{label}: malformed JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise TraceError(f"{label}: JSON nested too deeply") from None
    if isinstance(data, dict):                 # values JSON allows but the model does not: name the field
        v = data.get("memory")
        if isinstance(v, float) and not math.isfinite(v):
            raise TraceError(f"{label}: memory = {v!r} must be an integer")
        preds = data.get("predictions") if isinstance(data.get("predictions"), dict) else {}
        for key, values in [(k, data.get(k)) for k in ("s", "o", "a")] + \
                [(f"predictions.{k}", v) for k, v in preds.items()]:
            if isinstance(values, list):
                bad = next((i for i, x in enumerate(values) if isinstance(x, bool)), None)
                if bad is not None:
                    raise TraceError(f"{label}: {key}[{bad}] = {str(values[bad]).lower()} is not a number")
    try:
        return Instance.from_dict(data)
    except InstanceError as exc:
        raise TraceError(f"{label}: {exc}") from None
    except (TypeError, ValueError, OverflowError) as exc:
        raise TraceError(f"{label}: not an instance JSON file ({exc})") from None


def _read_arxiv(memory, limit, drop_oversize) -> Trace:
    s, o = arxiv_lengths()
    if limit is not None:
        s, o = s[:limit], o[:limit]
    need = s + o
    auto = memory == "auto"
    M = int(need.max()) if auto else int(memory)
    big = np.flatnonzero(need > M)
    name = "arxiv"
    if len(big) and not drop_oversize:
        i = int(big[0])
        raise TraceError(f"arxiv: request {i} has s + o = {s[i]} + {o[i]} > memory = {M} ({len(big)} such rows); "
                         f"raise --memory, use --memory auto, or --drop-oversize")
    if len(big):
        keep = np.setdiff1d(np.arange(len(s)), big)
        s, o = s[keep], o[keep]
        name += f" ({len(big)} requests with s + o > M dropped)"
    cols = {"prompt": "num_prefill_tokens", "output": "num_decode_tokens", "arrival": None}
    return Trace(Instance(M, s, o, name=name), "arxiv", "vidur", cols, None, 100.0, int(len(need)), auto, len(big))


def load(source: str | Path, memory: int | str = DEFAULT_MEMORY, limit: int | None = None,
         steps_per_second: float = 100.0, columns: Mapping[str, str] | str | None = None,
         drop_oversize: bool = False, *, time_unit: str | None = None, drop_zero: bool = False) -> Instance:
    """The instance of a trace: :func:`read` without the report (same parameters).

    >>> load("conv", memory="auto", limit=10).memory
    1455
    """
    return read(source, memory, limit=limit, steps_per_second=steps_per_second, time_unit=time_unit,
                columns=columns, drop_oversize=drop_oversize, drop_zero=drop_zero).instance


def load_table(path: str | Path, memory: int | str = DEFAULT_MEMORY, prompt: str = "prompt", output: str = "output",
               arrival: str | None = None, steps_per_second: float = 100.0, limit: int | None = None,
               name: str | None = None, drop_oversize: bool = False, time_unit: str | None = None) -> Instance:
    """Any CSV or JSONL trace with explicit column names (arrival ``None``: all at 0); see :func:`read`."""
    cols = {"prompt": prompt, "output": output, **({"arrival": arrival} if arrival else {})}
    return read(path, memory, limit=limit, steps_per_second=steps_per_second, time_unit=time_unit, columns=cols,
                drop_oversize=drop_oversize, name=name).instance


def load_azure(source: str | Path = "conv", memory: int | str = DEFAULT_MEMORY, steps_per_second: float = 100.0,
               limit: int | None = None, drop_oversize: bool = False) -> Instance:
    """An Azure LLM inference trace (columns TIMESTAMP, ContextTokens, GeneratedTokens; 2023 or 2024).

    ``source`` is ``"conv"``, ``"code"`` (bundled) or a path in the same format.
    """
    label = f"azure_{source}" if isinstance(source, str) and source in BUNDLED else None
    cols = {"prompt": "ContextTokens", "output": "GeneratedTokens", "arrival": "TIMESTAMP"}
    return read(source, memory, limit=limit, steps_per_second=steps_per_second, columns=cols,
                drop_oversize=drop_oversize, name=label).instance


@lru_cache(maxsize=1)
def arxiv_lengths() -> tuple[np.ndarray, np.ndarray]:
    """The shipped arXiv-summarization (prompt, output) token lengths, 28,257 rows."""
    cols = load_csv_columns(data_path("arxiv"), ["num_prefill_tokens", "num_decode_tokens"])
    return cols["num_prefill_tokens"], cols["num_decode_tokens"]


def load_csv_columns(path: str | Path, columns: list[str]) -> dict[str, np.ndarray]:
    """Integer columns (each ``>= 1``) of a CSV/JSONL file, validated row by row (used for the arXiv lengths)."""
    path = _resolve(path)
    label = str(path)
    out: dict[str, list[int]] = {c: [] for c in columns}
    for line, row in _rows(path, label):
        for c in columns:
            if c not in row:
                raise TraceError(f"{label}, line {line}: missing column {c!r} (the row has {sorted(row)})")
            out[c].append(_integer(row[c], label, line, c, 1))
    return {c: np.asarray(v, dtype=np.int64) for c, v in out.items()}


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

"""Append-only CSV logs of keyed result rows: how every long run of lpsched resumes.

Layer: model.

A run (a policy sweep, the J1 study) writes one row per finished unit of work, flushed and synced at
once, so a killed run loses at most the units that were in progress.  Every row has a ``key`` (the
canonical JSON of what was computed); a rerun reads the log and computes only the keys not in it.  A
last line cut short by a killed writer is removed when the log is read, so that unit is recomputed.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.csv"
>>> with RowLog(path, ["key", "value"]) as log:
...     log.append({"key": "a", "value": 1})
>>> [r["key"] for r in RowLog(path, ["key", "value"]).rows()]
['a']
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["RowLog", "read_results", "canonical_key"]


def canonical_key(params: dict[str, Any]) -> str:
    """The key of a unit of work: its parameters as sorted, compact JSON."""
    return json.dumps(params, sort_keys=True, separators=(",", ":"))


def read_results(path: str | Path) -> list[dict[str, str]]:
    """Rows of a results file; a truncated last line (a killed writer) is removed from the file."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return []
    text = path.read_text()
    if not text.endswith("\n"):
        cut = text.rfind("\n") + 1
        path.write_text(text[:cut])
        text = text[:cut]
    rows = list(csv.DictReader(text.splitlines()))
    return [r for r in rows if r.get("key")]


class RowLog:
    """An append-only CSV with the given ``columns`` (the first must be ``key``); a context manager."""

    def __init__(self, path: str | Path, columns: list[str]):
        if not columns or columns[0] != "key":
            raise ValueError(f"columns must start with 'key', got {columns[:1]}")
        self.path, self.columns = Path(path), list(columns)
        self._fh = self._writer = None

    def rows(self) -> list[dict[str, str]]:
        """Every complete row in the log (values as strings, ``""`` for none).

        Raises ``ValueError`` if the log's header does not have this log's ``columns`` (in any order).
        """
        rows = read_results(self.path)            # first: also cuts a truncated last line
        self._checked_header()
        return rows

    def _checked_header(self) -> list[str] | None:
        """The columns named by the file's first line (``None`` for a missing or empty file); raises
        ``ValueError`` if they are not this log's ``columns``."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        with self.path.open(newline="") as fh:
            header = next(csv.reader(fh), [])
        if sorted(header) != sorted(self.columns):
            missing = [c for c in self.columns if c not in header]
            extra = [c for c in header if c not in self.columns]
            raise ValueError(f"{self.path}: its columns differ from this run's (missing: {', '.join(missing) or '-'}; "
                             f"not written by this run: {', '.join(extra) or '-'}); it was written by another "
                             f"version or kind of run: give another output file")
        return header

    def append(self, row: dict[str, Any]) -> None:
        """Write ``row`` (missing or ``None`` values as ``""``), flush and sync."""
        if self._fh is None:
            self.read_and_open()
        self._writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in self.columns})
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def read_and_open(self) -> list[dict[str, str]]:
        """Open for appending (writing the header to a new file); return the rows already there."""
        rows = read_results(self.path)            # first: also cuts a truncated last line
        header = self._checked_header()
        new_file = header is None
        if not new_file:
            self.columns = header                 # the same columns, in the file's order
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("a", newline="")
        self._writer = csv.DictWriter(self._fh, fieldnames=self.columns, extrasaction="ignore")
        if new_file:
            self._writer.writeheader()
            self._fh.flush()
        return rows

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = self._writer = None

    def __enter__(self) -> "RowLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

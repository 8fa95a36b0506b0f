"""Requests and instances: the frozen, self-validating input types of lpsched.

Layer: model.

The model (``docs/model.md`` and Jaillet et al., arXiv 2502.07115): one worker with a KV cache
of ``memory`` tokens; request ``i`` has prompt size ``s[i] >= 1``, output length ``o[i] >= 1`` and
arrival time ``a[i] >= 0`` (integers).  A request started at ``p`` holds ``s + (t - p)`` tokens at every
integer time ``p < t <= p + o`` and completes at ``p + o``.

An :class:`Instance` stores its requests as read-only numpy columns (``s``, ``o``, ``a``) so fast code
can use them directly, and optional :class:`Predictions` (intervals, point estimates, log-t
distributions) for the policies that do not know ``o``.

Examples
--------
>>> from lpsched import Instance
>>> inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
>>> inst.n, inst.memory, inst.o.tolist()
(4, 6, [1, 1, 2, 3])
>>> Instance(memory=6, s=[2], o=[5])
Traceback (most recent call last):
...
lpsched.model.InstanceError: request 0: s + o = 2 + 5 = 7 exceeds memory M = 6; it can never complete
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

__all__ = ["InstanceError", "Request", "Predictions", "Instance", "int_column"]

FORMAT = "lpsched.instance/1"
#: largest value of a size, time or memory (2^62): sums of a few of them stay within int64
MAX_VALUE = 2 ** 62


class InstanceError(ValueError):
    """Invalid input: the message names the field, the request and the offending value."""


def int_column(values: Any, name: str, minimum: int, n: int | None = None) -> np.ndarray:
    """Return ``values`` as a read-only int64 array, checking integrality and ``>= minimum``.

    Integral floats (``3.0``) are accepted because CSV readers produce them; ``2.5`` is not.
    """
    if isinstance(values, (list, tuple)) or (isinstance(values, np.ndarray) and values.dtype.kind == "O"):
        flat = values.ravel().tolist() if isinstance(values, np.ndarray) else values
        bad = next((i for i, v in enumerate(flat) if isinstance(v, (bool, np.bool_))), None)
        if bad is not None:                      # numpy would silently read [True, 3] as [1, 3]
            raise InstanceError(f"{name}[{bad}] = {bool(flat[bad])!r} is not an integer")
    elif isinstance(values, (bool, np.bool_)):
        raise InstanceError(f"{name} = {values!r} is not an integer")
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = arr.reshape(1) if n is None else np.full(n, arr)
    if arr.ndim != 1:
        raise InstanceError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if n is not None and len(arr) != n:
        raise InstanceError(f"{name} has {len(arr)} entries, expected {n}")
    if arr.dtype.kind == "O" and all(isinstance(v, (int, np.integer)) for v in arr.tolist()):
        vals = arr.tolist()                      # Python integers beyond int64
        bad = next(i for i, v in enumerate(vals) if v < minimum or v > MAX_VALUE)
        if vals[bad] < minimum:
            raise InstanceError(f"{name}[{bad}] = {vals[bad]} must be >= {minimum}")
        raise InstanceError(f"{name}[{bad}] = {vals[bad]} exceeds {MAX_VALUE:.3g}, the largest supported value")
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iuf":
        bad = next((i for i, v in enumerate(arr.tolist()) if not _is_number(v)), 0)
        raise InstanceError(f"{name}[{bad}] = {arr.tolist()[bad]!r} is not an integer")
    if arr.dtype.kind == "f":
        finite = np.isfinite(arr)
        integral = finite & (arr == np.round(np.where(finite, arr, 0)))
        if not integral.all():
            bad = int(np.flatnonzero(~integral)[0])
            raise InstanceError(f"{name}[{bad}] = {arr[bad].item()!r} is not an integer")
        low = arr < minimum
        if low.any():
            bad = int(np.flatnonzero(low)[0])
            raise InstanceError(f"{name}[{bad}] = {arr[bad].item():g} must be >= {minimum}")
        big = np.abs(arr) > MAX_VALUE
        if big.any():                            # the int64 cast would wrap around silently
            bad = int(np.flatnonzero(big)[0])
            raise InstanceError(f"{name}[{bad}] = {arr[bad].item()!r} exceeds {MAX_VALUE:.3g}, the largest supported value")
    elif arr.dtype.kind == "u" and len(arr) and arr.max() > MAX_VALUE:
        bad = int(np.argmax(arr))
        raise InstanceError(f"{name}[{bad}] = {arr[bad].item()!r} exceeds {MAX_VALUE:.3g}, the largest supported value")
    out = arr.astype(np.int64)
    if len(out) and np.abs(out).max() > MAX_VALUE:
        bad = int(np.argmax(np.abs(out)))
        raise InstanceError(f"{name}[{bad}] = {int(out[bad])} exceeds {MAX_VALUE:.3g}, the largest supported value")
    if len(out) and out.min() < minimum:
        bad = int(np.flatnonzero(out < minimum)[0])
        raise InstanceError(f"{name}[{bad}] = {int(out[bad])} must be >= {minimum}")
    out.setflags(write=False)
    return out


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _float_column(values: Any, name: str, n: int, positive: bool = False) -> np.ndarray:
    seq = values.tolist() if isinstance(values, np.ndarray) and values.dtype.kind in "Ob" else values
    if isinstance(seq, (bool, np.bool_)) or (isinstance(seq, (list, tuple)) and any(isinstance(v, (bool, np.bool_)) for v in seq)):
        i = 0 if isinstance(seq, (bool, np.bool_)) else next(k for k, v in enumerate(seq) if isinstance(v, (bool, np.bool_)))
        raise InstanceError(f"{name}[{i}] = {(seq if isinstance(seq, (bool, np.bool_)) else seq[i])!r} is not a number")
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InstanceError(f"{name} = {values!r:.60} is not a list of numbers") from None
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise InstanceError(f"{name} has shape {arr.shape}, expected ({n},)")
    bad = ~np.isfinite(arr) | ((arr <= 0) if positive else False)
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        need = "a finite positive number" if positive else "finite"
        raise InstanceError(f"{name}[{i}] = {arr[i]!r} must be {need}")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class Request:
    """One request: prompt size ``s``, output length ``o``, arrival ``a`` (integers).

    ``lower``/``upper`` give an optional interval prediction of ``o``; ``point`` a point estimate.
    """

    s: int
    o: int
    a: int = 0
    lower: int | None = None
    upper: int | None = None
    point: float | None = None


@dataclass(frozen=True, eq=False)
class Predictions:
    """What a policy may know about the output lengths instead of ``o`` itself.

    Any subset of: an interval ``[lower[i], upper[i]]`` per request; a point estimate ``point[i]``;
    a log-t distribution ``o ~ exp(mu[i] + sigma[i] * T_nu)``.  All arrays have one entry per request.
    Whether the interval actually contains ``o`` is *not* required here (predictions may be wrong);
    :meth:`Instance.check_intervals_contain_truth` checks it for policies that rely on it.
    """

    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    point: np.ndarray | None = None
    mu: np.ndarray | None = None
    sigma: np.ndarray | None = None
    nu: float = 3.5

    def validated(self, n: int) -> "Predictions":
        """Return a copy whose arrays are checked, read-only and of length ``n``."""
        lower = upper = point = mu = sigma = None
        if (self.lower is None) != (self.upper is None):
            raise InstanceError("predictions need both lower and upper, or neither")
        if self.lower is not None:
            lower = int_column(self.lower, "predictions.lower", 1, n)
            upper = int_column(self.upper, "predictions.upper", 1, n)
            bad = np.flatnonzero(lower > upper)
            if len(bad):
                i = int(bad[0])
                raise InstanceError(
                    f"predictions interval of request {i}: lower = {lower[i]} > upper = {upper[i]}"
                )
        if self.point is not None:
            point = _float_column(self.point, "predictions.point", n, positive=True)
        if (self.mu is None) != (self.sigma is None):
            raise InstanceError("log-t predictions need both mu and sigma, or neither")
        if self.mu is not None:
            mu = _float_column(self.mu, "predictions.mu", n)
            sigma = _float_column(self.sigma, "predictions.sigma", n, positive=True)
        if isinstance(self.nu, (bool, np.bool_)) or not _is_number(self.nu) or not (np.isfinite(self.nu) and self.nu > 0):
            raise InstanceError(f"predictions.nu = {self.nu!r} must be a finite positive number")
        return Predictions(lower, upper, point, mu, sigma, float(self.nu))

    def subset(self, idx: np.ndarray) -> "Predictions":
        """Predictions of the requests ``idx`` (in that order)."""
        pick = lambda x: None if x is None else x[idx]  # noqa: E731
        return Predictions(pick(self.lower), pick(self.upper), pick(self.point),
                           pick(self.mu), pick(self.sigma), self.nu)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {}
        for key in ("lower", "upper", "point", "mu", "sigma"):
            val = getattr(self, key)
            if val is not None:
                out[key] = val.tolist()
        if self.mu is not None:
            out["nu"] = self.nu
        return out


@dataclass(frozen=True, eq=False)
class Instance:
    """A scheduling instance: KV-cache ``memory`` M and requests as numpy columns.

    Parameters
    ----------
    memory : int
        KV-cache capacity ``M`` in tokens (``>= 2``).
    s, o : array_like of int
        Prompt sizes and output lengths, each ``>= 1``, with ``s + o <= M`` for every request
        (otherwise the request could never complete).
    a : array_like of int, optional
        Arrival times ``>= 0`` (default all 0).  Any order; the index is the request's identity.
    predictions : Predictions, optional
        Interval / point / distribution predictions of ``o``.
    name : str, optional
        A label carried into reports.

    Raises
    ------
    InstanceError
        Naming the field, the request index and the bad value.
    """

    memory: int
    s: np.ndarray
    o: np.ndarray
    a: np.ndarray | None = None
    predictions: Predictions | None = None
    name: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.memory, bool) or not _is_number(self.memory):
            raise InstanceError(f"memory = {self.memory!r} must be an integer")
        if isinstance(self.memory, (float, np.floating)) and not np.isfinite(self.memory):
            raise InstanceError(f"memory = {self.memory!r} must be a finite integer")
        if self.memory != int(self.memory):
            raise InstanceError(f"memory = {self.memory!r} must be an integer")
        if int(self.memory) < 2:
            raise InstanceError(f"memory = {self.memory!r} must be >= 2")
        if int(self.memory) > MAX_VALUE:
            raise InstanceError(f"memory = {self.memory!r} exceeds {MAX_VALUE:.3g}, the largest supported value")
        object.__setattr__(self, "memory", int(self.memory))
        s = int_column(self.s, "s", 1)
        n = len(s)
        if n == 0:
            raise InstanceError("instance is empty: it needs at least one request")
        o = int_column(self.o, "o", 1, n)
        a = int_column(np.zeros(n, np.int64) if self.a is None else self.a, "a", 0, n)
        too_big = np.flatnonzero(s + o > self.memory)
        if len(too_big):
            i = int(too_big[0])
            raise InstanceError(
                f"request {i}: s + o = {s[i]} + {o[i]} = {s[i] + o[i]} exceeds memory M = {self.memory};"
                " it can never complete"
            )
        object.__setattr__(self, "s", s)
        object.__setattr__(self, "o", o)
        object.__setattr__(self, "a", a)
        if self.predictions is not None:
            object.__setattr__(self, "predictions", self.predictions.validated(n))

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_requests(cls, requests: Iterable[Request], memory: int, name: str = "") -> "Instance":
        """Build an instance from :class:`Request` objects."""
        reqs = list(requests)
        if not reqs:
            raise InstanceError("instance is empty: it needs at least one request")
        cols = {k: [getattr(r, k) for r in reqs] for k in ("s", "o", "a", "lower", "upper", "point")}
        preds = None
        if any(v is not None for v in cols["lower"] + cols["upper"]):
            missing = [i for i, r in enumerate(reqs) if r.lower is None or r.upper is None]
            if missing:
                raise InstanceError(f"request {missing[0]} has no interval while others do")
            preds = Predictions(lower=cols["lower"], upper=cols["upper"])
        if any(v is not None for v in cols["point"]):
            missing = [i for i, r in enumerate(reqs) if r.point is None]
            if missing:
                raise InstanceError(f"request {missing[0]} has no point prediction while others do")
            preds = Predictions(lower=preds and preds.lower, upper=preds and preds.upper, point=cols["point"])
        return cls(memory, cols["s"], cols["o"], cols["a"], preds, name)

    def with_predictions(self, predictions: Predictions | None) -> "Instance":
        """The same requests with other predictions."""
        return Instance(self.memory, self.s, self.o, self.a, predictions, self.name)

    def with_memory(self, memory: int) -> "Instance":
        """The same requests under another memory budget (re-validated)."""
        return Instance(memory, self.s, self.o, self.a, self.predictions, self.name)

    def subset(self, idx: Sequence[int] | np.ndarray) -> "Instance":
        """The instance restricted to requests ``idx`` (renumbered 0..k-1 in that order)."""
        idx = np.asarray(idx, dtype=np.int64)
        preds = None if self.predictions is None else self.predictions.subset(idx)
        return Instance(self.memory, self.s[idx], self.o[idx], self.a[idx], preds, self.name)

    # ------------------------------------------------------------------ views
    @property
    def n(self) -> int:
        """Number of requests."""
        return len(self.s)

    @property
    def requests(self) -> list[Request]:
        """The requests as :class:`Request` objects (slow for large instances)."""
        p = self.predictions
        out = []
        for i in range(self.n):
            out.append(Request(
                int(self.s[i]), int(self.o[i]), int(self.a[i]),
                None if p is None or p.lower is None else int(p.lower[i]),
                None if p is None or p.upper is None else int(p.upper[i]),
                None if p is None or p.point is None else float(p.point[i]),
            ))
        return out

    @property
    def all_at_zero(self) -> bool:
        return bool((self.a == 0).all())

    def check_intervals_contain_truth(self) -> None:
        """Raise :class:`InstanceError` if some ``o[i]`` lies outside its predicted interval.

        Policies whose guarantees assume a correct interval (``amax`` relies on ``o <= upper``)
        call this at the boundary.
        """
        p = self.predictions
        if p is None or p.lower is None:
            raise InstanceError("instance has no interval predictions (predictions.lower/upper)")
        bad = np.flatnonzero((self.o < p.lower) | (self.o > p.upper))
        if len(bad):
            i = int(bad[0])
            raise InstanceError(
                f"request {i}: o = {self.o[i]} lies outside its predicted interval "
                f"[{p.lower[i]}, {p.upper[i]}]"
            )

    def to_frame(self):
        """The requests as a pandas DataFrame (columns s, o, a and any predictions)."""
        import pandas as pd

        data: dict[str, Any] = {"s": self.s, "o": self.o, "a": self.a}
        if self.predictions is not None:
            for key, val in self.predictions.to_dict().items():
                if key != "nu":
                    data[key] = val
        return pd.DataFrame(data)

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict:
        out: dict[str, Any] = {"format": FORMAT, "name": self.name, "memory": self.memory,
                               "s": self.s.tolist(), "o": self.o.tolist(), "a": self.a.tolist()}
        if self.predictions is not None:
            out["predictions"] = self.predictions.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Instance":
        if not isinstance(data, Mapping):
            raise InstanceError(f"instance JSON must be an object, got {type(data).__name__}")
        fmt = data.get("format", FORMAT)
        if fmt != FORMAT:
            raise InstanceError(f"format = {fmt!r} is not supported (expected {FORMAT!r})")
        for key in ("memory", "s", "o"):
            if key not in data:
                raise InstanceError(f"instance JSON is missing the field {key!r}")
        preds = data.get("predictions")
        if preds is not None:
            unknown = set(preds) - {"lower", "upper", "point", "mu", "sigma", "nu"}
            if unknown:
                raise InstanceError(f"predictions has unknown fields {sorted(unknown)}")
            preds = Predictions(**preds)
        return cls(data["memory"], data["s"], data["o"], data.get("a"), preds, data.get("name", ""))

    def to_json(self, path: str | Path | None = None) -> str:
        text = json.dumps(self.to_dict())
        if path is not None:
            Path(path).write_text(text)
        return text

    @classmethod
    def from_json(cls, source: str | Path) -> "Instance":
        """Read an instance from a JSON string or a file path."""
        text = str(source)
        if not text.lstrip().startswith("{"):
            text = Path(source).read_text()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InstanceError(f"instance JSON is malformed: {exc}") from None
        return cls.from_dict(data)

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<Instance{label} n={self.n} M={self.memory} arrivals={'all 0' if self.all_at_zero else 'online'}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Instance):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

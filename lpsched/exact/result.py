"""The one result type of every exact backend.

Layer: algorithms.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from ..model import Instance
from ..schedule import Metrics, Schedule

__all__ = ["ExactResult", "STATUSES", "instance_digest"]


def instance_digest(instance: Instance) -> str:
    """A short hash of what an optimum depends on (memory, s, o, a): ties a saved result to its instance."""
    data = [instance.memory, instance.s.tolist(), instance.o.tolist(), instance.a.tolist()]
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:16]

def _check_saved(data) -> None:
    """A saved result's fields, each of the right type, or a ValueError naming the field and its value."""
    if not isinstance(data, dict):
        raise ValueError(f"a saved result is a JSON object (what to_dict or lpsched opt --json writes), got "
                         f"{type(data).__name__}")
    status = data.get("status", "feasible")
    if status not in STATUSES:
        raise ValueError(f"status = {status!r}; valid: {', '.join(STATUSES)}")
    name = data.get("objective_name", "tct")
    if name not in ("tct", "makespan"):
        raise ValueError(f"objective_name = {name!r}; valid: tct, makespan")
    start = data.get("start")
    if start is not None and (not isinstance(start, list)
                              or not all(isinstance(v, int) and not isinstance(v, bool) for v in start)):
        raise ValueError(f"start = {_short(start)} must be a list of integer start times (or null)")
    for key in ("bound", "seconds"):
        v = data.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)):
            raise ValueError(f"{key} = {v!r} must be a finite number (or null)")
    if data.get("info") is not None and not isinstance(data["info"], dict):
        raise ValueError(f"info = {_short(data['info'])} must be a JSON object")
    for key in ("message", "backend"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise ValueError(f"{key} = {_short(data[key])} must be a string")


def _short(v) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


#: ``optimal``: proven optimal; ``feasible``: a schedule, optimality not proven (time limit);
#: ``infeasible``: no schedule within the (user-given) horizon; ``unknown``: stopped without any schedule;
#: ``error``: the backend failed (message says why).
STATUSES = ("optimal", "feasible", "infeasible", "unknown", "error")


def _json_scalar(v) -> bool:
    return isinstance(v, (int, float, str, bool, type(None)))


@dataclass(frozen=True)
class ExactResult:
    """What :func:`lpsched.exact.solve` returns.

    Attributes
    ----------
    status : one of :data:`STATUSES`.
    schedule : the best schedule found (validated by :func:`lpsched.validate`), or ``None``.
    objective : the objective *recomputed from the schedule* (``tct`` = sum of completion times, or the
        makespan), ``None`` without a schedule.
    bound : best proven lower bound on the optimum (``-inf`` if none); equals ``objective`` when optimal.
    gap : ``(objective - bound) / objective`` (0 when optimal, ``inf`` without schedule or bound).
    seconds : wall time of the whole call (model building included).
    backend, objective_name : what was asked.
    message : backend status text, horizon, model size.
    metrics : :class:`lpsched.Metrics` of the schedule (tct, tel, makespan, ...).
    info : extra figures (horizon, number of variables/rows, incumbent of the warm start, ...).
    """

    status: str
    schedule: Schedule | None
    objective: int | None
    bound: float
    seconds: float
    backend: str
    objective_name: str = "tct"
    message: str = ""
    metrics: Metrics | None = None
    info: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status = {self.status!r}; valid: {', '.join(STATUSES)}")

    @property
    def gap(self) -> float:
        if self.objective is None or not math.isfinite(self.bound):
            return math.inf
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / self.objective)

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary (the schedule as its start times)."""
        return {
            "status": self.status, "backend": self.backend, "objective_name": self.objective_name,
            "objective": self.objective, "bound": None if not math.isfinite(self.bound) else self.bound,
            "gap": None if not math.isfinite(self.gap) else self.gap, "seconds": self.seconds,
            "message": self.message,
            "start": None if self.schedule is None else self.schedule.start.tolist(),
            "metrics": None if self.metrics is None else self.metrics.to_dict(),
            "info": {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in self.info.items()
                     if _json_scalar(v) or (isinstance(v, (list, tuple)) and all(map(_json_scalar, v)))},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], instance: Instance) -> "ExactResult":
        """The result saved by :meth:`to_dict` (e.g. ``lpsched opt --json``), on ``instance``.

        The schedule is rebuilt from its start times and validated, and the objective recomputed; a
        saved digest that does not match ``instance`` is an error (the bound would not be valid).
        """
        _check_saved(data)
        info = dict(data.get("info") or {})
        digest = info.get("instance_digest")
        if digest is not None and digest != instance_digest(instance):
            raise ValueError(f"info.instance_digest = {digest!r}: the saved result is for another instance "
                             f"(this one: {instance_digest(instance)!r})")
        name = data.get("objective_name", "tct")
        schedule = met = value = None
        if data.get("start") is not None:
            from .check import checked_metrics

            schedule = Schedule(instance, data["start"], policy=f"exact:{data.get('backend', '')}")
            met = checked_metrics(schedule)
            value = met.tct if name == "tct" else met.makespan
        bound = data.get("bound")
        if data.get("status") == "optimal" and (value is None or bound is None or float(bound) != value):
            raise ValueError(f"status = 'optimal' needs a schedule whose objective equals the bound; got "
                             f"objective {value}, bound {bound}")
        return cls(data.get("status", "feasible"), schedule, value, -math.inf if bound is None else float(bound),
                   float(data.get("seconds", 0.0)), data.get("backend", ""), name, data.get("message", ""), met, info)

    #: the fields of :meth:`to_row` (the run logs of the J1 study and of ``benchmarks/exact.py``)
    ROW_COLUMNS = ("status", "objective_name", "objective", "bound", "seconds", "start", "message")

    def to_row(self) -> dict[str, Any]:
        """A flat CSV row (start times space-separated) for a :class:`lpsched.rowlog.RowLog`."""
        return {"status": self.status, "objective_name": self.objective_name, "objective": self.objective,
                "bound": self.bound, "seconds": round(self.seconds, 3), "message": self.message,
                "start": None if self.schedule is None else " ".join(map(str, self.schedule.start.tolist()))}

    @classmethod
    def from_row(cls, row: dict[str, str], instance: Instance, backend: str = "") -> "ExactResult":
        """The result of :meth:`to_row` read back from a CSV log whose key names ``instance`` (so its bound
        may be carried on by ``solve(initial=...)``); rebuilt and validated by :meth:`from_dict`."""
        return cls.from_dict({
            "status": row["status"], "objective_name": row.get("objective_name") or "tct", "backend": backend,
            "start": [int(v) for v in row["start"].split()] if row.get("start") else None,
            "bound": float(row["bound"]) if row.get("bound") else None, "seconds": float(row.get("seconds") or 0),
            "message": row.get("message", ""),
            "info": {"instance_digest": instance_digest(instance), "horizon_cap": None}}, instance)

    def __repr__(self) -> str:
        return (f"ExactResult(status={self.status!r}, backend={self.backend!r}, {self.objective_name}="
                f"{self.objective}, bound={self.bound:g}, gap={self.gap:.3g}, seconds={self.seconds:.3f})")

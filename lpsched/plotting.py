"""Plotting helpers shared by the CLI, the demo and the notebooks (matplotlib, no global state).

Each function draws on a given ``ax`` (or a new figure) and returns the axes.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np

from .schedule import Schedule, validate

__all__ = ["memory_profile", "gantt", "latency_cdf", "ratio_curve"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8, 3.5))
    return ax


def memory_profile(schedule: Schedule, ax=None, label: str | None = None, max_points: int = 20000):
    """Tokens held over time, with the limit ``M`` as a dashed line."""
    ax = _axes(ax)
    mem = validate(schedule).memory
    step = max(1, len(mem) // max_points)
    t = np.arange(len(mem))[::step]
    ax.plot(t, mem[::step], lw=0.8, label=label or schedule.policy)
    ax.axhline(schedule.instance.memory, color="k", ls="--", lw=0.8)
    ax.set_xlabel("time (steps)")
    ax.set_ylabel("KV-cache tokens")
    return ax


def gantt(schedule: Schedule, ax=None, max_requests: int = 60):
    """One bar per request run: grey for evicted runs, coloured for the run that completes."""
    ax = _axes(ax)
    inst = schedule.instance
    n = min(inst.n, max_requests)
    for r, b, e in schedule.evictions:
        if r < n:
            ax.barh(r, e - b, left=b, color="0.7", edgecolor="k", lw=0.3)
    ax.barh(np.arange(n), inst.o[:n], left=schedule.start[:n], color="C0", edgecolor="k", lw=0.3)
    ax.scatter(inst.a[:n], np.arange(n), marker="|", color="C3", s=30, label="arrival")
    ax.set_xlabel("time (steps)")
    ax.set_ylabel("request")
    ax.invert_yaxis()
    return ax


def latency_cdf(schedules: Iterable[Schedule], ax=None):
    """Empirical CDF of the end-to-end latency ``C_i - a_i`` of each schedule."""
    ax = _axes(ax)
    for sch in schedules:
        lat = np.sort(sch.completion - sch.instance.a)
        ax.plot(lat, np.arange(1, len(lat) + 1) / len(lat), label=sch.policy)
    ax.set_xscale("log")
    ax.set_xlabel("latency (steps)")
    ax.set_ylabel("fraction of requests")
    ax.legend()
    return ax


def ratio_curve(x: Iterable[float], curves: Mapping[str, Iterable[float]], ax=None, xlabel: str = "M",
                ylabel: str = "ratio", logx: bool = True):
    """Several ratio curves against a common x (e.g. policy/OPT against M)."""
    ax = _axes(ax)
    x = np.asarray(list(x), dtype=float)
    for name, y in curves.items():
        ax.plot(x, np.asarray(list(y), dtype=float), marker="o", label=name)
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return ax

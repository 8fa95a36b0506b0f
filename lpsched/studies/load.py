"""Claim C8 as a curve over load: A_min and A_max against H-SF from light load to all-at-0 overload.

Layer: theory.

Chen, Ye, Zhou (arXiv 2508.14544, numerical experiments) report, on 2,000 LMSYS conversations, that
A_min's mean latency is close to the hindsight benchmark H-SF under every interval setting (rough
``[1, 1000]``, buckets of width 100, overlapping ``[(1-x) o, (1+x) o]`` with x in {0.1, 0.95, 0.99}) while
A_max degrades as the intervals widen.  The slides state neither the memory ``M`` nor the arrival
process, and the outcome depends on how loaded the system is; this module measures it as a function of
the arrival rate.

* :func:`memory_time` and :func:`capacity` -- the fluid bound on the sustainable arrival rate.
* :func:`queue_test` and :func:`measured_knee` -- the simulation check of that bound: H-SF's backlog of
  unfinished work stays bounded below the knee and grows linearly above it.
* :func:`load_curve` -- mean-latency ratios policy / H-SF per interval setting at each load (Poisson
  arrivals at ``load * capacity`` requests per step), plus the all-at-0 row (``load = inf``) and, for a
  trace, its own arrival times.
* :func:`verdict` -- the claim's two statements evaluated per load, with fixed thresholds.
* :data:`SIZES` and :func:`c8_curves` -- the quick (``lpsched verify``) and full configurations.

Every simulation goes through :func:`lpsched.simulate` (validated schedule, metrics recomputed from it).

Measured (seed 0, ``M = 16492``; ``c8_curves("full")``, ``knee_study()``):

* capacity: LMSYS-like ``n = 2000`` 1.476 requests per step (``n = 20000``: 1.433); Azure conversation
  (first 2,000) 0.0508.  H-SF's backlog is bounded up to load 0.95 and grows from 1.0 (LMSYS-like,
  saturated throughput 0.985 of capacity), bounded up to 0.9 and growing from 0.95 (Azure lengths,
  0.922): the fluid bound is a few per cent optimistic.
* LMSYS-like ``n = 2000``: the claim's picture (A_min within 1.1 of H-SF in every setting *and* A_max
  degrading) at loads 0.75, 0.9 and 1.0; A_min exceeds 1.1 from load 1.1 on and all at 0 (rough
  2.33); below 0.75 there is no contention and A_max's overlap settings equal H-SF.
* Azure conversation lengths: A_min exceeds 1.1 from load 0.75 on and with the trace's own arrivals
  (load 0.93: rough 1.60); not reproduced at any load.
* With ``n = 500`` the arrival period is shorter than the longest requests, so contention (and A_max's
  degradation) appears only at load 2: the quick size keeps ``n = 2000`` and uses fewer loads.

Note on the slides: they define ``overlap(x)`` as ``[(1 - x) o, (1 + x) o]`` (larger ``x``: *wider*
intervals) but also say "larger values of x correspond to more precise predictions"; the two
contradict each other.  This module follows the formula (:func:`lpsched.predictions.overlap`).

Examples
--------
>>> from lpsched import Instance
>>> inst = Instance(memory=100, s=[2, 4], o=[2, 3])
>>> memory_time(inst).tolist()           # 2*2 + 2*3/2, 3*4 + 3*4/2
[7.0, 18.0]
>>> capacity(inst)                       # 100 / mean(7, 18)
8.0
>>> from lpsched.workloads import lmsys_like
>>> curve = load_curve(lmsys_like(40, memory=3000, seed=1), [0.5])
>>> sorted(set(curve.arrivals)), len(curve)
(['all at 0', 'poisson'], 20)
>>> v = verdict(curve)
>>> list(v.table.columns[:4])
['workload', 'arrivals', 'load', 'rate']
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

from ..model import Instance
from ..runner import simulate
from ..schedule import memory_profile
from ..workloads import poisson_arrivals, with_arrivals
from .uncertainty import HSF, SETTINGS, prediction_settings_table

__all__ = ["SETTINGS", "as_curve", "ALL_AT_ZERO", "memory_time", "capacity", "check_loads", "at_load", "queue_test",
           "Knee", "measured_knee", "load_curve", "Verdict", "verdict", "SIZES", "c8_curves", "knee_study"]

ALL_AT_ZERO = math.inf
"""The load value that stands for "every request arrives at time 0" (infinite arrival rate)."""


def memory_time(instance: Instance) -> np.ndarray:
    """Memory-time of each request run once without eviction: ``o s + o (o + 1) / 2`` token-steps.

    A request started at ``p`` holds ``s + (t - p)`` tokens at each ``p < t <= p + o``; the sum over
    its ``o`` steps is ``o s + o (o + 1) / 2``.

    >>> from lpsched import Instance
    >>> memory_time(Instance(memory=10, s=[3], o=[4])).tolist()     # 4 + 5 + 6 + 7
    [22.0]
    """
    o = instance.o.astype(float)
    return o * instance.s + o * (o + 1) / 2


def capacity(instance: Instance) -> float:
    """Fluid estimate of the sustainable arrival rate (requests per step): ``M / mean(memory_time)``.

    Over any horizon ``T`` the schedule holds at most ``M T`` token-steps and every completed request
    consumes its :func:`memory_time`, so no policy can complete more than ``M / E[memory-time]``
    requests per step in the long run: arrivals faster than this make every queue grow.  The mean is
    over the instance's own requests (its empirical length distribution).  Policies that reserve memory
    for growth (H-SF's future-memory check) or evict (A_min) sustain somewhat less; :func:`queue_test`
    measures where H-SF's backlog starts to grow (LMSYS-like at ``M = 16492``: a bit below 1, see
    :func:`knee_study`).

    >>> from lpsched import Instance
    >>> capacity(Instance(memory=44, s=[3], o=[4]))                  # 44 / 22
    2.0
    """
    return float(instance.memory / memory_time(instance).mean())


def check_loads(loads, name: str = "loads", allow_empty: bool = False) -> tuple[float, ...]:
    """``loads`` as a tuple of floats, each a real number ``> 0`` (``inf`` means all at 0).

    Booleans, strings, zero, negative numbers and NaN raise :class:`ValueError` naming the entry.

    >>> check_loads([0.5, 1, float("inf")])
    (0.5, 1.0, inf)
    >>> check_loads([0.5, 0])
    Traceback (most recent call last):
    ...
    ValueError: loads[1] = 0 must be a number > 0 (a fraction of capacity; inf = all requests at 0)
    """
    if isinstance(loads, (str, bytes)) or not isinstance(loads, Iterable):
        raise ValueError(f"{name} = {loads!r} must be a sequence of numbers > 0")
    out = []
    for i, x in enumerate(loads):
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real) or not (x > 0):
            raise ValueError(f"{name}[{i}] = {x!r} must be a number > 0 (a fraction of capacity; "
                             f"inf = all requests at 0)")
        out.append(float(x))
    if not out and not allow_empty:
        raise ValueError(f"{name} is empty; give at least one load")
    return tuple(out)


def at_load(instance: Instance, load: float, seed: int = 0) -> Instance:
    """``instance`` with Poisson arrivals at ``load * capacity(instance)`` requests per step.

    ``load = inf`` gives every request arrival 0.  The arrivals are ``poisson_arrivals(n, rate, seed)``:
    the same unit-rate draws scaled by ``1 / rate`` at every load (common random numbers), so curves
    over load are smooth.  The instance's name records the load.

    >>> from lpsched import Instance
    >>> inst = at_load(Instance(memory=44, s=[3] * 4, o=[4] * 4, name="toy"), 0.5, seed=1)  # 1 per step
    >>> inst.a.tolist(), inst.name
    ([0, 0, 5, 6], 'toy at load 0.5 (Poisson, 1 per step, seed 1)')
    """
    (load,) = check_loads([load], "load")
    if math.isinf(load):
        inst = with_arrivals(instance, np.zeros(instance.n, np.int64))
        return Instance(inst.memory, inst.s, inst.o, inst.a, inst.predictions, f"{instance.name} all at 0")
    rate = load * capacity(instance)
    inst = with_arrivals(instance, poisson_arrivals(instance.n, rate, seed=seed))
    return Instance(inst.memory, inst.s, inst.o, inst.a, inst.predictions,
                    f"{instance.name} at load {load:g} (Poisson, {rate:.4g} per step, seed {seed})")


def _own_rate(instance: Instance) -> float:
    span = int(instance.a.max() - instance.a.min())
    if span == 0:
        raise ValueError(f"own_arrivals=True but every request of {instance.name!r} arrives at the same time")
    return instance.n / span


def queue_test(instance: Instance, loads: Sequence[float], seed: int = 0, policy: str = "hsf",
               warmup: float = 0.25, tol: float = 0.02, **options):
    """Does ``policy``'s backlog stay bounded at each load?  (pandas DataFrame, one row per load.)

    The instance gets Poisson arrivals at each load (:func:`at_load`).  Over the window from
    ``warmup`` of the arrival period to the last arrival ``T`` (skipping the start-up from an empty
    system), it measures, in units of ``M`` token-steps per step (i.e. as a fraction of capacity):

    * ``offered`` -- memory-time of the requests arriving in the window / (``M`` x window length);
    * ``utilization`` -- mean memory held / ``M`` (the throughput actually served);
    * ``backlog_growth`` -- least-squares slope of the backlog over the window, / ``M``; the backlog
      at ``t`` is the memory-time of the requests arrived by ``t`` minus the token-steps served up to
      ``t`` (exact for a policy that never evicts, such as H-SF; evicted runs count as served).
      Bounded queue: about 0; above the knee about ``offered - utilization``;
    * ``backlog_end`` -- the backlog at ``T`` / ``M`` (steps of a full memory) and ``waiting_end`` the
      number of requests waiting at ``T``;
    * ``grows`` -- ``backlog_growth >= tol``.

    Use many requests (``n`` ~ 20,000): with 2,000 the arrival period is too short for a near-critical
    queue to show.

    >>> from lpsched.workloads import lmsys_like
    >>> q = queue_test(lmsys_like(400, memory=3000, seed=0), [0.5, 3.0])
    >>> q.grows.tolist()
    [False, True]
    """
    import pandas as pd

    loads = check_loads(loads)
    if not (0 <= warmup < 1):
        raise ValueError(f"warmup = {warmup!r} must be in [0, 1)")
    if any(math.isinf(x) for x in loads):
        raise ValueError("queue_test needs finite loads (inf = all at 0 has no arrival period)")
    mt = memory_time(instance)
    M = instance.memory
    rows = []
    for load in loads:
        inst = at_load(instance, load, seed)
        res = simulate(inst, policy, seed=seed, **options)
        sch = res.schedule
        a, c = inst.a, sch.completion
        T = int(a.max())
        lo = int(warmup * T)
        if T - lo < 2:
            raise ValueError(f"the arrival period at load {load} is {T} steps: too short to measure a queue")
        mem = memory_profile(inst, *sch.runs()).astype(float)
        util = float(mem[lo + 1: T + 1].mean() / M)
        ts = np.unique(np.linspace(lo, T, 200).astype(np.int64))
        oa = np.argsort(a, kind="stable")
        arrived = np.concatenate([[0.0], np.cumsum(mt[oa])])[np.searchsorted(a[oa], ts, side="right")]
        backlog = arrived - np.cumsum(mem)[ts]          # memory-time still to be served at each ts
        slope = float(np.polyfit(ts.astype(float), backlog, 1)[0] / M)
        in_window = (a > lo) & (a <= T)
        offered = float(mt[in_window].sum() / (M * (T - lo)))
        waiting = int(((a <= T) & (sch.start > T)).sum())
        rows.append({"load": load, "rate": load * capacity(instance), "offered": offered,
                     "utilization": util, "backlog_growth": slope, "backlog_end": float(backlog[-1] / M),
                     "waiting_end": waiting, "mean_latency": res.metrics.mean_latency,
                     "grows": bool(slope >= tol)})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Knee:
    """Where a policy's backlog starts to grow, in fractions of :func:`capacity`.

    ``throughput``: mean utilization over the loads whose backlog grows (the rate the policy sustains
    when saturated; NaN if no tested load saturates it).  ``last_bounded`` / ``first_growing``: the
    largest tested load with a bounded backlog and the smallest with a growing one (NaN if none).
    """

    throughput: float
    last_bounded: float
    first_growing: float
    tol: float

    def __str__(self) -> str:
        return (f"backlog bounded up to load {self.last_bounded:g}, growing from {self.first_growing:g} "
                f"(slope >= {self.tol:g} M per step); saturated throughput {self.throughput:.3f} of capacity")


def measured_knee(table, tol: float = 0.02) -> Knee:
    """Summarize a :func:`queue_test` table as a :class:`Knee`: a load's backlog grows when its
    ``backlog_growth >= tol`` (in ``M`` token-steps per step, i.e. fractions of capacity).

    >>> import pandas as pd
    >>> t = pd.DataFrame({"load": [0.5, 0.9, 1.2], "utilization": [0.5, 0.9, 0.97],
    ...                   "backlog_growth": [0.0, 0.001, 0.25]})
    >>> print(measured_knee(t))
    backlog bounded up to load 0.9, growing from 1.2 (slope >= 0.02 M per step); saturated throughput 0.970 of capacity
    """
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not (tol > 0):
        raise ValueError(f"tol = {tol!r} must be a number > 0")
    grows = table["backlog_growth"].to_numpy(float) >= tol
    loads = table["load"].to_numpy(float)
    util = table["utilization"].to_numpy(float)
    return Knee(float(util[grows].mean()) if grows.any() else math.nan,
                float(loads[~grows].max()) if (~grows).any() else math.nan,
                float(loads[grows].min()) if grows.any() else math.nan, float(tol))


def load_curve(instance: Instance, loads: Sequence[float], settings=SETTINGS,
               policies: Sequence[str] = ("amin", "amax"), seed: int = 0, include_all_at_zero: bool = True,
               own_arrivals: bool = False):
    """Mean-latency ratio policy / H-SF per interval setting at each load (pandas DataFrame).

    Parameters
    ----------
    instance : Instance
        The requests (their arrival times are replaced, except for the ``own_arrivals`` row).
    loads : sequence of float
        Arrival rates as fractions of :func:`capacity`, each ``> 0``; ``inf`` = all at 0.
    settings : sequence of ``(kind, options)``
        Interval settings, as :data:`lpsched.studies.uncertainty.SETTINGS` (rough, buckets, overlap x).
    policies : policies compared with H-SF (each run with ``seed`` for its random tie-breaking).
    seed : seed of the Poisson arrivals (:func:`at_load`) and of the policies.
    include_all_at_zero : also the all-at-0 row (``load = inf``) if ``loads`` lacks it.
    own_arrivals : also a row with the instance's own arrival times (a trace); its ``load`` is the
        trace's mean rate ``n / span`` over :func:`capacity`.

    Returns
    -------
    pandas.DataFrame
        One row per (arrival process, load, setting, policy): ``workload, n, memory, capacity,
        arrivals`` (``poisson``, ``all at 0`` or ``trace``), ``load, rate`` (requests per step; inf for
        all at 0), ``setting, policy, ratio`` (mean latency policy / H-SF), ``mean_latency,
        hsf_mean_latency`` (steps), ``evictions`` (of the policy).

    Examples
    --------
    >>> from lpsched.workloads import lmsys_like
    >>> df = load_curve(lmsys_like(30, memory=3000, seed=0), [1.0], policies=("amin",),
    ...                 include_all_at_zero=False)
    >>> df.setting.tolist()
    ['rough', 'buckets', 'overlap(0.1)', 'overlap(0.95)', 'overlap(0.99)']
    >>> bool((df.ratio > 0).all())
    True
    """
    import pandas as pd

    loads = list(check_loads(loads, allow_empty=include_all_at_zero or own_arrivals))
    if include_all_at_zero and not any(math.isinf(x) for x in loads):
        loads.append(ALL_AT_ZERO)
    cap = capacity(instance)
    cases = [("all at 0" if math.isinf(x) else "poisson", x, at_load(instance, x, seed)) for x in loads]
    if own_arrivals:
        rate = _own_rate(instance)
        cases.append(("trace", rate / cap, instance))
    rows = []
    for arrivals, load, inst in cases:
        table = prediction_settings_table(inst, settings, seed=seed, policies=policies)
        rate = math.inf if math.isinf(load) else load * cap
        for label, rec in table.iterrows():
            for pol in policies:
                rows.append({"workload": instance.name, "n": instance.n, "memory": instance.memory,
                             "capacity": cap, "arrivals": arrivals, "load": load, "rate": rate,
                             "setting": label, "policy": pol, "ratio": float(rec[f"{pol}/hsf"]),
                             "mean_latency": float(rec[pol]), "hsf_mean_latency": float(rec["hsf"]),
                             "evictions": int(rec[f"{pol}_evictions"])})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Verdict:
    """The claim's two statements evaluated at each load of a :func:`load_curve` frame.

    ``table`` has one row per (workload, arrival process, load) with the numbers behind each
    statement; ``thresholds`` records the thresholds used.
    """

    table: object = field(repr=False)
    thresholds: dict

    def loads(self, column: str, workload: str | None = None, value: bool = True) -> list[float]:
        """Loads (Poisson and all-at-0 rows; trace rows excluded) where ``column`` equals ``value``."""
        t = self.table
        t = t[(t.arrivals != "trace") & (t[column] == value)]
        if workload is not None:
            t = t[t.workload == workload]
        return sorted(float(x) for x in t.load)

    def summary(self) -> str:
        """One sentence per workload: where each statement holds, with the largest A_min ratio."""
        th = self.thresholds
        parts = []
        for wl, t in self.table.groupby("workload", sort=False):
            def fmt(mask):
                sel = t[mask]
                return ", ".join(_fmt_load(r.load, r.arrivals) for r in sel.itertuples()) or "none"
            parts.append(
                f"{wl}: A_min/{HSF} <= {th['close']:g} in every setting at loads [{fmt(t.amin_close)}] "
                f"(not at [{fmt(~t.amin_close)}]); A_max degrades (rough/buckets >= {th['much']:g}, "
                f"overlap(0.99)/overlap(0.1) >= {th['worse']:g}) at [{fmt(t.amax_degrades)}]; "
                f"both (claim reproduced) at [{fmt(t.reproduced)}]")
        return "; ".join(parts)


def _fmt_load(load: float, arrivals: str) -> str:
    if arrivals == "trace":
        return f"trace's own arrivals (load {load:.2f})"
    return "all at 0" if math.isinf(load) else f"{load:g}"


def as_curve(frame):
    """A copy of a :func:`load_curve` frame with ``workload`` and ``arrivals`` filled in when absent (a
    hand-made frame needs only ``load, setting, policy, ratio``); a clear error when those are missing."""
    need = {"load", "setting", "policy", "ratio"}
    missing = need - set(frame.columns)
    if missing:
        raise ValueError(f"frame lacks columns {sorted(missing)} (expected a load_curve frame)")
    df = frame.copy()
    if "workload" not in df:
        df["workload"] = ""
    if "arrivals" not in df:
        df["arrivals"] = np.where(np.isinf(df.load.astype(float)), "all at 0", "poisson")
    return df


def verdict(frame, close: float = 1.1, much: float = 2.0, worse: float = 1.1) -> Verdict:
    """Turn a :func:`load_curve` frame into the claim's two statements, per load.

    * "A_min close to H-SF in every setting": ``amin_max`` (largest A_min / H-SF over the settings)
      ``<= close`` (default 1.1: within 10 % of the benchmark's mean latency).
    * "A_max degrades as intervals widen": ``amax_rough / amax_buckets >= much`` (default 2: rough is
      "much" worse than buckets) and ``amax_overlap(0.99) / amax_overlap(0.1) >= worse`` (default 1.1:
      the widest overlap setting is at least 10 % worse than the narrowest).
    * ``amax_good_at_0.1`` (reported, not part of ``reproduced``): A_max / H-SF ``<= close`` at x = 0.1.
    * ``reproduced``: both statements hold.

    The thresholds were fixed before looking at the curves; the table reports the numbers, so other
    thresholds can be read off.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [(load, s, p, r) for load, amin, amax in [(0.5, 1.0, (9, 1.3, 1.0, 1.4)),
    ...                                                    (float("inf"), 2.3, (17, 1.4, 1.1, 1.7))]
    ...         for s, a in zip(["rough", "buckets", "overlap(0.1)", "overlap(0.99)"], amax)
    ...         for p, r in (("amin", amin), ("amax", a))]
    >>> df = pd.DataFrame(rows, columns=["load", "setting", "policy", "ratio"])
    >>> v = verdict(df)
    >>> v.loads("reproduced"), v.loads("reproduced", value=False)
    ([0.5], [inf])
    """
    import pandas as pd

    for name, val in (("close", close), ("much", much), ("worse", worse)):
        if isinstance(val, bool) or not isinstance(val, numbers.Real) or not (val > 0):
            raise ValueError(f"{name} = {val!r} must be a number > 0")
    df = as_curve(frame)
    if "rate" not in df:
        df["rate"] = np.nan
    needed = ["rough", "buckets", "overlap(0.1)", "overlap(0.99)"]
    rows = []
    for (wl, arr, load), g in df.groupby(["workload", "arrivals", "load"], sort=False):
        piv = {(p, s): r for p, s, r in zip(g.policy, g.setting, g.ratio)}
        for pol in ("amin", "amax"):
            lack = [s for s in needed if (pol, s) not in piv]
            if lack:
                raise ValueError(f"load {load}: no {pol} ratio for settings {lack}")
        amin = [r for (p, _), r in piv.items() if p == "amin"]
        ax = {s: piv[("amax", s)] for s in needed}
        row = {"workload": wl, "arrivals": arr, "load": float(load), "rate": float(g.rate.iloc[0]),
               "amin_max": max(amin), "amin_worst_setting": max((r, s) for (p, s), r in piv.items()
                                                                if p == "amin")[1]}
        row.update({f"amin_{s}": piv[("amin", s)] for s in g.setting.unique() if ("amin", s) in piv})
        row.update({f"amax_{s}": piv[("amax", s)] for s in g.setting.unique() if ("amax", s) in piv})
        row["amin_close"] = bool(row["amin_max"] <= close)
        row["amax_rough/buckets"] = ax["rough"] / ax["buckets"]
        row["amax_0.99/0.1"] = ax["overlap(0.99)"] / ax["overlap(0.1)"]
        row["amax_degrades"] = bool(row["amax_rough/buckets"] >= much and row["amax_0.99/0.1"] >= worse)
        row["amax_good_at_0.1"] = bool(ax["overlap(0.1)"] <= close)
        row["reproduced"] = row["amin_close"] and row["amax_degrades"]
        rows.append(row)
    table = pd.DataFrame(rows)
    order = np.lexsort((table.load.to_numpy(float), (table.arrivals == "trace").to_numpy()))
    workloads = list(dict.fromkeys(table.workload))
    table = table.iloc[order]
    table = pd.concat([table[table.workload == w] for w in workloads], ignore_index=True)
    return Verdict(table, {"close": close, "much": much, "worse": worse})


# Configurations: ``quick`` runs inside ``lpsched verify`` (a second or so); ``full`` is the paper figure.
SIZES = {
    "quick": {"n": 2000, "loads": (0.9, 1.25), "azure": False},
    "full": {"n": 2000, "loads": (0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0), "azure": True},
}


def c8_curves(size: str = "quick", seed: int = 0, memory: int = 16492):
    """The C8 load curves of a configuration in :data:`SIZES` (one :func:`load_curve` frame).

    ``quick``: LMSYS-like ``n = 2000`` (the claim's 2,000 conversations) at loads 0.9, 1.25 and all at
    0 (with ``n = 500`` the arrival period is shorter than the longest requests and contention appears
    only at load 2, so the quick size keeps the claim's ``n`` and drops loads).  ``full``: LMSYS-like
    ``n = 2000`` at loads 0.25 .. 2 and all at 0, and the Azure conversation trace
    (``load_azure("conv", limit=2000)``) at the same loads, all at 0 and with its own arrival times.
    The LMSYS-like workload is ``lmsys_like(n, memory, seed)``.
    """
    import pandas as pd

    from ..traces import load_azure
    from ..workloads import lmsys_like

    if size not in SIZES:
        raise ValueError(f"size = {size!r}; valid sizes: {', '.join(SIZES)}")
    cfg = SIZES[size]
    frames = [load_curve(lmsys_like(cfg["n"], memory, seed), cfg["loads"], seed=seed)]
    if cfg["azure"]:
        frames.append(load_curve(load_azure("conv", memory=memory, limit=cfg["n"]), cfg["loads"], seed=seed,
                                 own_arrivals=True))
    return pd.concat(frames, ignore_index=True)


def knee_study(n: int = 20000, loads: Sequence[float] = (0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1,
                                                           1.2, 1.5, 2.0),
               memory: int = 16492, seed: int = 0, workload: str = "lmsys", tol: float = 0.02,
               trace_limit: int = 2000):
    """H-SF's :func:`queue_test` on a long run (``n`` requests) of a workload; returns ``(table, knee)``.

    ``workload``: ``"lmsys"`` -- ``lmsys_like(n, memory, seed)`` (the same length distribution as the
    curve's LMSYS-like instance); ``"azure"`` -- ``n`` (prompt, output) pairs drawn with replacement
    (seeded by ``seed``) from the first ``trace_limit`` requests of the Azure conversation trace, i.e.
    the empirical length distribution of the curve's Azure instance, re-timed by Poisson arrivals.
    Drawing at random makes the sequence stationary (in trace order the lengths drift over the hour:
    the first 2,000 requests' capacity is 0.051 per step, the whole trace's 0.064) and long enough for
    a near-critical queue to show.  Loads are fractions of the drawn instance's own :func:`capacity`.

    >>> table, knee = knee_study(n=300, loads=(0.5, 3.0), memory=3000)
    >>> table.grows.tolist(), knee.first_growing
    ([False, True], 3.0)
    """
    from ..traces import load_azure
    from ..workloads import lmsys_like

    if workload == "lmsys":
        inst = lmsys_like(n, memory, seed)
    elif workload == "azure":
        trace = load_azure("conv", memory=memory, limit=trace_limit)
        pick = np.random.default_rng(seed).integers(0, trace.n, n)
        inst = Instance(memory, trace.s[pick], trace.o[pick],
                        name=f"azure_conv (n = {n} drawn from the first {trace.n})")
    else:
        raise ValueError(f"workload = {workload!r}; valid: lmsys, azure")
    table = queue_test(inst, loads, seed=seed, tol=tol)
    return table, measured_knee(table, tol)

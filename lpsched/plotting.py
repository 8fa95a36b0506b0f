"""Plotting helpers shared by the CLI, the demo and the notebooks (matplotlib, no global state).

Layer: interface.

Each function draws on a given ``ax`` (or a new figure) and returns the axes.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import numpy as np

from .schedule import Schedule, validate

__all__ = ["memory_profile", "gantt", "latency_cdf", "ratio_curve", "load_ratio_figure", "c2_figure", "c3_figure",
           "POLICY_STYLE", "policy_style"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8, 3.5))
    return ax


# one colour (Okabe-Ito, colour-blind safe) and line style per policy, so a policy looks the same in every
# figure; aliases (mcsf, sf of hsf; priority of fcfs) share their original's style
POLICY_STYLE: dict[str, tuple[str, str]] = {
    "hsf": ("#0072B2", "-"), "mcsf": ("#0072B2", "-"), "sf": ("#0072B2", "-"),
    "fcfs": ("#000000", "-"), "priority": ("#000000", "-"),
    "vllm": ("#999999", "--"),
    "amax": ("#E69F00", "-"),
    "amin": ("#009E73", "-"),
    "sf_point": ("#56B4E9", "-."),
    "tie": ("#CC79A7", "--"),
    "sorted_f": ("#D55E00", ":"),
}


def policy_style(name: str, index: int = 0) -> tuple[str, str]:
    """``(colour, line style)`` of a policy (:data:`POLICY_STYLE`; ``sorted_f[local_swap]`` as ``sorted_f``);
    an unknown name gets matplotlib's ``C<index>`` colour.

    >>> policy_style("sorted_f[local_swap]"), policy_style("mine", 3)
    (('#D55E00', ':'), ('C3', '-'))
    """
    return POLICY_STYLE.get(str(name).split("[")[0].split(" ")[0], (f"C{index % 10}", "-"))


def memory_profile(schedule: Schedule, ax=None, label: str | None = None, max_points: int = 20000, *,
                   color=None, time_scale: float = 1.0, band: bool = False, limit_line: bool = True):
    """Tokens held over time, with the limit ``M`` as a dashed line.

    Parameters
    ----------
    schedule : Schedule (validated here).
    ax : matplotlib axes (default: a new figure).
    label : legend label (default the policy's name).
    max_points : at most this many points are drawn: the profile is cut into bins and each bin drawn by its
        mean, with ``band=True`` also its min-max range shaded (peaks stay visible).
    color : line colour (default :func:`policy_style`).
    time_scale : the x axis shows ``t / time_scale`` (e.g. 6000 for minutes at 100 steps per second); the
        label then says so only when 1 (steps): set ``ax.set_xlabel`` yourself otherwise.
    limit_line : draw ``M`` as a dashed black line.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lpsched import Instance, simulate
    >>> res = simulate(Instance(6, [2, 2, 2, 2], [1, 1, 2, 3]), "hsf")
    >>> memory_profile(res.schedule).get_ylabel()
    'KV-cache tokens held'
    """
    ax = _axes(ax)
    mem = validate(schedule).memory.astype(float)
    color = color or policy_style(schedule.policy)[0]
    step = max(1, -(-len(mem) // max_points))
    if step == 1:
        t, mean = np.arange(len(mem)), mem
    else:
        k = len(mem) // step
        body = mem[: k * step].reshape(k, step)
        t = (np.arange(k) * step + step / 2)
        mean = body.mean(axis=1)
        if band:
            ax.fill_between(t / time_scale, body.min(axis=1), body.max(axis=1), color=color, alpha=0.25, lw=0)
    ax.plot(t / time_scale, mean, lw=0.8, color=color, label=label or schedule.policy)
    if limit_line:
        ax.axhline(schedule.instance.memory, color="k", ls="--", lw=0.8)
    ax.set_xlabel("time (steps)")
    ax.set_ylabel("KV-cache tokens held")
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


def latency_cdf(schedules: Iterable[Schedule], ax=None, *, labels: Iterable[str] | None = None,
                colors: Iterable | None = None, time_scale: float = 1.0, unit: str = "steps",
                legend: str | None = "best"):
    """Empirical CDF of the end-to-end latency ``C_i - a_i`` of each schedule (log x).

    Parameters
    ----------
    schedules : the schedules (one line each).
    labels, colors : per schedule (default: the policy's name and :func:`policy_style`).
    time_scale, unit : latencies are drawn as ``(C - a) / time_scale`` in ``unit`` (e.g. 100 and ``"s"`` at 100
        steps per second).
    legend : ``"best"`` (inside), ``"outside"`` (right of the axes) or ``None``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lpsched import Instance, simulate
    >>> inst = Instance(6, [2, 2, 2, 2], [1, 1, 2, 3])
    >>> ax = latency_cdf([simulate(inst, p).schedule for p in ("hsf", "fcfs")], legend="outside")
    >>> ax.get_xlabel(), len(ax.get_lines())
    ('end-to-end latency C - a (steps)', 2)
    """
    ax = _axes(ax)
    schedules = list(schedules)
    labels = [s.policy for s in schedules] if labels is None else list(labels)
    colors = [None] * len(schedules) if colors is None else list(colors)
    for k, (sch, label, color) in enumerate(zip(schedules, labels, colors)):
        lat = np.sort(sch.completion - sch.instance.a) / time_scale
        c, ls = policy_style(sch.policy, k)
        ax.plot(lat, np.arange(1, len(lat) + 1) / len(lat), label=label, color=color or c, ls=ls, lw=1.4)
    ax.set_xscale("log")
    ax.set_xlabel(f"end-to-end latency C - a ({unit})")
    ax.set_ylabel("fraction of requests")
    ax.set_ylim(0, 1.0)
    ax.grid(True, which="major", alpha=0.3)
    if legend == "outside":
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    elif legend:
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


# --- C8 load curves (lpsched.studies.load) -------------------------------------------------------------

_SETTING_STYLE = {  # colour-blind-safe colours (Okabe-Ito), one marker each, so lines differ in grey too
    "rough": ("#D55E00", "o"),
    "buckets": ("#0072B2", "s"),
    "overlap(0.1)": ("#009E73", "^"),
    "overlap(0.95)": ("#CC79A7", "v"),
    "overlap(0.99)": ("#E69F00", "D"),
}
# overlap(0.95) and overlap(0.99) often coincide: 0.95 is drawn dashed, smaller and on top so both show
_SETTING_LINE = {"overlap(0.95)": {"ls": (0, (3, 2)), "ms": 3.5, "zorder": 3.5}}
_POLICY_NAME = {"amin": "A$_{min}$", "amax": "A$_{max}$"}
_WORKLOAD_NAME = {"lmsys_like": "LMSYS-like lengths", "azure_conv": "Azure conversation trace lengths"}


def load_ratio_figure(frame, path=None, knees: Mapping[str, float] | None = None, close: float | None = 1.1,
                      fig=None):
    """C8 figure: mean latency of each policy relative to H-SF against load, per prediction setting.

    One column of panels per policy in ``frame`` (A_min, A_max), one row per workload; one line per
    interval setting; log y with a line at 1 (H-SF).  x is the Poisson arrival rate as a fraction of the
    fluid capacity (:func:`lpsched.studies.load.capacity`); the all-at-0 row (``load = inf``) is drawn
    at the right edge, past a break, and labelled; a trace's own arrivals (``arrivals == "trace"``) are
    hollow markers at their mean load.  ``knees`` (workload -> load) draws H-SF's measured knee as a
    vertical line; ``close`` draws the verdict threshold on the A_min panels (``None``: not drawn).
    ``path``: also save the figure there (PNG/PDF by extension).  Returns the figure.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`lpsched.studies.load.load_curve` frame (columns workload, arrivals, load, setting,
        policy, ratio, and optionally n, memory).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lpsched.studies.load import load_curve
    >>> from lpsched.workloads import lmsys_like
    >>> fig = load_ratio_figure(load_curve(lmsys_like(30, memory=3000, seed=0), [0.5, 1.0]))
    >>> len(fig.axes)
    2
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator

    from .studies.load import as_curve

    df = as_curve(frame)
    workloads = list(dict.fromkeys(df.workload))
    policies = [p for p in ("amin", "amax") if p in set(df.policy)] + \
        [p for p in dict.fromkeys(df.policy) if p not in ("amin", "amax")]
    settings = list(dict.fromkeys(df.setting))
    finite = df.load[np.isfinite(df.load.astype(float))].astype(float)
    xmax = float(finite.max()) if len(finite) else 1.0
    gap = 0.12 * xmax                     # the break between the largest load and the all-at-0 slot
    x_inf = xmax + 2 * gap
    if fig is None:
        fig = plt.figure(figsize=(4.4 * len(policies), 3.2 * len(workloads) + 0.8), layout="constrained")
    axes = fig.subplots(len(workloads), len(policies), squeeze=False, sharex=True)
    extra = {}
    for r, wl in enumerate(workloads):
        for c, pol in enumerate(policies):
            ax = axes[r, c]
            sub = df[(df.workload == wl) & (df.policy == pol)]
            ys = [1.0]
            for k, setting in enumerate(settings):
                colour, marker = _SETTING_STYLE.get(setting, (f"C{k}", "o"))
                g = sub[sub.setting == setting]
                line = g[g.arrivals == "poisson"].sort_values("load")
                style = {"ls": "-", "ms": 4.5, "zorder": 3, **_SETTING_LINE.get(setting, {})}
                ax.plot(line.load, line.ratio, color=colour, marker=marker, lw=1.4, label=setting, **style)
                zero = g[g.arrivals == "all at 0"]
                if len(zero):
                    ax.plot([x_inf] * len(zero), zero.ratio, color=colour, marker=marker, ls="none",
                            ms=style["ms"] + 2, zorder=style["zorder"])
                    if len(line):
                        ax.plot([line.load.iloc[-1], x_inf], [line.ratio.iloc[-1], zero.ratio.iloc[0]],
                                color=colour, lw=0.8, ls=":")
                own = g[g.arrivals == "trace"]
                if len(own):
                    ax.plot(own.load, own.ratio, color=colour, marker=marker, ms=8, ls="none", mfc="none", mew=1.5)
                    extra["trace"] = True
                ys += g.ratio.tolist()
            ax.set_yscale("log")
            lo, hi = min(ys), max(ys)
            ax.set_ylim(min(0.97, lo / 1.03), max(1.2, hi * 1.12))
            steps = (0.9, 1, 1.1, 1.25, 1.5, 2, 2.5, 3) if hi / lo < 4 else (0.9, 1, 1.5, 2, 5, 10, 20, 50, 100, 200)
            ticks = [t for t in steps if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
            ax.yaxis.set_major_locator(FixedLocator(ticks))
            ax.yaxis.set_major_formatter(lambda v, _: f"{v:g}")
            ax.yaxis.set_minor_locator(NullLocator())
            ax.yaxis.set_minor_formatter(NullFormatter())
            ax.axhline(1.0, color="k", lw=0.9)
            if close is not None and pol == "amin":
                ax.axhline(close, color="0.45", lw=0.9, ls="--")
                ax.text(0.02, close, f" {close:g} (verdict threshold)", transform=ax.get_yaxis_transform(),
                        va="bottom", ha="left", fontsize=7.5, color="0.35")
                extra["close"] = True
            ax.axvline(1.0, color="0.6", lw=0.8, ls="-.")
            if knees and wl in knees and np.isfinite(knees[wl]):
                ax.axvline(knees[wl], color="0.3", lw=0.9, ls=(0, (1, 1)))
                extra["knee"] = True
            ax.axvspan(xmax + 0.6 * gap, xmax + 1.2 * gap, color="0.92", lw=0)   # the axis break
            for xb in (xmax + 0.6 * gap, xmax + 1.2 * gap):                       # break marks on the x axis
                ax.plot([xb - 0.08 * gap, xb + 0.08 * gap], [-0.025, 0.025], color="k", lw=0.9,
                        transform=ax.get_xaxis_transform(), clip_on=False)
            ax.set_xlim(0, x_inf + 0.6 * gap)
            ticks_x = [t for t in (0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4) if t <= xmax]
            ax.set_xticks(ticks_x + [x_inf])
            ax.set_xticklabels([f"{t:g}" for t in ticks_x] + ["all\nat t=0"], fontsize=8)
            ax.grid(axis="y", color="0.9", lw=0.6)
            ax.set_axisbelow(True)
            title = _POLICY_NAME.get(pol, pol) + " / H-SF"
            if wl:
                meta = sub.iloc[0] if len(sub) else None
                size = "" if meta is None or "n" not in sub else f", n = {int(meta.n)}"
                mem = "" if meta is None or "memory" not in sub else f", M = {int(meta.memory)}"
                title += f"\n{_WORKLOAD_NAME.get(wl.split('(')[0], wl.split('(')[0])}{size}{mem}"
            ax.set_title(title, fontsize=9.5)
            if c == 0:
                ax.set_ylabel("mean latency ÷ H-SF mean latency\n(ratio, log scale)", fontsize=8.5)
            if r == len(workloads) - 1:
                ax.set_xlabel("load: Poisson arrival rate as a fraction of the fluid\ncapacity "
                              "M / E[memory-time] (requests per step)", fontsize=8.5)
    handles = [Line2D([], [], color=_SETTING_STYLE.get(s, (f"C{k}", "o"))[0],
                      marker=_SETTING_STYLE.get(s, (f"C{k}", "o"))[1], lw=1.4, label=s,
                      **{"ls": "-", "ms": 5, **{k2: v for k2, v in _SETTING_LINE.get(s, {}).items() if k2 != "zorder"}})
               for k, s in enumerate(settings)]
    handles.append(Line2D([], [], color="0.6", lw=0.8, ls="-.", label="fluid capacity (load 1)"))
    if extra.get("knee"):
        handles.append(Line2D([], [], color="0.3", lw=0.9, ls=(0, (1, 1)), label="H-SF measured knee"))
    if extra.get("trace"):
        handles.append(Line2D([], [], color="0.3", marker="o", ms=8, mfc="none", ls="none",
                              label="trace's own arrivals"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 5), fontsize=8,
               frameon=False, title="interval prediction setting (lines) and reference lines", title_fontsize=8)
    if path is not None:
        fig.savefig(path, dpi=200)
    return fig


# --- C2 / C3: A_max and A_min against H-SF as M grows (lpsched.studies.uncertainty) ---------------------

_READING_STYLE = {"refill": ("#0072B2", "o"), "batch": ("#D55E00", "s")}   # Okabe-Ito blue / vermilion
_TIE_LINE = {"random": "-", "index": (0, (1, 1.5)), "adversarial": (0, (5, 2))}
_TIE_WORD = {"random": "random ties (mean over seeds)", "index": "index ties (shortest first)",
             "adversarial": "adversarial ties (longest first)"}


def _need(frame, cols: set, what: str) -> None:
    if cols - set(frame.columns):
        raise ValueError(f"frame lacks columns {sorted(cols - set(frame.columns))} (expected a {what} frame)")


def c2_figure(frame, path=None, fig=None, ties=("random", "adversarial")):
    """C2 figure: A_max/H-SF against ``M`` (log x) under both readings, with the claimed bounds.

    One panel per requested ``N_l / N_u`` (column ``nl_over_nu_target``); colour and marker = reading
    (``refill`` blue circles, ``batch`` vermilion squares), line style = tie rule; the claimed lower
    bound ``alpha^-1 (1 + alpha^-1/2)/2`` and upper bound ``alpha^-1 (1 + alpha^-1)/2`` as grey
    horizontal lines; the batch reading's fluid limit (:func:`lpsched.studies.uncertainty.
    batch_fluid_ratio`) as a thin dotted vermilion line.  The legend sits below the panels.
    ``ties``: the tie rules drawn (default random and adversarial; ``index`` ties admit shortest first
    and mostly sit on top of other lines; ``None``: every rule in the frame, or all of them if none of
    the asked ones is there).  ``path``: also save the figure (PNG/PDF by extension).  Returns the figure.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`lpsched.studies.uncertainty.c2_curve` frame (several may be concatenated, e.g. one per
        ``nl_over_nu``; one interval ``[l, u]``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lpsched.studies.uncertainty import c2_curve
    >>> fig = c2_figure(c2_curve([2005, 4010], l=100, u=400, ties=("index",), batches=2))
    >>> len(fig.axes)
    1
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    _need(frame, {"reading", "tie", "M", "ratio", "lower", "upper", "l", "u", "s"}, "c2_curve")
    df = frame.copy()
    if "nl_over_nu_target" not in df:
        df["nl_over_nu_target"] = df.get("nl_over_nu", np.nan)
    if len(set(zip(df.l, df.u))) != 1:
        raise ValueError("c2_figure draws one interval [l, u]: the frame holds several")
    l, u, s = int(df.l.iloc[0]), int(df.u.iloc[0]), int(df.s.iloc[0])
    lo, hi = float(df.lower.iloc[0]), float(df.upper.iloc[0])
    targets = list(dict.fromkeys(df.nl_over_nu_target))
    readings = [r for r in ("refill", "batch") if r in set(df.reading)]
    present = [t for t in ("random", "index", "adversarial") if t in set(df.tie)] + \
        [t for t in dict.fromkeys(df.tie) if t not in _TIE_LINE]
    ties = [t for t in present if ties is None or t in ties] or present
    if fig is None:
        fig = plt.figure(figsize=(4.6 * len(targets) + 0.6, 4.6), layout="constrained")
    axes = fig.subplots(1, len(targets), squeeze=False, sharey=True)[0]
    fluid_drawn = False
    for ax, target in zip(axes, targets):
        sub = df[df.nl_over_nu_target == target]
        for reading in readings:
            colour, marker = _READING_STYLE.get(reading, ("0.3", "o"))
            for tie in ties:
                g = sub[(sub.reading == reading) & (sub.tie == tie)].sort_values("M")
                if len(g):
                    ax.plot(g.M, g.ratio, color=colour, marker=marker, ms=5, lw=1.5, ls=_TIE_LINE.get(tie, "-"))
        ax.axhline(hi, color="0.25", lw=1.1, ls="-.")
        ax.axhline(lo, color="0.55", lw=1.1, ls="--")
        if "batch" in readings and "batch_fluid" in sub and sub.batch_fluid.notna().any():
            ax.axhline(float(sub.batch_fluid.mean()), color=_READING_STYLE["batch"][0], lw=1.0, ls=(0, (1, 2)),
                       zorder=2.5)
            fluid_drawn = True
        ax.axhline(1.0, color="k", lw=0.6)
        ax.set_xscale("log")
        ax.set_xticks(sorted(set(int(m) for m in sub.M)))
        ax.set_xticks([], minor=True)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
        ax.tick_params(axis="x", labelsize=8)
        ax.set_xlabel("KV-cache size M (tokens, log scale)")
        title = f"$N_l/N_u$ = {target:.3g}" + (" ($\\alpha^{-1/2}$, the slides' construction)"
                                                 if abs(target - (u / l) ** 0.5) < 1e-9 else "")
        if "n" in sub:
            title += f"\nn = {int(sub.n.min()):,}–{int(sub.n.max()):,} requests"
            if "batches" in sub:
                title += f" (about {float(sub.batches.iloc[0]):g} A$_{{max}}$ batches)"
        ax.set_title(title, fontsize=9.5)
        ax.grid(axis="y", color="0.9", lw=0.6)
        ax.set_axisbelow(True)
    top = max(hi, float(df.ratio.max()))
    if fluid_drawn:
        top = max(top, float(df.batch_fluid.max()))
    axes[0].set_ylim(0, top * 1.08)
    axes[0].set_ylabel("TEL(A$_{max}$) ÷ TEL(H-SF)")
    fig.suptitle(f"A$_{{max}}$ against hindsight H-SF: interval [l, u] = [{l}, {u}] tokens, prompt s = {s}, "
                 f"all requests at t = 0", fontsize=10)
    handles = [Line2D([], [], color=_READING_STYLE.get(r, ("0.3", "o"))[0],
                      marker=_READING_STYLE.get(r, ("0.3", "o"))[1], lw=1.5, label=f"reading \"{r}\"")
               for r in readings]
    handles += [Line2D([], [], color="0.3", lw=1.5, ls=_TIE_LINE.get(t, "-"), label=_TIE_WORD.get(t, t)) for t in ties]
    handles += [Line2D([], [], color="0.25", lw=1.1, ls="-.", label=f"claimed upper bound {hi:.3g}"),
                Line2D([], [], color="0.55", lw=1.1, ls="--", label=f"claimed lower bound {lo:.3g}")]
    if fluid_drawn:
        handles.append(Line2D([], [], color=_READING_STYLE["batch"][0], lw=0.9, ls=":",
                              label="\"batch\" fluid limit (random ties)"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4), fontsize=8, frameon=False)
    if path is not None:
        fig.savefig(path, dpi=200)
    return fig


_C3_FAMILY = {4: ["#08306B", "#2171B5", "#6BAED6"], 8: ["#7F2704", "#D94801", "#FD8D3C"],
              2: ["#00441B", "#238B45", "#74C476"], 16: ["#3F007D", "#6A51A3", "#9E9AC8"]}
_C3_MARKERS = ["o", "s", "^", "D", "v"]


def c3_figure(frame, path=None, fig=None, share: bool = True):
    """C3 figure: A_min/H-SF against ``M / u`` (log x) for several ``s/l`` and ``u/l``.

    One panel per tie rule.  Colour family = ``u/l`` (blues for 4, oranges for 8, ...), shade and marker
    = ``s/l``, line style (and hollow markers) = the lengths' spacing when the frame holds several
    (``spacing_over_l``, set by ``c3_curve``'s ``l``); the quotient ``max x'Ax / x'Bx`` on ``{l..u}`` (the
    claimed CR) as a dashed horizontal line in the family's middle shade.  With ``share``, a second row shows the discarded work (memory-time
    of evicted runs over that of the completed runs, :func:`lpsched.studies.uncertainty.discarded_work`).
    The legend sits below the panels.  ``path``: also save the figure.  Returns the figure.

    Parameters
    ----------
    frame : pandas.DataFrame
        A :func:`lpsched.studies.uncertainty.c3_curve` frame.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lpsched.studies.uncertainty import c3_curve
    >>> fig = c3_figure(c3_curve([5, 10], l=10, u_over_l=(2,), s_over_l=(0.1,), ties=("index",), batches=3))
    >>> len(fig.axes)
    2
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    _need(frame, {"tie", "u_over_l", "s_over_l", "M_over_u", "ratio", "quotient", "memtime_share"}, "c3_curve")
    df = frame.copy()
    ties = [t for t in ("random", "index", "adversarial") if t in set(df.tie)] + \
        [t for t in dict.fromkeys(df.tie) if t not in _TIE_LINE]
    qs = sorted(set(int(q) for q in df.u_over_l))
    sls = sorted(set(float(x) for x in df.s_over_l), reverse=True)
    if "spacing_over_l" not in df:
        df["spacing_over_l"] = np.nan
    spacings = sorted(set(float(x) for x in df.spacing_over_l.fillna(-1.0)), reverse=True)
    several = len(spacings) > 1
    spacing_ls = ["-", (0, (1, 1.2)), (0, (4, 1, 1, 1)), (0, (6, 2))]

    def lines(frame):
        """(k, spacing index, label tail, rows) of each (s/l, spacing) line in ``frame``."""
        for k, sl in enumerate(sls):
            for j, sp in enumerate(spacings):
                g = frame[np.isclose(frame.s_over_l, sl) & np.isclose(frame.spacing_over_l.fillna(-1.0), sp)]
                if len(g):
                    tail = f", lengths l/{1 / sp:g} apart" if several and sp > 0 else ""
                    yield k, j, tail, g.sort_values("M_over_u")

    extra_families = [f for f in plt.rcParams["axes.prop_cycle"].by_key()["color"]]

    def colour(q: int, k: int) -> str:
        fam = _C3_FAMILY.get(q)
        if fam is None:
            return extra_families[qs.index(q) % len(extra_families)]
        return fam[min(k, len(fam) - 1)]

    rows = 2 if share else 1
    if fig is None:
        fig = plt.figure(figsize=(max(5.6, 4.2 * len(ties) + 0.6), 3.4 + 2.3 * (rows - 1) + 1.5),
                         layout="constrained")
    axes = fig.subplots(rows, len(ties), squeeze=False, sharex=True, sharey="row",
                        gridspec_kw={"height_ratios": [3, 2] if share else [1]})
    xs = sorted(set(float(x) for x in df.M_over_u))
    for c, tie in enumerate(ties):
        ax = axes[0, c]
        sub = df[df.tie == tie]
        for q in qs:
            for k, j, _, g in lines(sub[sub.u_over_l == q]):
                kw = dict(color=colour(q, k), marker=_C3_MARKERS[k % len(_C3_MARKERS)], ms=5, lw=1.5,
                          ls=spacing_ls[j % len(spacing_ls)], mfc=None if j == 0 else "white")
                ax.plot(g.M_over_u, g.ratio, **kw)
                if share:
                    axes[1, c].plot(g.M_over_u, 100 * g.memtime_share, **kw)
            qv = df[df.u_over_l == q].quotient
            if len(qv):
                ax.axhline(float(qv.max()), color=colour(q, 1), lw=1.3, ls="--")
        ax.axhline(1.0, color="k", lw=0.6)
        ax.set_title(_TIE_WORD.get(tie, tie), fontsize=9.5)
        ax.grid(axis="y", color="0.9", lw=0.6)
        ax.set_axisbelow(True)
        ax.set_xscale("log")
        ax.set_xticks(xs)
        ax.set_xticks([], minor=True)
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:g}")
        bottom = axes[rows - 1, c]
        bottom.set_xlabel("KV-cache size M / u\n(memory in units of the longest output, log scale)")
        if share:
            axes[1, c].grid(axis="y", color="0.9", lw=0.6)
            axes[1, c].set_axisbelow(True)
            axes[1, c].set_ylim(0, 100 * float(df.memtime_share.max()) * 1.15 + 1)
    axes[0, 0].set_ylabel("TEL(A$_{min}$) ÷ TEL(H-SF)")
    what = "A$_{min}$ against hindsight H-SF on the maximiser instance, all requests at t = 0"
    if "batches" in df and df.batches.nunique() == 1:
        what += f"\nn ≈ {float(df.batches.iloc[0]):g} memories' worth of requests"
    if "n" in df:
        what += f" (n = {int(df.n.min()):,}–{int(df.n.max()):,})"
    fig.suptitle(what, fontsize=9.5)
    if share:
        axes[1, 0].set_ylabel("discarded work (%)\nevicted ÷ useful memory-time")
    handles = []
    for q in qs:
        qv = float(df[df.u_over_l == q].quotient.max())      # finest length grid: the interval's value
        for k, j, tail, g in lines(df[df.u_over_l == q]):
            sl = sls[k]
            handles.append(Line2D([], [], color=colour(q, k), marker=_C3_MARKERS[k % len(_C3_MARKERS)], lw=1.5,
                                  ls=spacing_ls[j % len(spacing_ls)], mfc=None if j == 0 else "white",
                                  label=f"u/l = {q}, s/l = {sl:g}{tail}"))
        handles.append(Line2D([], [], color=colour(q, 1), lw=1.3, ls="--",
                              label=f"u/l = {q}: quotient on {{l..u}} = {qv:.4f}"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(sls) + 1, 4), fontsize=8, frameon=False)
    if path is not None:
        fig.savefig(path, dpi=200)
    return fig

"""Experiments of the prediction-uncertainty claims C2, C3, C7, C8 and T1 (quoted in :mod:`lpsched.claims.chen_ye_zhou` and :mod:`lpsched.claims.zheng`).

Layer: theory.

* :func:`amax_lower_instance` -- C2's A_max lower-bound family: ``N_l`` requests with ``o = l`` and
  ``N_u`` with ``o = u``, ``N_l / N_u = alpha^-1/2``, every interval ``[l, u]``.
* :func:`eigen_instance` -- C3's family: counts proportional to the eigenproblem's maximiser ``x`` on the
  index set ``{l, ..., u}`` (:func:`lpsched.ratio.competitive_ratio`), output length = index, interval
  ``[l, u]``; optionally every length multiplied by ``scale`` (interval ``[l scale, u scale]``).
* :func:`ratio_vs_hsf` -- mean ``TEL(policy) / TEL(H-SF)`` over seeds (the CR's expectation is over the
  policy's randomness); :func:`curve` sweeps memory sizes, tie rules and prompt sizes.
* :func:`prediction_settings_table` -- C8: A_min vs A_max vs H-SF under ``rough``, ``buckets``,
  ``overlap(x)`` intervals; :func:`bucketed_amin` -- C7; :func:`logt_workload` and :func:`tie_table` -- T1.

C2 and C3 in the claim's model (one prompt size ``s``, one interval ``[l, u]``, all requests at 0,
``s << l``, ``M >> u``):

* :func:`c2_curve` -- A_max/H-SF on ``N_l`` requests of length ``l`` and ``N_u`` of length ``u`` as ``M``
  grows, under both readings of A_max (``amax(reading=...)``, :mod:`lpsched.policies.robust`).  The
  slides say "At each time t, randomly pick the largest subset U subset R_t s.t. constraint is met using
  o_i = u": ``"refill"`` admits at every step, ``"batch"`` only when nothing runs.  Columns ``lower`` /
  ``upper`` are the claimed bounds ``alpha^-1 (1 + alpha^-1/2) / 2`` and ``alpha^-1 (1 + alpha^-1) / 2``;
  :func:`batch_fluid_ratio` is the batch reading's fluid limit.
* :func:`c2_search` -- the largest A_max/H-SF found per reading over two- and three-length families,
  with the worst instance's parameters (:meth:`C2Search.instance` rebuilds it).
* :func:`c3_curve` -- A_min/H-SF on the maximiser instance over ``M / u``, ``s / l`` and ``u / l``, with
  the quotient on every length of ``{l..u}`` (the claimed CR) and the discarded work
  (:func:`discarded_work`: memory-time of evicted runs over that of the completed runs).
* :data:`SIZES` / :func:`run_size` -- named sizes: ``quick`` (seconds: ``lpsched verify``) and ``full``
  (the curves: ``lpsched verify --full``): c2 about 1.5 s / 0.5 min, c2_search 0.5 s / 1 min, c3 3 s /
  5 min on a 2-core machine.  CLI: ``lpsched uncertainty c2 [--search] ...`` and ``lpsched uncertainty
  c3 ...`` with ``--size``, ``--reading``, ``--nl-nu``, ``--u-over-l``, ``--s-over-l``, ``--m-over-u``,
  ``--plot FILE.png``, ``--json`` / ``--csv``; figures :func:`lpsched.plotting.c2_figure` and
  :func:`lpsched.plotting.c3_figure`.

Every simulation goes through :func:`lpsched.simulate` (validated schedule, metrics recomputed from it).

>>> inst = amax_lower_instance(l=1, u=4, n_u=3, memory=20)
>>> sorted(inst.o.tolist())
[1, 1, 1, 1, 1, 1, 4, 4, 4]
>>> r = ratio_vs_hsf(inst, "amax", tie="index")
>>> r.ratio > 1
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from ..model import Instance, InstanceError, Predictions
from ..predictions import interval_predictions
from ..ratio import competitive_ratio
from ..runner import simulate

__all__ = ["HSF", "HSF_SCAN", "hsf_benchmark", "amax_lower_instance", "eigen_instance", "mixed_instance", "RatioPoint", "ratio_vs_hsf", "curve",
           "fluid_forms", "READINGS", "batch_fluid_ratio", "c2_counts", "c2_curve", "C2Search", "c2_search",
           "discarded_work", "c3_scale", "c3_instance", "c3_curve", "SIZES", "run_size", "prediction_settings_table", "bucketed_amin",
           "logt_workload", "tie_table", "apportion"]

#: The scan of the H-SF benchmark that every ratio "over H-SF" here divides by: ``"stop"``, the papers'
#: MC-SF, which stops at the first waiting request that does not fit (``lpsched.policies.greedy``; ``"skip"``
#: would go on past it, a stronger benchmark on long-prompt traces).  :data:`HSF` labels those ratios.
HSF_SCAN = "stop"
HSF = f"H-SF ({HSF_SCAN})"


def hsf_benchmark(instance: Instance):
    """The H-SF run that ratios divide by (scan :data:`HSF_SCAN`): a :class:`lpsched.SimulationResult`."""
    return simulate(instance, "hsf", scan=HSF_SCAN)



def apportion(weights, n: int) -> np.ndarray:
    """Integer counts summing to ``n`` proportional to ``weights`` (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    if np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    raw = n * w / w.sum()
    out = np.floor(raw).astype(np.int64)
    rest = n - int(out.sum())
    if rest:
        out[np.argsort(-(raw - out), kind="stable")[:rest]] += 1
    return out


def _interval_instance(memory: int, s: int, o: np.ndarray, lo: int, hi: int, name: str) -> Instance:
    n = len(o)
    return Instance(memory, np.full(n, s), o, predictions=Predictions(lower=np.full(n, lo),
                                                                       upper=np.full(n, hi)), name=name)


def amax_lower_instance(l: int, u: int, n_u: int, memory: int, s: int = 1,
                        nl_over_nu: float | None = None) -> Instance:
    """C2: ``N_u = n_u`` requests with ``o = u`` and ``N_l = round(n_u * nl_over_nu)`` with ``o = l``.

    ``nl_over_nu`` defaults to the slides' ``alpha^-1/2 = sqrt(u / l)``.  Requests are listed shortest
    first (``tie="index"`` then admits like H-SF).
    """
    if not (1 <= l <= u):
        raise InstanceError(f"need 1 <= l <= u, got l = {l}, u = {u}")
    r = math.sqrt(u / l) if nl_over_nu is None else float(nl_over_nu)
    if not r >= 0:
        raise ValueError(f"nl_over_nu = {nl_over_nu!r} must be >= 0")
    n_l = int(round(n_u * r))
    o = np.array([l] * n_l + [u] * n_u, dtype=np.int64)
    return _interval_instance(memory, s, o, l, u, f"amax_lower(l={l},u={u},N_l={n_l},N_u={n_u})")


ORDERS = ("sorted", "reversed", "shuffled")


def mixed_instance(lengths: Sequence[int], counts: Sequence[int], memory: int, *, l: int, u: int, s: int = 1,
                   order: str = "sorted", seed: int = 0) -> Instance:
    """``counts[k]`` requests of output length ``lengths[k]``, all with prompt ``s``, interval ``[l, u]``, at 0.

    ``order``: ``"sorted"`` (shortest first: ``tie="index"`` is then H-SF's order), ``"reversed"``
    (longest first) or ``"shuffled"`` (a random permutation drawn from ``seed``).  The instance is a
    deterministic function of the arguments (the C2 search rebuilds its worst instance with it).

    >>> mixed_instance([1, 3], [2, 1], 20, l=1, u=4).o.tolist()
    [1, 1, 3]
    """
    lengths = [int(x) for x in lengths]
    counts = [int(c) for c in counts]
    if len(lengths) != len(counts) or not lengths:
        raise ValueError(f"lengths {lengths} and counts {counts} must be non-empty and of equal length")
    if not (1 <= l <= u):
        raise InstanceError(f"need 1 <= l <= u, got l = {l}, u = {u}")
    for x in lengths:
        if not (l <= x <= u):
            raise ValueError(f"length {x} lies outside the interval [l, u] = [{l}, {u}]")
    if any(c < 0 for c in counts) or sum(counts) < 1:
        raise ValueError(f"counts = {counts} must be >= 0 with a positive sum")
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; valid: {', '.join(ORDERS)}")
    o = np.repeat(np.array(lengths, dtype=np.int64), counts)
    o = np.sort(o, kind="stable")
    if order == "reversed":
        o = o[::-1].copy()
    elif order == "shuffled":
        o = np.random.default_rng(seed).permutation(o)
    mix = ",".join(f"{c}x{x}" for x, c in zip(lengths, counts))
    return _interval_instance(memory, s, o, l, u, f"mixed([{l},{u}],{mix},s={s},order={order})")


def eigen_instance(l: int, u: int, n: int, memory: int, s: int = 1, scale: int = 1,
                   shuffle: int | None = None) -> Instance:
    """C3: ``n`` requests with lengths ``scale * k`` for ``k`` in ``l..u``, counts proportional to the maximiser.

    Requests are listed by increasing length (so ``tie="index"`` breaks ties shortest first, i.e. like
    H-SF) unless ``shuffle`` gives a seed for a random order.
    """
    r = competitive_ratio(u, lower=l)
    counts = apportion(r.vector, n)
    o = np.repeat(r.indices.astype(np.int64) * scale, counts)
    if shuffle is not None:
        o = np.random.default_rng(shuffle).permutation(o)
    return _interval_instance(memory, s, o, l * scale, u * scale,
                              f"eigen(l={l},u={u},n={n},scale={scale})")


@dataclass(frozen=True)
class RatioPoint:
    """``TEL(policy) / TEL(H-SF)`` averaged over seeds, with the spread and the TELs."""

    ratio: float
    std: float
    tel_policy: float
    tel_hsf: float
    seeds: int
    evictions: float


def ratio_vs_hsf(instance: Instance, policy: str, seeds: Iterable[int] = (0,), *, tel_hsf: float | None = None,
                 **options) -> RatioPoint:
    """Mean over ``seeds`` of ``TEL(policy) / TEL(H-SF)`` on ``instance`` (fast engine; H-SF with the
    :data:`HSF_SCAN` scan).

    ``tel_hsf``: H-SF's TEL if already known (saves one simulation); ``options`` go to the policy.
    """
    hsf = hsf_benchmark(instance).metrics.tel if tel_hsf is None else tel_hsf
    tels, evs = [], []
    for seed in seeds:
        m = simulate(instance, policy, seed=seed, **options).metrics
        tels.append(m.tel)
        evs.append(m.evictions)
    tels = np.asarray(tels, dtype=float)
    return RatioPoint(float(tels.mean() / hsf), float(tels.std() / hsf), float(tels.mean()), float(hsf),
                      len(tels), float(np.mean(evs)))


def curve(family: str, policy: str, memories: Sequence[int], *, l: int, u: int, s: int = 1,
          ties: Sequence[str] = ("random", "index", "adversarial"), batches: float = 20.0,
          seeds: Iterable[int] = range(3), scale: int = 1):
    """Ratio to H-SF as ``M`` grows, for each tie rule (a pandas DataFrame).

    ``family`` is ``"amax_lower"`` or ``"eigen"``; the number of requests is chosen so that H-SF needs
    about ``batches`` full memories of work (``n (s + o) o ~ batches * M * o``), i.e. many batches.
    """
    import pandas as pd

    seeds = list(seeds)
    rows = []
    for M in memories:
        mean_o = (l + u) / 2 * scale
        n = max(2, int(round(batches * M / (s + mean_o))))
        if family == "amax_lower":
            n_u = max(1, int(round(n / (1 + math.sqrt(u / l)))))
            inst = amax_lower_instance(l, u, n_u, M, s)
        elif family == "eigen":
            inst = eigen_instance(l, u, n, M, s, scale)
        else:
            raise ValueError(f"unknown family {family!r}; valid: amax_lower, eigen")
        for tie in ties:
            seeds_here = seeds if tie == "random" else seeds[:1]
            p = ratio_vs_hsf(inst, policy, seeds_here, tie=tie)
            row = {"family": family, "policy": policy, "l": l, "u": u, "s": s, "scale": scale,
                   "M": M, "n": inst.n, "tie": tie, "ratio": p.ratio, "std": p.std,
                   "evictions": p.evictions, "seeds": p.seeds}
            if family == "eigen":
                row.update(fluid_forms(inst, l, u, scale, p.tel_hsf, p.tel_policy))
            rows.append(row)
    return pd.DataFrame(rows)


def fluid_forms(instance: Instance, l: int, u: int, scale: int, tel_hsf: float, tel_policy: float) -> dict:
    """TELs of an :func:`eigen_instance` relative to the quadratic forms of the eigenproblem.

    With ``c_k`` requests of length ``k * scale`` (``k`` in ``l..u``), the forms predict
    ``TEL(H-SF) ~ scale^2 c'Bc / (2M)`` and ``TEL(A_min) ~ scale^2 c'Ac / (2M)`` (the 1/2 rather than
    the fluid 1/4 because batches of equal lengths start together and use memory at half efficiency, in
    both policies).  Returns ``hsf_vs_form`` and ``policy_vs_form``: 1 means the simulation follows the
    form exactly, and then ``ratio = value * policy_vs_form / hsf_vs_form``.
    """
    from ..ratio import dense_matrices, index_set

    v = index_set(u, l)
    A, B = dense_matrices(v)
    c = np.array([(instance.o == int(k) * scale).sum() for k in v], dtype=float)
    norm = scale ** 2 / (2 * instance.memory)
    return {"hsf_vs_form": tel_hsf / (norm * (c @ B @ c)), "policy_vs_form": tel_policy / (norm * (c @ A @ c))}


# ----------------------------------------------------------------------------------------------- C2
READINGS = ("refill", "batch")


def _check_interval(l: int, u: int, s: int) -> None:
    for name, val in (("l", l), ("u", u), ("s", s)):
        if isinstance(val, bool) or int(val) != val or val < 1:
            raise ValueError(f"{name} = {val!r} must be an integer >= 1")
    if l > u:
        raise ValueError(f"l = {l} must be <= u = {u}")


def _check_readings(readings: Sequence[str]) -> list[str]:
    readings = list(readings)
    for r in readings:
        if r not in READINGS:
            raise ValueError(f"unknown reading {r!r}; valid: {', '.join(READINGS)}")
    return readings


def _amax_batch(memory: int, s: int, u: int) -> int:
    """Requests A_max starts together on an empty memory: ``floor(M / (s + u))``."""
    k = memory // (s + u)
    if k < 1:
        raise ValueError(f"memory = {memory} is smaller than s + u = {s + u}: A_max cannot start anyone")
    return k


def batch_fluid_ratio(alpha: float, nl_over_nu: float) -> float:
    """A_max/H-SF on the two-length family under the ``"batch"`` reading, in the fluid limit.

    Limit ``s/l -> 0``, ``M -> infinity``, many batches, random ties, each batch holding a long request
    (``M / u >> N_l / N_u``).  With ``u = 1``, ``N = N_l + N_u``, ``r = N_l / N_u``: A_max runs batches
    of ``M`` requests lasting 1 each, ``TEL ~ N^2 / (2M)``; H-SF runs the short ones in batches of
    ``M / alpha`` lasting ``alpha`` (``alpha^2 N_l^2 / (2M)``), then the long ones, each waiting
    ``alpha^2 N_l / M`` for the short ones and then ``N_u^2 / (2M)`` in all.  Hence

        ratio = (r + 1)^2 / (alpha^2 r^2 + 2 alpha^2 r + 1),

    increasing in ``r`` towards ``alpha^-2``.  At ``r = alpha^-1/2`` it equals the slides' lower bound
    ``alpha^-1 (1 + alpha^-1/2) / 2`` only for ``alpha`` in ``{1/4, 1}``.

    >>> batch_fluid_ratio(0.25, 2.0), batch_fluid_ratio(1 / 9, 3.0)
    (6.0, 13.5)
    """
    a, r = float(alpha), float(nl_over_nu)
    if not (0 < a <= 1) or not r >= 0:
        raise ValueError(f"need 0 < alpha <= 1 and nl_over_nu >= 0, got alpha = {alpha!r}, nl_over_nu = {nl_over_nu!r}")
    return (r + 1) ** 2 / (a * a * r * r + 2 * a * a * r + 1)


def c2_counts(memory: int, *, l: int, u: int, s: int = 1, nl_over_nu: float | None = None,
              batches: float = 20.0) -> tuple[int, int]:
    """``(N_l, N_u)`` of the two-length C2 instance: ``N = round(batches * floor(M / (s + u)))`` requests
    (about ``batches`` A_max batches), ``N_u = round(N / (1 + r))`` (at least 1), ``r = nl_over_nu``
    (default ``alpha^-1/2``).

    >>> c2_counts(4010, l=100, u=400, s=1, batches=2)
    (13, 7)
    """
    _check_interval(l, u, s)
    r = math.sqrt(u / l) if nl_over_nu is None else float(nl_over_nu)
    if not r >= 0:
        raise ValueError(f"nl_over_nu = {nl_over_nu!r} must be >= 0")
    if not batches > 0:
        raise ValueError(f"batches = {batches!r} must be > 0")
    n = max(2, int(round(batches * _amax_batch(memory, s, u))))
    n_u = min(n, max(1, int(round(n / (1 + r)))))
    return n - n_u, n_u


def c2_curve(memories: Sequence[int], *, l: int = 100, u: int = 400, s: int = 1,
             readings: Sequence[str] = READINGS, nl_over_nu: float | Sequence[float | None] | None = None,
             ties: Sequence[str] = ("random", "index", "adversarial"), batches: float = 20.0,
             seeds: Iterable[int] = range(3)):
    """C2: A_max/H-SF on the two-length family, as ``M`` grows, under each reading of A_max.

    ``N_l`` requests with ``o = l``, ``N_u`` with ``o = u`` (:func:`c2_counts`; listed shortest first),
    every interval ``[l, u]``, one prompt size ``s``, all at time 0.

    Parameters
    ----------
    memories : KV-cache sizes ``M`` (tokens).
    l, u, s : interval ends and prompt size (tokens); the claim's model wants ``s << l`` and ``M >> u``.
    readings : subset of :data:`READINGS` (``"refill"``: admit at every step; ``"batch"``: admit only
        when nothing runs; see :mod:`lpsched.policies.robust`).
    nl_over_nu : ``N_l / N_u`` (``None``: ``alpha^-1/2``, the slides' construction), or a sequence of
        them (one curve each).
    ties : A_max tie rules; ``"random"`` is averaged over ``seeds`` (the CR's expectation), the others
        use the first seed.  ``"index"`` admits shortest first (favourable), ``"adversarial"`` longest
        first.
    batches : about this many A_max batches: ``N = round(batches * floor(M / (s + u)))``.

    Returns
    -------
    pandas.DataFrame, one row per ``(M, reading, tie)``: ``reading, tie, l, u, alpha, s, M, M_over_u,
    k`` (A_max batch size), ``batches, n, n_l, n_u, nl_over_nu`` (realised), ``nl_over_nu_target``
    (asked for), ``ratio`` (mean
    TEL(A_max)/TEL(H-SF)), ``std, seeds, lower, upper`` (the claimed bounds), ``batch_fluid``
    (:func:`batch_fluid_ratio`, the batch reading's fluid limit), ``tel_amax, tel_hsf``.

    Sizes: ``run_size("c2", "quick")`` (about 1.5 s), ``run_size("c2", "full")`` (about 1 min).

    Examples
    --------
    >>> df = c2_curve([4010], l=100, u=400, ties=("index",), batches=3)
    >>> df[["reading", "n_l", "n_u", "lower", "upper"]].values.tolist()
    [['refill', 20, 10, 6.0, 10.0], ['batch', 20, 10, 6.0, 10.0]]
    >>> bool((df.ratio >= 1).all())
    True
    """
    import pandas as pd

    from ..ratio import amax_lower_bound, amax_upper_bound

    readings = _check_readings(readings)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must not be empty")
    alpha = l / u
    lo, hi = amax_lower_bound(alpha), amax_upper_bound(alpha)
    asked = list(nl_over_nu) if isinstance(nl_over_nu, (list, tuple)) else [nl_over_nu]
    rows = []
    for want, M in ((w, M) for w in asked for M in memories):
        target = math.sqrt(u / l) if want is None else float(want)
        n_l, n_u = c2_counts(M, l=l, u=u, s=s, nl_over_nu=target, batches=batches)
        inst = mixed_instance([l, u], [n_l, n_u], M, l=l, u=u, s=s)
        tel_hsf = hsf_benchmark(inst).metrics.tel
        r = n_l / n_u
        for reading in readings:
            for tie in ties:
                here = seeds if tie == "random" else seeds[:1]
                p = ratio_vs_hsf(inst, "amax", here, tel_hsf=tel_hsf, tie=tie, reading=reading)
                rows.append({"reading": reading, "tie": tie, "l": l, "u": u, "alpha": alpha, "s": s, "M": M,
                             "M_over_u": M / u, "k": _amax_batch(M, s, u), "batches": batches, "n": inst.n,
                             "n_l": n_l, "n_u": n_u, "nl_over_nu": r, "nl_over_nu_target": target,
                             "ratio": p.ratio, "std": p.std,
                             "seeds": p.seeds, "lower": lo, "upper": hi,
                             "batch_fluid": batch_fluid_ratio(alpha, r), "tel_amax": p.tel_policy,
                             "tel_hsf": float(tel_hsf)})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class C2Search:
    """Result of :func:`c2_search`.

    table : every evaluated ``(instance, reading, tie)`` (pandas DataFrame).
    worst : the row of ``table`` with the largest ratio, per reading.
    """

    table: object
    worst: object

    def instance(self, reading: str) -> Instance:
        """Rebuild the worst instance of ``reading`` (deterministic)."""
        row = self.worst.loc[reading]
        return mixed_instance(row.lengths, row.counts, int(row.M), l=int(row.l), u=int(row.u), s=int(row.s),
                              order=row.order)

    def params(self, reading: str) -> dict:
        """Everything needed to rebuild and re-run the worst instance of ``reading``."""
        row = self.worst.loc[reading]
        return {"lengths": list(row.lengths), "counts": list(row.counts), "memory": int(row.M), "l": int(row.l),
                "u": int(row.u), "s": int(row.s), "order": row.order, "reading": reading, "tie": row.tie,
                "seeds": list(row.seed_list), "ratio": float(row.ratio)}


def _weight_grid(step: int) -> list[tuple[int, int, int]]:
    """``(w_l, w_m, w_u)`` with ``w_m >= 1`` summing to ``step`` (the ``w_m = 0`` edge is the ratio grid)."""
    return [(a, step - a - c, c) for a in range(step + 1) for c in range(step + 1 - a) if step - a - c >= 1]


def c2_search(memory: int = 40000, *, l: int = 100, u: int = 400, s: int = 1,
              readings: Sequence[str] = READINGS, ties: Sequence[str] = ("random", "adversarial"),
              ratios: Sequence[float] = (0.5, 1, 2, 4, 8, 16, 30, 60, 120), middles: Sequence[int] | None = None,
              step: int = 4, batches: float = 20.0, seeds: Iterable[int] = range(2)) -> C2Search:
    """C2: the largest A_max/H-SF found under each reading, over two- and three-length families.

    The claim's model: one prompt size ``s``, one interval ``[l, u]``, all requests at 0 (``s << l``,
    ``M >> u`` are the caller's choice).  Families, each with ``N = round(batches * floor(M / (s + u)))``
    requests listed shortest first:

    * two lengths ``{l, u}`` with ``N_l / N_u`` in ``ratios`` (:func:`c2_counts`);
    * three lengths ``{l, m, u}`` for ``m`` in ``middles`` (default ``sqrt(l u)`` and ``(l + u) / 2``),
      counts proportional to ``(w_l, w_m, w_u)``, integers summing to ``step`` with ``w_m >= 1``.

    Each instance runs under every reading and tie rule (random ties: mean over ``seeds``).  A CR is a
    sup: the result is a lower estimate of CR(A_max) under each reading, with its witness.

    Sizes: ``run_size("c2_search", "quick")`` (under a second), ``run_size("c2_search", "full")``
    (about 1 min).

    Returns
    -------
    C2Search
        ``table`` columns: ``reading, tie, family, lengths, counts, order, l, u, s, M, n, nl_over_nu``
        (``N_l / N_u``, or NaN for three lengths), ``ratio, std, seed_list, lower, upper``; ``worst``: the
        max-ratio row per reading (index ``reading``); ``instance(reading)`` rebuilds it.

    Examples
    --------
    >>> res = c2_search(2005, l=100, u=400, ratios=(2,), middles=(), ties=("index",), batches=2)
    >>> sorted(res.worst.index), res.params("batch")["counts"]
    (['batch', 'refill'], [7, 3])
    >>> res.instance("batch").n
    10
    """
    import pandas as pd

    from ..ratio import amax_lower_bound, amax_upper_bound

    _check_interval(l, u, s)
    readings = _check_readings(readings)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must not be empty")
    if middles is None:
        middles = sorted({int(round(math.sqrt(l * u))), int(round((l + u) / 2))} - {l, u})
    for m in middles:
        if not (l < m < u):
            raise ValueError(f"middle length {m} must lie strictly inside (l, u) = ({l}, {u})")
    n = max(2, int(round(batches * _amax_batch(memory, s, u))))
    families: list[tuple[str, list[int], list[int], float]] = []
    for r in ratios:
        n_l, n_u = c2_counts(memory, l=l, u=u, s=s, nl_over_nu=r, batches=batches)
        families.append(("two", [l, u], [n_l, n_u], n_l / n_u))
    for m in middles:
        for w in _weight_grid(step):
            families.append(("three", [l, int(m), u], apportion(w, n).tolist(), math.nan))
    lo, hi = amax_lower_bound(l / u), amax_upper_bound(l / u)
    rows = []
    for family, lengths, counts, r in families:
        inst = mixed_instance(lengths, counts, memory, l=l, u=u, s=s)
        tel_hsf = hsf_benchmark(inst).metrics.tel
        for reading in readings:
            for tie in ties:
                here = seeds if tie == "random" else seeds[:1]
                p = ratio_vs_hsf(inst, "amax", here, tel_hsf=tel_hsf, tie=tie, reading=reading)
                rows.append({"reading": reading, "tie": tie, "family": family, "lengths": tuple(lengths),
                             "counts": tuple(int(c) for c in counts), "order": "sorted", "l": l, "u": u, "s": s,
                             "M": memory, "n": inst.n, "nl_over_nu": r, "ratio": p.ratio, "std": p.std,
                             "seed_list": tuple(here), "lower": lo, "upper": hi})
    table = pd.DataFrame(rows)
    worst = table.loc[table.groupby("reading", sort=False).ratio.idxmax()].set_index("reading")
    return C2Search(table, worst)


# ----------------------------------------------------------------------------------------------- C3
def discarded_work(schedule) -> dict:
    """Work thrown away by evictions, relative to the useful work of a schedule.

    A run of ``g`` steps with prompt ``s`` generates ``g`` tokens and holds ``sum_{x=1..g} (s + x) =
    g s + g (g + 1) / 2`` token-steps of memory (the engine's ``s + g + 1`` per step).  ``useful``: the
    runs that complete (``g = o``); ``wasted``: the evicted runs.

    Returns ``wasted_tokens, useful_tokens, token_share, wasted_memtime, useful_memtime, memtime_share``.

    >>> from lpsched import Instance, Predictions, simulate
    >>> inst = Instance(6, s=[2, 2, 2, 2], o=[1, 1, 2, 3], predictions=Predictions(lower=[1] * 4, upper=[4] * 4))
    >>> d = discarded_work(simulate(inst, "amin", tie="index").schedule)
    >>> d["wasted_tokens"], d["wasted_memtime"], d["useful_memtime"]    # one run of 1 step evicted
    (1, 3, 25)
    """
    inst = schedule.instance
    s, o = inst.s.astype(float), inst.o.astype(float)
    ev = schedule.evictions
    g = (ev[:, 2] - ev[:, 1]).astype(float)
    sg = s[ev[:, 0]] if len(ev) else np.zeros(0)
    wasted_mt = float((g * sg + g * (g + 1) / 2).sum())
    useful_mt = float((o * s + o * (o + 1) / 2).sum())
    wt, ut = int(g.sum()), int(o.sum())
    return {"wasted_tokens": wt, "useful_tokens": ut, "token_share": wt / ut, "wasted_memtime": int(wasted_mt),
            "useful_memtime": int(useful_mt), "memtime_share": wasted_mt / useful_mt}


def c3_scale(l: int, s_over_l: float) -> tuple[int, int]:
    """``(scale, s)`` giving prompt ``s`` over shortest length ``l * scale`` as close to ``s_over_l`` as
    integers allow: ``scale = max(1, round(1 / (s_over_l l)))``, ``s = max(1, round(s_over_l l scale))``.

    >>> c3_scale(20, 0.1), c3_scale(20, 0.01), c3_scale(20, 0.001)
    ((1, 2), (5, 1), (50, 1))
    """
    if not s_over_l > 0:
        raise ValueError(f"s_over_l = {s_over_l!r} must be > 0")
    scale = max(1, int(round(1 / (s_over_l * l))))
    return scale, max(1, int(round(s_over_l * l * scale)))


def c3_instance(memory_over_u: float, *, l: int = 20, u_over_l: int = 4, s_over_l: float = 0.01,
                batches: float = 20.0, order: str = "sorted") -> Instance:
    """One instance of the C3 family (what :func:`c3_curve` simulates at one point).

    Lengths ``scale * k`` for ``k`` in ``{l, ..., u_over_l * l}`` (``scale``, ``s`` from :func:`c3_scale`),
    counts proportional to the maximiser of the quotient on that index set, every interval
    ``[l scale, u_over_l l scale]``, one prompt size ``s``, all at 0; ``M = round(memory_over_u * u)`` and
    ``n = round(batches * M / (s + mean o))`` requests.

    >>> inst = c3_instance(10, l=10, u_over_l=2, s_over_l=0.1, batches=4)
    >>> inst.memory, int(inst.o.min()), int(inst.o.max()), set(inst.s.tolist())
    (200, 10, 20, {1})
    """
    q = int(u_over_l)
    support = competitive_ratio(q * l, lower=l)
    scale, s = c3_scale(l, s_over_l)
    lo, hi = l * scale, q * l * scale
    lengths = support.indices.astype(np.int64) * scale
    mean_o = float(np.dot(support.vector, lengths) / support.vector.sum())
    M = int(round(memory_over_u * hi))
    n = max(2, int(round(batches * M / (s + mean_o))))
    counts = apportion(support.vector, n)
    keep = counts > 0
    return mixed_instance(lengths[keep], counts[keep], M, l=lo, u=hi, s=s, order=order)


def c3_curve(memory_over_u: Sequence[float], *, l: int = 20, u_over_l: Sequence[int] = (4,),
             s_over_l: Sequence[float] = (0.01,), ties: Sequence[str] = ("random", "index", "adversarial"),
             batches: float = 20.0, seeds: Iterable[int] = range(3), order: str = "sorted"):
    """C3: A_min/H-SF on the maximiser instance as ``M`` grows, for several ``s/l`` and ``u/l``.

    For ``u/l = q``: the index set ``{l, ..., q l}``, counts proportional to the maximiser of
    ``x'Ax / x'Bx`` on it (:func:`lpsched.ratio.competitive_ratio`), output lengths ``scale * index``
    (``scale``, ``s`` from :func:`c3_scale`), interval ``[l scale, q l scale]``, all at 0.  ``M =
    round(memory_over_u * q l scale)``; ``n = round(batches * M / (s + mean o))`` requests (about
    ``batches`` memories' worth; the ratio grows with ``batches``, so compare curves at one value).

    Parameters
    ----------
    memory_over_u : memory sizes in units of the longest output ``u`` (= ``q l scale`` tokens).
    l : smallest index (the shortest output is ``l * scale`` tokens).  It also sets how finely the lengths
        cover ``[l, u]``: they are ``scale`` apart, ``1 / l`` of the shortest.  At large ``M / u`` the ratio
        depends on it (a coarse grid keeps more requests of exactly equal length), so compare curves at
        one ``l``.
    u_over_l : ratios ``q = u / l`` (integers).
    s_over_l : prompt size over the shortest output.
    ties : A_min tie rules (random: mean over ``seeds``; the others: first seed).
    order : request order (:func:`mixed_instance`): matters for ``tie="index"`` only.

    Returns
    -------
    pandas.DataFrame, one row per ``(u/l, s/l, M, tie)``: ``tie, u_over_l, s_over_l`` (realised),
    ``l, u`` (shortest and longest output, tokens), ``s, scale, spacing_over_l`` (the lengths' spacing
    ``scale`` over the shortest length: ``1 / l``), ``M, M_over_u, batches, n, order, ratio,
    std, seeds, quotient`` (max of the quotient on every integer length ``{l..u}``: the claimed
    CR), ``quotient_support`` (on the instance's own lengths), ``quotient_1`` (on ``{1..u/l}``),
    ``evictions`` (mean), ``token_share, memtime_share`` (:func:`discarded_work`, mean over seeds),
    ``tel_amin, tel_hsf``.

    Sizes: ``run_size("c3", "quick")`` (about 3 s), ``run_size("c3", "full")`` (about 5 min).

    Examples
    --------
    >>> df = c3_curve([10], l=10, u_over_l=(2,), s_over_l=(0.1,), ties=("index",), batches=4)
    >>> df[["u_over_l", "l", "u", "s", "M"]].iloc[0].tolist(), float(df.s_over_l.iloc[0])
    ([2, 10, 20, 1, 200], 0.1)
    >>> round(float(df.quotient.iloc[0]), 4)
    1.2746
    """
    import pandas as pd

    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; valid: {', '.join(ORDERS)}")
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must not be empty")
    rows = []
    for q in u_over_l:
        if isinstance(q, bool) or int(q) != q or q < 1:
            raise ValueError(f"u_over_l = {q!r} must be an integer >= 1")
        q = int(q)
        support = competitive_ratio(q * l, lower=l)
        q1 = competitive_ratio(q).value
        for sl in s_over_l:
            scale, s = c3_scale(l, sl)
            lo, hi = l * scale, q * l * scale
            full = competitive_ratio(hi, lower=lo).value if scale > 1 else support.value
            for mu in memory_over_u:
                inst = c3_instance(mu, l=l, u_over_l=q, s_over_l=sl, batches=batches, order=order)
                M = inst.memory
                tel_hsf = hsf_benchmark(inst).metrics.tel
                for tie in ties:
                    here = seeds if tie == "random" else seeds[:1]
                    tels, evs, shares = [], [], []
                    for seed in here:
                        res = simulate(inst, "amin", seed=seed, tie=tie)
                        tels.append(res.metrics.tel)
                        evs.append(res.metrics.evictions)
                        shares.append(discarded_work(res.schedule))
                    tels_a = np.asarray(tels, dtype=float)
                    rows.append({"tie": tie, "u_over_l": q, "s_over_l": s / lo, "l": lo, "u": hi, "s": s,
                                 "scale": scale, "spacing_over_l": 1 / l, "M": M, "M_over_u": M / hi,
                                 "batches": batches, "n": inst.n,
                                 "order": order, "ratio": float(tels_a.mean() / tel_hsf),
                                 "std": float(tels_a.std() / tel_hsf), "seeds": len(here), "quotient": full,
                                 "quotient_support": support.value, "quotient_1": q1,
                                 "evictions": float(np.mean(evs)),
                                 "token_share": float(np.mean([d["token_share"] for d in shares])),
                                 "memtime_share": float(np.mean([d["memtime_share"] for d in shares])),
                                 "tel_amin": float(tels_a.mean()), "tel_hsf": float(tel_hsf)})
    return pd.DataFrame(rows)


#: Named sizes of the C2 / C3 studies (:func:`run_size`): ``quick`` runs in a few seconds (``lpsched
#: verify``), ``full`` reproduces the curves (``lpsched verify --full``).  Each size is a list of keyword
#: sets for one function (the C3 grid is not rectangular: index / adversarial ties and s/l = 0.001 cost
#: far more evictions, so they run on fewer sizes; a last part varies the lengths' spacing).
C2_QUICK = {"memories": [4010, 16040, 64160], "l": 100, "u": 400, "s": 1, "nl_over_nu": (None, 30),
            "ties": ("random", "adversarial"), "batches": 20.0, "seeds": range(2)}
C2_FULL = {"memories": [4010, 16040, 64160], "l": 100, "u": 400, "s": 1, "nl_over_nu": (None, 30),
           "ties": ("random", "index", "adversarial"), "batches": 80.0, "seeds": range(3)}
C2_SEARCH_QUICK = {"memory": 16040, "l": 100, "u": 400, "s": 1, "ratios": (2, 8, 30), "middles": (200,),
                   "step": 2, "batches": 20.0, "seeds": range(2)}
C2_SEARCH_FULL = {"memory": 40100, "l": 100, "u": 400, "s": 1, "batches": 40.0, "seeds": range(3)}
C3_QUICK = {"memory_over_u": [10, 40], "l": 20, "u_over_l": (4,), "s_over_l": (0.01,), "ties": ("random",),
            "batches": 10.0, "seeds": range(2)}
C3_FULL = [
    {"memory_over_u": [25, 100, 400], "l": 20, "u_over_l": (4, 8), "s_over_l": (0.1, 0.01), "ties": ("random",),
     "batches": 20.0, "seeds": range(2)},
    {"memory_over_u": [25], "l": 20, "u_over_l": (4, 8), "s_over_l": (0.001,), "ties": ("random",),
     "batches": 20.0, "seeds": range(1)},
    {"memory_over_u": [25, 100], "l": 20, "u_over_l": (4, 8), "s_over_l": (0.1, 0.01),
     "ties": ("index", "adversarial"), "batches": 20.0, "seeds": range(1)},
    # every integer length of [100, 400] (spacing l/100 instead of l/20): the ratio then falls with M
    {"memory_over_u": [25, 100, 400], "l": 100, "u_over_l": (4,), "s_over_l": (0.01,), "ties": ("random",),
     "batches": 20.0, "seeds": range(1)},
]
SIZES = {"c2": {"quick": [C2_QUICK], "full": [C2_FULL]},
         "c2_search": {"quick": [C2_SEARCH_QUICK], "full": [C2_SEARCH_FULL]},
         "c3": {"quick": [C3_QUICK], "full": C3_FULL}}


def run_size(study: str, size: str = "quick"):
    """Run a named size of a study (:data:`SIZES`): ``"c2"`` and ``"c3"`` give one DataFrame (the parts
    concatenated), ``"c2_search"`` a :class:`C2Search`.

    Run times on a 2-core machine: c2 quick about 1.5 s, full about 1 min; c2_search quick 0.5 s, full
    about 1 min; c3 quick about 3 s, full about 5 min.

    >>> run_size("c2", "quick").groupby("reading").ratio.max().round(0).to_dict()
    {'batch': 13.0, 'refill': 4.0}
    """
    import pandas as pd

    if study not in SIZES:
        raise ValueError(f"unknown study {study!r}; valid: {', '.join(SIZES)}")
    if size not in SIZES[study]:
        raise ValueError(f"unknown size {size!r}; valid: {', '.join(SIZES[study])}")
    parts = SIZES[study][size]
    if study == "c2_search":
        return c2_search(**parts[0])
    fn = c2_curve if study == "c2" else c3_curve
    return pd.concat([fn(**kw) for kw in parts], ignore_index=True)


SETTINGS = (("rough", {}), ("buckets", {}), ("overlap", {"x": 0.1}), ("overlap", {"x": 0.95}),
            ("overlap", {"x": 0.99}))


def prediction_settings_table(instance: Instance, settings=SETTINGS, seed: int = 0,
                              policies: Sequence[str] = ("amin", "amax")):
    """C8: mean latency of A_min, A_max and H-SF under each interval setting (pandas DataFrame).

    ``rough`` uses ``[1, max(1000, max o)]`` so that the interval contains every true ``o``.
    """
    import pandas as pd

    hsf = hsf_benchmark(instance)
    rows = []
    for kind, opts in settings:
        if kind == "rough":
            opts = {"high": max(1000, int(instance.o.max()))}
        pred = interval_predictions(instance.o, kind, **opts)
        inst = instance.with_predictions(pred)
        label = kind + (f"({opts['x']})" if "x" in opts else "")
        row = {"setting": label, "hsf": hsf.metrics.mean_latency}
        for pol in policies:
            res = simulate(inst, pol, seed=seed)
            row[pol] = res.metrics.mean_latency
            row[f"{pol}/hsf"] = res.metrics.mean_latency / hsf.metrics.mean_latency
            row[f"{pol}_evictions"] = res.metrics.evictions
        rows.append(row)
    return pd.DataFrame(rows).set_index("setting")


def bucketed_amin(instance: Instance, widths: Sequence[int], seeds: Iterable[int] = range(3)):
    """C7: A_min / H-SF with bucketed (multi-interval) predictions of each width, and with one rough
    interval ``[1, max o]`` for comparison (pandas DataFrame)."""
    import pandas as pd

    seeds = list(seeds)
    rows = []
    top = int(instance.o.max())
    for w in widths:
        inst = instance.with_predictions(interval_predictions(instance.o, "buckets", width=w))
        p = ratio_vs_hsf(inst, "amin", seeds)
        rows.append({"width": w, "alpha_min": 1.0 / w, "amin/hsf": p.ratio, "std": p.std})
    inst = instance.with_predictions(interval_predictions(instance.o, "rough", high=top))
    p = ratio_vs_hsf(inst, "amin", seeds)
    rows.append({"width": top, "alpha_min": 1.0 / top, "amin/hsf": p.ratio, "std": p.std})
    return pd.DataFrame(rows)


def logt_workload(n: int, memory: int, seed: int = 0, mu_range=(2.0, 5.5), sigma: float | tuple = 0.8,
                  nu: float = 3.5, error: float = 0.3, s_range=(1, 200), rate: float | None = None
                  ) -> Instance:
    """T1: heavy-tailed lengths ``o ~ exp(mu_i + sigma T_nu)`` (clipped to ``[1, M - s]``) with log-t
    predictions ``(mu_i + error * Z, sigma)`` and point predictions ``exp(mu_i + error * Z)`` (the
    predicted median, what a point predictor trained on the same data would output).

    ``sigma``: one spread for all, or ``(lo, hi)``: each request's spread uniform in it (heteroscedastic
    uncertainty, where TIE's tail term can reorder requests with equal medians).
    ``rate``: Poisson arrivals with that many requests per step (default: all at 0).
    """
    from ..workloads import poisson_arrivals

    rng = np.random.default_rng(seed)
    s = rng.integers(s_range[0], s_range[1] + 1, n)
    mu = rng.uniform(*mu_range, n)
    sig = rng.uniform(sigma[0], sigma[1], n) if isinstance(sigma, tuple) else np.full(n, float(sigma))
    o = np.exp(mu + sig * rng.standard_t(nu, n))
    o = np.clip(np.rint(o), 1, memory - s).astype(np.int64)
    mu_hat = mu + error * rng.standard_normal(n)
    a = None if rate is None else poisson_arrivals(n, rate, seed=seed + 1)
    pred = Predictions(point=np.exp(mu_hat), mu=mu_hat, sigma=sig, nu=nu)
    return Instance(memory, s, o, a, pred, name=f"logt(n={n},sigma={sigma},error={error})")


def tie_table(instance: Instance, policies: Sequence[str] = ("tie", "sf_point", "fcfs", "vllm"), **tie_opts):
    """T1: per-token latency mean and p90 (and mean latency) of each policy (pandas DataFrame)."""
    import pandas as pd

    rows = []
    for pol in policies:
        res = simulate(instance, pol, **(tie_opts if pol == "tie" else {}))
        m = res.metrics
        rows.append({"policy": pol, "per_token_mean": m.per_token_latency_mean,
                     "per_token_p90": m.per_token_latency_p90, "mean_latency": m.mean_latency,
                     "evictions": m.evictions, "seconds": res.seconds})
    return pd.DataFrame(rows).set_index("policy")

"""Experiments of the prediction-uncertainty claims C2, C3, C7, C8 and T1 (``SPEC.md`` section 6).

* :func:`amax_lower_instance` -- C2's A_max lower-bound family: ``N_l`` requests with ``o = l`` and
  ``N_u`` with ``o = u``, ``N_l / N_u = alpha^-1/2``, every interval ``[l, u]``.
* :func:`eigen_instance` -- C3's family: counts proportional to the eigenproblem's maximiser ``x`` on the
  index set ``{l, ..., u}`` (:func:`lpsched.ratio.competitive_ratio`), output length = index, interval
  ``[l, u]``; optionally every length multiplied by ``scale`` (interval ``[l scale, u scale]``).
* :func:`ratio_vs_hsf` -- mean ``TEL(policy) / TEL(H-SF)`` over seeds (the CR's expectation is over the
  policy's randomness); :func:`curve` sweeps memory sizes, tie rules and prompt sizes.
* :func:`prediction_settings_table` -- C8: A_min vs A_max vs H-SF under ``rough``, ``buckets``,
  ``overlap(x)`` intervals; :func:`bucketed_amin` -- C7; :func:`logt_workload` and :func:`tie_table` -- T1.

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

__all__ = ["amax_lower_instance", "eigen_instance", "RatioPoint", "ratio_vs_hsf", "curve", "fluid_forms",
           "prediction_settings_table", "bucketed_amin", "logt_workload", "tie_table", "apportion"]


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


def amax_lower_instance(l: int, u: int, n_u: int, memory: int, s: int = 1) -> Instance:
    """C2: ``N_u = n_u`` requests with ``o = u`` and ``N_l = round(n_u sqrt(u / l))`` with ``o = l``."""
    if not (1 <= l <= u):
        raise InstanceError(f"need 1 <= l <= u, got l = {l}, u = {u}")
    n_l = int(round(n_u * math.sqrt(u / l)))
    o = np.array([l] * n_l + [u] * n_u, dtype=np.int64)
    return _interval_instance(memory, s, o, l, u, f"amax_lower(l={l},u={u},N_l={n_l},N_u={n_u})")


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


def ratio_vs_hsf(instance: Instance, policy: str, seeds: Iterable[int] = (0,), **options) -> RatioPoint:
    """Mean over ``seeds`` of ``TEL(policy) / TEL(H-SF)`` on ``instance`` (fast engine)."""
    hsf = simulate(instance, "hsf").metrics.tel
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


SETTINGS = (("rough", {}), ("buckets", {}), ("overlap", {"x": 0.1}), ("overlap", {"x": 0.95}),
            ("overlap", {"x": 0.99}))


def prediction_settings_table(instance: Instance, settings=SETTINGS, seed: int = 0,
                              policies: Sequence[str] = ("amin", "amax")):
    """C8: mean latency of A_min, A_max and H-SF under each interval setting (pandas DataFrame).

    ``rough`` uses ``[1, max(1000, max o)]`` so that the interval contains every true ``o``.
    """
    import pandas as pd

    hsf = simulate(instance, "hsf")
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

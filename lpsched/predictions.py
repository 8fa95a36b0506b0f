"""Predictors of output lengths: intervals, noisy points, log-t distributions (``docs/model.md``, "Predictions").

Layer: model.

* Intervals (Chen, Ye, Zhou, arXiv 2508.14544, experiments): ``rough`` (every request ``[1, 1000]``),
  ``buckets`` (``[1,100], [101,200], ...`` chosen by the true ``o``), ``overlap(x)``
  (``[(1-x) o, (1+x) o]`` rounded, ``l >= 1``), or user arrays -- :func:`interval_predictions`.
* Point predictions: ``o`` times log-normal noise -- :func:`point_predictions`.
* Attaching them to an instance by name -- :func:`attach` with a spec such as ``"buckets"``,
  ``"overlap:0.1"``, ``"point:0.5"``, ``"logt:0.8"`` or several joined by ``+``
  (``"buckets+point:0.5+logt:0.8"``, :data:`DEFAULT_SPEC`, what ``lpsched compare`` attaches when none is
  given); the CLI's ``--intervals``, ``--point`` and ``--logt`` and the sweeps' ``prediction`` axis use it.
* Log-t distributions (Zheng et al., arXiv 2604.00499): ``o ~ exp(mu + sigma T_nu)``.
  :func:`calibrated_logt` yields ``(mu, sigma)`` from the true ``o`` such that ``o`` is an exact draw of
  the predicted distribution (calibrated: the PIT value of ``o`` is uniform), plus a controllable error
  on ``mu``; :func:`fit_logt` fits ``(mu, sigma, nu)`` to samples with scipy; :func:`logt_score_parts`
  computes ``E[min(X, x_max)]`` and ``CVaR_q[min(X, x_max)]`` by numerical integration (``quad``).

Examples
--------
>>> import numpy as np
>>> o = np.array([5, 150, 990])
>>> p = interval_predictions(o, "buckets")
>>> p.lower.tolist(), p.upper.tolist()
([1, 101, 901], [100, 200, 1000])
>>> q = interval_predictions(o, "overlap", x=0.1)
>>> q.lower.tolist(), q.upper.tolist()
([4, 135, 891], [6, 165, 1089])
>>> from lpsched import Instance
>>> inst = attach(Instance(2000, [5, 5, 5], o.tolist()), "buckets+point:0.5", seed=0)
>>> inst.predictions.upper.tolist(), inst.predictions.point is not None
([100, 200, 1000], True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .model import Instance, InstanceError, Predictions, int_column

__all__ = ["rough", "buckets", "overlap", "user_intervals", "interval_predictions", "INTERVALS",
           "point_predictions", "calibrated_logt", "LogTFit", "fit_logt", "logt_score_parts",
           "with_intervals", "attach", "parse_spec", "describe_spec", "complete_spec", "PREDICTION_KINDS",
           "DEFAULT_SPEC"]


def _o(o) -> np.ndarray:
    return int_column(o, "o", 1)


def rough(o, low: int = 1, high: int = 1000) -> Predictions:
    """Every request gets ``[low, high]``; fails if some ``o`` lies outside (raise ``high``)."""
    o = _o(o)
    bad = np.flatnonzero((o < low) | (o > high))
    if len(bad):
        i = int(bad[0])
        raise InstanceError(f"rough interval [{low}, {high}] does not contain o[{i}] = {o[i]}; "
                            f"pass high >= {int(o.max())}")
    return Predictions(lower=np.full(len(o), low), upper=np.full(len(o), high)).validated(len(o))


def buckets(o, width: int = 100) -> Predictions:
    """The bucket ``[k w + 1, (k+1) w]`` containing each true ``o`` (``w = width``)."""
    o = _o(o)
    if int(width) != width or width < 1:
        raise InstanceError(f"width = {width!r} must be an integer >= 1")
    k = (o - 1) // int(width)
    return Predictions(lower=k * width + 1, upper=(k + 1) * width).validated(len(o))


def overlap(o, x: float) -> Predictions:
    """``[round((1 - x) o), round((1 + x) o)]`` with ``l >= 1`` (the paper's ``x`` in {0.1, 0.95, 0.99})."""
    o = _o(o)
    if not (0 <= x < 1):
        raise InstanceError(f"overlap x = {x!r} must be in [0, 1)")
    lower = np.maximum(1, np.rint((1 - x) * o)).astype(np.int64)
    upper = np.maximum(lower, np.rint((1 + x) * o)).astype(np.int64)
    return Predictions(lower=lower, upper=upper).validated(len(o))


def user_intervals(lower, upper) -> Predictions:
    """User-supplied interval arrays (validated: ``1 <= lower <= upper``)."""
    lower = np.asarray(lower)
    return Predictions(lower=lower, upper=np.asarray(upper)).validated(len(lower))


INTERVALS = {"rough": rough, "buckets": buckets, "overlap": overlap}


def interval_predictions(o, kind: str, **options) -> Predictions:
    """Interval predictions of kind ``rough``, ``buckets`` or ``overlap`` (options passed on)."""
    if kind not in INTERVALS:
        raise ValueError(f"unknown interval kind {kind!r}; valid kinds: {', '.join(sorted(INTERVALS))}")
    return INTERVALS[kind](o, **options)


def with_intervals(instance: Instance, kind: str, **options) -> Instance:
    """``instance`` with interval predictions of ``kind`` computed from its true ``o``.

    Other predictions (points, distributions) are kept.
    """
    p = interval_predictions(instance.o, kind, **options)
    old = instance.predictions or Predictions()
    return instance.with_predictions(Predictions(p.lower, p.upper, old.point, old.mu, old.sigma, old.nu))


def point_predictions(o, spread: float, seed: int = 0) -> np.ndarray:
    """Noisy point predictions ``o * exp(spread * Z)``, ``Z ~ N(0, 1)`` (``spread = 0``: exact)."""
    o = _o(o)
    if not (spread >= 0 and math.isfinite(spread)):
        raise InstanceError(f"spread = {spread!r} must be a finite number >= 0")
    z = np.random.default_rng(seed).standard_normal(len(o))
    return o * np.exp(spread * z)


def calibrated_logt(o, sigma=0.5, error: float = 0.0, nu: float = 3.5, seed: int = 0
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Log-t parameters ``(mu, sigma)`` under which each true ``o`` is a calibrated draw.

    ``mu = ln o - sigma * T`` with ``T ~ t_nu``: then ``o = exp(mu + sigma T)`` is exactly a draw of the
    predicted distribution (its PIT value ``F(o)`` is uniform).  ``error`` adds ``error * N(0, 1)`` to
    ``mu`` (miscalibration); ``sigma`` may be a scalar or an array.

    >>> mu, sig = calibrated_logt([10, 100], sigma=0.0)
    >>> np.round(np.exp(mu)).tolist(), sig.tolist()
    ([10.0, 100.0], [0.0, 0.0])
    """
    o = _o(o)
    sigma = np.broadcast_to(np.asarray(sigma, dtype=float), o.shape).copy()
    if np.any(~np.isfinite(sigma) | (sigma < 0)):
        raise InstanceError("sigma must be finite and >= 0")
    rng = np.random.default_rng(seed)
    t = rng.standard_t(nu, size=len(o))
    mu = np.log(o) - sigma * t + error * rng.standard_normal(len(o))
    return mu, sigma


@dataclass(frozen=True)
class LogTFit:
    """Fitted log-t parameters ``log(o) ~ mu + sigma * T_nu``."""

    mu: float
    sigma: float
    nu: float
    n: int


def fit_logt(samples, nu: float | None = None) -> LogTFit:
    """Maximum-likelihood log-t fit (``scipy.stats.t.fit`` on ``log(samples)``); ``nu`` fixed if given.

    >>> rng = np.random.default_rng(0)
    >>> x = np.exp(4.0 + 0.7 * rng.standard_t(3.5, size=4000))
    >>> f = fit_logt(x, nu=3.5)
    >>> round(f.mu, 1), round(f.sigma, 1)
    (4.0, 0.7)
    """
    from scipy import stats

    x = np.asarray(samples, dtype=float)
    if x.ndim != 1 or len(x) < 3:
        raise ValueError(f"fit_logt needs at least 3 samples, got {x.size}")
    if np.any(~np.isfinite(x) | (x <= 0)):
        raise ValueError("samples must be finite and positive")
    y = np.log(x)
    if nu is None:
        df, loc, scale = stats.t.fit(y)
    else:
        df, loc, scale = stats.t.fit(y, f0=nu)
    return LogTFit(float(loc), float(scale), float(df), len(x))


def logt_score_parts(mu: float, sigma: float, nu: float, x_max: float, q: float = 0.9
                     ) -> tuple[float, float]:
    """``(E[Y], CVaR_q[Y])`` of ``Y = min(X, x_max)``, ``X = exp(mu + sigma T_nu)``, by integration.

    Both are integrals of the quantile function ``Q_Y(p) = min(exp(mu + sigma F^{-1}(p)), x_max)``
    (``F`` the ``t_nu`` distribution function): ``E[Y] = int_0^1 Q_Y(p) dp`` and
    ``CVaR_q[Y] = (1 / (1 - q)) int_q^1 Q_Y(p) dp``.  Above ``p_cap = F((ln x_max - mu) / sigma)`` the
    integrand is the constant ``x_max`` (integrated exactly); below it ``scipy.integrate.quad``
    integrates ``exp(mu + sigma t) f_nu(t)`` over ``t`` (the substitution ``p = F(t)``; absolute
    tolerance ``1e-10 x_max`` tokens, relative ``1e-9``).
    ``X`` itself has no mean (``T_nu`` has heavy tails); the cap makes both finite.

    >>> e, c = logt_score_parts(0.0, 1e-9, 3.5, 100.0)          # a point mass at 1
    >>> round(e, 6), round(c, 6)
    (1.0, 1.0)
    >>> e, c = logt_score_parts(np.log(50), 1.0, 3.5, 100.0)
    >>> 0 < e < c <= 100
    True
    """
    from scipy import integrate, special

    if not (sigma > 0 and x_max > 0 and 0 < q < 1 and nu > 0):
        raise ValueError(f"need sigma > 0, x_max > 0, 0 < q < 1, nu > 0; got sigma={sigma}, "
                         f"x_max={x_max}, q={q}, nu={nu}")
    log_cap = math.log(x_max)
    p_cap = float(special.stdtr(nu, (log_cap - mu) / sigma))       # P(X <= x_max)

    # int_lo^{p_cap} Q(p) dp = int_{F^-1(lo)}^{z_cap} exp(mu + sigma t) f(t) dt with f the t_nu density:
    # the substitution p = F(t) avoids inverting F inside the integrand
    z_cap = (log_cap - mu) / sigma
    log_c = math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2) - 0.5 * math.log(nu * math.pi)

    def integrand(t: float) -> float:
        return math.exp(mu + sigma * t + log_c - (nu + 1) / 2 * math.log1p(t * t / nu))

    def integral(lo: float) -> float:
        """int_lo^1 Q_Y(p) dp: numerically below the cap, exactly (x_max per unit of p) above it."""
        top = min(max(p_cap, lo), 1.0)
        capped = x_max * (1.0 - top)
        if top <= lo:
            return capped
        t_lo = -math.inf if lo == 0 else float(special.stdtrit(nu, lo))
        # log-integrand slope sigma - (nu+1) t / (nu + t^2) vanishes at a local max near 0 and a local
        # min near (nu+1)/sigma, past which exp(sigma t) outgrows the tail: split there so quad sees
        # each piece's shape (a single adaptive pass misses the rise towards z_cap for small sigma)
        disc = (nu + 1) ** 2 - 4 * sigma * sigma * nu
        cuts = [] if disc <= 0 else [((nu + 1) - math.sqrt(disc)) / (2 * sigma), ((nu + 1) + math.sqrt(disc)) / (2 * sigma)]
        # one decade per piece (the left tail beyond -1e4 holds under 1e-13 of the mass)
        cuts += [-(10.0 ** k) for k in range(1, 5)] + [10.0 ** k for k in range(1, 16)]
        edges = [t_lo] + sorted(c for c in cuts if t_lo < c < z_cap) + [z_cap]
        val = sum(integrate.quad(integrand, a, b, limit=200, epsabs=1e-10 * x_max, epsrel=1e-9)[0]
                  for a, b in zip(edges, edges[1:]))
        return val + capped

    mean = integral(0.0)
    cvar = x_max if p_cap <= q else integral(q) / (1 - q)
    return float(mean), float(cvar)


# ----------------------------------------------------------------------------------------------- specs
PREDICTION_KINDS = ("none", "rough", "buckets[:width]", "overlap:x", "point:spread", "logt:sigma")
DEFAULT_SPEC = "buckets+point:0.5+logt:0.8"
_ROLE = {"rough": "intervals", "buckets": "intervals", "overlap": "intervals", "point": "point", "logt": "logt"}


def _number(text: str, part: str, what: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise ValueError(f"prediction {part!r}: {what} {text!r} is not a number") from None
    if not math.isfinite(x):
        raise ValueError(f"prediction {part!r}: {what} {text!r} must be finite")
    return x


def parse_spec(spec) -> list[tuple[str, float | int | None]]:
    """A prediction spec as ``[(kind, argument), ...]``, each part checked (errors name it).

    ``spec`` is ``"none"`` or parts joined by ``+``: ``rough``, ``buckets`` or ``buckets:WIDTH`` (an integer
    >= 1, default 100), ``overlap:X`` (``0 <= X < 1``), ``point:SPREAD`` (>= 0), ``logt:SIGMA`` (> 0); at most
    one interval kind, one ``point`` and one ``logt``.

    >>> parse_spec("overlap:0.1+logt:0.8")
    [('overlap', 0.1), ('logt', 0.8)]
    >>> parse_spec("point")
    Traceback (most recent call last):
    ...
    ValueError: prediction 'point' needs a spread: point:SPREAD (e.g. point:0.5); valid: none, rough, buckets[:width], overlap:x, point:spread, logt:sigma
    """
    if not isinstance(spec, str):
        raise ValueError(f"prediction {spec!r} must be a string such as 'buckets' or 'overlap:0.1+point:0.5'")
    text = spec.strip()
    if text in ("", "none"):
        return []
    out: list[tuple[str, float | int | None]] = []
    roles: dict[str, str] = {}
    valid = ", ".join(PREDICTION_KINDS)
    for part in text.split("+"):
        part = part.strip()
        kind, colon, arg = part.partition(":")
        if kind not in _ROLE:
            raise ValueError(f"unknown prediction {part!r}; valid: {valid}")
        if kind == "rough":
            if colon:
                raise ValueError(f"prediction {part!r}: rough takes no argument (it is [1, max(1000, max o)])")
            value = None
        elif kind == "buckets":
            if not colon:
                value = 100
            else:
                w = _number(arg, part, "width")
                if w != int(w) or not 1 <= w <= 2 ** 53:
                    raise ValueError(f"prediction {part!r}: width {arg!r} must be an integer >= 1")
                value = int(w)
        else:
            if not colon or not arg.strip():
                what = {"overlap": "x: overlap:X (e.g. overlap:0.1)", "point": "spread: point:SPREAD (e.g. point:0.5)",
                        "logt": "sigma: logt:SIGMA (e.g. logt:0.8)"}[kind]
                raise ValueError(f"prediction {part!r} needs a {what}; valid: {valid}")
            x = _number(arg, part, {"overlap": "x", "point": "spread", "logt": "sigma"}[kind])
            if kind == "overlap" and not 0 <= x < 1:
                raise ValueError(f"prediction {part!r}: x = {arg} must be in [0, 1)")
            if kind == "point" and not x >= 0:
                raise ValueError(f"prediction {part!r}: spread = {arg} must be >= 0")
            if kind == "logt" and not x > 0:
                raise ValueError(f"prediction {part!r}: sigma = {arg} must be > 0")
            value = x
        role = _ROLE[kind]
        if role in roles:
            raise ValueError(f"prediction {spec!r} gives {role} twice ({roles[role]!r} and {part!r})")
        roles[role] = part
        out.append((kind, value))
    return out


def _format(parts) -> str:
    return "+".join(k if v is None or (k == "buckets" and v == 100) else f"{k}:{v:g}" for k, v in parts) or "none"


def describe_spec(spec) -> str:
    """Human wording of a spec.

    >>> describe_spec("buckets+point:0.5")
    'intervals: buckets of width 100; point: o x exp(0.5 Z)'
    """
    words = {"rough": lambda v: "intervals: rough [1, max(1000, max o)]",
             "buckets": lambda v: f"intervals: buckets of width {v}",
             "overlap": lambda v: f"intervals: overlap [(1 - {v:g}) o, (1 + {v:g}) o]",
             "point": lambda v: f"point: o x exp({v:g} Z)",
             "logt": lambda v: f"log-t: calibrated, sigma {v:g}"}
    parts = parse_spec(spec)
    return "; ".join(words[k](v) for k, v in parts) if parts else "none"


def complete_spec(spec, instance: Instance | None = None, defaults: str = DEFAULT_SPEC) -> tuple[str, list[str]]:
    """``spec`` with the parts of ``defaults`` whose kind it lacks (and ``instance`` lacks); the added parts.

    >>> complete_spec("overlap:0.1")
    ('overlap:0.1+point:0.5+logt:0.8', ['point:0.5', 'logt:0.8'])
    """
    parts = parse_spec(spec or "none")
    have = {_ROLE[k] for k, _ in parts}
    p = instance.predictions if instance is not None else None
    if p is not None:
        have |= {r for r, arr in (("intervals", p.lower), ("point", p.point), ("logt", p.mu)) if arr is not None}
    added = [(k, v) for k, v in parse_spec(defaults) if _ROLE[k] not in have]
    return _format(parts + added), [_format([x]) for x in added]


def attach(instance: Instance, spec, seed: int = 0) -> Instance:
    """``instance`` with the predictions named by ``spec`` (:func:`parse_spec`), computed from its true ``o``.

    Intervals replace the instance's intervals, ``point`` its point estimates, ``logt`` its log-t
    parameters; other predictions are kept.  ``seed`` seeds the noisy parts (``point``: log-normal noise,
    ``logt``: the calibrated draw), each with ``numpy.random.default_rng(seed)``; deterministic.  ``rough`` is
    ``[1, max(1000, max o)]`` so that it always contains ``o``.

    Parameters
    ----------
    instance : Instance
    spec : str
        ``"none"``, ``"rough"``, ``"buckets"``, ``"buckets:W"``, ``"overlap:X"``, ``"point:SPREAD"``,
        ``"logt:SIGMA"``, or several joined by ``+``.
    seed : int

    Examples
    --------
    >>> from lpsched import Instance
    >>> inst = attach(Instance(100, [1, 1], [10, 40]), "overlap:0.5+logt:0.8", seed=1)
    >>> inst.predictions.lower.tolist(), inst.predictions.mu is not None
    ([5, 20], True)
    """
    parts = parse_spec(spec)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed = {seed!r} must be an integer >= 0")
    for kind, value in parts:
        old = instance.predictions or Predictions()
        if kind == "rough":
            instance = with_intervals(instance, "rough", high=max(1000, int(instance.o.max())))
        elif kind == "buckets":
            instance = with_intervals(instance, "buckets", width=value)
        elif kind == "overlap":
            instance = with_intervals(instance, "overlap", x=value)
        elif kind == "point":
            point = point_predictions(instance.o, value, seed)
            instance = instance.with_predictions(Predictions(old.lower, old.upper, point, old.mu, old.sigma, old.nu))
        else:
            mu, sigma = calibrated_logt(instance.o, sigma=value, seed=seed)
            instance = instance.with_predictions(Predictions(old.lower, old.upper, old.point, mu, sigma, old.nu))
    return instance

"""The competitive-ratio eigenproblem of A_min, and the A_max bounds (Chen, Ye, Zhou, arXiv 2508.14544).

Layer: algorithms.

Claim C3 (:mod:`lpsched.claims.chen_ye_zhou`): with every prediction interval ``[l, u]`` and ``M -> infinity``,

    CR(A_min) = max_{x > 0}  x' A x / x' B x,
    a_ij = min(i,j)^2 / (i j) * ((i + j)^2 / 2 - min(i,j)^2),     b_ij = min(i,j)^2,

over the output lengths ``i, j`` of an index set (``1..u`` in the paper; ``{l, ..., u}`` when the lower
bound is ``l > 1``: both entries are homogeneous of degree 2, so the quotient only depends on the ratios of
the indices).  This module computes the maximum exactly (dense, small sets) and matrix-free (large sets).

Closed forms used for the O(u) products
---------------------------------------
For ``j <= i`` (so ``min = j``):  ``a_ij = (j/i) (i^2/2 + i j - j^2/2) = i j / 2 + j^2 - j^3 / (2 i)``, and
symmetrically for ``j >= i``: ``a_ij = i j / 2 + i^2 - i^3 / (2 j)`` (both give ``a_ii = i^2``).  Hence

    (A x)_i = (i/2) sum_j j x_j + sum_{j<=i} j^2 x_j - (1/(2i)) sum_{j<=i} j^3 x_j
              + i^2 sum_{j>i} x_j - (i^3/2) sum_{j>i} x_j / j,
    (B x)_i = sum_{j<=i} j^2 x_j + i^2 sum_{j>i} x_j,

which are prefix sums (of ``j^2 x``, ``j^3 x``) and suffix sums (of ``x``, ``x / j``): O(u) per product.
Every term is positive except ``-j^3 x_j / (2i)``, which is at most half of ``i j x_j / 2 + j^2 x_j``, so
there is no catastrophic cancellation.

Reduction to a standard symmetric problem
-----------------------------------------
With indices ``v_1 < ... < v_m`` and ``v_0 = 0``, ``min(v_i, v_j)^2 = sum_{k <= min(i,j)} d_k`` with
``d_k = v_k^2 - v_{k-1}^2 > 0``, i.e. ``B = L D L'`` with ``L`` the lower-triangular matrix of ones and
``D = diag(d)``.  So ``B`` is positive definite, ``L^{-1}`` is the first-difference operator, and with
``x = L^{-T} D^{-1/2} y`` the quotient becomes ``y' C y / y'y`` for the symmetric
``C = D^{-1/2} L^{-1} A L^{-T} D^{-1/2}``, whose products cost O(m) too.  Lanczos (``scipy.sparse.linalg
.eigsh`` on a ``LinearOperator``) finds its largest eigenvalue.

Positivity certificate
------------------------
``lambda_max`` is the maximum of the quotient over *all* ``x != 0``.  If the maximising eigenvector has
all entries of one sign, it lies in ``x > 0`` (after a sign flip), so the constraint ``x > 0`` is
inactive and ``lambda_max`` is the maximum over ``x > 0`` as well.  :func:`competitive_ratio` checks this
and reports ``certified``.

Examples
--------
>>> r = competitive_ratio(2)
>>> round(r.value, 6), r.certified
(1.25, True)
>>> round(competitive_ratio(10).value, 6)
1.724924
>>> round(competitive_ratio(20, lower=10).value, 5)     # index set {10, ..., 20}
1.27459
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

__all__ = ["RatioResult", "LogFit", "index_set", "dense_matrices", "a_matvec", "b_matvec", "b_solve",
           "competitive_ratio", "fit_log", "amax_lower_bound", "amax_upper_bound", "METHODS"]


def index_set(u: int, lower: int = 1, step: int = 1) -> np.ndarray:
    """The output lengths ``lower, lower + step, ..., <= u`` as floats (validated)."""
    for name, val, lo in (("u", u, 1), ("lower", lower, 1), ("step", step, 1)):
        if isinstance(val, bool) or int(val) != val or val < lo:
            raise ValueError(f"{name} = {val!r} must be an integer >= {lo}")
    if lower > u:
        raise ValueError(f"lower = {lower} must be <= u = {u}")
    return np.arange(int(lower), int(u) + 1, int(step), dtype=float)


def _as_indices(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    if v.ndim != 1 or len(v) == 0:
        raise ValueError(f"indices must be a non-empty 1-d array, got shape {v.shape}")
    if not np.all(v > 0) or not np.all(np.diff(v) > 0):
        raise ValueError("indices must be positive and strictly increasing")
    return v


def dense_matrices(v) -> tuple[np.ndarray, np.ndarray]:
    """The matrices ``A`` and ``B`` on the index set ``v`` (O(m^2) memory).

    >>> A, B = dense_matrices([1, 2])
    >>> A.tolist(), B.tolist()
    ([[1.0, 1.75], [1.75, 4.0]], [[1.0, 1.0], [1.0, 4.0]])
    """
    v = _as_indices(v)
    i, j = v[:, None], v[None, :]
    mn = np.minimum(i, j)
    A = mn ** 2 / (i * j) * ((i + j) ** 2 / 2 - mn ** 2)
    B = mn ** 2
    return A, B


def a_matvec(v, x) -> np.ndarray:
    """``A x`` in O(m) by prefix/suffix sums (closed form in the module docstring)."""
    return _Products(_as_indices(v)).a(np.asarray(x, dtype=float))


class _Products:
    """Precomputed powers of the indices for repeated O(m) products."""

    def __init__(self, v: np.ndarray) -> None:
        self.v, self.v2, self.v3, self.inv = v, v * v, v ** 3, 1.0 / v
        self.half_v, self.half_inv, self.half_v3 = 0.5 * v, 0.5 / v, 0.5 * v ** 3

    def a(self, x: np.ndarray) -> np.ndarray:
        p2 = np.cumsum(self.v2 * x)                  # sum_{j<=i} j^2 x_j
        p3 = np.cumsum(self.v3 * x)                  # sum_{j<=i} j^3 x_j
        s0 = _suffix_after(x)                        # sum_{j>i} x_j
        s1 = _suffix_after(x * self.inv)             # sum_{j>i} x_j / j
        out = self.half_v * float(np.dot(self.v, x))
        out += p2
        out -= p3 * self.half_inv
        out += self.v2 * s0
        out -= self.half_v3 * s1
        return out


def b_matvec(v, x) -> np.ndarray:
    """``B x`` in O(m): ``sum_{j<=i} j^2 x_j + i^2 sum_{j>i} x_j``."""
    v = _as_indices(v)
    x = np.asarray(x, dtype=float)
    return np.cumsum(v ** 2 * x) + v ** 2 * _suffix_after(x)


def b_solve(v, z) -> np.ndarray:
    """``B^{-1} z`` in O(m) using ``B = L D L'`` (``B^{-1}`` is tridiagonal)."""
    v = _as_indices(v)
    d = np.diff(np.concatenate([[0.0], v ** 2]))
    w = np.diff(np.concatenate([[0.0], np.asarray(z, dtype=float)])) / d   # D^{-1} L^{-1} z
    return w - np.concatenate([w[1:], [0.0]])                              # L^{-T} w


def _suffix_after(x: np.ndarray) -> np.ndarray:
    """``out[i] = sum_{j > i} x[j]``."""
    c = np.cumsum(x[::-1])[::-1]
    return np.concatenate([c[1:], [0.0]])


@dataclass(frozen=True)
class RatioResult:
    """Maximum of ``x'Ax / x'Bx`` on an index set.

    value : the maximum (largest generalized eigenvalue).
    vector : the maximiser ``x`` normalised to sum 1 (positive when ``certified``).
    certified : the maximiser is entrywise positive and its quotient equals ``value`` (to 1e-10), so
        ``value`` (the max over all x) is attained in ``x > 0``.
    residual : ``||A x - value B x|| / ||A x||``.
    """

    indices: np.ndarray = field(repr=False)
    value: float
    vector: np.ndarray = field(repr=False)
    certified: bool
    min_entry: float
    residual: float
    method: str
    seconds: float
    status: str = "ok"
    message: str = ""

    @property
    def m(self) -> int:
        return len(self.indices)


def _dense(v: np.ndarray, tol: float):
    from scipy.linalg import eigh

    A, B = dense_matrices(v)
    m = len(v)
    w, x = eigh(A, B, subset_by_index=[m - 1, m - 1])
    return float(w[0]), x[:, 0], ""


def _lanczos(v: np.ndarray, tol: float):
    from scipy.sparse.linalg import LinearOperator, eigsh

    m = len(v)
    if m < 3:
        return _dense(v, tol)
    d = np.diff(np.concatenate([[0.0], v ** 2]))
    rs = 1.0 / np.sqrt(d)
    prod = _Products(v)

    def c_mv(y):
        w = rs * np.ravel(y)
        x = w.copy()
        x[:-1] -= w[1:]                                        # L^{-T} D^{-1/2} y
        ax = prod.a(x)
        ax[1:] -= ax[:-1].copy()                               # L^{-1} A x
        ax *= rs
        return ax

    op = LinearOperator((m, m), matvec=c_mv, dtype=float)
    # start from the image of a positive guess (the maximiser is positive): fast convergence
    x0 = np.diff(np.concatenate([[0.0], b_matvec(v, np.full(m, 1.0 / m))])) * rs
    ncv = min(m - 1, 12)   # the top eigenvalue is well separated: 13 products suffice up to u = 10^6
    w, y = eigsh(op, k=1, which="LA", v0=x0, ncv=ncv, tol=tol, maxiter=20 * m)
    w0 = rs * y[:, 0]
    x = w0 - np.concatenate([w0[1:], [0.0]])
    return float(w[0]), x, f"eigsh ncv={ncv}"


METHODS = {"dense": _dense, "lanczos": _lanczos}


def competitive_ratio(u: int | None = None, lower: int = 1, *, indices=None, method: str = "auto",
                      tol: float = 1e-12) -> RatioResult:
    """Maximum over ``x > 0`` of ``x'A x / x'B x`` on ``{lower, ..., u}`` (or on ``indices``).

    Parameters
    ----------
    u, lower : the index set ``lower..u`` (``lower = 1``: the paper's ``A_u, B_u``).
    indices : alternatively, any strictly increasing positive index set.
    method : ``"dense"`` (``scipy.linalg.eigh`` on the generalized problem, m <= a few thousand),
        ``"lanczos"`` (matrix-free, O(m) per product), or ``"auto"`` (dense for m <= 500).
    tol : Lanczos tolerance.

    Examples
    --------
    >>> r = competitive_ratio(4, method="lanczos")
    >>> round(r.value, 6), r.certified, bool(r.vector.min() > 0)
    (1.465873, True, True)
    """
    if indices is None:
        if u is None:
            raise ValueError("give u (and optionally lower) or indices")
        v = index_set(u, lower)
    else:
        v = _as_indices(indices)
    if method == "auto":
        method = "dense" if len(v) <= 500 else "lanczos"
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(sorted(METHODS))}, auto")
    t0 = time.perf_counter()
    value, x, msg = METHODS[method](v, tol)
    seconds = time.perf_counter() - t0
    if x.sum() < 0:
        x = -x
    x = x / x.sum()
    ax = a_matvec(v, x)
    bx = b_matvec(v, x)
    res = float(np.linalg.norm(ax - value * bx) / np.linalg.norm(ax))
    quotient = float(np.dot(x, ax) / np.dot(x, bx))
    # x > 0 gives max_{x>0} >= quotient(x); value is the max over all x: together they pin the max over x > 0
    certified = bool(np.all(x > 0) and abs(quotient - value) <= 1e-10 * value)
    status = "ok" if certified else "not-certified"
    message = (f"{msg}; positive maximiser, quotient(x) = {quotient!r}".lstrip("; ") if certified else
               "the computed maximiser is not positive: the value is only an upper bound on the max over x > 0")
    return RatioResult(v, value, x, certified, float(x.min()), res, method, seconds, status, message)


@dataclass(frozen=True)
class LogFit:
    """Least-squares fit ``value ~ a ln u + b`` with its largest absolute residual."""

    a: float
    b: float
    max_abs_residual: float
    u: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)


def fit_log(u_values, values=None, method: str = "auto") -> LogFit:
    """Fit ``a ln u + b`` to the values at ``u_values`` (computed with ``lower = 1`` when not given).

    >>> f = fit_log([10, 100, 1000])
    >>> 0.1 < f.a < 0.3
    True
    """
    u = np.asarray(u_values, dtype=float)
    if values is None:
        values = [competitive_ratio(int(k), method=method).value for k in u]
    y = np.asarray(values, dtype=float)
    X = np.column_stack([np.log(u), np.ones_like(u)])
    (a, b), *_ = np.linalg.lstsq(X, y, rcond=None)
    return LogFit(float(a), float(b), float(np.abs(X @ [a, b] - y).max()), u, y)


def _alpha(alpha: float) -> float:
    if not (0 < alpha <= 1):
        raise ValueError(f"alpha = {alpha!r} must be in (0, 1]")
    return float(alpha)


def amax_lower_bound(alpha: float) -> float:
    """C2 lower bound ``alpha^-1 (1 + alpha^-1/2) / 2`` on CR(A_max) (``alpha = l / u``).

    >>> amax_lower_bound(1.0), amax_lower_bound(0.25)
    (1.0, 6.0)
    """
    a = 1.0 / _alpha(alpha)
    return a * (1 + math.sqrt(a)) / 2


def amax_upper_bound(alpha: float) -> float:
    """C2 upper bound ``alpha^-1 (1 + alpha^-1) / 2`` (plus ``O(1/M)``).

    >>> amax_upper_bound(1.0), amax_upper_bound(0.25)
    (1.0, 10.0)
    """
    a = 1.0 / _alpha(alpha)
    return a * (1 + a) / 2

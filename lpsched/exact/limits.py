"""What one exact solve may spend: a wall-clock deadline, a model-size budget and CP-SAT's integer range.

Layer: algorithms.

Deadline
--------
:func:`lpsched.exact.solve` creates one :class:`Deadline` from its ``time_limit`` when it is called and
hands it to everything it does: the heuristic, the combinatorial bounds, the model building, the root
LP, every backend call and every block of a decomposed solve.  Each stage asks :meth:`Deadline.left`
and stops (keeping what it has) when nothing is left; the result is then finished (schedule validated,
objective recomputed) in at most :data:`FINISH_RESERVE` seconds.  How each backend is stopped at the
deadline and on Ctrl-C is in :mod:`lpsched.exact.interrupt` (CP-SAT, brute force: in this process) and
:mod:`lpsched.exact.worker` (HiGHS, CBC: in a helper process that is killed when it overruns).

Measured (``python benchmarks/limits.py``: two busy loops beside each solve on the 2-core machine,
``jaillet_instance(n, 0)``, n = 16, 25, 40, and 100 with Poisson arrivals solved by blocks, 10 s limit):
``solve`` returned 0.84 s before to 0.00 s after the limit for cpsat, highs and cbc (cbc stops up to a
second early: it reads its clock coarsely); ``lpsched opt --time-limit 10`` (Python's start and imports
counted) exited 0.18-0.72 s after it; a Ctrl-C gave the best-so-far result within 0.003-0.12 s for every
backend and n, the process exited within 0.1-1.0 s.  Before: ``--jaillet 40 --time-limit 5`` took 14.7 s,
HiGHS 89.6 s on a 60 s limit, a Ctrl-C on HiGHS 32-150 s.

Model-size budget
-----------------
A time-indexed model (the HiGHS and CBC backends, the root LP, CP-SAT's ``time`` formulation) has one
column per request and possible start time and one memory entry per column and output token: its
size grows with the token counts, not with the number of requests.  :func:`time_indexed_size`
estimates it from the horizon alone (nothing is built) and :func:`check_budget` refuses a model whose
estimated memory exceeds the budget (:data:`MEMORY_BUDGET`, ``solve(memory_budget=)``) with a one-line
message naming the numbers and the alternatives.  The per-entry costs were measured on the Jaillet
instances (``jaillet_instance(40, 0)``: 38,572 columns, 946,702 entries): building the arrays and solving
the LP with HiGHS peaks at about 160 bytes per entry, the HiGHS MIP through PuLP at about 270, CBC at
about 1,000 (its own process, 989 MB).  CP-SAT's ``interval`` formulation has one interval per output
token (``sum o``); its ``completion`` formulation has ``O(n^2)`` constraints and does not grow with the
token counts at all, which is why it is kept when the others are refused.

Integer range
-------------
CP-SAT rejects (or, in older versions, overflows on) a linear constraint whose terms can exceed 64-bit
integers.  :func:`magnitude` bounds ``sum |coef| * max |var| + |constant|`` exactly (Python integers)
before a constraint is added; :data:`INT_LIMIT` (``2^60``) leaves a margin below ``2^63``.  A redundant
constraint that would exceed it is scaled down (coefficients rounded up, right-hand side divided and
rounded up: still valid, see :func:`scaled_geq`) and a model whose essential constraints exceed it is
refused before it is built.
"""

from __future__ import annotations

import math
import time

__all__ = ["Deadline", "FINISH_RESERVE", "MEMORY_BUDGET", "INT_LIMIT", "ModelTooLarge", "time_indexed_size",
           "estimated_bytes", "check_budget", "magnitude", "scaled_geq", "fmt_count", "fmt_bytes"]

#: seconds kept at the end of a solve to validate the schedule, recompute the objective and return
FINISH_RESERVE = 0.05
#: default estimated-memory budget of one model, bytes (the whole solve stays under 2 GB)
MEMORY_BUDGET = 1.0e9
#: largest magnitude of a linear expression handed to CP-SAT
INT_LIMIT = 1 << 60

#: estimated bytes per memory entry of the time-indexed model, per use (module docstring)
BYTES_PER_ENTRY = {"lp": 160, "highs": 270, "cbc": 1000, "cpsat-time": 400}
#: estimated bytes per interval of CP-SAT's ``interval`` formulation and per ordered pair of ``completion``
BYTES_PER_INTERVAL = 600
BYTES_PER_PAIR = 6000


class Deadline:
    """An absolute end on the ``time.perf_counter`` clock; ``seconds`` from now (or from ``start``).

    >>> d = Deadline(5.0)
    >>> 4.9 < d.left() <= 5.0, d.expired()
    (True, False)
    >>> d.within(1.0).left() <= 1.0
    True
    """

    def __init__(self, seconds: float, start: float | None = None):
        self.start = time.perf_counter() if start is None else start
        self.end = self.start + float(seconds)

    def left(self) -> float:
        """Seconds left (negative once past)."""
        return self.end - time.perf_counter()

    def expired(self) -> bool:
        return self.left() <= 0

    def within(self, seconds: float) -> "Deadline":
        """A deadline ``seconds`` from now, but no later than this one."""
        d = Deadline(0.0)
        d.end = min(self.end, d.start + max(0.0, float(seconds)))
        return d

    def __repr__(self) -> str:
        return f"Deadline(left={self.left():.3f} s)"


class ModelTooLarge(Exception):
    """A model refused before it is built; ``str()`` is the one-line reason with the numbers."""


def fmt_count(v: float) -> str:
    """``1234567`` -> ``'1,234,567'``; very large values in scientific notation."""
    return f"{int(v):,}" if v < 1e12 else f"{v:.2e}"


def fmt_bytes(v: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if v >= size:
            return f"{v / size:.3g} {unit}"
    return f"{int(v)} B"


def time_indexed_size(o, a, latest_start) -> dict:
    """Size of the time-indexed model over the latest starts ``latest_start`` (exact Python integers):
    ``columns`` (one per request and start), ``entries`` (memory-row nonzeros before dropping the rows
    that can never bind: an upper bound), ``horizon`` (last time a request may hold memory)."""
    o, a, L = [int(v) for v in o], [int(v) for v in a], [int(v) for v in latest_start]
    cols = [max(0, L[i] - a[i] + 1) for i in range(len(o))]
    return {"columns": sum(cols), "entries": sum(c * oi for c, oi in zip(cols, o)),
            "horizon": max((L[i] + o[i] for i in range(len(o))), default=0), "requests": len(o)}


def estimated_bytes(size: dict, use: str) -> float:
    """Estimated peak memory of the time-indexed model of ``size`` (:func:`time_indexed_size`) for ``use``
    (``"lp"``, ``"highs"``, ``"cbc"``, ``"cpsat-time"``): per entry, plus the dense ``(horizon, n)`` table
    that :func:`lpsched.exact.formulation.build` uses to drop non-binding rows."""
    return BYTES_PER_ENTRY[use] * size["entries"] + 8.0 * size["requests"] * (size["horizon"] + 1)


def check_budget(what: str, size_text: str, need: float, budget: float, alternatives: str) -> None:
    """Raise :class:`ModelTooLarge` (one line) if ``need`` bytes exceed ``budget``."""
    if need > budget:
        raise ModelTooLarge(f"{what} refused: {size_text}, about {fmt_bytes(need)} estimated, over the budget of "
                            f"{fmt_bytes(budget)} (memory_budget=); {alternatives}")


def magnitude(terms, constant: int = 0) -> int:
    """``sum |c| * max(|lo|, |hi|) + |constant|`` over ``terms = [(c, lo, hi), ...]`` (Python integers): a
    bound on every partial sum of the expression, as CP-SAT's overflow check requires."""
    return sum(abs(int(c)) * max(abs(int(lo)), abs(int(hi))) for c, lo, hi in terms) + abs(int(constant))


def scaled_geq(coefs, highs, rhs: int, limit: int = INT_LIMIT) -> tuple[list[int], int, int]:
    """``sum coefs_k x_k >= rhs`` (every ``coefs_k >= 0``, ``0 <= x_k <= highs_k``) with integers small
    enough for CP-SAT: ``(coefs', rhs', g)``.  With ``g = 1`` it is the same inequality; otherwise
    ``coefs'_k = ceil(coefs_k / g)`` and ``rhs' = ceil(rhs / g)``, which every solution of the original still
    satisfies: ``sum coefs'_k x_k >= sum (coefs_k / g) x_k >= rhs / g`` (as ``x >= 0``), and the left side
    is an integer.  ``g`` is the least power of two bringing the magnitude under ``limit``.

    >>> scaled_geq([3, 5], [10, 10], 40, limit=1 << 6)
    ([1, 2], 10, 4)
    """
    coefs = [int(c) for c in coefs]
    mag = magnitude([(c, 0, h) for c, h in zip(coefs, highs)], rhs)
    g = 1
    while mag > limit:
        g *= 2
        mag = magnitude([(-(-c // g), 0, h) for c, h in zip(coefs, highs)], -(-int(rhs) // g))
    if g == 1:
        return coefs, int(rhs), 1
    return [-(-c // g) for c in coefs], -(-int(rhs) // g), g


def finite_positive(value, name: str) -> float:
    """``value`` as a float if it is a finite positive number (not a bool), else a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} = {value!r} must be a finite positive number of seconds")
    return float(value)

"""The Sorted-F selection subproblem: the batch ``X`` minimising ``(F(X), -|X|)`` under memory; every
selector by name (:func:`select`).

Layer: algorithms.

Wang, Ye, Zhou, arXiv 2508.06133 (``docs/sources``).  The definitions (``F``, feasibility, the result)
are in :mod:`.problem`; this module holds the registry of selectors, one module per family
(``select(..., selector=name)``):

* ``exact_dp`` (:mod:`.dp`) — optimal, pseudo-polynomial DP, ``O(B K W)``.
* ``scaled_dp`` (:mod:`.dp`) — ``(1 + eps)``-optimal at the same memory: outputs rounded per guessed class
  of the optimum's ``sum o``, memory check exact; ``O(n K^2 log(K o_max / o_min) / eps)``.
* ``memory_grid_dp`` (:mod:`.dp`) — the exact DP with prompt memory rounded to a grid; feasible at ``M``
  and at least as good as the optimum at memory ``M_eps >= M / (1 + eps)`` (memory augmentation, not a
  ``(1 + eps)`` bound on ``F`` at ``M``).
* ``local_swap`` (:mod:`.local`) — start from the ``s + o`` order, improve by add / drop / swap moves to a
  local optimum.
* ``quantile_greedy`` (:mod:`.greedy`) — sample quantiles of ``s + o`` and ``o``, then fill by
  ``o / (s + o)``; no guarantee.
* ``brute_force`` and ``mip`` (:mod:`.exhaustive`) — ground truth for small ``n``.
* ``typed_exact`` (:mod:`.typed`) — exact for instances with few distinct ``(s, o)`` types.

Examples
--------
>>> from lpsched.sortedf import select
>>> r = select(([2, 2, 2, 2], [1, 1, 2, 3]), memory=6)
>>> r.indices.tolist(), r.sum_o, r.size, r.F
([0, 1], 2, 2, 0.5)
>>> select(([2], [1]), memory=6, selector="nope")
Traceback (most recent call last):
...
ValueError: unknown selector 'nope'; valid selectors: brute_force, exact_dp, local_swap, memory_grid_dp, mip, quantile_greedy, scaled_dp, typed_exact
"""

from __future__ import annotations

from typing import Any, Callable

from . import dp, exhaustive, greedy, local, typed
from .problem import SelectionResult, as_requests

__all__ = ["select", "selectors", "SELECTORS"]

#: selector name -> function ``(s, o, memory, **options) -> SelectionResult``
SELECTORS: dict[str, Callable[..., SelectionResult]] = {
    "exact_dp": dp.exact_dp,
    "scaled_dp": dp.scaled_dp,
    "memory_grid_dp": dp.memory_grid_dp,
    "local_swap": local.local_swap,
    "quantile_greedy": greedy.quantile_greedy,
    "brute_force": exhaustive.brute_force,
    "mip": exhaustive.mip,
    "typed_exact": typed.typed_exact,
}


def selectors() -> list[str]:
    """Names of every selector."""
    return sorted(SELECTORS)


def select(requests: Any, memory: int | None = None, selector: str = "exact_dp", **options: Any) -> SelectionResult:
    """Solve the selection subproblem with the named selector.

    Parameters
    ----------
    requests : Instance or pair ``(s, o)`` of integer sequences.
    memory : int, optional
        ``M`` (default: the instance's).
    selector : str
        One of :func:`selectors`: ``"exact_dp"`` (default), ``"scaled_dp"``, ``"memory_grid_dp"``,
        ``"local_swap"``, ``"quantile_greedy"``, ``"brute_force"``, ``"mip"``, ``"typed_exact"``.
    **options : passed to the selector (``eps=`` for ``scaled_dp`` and ``memory_grid_dp``, ``seed=`` for
        ``quantile_greedy``...).

    Returns
    -------
    SelectionResult
    """
    if selector not in SELECTORS:
        raise ValueError(f"unknown selector {selector!r}; valid selectors: {', '.join(sorted(SELECTORS))}")
    s, o, memory = as_requests(requests, memory)
    return SELECTORS[selector](s, o, memory, **options)

"""Sorted-F (Wang, Ye, Zhou, arXiv 2508.06133): F-metric batch selection and the ``sorted_f`` policy.

Layer: algorithms.

* :mod:`.problem` — the selection subproblem, ``F``, feasibility, the result; :mod:`.selection` — the
  selectors by name, :func:`select`.
* :mod:`.dp` (``exact_dp``, ``scaled_dp``, ``memory_grid_dp``), :mod:`.local` (``local_swap``), :mod:`.greedy`
  (``quantile_greedy``), :mod:`.exhaustive` (``brute_force``, ``mip``), :mod:`.typed` (``typed_exact``,
  exact for few distinct request types) — the selectors.
* :mod:`.policy` — :func:`sorted_f_order`, :func:`list_schedule`, the ``sorted_f`` and ``priority`` policies.
* :mod:`.studies` — the W3–W6 checks and the mixed-workload experiment; :mod:`.chain` — the 48 chain (W5).
* :mod:`.commands` — CLI ``lpsched sortedf-select`` and ``lpsched sortedf-study {w3,w3-search,w4,w5,chain,w6,mixed,algebra}``.
"""

from .problem import F, SelectionResult, better, is_feasible, loads
from .selection import select, selectors

__all__ = ["F", "SelectionResult", "better", "is_feasible", "loads", "select", "selectors"]

"""Combinatorial lower bounds on the optimum, with their proofs.

Layer: algorithms (the bottom of the exact solvers: the horizon, the models and the LP bounds of
:mod:`lpsched.exact.lp_bounds` build on these).

All bounds are for the objective ``tct`` = sum of completion times ``C_i`` (with arrivals this is the
total latency ``sum (C_i - a_i)`` plus the constant ``sum a_i``) or ``makespan`` = ``max C_i``.

Combinatorial bounds (proofs)
-----------------------------
* **Alone** (``alone``): request ``i`` cannot complete before ``a_i + o_i``, so
  ``TCT >= sum (a_i + o_i)`` and ``makespan >= max (a_i + o_i)``.
* **Memory area** (``area``): a request run from ``p`` holds ``s + (t - p)`` tokens at the integer times
  ``p < t <= p + o``, a *memory area* ``A_i = o_i s_i + o_i (o_i + 1) / 2`` whatever ``p`` is.  At every
  integer time the memory is at most ``M``, so the requests completed by time ``C`` have total area at
  most ``M C``.  Let ``C_(1) <= ... <= C_(n)`` be the sorted completion times of any feasible schedule.
  The ``k`` requests completed by ``C_(k)`` have area at least the sum of the ``k`` smallest areas, so
  ``C_(k) >= ceil(sum_{j<=k} A_[j] / M)``; also ``C_(k) >= `` the ``k``-th smallest ``a_i + o_i``
  (the sorted ``C`` dominates the sorted ``a + o`` elementwise).  Hence
  ``C_(k) >= LB_k := max(ceil(sum_{j<=k} A_[j] / M), (a + o)_[k])`` and ``TCT >= sum_k LB_k``;
  ``makespan >= LB_n``.
* **Chain** (``chain``): two requests whose peaks ``P = s + o`` sum to more than ``M`` never complete
  together: the later one completes at least ``g(j, k) = min(o_k, P_j + P_k - M)`` after the other
  (:func:`completion_gap`).  The requests with ``2 P > M`` pairwise conflict, so in
  their completion order ``C_(1) >= o_(1)`` and ``C_(r) >= C_(r-1) + g``: their sum of completions is at
  least the minimum over orders of ``m o_(1) + sum_r (m - r + 1) g(pi_(r-1), pi_r)``
  (:func:`chain_dp_value`, an exact subset DP while there are at most ``MAX_DP`` of them; beyond, the
  order statistics of :func:`_f5`).  The other requests get the area bound; the result is the larger
  of that sum and the plain area bound.  On Jaillet instances it gives 0.74-0.98 of OPT (n = 8-16)
  where the area bound gives 0.62-0.74.
* **Chain head** (``head``): the chain bound charges nothing to the small requests ``S`` for the memory
  they take from the chain; :func:`head_bound` looks at the first chain completion ``T``: the ``S``
  requests done by ``T`` share the memory area of ``[1, T]`` with the first chain request and the part
  of the second one already run, must complete early enough to fit beside those two near their peaks
  (alone and in pairs), the others complete after ``T`` and, if they run at ``T``, push the second
  chain completion.  Proof in :func:`head_bound`; at least the chain bound.  On the Jaillet instances
  n = 8-12 (proven optima) it gives 0.86-1.00 of OPT (mean 0.93) where the chain bound gives
  0.74-0.98 (mean 0.87); at n = 25 0.76-0.92 of the best schedule found against 0.71-0.91.
* **LP relaxation** (``lp``, ``probe``) and every bound together (``lower_bounds``):
  :mod:`lpsched.exact.lp_bounds`.

>>> from lpsched import Instance
>>> inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
>>> order_statistic_bounds(inst).tolist()
[1, 1, 3, 5]
>>> alone_bound(inst), area_bound(inst)
(7, 10)
"""

from __future__ import annotations

import functools
import heapq

import numpy as np

from ..model import Instance

__all__ = ["areas", "order_statistic_bounds", "alone_bound", "area_bound", "completion_gap", "chain_weights",
           "chain_bound", "chain_dp_value", "extended_tails", "chain_suffix_dp", "head_bound", "MAX_DP"]

MAX_DP = 18          # largest set of pairwise conflicting requests for which chain_bound runs the exact DP
                     # (m = 18: 0.5 s, 38 MB; raised from 16, where n = 25 seed 4 (m = 17) fell back to _f5)


def areas(instance: Instance) -> np.ndarray:
    """Memory area ``A_i = o_i s_i + o_i (o_i + 1) / 2`` of each request (token-steps)."""
    o, s = instance.o, instance.s
    return o * s + o * (o + 1) // 2


def order_statistic_bounds(instance: Instance, members=None) -> np.ndarray:
    """``LB_k`` (k = 1..n): a lower bound on the k-th smallest completion time of any feasible schedule.

    ``members``: restrict to these requests (the argument holds for any subset); default all.
    """
    idx = np.arange(instance.n) if members is None else np.asarray(members, dtype=np.int64)
    cum = np.cumsum(np.sort(areas(instance)[idx]))
    by_area = -(-cum // instance.memory)          # ceil
    by_alone = np.sort((instance.a + instance.o)[idx])
    return np.maximum(by_area, by_alone)


def alone_bound(instance: Instance, objective: str = "tct") -> int:
    """``sum (a_i + o_i)`` for ``tct``, ``max (a_i + o_i)`` for ``makespan``."""
    c = instance.a + instance.o
    return int(c.sum() if objective == "tct" else c.max())


def area_bound(instance: Instance, objective: str = "tct") -> int:
    """Memory-area / order-statistic bound (see the module docstring)."""
    lb = order_statistic_bounds(instance)
    return int(lb.sum() if objective == "tct" else lb[-1])


def _gap(peak_j: int, peak_k: int, o_k: int, M: int) -> int:
    """The pairwise completion gap of :func:`completion_gap` from the two peaks, ``o_k`` and ``M``."""
    return max(0, min(o_k, peak_j + peak_k - M))


def completion_gap(instance, j: int, k: int) -> int:
    """Least ``C_k - C_j`` in any feasible schedule with ``C_j <= C_k`` (0 if ``P_j + P_k <= M``).

    Proof: at the integer time ``C_j`` request ``j`` holds its peak ``P_j = s_j + o_j``.  If ``k`` runs at
    ``C_j`` (``p_k < C_j <= C_k``) it holds ``s_k + (C_j - p_k) = P_k - (C_k - C_j)`` tokens then, and
    the memory limit gives ``C_k - C_j >= P_j + P_k - M``.  Otherwise ``p_k >= C_j`` (as ``C_k >= C_j``),
    so ``C_k - C_j >= o_k``.  Either way ``C_k - C_j >= min(o_k, P_j + P_k - M)``; the bound is positive
    exactly when ``P_j + P_k > M`` (then the two cannot complete together).  Arrivals play no part, so
    it holds for every feasible schedule, whatever the objective.

    >>> from lpsched import Instance
    >>> inst = Instance(memory=10, s=[2, 1], o=[6, 5])
    >>> completion_gap(inst, 0, 1), completion_gap(inst, 1, 0)
    (4, 4)
    """
    s, o = instance.s, instance.o
    return _gap(int(s[j] + o[j]), int(s[k] + o[k]), int(o[k]), instance.memory)


def extended_tails(instance) -> dict[int, tuple[int, int]]:
    """Windows around the completions of the large requests that no two feasible runs share.

    Returns ``{k: (w_k, e_k)}`` for the requests ``k`` of ``H = {P_k >= h}``, ``h = floor(M / 2) + 1``
    (``P = s + o``), meaning: in every feasible schedule the windows ``[C_k - w_k + 1, C_k + e_k]``
    (integer times) of the requests of ``H`` are pairwise disjoint.  Empty if ``|H| < 2``.

    The *tail* of ``k`` is the set of times at which it holds ``>= h`` tokens, ``[C_k - w_k + 1, C_k]``
    with ``w_k = min(o_k, P_k - h + 1)``.  Claim: for ``j != k`` in ``H`` with ``C_j <= C_k``, the tail
    of ``k`` starts at ``>= C_j + delta(j, k)``, ``delta(j, k) = min(h - s_k, h + P_j - M)``, and after
    ``C_j``.  Proof: ``C_j = C_k`` is impossible (``P_j + P_k >= 2h > M``).  If ``k`` runs at ``C_j`` it
    holds ``x <= M - P_j <= M - h < h`` there and one more token per step, so it first holds ``h`` at
    ``C_j + h - x >= C_j + h + P_j - M``.  If ``k`` starts at ``p_k >= C_j`` it holds ``s_k + tau - p_k``
    at ``tau > p_k``, so not ``h`` before ``C_j + max(1, h - s_k)``.  Hence with
    ``e_j = max(0, min_{k in H, k != j} delta(j, k) - 1)`` the window of the earlier completion ends
    before the tail of the later one starts.  Arrivals play no part (valid for both objectives).  The
    windows contain the tails ("at most one request holds more than ``M / 2``") and are about twice as
    long (``w + e ~ 2 P - M``): this is what makes the chain of large requests visible to an LP.

    >>> from lpsched import Instance
    >>> extended_tails(Instance(memory=10, s=[2, 1, 1], o=[6, 5, 2]))
    {0: (3, 3), 1: (1, 1)}
    """
    M, s, o = instance.memory, instance.s.tolist(), instance.o.tolist()
    h = M // 2 + 1
    H = [k for k in range(instance.n) if s[k] + o[k] >= h]
    if len(H) < 2:
        return {}
    return {j: (min(o[j], s[j] + o[j] - h + 1),
                max(0, min(min(h - s[k], h + s[j] + o[j] - M) for k in H if k != j) - 1)) for j in H}


def chain_weights(P, o, M: int, G) -> tuple[np.ndarray, np.ndarray]:
    """``(2 alpha, 2 beta)`` of a pairwise conflicting set ``G`` (``len(G) >= 2``), in doubled integer units.

    ``alpha_j = P_j - M / 2`` and ``beta_k = min(P_k - M / 2, o_k - max_{j in G, j != k} alpha_j)``, so that
    ``alpha_j + beta_k <= g(j, k)`` for all ``j != k`` in ``G`` (proof in :func:`_f5`).
    """
    al2 = np.array([2 * P[k] - M for k in G], np.int64)
    top = np.argmax(al2)
    others = np.sort(al2)[::-1]
    max_other = np.where(np.arange(len(G)) == top, others[1], others[0])
    be2 = np.minimum(al2, 2 * np.array([o[k] for k in G], np.int64) - max_other)
    return al2, be2


def _f5(P, o, M: int, G, first: int) -> np.ndarray:
    """Lower bounds on the order statistics ``C_(1) <= ... <= C_(m)`` of a pairwise conflicting set ``G``
    (``len(G) >= 2``, every ``P_j + P_k > M``), given ``C_(1) >= first``.

    Proof: with ``alpha_j = P_j - M / 2`` and ``beta_k = min(P_k - M / 2, o_k - max_{j in G, j != k} alpha_j)``,
    ``alpha_j + beta_k <= g(j, k)`` for all ``j != k`` in ``G`` (if ``g = P_j + P_k - M`` it is
    ``alpha_j + (P_k - M / 2)``; otherwise ``g = o_k >= alpha_j + beta_k`` by the choice of ``beta_k``).
    Summing the pairwise gaps along the completion order, ``C_(r) - C_(1)`` is at least a sum of ``r - 1``
    distinct ``alpha`` plus ``r - 1`` distinct ``beta``, hence at least the ``r - 1`` smallest of each.
    Computed in doubled integer units, rounded up (completions are integers).
    """
    al2, be2 = chain_weights(P, o, M, G)
    inc2 = np.concatenate([[0], np.cumsum(np.sort(al2))[:-1] + np.cumsum(np.sort(be2))[:-1]])
    return first + (-(-inc2 // 2))                                # ceil: completions are integers


def chain_dp_value(P, o, M: int, G) -> int:
    """``min`` over orders ``pi`` of ``G`` of ``m o_(pi_1) + sum_{r >= 2} (m - r + 1) g(pi_(r-1), pi_r)``.

    ``G``: requests whose peaks pairwise sum to more than ``M``; ``g`` the pairwise gap.  Their completions
    are distinct and, in completion order, ``C_(r) >= C_(r-1) + g(pi_(r-1), pi_r)`` and
    ``C_(1) >= o_(pi_1)``, so ``sum_{k in G} C_k`` is at least this value (summing
    ``C_(r) >= o_(pi_1) + sum_{i <= r} g``; see the module docstring).
    Exact: the first request plus :func:`chain_suffix_dp` from it, ``O(2^m m^2)``.
    """
    G = list(G)
    if not G:
        return 0
    h = chain_suffix_dp(P, o, M, G)
    return int(min(len(G) * int(o[k]) + int(h[1 << i, i]) for i, k in enumerate(G)))


def chain_bound(instance: Instance, objective: str = "tct") -> int:
    """A lower bound on the optimal TCT (all requests at 0 or not: it only uses ``C_k >= a_k + o_k``).

    Let ``G`` = the requests with ``2 P > M`` (pairwise conflicting) and ``S`` the others.  Then
    ``TCT = sum_G C + sum_S C``; the first sum is at least :func:`chain_dp_value` (exact DP when
    ``|G| <= MAX_DP``, else the order statistics of :func:`_f5`) and at least the area order statistics
    of ``G`` alone; the second at least the area order statistics of ``S`` alone (the area argument of
    the module docstring applies to any subset).  The DP uses ``C_(1) >= o`` (valid with arrivals too).
    The result is the larger of this and the plain area bound.  ``objective="makespan"``: the last
    order statistic.

    >>> from lpsched import Instance
    >>> chain_bound(Instance(10, s=[2, 2], o=[6, 6]))     # the second completes >= 8 + 8 - 10 = 6 later
    18
    """
    n, M = instance.n, instance.memory
    if n == 0:
        return 0
    s, o, a = instance.s.tolist(), instance.o.tolist(), instance.a.tolist()
    P = [s[i] + o[i] for i in range(n)]
    whole = order_statistic_bounds(instance)
    G = [k for k in range(n) if 2 * P[k] > M]
    S = [k for k in range(n) if 2 * P[k] <= M]
    lg, ls = order_statistic_bounds(instance, G), order_statistic_bounds(instance, S)
    if objective != "tct":
        return int(max(whole[-1], lg[-1] if len(lg) else 0, ls[-1] if len(ls) else 0))
    big = int(lg.sum())
    if 2 <= len(G) <= MAX_DP:
        big = max(big, chain_dp_value(P, o, M, G))
    elif len(G) > MAX_DP:
        big = int(np.maximum(lg, _f5(P, o, M, G, min(a[k] + o[k] for k in G))).sum())
    return max(int(whole.sum()), big + int(ls.sum()))


def chain_suffix_dp(P, o, M: int, G) -> np.ndarray:
    """``h[mask, r]``: for a pairwise conflicting set ``G`` (``m = len(G)``), with the requests of ``mask``
    completed first, ``G[r]`` the last of them, the least ``sum_{q > |mask|} (m - q + 1) g(pi_(q-1), pi_q)``
    over the orders ``pi`` of the rest (``g`` the pairwise gap).  The suffix counterpart of
    :func:`chain_dp_value`: ``m C_(1) + sum_q (m - q + 1) (C_(q) - C_(q-1)) = sum_G C``, so
    ``sum_G C >= m C_(1) + (m - 1) (C_(2) - C_(1)) + h[{pi_1, pi_2}, pi_2]``.  ``O(2^m m^2)``.
    """
    return _suffix_table(tuple(int(P[k]) for k in G), tuple(int(o[k]) for k in G), int(M))


@functools.lru_cache(maxsize=1)     # head_bound asks again for the table chain_bound has just built
def _suffix_table(P: tuple, o: tuple, M: int) -> np.ndarray:
    """:func:`chain_suffix_dp` on the peaks and lengths of ``G`` (read-only: it is cached)."""
    m = len(P)
    g = np.array([[_gap(P[j], P[k], o[k], M) if j != k else 0 for k in range(m)] for j in range(m)], np.int64)
    inf = np.iinfo(np.int64).max // 4
    h = np.full((1 << m, m), inf, np.int64)
    h[(1 << m) - 1, :] = 0
    masks = np.arange(1 << m, dtype=np.int64)
    pc = np.zeros(1 << m, np.int64)
    for i in range(m):
        pc += (masks >> i) & 1
    for c in range(m - 1, 0, -1):
        layer = masks[pc == c]
        for last in range(m):
            ml = layer[((layer >> last) & 1) == 1]
            best = np.full(len(ml), inf, np.int64)
            for nx in range(m):
                free = ((ml >> nx) & 1) == 0
                best = np.minimum(best, np.where(free, (m - c) * g[last, nx] + h[ml | (1 << nx), nx], inf))
            h[ml, last] = best
    h.setflags(write=False)
    return h


def _lead(P_i: int, P_j: int, o_j: int, x_k, s_k: int, M: int) -> int:
    """Least ``u >= 0`` with ``P_i + (P_j - u)[u < o_j] + (x_k - u)[u < x_k - s_k] <= M`` (``x_k=None``: no
    ``k`` term): how long before ``T = C_j`` a request of peak ``P_i`` can complete when ``j`` completes at
    ``T`` and ``k`` holds ``x_k`` tokens at ``T`` (:func:`head_bound`, fact 1).  The load is nonincreasing in
    ``u`` and is ``P_i <= M`` once both terms vanish, so the search ends."""
    u = 0
    while P_i + (P_j - u if u < o_j else 0) + (x_k - u if x_k is not None and u < x_k - s_k else 0) > M:
        u += 1
    return u


def _tail_area(top: int, length: int, u: int) -> int:
    """``sum_{w < min(u, length)} (top - w)``: the tokens a request holding ``top`` at ``T`` (and running
    ``length`` steps up to ``T``) holds at the times ``T - u + 1, ..., T``."""
    w = max(0, min(u, length))
    return w * top - w * (w - 1) // 2


def _max_on_time(jobs) -> int:
    """Moore-Hodgson: the most jobs ``(size, due)`` (given by nondecreasing due) that fit one machine
    with every chosen job done by its due date (cumulative size of the chosen jobs up to each one
    ``<= its due``); every smaller number fits too (drop jobs)."""
    heap: list = []
    total = 0
    for size, due in jobs:
        heapq.heappush(heap, -size)
        total += size
        if total > due:
            total += heapq.heappop(heap)          # drop the largest
    return len(heap)


def _maximal_independent_sets(vertices, edges):
    """The maximal independent sets of the graph (``vertices``, ``edges``), as sets (Bron-Kerbosch with
    pivoting on the complement); vertices without edges are in every one."""
    adj: dict = {}
    for x, y in edges:
        adj.setdefault(x, set()).add(y)
        adj.setdefault(y, set()).add(x)
    free = {v for v in vertices if v not in adj}
    out = []

    def grow(r, p, x):
        if not p and not x:
            out.append(r | free)
            return
        pivot = min(p | x, key=lambda v: len(p - adj[v]))       # the one compatible with fewest of p
        for v in list(p - (p - adj[pivot]) - {pivot}) + ([pivot] if pivot in p else []):
            grow(r | {v}, p - adj[v] - {v}, x - adj[v] - {v})
            p = p - {v}
            x = x | {v}

    grow(set(), set(adj), set())
    return out


def head_bound(instance: Instance, objective: str = "tct", nested: bool = True, pairs: bool = True,
               deadline=None) -> int:
    """The chain bound with the small requests charged at the chain head; at least :func:`chain_bound`.

    ``G`` = requests with ``2 P > M`` (``P = s + o``; they pairwise conflict, ``m = |G| >= 2``, so their
    completions ``c_1 < c_2 < ... < c_m`` are distinct), ``S`` the others (``|S| = n_S``).  Take any
    feasible schedule; let ``j``, ``k`` be the first two requests of ``G`` to complete, ``T = c_1 = C_j``,
    ``D = c_2 - T``, ``B = {i in S: C_i <= T}`` (``b = |B|``), ``O = S - B``.  Two cases: (A) ``k`` runs
    at ``T`` (``p_k < T``), holding ``x_k = s_k + T - p_k = P_k - D >= s_k + 1`` tokens there, so
    ``D <= o_k - 1``; (B) ``k`` starts at or after ``T``, so ``D >= o_k`` and ``k`` holds nothing before
    ``T``.  Facts used:

    1. (lead) ``T >= a_j + o_j``.  For ``i in B`` let ``u = T - C_i >= 0``.  At ``C_i`` request ``i``
       holds ``P_i``; ``j`` runs there iff ``u < o_j`` (it runs on ``(T - o_j, T]``) and then holds
       ``P_j - u``; in case A ``k`` runs on ``(T - (x_k - s_k), T]`` and holds ``x_k - u`` there.  The
       memory limit at ``C_i`` gives ``u >= lead_i`` (:func:`_lead`; in case B without the ``k`` term,
       which is the pairwise gap ``g(i, j)``), and ``C_i >= a_i + o_i``, so ``i`` is *eligible*:
       ``e_i := a_i + o_i + lead_i <= T``.
    2. ``sum_G C >= m T + (m - 1) D + h[{j, k}, k]`` (:func:`chain_suffix_dp`: the later completions
       follow the pairwise gaps).
    3. ``sum_B C >= sum_{q <= b} LB_S(q)``, ``LB_S`` the area order statistics of ``S``
       (:func:`order_statistic_bounds`): the ``q``-th smallest completion in ``B`` is at least the
       ``q``-th of any superset's bound (the ``q`` smallest areas / arrivals of ``B`` are at least those
       of ``S``).  The ``O`` requests complete after ``T`` and after the ``B`` ones, so they hold the
       ranks ``b + 1..n_S`` of ``S`` and ``sum_O C >= tail(b) := sum_{q > b} max(T + 1, LB_S(q))``.
    4. (area of ``[1, T]``) every integer time carries at most ``M`` tokens, so the tokens held at
       times ``1..T`` sum to at most ``M T``.  ``j`` and the ``B`` requests hold all their area ``A``
       there; in case A ``k`` holds ``s_k + 1, ..., x_k`` at ``p_k + 1, ..., T``, area
       ``kpart(D) = (x_k (x_k + 1) - s_k (s_k + 1)) / 2``.  Hence
       ``A_j + sum_B A + [case A] kpart(D) <= M T``.
    1'. (pairs in ``B``) let ``x, y in B`` with ``C_x <= C_y``, ``d = C_y - C_x``, ``u_x = T - C_x =
       u_y + d``.  If ``d < o_y``, ``y`` runs at ``C_x`` holding ``P_y - d``, so
       ``P_x + P_y - d + L(u_x) <= M`` with ``L(u)`` the load of ``j`` and ``k`` at ``T - u`` (as in
       fact 1); otherwise ``d >= o_y``.  ``v - L(v)`` increases with ``v``, so the least feasible ``u_x``
       is nondecreasing in ``u_y``, and the least ``T`` with both in ``B`` (``T >= a + o + u`` for both,
       ``u_y >= lead_y``, ``u_x >= lead_x``) is reached at ``u_y = lead_y``: ``T_pair(x, y)`` (the smaller
       over the two orders).  So at a given ``T``, ``B`` is an independent set of the graph of the
       eligible pairs with ``T_pair > T``, i.e. inside one of its maximal independent sets (enumerated;
       the value below is the least over them).
    4'. (deadlines) ``i in B`` completes by ``T - lead_i``; the requests of ``B`` completed by
       ``T - u`` hold their whole area in ``[1, T - u]``, where ``j`` and ``k`` hold all theirs but the
       part in ``(T - u, T]``: ``sum_{i in B, lead_i >= u} A_i <= M T - A_j - kpart - delta(u)``,
       ``delta(u) = M u - (area of j and k in (T - u, T])``.  These nested capacities are a one-machine
       deadline problem (sizes ``A_i``, due dates ``M T - A_j - kpart - delta(lead_i)``): ``B`` fits only
       if ``b`` is at most the Moore-Hodgson optimum (:func:`_max_on_time`).
    5. Case A: each ``i in O`` either starts at ``p_i >= T`` (``C_i >= T + o_i``) or runs at ``T``
       (``p_i < T < C_i``), holding ``y_i = P_i - (C_i - T) >= s_i + 1`` there.  At ``T``:
       ``P_j + x_k + sum_{O running} y_i <= M``, i.e. ``D >= base + sum y_i`` with
       ``base = P_j + P_k - M > 0``.  For a running ``i``, ``C_i = T + o_i - (y_i - s_i) >= T + o_i - y_i``;
       summed, ``sum_O C >= sum_O (T + o_i) - (D - base)``.  So ``(m - 1) D + sum_O C >=
       max((m - 2) D + base + (n_S - b) T + sum_S o - sum_B o, (m - 1) D + tail(b))``.
       Case B: the same with ``P_j + sum_{O running} y_i <= M`` (``k`` holds nothing at ``T``):
       ``(m - 1) D + sum_O C >= (m - 1) o_k + max(tail(b), (n_S - b) T + sum_S o - sum_B o - (M - P_j))``.

    The bound is the minimum, over ``j != k`` in ``G``, the case (A with every ``D`` in
    ``[base, o_k - 1]``, or B), ``T`` (from ``a_j + o_j`` up to ``T1``, where every ``S`` request is
    eligible, no pair conflicts (``T1 >= max T_pair``) and all of ``S`` fits in the area, deadlines
    included: beyond ``T1`` no constraint on ``B`` binds and the value only grows with ``T``; a ``T1``
    that forgot ``T_pair`` was caught by the proven optimum of ``jaillet_instance(8, 4)``) and ``b``, of
    ``m T + h[{j, k}, k] + sum_{q <= b} LB_S(q) + (case term)``, where ``B`` ranges over the ``b``-subsets
    of eligible requests whose area fits in ``M T - A_j - kpart`` and case A takes the largest ``sum_B o``
    among them (a knapsack table over (size, sum of ``o``) -> least area).  It uses only
    ``C_i >= a_i + o_i``, so it holds with arrivals.  Taking ``b = n_S`` and ``T`` large enough gives
    the chain DP's terms; the result is also maxed with :func:`chain_bound`.  When ``|G| < 2`` or
    ``|G| > MAX_DP`` (or for ``objective="makespan"``) it is :func:`chain_bound`.

    ``nested=False`` / ``pairs=False`` leave out facts 4' / 1' (weaker, for measuring what each adds).

    Its cost grows with the output lengths (one case per value of ``D``, knapsack tables over the sum of
    the outputs of ``S``): beyond :data:`HEAD_MAX_CASES`, :data:`HEAD_MAX_TABLE` or :data:`HEAD_MAX_SPAN`,
    or once ``deadline`` (:class:`lpsched.exact.limits.Deadline`) has passed, it returns
    :func:`chain_bound` (the minimum over the cases is a bound only when every case is computed).

    >>> from lpsched import Instance
    >>> head_bound(Instance(10, s=[2, 2], o=[6, 6]))      # no small requests: the chain bound
    18
    """
    base_bound = chain_bound(instance, objective)
    head = _Head(instance, nested, pairs)
    head.deadline = deadline
    if objective != "tct" or not 2 <= head.m <= MAX_DP or not head.affordable():
        return base_bound
    P, o, M, G = head.P, head.o, head.M, head.G
    h = chain_suffix_dp(P, o, M, G)
    values = []
    try:
        for jj, j in enumerate(G):
            for kk, k in enumerate(G):
                if k == j:
                    continue
                for D in [None] + list(range(P[j] + P[k] - M, o[k])):          # None: case B
                    if deadline is not None and deadline.expired():
                        return base_bound          # the minimum needs every case: the chain bound instead
                    v = head.case_value(j, k, D, int(h[(1 << jj) | (1 << kk), kk]))
                    if v is not None:
                        values.append(v)
    except _TooLarge:
        return base_bound
    return max(base_bound, min(values)) if values else base_bound


#: :func:`head_bound` is :func:`chain_bound` beyond these sizes (its cases, tables and loops grow with the
#: output lengths: two requests of 10^8 tokens would take hours and gigabytes)
HEAD_MAX_CASES = 20_000          # (j, k, D) cases
HEAD_MAX_TABLE = 32e6            # bytes of one knapsack table (sizes x sum of outputs of S)
HEAD_MAX_SPAN = 100_000          # values of T in one case, steps of a pair-threshold loop
HEAD_MAX_ARRAY = 200e6           # bytes of the (T, b, sum of o) array of one case


class _TooLarge(Exception):
    """A case of :func:`head_bound` beyond :data:`HEAD_MAX_SPAN`."""


class _Head:
    """The instance data of :func:`head_bound` and its value for one choice of ``(j, k, case)``."""

    INF = 1 << 40

    def __init__(self, instance: Instance, nested: bool, pairs: bool):
        self.nested, self.pairs = nested, pairs
        n, self.M = instance.n, instance.memory
        self.s, self.o, self.a = instance.s.tolist(), instance.o.tolist(), instance.a.tolist()
        self.P = [self.s[i] + self.o[i] for i in range(n)]
        self.A = areas(instance).tolist()
        self.G = [k for k in range(n) if 2 * self.P[k] > self.M]
        self.S = [k for k in range(n) if 2 * self.P[k] <= self.M]
        self.m, self.ns = len(self.G), len(self.S)
        self.LB = order_statistic_bounds(instance, self.S).astype(np.int64) if self.ns else np.zeros(0, np.int64)
        self.cumLB = np.concatenate([[0], np.cumsum(self.LB)])
        self.sumo, self.AS = sum(self.o[i] for i in self.S), sum(self.A[i] for i in self.S)
        self.bidx = np.arange(self.ns + 1)
        self.tables: dict = {}
        self.deadline = None

    def affordable(self) -> bool:
        """Whether :func:`head_bound` stays within :data:`HEAD_MAX_CASES` and :data:`HEAD_MAX_TABLE`."""
        P, o, M, G = self.P, self.o, self.M, self.G
        cases = sum(1 + max(0, o[k] - (P[j] + P[k] - M)) for j in G for k in G if k != j)
        table = 8.0 * (self.ns + 1) ** 2 * (self.sumo + 1)
        longest = max([o[i] for i in self.S], default=0)
        return cases <= HEAD_MAX_CASES and table <= HEAD_MAX_TABLE and longest <= HEAD_MAX_SPAN

    def least_area(self, order) -> np.ndarray:
        """``f[u, b, so]``: least area of a ``b``-subset of ``order[:u]`` with sum of ``o`` ``>= so``
        (nondecreasing in ``so``), ``INF`` if none."""
        key = tuple(order)
        if key not in self.tables:
            ns, sumo, o, A = self.ns, self.sumo, self.o, self.A
            tab = np.full((ns + 1, sumo + 1), self.INF, np.int64)
            tab[0, 0] = 0
            out = np.empty((len(order) + 1, ns + 1, sumo + 1), np.int64)
            for u in range(len(order) + 1):
                if u > 0:
                    i = order[u - 1]
                    new = tab.copy()
                    new[1:, o[i]:] = np.minimum(new[1:, o[i]:], tab[:-1, :sumo + 1 - o[i]] + A[i])
                    tab = new
                out[u] = np.minimum.accumulate(tab[:, ::-1], axis=1)[:, ::-1]
            self.tables[key] = out
        return self.tables[key]

    def pair_thresholds(self, j: int, k: int, xk, lead: dict, e: dict) -> dict:
        """Fact 1': ``{(x, y): T_pair}`` for the pairs of ``S`` that are both in ``B`` only if
        ``T >= T_pair > max(e_x, e_y)``.  ``x`` completing first at ``T - u_x``: ``y`` still holds
        ``P_y - d`` there (``d = C_y - C_x < o_y``), ``j`` and ``k`` hold ``L(u_x)``."""
        P, o, a, M, s = self.P, self.o, self.a, self.M, self.s

        def L(u):
            return (P[j] - u if u < o[j] else 0) + (xk - u if xk is not None and u < xk - s[k] else 0)

        def after(x, y):
            uy = lead[y]
            if P[x] + P[y] + L(uy) <= M:
                return max(e[x], e[y])
            d = 1
            while d < o[y] and P[x] + P[y] - d + L(uy + d) > M:
                d += 1
            return max(e[y], a[x] + o[x] + max(lead[x], uy + d))

        out = {}
        for ix, x in enumerate(self.S):
            for y in self.S[ix + 1:]:
                t2 = min(after(x, y), after(y, x))
                if t2 > max(e[x], e[y]):
                    out[x, y] = t2
        return out

    def case_value(self, j: int, k: int, D, hv: int):
        """The least bound value over ``T`` and ``b`` when ``j``, ``k`` complete first and second, with
        ``D = c_2 - T`` (case A) or ``D = None`` (case B); ``hv = h[{j, k}, k]``.  ``None`` if no ``T``
        and ``b`` are feasible."""
        P, o, a, s, A, M, S = self.P, self.o, self.a, self.s, self.A, self.M, self.S
        ns, m, nested, bidx, INF = self.ns, self.m, self.nested, self.bidx, self.INF
        base = P[j] + P[k] - M
        xk = None if D is None else P[k] - D
        kpart = 0 if D is None else (xk * (xk + 1) - s[k] * (s[k] + 1)) // 2
        lead = {i: _lead(P[i], P[j], o[j], xk, s[k], M) for i in S}
        e = {i: a[i] + o[i] + lead[i] for i in S}
        order = sorted(S, key=lambda i: e[i])
        es = np.array([e[i] for i in order], np.int64)
        # fact 4': i in B completes by T - lead_i, when the area left to S by time T - u is
        # cap - delta(u), delta(u) = M u - (area of j and k in (T - u, T])
        delta = {i: M * lead[i] - _tail_area(P[j], o[j], lead[i])
                 - (0 if xk is None else _tail_area(xk, xk - s[k], lead[i])) for i in S}
        by_due = sorted(S, key=lambda i: -delta[i])
        T_pair = self.pair_thresholds(j, k, xk, lead, e) if self.pairs else {}
        T0 = max(a[j] + o[j], -(-(A[j] + kpart) // M))
        # from T1 on, every S request is eligible, no pair conflicts and all of S fits (also with
        # the deadlines of fact 4'), so the value only grows with T
        T1 = max([T0] + es.tolist() + list(T_pair.values())
                 + [-(-(A[j] + self.AS + kpart + (max(delta.values()) if nested and ns else 0)) // M)])
        if T1 - T0 > HEAD_MAX_SPAN or 8.0 * (T1 - T0 + 1) * (ns + 1) * (self.sumo + 1) > HEAD_MAX_ARRAY:
            raise _TooLarge
        if self.deadline is not None and self.deadline.expired():
            raise _TooLarge
        Ts = np.arange(T0, T1 + 1)
        cap = M * Ts - A[j] - kpart                                 # >= 0 by T0
        f = self.least_area(order)[np.searchsorted(es, Ts, side="right")]   # (T, b, so)
        mso = (f <= cap[:, None, None]).sum(axis=2) - 1               # (T, b): largest sum_B o, -1: none
        if nested:
            most = np.array([_max_on_time([(A[i], c - delta[i]) for i in by_due if e[i] <= T])
                             for T, c in zip(Ts.tolist(), cap.tolist())], np.int64)
            mso = np.where(bidx[None, :] <= most[:, None], mso, -1)
        if T_pair:
            for r, T in enumerate(Ts.tolist()):
                edges = [xy for xy, t2 in T_pair.items() if t2 > T and e[xy[0]] <= T and e[xy[1]] <= T]
                if not edges:
                    continue
                elig = [i for i in S if e[i] <= T]
                row = np.full(ns + 1, -1, np.int64)
                for keep in _maximal_independent_sets(elig, edges):
                    sub = sorted(keep, key=lambda i: e[i])
                    ms = (self.least_area(sub)[len(sub)] <= cap[r]).sum(axis=1) - 1
                    if nested:
                        mo = _max_on_time([(A[i], int(cap[r]) - delta[i]) for i in by_due if i in keep])
                        ms = np.where(bidx <= mo, ms, -1)
                    row = np.maximum(row, ms)
                mso[r] = np.minimum(mso[r], row)
        tl = np.maximum(Ts[:, None] + 1, self.LB[None, :])
        tail = np.concatenate([np.cumsum(tl[:, ::-1], axis=1)[:, ::-1],
                               np.zeros((len(Ts), 1), np.int64)], axis=1)   # (T, b)
        if D is None:
            c1 = (ns - bidx)[None, :] * Ts[:, None] + self.sumo - mso - (M - P[j])
            term = (m - 1) * o[k] + np.maximum(tail, c1)
        else:
            c1 = (m - 2) * D + base + (ns - bidx)[None, :] * Ts[:, None] + self.sumo - mso
            term = np.maximum(c1, (m - 1) * D + tail)
        val = np.where(mso >= 0, m * Ts[:, None] + hv + self.cumLB[None, :] + term, INF)
        v = int(val.min())
        return v if v < INF else None

r"""The 48-competitive chain of Sorted-F (Wang, Ye, Zhou), derived step by step and measured.

Layer: theory.

The slides prove ``TCT(ALG) <= TCT(sep) <= 4 TCT(group) <= 8 TCT(align) <= 8 TCT(OPT_t) <= 48 TCT(OPT)``
under the assumption that ``s_i, o_i`` are small relative to ``M``.  This module

* derives each algebraic step in sympy *from its premises* (:func:`chain_algebra`) and puts the slides'
  displayed expression next to it, so a slip is told from a false step;
* builds the intermediate schedules of the proof for a Sorted-F run (:func:`chain_tcts`) and measures
  every inequality of the chain on instances (:func:`chain_study`).

The algebra (``n = |X|``, ``o_1 <= ... <= o_n`` the outputs of an F-optimal batch ``X``):

(5)  Premise (F-optimality: dropping the largest member does not improve ``F``)
     ``sum_{i<n} o_i / (n-1)^2 >= sum_i o_i / n^2``.  With ``S' = sum_{i<n} o_i`` it is
     ``S' (2n - 1) >= (n - 1)^2 o_n``, so ``S'/n >= (n-1)^2/(n(2n-1)) o_n`` and, adding ``o_n / n``,
     ``mean(o) >= n/(2n-1) o_n > o_n / 2`` for every ``n >= 2``.  The slides display
     ``(n^2 - 2n + 1)/(2n^2 - n) = 1/2``: that is the bound on ``S'/n`` (``o_n`` dropped from the sum) and is
     below 1/2; the conclusion the proof needs, ``mean >= o_n / 2``, follows from the derived constant.
Case 2 of step 2.  Premise: ``X_{k+1}`` together with the first ``q`` members ``Q`` of ``X_{k+2}`` is not better
     than ``X_{k+1}`` (when that union is feasible), i.e. ``(S + S_Q)/(n+q)^2 >= S/n^2``, which gives
     ``mean(Q) >= (2 + q/n) mean(X_{k+1})``; with the derived (5),
     ``o_{k+2,max} >= mean(Q) >= (2n + q)/(2n - 1) o_{k+1,max} > o_{k+1,max}`` for all ``n, q >= 1``.  With the
     displayed constant the step would need ``q > n(3n-2)/(n-1)^2``.
Geometric sum.  ``sum_{i=1}^a (1/2)^floor((a-i)/2)`` is ``4 (1 - 2^-b)`` (``a = 2b``) or ``4 - 3 2^-b``
     (``a = 2b + 1``), so ``<= 4``; the slides' middle expression ``2 (1 - (1/2)^floor((a-1)/2)) / (1 - 1/2)``
     is smaller than the sum (``0`` at ``a = 2``, where the sum is 2), a slip that does not affect ``<= 4``.
(15) Given ``mean(X_{b_m}) >= o_{b_m,max}/2``, ``TCT(align) - TCT(group)/2 = sum_m (mean - o_max/2) N_m
     + sum o / 2 >= 0``.
"""

from __future__ import annotations

import numpy as np

from ..model import Instance
from .problem import is_feasible

__all__ = ["chain_algebra", "chain_tcts", "chain_study", "chain_instances"]


def chain_algebra() -> dict:
    """Each algebraic step of the chain derived in sympy from its premise, with the slides' expression.

    Returns a dict of steps; each step is a dict with ``premise``, ``derived``, ``displayed`` (sympy
    expressions or strings), ``conclusion_holds`` (the inequality the proof needs, proved) and
    ``displayed_holds`` (the displayed expression, as displayed, is true).

    >>> r = chain_algebra()
    >>> r["(5)"]["derived"], r["(5)"]["displayed"], r["(5)"]["conclusion_holds"], r["(5)"]["displayed_holds"]
    (n/(2*n - 1), (n - 1)**2/(n*(2*n - 1)), True, False)
    >>> r["case2"]["derived"], r["case2"]["conclusion_holds"]
    ((2*n + q)/(2*n - 1), True)
    """
    import sympy as sp

    n, q = sp.symbols("n q", positive=True, integer=True)
    Sp, on, S, SQ = sp.symbols("S' o_n S S_Q", positive=True)
    half = sp.Rational(1, 2)

    # (5): premise S'/(n-1)^2 >= (S' + o_n)/n^2; linear in S' -> S' >= c o_n
    premise5 = sp.expand(n**2 * Sp - (n - 1) ** 2 * (Sp + on))           # >= 0
    coef_Sp = sp.factor(premise5.coeff(Sp))                              # 2n - 1 > 0
    Sp_min = sp.factor(sp.solve(sp.Eq(premise5, 0), Sp)[0])             # (n-1)^2 o_n / (2n-1)
    derived5 = sp.factor(sp.simplify((Sp_min + on) / n / on))            # mean >= derived5 * o_n
    displayed5 = sp.factor((n**2 - 2 * n + 1) / (2 * n**2 - n))
    margin5 = sp.factor(derived5 - half)                                 # 1/(2(2n-1)) > 0
    shown_is_Sp_bound = sp.simplify(displayed5 - Sp_min / (n * on)) == 0

    # Case 2: premise (S + S_Q)/(n+q)^2 >= S/n^2 -> S_Q/q >= (2 + q/n) S/n
    premise2 = sp.expand(n**2 * (S + SQ) - (n + q) ** 2 * S)
    SQ_min = sp.factor(sp.solve(sp.Eq(premise2, 0), SQ)[0])
    meanQ_over_mean = sp.factor(sp.simplify(SQ_min / q / (S / n)))        # 2 + q/n
    derived2 = sp.factor(sp.simplify(meanQ_over_mean * derived5))        # (2n+q)/(2n-1)
    margin2 = sp.factor(derived2 - 1)                                    # (q+1)/(2n-1) > 0
    displayed2 = sp.factor(meanQ_over_mean * displayed5)
    need_q = sp.factor(sp.solve(sp.Eq(displayed2, 1), q)[0])             # displayed needs q > this

    # geometric sum and the slides' middle expression

    def geo(k: int):
        return sum(sp.Rational(1, 2) ** ((k - i) // 2) for i in range(1, k + 1))

    def shown(k: int):
        return 2 * (1 - sp.Rational(1, 2) ** ((k - 1) // 2)) / (1 - sp.Rational(1, 2))

    b = sp.Symbol("b", positive=True, integer=True)
    closed_even = 4 * (1 - sp.Rational(1, 2) ** b)
    closed_odd = 4 - 3 * sp.Rational(1, 2) ** b
    even_ok = all(geo(2 * k) == closed_even.subs(b, k) for k in range(1, 30))
    odd_ok = all(geo(2 * k + 1) == closed_odd.subs(b, k) for k in range(1, 30)) and geo(1) == 1
    shown_below = [k for k in range(1, 60) if shown(k) < geo(k)]

    # (15): TCT(align) - TCT(group)/2 = sum (mean - o_max/2) N + sum o/2 with mean >= o_max/2
    mean, omax, N, total = sp.symbols("mean o_max N sum_o", positive=True)
    diff15 = sp.expand((mean * N + total) - half * (omax * N + total))

    return {
        "(5)": {"premise": "sum_{i<n} o_i/(n-1)^2 >= sum_i o_i/n^2 (F-optimality, n >= 2)",
                "derived": derived5, "displayed": displayed5, "Sprime_bound": Sp_min / on,
                "positive_coefficient": coef_Sp, "margin_over_half": margin5,
                "conclusion_holds": bool(margin5.is_positive), "displayed_holds": bool(sp.simplify(displayed5 - half) == 0),
                "displayed_is_bound_on_sum_without_max": bool(shown_is_Sp_bound)},
        "case2": {"premise": "(S + S_Q)/(n+q)^2 >= S/n^2 (X_{k+1} with the first q of X_{k+2} is no better), and (5)",
                  "meanQ_over_mean": meanQ_over_mean, "derived": derived2, "margin_over_one": margin2,
                  "displayed": displayed2, "displayed_needs_q_above": need_q,
                  "conclusion_holds": bool(margin2.is_positive),
                  "displayed_fails_at": [(nn, qq) for nn in range(2, 9) for qq in range(1, 21)
                                         if not displayed2.subs({n: nn, q: qq}) > 1]},
        "geometric": {"closed_even": closed_even, "closed_odd": closed_odd, "closed_forms_hold": even_ok and odd_ok,
                      "max_a_le_60": max(geo(k) for k in range(1, 61)), "conclusion_holds": even_ok and odd_ok,
                      "displayed_below_sum_at": shown_below[:5], "displayed_holds": not shown_below},
        "(15)": {"premise": "mean(X_{b_m}) >= o_max/2 (from (5))", "difference": diff15,
                 "rewritten": sp.expand((mean - half * omax) * N + half * total),
                 "conclusion_holds": sp.simplify(diff15 - ((mean - half * omax) * N + half * total)) == 0},
        "chain": 1 * 4 * 2 * 1 * 6,
    }


def chain_tcts(instance: Instance, selector: str = "exact_dp", **options) -> dict:
    """The proof's schedules for one Sorted-F run: TCT of ALG, ALG_separate, ALG_group, ALG_align.

    * ``sep``: the batches ``X_1, X_2, ...`` run one after the other (each waits for the longest of the
      previous one);
    * groups: consecutive batches merged until a *terminal* batch ``X_b`` that cannot take the first
      (smallest-o) request of ``X_{b+1}`` without exceeding ``M`` (the slides' "nearly saturates"), or the
      last batch;
    * ``group``: the groups run one after the other, each lasting the longest output of its terminal
      batch (the slides' ``o_{b_m, n_{b_m}}``); ``align``: the same with the terminal batch's mean output.

    Also returns, for every batch of at least 2 requests, ``(n, mean o, max o)`` (inequality (5)).

    >>> from lpsched import Instance
    >>> r = chain_tcts(Instance(6, [2, 2, 2, 2], [1, 1, 2, 3]))
    >>> r["alg"], r["sep"], r["group"], r["align"]
    (11, 11, 11, 11.0)
    """
    from ..runner import simulate
    from .policy import sorted_f_order

    s, o, M = instance.s, instance.o, instance.memory
    if not instance.all_at_zero:
        raise ValueError("the chain is stated for requests all at 0")
    _, batches = sorted_f_order(s, o, M, selector, **options)
    alg = int(simulate(instance, "sorted_f", selector=selector, **options).schedule.completion.sum())
    t, sep = 0, 0
    for b in batches:
        sep += int((t + o[b]).sum())
        t += int(o[b].max())
    terminal = []
    for k, b in enumerate(batches):
        if k + 1 == len(batches):
            terminal.append(k)
            continue
        nxt = batches[k + 1]
        first = nxt[np.lexsort((nxt, o[nxt]))][0]
        union = np.append(b, first)
        if not is_feasible(s[union], o[union], M):
            terminal.append(k)
    total_o = int(o.sum())
    counts = np.array([len(b) for b in batches])
    after = counts.sum() - np.cumsum(counts)                 # requests in later batches
    group = total_o + sum(int(o[batches[k]].max()) * int(after[k]) for k in terminal)
    align = total_o + sum(float(o[batches[k]].mean()) * int(after[k]) for k in terminal)
    per_batch = [(len(b), float(o[b].mean()), int(o[b].max())) for b in batches if len(b) >= 2]
    return {"alg": alg, "sep": sep, "group": group, "align": align, "batches": len(batches),
            "groups": len(terminal), "per_batch": per_batch}


def chain_study(instances, selector: str = "exact_dp"):
    """Every inequality of the chain on each instance (pandas DataFrame, one row per instance).

    Columns: the four TCTs, ``alg/sep`` (<= 1 claimed), ``sep/group`` (<= 4), ``group/align`` (<= 2),
    the number of F-optimal batches with ``n >= 2`` and the smallest ``mean / o_max`` among them with
    the derived bound ``n / (2n - 1)`` it must meet (``(5)_slack`` >= 0).
    """
    import pandas as pd

    rows = []
    for inst in instances:
        r = chain_tcts(inst, selector)
        slack = [m / mx - n / (2 * n - 1) for n, m, mx in r["per_batch"]]
        rows.append({"name": inst.name, "n": inst.n, "M": inst.memory, "alg": r["alg"], "sep": r["sep"],
                     "group": r["group"], "align": r["align"], "batches": r["batches"], "groups": r["groups"],
                     "alg/sep": r["alg"] / r["sep"], "sep/group": r["sep"] / r["group"],
                     "group/align": r["group"] / r["align"], "batches_n_ge_2": len(slack),
                     "min_mean_over_max": min((m / mx for _, m, mx in r["per_batch"]), default=float("nan")),
                     "(5)_slack": min(slack, default=float("nan"))})
    return pd.DataFrame(rows)


def chain_instances(trials: int, seed: int = 0) -> list[Instance]:
    """The instances the W5 checks use: ``trials`` of each of two families, all at 0.

    * Jaillet et al.'s (``lpsched.workloads.uniform``, n = 12, ``M ~ U[30, 50]``, ``o`` up to ``M - s``):
      few requests per batch;
    * small requests (n = 150, ``M = 500``, ``s, o ~ U[1, 25]``): closer to the slides' "s_i, o_i small
      relative to M", about seven batches of about twenty requests.

    >>> [i.n for i in chain_instances(1)]
    [12, 150]
    """
    from ..workloads import uniform

    out = [uniform(12, seed + k) for k in range(trials)]
    for k in range(trials):
        rng = np.random.default_rng([seed, k, 150])
        out.append(Instance(500, rng.integers(1, 26, 150), rng.integers(1, 26, 150), name=f"small requests {k}"))
    return out

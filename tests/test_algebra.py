"""One sympy test per algebraic claim: the step derived here from its premises, compared with the package.

Each test derives the step independently (a few lines of sympy from the premise the source states) and
checks that the package's derivation -- the one `lpsched verify` reports -- gives the same expression, and
that the source's displayed expression is what the verdict says it is (equal, a slip, or a false step).
"""

import sympy as sp

from lpsched.sortedf.chain import chain_algebra
from lpsched.sortedf.studies import w3_slide_algebra, w4_exchange_sympy

n, q = sp.symbols("n q", positive=True, integer=True)


def test_w5_inequality_5_from_its_premise():
    Sp, o = sp.symbols("Sp o", positive=True)                   # Sp = sum of the n - 1 smaller outputs
    premise = Sp / (n - 1) ** 2 - (Sp + o) / n**2                # >= 0: dropping o_max does not improve F
    Sp_min = sp.solve(sp.Eq(sp.numer(sp.together(premise)), 0), Sp)[0]
    coefficient = sp.simplify((Sp_min + o) / (n * o))            # mean >= coefficient * o_max
    a = chain_algebra()["(5)"]
    assert sp.simplify(coefficient - n / (2 * n - 1)) == 0
    assert sp.simplify(a["derived"] - coefficient) == 0
    assert sp.simplify(coefficient - sp.Rational(1, 2) - 1 / (2 * (2 * n - 1))) == 0   # > 1/2 for every n
    # the slide's (n^2 - 2n + 1)/(2n^2 - n) is the bound on Sp / n: o_max dropped from the sum (a slip)
    assert sp.simplify(a["displayed"] - Sp_min / (n * o)) == 0
    assert a["conclusion_holds"] and not a["displayed_holds"]


def test_w5_case_2_from_its_premise():
    S, SQ = sp.symbols("S S_Q", positive=True)
    premise = (S + SQ) / (n + q) ** 2 - S / n**2                 # adding the first q of the next batch: no better
    SQ_min = sp.solve(sp.Eq(sp.numer(sp.together(premise)), 0), SQ)[0]
    mean_ratio = sp.simplify((SQ_min / q) / (S / n))             # mean(Q) / mean(X_k+1)
    assert sp.simplify(mean_ratio - (2 + q / n)) == 0
    factor = sp.simplify(mean_ratio * n / (2 * n - 1))           # with the derived (5)
    a = chain_algebra()["case2"]
    assert sp.simplify(a["derived"] - factor) == 0
    assert sp.simplify(factor - 1 - (q + 1) / (2 * n - 1)) == 0  # > 1 for all n, q >= 1
    # with the displayed (5) the step needs q > n(3n-2)/(n-1)^2, false at (n, q) = (2, 1)
    assert (2, 1) in a["displayed_fails_at"] and a["conclusion_holds"]


def test_w5_geometric_sum_and_the_slides_middle_expression():
    def geo(a):
        return sum(sp.Rational(1, 2) ** ((a - i) // 2) for i in range(1, a + 1))

    assert all(geo(a) <= 4 for a in range(1, 80))
    assert geo(2) == 2 and 2 * (1 - sp.Rational(1, 2) ** ((2 - 1) // 2)) / (1 - sp.Rational(1, 2)) == 0
    g = chain_algebra()["geometric"]
    assert g["closed_forms_hold"] and not g["displayed_holds"] and 2 in g["displayed_below_sum_at"]


def test_w5_inequality_15_from_14():
    mean, omax, N, tot = sp.symbols("mean o_max N sum_o", positive=True)
    diff = (mean * N + tot) - sp.Rational(1, 2) * (omax * N + tot)    # TCT(align) - TCT(group)/2
    d = sp.Symbol("d", nonnegative=True)                                # mean = o_max/2 + d by (14)
    assert sp.expand(diff.subs(mean, omax / 2 + d)).is_nonnegative
    assert chain_algebra()["(15)"]["conclusion_holds"]


def test_w4_exchange_identity():
    o1, o2, n1, n2 = sp.symbols("o1 o2 n1 n2", positive=True)
    first1 = o1 * n1 + o2 * n2 + o1 * n2                        # the slide's formula
    first2 = o1 * n1 + o2 * n2 + o2 * n1
    r = w4_exchange_sympy()
    assert sp.simplify(r["difference"] - (first1 - first2)) == 0
    assert sp.simplify((first1 - first2) - n1 * n2 * (o1 / n1 - o2 / n2)) == 0 and r["rule_equivalent"]


def test_w3_example_sums_keep_the_type_2_self_term():
    m, i, j = sp.symbols("m i j", positive=True, integer=True)
    M, X, Y = m**2, m**2, m**3                                   # M = m^2, X = M, Y = M^1.5
    type1 = m * sp.summation(i, (i, 1, X / m))                   # m per step for X/m steps
    type2 = sp.Rational(2, 3) * M * sp.summation(j, (j, 1, 3 * Y / M))   # M/3 per two steps
    sf = sp.expand(type1 + X * Y / m + type2)
    a = sp.expand(type2 + 6 * X * Y / M + type1)
    r = w3_slide_algebra()
    assert sp.expand(r["tct_sf"] - sf) == 0 and sp.expand(r["tct_a"] - a) == 0
    assert sp.limit(sf / a, m, sp.oo) == sp.Rational(4, 3)
    assert sp.expand(type2 - 3 * m**4 - m**3) == 0               # 3 M^2 + M^1.5: the term the slide drops
    assert r["limit_slide_over_sqrtM"] == sp.Rational(2, 13)


def test_w1_w2_batch_memory_of_one_token_requests():
    k, T, t, p = sp.symbols("k T t p", positive=True, integer=True)
    s = sp.Symbol("s", positive=True)
    held_at_completion = (s + t - p).subs(t, p + 1)              # 'memory usage = s_i + t - p_i', o = 1
    assert held_at_completion == s + 1
    x = sp.IndexedBase("x")
    i = sp.Symbol("i", integer=True)
    literal = sp.summation(x[i] + 1, (i, 1, k))                  # s_i = x_i
    assert sp.simplify(literal - sp.summation(x[i], (i, 1, k)) - k) == 0   # T + k > M = T for a part of sum T
    repaired = sp.summation((2 * x[i] - 1) + 1, (i, 1, k))       # s_i = 2 x_i - 1, M = 2T
    assert sp.simplify(repaired - 2 * sp.summation(x[i], (i, 1, k))) == 0


def test_c2_bounds_are_ordered_and_meet_at_alpha_one():
    from lpsched.ratio import amax_lower_bound, amax_upper_bound

    a = sp.Symbol("alpha", positive=True)
    lower = (1 / a) * (1 + a ** sp.Rational(-1, 2)) / 2
    upper = (1 / a) * (1 + 1 / a) / 2
    t = sp.Symbol("t", positive=True)                            # t = alpha^-1/2 >= 1
    gap = sp.factor(sp.simplify((upper - lower).subs(a, 1 / t**2)))
    assert sp.simplify(gap - t**3 * (t - 1) / 2) == 0 and lower.subs(a, 1) == upper.subs(a, 1) == 1
    for al in (1.0, 0.5, 0.25, 0.01):
        assert abs(amax_lower_bound(al) - float(lower.subs(a, al))) < 1e-12
        assert abs(amax_upper_bound(al) - float(upper.subs(a, al))) < 1e-12


def test_c5_quotient_is_one_on_a_single_index():
    k = sp.Symbol("k", positive=True)
    a_kk = sp.Min(k, k) ** 2 / (k * k) * ((k + k) ** 2 / 2 - sp.Min(k, k) ** 2)
    assert sp.simplify(a_kk / sp.Min(k, k) ** 2) == 1

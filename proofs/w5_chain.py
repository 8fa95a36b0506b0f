"""W5: the algebra of Sorted-F's 48-competitive chain (Wang, Ye, Zhou, slides), derived from its premises.

* (5): from sum_{i<n} o_i/(n-1)^2 >= sum_i o_i/n^2 follows mean(o) >= n/(2n-1) o_max > o_max/2 for every
  n >= 2.  The slides display (n^2-2n+1)/(2n^2-n) "= 1/2": the bound on sum_{i<n} o_i / n (o_max dropped
  from the sum), below 1/2 -- a slip; the conclusion mean >= o_max/2 holds.
* Case 2 of step 2: with the derived (5) the factor is (2n+q)/(2n-1) > 1 for all n, q (with the displayed
  one it would fail for small q): a slip inherited from (5).
* The geometric sum is 4(1 - 2^-b) or 4 - 3 2^-b <= 4; the slides' middle expression is below the sum
  (a slip; the bound 4 holds).
* (15) follows from (14).  The product 1*4*2*1*6 = 48.  Steps 4 and 5 (W5.4, W5.5) give no derivation
  and are not checked here: the algebra that is shown holds once repaired.
"""

import sympy as sp

from lpsched.proof import Proof
from lpsched.sortedf.chain import chain_algebra

n, q = sp.symbols("n q", positive=True, integer=True)
Sp, on = sp.symbols("S' o_n", positive=True)
a = chain_algebra()
p = Proof("W5", "the displayed algebra of the 48-competitive chain (1, 4, 2, 1, 6)")

# (5), derived here from the premise independently of lpsched.sortedf.chain, then compared with it
prem = sp.expand(n**2 * Sp - (n - 1) ** 2 * (Sp + on))             # premise: >= 0
Sp_min = sp.solve(sp.Eq(prem, 0), Sp)[0]
mean_coef = sp.simplify((Sp_min + on) / n / on)
p.equal("(5) derived: mean(o) >= n/(2n-1) o_max", mean_coef, n / (2 * n - 1))
p.equal("(5) the package derives the same", mean_coef, a["(5)"]["derived"])
p.nonnegative("(5) n/(2n-1) - 1/2 = 1/(2(2n-1)) > 0", n / (2 * n - 1) - sp.Rational(1, 2))
p.displayed("(5) displayed coefficient", (n**2 - 2 * n + 1) / (2 * n**2 - n), n / (2 * n - 1), needed_holds=True,
            what="the displayed one equals S'_min/(n o_max): the sum without o_max")
p.equal("case 2: (2 + q/n) n/(2n-1) = (2n+q)/(2n-1)", (2 + q / n) * n / (2 * n - 1), (2 * n + q) / (2 * n - 1))
p.nonnegative("case 2: (2n+q)/(2n-1) - 1 = (q+1)/(2n-1) > 0", (2 * n + q) / (2 * n - 1) - 1 - sp.Rational(0))
p.displayed("case 2 displayed factor", (2 + q / n) * (n - 1) ** 2 / (n * (2 * n - 1)), (2 * n + q) / (2 * n - 1),
            needed_holds=True, what=f"as displayed it exceeds 1 only for q > {a['case2']['displayed_needs_q_above']}")
g = a["geometric"]
p.numeric("geometric sum closed forms (a = 2b, 2b + 1), b = 1..29", lambda ok: ok, [g["closed_forms_hold"]])
p.displayed("geometric sum at a = 2: slides' middle expression vs the sum", 0, 2, needed_holds=True,
            what="both the sum and 4 bound hold: sum <= 4")
p.numeric("(15) TCT(align) - TCT(group)/2 is sum (mean - o_max/2) N + sum o/2", lambda ok: ok,
          [a["(15)"]["conclusion_holds"]])
p.equal("chain product", 1 * 4 * 2 * 1 * 6, 48)
p.finish()

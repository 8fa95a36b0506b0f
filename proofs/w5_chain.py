"""W5: Sorted-F is 48-competitive via TCT(ALG) <= TCT(sep) <= 4 TCT(group) <= 8 TCT(align) <= 8 TCT(OPT_t) <= 48 OPT.

Every algebraic step of the slides, in sympy:
* (5)/(14): mean o >= (n-1)^2/(n(2n-1)) o_max, written "= 1/2 o_max": the factor is < 1/2 for every finite n.
* Step 2, case 2: (2 + q/n) (n-1)^2/(n(2n-1)) > 1 is used for every n, q >= 1; it fails whenever q <= 3.
* The geometric sum sum_{i=1}^a (1/2)^floor((a-i)/2) <= 4 and the product 1*4*2*1*6 = 48.
"""

import sympy as sp

from lpsched.proof import Proof

n, q = sp.symbols("n q", positive=True, integer=True)
x = sp.Symbol("x", real=True)
e = (n - 1) ** 2 / (n * (2 * n - 1))
p = Proof("W5", "every algebraic step of the slides' 48-competitive chain (1, 4, 2, 1, 6) holds")
p.equal("(5): 1/2 - (n-1)^2/(n(2n-1)) = (3n-2)/(2n(2n-1))", sp.Rational(1, 2) - e, (3 * n - 2) / (2 * n * (2 * n - 1)))
p.nonnegative("so the factor is strictly below 1/2 for n >= 1 ((3n-2) > 0)", (3 * n - 2) / (2 * n * (2 * n - 1)))
p.equal("limit of the factor as n -> oo", sp.limit(e, n, sp.oo), sp.Rational(1, 2))
p.asymptotic = True
p.note("step (5)/(14)", "'= 1/2' holds only as n -> infinity (the slides assume s, o small relative to M)")
threshold = sp.factor(sp.simplify(n * (1 / e - 2)))
p.equal("case 2 needs q > n(3n-2)/(n-1)^2", threshold, n * (3 * n - 2) / (n - 1) ** 2)
p.equal("threshold - 3 = (4n-3)/(n-1)^2 > 0", sp.simplify(threshold - 3), (4 * n - 3) / (n - 1) ** 2)
step = (2 + q / n) * e
p.counterexample("case 2 inequality (2 + q/n) e(n) > 1 at n = 2, q = 1",
                 f"(2 + 1/2) * 1/6 = {step.subs({n: 2, q: 1})} <= 1", holds=bool(step.subs({n: 2, q: 1}) > 1))
geo = [sum(sp.Rational(1, 2) ** ((a - i) // 2) for i in range(1, a + 1)) for a in range(1, 80)]
p.numeric("geometric sum <= 4 for a = 1..79", lambda v: v <= 4, geo)
p.equal("chain product", 1 * 4 * 2 * 1 * 6, 48)
p.finish()

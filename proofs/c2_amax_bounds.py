"""C2: the A_max bounds alpha^-1 (1 + alpha^-1/2)/2 <= CR(A_max) <= alpha^-1 (1 + alpha^-1)/2 + O(1/M).

Algebra: the two formulas are ordered for alpha in (0, 1] and both equal 1 at alpha = 1.  Evidence: the
seed's lower-bound instance (N_l requests of length l, N_u of length u, N_l/N_u = alpha^-1/2), simulated,
does not reach the claimed lower bound -- a counterexample to "the lower bound can be easily checked" with
that instance (the upper bound is never exceeded).
"""

import sympy as sp

from lpsched.proof import Proof
from lpsched.ratio import amax_lower_bound, amax_upper_bound
from lpsched.studies.uncertainty import curve

a = sp.Symbol("alpha", positive=True)
lower = (1 / a) * (1 + a ** sp.Rational(-1, 2)) / 2
upper = (1 / a) * (1 + 1 / a) / 2
p = Proof("C2", "alpha^-1(1+alpha^-1/2)/2 <= CR(A_max) <= alpha^-1(1+alpha^-1)/2 + O(1/M)")
p.equal("lower bound at alpha = 1", lower.subs(a, 1), 1)
p.equal("upper bound at alpha = 1", upper.subs(a, 1), 1)
t = sp.Symbol("t", positive=True)  # t = alpha^-1/2 >= 1
gap = sp.simplify((upper - lower).subs(a, 1 / t**2))
p.equal("upper - lower = t^2 (t^2 - t)/2 with t = alpha^-1/2", gap, t**2 * (t**2 - t) / 2)
p.nonnegative("so upper >= lower for t >= 1 (alpha <= 1)", (t**2 * (t**2 - t) / 2).subs(t, 1 + sp.Symbol("d", nonnegative=True)))
p.numeric("package formulas equal the sympy ones",
          lambda al: abs(amax_lower_bound(al) - float(lower.subs(a, al))) < 1e-12
          and abs(amax_upper_bound(al) - float(upper.subs(a, al))) < 1e-12, [1.0, 0.5, 0.25, 0.01])
for l, u in ((1, 2), (1, 4)):
    df = curve("amax_lower", "amax", [250, 1000], l=l, u=u, ties=("random", "adversarial"), batches=10, seeds=range(2))
    worst = float(df.ratio.max())
    lo, hi = amax_lower_bound(l / u), amax_upper_bound(l / u)
    p.counterexample(f"seed's lower-bound instance reaches the lower bound, [l, u] = [{l}, {u}]",
                     f"max A_max/H-SF over ties (random, adversarial) and M in (250, 1000) = {worst:.3f}; "
                     f"claimed lower bound {lo:.3f}, upper {hi:.3f}", holds=worst >= lo)
    p.counterexample(f"upper bound respected, [{l}, {u}]", f"{worst:.3f} <= {hi:.3f}", holds=worst <= hi)
p.finish()

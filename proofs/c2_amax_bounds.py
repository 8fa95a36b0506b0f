"""C2: alpha^-1 (1 + alpha^-1/2)/2 <= CR(A_max) <= alpha^-1 (1 + alpha^-1)/2 + O(1/M) (Chen, Ye, Zhou).

Algebra: the two bounds are ordered for alpha in (0, 1] and meet at alpha = 1.  The lower bound's proof is a
construction: N_l requests of length l and N_u of length u with N_l/N_u = alpha^-1/2.  With A_max read as
the slides word it ("at each time t" a largest feasible set: refill), the construction stays far below the
bound (simulated); with A_max starting a batch only when nothing runs, its fluid limit is
(r + 1)^2 / (alpha^2 r^2 + 2 alpha^2 r + 1) at r = N_l/N_u, which equals the bound only at alpha = 1/4 and 1.
Either way the construction does not witness the lower bound for a general alpha: a flawed proof step
(the bound on the supremum itself is judged by `lpsched verify --only C2`: open).
"""

import sympy as sp

from lpsched.proof import Proof
from lpsched.ratio import amax_lower_bound, amax_upper_bound
from lpsched.studies.uncertainty import batch_fluid_ratio, c2_curve

a, r = sp.symbols("alpha r", positive=True)
t = sp.Symbol("t", positive=True)  # t = alpha^-1/2 >= 1
lower = (1 / a) * (1 + a ** sp.Rational(-1, 2)) / 2
upper = (1 / a) * (1 + 1 / a) / 2
p = Proof("C2", "the construction N_l/N_u = alpha^-1/2 witnesses alpha^-1(1+alpha^-1/2)/2 <= CR(A_max)")
p.equal("lower bound at alpha = 1", lower.subs(a, 1), 1)
p.equal("upper bound at alpha = 1", upper.subs(a, 1), 1)
gap = sp.simplify((upper - lower).subs(a, 1 / t**2))
p.equal("upper - lower = t^3 (t - 1)/2 with t = alpha^-1/2", gap, t**3 * (t - 1) / 2)
p.nonnegative("so upper >= lower for t >= 1 (alpha <= 1)", (t**3 * (t - 1) / 2).subs(t, 1 + sp.Symbol("d", nonnegative=True)))
p.numeric("package formulas equal the sympy ones",
          lambda al: abs(amax_lower_bound(al) - float(lower.subs(a, al))) < 1e-12
          and abs(amax_upper_bound(al) - float(upper.subs(a, al))) < 1e-12, [1.0, 0.5, 0.25, 0.01])

# the batch reading's fluid limit at the construction, against the claimed lower bound
fluid = (r + 1) ** 2 / (a**2 * r**2 + 2 * a**2 * r + 1)
s = sp.Symbol("s", positive=True)  # s = sqrt(alpha)
at_c = sp.simplify(fluid.subs(r, 1 / sp.sqrt(a)).subs(a, s**2))
low_s = sp.simplify(lower.subs(a, s**2))
roots = sorted(x**2 for x in sp.solve(sp.numer(sp.together(at_c - low_s)), s) if x.is_positive)
p.numeric(f"batch fluid limit at N_l/N_u = alpha^-1/2 meets the bound only at alpha in {roots}",
          lambda rts: rts == [sp.Rational(1, 4), 1], [roots])
p.numeric("package's batch_fluid_ratio is the formula", lambda x: abs(batch_fluid_ratio(*x)
          - float(fluid.subs({a: x[0], r: x[1]}))) < 1e-12, [(0.25, 2.0), (1 / 9, 3.0), (0.5, 30.0)])
p.displayed("batch reading, alpha = 1/9: fluid limit at the construction vs the claimed lower bound",
            lower.subs(a, sp.Rational(1, 9)), fluid.subs({a: sp.Rational(1, 9), r: 3}), needed_holds=False,
            what="13.5 < 18: the construction is not a witness")
df = c2_curve([4010, 16040], l=100, u=400, readings=("refill",), ties=("random", "adversarial"), batches=20,
              seeds=range(2))
worst = float(df.ratio.max())
p.note("refill reading (the slides' 'at each time t'), [100, 400], s = 1, M = 4010, 16040",
       f"max A_max/H-SF {worst:.3f} against the claimed lower bound {amax_lower_bound(0.25):.1f}")
p.numeric("refill: the construction stays below the claimed lower bound", lambda w: w < amax_lower_bound(0.25),
          [worst])
p.finish()

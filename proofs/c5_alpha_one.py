"""C5: with alpha = 1 (a single output length) the A_min competitive ratio is 1 (Chen, Ye, Zhou)."""

import sympy as sp

from lpsched.proof import Proof
from lpsched.ratio import competitive_ratio

k = sp.Symbol("k", positive=True)
p = Proof("C5", "alpha = 1 gives CR(A_min) = 1")
a_kk = k**2 / (k * k) * ((2 * k) ** 2 / 2 - k**2)
p.equal("a_kk = k^2", a_kk, k**2)
p.equal("quotient on one index: a_kk x^2 / (b_kk x^2) = 1", a_kk / k**2, 1)
p.numeric("solver value on single-index sets is 1", lambda v: abs(competitive_ratio(indices=[v]).value - 1) < 1e-12,
          [1, 2, 17, 1000])
p.numeric("index sets {l..u} with u/l -> 1 approach 1", lambda l: competitive_ratio(l + 1, lower=l).value < 1 + 0.5 / l,
          [10, 100, 1000])
p.finish()

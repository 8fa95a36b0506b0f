"""W3: the slide's two-type family and SF/A >= (2/13) sqrt(M) (Wang, Ye, Zhou, slides).

The slide sums TCT(SF) and TCT(A) (type-2-first) with X = M type-1 requests (s = sqrt(M)-1, o = 1) and
Y = M^1.5 type-2 requests (s = 1, o = 2); its final fraction omits the type-2 requests' own completion times
(about 3 M^2 in both TCTs).  Redone exactly, SF/A tends to 4/3.  Simulation agrees to 4 digits.
"""

import math

import sympy as sp

from lpsched.proof import Proof
from lpsched.sortedf.studies import w3_simulate, w3_slide_algebra

p = Proof("W3", "SF/A >= (2/13) sqrt(M) on the slide's two-type family")
alg = w3_slide_algebra()
m = sp.Symbol("m", positive=True)
for key, val in alg.items():
    p.note(key, sp.sstr(val))
ratio = alg.get("exact_ratio")
if ratio is not None:
    p.equal("limit of the exact SF/A as M -> oo", sp.limit(ratio, list(ratio.free_symbols)[0], sp.oo), sp.Rational(4, 3))
df = w3_simulate([64, 256, 1024])
for M, r in zip(df.M, df["sf/type2_first"]):
    p.counterexample(f"M = {M}: simulated SF/A >= (2/13) sqrt(M)", f"{r:.4f} vs {2 / 13 * math.sqrt(M):.3f}",
                     holds=r >= 2 / 13 * math.sqrt(M))
p.finish()

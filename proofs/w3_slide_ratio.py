"""W3 example: the slides' two-type family and TCT(SF)/TCT(A) >= (2/13) sqrt(M) (Wang, Ye, Zhou).

The slide sums TCT(SF) and TCT(A) (type-2-first) with X = M type-1 requests (s = sqrt(M) - 1, o = 1) and
Y = M^1.5 type-2 requests (s = 1, o = 2); its final fraction omits the type-2 requests' own completion times
(about 3 M^2 in both TCTs).  Derived exactly, SF/A tends to 4/3: the displayed bound is a false step for the
example (verdict: proof step flawed).  The proposition it serves (no constant ratio for SF) still holds with
another family (lpsched verify --only W3).
"""

import math

import sympy as sp

from lpsched.proof import Proof
from lpsched.sortedf.studies import w3_simulate, w3_slide_algebra

p = Proof("W3.example", "SF/A >= (2/13) sqrt(M) on the slide's two-type family")
alg = w3_slide_algebra()
m = sp.Symbol("m", positive=True, integer=True)
for key in ("tct_sf", "tct_a", "type2_self_term"):
    p.note(key, sp.sstr(alg[key]))
ratio = alg["exact_ratio"]
p.equal("limit of the derived SF/A as M -> oo", sp.limit(ratio, list(ratio.free_symbols)[0], sp.oo), sp.Rational(4, 3))
p.displayed("the slide's fraction divided by sqrt(M), as M -> oo", alg["limit_slide_over_sqrtM"], 0,
            needed_holds=False, what="the derived ratio stays bounded (-> 4/3), so it is not >= (2/13) sqrt(M)")
df = w3_simulate([64, 256, 1024], policies=("sf", "type2_first"))
for M, r in zip(df.M, df["sf/type2_first"]):
    p.note(f"M = {M}: simulated SF/A", f"{r:.4f} vs (2/13) sqrt(M) = {2 / 13 * math.sqrt(M):.3f}")
p.finish()

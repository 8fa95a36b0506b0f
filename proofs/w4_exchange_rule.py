"""W4: exchange rule -- run batch 1 before batch 2 iff o1/n1 < o2/n2 (Wang, Ye, Zhou, slides).

Algebra (sympy): with batches run one after the other, TCT(1 first) - TCT(2 first) = n2 o1 - n1 o2, whose
sign is that of o1/n1 - o2/n2.  Under the KV-cache model batches may overlap (the second starts as memory
frees up), and then brute force finds cases where the rule picks the worse order.
"""

import sympy as sp

from lpsched.proof import Proof
from lpsched.sortedf.studies import w4_exchange_bruteforce

o1, o2, n1, n2 = sp.symbols("o1 o2 n1 n2", positive=True)
p = Proof("W4", "batch 1 first iff o1/n1 < o2/n2")
first1 = n1 * o1 + n2 * (o1 + o2)
first2 = n2 * o2 + n1 * (o2 + o1)
p.equal("TCT difference of the two orders (sequential batches)", first1 - first2, n2 * o1 - n1 * o2)
p.equal("equals n1 n2 (o1/n1 - o2/n2): the rule, for n1, n2 > 0", n2 * o1 - n1 * o2, n1 * n2 * (o1 / n1 - o2 / n2))
df = w4_exchange_bruteforce()
exact = df[df.formula_exact]
p.numeric("simulated TCTs equal the formula whenever batches do not overlap: rule right there",
          lambda row: bool(row.rule_ok), [r for _, r in exact.iterrows()])
bad = df[~df.rule_ok]
if len(bad):
    c = bad.iloc[0]
    p.counterexample("the rule under the KV-cache model (batches may overlap)",
                     f"M = {c.M}: batch 1 = {c.n1} x (s={c.s1}, o={c.o1}), batch 2 = {c.n2} x (s={c.s2}, o={c.o2}); "
                     f"rule says batch {'1' if c.o1 * c.n2 < c.o2 * c.n1 else '2'} first; TCT 1-first {c.tct_1_first}, "
                     f"2-first {c.tct_2_first} ({len(bad)} of {len(df)} cases wrong)", holds=False)
p.finish()

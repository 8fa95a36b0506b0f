"""W4: exchange rule -- run batch 1 before batch 2 iff o1/n1 < o2/n2 (Wang, Ye, Zhou, slides).

The slide's own TCT, o1 n1 + o2 n2 + o1 n2, is the model of batches run one after the other.  There
(sympy) TCT(1 first) - TCT(2 first) = n2 o1 - n1 o2, whose sign is that of o1/n1 - o2/n2: the rule holds,
and simulation agrees on every case.  Under the KV-cache model batches may overlap (the second starts as
memory frees up); the cases where the rule then picks the worse order are outside the claim's model: a note.
"""

import sympy as sp

from lpsched.proof import Proof
from lpsched.sortedf.studies import w4_exchange_bruteforce

o1, o2, n1, n2 = sp.symbols("o1 o2 n1 n2", positive=True)
p = Proof("W4", "batch 1 first iff o1/n1 < o2/n2 (batches run one after the other)")
first1 = n1 * o1 + n2 * (o1 + o2)
first2 = n2 * o2 + n1 * (o2 + o1)
p.equal("TCT difference of the two orders (sequential batches)", first1 - first2, n2 * o1 - n1 * o2)
p.equal("equals n1 n2 (o1/n1 - o2/n2): the rule, for n1, n2 > 0", n2 * o1 - n1 * o2, n1 * n2 * (o1 / n1 - o2 / n2))
df = w4_exchange_bruteforce()
exact = df[df.formula_exact]
p.numeric("simulated, batches not overlapping: the rule picks a best order",
          lambda row: bool(row.rule_ok), [r for _, r in exact.iterrows()])
bad = df[~df.rule_ok]
if len(bad):
    c = bad.iloc[0]
    p.counterexample("the rule when batches overlap",
                     f"M = {c.M}: batch 1 = {c.n1} x (s={c.s1}, o={c.o1}), batch 2 = {c.n2} x (s={c.s2}, o={c.o2}); "
                     f"TCT 1-first {c.tct_1_first}, 2-first {c.tct_2_first} ({len(bad)} of {len(df)} cases wrong)",
                     holds=False, in_model=False)
p.finish()

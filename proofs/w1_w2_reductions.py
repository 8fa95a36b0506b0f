"""W1 and W2: the Partition and 3-Partition reductions of Wang, Ye, Zhou under the s + o memory model.

With o_i = 1 a request started at p holds s_i + 1 tokens at p + 1, so a batch B needs sum_B s + |B| memory.
The literal constructions (M = T) count sum_B s only and fail; the corrected ones (W1: s = 2x - 1, M = 2T;
W2: M = T + 3) restore "YES iff target".  Steps: the algebra of each direction in sympy, then exact solves
of generated YES and NO instances (lpsched.exact.reductions.verify).
"""

import sympy as sp

from lpsched.exact.reductions import verify
from lpsched.proof import Proof

p = Proof("W1/W2", "the literal reductions (M = T) prove NP-hardness under the s + o memory model")
t, m, T, k = sp.symbols("t m T k", positive=True, integer=True)

# W2 target: m batches of three finishing at 1..m
p.equal("W2 target: sum_{t=1}^m 3t = 3m(m+1)/2", sp.summation(3 * t, (t, 1, m)), 3 * m * (m + 1) / 2)
# W2 literal: a YES triple (sum x = T) needs T + 3 > M = T
p.nonnegative("W2 literal: a triple of sum T needs T + 3 - M = 3 > 0 beyond M = T, so no batch of three fits", sp.Integer(3))
# W2 corrected, M = T + 3: four items each > T/4 need more than T + 4 > M
x1, x2, x3, x4 = sp.symbols("x1:5", positive=True)
e = sp.Symbol("e", positive=True)  # x_i = T/4 + e_i with e_i > 0
four = sum(T / 4 + sp.Symbol(f"e{i}", positive=True) for i in range(4)) + 4 - (T + 3)
p.nonnegative("W2 corrected: four requests need sum x + 4 - (T + 3) = 1 + sum e_i > 0 beyond M = T + 3", four)
p.equal("W2 corrected: a triple of sum T needs exactly T + 3 = M", (T + 3) - (T + 3), 0)
# W1 literal: two batches hold 2T + k > 2M = 2T
p.nonnegative("W1 literal: two batches need 2T + k - 2T = k > 0 beyond two memories", k)
# W1 corrected: s = 2x - 1 gives a batch memory sum (s + 1) = 2 sum x
xs = sp.symbols("y1:6", positive=True)
p.equal("W1 corrected: sum (2x - 1 + 1) = 2 sum x", sum((2 * xi - 1) + 1 for xi in xs), 2 * sum(xs))

for v in verify("both", count=8):
    name = f"{v.claim} {v.construction}"
    desc = (f"YES reaching target {v.yes_reaching_target}/{v.yes_cases}, NO reaching it "
            f"{v.no_reaching_target}/{v.no_cases}")
    if v.counterexample:
        ce = v.counterexample
        desc += f"; e.g. x = {ce['x']}: optimum {ce['optimum']} vs target {ce['target']} ({ce['answer']})"
    if v.construction == "literal":
        p.counterexample(f"{name}: YES iff target (exact solves)", desc, holds=v.holds)
    else:
        p.numeric(f"{name}: YES iff target (exact solves)", lambda ok: ok, [v.holds])
        p.note(f"{name} detail", desc)
p.finish()

"""W1 and W2: "Minimizing the makespan / the total completion time is NP-hard" (Wang, Ye, Zhou, slides).

With o_i = 1 a request started at p holds s_i + 1 tokens at p + 1 (the slides' own "memory usage =
s_i + t - p_i"), so a batch B needs sum_B s + |B| memory, not sum_B s.  The slides' constructions
(M = T) count sum_B s only: the displayed batch memory is a false step for the construction, and the
iff fails on every YES instance.  The theorems still hold: the repaired constructions (W1: s = 2x - 1,
M = 2T; W2: M = T + 3) restore "YES iff target" (proofs in lpsched/exact/reductions.py), which the exact
solves below confirm.  Verdict of the theorems: holds with a repaired proof.
"""

import sympy as sp

from lpsched.exact.reductions import verify
from lpsched.proof import Proof

p = Proof("W1/W2", "makespan and TCT minimisation are NP-hard (Partition, 3-Partition reductions)")
t, m, T, k = sp.symbols("t m T k", positive=True, integer=True)
x = sp.IndexedBase("x")
i = sp.Symbol("i", integer=True)

# the memory a batch of k one-token requests holds at its completion, from 'memory usage = s_i + t - p_i'
held = sp.summation(x[i] + 1, (i, 1, k))
p.displayed("W1 construction: memory of a batch S_1 of sum T (k requests)", T, T + k, needed_holds=True,
            what="sum_B (x_i + 1) = " + sp.sstr(held) + "; repaired by s = 2x - 1, M = 2T (below)")
p.equal("W1 repaired: a batch holds sum (2x_i - 1 + 1) = 2 sum x_i", sp.summation((2 * x[i] - 1) + 1, (i, 1, k)),
        2 * sp.summation(x[i], (i, 1, k)))
p.displayed("W2 construction: memory of a triple of sum T", T, T + 3, needed_holds=True,
            what="repaired by M = T + 3 (below)")
four = sum(T / 4 + sp.Symbol(f"e{j}", positive=True) for j in range(4)) + 4 - (T + 3)
p.nonnegative("W2 repaired: four requests (each x > T/4) exceed M = T + 3 by 1 + sum e_i > 0", four)
p.equal("W2 target: m full triples finish at 1..m: sum_{t=1}^m 3t = 3m(m+1)/2", sp.summation(3 * t, (t, 1, m)),
        3 * m * (m + 1) / 2)

for v in verify("both", count=8):
    desc = (f"YES reaching target {v.yes_reaching_target}/{v.yes_cases}, NO reaching it "
            f"{v.no_reaching_target}/{v.no_cases}")
    if v.counterexample:
        ce = v.counterexample
        desc += f"; e.g. x = {ce['x']}: optimum {ce['optimum']} vs target {ce['target']} ({ce['answer']})"
    if v.construction == "literal":
        p.note(f"{v.claim} slides' construction (exact solves)", desc)
    else:
        p.numeric(f"{v.claim} repaired construction: YES iff target (exact solves)", lambda ok: ok, [v.holds])
        p.note(f"{v.claim} repaired detail", desc)
p.finish()

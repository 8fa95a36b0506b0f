"""C3/C4: the closed forms behind the O(u) products A_u x and B_u x (Chen, Ye, Zhou, arXiv 2508.14544).

a_ij = min(i,j)^2/(ij) ((i+j)^2/2 - min(i,j)^2) splits, for j <= i, into i j/2 + j^2 - j^3/(2i); and
b_ij = min(i,j)^2 = sum_{k <= min(i,j)} (v_k^2 - v_{k-1}^2), i.e. B = L D L' with D > 0 (B positive definite).
The script proves both identities in sympy and checks lpsched.ratio's O(u) products against dense ones.
"""

import numpy as np
import sympy as sp

from lpsched.proof import Proof
from lpsched.ratio import a_matvec, b_matvec, competitive_ratio, dense_matrices

i, j = sp.symbols("i j", positive=True)
p = Proof("C4 closed forms", "A_u x and B_u x in O(u) by prefix and suffix sums")

a_ij_j_le_i = j**2 / (i * j) * ((i + j) ** 2 / 2 - j**2)
p.equal("a_ij for j <= i", a_ij_j_le_i, i * j / 2 + j**2 - j**3 / (2 * i))
a_ij_i_le_j = i**2 / (i * j) * ((i + j) ** 2 / 2 - i**2)
p.equal("a_ij for i <= j", a_ij_i_le_j, i * j / 2 + i**2 - i**3 / (2 * j))
p.equal("diagonal a_ii = i^2 = b_ii", a_ij_j_le_i.subs(j, i), i**2)
p.nonnegative("the negative term is at most half the positive ones: i j/2 + j^2 - 2 j^3/(2i) >= 0 for j <= i",
              sp.factor((i * j / 2 + j**2 - j**3 / i).subs(i, j + sp.Symbol("d", nonnegative=True))))
k = sp.Symbol("k", positive=True, integer=True)
m = sp.Symbol("m", positive=True, integer=True)
p.equal("telescoping: sum_{k=1}^m (k^2 - (k-1)^2) = m^2", sp.summation(k**2 - (k - 1) ** 2, (k, 1, m)), m**2)

rng = np.random.default_rng(0)


def products_agree(u):
    v = np.arange(1, u + 1)
    A, B = dense_matrices(v)
    x = rng.random(u)
    return (np.allclose(a_matvec(v, x), A @ x, rtol=1e-12, atol=0)
            and np.allclose(b_matvec(v, x), B @ x, rtol=1e-12, atol=0))


p.numeric("O(u) products equal the dense products", products_agree, [2, 3, 10, 57, 400])
p.numeric("B = L D L' is positive definite", lambda u: np.linalg.eigvalsh(dense_matrices(np.arange(1, u + 1))[1]).min() > 0,
          [2, 5, 40])
p.numeric("the maximiser is entrywise positive (constraint x > 0 inactive)",
          lambda u: competitive_ratio(u).certified, [2, 4, 10, 100, 1000])
p.finish()

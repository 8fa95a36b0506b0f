"""NP-hardness reductions of Wang, Ye, Zhou (arXiv 2508.06133) checked under the ``s + o`` memory model.

Layer: algorithms.

Claims W1 and W2 (:mod:`lpsched.claims.wang_ye_zhou`).  Every request here has ``o_i = 1``: started at ``p`` it holds
``s_i + 1`` tokens at ``p + 1`` and nothing afterwards, so a schedule is a sequence of *batches* (the
requests started at the same time), and a batch ``B`` is feasible iff ``sum_{i in B} (s_i + 1) <= M``.
A batch of ``k`` requests thus needs ``sum s + k`` memory, not ``sum s``.  The seed constructions count
``sum s`` only (they hold for a model in which a one-token request holds only its prompt); under the
model of this package they fail, and the corrected ones below restore the "iff".

W1 -- Partition to makespan
---------------------------
Partition: positive integers ``x_1..x_k`` with ``sum x = 2T``; YES iff some subset sums to ``T``.

* *literal* (seed): ``s_i = x_i``, ``o_i = 1``, ``M = T``; claim: YES iff the optimal makespan is 2.
  Under the ``s + o`` model a batch ``B`` holds ``sum_B x + |B|``; two batches would hold
  ``2T + k > 2M``, so makespan 2 is impossible for every instance: the claim fails on every YES instance.
* *corrected*: ``s_i = 2 x_i - 1``, ``o_i = 1``, ``M = 2T``.  A batch holds ``sum_B (s_i + 1) = 2 sum_B x``.
  **Proof.** Makespan <= 2 iff the requests split into two batches (starting at 0 and 1), each of
  memory ``2 sum_B x <= 2T``, i.e. each of sum at most ``T``; as the sums add to ``2T`` both equal ``T``:
  a partition.  One batch never suffices (``2 * 2T > 2T``), so YES iff the optimal makespan is exactly 2.
  Request validity: ``s_i + o_i = 2 x_i <= 2T`` as ``x_i <= T`` (otherwise the answer is trivially NO and
  the builder refuses the instance).

W2 -- 3-Partition to total completion time
------------------------------------------
3-Partition: ``3m`` integers with ``T/4 < x_i < T/2`` and ``sum x = mT``; YES iff they split into ``m``
triples of sum ``T``.

* *literal* (seed): ``s_i = x_i``, ``o_i = 1``, ``M = T``; claim: YES iff the optimal TCT is
  ``3 m (m + 1) / 2`` (``m`` batches of three finishing at ``1, ..., m``).  Under ``s + o`` a triple needs
  ``T + 3 > M``: batches have at most two requests, so the claim fails on every YES instance
  (x = 6, 7, 7, 6, 7, 7, T = 20, m = 2: optimum 12, not 9).
* *corrected*: ``M = T + 3`` (same ``s_i = x_i``, ``o_i = 1``).
  **Proof.** A batch of four would hold ``sum x + 4 > T + 4`` (each ``x > T/4``), more than ``M``: every
  batch has at most three requests.  With batches of sizes ``b_1, b_2, ...`` at times ``0, 1, ...``
  (idle steps only make it worse), TCT ``= sum_t t b_t`` over ``3m`` requests with ``b_t <= 3``, which is
  at least ``3 (1 + ... + m) = 3m(m+1)/2``, with equality iff ``b_1 = ... = b_m = 3``.  A triple fits iff
  ``sum x + 3 <= T + 3``, i.e. ``sum x <= T``; ``m`` triples with total ``mT`` then all have sum ``T``.
  Hence TCT ``= 3m(m+1)/2`` iff YES (the lower bound ``x_i < T/2`` is not needed).

:func:`verify` builds YES and NO instances (answers decided by exact subset enumeration, independent
of the scheduler), solves each scheduling instance exactly and reports whether "YES iff target" holds.

>>> lit = three_partition_instance([6, 7, 7, 6, 7, 7], 20, corrected=False)
>>> fix = three_partition_instance([6, 7, 7, 6, 7, 7], 20, corrected=True)
>>> from lpsched.exact import solve
>>> solve(lit, backend="bruteforce").objective, solve(fix, backend="bruteforce").objective
(12, 9)
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import numpy as np

from ..model import Instance

__all__ = ["partition_instance", "three_partition_instance", "has_partition", "has_three_partition",
           "partition_cases", "three_partition_cases", "verify", "Verdict", "CONSTRUCTIONS"]


# ---------------------------------------------------------------------------------------- builders
def partition_instance(x, corrected: bool = True) -> Instance:
    """W1 scheduling instance for Partition items ``x`` (even sum); target makespan 2."""
    x = np.asarray(x, dtype=np.int64)
    total = int(x.sum())
    if len(x) < 2 or total % 2 or np.any(x < 1):
        raise ValueError(f"x = {x.tolist()}: need >= 2 positive items with an even sum")
    T = total // 2
    if np.any(x > T):
        raise ValueError(f"x = {x.tolist()}: an item exceeds T = {T} (trivially NO)")
    if corrected:
        return Instance(2 * T, 2 * x - 1, np.ones(len(x), np.int64), name=f"W1-corrected {x.tolist()}")
    if np.any(x + 1 > T):
        raise ValueError(f"x = {x.tolist()}: literal construction needs x_i + 1 <= T = {T}")
    return Instance(T, x, np.ones(len(x), np.int64), name=f"W1-literal {x.tolist()}")


def three_partition_instance(x, T: int, corrected: bool = True) -> Instance:
    """W2 scheduling instance for 3-Partition items ``x`` (``3m`` items, sum ``mT``, ``T/4 < x < T/2``);
    target TCT ``3m(m+1)/2``."""
    x = np.asarray(x, dtype=np.int64)
    if len(x) % 3 or len(x) == 0:
        raise ValueError(f"3-Partition needs 3m items, got {len(x)}")
    m = len(x) // 3
    if int(x.sum()) != m * T:
        raise ValueError(f"sum x = {int(x.sum())} != m T = {m * T}")
    if np.any(4 * x <= T) or np.any(2 * x >= T):
        raise ValueError(f"items must satisfy T/4 < x < T/2 with T = {T}: {x.tolist()}")
    M = T + 3 if corrected else T
    return Instance(M, x, np.ones(len(x), np.int64), name=f"W2-{'corrected' if corrected else 'literal'} {x.tolist()}")


# ---------------------------------------------------------------------------------------- answers
def has_partition(x) -> bool:
    """Exact subset-sum: does some subset of ``x`` sum to half the total?"""
    x = [int(v) for v in x]
    total = sum(x)
    if total % 2:
        return False
    reach = 1
    for v in x:
        reach |= reach << v
    return bool(reach >> (total // 2) & 1)


def has_three_partition(x, T: int) -> bool:
    """Exact search: do the ``3m`` items split into ``m`` triples of sum ``T``?"""
    items = sorted((int(v) for v in x), reverse=True)

    def rec(rest):
        if not rest:
            return True
        first, others = rest[0], rest[1:]
        for j, k in itertools.combinations(range(len(others)), 2):
            if first + others[j] + others[k] == T:
                left = [v for idx, v in enumerate(others) if idx not in (j, k)]
                if rec(left):
                    return True
        return False

    return rec(items)


def partition_cases(count: int, seed: int = 0, k_range=(4, 7), high: int = 9):
    """``count`` Partition instances (about half YES), each ``(x, answer)``; items ``1..high``."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        k = int(rng.integers(k_range[0], k_range[1] + 1))
        want_yes = len(out) % 2 == 0
        if want_yes:
            x = rng.integers(1, high + 1, k)
            cut = int(rng.integers(1, k))
            a, b = x[:cut], x[cut:]
            diff = int(a.sum() - b.sum())
            x = np.r_[a, b, [abs(diff)]] if diff else x          # pad the lighter side
            x = x[x > 0]
        else:
            x = rng.integers(1, high + 1, k)
        if int(x.sum()) % 2 or np.any(x + 1 > x.sum() // 2):
            continue
        ans = has_partition(x)
        if ans == want_yes:
            out.append((x.tolist(), ans))
    return out


def three_partition_cases(count: int, seed: int = 0, m_values=(2, 3), T_range=(12, 24)):
    """``count`` 3-Partition instances (about half YES), each ``(x, T, answer)``."""
    rng = np.random.default_rng(seed)
    out = []
    tries = 0
    while len(out) < count:
        tries += 1
        if tries > 200000:
            raise RuntimeError("could not generate enough 3-Partition cases")
        m = int(m_values[len(out) % len(m_values)])
        T = int(rng.integers(T_range[0], T_range[1] + 1))
        lo, hi = T // 4 + 1, (T - 1) // 2          # T/4 < x < T/2
        if lo > hi:
            continue
        want_yes = len(out) % 4 < 2
        if want_yes:
            x = []
            for _ in range(m):
                a = int(rng.integers(lo, hi + 1)); b = int(rng.integers(lo, hi + 1)); c = T - a - b
                if not lo <= c <= hi:
                    break
                x += [a, b, c]
            if len(x) != 3 * m:
                continue
            x = rng.permutation(x)
        else:
            x = rng.integers(lo, hi + 1, 3 * m)
            x[-1] = m * T - int(x[:-1].sum())
            if not lo <= x[-1] <= hi:
                continue
        ans = has_three_partition(x, T)
        if ans == want_yes:
            out.append(([int(v) for v in x], T, ans))
    return out


# ---------------------------------------------------------------------------------------- verifier
@dataclass(frozen=True)
class Verdict:
    """Outcome of checking one construction: does "YES iff objective == target" hold on every case?"""

    claim: str
    construction: str
    yes_cases: int
    no_cases: int
    yes_reaching_target: int     # YES instances whose optimum equals the target (should be all)
    no_reaching_target: int      # NO instances whose optimum equals the target (should be none)
    holds: bool
    counterexample: dict | None = None
    optima: list = field(default_factory=list, repr=False)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "optima"}


CONSTRUCTIONS = ("literal", "corrected")


def verify(claim: str = "both", count: int = 12, seed: int = 0, backend: str = "cpsat",
           time_limit: float = 30.0) -> list[Verdict]:
    """Exact-solve generated YES and NO instances of W1 and/or W2 under both constructions."""
    from . import solve

    claims = {"W1": "W1", "W2": "W2", "both": None}
    if claim not in claims:
        raise ValueError(f"unknown claim {claim!r}; valid: W1, W2, both")
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 2:
        raise ValueError(f"count = {count!r} must be an integer >= 2 (one YES and one NO instance per claim)")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed = {seed!r} must be an integer >= 0")
    out = []
    todo = ["W1", "W2"] if claim == "both" else [claim]
    for c in todo:
        if c == "W1":
            cases = [(x, None, ans) for x, ans in partition_cases(count, seed)]
        else:   # the known case first, then generated ones
            cases = [([6, 7, 7, 6, 7, 7], 20, True)] + three_partition_cases(count, seed)
        for construction in CONSTRUCTIONS:
            t0 = time.perf_counter()
            corrected = construction == "corrected"
            yes = no = yes_hit = no_hit = 0
            counter = None
            optima = []
            for x, T, ans in cases:
                if c == "W1":
                    inst = partition_instance(x, corrected)
                    target, objective = 2, "makespan"
                else:
                    inst = three_partition_instance(x, T, corrected)
                    m = len(x) // 3
                    target, objective = 3 * m * (m + 1) // 2, "tct"
                res = solve(inst, backend=backend, objective=objective, time_limit=time_limit,
                            on_interrupt="raise")
                if res.status != "optimal":
                    raise RuntimeError(f"{c} {construction} {x}: not solved to optimality ({res})")
                optima.append(res.objective)
                hit = res.objective == target
                yes += ans
                no += not ans
                yes_hit += ans and hit
                no_hit += (not ans) and hit
                if hit != ans and counter is None:
                    counter = {"x": x, "T": T, "answer": "YES" if ans else "NO", "memory": inst.memory,
                               "optimum": res.objective, "target": target,
                               "start": res.schedule.start.tolist()}
            out.append(Verdict(c, construction, yes, no, yes_hit, no_hit, counter is None, counter, optima,
                               time.perf_counter() - t0))
    return out

"""numpy's ``Generator.integers(r)`` inside a kernel, draw for draw.

Layer: engine (compiled helpers of :mod:`lpsched.kernels`).

The engine hands every policy a ``numpy.random.default_rng(seed)``: a PCG64 bit generator.  A kernel
that breaks a random tie must consume that stream exactly as the Python policy does.  The estimate
family's random ties (:mod:`lpsched.policies.robust`, "Ties") draw one position at a time: the Python
policy calls ``rng.integers(r)`` for a uniform position among the ``r`` members left, and :func:`bounded`
reimplements the pieces numpy uses for that call (``numpy/random/_bounded_integers.pyx``, ``_rand_int64``;
``numpy/random/src/distributions/distributions.c``, ``random_bounded_uint64_fill`` and
``buffered_bounded_lemire_uint32``; ``pcg64.h``):

* PCG64 (XSL-RR 128/64): ``state = state * MULT + inc`` (mod 2^128), output
  ``rotr64(hi ^ lo, hi >> 58)`` of the new state; ``next_uint32`` returns the low half of a fresh 64-bit
  output and keeps the high half for the next call (``has_uint32``, ``uinteger``);
* ``integers(r)`` with ``1 < r < 2^32``: Lemire's multiply-shift on 32 bits.  ``m = next_uint32() * r``
  (64-bit product); while the low 32 bits of ``m`` are below ``(2^32 - r) mod r`` (tested only when
  they are below ``r``), draw again; the answer is ``m >> 32``.  ``r = 1`` draws nothing (the answer is
  0) and ``r = 2^32`` is one ``next_uint32``.  (``shuffle`` and ``permutation`` use another bounded
  method, masked rejection: not the same numbers.)

The generator's state travels as six ``uint64`` (:func:`pcg_state`) and is written back after the run
(:func:`pcg_restore`), so the Python object ends where the Python policy would have left it.  Numba's own
``Generator`` support gives the same numbers, but compiling it costs about 10 s per call site.
"""

from __future__ import annotations

import numpy as np

from ._jit import kernel

_MULT_HI = np.uint64(2549297995355413924)
_MULT_LO = np.uint64(4865540595714422341)
_M32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_S58 = np.uint64(58)
_S63 = np.uint64(63)
_ONE = np.uint64(1)
_ZERO = np.uint64(0)


def pcg_state(rng: np.random.Generator) -> np.ndarray | None:
    """``[state_hi, state_lo, inc_hi, inc_lo, has_uint32, uinteger]`` of a PCG64 generator (``None`` for
    another bit generator: the caller then runs the Python engine)."""
    st = rng.bit_generator.state
    if st.get("bit_generator") != "PCG64":
        return None
    mask = (1 << 64) - 1
    s, inc = st["state"]["state"], st["state"]["inc"]
    return np.array([s >> 64, s & mask, inc >> 64, inc & mask, st["has_uint32"], st["uinteger"]], dtype=np.uint64)


def pcg_restore(rng: np.random.Generator, arr: np.ndarray) -> None:
    """Set ``rng`` to the state ``arr`` (after a kernel run)."""
    v = [int(x) for x in arr]
    rng.bit_generator.state = {"bit_generator": "PCG64", "state": {"state": (v[0] << 64) | v[1],
                                                                   "inc": (v[2] << 64) | v[3]},
                               "has_uint32": v[4], "uinteger": v[5]}


@kernel
def _mulhi(a, b):
    """High 64 bits of the 128-bit product of two ``uint64``."""
    a0 = a & _M32
    a1 = a >> _S32
    b0 = b & _M32
    b1 = b >> _S32
    p00 = a0 * b0
    p01 = a0 * b1
    p10 = a1 * b0
    mid = (p00 >> _S32) + (p01 & _M32) + (p10 & _M32)
    return a1 * b1 + (p01 >> _S32) + (p10 >> _S32) + (mid >> _S32)


@kernel
def next_uint64(rs):
    hi, lo = rs[0], rs[1]
    new_lo = lo * _MULT_LO
    new_hi = _mulhi(lo, _MULT_LO) + lo * _MULT_HI + hi * _MULT_LO
    lo2 = new_lo + rs[3]
    carry = _ONE if lo2 < new_lo else _ZERO
    hi2 = new_hi + rs[2] + carry
    rs[0] = hi2
    rs[1] = lo2
    x = hi2 ^ lo2
    r = hi2 >> _S58
    return (x >> r) | (x << ((_ZERO - r) & _S63))


@kernel
def next_uint32(rs):
    if rs[4]:
        rs[4] = _ZERO
        return rs[5]
    v = next_uint64(rs)
    rs[4] = _ONE
    rs[5] = v >> _S32
    return v & _M32


@kernel
def bounded(rs, r):
    """A uniform integer in ``[0, r)`` (``1 <= r <= 2^32``), as ``Generator.integers(r)``: no draw when
    ``r = 1``, else Lemire's method on ``next_uint32`` (module docstring)."""
    if r == 1:
        return 0
    if r == 1 << 32:
        return np.int64(next_uint32(rs))
    excl = np.uint64(r)
    m = next_uint32(rs) * excl
    left = m & _M32
    if left < excl:
        threshold = (_M32 - (excl - _ONE)) % excl
        while left < threshold:
            m = next_uint32(rs) * excl
            left = m & _M32
    return np.int64(m >> _S32)



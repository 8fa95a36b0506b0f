"""Shared strategies and helpers for the tests."""

import numpy as np
from hypothesis import strategies as st

from lpsched import Instance


@st.composite
def instances(draw, max_n: int = 8, max_memory: int = 40, arrivals: bool | None = None):
    """Small random instances; arrivals on or off (or either, when ``arrivals`` is None)."""
    M = draw(st.integers(4, max_memory))
    n = draw(st.integers(1, max_n))
    s = [draw(st.integers(1, M - 1)) for _ in range(n)]
    o = [draw(st.integers(1, M - si)) for si in s]
    online = draw(st.booleans()) if arrivals is None else arrivals
    a = [draw(st.integers(0, 3 * M)) for _ in range(n)] if online else [0] * n
    return Instance(M, s, o, a)


def random_instance(rng: np.random.Generator, n: int, M: int, online: bool) -> Instance:
    s = rng.integers(1, max(2, M // 3), n)
    o = np.array([rng.integers(1, M - si + 1) for si in s])
    a = rng.integers(0, 4 * M, n) if online else None
    return Instance(M, s, o, a)


def tiny_instance(seed: int, max_n: int = 5, memory=(4, 13), max_s: int = 3, max_o: int = 5,
                  arrival_share: float = 0.4) -> Instance:
    """A tiny seeded instance: n <= max_n, M in [memory), s <= max_s, o <= max_o, arrivals in some cases."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, max_n + 1))
    M = int(rng.integers(*memory))
    s = np.minimum(rng.integers(1, max_s + 1, n), M - 1)
    o = np.array([rng.integers(1, min(max_o, M - si) + 1) for si in s])
    a = rng.integers(0, 5, n) if rng.random() < arrival_share else None
    return Instance(M, s, o, a)


WORKED = dict(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])  # the worked example of docs/model.md

"""Seeded synthetic workloads (the inputs of ``docs/model.md``).

Layer: model.

Every generator takes ``seed`` (an int or a ``numpy.random.Generator``) and returns an
:class:`~lpsched.model.Instance`; the same seed gives the same instance.

* :func:`uniform` — Jaillet et al. (arXiv 2502.07115) synthetic study: ``M ~ U[30, 50]``,
  ``s ~ U[1, 5]``, ``o ~ U[1, M - s]``.
* :func:`lmsys_like` — conversation lengths matching the published statistics of the 2,000-conversation
  LMSYS-Chat-1M sample used by the A_min experiments (prompt 1–468, mean 41, median 11, variance 4,961;
  output 1–883, mean 85, median 43, variance 9,702): a rounded log-normal truncated to the published
  range, with ``(mu, sigma)`` fitted to those figures (achieved: prompt mean 40.4, median 11, variance
  5,152; output mean 79.9, median 45, variance 10,440; ``tests/test_workloads.py`` checks them).
* :func:`arxiv` — prompt/output pairs drawn from the shipped arXiv-summarization lengths (Cohan et al.
  2018, Llama-2 tokenizer; via microsoft/vidur, MIT licence).
* :func:`mixed` — conversation + summarization, the mixed workload of the Sorted-F experiments.
* :func:`two_type` — two homogeneous request types (the W3 adversarial family and its relatives).
* :func:`poisson_arrivals`, :func:`bursty_arrivals` and :func:`with_arrivals` — online arrivals.

>>> from lpsched import workloads
>>> inst = workloads.uniform(8, seed=1)
>>> inst.n, 30 <= inst.memory <= 50
(8, True)
"""

from __future__ import annotations

import numpy as np

from .model import Instance, InstanceError, int_column
from .traces import arxiv_lengths

__all__ = ["uniform", "lmsys_like", "arxiv", "mixed", "two_type", "poisson_arrivals", "bursty_arrivals",
           "with_arrivals", "generate", "GENERATORS", "LMSYS_PROMPT", "LMSYS_OUTPUT", "rng_of", "MAX_REQUESTS"]

# (mu, sigma, max) of the rounded, truncated log-normal; fitted as described in the module docstring.
LMSYS_PROMPT = (2.523, 1.975, 468)
LMSYS_OUTPUT = (3.811, 1.125, 883)


def rng_of(seed) -> np.random.Generator:
    """``numpy.random.default_rng(seed)``, passing a Generator through unchanged."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


MAX_REQUESTS = 10 ** 8     # a generator refuses more (about 2 GB of columns): an error, not a MemoryError
MAX_STEP = 2 ** 53         # arrival times stay exact integers in float64


def _check_n(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InstanceError(f"n = {n!r} must be a positive integer")
    if n > MAX_REQUESTS:
        raise InstanceError(f"n = {n:,} is above the {MAX_REQUESTS:,} requests a generator builds")
    return int(n)


def uniform(n: int, seed=None, memory: int | None = None) -> Instance:
    """Jaillet et al.'s synthetic instance: ``M ~ U[30,50]`` (unless given), ``s ~ U[1,5]``, ``o ~ U[1, M-s]``.

    All requests arrive at 0; combine with :func:`with_arrivals` for the online variant.
    """
    n, rng = _check_n(n), rng_of(seed)
    M = int(rng.integers(30, 51)) if memory is None else int(memory)
    if M < 6:
        raise InstanceError(f"memory = {M} must be >= 6 for s ~ U[1,5], o >= 1")
    s = rng.integers(1, 6, n)
    o = rng.integers(1, M - s + 1)
    return Instance(M, s, o, name=f"uniform(n={n})")


def _truncated_lognormal(rng: np.random.Generator, n: int, mu: float, sigma: float, hi: int) -> np.ndarray:
    """``n`` integers ``max(1, round(exp(N(mu, sigma))))`` conditioned on ``<= hi`` (by rejection)."""
    out = np.empty(0, np.int64)
    while len(out) < n:
        x = np.maximum(1, np.round(np.exp(mu + sigma * rng.standard_normal(2 * (n - len(out)) + 16))))
        out = np.concatenate([out, x[x <= hi].astype(np.int64)])
    return out[:n]


def lmsys_like(n: int, memory: int = 16492, seed=None) -> Instance:
    """Conversation requests with LMSYS-Chat-1M-like prompt and output lengths (all at 0)."""
    n, rng = _check_n(n), rng_of(seed)
    s = _truncated_lognormal(rng, n, *LMSYS_PROMPT)
    o = _truncated_lognormal(rng, n, *LMSYS_OUTPUT)
    return Instance(memory, s, o, name=f"lmsys_like(n={n})")


def _fitting(s: np.ndarray, o: np.ndarray, memory: int, what: str) -> np.ndarray:
    ok = np.flatnonzero(s + o <= memory)
    if len(ok) == 0:
        raise InstanceError(f"no {what} request fits memory = {memory}")
    return ok


def arxiv(n: int, memory: int = 16492, seed=None) -> Instance:
    """Long-document summarization requests drawn (with replacement) from the shipped arXiv lengths.

    Only rows with ``s + o <= memory`` can be drawn; the number excluded is in the instance name, so
    nothing is dropped silently.
    """
    n, rng = _check_n(n), rng_of(seed)
    s_all, o_all = arxiv_lengths()
    ok = _fitting(s_all, o_all, memory, "arXiv")
    pick = ok[rng.integers(0, len(ok), n)]
    excluded = len(s_all) - len(ok)
    return Instance(memory, s_all[pick], o_all[pick], name=f"arxiv(n={n}, rows excluded for M: {excluded})")


def mixed(n: int, memory: int = 16492, seed=None, long_fraction: float = 0.5) -> Instance:
    """Conversation (LMSYS-like) and summarization (arXiv) requests mixed, shuffled, all at 0."""
    n, rng = _check_n(n), rng_of(seed)
    if not 0.0 <= long_fraction <= 1.0:
        raise InstanceError(f"long_fraction = {long_fraction!r} must lie in [0, 1]")
    n_long = int(round(n * long_fraction))
    parts = []
    if n - n_long:
        parts.append(lmsys_like(n - n_long, memory, rng))
    if n_long:
        parts.append(arxiv(n_long, memory, rng))
    s = np.concatenate([p.s for p in parts])
    o = np.concatenate([p.o for p in parts])
    perm = rng.permutation(n)
    return Instance(memory, s[perm], o[perm], name=f"mixed(n={n}, long_fraction={long_fraction})")


def two_type(memory: int, s1: int, o1: int, n1: int, s2: int, o2: int, n2: int) -> Instance:
    """``n1`` requests of type 1 ``(s1, o1)`` then ``n2`` of type 2 ``(s2, o2)``, all at 0 (deterministic)."""
    if n1 < 0 or n2 < 0 or n1 + n2 == 0:
        raise InstanceError(f"counts n1 = {n1}, n2 = {n2} must be >= 0 and not both 0")
    s = np.concatenate([np.full(n1, s1), np.full(n2, s2)])
    o = np.concatenate([np.full(n1, o1), np.full(n2, o2)])
    return Instance(memory, s, o, name=f"two_type(M={memory}, ({s1},{o1})x{n1}, ({s2},{o2})x{n2})")


def poisson_arrivals(n: int, rate: float, seed=None) -> np.ndarray:
    """Integer arrival times of a Poisson process with ``rate`` requests per time step (first at 0)."""
    n, rng = _check_n(n), rng_of(seed)
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)) or \
            not (np.isfinite(rate) and rate > 0):
        raise InstanceError(f"rate = {rate!r} must be a finite positive number")
    t = np.cumsum(rng.exponential(1.0 / rate, n))
    t -= t[0]
    if not t[-1] <= MAX_STEP:
        raise InstanceError(f"rate = {rate!r} is too small: {n} arrivals would span {t[-1]:.3g} steps (over 2^53)")
    return np.floor(t).astype(np.int64)


def bursty_arrivals(n: int, rate: float, burst: int = 20, seed=None) -> np.ndarray:
    """Bursts of ``burst`` simultaneous requests, bursts arriving as a Poisson process of the same mean rate."""
    n, rng = _check_n(n), rng_of(seed)
    if isinstance(burst, bool) or not isinstance(burst, (int, np.integer)) or burst < 1:
        raise InstanceError(f"burst = {burst!r} must be an integer >= 1")
    heads = poisson_arrivals(-(-n // burst), rate / burst, rng)
    return np.repeat(heads, burst)[:n]


def with_arrivals(instance: Instance, arrivals) -> Instance:
    """The same requests arriving at ``arrivals`` (one integer per request)."""
    a = int_column(arrivals, "arrivals", 0, instance.n)
    return Instance(instance.memory, instance.s, instance.o, a, instance.predictions, instance.name)


# name -> generator(n, memory or None, seed): the workloads the CLI and sweeps can name
GENERATORS = {
    "uniform": lambda n, M, seed: uniform(n, seed, memory=M),
    "lmsys": lambda n, M, seed: lmsys_like(n, M or 16492, seed),
    "arxiv": lambda n, M, seed: arxiv(n, M or 16492, seed),
    "mixed": lambda n, M, seed: mixed(n, M or 16492, seed),
}


def generate(name: str, n: int, memory: int | None = None, seed=None) -> Instance:
    """A workload by name (:data:`GENERATORS`); ``memory=None`` means the generator's default.

    >>> generate("lmsys", 3, seed=0).n
    3
    """
    if name not in GENERATORS:
        raise ValueError(f"unknown workload {name!r}; valid workloads: {', '.join(sorted(GENERATORS))}")
    if memory is not None and (isinstance(memory, bool) or not isinstance(memory, (int, np.integer))
                               or not 2 <= memory <= MAX_STEP):
        raise InstanceError(f"memory = {memory!r} must be an integer in [2, 2^53]")
    return GENERATORS[name](n, memory, seed)

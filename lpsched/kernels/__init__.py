"""Compiled event loops (numba) for the built-in policies; the engine picks them automatically.

Layer: engine.  :func:`lpsched.engine.run` asks a policy for its compiled twin (``policy.compiled(instance)``,
a :class:`Job`, or ``None``) and runs it instead of the Python event loop when the instance is large
enough to repay numba (:data:`KERNEL_MIN_REQUESTS`).  The Python policies in the Python engine stay the
reference: a kernel is a second implementation of the same rule, and the tests require identical
schedules, seeded random ties included (a kernel draws from the same ``numpy.random.Generator``, in the
same order, with the same calls).

One kernel per policy family, each in its own module with the rule it implements in its docstring:

* :mod:`.greedy` -- the future-check family: ``fcfs``, ``mcsf`` / ``sf`` / ``hsf``, ``priority``;
* :mod:`.vllm` -- ``vllm``;
* :mod:`.estimate` -- ``amax`` (both readings), ``amin``, ``sf_point``;
* :mod:`.selection` -- not an event loop: the core of the ``local_swap`` selector, which the online
  ``sorted_f`` (a Python policy) calls at almost every decision.

Kernels take and return numpy arrays.  A run that the Python engine would stop with an error (past
``max_time``, a lone request overflowing memory) returns a status instead, and the engine reruns the
Python loop to raise its error.  Nothing here imports numba until the first kernel runs
(:mod:`._jit`); compiled code is cached on disk.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._jit import numba_available

__all__ = ["Job", "Outcome", "KERNEL_MIN_REQUESTS", "LOADED_MIN_REQUESTS", "numba_available", "STATUS"]

#: Below this many requests the engine's default (``engine="fast"``) runs the Python event loop while
#: numba is not loaded yet: the first kernel call of a process (importing numba and loading the cached
#: machine code: about 0.6-0.8 s of CPU, 90 MB) costs more than the whole Python run.  Per family, from
#: the Python engine's cost per request on LMSYS-like traces (``benchmarks/engine.py --startup``):
#: about 20 us for the future-check family, 8 us for vllm, 40 us for amin and sf_point, 80 us for amax.
#: ``"selection"``: the online ``sorted_f`` with ``local_swap`` selects about 0.6 times per request, at
#: about 0.3 ms per selection in numpy (:mod:`.selection`).
KERNEL_MIN_REQUESTS = {"greedy": 30_000, "vllm": 70_000, "estimate": 15_000, "estimate/skip": 8_000,
                       "selection": 5_000}

#: Once numba is loaded in the process, loading another kernel costs about 20 ms: above this many
#: requests the compiled loop is then the faster one for every family.
LOADED_MIN_REQUESTS = 2_000

STATUS = {0: "ok", 1: "past max_time", 2: "a lone request overflows memory", 3: "no progress",
          4: "internal inconsistency", 5: "the generator is not PCG64"}


@dataclass(frozen=True)
class Outcome:
    """What a kernel run produced: final starts, evicted runs ``(request, start, evicted_at)``, the number
    of decisions and a status (0 = ok; see :data:`STATUS`)."""

    start: np.ndarray
    evictions: np.ndarray
    decisions: int
    status: int


@dataclass(frozen=True)
class Job:
    """A kernel call ready to run: ``family`` (module of this package), ``function`` and its arguments.

    ``random``: the kernel takes the state of the engine's generator as its last argument (random
    tie-breaking, :mod:`._random`).
    ``evicts``: the kernel returns evicted runs too.
    """

    family: str
    function: str
    args: tuple
    random: bool = False
    evicts: bool = False
    variant: str = ""

    def min_requests(self) -> int:
        """The instance size from which ``engine="fast"`` runs this job (module constants)."""
        from . import _jit

        if _jit.loaded():
            return LOADED_MIN_REQUESTS
        key = f"{self.family}/{self.variant}" if self.variant else self.family
        return KERNEL_MIN_REQUESTS.get(key, KERNEL_MIN_REQUESTS[self.family])

    def run(self, rng: np.random.Generator, limit: int) -> Outcome:
        from . import _jit

        from ._random import pcg_restore, pcg_state

        _jit.load()
        func = getattr(importlib.import_module(f"{__name__}.{self.family}"), self.function)
        rs = None
        if self.random:
            rs = pcg_state(rng)
            if rs is None:                   # not PCG64: the Python engine draws the ties
                return Outcome(np.zeros(0, np.int64), np.zeros((0, 3), np.int64), 0, 5)
        args: tuple[Any, ...] = self.args + (limit,) + ((rs,) if self.random else ())
        try:
            out = func(*args)
        except OSError:                      # the disk cache failed while saving: compile in memory
            _jit.disable_cache()
            out = func(*args)
        if rs is not None:
            pcg_restore(rng, rs)
        if self.evicts:
            start, rec, n_ev, decisions, status = out
            del out
            ev = rec[:n_ev].copy()           # exact size: the record's spare rows are freed with it
            del rec
        else:
            start, decisions, status = out
            ev = np.zeros((0, 3), np.int64)
        return Outcome(start, ev, int(decisions), int(status))


def arrival_order(instance) -> np.ndarray:
    """Request ids by arrival, then index (the engine's order of handing arrivals over)."""
    return i64(np.lexsort((np.arange(instance.n), instance.a)))


def ranks(*keys) -> tuple[np.ndarray, np.ndarray]:
    """``(rank, by_rank)``: each request's position when sorted by the keys (first key first, index
    last), and the ids in that order."""
    n = len(keys[0])
    by_rank = np.lexsort((np.arange(n),) + tuple(reversed(keys))).astype(np.int64)
    rank = np.empty(n, np.int64)
    rank[by_rank] = np.arange(n)
    return i64(rank), i64(by_rank)


def key_groups(*keys) -> np.ndarray:
    """Each request's group: the rank of its distinct key tuple (first key first), equal tuples sharing
    one.  The same as ``np.unique(np.stack(keys, 1), axis=0, return_inverse=True)[1]``, by one
    ``lexsort`` instead of numpy's row comparisons (1.2 s of A_max's 1.75 s at 10^6 requests)."""
    _, by_rank = ranks(*keys)
    new = np.zeros(len(by_rank), bool)
    for key in keys:
        k = np.asarray(key)[by_rank]
        new[1:] |= k[1:] != k[:-1]
    group = np.empty(len(by_rank), np.int64)
    group[by_rank] = np.cumsum(new)
    return i64(group)


def exact_type(obj, *classes) -> bool:
    """Is ``obj`` an instance of exactly one of ``classes`` (not a subclass that may change the rule)?"""
    return type(obj) in classes


def i64(x) -> np.ndarray:
    """``x`` as a read-only contiguous ``int64`` array (a view when it already is one): every input a
    kernel only reads has the same numba type, so one compiled version serves every call."""
    out = np.ascontiguousarray(x, dtype=np.int64).view()
    out.setflags(write=False)
    return out

"""Ctrl-C and the deadline during a long exact solve: stop the solver, keep what it found.

Layer: algorithms.

Native solvers block the thread that calls them, so Python sees a Ctrl-C only when they return.
:func:`run_interruptibly` runs the blocking call in a helper thread while the calling thread waits:

* at the **deadline** it calls the solver's thread-safe stop request (CP-SAT ``StopSearch``, HiGHS
  ``cancelSolve``), although the solver was given the same time limit itself: a solver that checks its
  clock only now and then (HiGHS in its presolve, measured 7-42 s over a 5 s limit) is asked again;
* on the **first Ctrl-C** it calls the same stop request and raises :class:`Interrupted` carrying what
  the backend made of it (:func:`lpsched.exact.solve` returns it as the best so far, with
  ``info["interrupted"] = True``);
* a solver that has not returned ``grace`` seconds after being asked to stop is **abandoned**: the
  call returns :data:`ABANDONED` and the caller falls back on what it recorded while the solver ran
  (CP-SAT: its solution callback); the helper thread is a daemon and ends when the solver does;
* a **second Ctrl-C** raises :class:`Abort` at once (a ``KeyboardInterrupt`` that
  :func:`lpsched.exact.solve` does not turn into a result): the user wants out, not the best so far.

The HiGHS and CBC backends do not run in this process at all (:mod:`lpsched.exact.worker`): a helper
process that overruns is killed, which needs no cooperation from the solver.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

__all__ = ["Interrupted", "Abort", "run_interruptibly", "ABANDONED", "GRACE"]

#: seconds a solver gets to return after a stop request before it is abandoned
GRACE = 0.25


class Interrupted(Exception):
    """A solve stopped by Ctrl-C; ``outcome`` is the backend's ``(status, starts, bound, message)`` or ``None``."""

    def __init__(self, outcome: tuple | None = None):
        super().__init__("interrupted by the user")
        self.outcome = outcome


class Abort(KeyboardInterrupt):
    """A second Ctrl-C while a solve was stopping: leave at once, with no result."""


class _Abandoned:
    def __repr__(self) -> str:
        return "ABANDONED"


#: what :func:`run_interruptibly` returns when the solver did not return in time after a stop request
ABANDONED = _Abandoned()


def run_interruptibly(run: Callable[[], Any], stop: Callable[[], None], end: float | None = None,
                      grace: float = GRACE) -> tuple[Any, bool]:
    """``(run(), interrupted)``: ``run`` in a helper thread; ``stop()`` at ``end`` (a ``time.perf_counter``
    value) or on the first Ctrl-C; :data:`ABANDONED` instead of ``run()``'s value when it has not returned
    ``grace`` seconds after ``stop()``; :class:`Abort` on a second Ctrl-C.  Ctrl-C reaches only the main
    thread, so off it only the deadline applies.
    """
    done, out = threading.Event(), {}

    def work():
        try:
            out["value"] = run()
        except BaseException as exc:  # re-raised in the caller's thread
            out["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, daemon=True, name="lpsched-solver").start()
    interrupted, stopped_at = False, None
    while not done.is_set():
        now = time.perf_counter()
        if stopped_at is None and end is not None and now >= end:
            stopped_at = now
            stop()
        if stopped_at is not None and now >= stopped_at + grace:
            return ABANDONED, interrupted
        wait = 0.02 if stopped_at is not None else min(0.1, max(0.005, (end - now) if end is not None else 0.1))
        try:
            done.wait(wait)
        except KeyboardInterrupt:
            if interrupted:
                raise Abort("exact solve aborted by a second Ctrl-C") from None
            interrupted = True
            stopped_at = time.perf_counter()
            try:
                stop()
            except KeyboardInterrupt:
                raise Abort("exact solve aborted by a second Ctrl-C") from None
    if "error" in out:
        raise out["error"]
    return out["value"], interrupted

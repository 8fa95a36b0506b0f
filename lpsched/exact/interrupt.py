"""Ctrl-C during a long exact solve: stop the solver, keep what it found.

Native solvers block the main thread, so Python sees a Ctrl-C only when they return (HiGHS) or handle it
their own way (CP-SAT stops and reports a plain time-limit-like ``FEASIBLE``, so a caller cannot tell
an interrupted run from a finished one).  :func:`run_interruptibly` runs the blocking call in a worker
thread while the main thread waits; a Ctrl-C there calls the solver's thread-safe stop request and waits
for the solver to return, then raises :class:`Interrupted` carrying what the backend made of it.  Used
for CP-SAT (``StopSearch``) and for HiGHS, the root LP and the MIP (``cancelSolve``).
:func:`lpsched.exact.solve` turns that into a result with ``info["interrupted"] = True`` (best schedule
and bound so far), and loops over many solves (the J1 study) stop instead of moving to the next one.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

__all__ = ["Interrupted", "run_interruptibly"]


class Interrupted(Exception):
    """A solve stopped by Ctrl-C; ``outcome`` is the backend's ``(status, starts, bound, message)`` or ``None``."""

    def __init__(self, outcome: tuple | None = None):
        super().__init__("interrupted by the user")
        self.outcome = outcome


def run_interruptibly(run: Callable[[], Any], stop: Callable[[], None]) -> tuple[Any, bool]:
    """``(run(), interrupted)``: ``run`` in a worker thread, ``stop()`` on Ctrl-C in this thread.

    Off the main thread (where Python delivers no Ctrl-C) ``run`` is simply called.
    """
    if threading.current_thread() is not threading.main_thread():
        return run(), False
    done, out = threading.Event(), {}

    def work():
        try:
            out["value"] = run()
        except BaseException as exc:  # re-raised in the caller's thread
            out["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, daemon=True, name="lpsched-solver").start()
    interrupted = False
    while not done.is_set():
        try:
            done.wait(0.1)
        except KeyboardInterrupt:
            if not interrupted:
                interrupted = True
                stop()
    if "error" in out:
        raise out["error"]
    return out["value"], interrupted

"""HiGHS and CBC in a helper process that is killed when it overruns the deadline or on Ctrl-C.

Layer: algorithms.

HiGHS cannot be stopped promptly in-process: it checks its time limit and its interrupt flag only now
and then, and not at all in some phases (its MIP presolve ran 7-42 s on ``jaillet_instance(16, 4)``
with a 5 s limit on an idle machine; under load a Ctrl-C took 32-150 s).  So :func:`lpsched.exact.solve`
runs every HiGHS solve (the root LP, probing, the MIP) and CBC in a *worker*: a Python process started
on first use, reused by later solves, in a session of its own (a terminal's Ctrl-C reaches only the
caller, which decides).  A call:

* sends the instance and what to do (``"lp"``, ``"highs"``, ``"cbc"``; ``"echo"`` for the tests); the
  worker builds the model itself (its time counts: the deadline is absolute);
* receives, while the solver runs, every improving schedule and bound it reports (HiGHS callbacks;
  CBC's log is read from a file), so that the best so far is known at any moment;
* at the deadline, if the worker has not answered, **kills** its process group (SIGKILL: the worker
  and a CBC child) and returns the best reported so far; the next call starts a new worker;
* on Ctrl-C kills it at once, with the same best so far (:class:`lpsched.exact.interrupt.Interrupted`).

A worker exits when its parent does (it checks twice a second, and kills its process group, CBC
included).  Starting one takes about 0.2 s on an idle machine (Python, numpy, highspy, PuLP):
:func:`prestart` starts it in the background while the caller computes the heuristic and the bounds.
"""

from __future__ import annotations

import atexit
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from typing import Any, Callable

__all__ = ["call", "prestart", "shutdown", "pids", "WorkerError"]


class WorkerError(RuntimeError):
    """The worker process failed (crashed, or the solver raised); the message says how."""


# ------------------------------------------------------------------------------------------ parent side
class _Worker:
    def __init__(self):
        ours, theirs = socket.socketpair()
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([sys.executable, "-m", "lpsched.exact.worker", str(theirs.fileno())],
                                     pass_fds=(theirs.fileno(),), start_new_session=True,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.stderr)
        theirs.close()
        self.conn = Connection(ours.detach())
        self.owner = os.getpid()

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL to the worker's process group (a CBC child too) and reap it."""
        if self.owner != os.getpid():
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a SIGKILLed process is reaped at once
            pass
        self.close()

    def close(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass
        self.stderr.close()

    def stderr_tail(self) -> str:
        try:
            self.stderr.seek(0)
            lines = self.stderr.read().decode(errors="replace").strip().splitlines()
            return lines[-1] if lines else ""
        except (OSError, ValueError):
            return ""


_idle: list[_Worker] = []
_all: list[_Worker] = []
_lock = threading.Lock()


def _acquire() -> _Worker:
    with _lock:
        while _idle:
            w = _idle.pop()
            if w.alive():
                return w
            _forget(w)
        w = _Worker()
        _all.append(w)
        return w


def _release(w: _Worker) -> None:
    with _lock:
        if w.alive():
            _idle.append(w)
        else:
            _forget(w)


def _forget(w: _Worker) -> None:
    if w in _all:
        _all.remove(w)
    w.kill()


def prestart() -> None:
    """Start a worker in the background if none is idle (it imports while the caller works)."""
    with _lock:
        if any(w.alive() for w in _idle):
            return
        w = _Worker()
        _all.append(w)
        _idle.append(w)


def pids() -> list[int]:
    """Process ids of the live workers this process started."""
    with _lock:
        return [w.proc.pid for w in _all if w.alive()]


def shutdown() -> None:
    """Kill every worker this process started (also run at exit)."""
    with _lock:
        for w in list(_all):
            w.kill()
        _all.clear()
        _idle.clear()


atexit.register(shutdown)


def call(request: dict, end: float, on_message: Callable[[tuple], None] | None = None) -> tuple[str, Any]:
    """Run ``request`` in a worker until ``end`` (a ``time.perf_counter`` time).

    The solver in the worker stops by itself at ``request["deadline"]`` (a ``time.time()`` value, the
    same clock in both processes; set by the caller a little before ``end``).  Returns
    ``("done", value)``, or ``("timeout", None)`` after killing a worker that had not answered by ``end``.  Progress messages (``("incumbent", starts, value)``, ``("bound", value)``, ...) go to
    ``on_message`` as they arrive.  A failure in the worker raises :class:`WorkerError`; Ctrl-C kills the
    worker and re-raises ``KeyboardInterrupt``.
    """
    w = _acquire()
    try:
        try:
            w.conn.send(request)
        except OSError:                      # an idle worker that died meanwhile: once more with a new one
            _forget(w)
            w = _acquire()
            w.conn.send(request)
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                _forget(w)
                return "timeout", None
            if not w.conn.poll(min(left, 0.1)):
                continue
            try:
                msg = w.conn.recv()
            except (EOFError, OSError):
                code = w.proc.poll()
                why = w.stderr_tail()
                _forget(w)
                raise WorkerError(f"the solver process ended (exit code {code})" + (f": {why}" if why else ""))
            kind = msg[0]
            if kind == "done":
                _release(w)
                return "done", msg[1]
            if kind == "error":
                _release(w)
                raise WorkerError(msg[1])
            if kind != "ready" and on_message is not None:
                on_message(msg)
    except BaseException:
        if w in _all and not (w in _idle):
            _forget(w)          # interrupted mid-conversation: the channel cannot be trusted any more
        raise


# ------------------------------------------------------------------------------------------ worker side
def _watch_parent(parent: int) -> None:
    """Kill this process group (the worker and a CBC child) once the parent has gone."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            try:
                os.killpg(0, signal.SIGKILL)
            finally:
                os._exit(1)


def _build(req: dict):
    from .formulation import build

    return build(req["instance"], req["objective"], req["upper"], req.get("cap"))


def _do_lp(req: dict, emit) -> dict:
    """The root LP (``{"lp": value}``) and, with ``probe``, the probing bound, each reported as found."""
    from .lp_bounds import probe_from
    from .formulation import run_lp

    end = time.perf_counter() + (req["deadline"] - time.time())      # the caller's wall-clock deadline
    ti = _build(req)
    h = ti.highs()
    z = run_lp(h, max(0.01, end - time.perf_counter()))
    out = {"lp": z}
    if math.isfinite(z):
        emit(("lp", z))
        if req.get("probe"):
            out["probe"] = probe_from(ti, h, z, end, lambda v: emit(("probe", v)))
    return out


def _do_mip(req: dict, emit):
    from . import mip

    ti = _build(req)
    left = max(0.01, req["deadline"] - time.time())
    if req["kind"] == "highs":
        return mip.solve_highs(ti, left, req.get("start"), end=time.perf_counter() + left, watchdog=False,
                               on_incumbent=lambda st, v: emit(("incumbent", st.tolist(), v)),
                               on_bound=lambda v: emit(("bound", v)), **req.get("options", {}))
    return mip.solve_cbc(ti, left, req.get("start"), log_path=req.get("log_path"), **req.get("options", {}))


def main(fd: int) -> None:  # pragma: no cover - runs in the worker process
    conn = Connection(fd)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    from ..solvers import highspy_module, pulp_module

    highspy_module()
    pulp_module()
    conn.send(("ready",))
    lock = threading.Lock()

    def emit(msg):
        with lock:
            conn.send(msg)

    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if req["kind"] == "lp":
                out = _do_lp(req, emit)
            elif req["kind"] == "echo":          # tests: report the given messages, then hold on
                for msg in req.get("messages", []):
                    emit(tuple(msg))
                time.sleep(req.get("seconds", 0))
                out = req.get("value")
            else:
                out = _do_mip(req, emit)
            emit(("done", out))
        except Exception as exc:
            emit(("error", f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":  # pragma: no cover
    main(int(sys.argv[1]))

"""The simulation engine: one small core, two clocks.

Layer: engine.

At each integer time ``t`` the engine (1) completes the requests whose last run ends at ``t`` (their
memory is freed first), (2) asks the policy for a :class:`Decision` given a read-only :class:`State`,
(3) applies evictions (progress lost, memory freed) and starts, and (4) checks that the batch of step
``[t, t+1)`` fits: ``sum(s_i + g_i + 1) <= M``.  Semantics: ``docs/model.md``.

Two clocks drive the same core:

* ``engine="reference"`` asks the policy at *every* integer time: slow, obviously right.
* ``engine="fast"`` jumps to the next time at which something can change: an arrival, a completion,
  the time the running set would overflow memory, or the policy's own ``wake_at`` hint (the earliest
  time its decision could change if nothing else happens).  Tests check that both give identical
  schedules for every policy; a wrong hint shows up there.

A policy is any object with ``name``, ``clairvoyant``, ``reset(view, rng)`` and ``decide(state)``
(see :class:`Policy`).  Non-clairvoyant policies get a view whose ``o`` raises.  Two optional hooks:
``release()`` drops per-run state after the run (the engine calls it before validating, so the
validator does not run beside the engine's and the policy's data), and ``compiled(instance)`` returns
the policy's compiled twin (a :class:`lpsched.kernels.Job`) or ``None``.

Engines (``engine=``):

* ``"fast"`` (default): the compiled event loop of :mod:`lpsched.kernels` when the policy has one and
  the instance is large enough to repay it (:data:`lpsched.kernels.KERNEL_MIN_REQUESTS`: below that,
  importing numba and loading the compiled code costs more than the run; once numba is loaded in the
  process, :data:`lpsched.kernels.LOADED_MIN_REQUESTS`), else the Python event loop;
* ``"python"``: the Python event loop (the plug-in engine; today's ``"fast"`` clock);
* ``"kernel"``: the compiled event loop at any size (``ValueError`` if the policy has none);
* ``"reference"``: the Python engine asking at every integer time.

The environment variable ``LPSCHED_ENGINE`` changes what ``"fast"`` means for the whole process:
``python`` (never compile: a pure-Python run), ``kernel`` (compile at any size) or ``auto`` (the
default).  Explicit ``engine="python" | "kernel" | "reference"`` is never overridden.
:attr:`SimulationResult.engine` says which one ran: ``"kernel"``, ``"python"`` or ``"reference"``.
"""

from __future__ import annotations

import heapq
import math
import os
import time as _time
from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

import numpy as np

from .model import Instance
from .schedule import Metrics, Schedule, metrics

__all__ = ["Decision", "State", "InstanceView", "Policy", "SimulationError", "SimulationResult",
           "run", "ENGINES", "NEVER", "choose_engine"]

NEVER = math.inf


class SimulationError(RuntimeError):
    """A policy broke the rules (memory, unknown request) or can make no progress."""


@dataclass(frozen=True, slots=True)
class Decision:
    """What a policy does at time ``t``.

    start : requests to start now (arrived, waiting).
    evict : running requests to evict now (their progress is lost).
    wake_at : the earliest time > t at which the decision could change if no request arrives or
        completes and memory does not overflow (the engine asks at those events anyway); ``None`` means
        "ask me at t + 1" (always safe), ``NEVER`` "only at such an event".  Only the fast clock reads it.
    """

    start: Sequence[int] = ()
    evict: Sequence[int] = ()
    wake_at: float | None = None


IDLE = Decision(wake_at=NEVER)


class InstanceView:
    """What a policy may know about the instance: everything, except ``o`` for non-clairvoyant ones."""

    def __init__(self, instance: Instance, clairvoyant: bool) -> None:
        self.memory = instance.memory
        self.n = instance.n
        self.s = instance.s
        self.a = instance.a
        self.predictions = instance.predictions
        self._o = instance.o if clairvoyant else None

    @property
    def o(self) -> np.ndarray:
        if self._o is None:
            raise SimulationError("a non-clairvoyant policy tried to read the true output lengths o")
        return self._o


@dataclass(slots=True)
class State:
    """Read-only view of the system at time ``t`` handed to :meth:`Policy.decide`.

    ``arrived`` and ``completed`` list what happened since the previous call (ids, ascending arrival /
    completion); ``running`` maps each running request to its current start, in start order (a run is
    added when it starts); ``memory_next`` is what the running set will hold at ``t + 1`` if all of it
    keeps running.
    """

    t: int
    memory: int
    arrived: list[int]
    completed: list[int]
    running: dict[int, int]
    memory_next: int
    pending_arrivals: int

    def generated(self, i: int) -> int:
        """Tokens request ``i`` has generated in its current run."""
        return self.t - self.running[i]


class Policy(Protocol):
    name: str
    clairvoyant: bool

    def reset(self, view: InstanceView, rng: np.random.Generator) -> None: ...

    def decide(self, state: State) -> Decision: ...


@dataclass(frozen=True)
class SimulationResult:
    """A validated schedule with its metrics and how it was produced."""

    schedule: Schedule
    metrics: Metrics
    policy: str
    engine: str
    seconds: float
    decisions: int = field(default=0)

    def to_dict(self) -> dict[str, Any]:
        return {"policy": self.policy, "engine": self.engine, "seconds": self.seconds,
                "decisions": self.decisions, **self.metrics.to_dict()}


class _Core:
    """Ground truth of one run: who is waiting, running, done; the evicted runs; memory bookkeeping."""

    def __init__(self, instance: Instance, policy: Policy, rng: np.random.Generator) -> None:
        self.inst = instance
        self.policy = policy
        self.s = instance.s.tolist()
        self.o = instance.o.tolist()
        self.arrival_order = np.lexsort((np.arange(instance.n), instance.a)).tolist()
        self.arr_times = [int(instance.a[i]) for i in self.arrival_order]
        self.next_arrival = 0                  # index into arrival_order
        self.start = [-1] * instance.n
        self.waiting: set[int] = set()
        self.running: dict[int, int] = {}
        self.done = 0
        self.finish: list[tuple[int, int, int]] = []  # heap of (completion, request, start)
        self.evicted: list[tuple[int, int, int]] = []
        self.sum_base = 0                      # sum over running of (s_i - p_i)
        self.completed_since: list[int] = []
        self.decisions = 0
        policy.reset(InstanceView(instance, policy.clairvoyant), rng)

    def memory_at(self, t: int) -> int:
        """Tokens held at time ``t`` by the running set (all of it started before ``t``)."""
        return self.sum_base + len(self.running) * t

    def advance_to(self, t: int) -> list[int]:
        """Complete runs ending at or before ``t`` and admit arrivals up to ``t``; return the arrivals."""
        fin = self.finish
        while fin and fin[0][0] <= t:
            c, i, p = heapq.heappop(fin)
            if self.running.get(i) == p:  # not a stale entry of an evicted run
                del self.running[i]
                self.sum_base -= self.s[i] - p
                self.done += 1
                self.completed_since.append(i)
        arrived = []
        order, times = self.arrival_order, self.arr_times
        while self.next_arrival < len(order) and times[self.next_arrival] <= t:
            i = order[self.next_arrival]
            arrived.append(i)
            self.waiting.add(i)
            self.next_arrival += 1
        return arrived

    def step(self, t: int, arrived: list[int]) -> Decision:
        """Ask the policy at time ``t``, apply its decision and check the next step's memory."""
        if len(self.running) == 1 and self.memory_at(t + 1) > self.inst.memory:
            self._lone_overflow(t)
        state = State(t, self.inst.memory, arrived, self.completed_since, self.running,
                      self.memory_at(t + 1), len(self.arr_times) - self.next_arrival)
        self.completed_since = []
        self.decisions += 1
        dec = self.policy.decide(state)
        name = self.policy.name
        for i in dec.evict:
            p = self.running.pop(i, None)
            if p is None:
                raise SimulationError(f"policy {name!r} evicted request {i} at t = {t}, but it is not running")
            if p == t:
                raise SimulationError(f"policy {name!r} evicted request {i} at t = {t}, the time it started")
            self.sum_base -= self.s[i] - p
            self.evicted.append((i, p, t))
            self.waiting.add(i)
        for i in dec.start:
            if i not in self.waiting:
                why = "running" if i in self.running else "done or not arrived"
                raise SimulationError(f"policy {name!r} started request {i} at t = {t}, but it is {why}")
            self.waiting.discard(i)
            self.running[i] = t
            self.sum_base += self.s[i] - t
            heapq.heappush(self.finish, (t + self.o[i], i, t))
        need = self.memory_at(t + 1)
        if need > self.inst.memory:
            if len(self.running) == 1:
                self._lone_overflow(t)
            raise SimulationError(
                f"policy {name!r} leaves memory {need} > M = {self.inst.memory} at t = {t + 1} "
                f"with {len(self.running)} running requests")
        if not self.running and not dec.start and self.next_arrival == len(self.arr_times) \
                and self.waiting and dec.wake_at == NEVER:
            raise SimulationError(
                f"policy {name!r} makes no progress at t = {t}: nothing runs, nothing will arrive, and "
                f"{len(self.waiting)} requests wait (e.g. request {min(self.waiting)})")
        return dec

    def _lone_overflow(self, t: int) -> None:
        """A request that overflows memory on its own restarts from zero and overflows again, forever."""
        (i,) = self.running
        raise SimulationError(
            f"request {i} alone overflows memory at t = {t + 1}: it would hold {self.memory_at(t + 1)} > "
            f"M = {self.inst.memory} (s = {self.s[i]}); it can never complete")

    def next_event(self, t: int, dec: Decision) -> float:
        """The next time after ``t`` at which anything can change: the policy's ``wake_at``, the next
        arrival, the next completion, or the time the running set would overflow memory."""
        nxt = t + 1 if dec.wake_at is None else dec.wake_at
        if self.next_arrival < len(self.arr_times):
            nxt = min(nxt, self.arr_times[self.next_arrival])
        if self.finish:
            nxt = min(nxt, self.finish[0][0])      # may be stale (an evicted run): waking early is harmless
        if self.running:                          # memory_at(u + 1) > M from u = (M - base) // count on
            nxt = min(nxt, (self.inst.memory - self.sum_base) // len(self.running))
        return max(nxt, t + 1)

    def result(self) -> tuple[np.ndarray, np.ndarray, int]:
        """Final starts, evicted runs ``(request, start, evicted_at)`` and the number of decisions."""
        ev = np.array(self.evicted, dtype=np.int64).reshape(-1, 3)
        return np.array(self.start, dtype=np.int64), ev, self.decisions


def _simulate(instance: Instance, policy: Policy, rng: np.random.Generator, jump: bool,
              limit: int, progress) -> tuple[np.ndarray, np.ndarray, int]:
    """Run the Python engine; return the arrays of :meth:`_Core.result` (the core is freed on return)."""
    core = _Core(instance, policy, rng)
    n = instance.n
    final_start = core.start
    t = core.arr_times[0]
    bar_last = 0
    while True:
        arrived = core.advance_to(t)
        if core.done == n:
            break
        if t > limit:
            raise SimulationError(f"policy {policy.name!r} has not finished by t = {limit} "
                                  f"({core.done} of {n} done): it may evict and restart forever")
        dec = core.step(t, arrived)
        for i in dec.start:
            final_start[i] = t
        if progress is not None and core.done - bar_last >= 1000:
            progress.update(core.done - bar_last)
            bar_last = core.done
        if jump:
            nxt = core.next_event(t, dec)
            if nxt == NEVER:
                raise SimulationError(f"policy {policy.name!r} makes no progress after t = {t}")
            t = int(nxt)
        else:
            t += 1
    if progress is not None:
        progress.update(core.done - bar_last)
    return core.result()


ENGINES = ("fast", "python", "kernel", "reference")
ENV = "LPSCHED_ENGINE"
ENV_VALUES = ("auto", "python", "kernel")


def env_mode() -> str:
    """What ``LPSCHED_ENGINE`` asks for: ``"auto"`` (unset), ``"python"`` or ``"kernel"``; ``ValueError``
    naming the variable and its value otherwise."""
    mode = os.environ.get(ENV, "").strip().lower() or "auto"
    if mode not in ENV_VALUES:
        raise ValueError(f"environment variable {ENV} = {os.environ[ENV]!r}; valid values: {', '.join(ENV_VALUES)}")
    return mode


def choose_engine(engine: str, policy: Policy, instance: Instance):
    """``(name, job)``: the engine that runs ``policy`` on ``instance`` and, for ``"kernel"``, its
    :class:`lpsched.kernels.Job` (module docstring: what ``"fast"`` and ``LPSCHED_ENGINE`` mean)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; valid engines: {list(ENGINES)}")
    if engine in ("python", "reference"):
        return engine, None
    mode = env_mode()
    if engine == "fast" and mode == "python":
        return "python", None
    from . import kernels

    if engine == "fast" and mode == "auto" and instance.n < kernels.LOADED_MIN_REQUESTS:
        return "python", None
    compiled = getattr(policy, "compiled", None)
    job = compiled(instance) if compiled is not None else None
    if engine == "fast" and mode == "auto" and job is not None and instance.n < job.min_requests():
        return "python", None
    if engine == "kernel":
        if job is None:
            raise ValueError(f"engine = 'kernel': policy {getattr(policy, 'name', policy)!r} has no compiled "
                             f"event loop for these options (policies with one: {', '.join(KERNEL_POLICIES)})")
        if not kernels.numba_available():
            raise ValueError("engine = 'kernel' needs numba (pip install numba)")
    if job is None or not kernels.numba_available():
        return "python", None
    return "kernel", job


#: policies with a compiled event loop (:mod:`lpsched.kernels`)
KERNEL_POLICIES = ("fcfs", "mcsf", "sf", "hsf", "priority", "vllm", "amax", "amin", "sf_point")


def run(instance: Instance, policy: Policy, engine: str = "fast", seed: int | None = 0,
        max_time: int | None = None, progress: bool = False, check: bool = True) -> SimulationResult:
    """Simulate ``policy`` on ``instance``; return the validated schedule and its metrics.

    Parameters
    ----------
    engine : {"fast", "python", "kernel", "reference"}
        See the module docstring (``"fast"``: compiled when it pays, else the Python event loop).
    seed : seed of the ``numpy.random.Generator`` handed to the policy (random tie-breaking).
    max_time : stop with :class:`SimulationError` past this time (default: a generous bound).
    progress : show a tqdm progress bar (counts completed requests).
    check : validate the schedule (default True; only benchmarks turn it off to time the engine alone).
    """
    name, job = choose_engine(engine, policy, instance)
    limit = max_time if max_time is not None else int(instance.a.max()) + 10 * int(instance.o.sum()) + instance.n
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=instance.n, desc=policy.name, unit="req", mininterval=1.0, delay=2.0)
    t0 = _time.perf_counter()
    try:
        out = None
        if job is not None:
            out = job.run(np.random.default_rng(seed), limit)
            job = None                   # its arrays are not needed any more
            if out.status:               # the Python engine reruns to raise its own error
                out, name = None, "python"
            elif bar is not None:
                bar.update(instance.n)
        if out is not None:
            start, ev, decisions = out.start, out.evictions, out.decisions
        else:
            start, ev, decisions = _simulate(instance, policy, np.random.default_rng(seed), name != "reference",
                                             limit, bar)
    finally:
        if bar is not None:
            bar.close()
    seconds = _time.perf_counter() - t0
    release = getattr(policy, "release", None)
    if release is not None:
        release()
    sched = Schedule(instance, start, ev, policy.name)
    del start, ev, out               # validate with only the instance and the schedule alive
    met = metrics(sched) if check else None
    return SimulationResult(sched, met, policy.name, name, seconds, decisions)

"""Adversarial instance search: instances on which a policy is far from a benchmark.

Layer: theory.

The search maximises ``ratio = objective(policy) / objective(benchmark)`` (objective: total end-to-end
latency, equal to TCT when all arrive at 0) by random restarts and hill climbing with local moves over a
parameterised *family* of instances.  Every schedule involved is validated, and the worst instances are
returned with a certificate: the instance and both schedules.

Benchmarks (``benchmark=``):

* ``opt`` — the exact optimum (``lpsched.exact.solve``; small instances only).  The ratio is exact.
* ``best_known`` — the best schedule among the clairvoyant heuristics H-SF, FCFS and Sorted-F.  It is
  feasible, so it upper-bounds OPT: the reported ratio is a *lower bound* on ``policy / OPT``, safe to
  use as evidence that a policy is bad.
* ``hsf`` — H-SF, the hindsight benchmark of the A_min paper.

Families (``family=``):

* ``random`` — ``n`` requests with free ``s`` and ``o`` (and arrivals when ``online=True``).
* ``two_type`` — two homogeneous types ``(s1, o1) x n1`` and ``(s2, o2) x n2`` (claim W3's shape).
* ``interval`` — one shared prediction interval ``[l, u]``; the adversary picks how many requests have
  each length in ``l..u`` (claims C2, C3); the instance carries the interval as predictions.

>>> res = search("fcfs", family="random", benchmark="hsf", n=5, memory=20, iterations=30, restarts=2, seed=1)
>>> res.ratio >= 1.0
True
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .model import Instance, InstanceError, Predictions
from .schedule import Schedule, metrics

__all__ = ["search", "AdversaryResult", "FAMILIES", "BENCHMARKS", "evaluate", "check_family_options"]


# ----------------------------------------------------------------------------- families
class RandomFamily:
    """``n`` requests, ``s`` in ``1..smax``, ``o`` in ``1..M-s``; arrivals in ``0..M`` when online."""

    def __init__(self, n: int = 6, memory: int = 20, smax: int | None = None, online: bool = False) -> None:
        n, memory = _whole("n", n, 1, 10 ** 5), _whole("memory", memory, 3, 10 ** 9)
        smax = max(1, memory // 2) if smax is None else _whole("smax", smax, 1, memory - 1)
        if not isinstance(online, bool):
            raise ValueError(f"random family: online = {online!r} must be true or false")
        self.n, self.M, self.smax, self.online = n, memory, smax, online

    def random(self, rng: np.random.Generator) -> dict:
        s = rng.integers(1, self.smax + 1, self.n)
        o = np.array([rng.integers(1, self.M - x + 1) for x in s])
        a = rng.integers(0, self.M + 1, self.n) if self.online else np.zeros(self.n, np.int64)
        return {"s": s, "o": o, "a": a}

    def mutate(self, p: dict, rng: np.random.Generator) -> dict:
        q = {k: v.copy() for k, v in p.items()}
        i = int(rng.integers(self.n))
        what = rng.choice(["s", "o", "a"] if self.online else ["s", "o", "copy"])
        if what == "copy":  # make two requests identical: a common worst-case structure
            j = int(rng.integers(self.n))
            q["s"][i], q["o"][i] = q["s"][j], q["o"][j]
        elif what == "a":
            q["a"][i] = max(0, q["a"][i] + int(rng.integers(-3, 4)))
        else:
            step = int(rng.choice([-1, 1])) * int(rng.integers(1, max(2, self.M // 5)))
            q[what][i] = q[what][i] + step
        q["s"] = np.clip(q["s"], 1, self.smax)
        q["o"] = np.clip(q["o"], 1, self.M - q["s"])
        return q

    def build(self, p: dict) -> Instance:
        return Instance(self.M, p["s"], p["o"], p["a"], name="adversary/random")


class TwoTypeFamily:
    """Two homogeneous types; the search moves sizes, lengths and counts (bounded by ``max_requests``)."""

    def __init__(self, memory: int = 100, max_requests: int = 400) -> None:
        self.M = _whole("memory", memory, 4, 10 ** 9)
        self.cap = _whole("max_requests", max_requests, 4, 10 ** 6)

    def random(self, rng: np.random.Generator) -> dict:
        s1 = int(rng.integers(1, self.M // 2))
        s2 = int(rng.integers(1, self.M // 2))
        return {"s1": s1, "o1": int(rng.integers(1, self.M - s1 + 1)), "n1": int(rng.integers(1, self.cap // 2)),
                "s2": s2, "o2": int(rng.integers(1, self.M - s2 + 1)), "n2": int(rng.integers(1, self.cap // 2))}

    def mutate(self, p: dict, rng: np.random.Generator) -> dict:
        q = dict(p)
        key = str(rng.choice(list(q)))
        q[key] = max(1, int(round(q[key] * float(rng.choice([0.5, 0.8, 0.9, 1.1, 1.25, 2.0])) + rng.integers(-1, 2))))
        for t in "12":
            q["s" + t] = min(q["s" + t], self.M - 1)
            q["o" + t] = min(q["o" + t], self.M - q["s" + t])
        while q["n1"] + q["n2"] > self.cap:
            big = "n1" if q["n1"] >= q["n2"] else "n2"
            q[big] = max(1, q[big] // 2)
        return q

    def build(self, p: dict) -> Instance:
        from .workloads import two_type

        return two_type(self.M, p["s1"], p["o1"], p["n1"], p["s2"], p["o2"], p["n2"])


class IntervalFamily:
    """Requests with prompt ``s`` whose lengths lie in one shared interval ``[l, u]``; counts per length."""

    def __init__(self, memory: int = 60, lower: int = 1, upper: int = 4, s: int = 1, max_requests: int = 60) -> None:
        memory, lower = _whole("memory", memory, 2, 10 ** 9), _whole("lower", lower, 1, 10 ** 6)
        upper, s = _whole("upper", upper, 1, 10 ** 6), _whole("s", s, 1, 10 ** 9)
        max_requests = _whole("max_requests", max_requests, 1, 10 ** 6)
        if not 1 <= lower <= upper or s + upper > memory:
            raise ValueError(f"interval family needs 1 <= lower <= upper and s + upper <= memory "
                             f"(got lower = {lower}, upper = {upper}, s = {s}, memory = {memory})")
        self.M, self.l, self.u, self.s, self.cap = memory, lower, upper, s, max_requests

    def random(self, rng: np.random.Generator) -> dict:
        k = self.u - self.l + 1
        counts = rng.multinomial(int(rng.integers(1, self.cap + 1)), np.ones(k) / k)
        return {"counts": np.maximum(counts, 0)}

    def mutate(self, p: dict, rng: np.random.Generator) -> dict:
        c = p["counts"].copy()
        j = int(rng.integers(len(c)))
        c[j] = max(0, c[j] + int(rng.choice([-3, -1, 1, 3])))
        if c.sum() == 0:
            c[j] = 1
        while c.sum() > self.cap:
            c[int(np.argmax(c))] -= 1
        return {"counts": c}

    def build(self, p: dict) -> Instance:
        o = np.repeat(np.arange(self.l, self.u + 1), p["counts"])
        n = len(o)
        preds = Predictions(lower=np.full(n, self.l), upper=np.full(n, self.u))
        return Instance(self.M, np.full(n, self.s), o, predictions=preds, name="adversary/interval")


FAMILIES: dict[str, Callable[..., Any]] = {"random": RandomFamily, "two_type": TwoTypeFamily,
                                           "interval": IntervalFamily}


def _whole(name: str, value: Any, lo: int, hi: int) -> int:
    """A family option that must be an integer in ``[lo, hi]`` (integral floats accepted, booleans not)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise ValueError(f"family option {name} = {value!r} must be an integer in [{lo}, {hi:,}]")
    return int(value)


def check_family_options(family: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options of ``family`` checked by name and value (the errors name them); returns them.

    >>> check_family_options("random", {"n": 4})
    {'n': 4}
    >>> check_family_options("random", {"bogus": 1})
    Traceback (most recent call last):
    ...
    ValueError: unknown option 'bogus' of family 'random'; valid: n, memory, smax, online
    """
    import inspect

    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; valid families: {', '.join(FAMILIES)}")
    valid = [p for p in inspect.signature(FAMILIES[family]).parameters]
    for key in options:
        if key not in valid:
            raise ValueError(f"unknown option {key!r} of family {family!r}; valid: {', '.join(valid)}")
    FAMILIES[family](**options)       # the constructor checks the values
    return dict(options)


# ----------------------------------------------------------------------------- benchmarks
def _simulated(name: str) -> Callable[[Instance], Schedule]:
    def bench(inst: Instance) -> Schedule:
        from .runner import simulate

        return simulate(inst, name).schedule
    return bench


def _best_known(inst: Instance) -> Schedule:
    """The lowest-latency schedule among the clairvoyant heuristics H-SF, FCFS and Sorted-F (its offline
    plan, which knows the arrivals: the benchmark of the searches recorded so far).

    Each is a feasible schedule, so the best is an upper bound on OPT.
    """
    from .runner import simulate
    from .sortedf.policy import affordable_selector

    candidates = [simulate(inst, "hsf").schedule, simulate(inst, "fcfs").schedule,
                  simulate(inst, "sorted_f", plan="offline", **affordable_selector(inst)).schedule]
    return min(candidates, key=_objective)


def _opt(inst: Instance, time_limit: float = 30.0) -> Schedule:
    from .exact import solve  # loaded only when chosen

    res = solve(inst, time_limit=time_limit, on_interrupt="raise")
    if res.status != "optimal":
        raise RuntimeError(f"exact OPT not proven for this instance ({res.status}: {res.message})")
    return res.schedule


BENCHMARKS: dict[str, Callable[[Instance], Schedule]] = {"opt": _opt, "best_known": _best_known,
                                                         "hsf": _simulated("hsf")}


def _objective(schedule: Schedule) -> int:
    return int((schedule.completion - schedule.instance.a).sum())


# ----------------------------------------------------------------------------- search
@dataclass(frozen=True)
class Found:
    """One evaluated instance: its ratio and both (validated) schedules."""

    ratio: float
    instance: Instance
    policy_schedule: Schedule
    benchmark_schedule: Schedule
    params: dict = field(repr=False, default_factory=dict)

    def certificate(self) -> dict:
        """The instance and both schedules, re-validated, as JSON-ready data."""
        pol, ben = metrics(self.policy_schedule), metrics(self.benchmark_schedule)
        return {"ratio": self.ratio, "instance": self.instance.to_dict(),
                "policy": {"name": self.policy_schedule.policy, "tel": pol.tel,
                           "start": self.policy_schedule.start.tolist(),
                           "evictions": self.policy_schedule.evictions.tolist()},
                "benchmark": {"name": self.benchmark_schedule.policy, "tel": ben.tel,
                              "start": self.benchmark_schedule.start.tolist(),
                              "evictions": self.benchmark_schedule.evictions.tolist()}}


@dataclass(frozen=True)
class AdversaryResult:
    """The worst instances found (best first) and how the search went."""

    policy: str
    benchmark: str
    family: str
    worst: list[Found]
    evaluations: int
    seconds: float
    history: list[float]  # best ratio after each evaluation

    @property
    def ratio(self) -> float:
        return self.worst[0].ratio if self.worst else float("nan")

    def to_json(self, path: str | Path | None = None) -> str:
        text = json.dumps({"policy": self.policy, "benchmark": self.benchmark, "family": self.family,
                           "evaluations": self.evaluations, "seconds": self.seconds,
                           "worst": [f.certificate() for f in self.worst]}, indent=1)
        if path is not None:
            Path(path).write_text(text)
        return text


def evaluate(policy: str, instance: Instance, benchmark: str | Callable = "best_known", seed: int = 0,
             **policy_options: Any) -> Found:
    """Ratio of ``policy`` to ``benchmark`` on one instance, with both schedules validated."""
    from .runner import simulate

    bench = BENCHMARKS[benchmark] if isinstance(benchmark, str) else benchmark
    pol = simulate(instance, policy, seed=seed, **policy_options).schedule
    ben = bench(instance)
    metrics(ben)  # validate the benchmark schedule too
    return Found(_objective(pol) / _objective(ben), instance, pol, ben)


MAX_DRAWS = 50   # random draws per restart before the search gives up with the last error


def search(policy: str, family: str = "random", benchmark: str = "best_known", iterations: int = 200,
           restarts: int = 5, keep: int = 5, seed: int = 0, time_budget: float | None = None,
           progress: bool = False, policy_options: dict | None = None, **family_options: Any) -> AdversaryResult:
    """Search ``family`` for instances maximising ``policy / benchmark`` (see the module docstring).

    Each restart draws a random instance and hill-climbs for ``iterations / restarts`` local moves,
    accepting a move that does not lower the ratio.  Deterministic given ``seed``.
    """
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; valid families: {', '.join(FAMILIES)}")
    if benchmark not in BENCHMARKS:
        raise ValueError(f"unknown benchmark {benchmark!r}; valid benchmarks: {', '.join(BENCHMARKS)}")
    for name, value, lo in (("iterations", iterations, 1), ("restarts", restarts, 1), ("keep", keep, 1),
                            ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lo:
            raise ValueError(f"{name} = {value!r} must be an integer >= {lo}")
    if time_budget is not None and not (isinstance(time_budget, (int, float)) and not isinstance(time_budget, bool)
                                        and np.isfinite(time_budget) and time_budget > 0):
        raise ValueError(f"time_budget = {time_budget!r} must be a finite number of seconds > 0")
    fam = FAMILIES[family](**check_family_options(family, family_options))
    rng = np.random.default_rng(seed)
    opts = policy_options or {}
    t0 = time.perf_counter()
    found: list[Found] = []
    history: list[float] = []
    evals = 0
    per_restart = max(1, iterations // max(1, restarts))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=per_restart * restarts, desc=f"adversary {policy}", unit="inst")

    last_error: list[str] = []

    def score(params: dict) -> Found | None:
        nonlocal evals
        evals += 1
        try:
            f = evaluate(policy, fam.build(params), benchmark, seed=int(rng.integers(2**31)), **opts)
        except (InstanceError, RuntimeError) as exc:
            last_error[:] = [str(exc)]
            return None
        return Found(f.ratio, f.instance, f.policy_schedule, f.benchmark_schedule, params)

    for _ in range(restarts):
        cur = None
        for _attempt in range(MAX_DRAWS):
            cur = score(fam.random(rng))
            if cur is not None:
                break
        if cur is None:                  # every draw fails (e.g. the policy needs predictions the family lacks)
            raise ValueError(f"no instance of family {family!r} could be evaluated for policy {policy!r} in "
                             f"{MAX_DRAWS} random draws; the last error: {last_error[0] if last_error else '-'}")
        for _ in range(per_restart):
            cand = score(fam.mutate(cur.params, rng))
            if cand is not None and cand.ratio >= cur.ratio:
                cur = cand
            found.append(cur)
            history.append(max(f.ratio for f in found))
            if bar is not None:
                bar.update(1)
            if time_budget is not None and time.perf_counter() - t0 > time_budget:
                break
        if time_budget is not None and time.perf_counter() - t0 > time_budget:
            break
    if bar is not None:
        bar.close()
    unique: dict[str, Found] = {}
    for f in sorted(found, key=lambda f: -f.ratio):
        unique.setdefault(f.instance.to_json(), f)
    return AdversaryResult(policy, benchmark, family, list(unique.values())[:keep], evals,
                           time.perf_counter() - t0, history)

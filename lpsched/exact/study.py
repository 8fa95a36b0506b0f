"""J1 and C1: online policies against the exact optimum.

Layer: theory.

J1 (Jaillet et al., arXiv 2502.07115, synthetic study): ``M ~ U[30, 50]``, ``s ~ U[1, 5]``,
``o ~ U[1, M - s]`` (integers), all requests at 0 or arriving online (Poisson); the paper reports for
MC-SF against the hindsight optimum a mean ratio 1.005, worst 1.074 and 114/200 trials exactly optimal
(all at 0), and mean 1.047, worst 1.227 online.  The paper does not state ``n`` (the claim leaves it
open): :func:`jaillet_study` takes it as an argument and reports it.  Ratios are of the total
end-to-end latency ``sum (C_i - a_i)`` (the TCT when all arrive at 0); OPT minimises it exactly.  A
trial whose optimum is not proven within the time limit is left out of the statistics and counted.

C1 (Chen, Ye, Zhou, arXiv 2508.14544): H-SF is used as the hindsight benchmark; :func:`hsf_worst_case`
searches small instances (homogeneous or heterogeneous prompt sizes) for the worst H-SF / OPT.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from ..model import Instance
from ..runner import simulate
from .result import ExactResult

__all__ = ["jaillet_instance", "jaillet_study", "StudyResult", "PolicyStats", "hsf_worst_case", "WorstCase",
           "ARRIVALS", "TRIAL_COLUMNS"]

ARRIVALS = ("zero", "poisson")


def jaillet_instance(n: int, seed, arrivals: str = "zero", rate: float = 0.1) -> Instance:
    """Jaillet et al.'s synthetic instance (:func:`lpsched.workloads.uniform`): ``M ~ U[30, 50]``,
    ``s ~ U[1, 5]``, ``o ~ U[1, M - s]``, drawn from ``numpy.random.default_rng(seed)``.

    ``arrivals="poisson"``: then, from the same generator, :func:`lpsched.workloads.poisson_arrivals`
    with ``rate`` requests per time step (integer times, the first at 0).

    >>> inst = jaillet_instance(5, seed=1)
    >>> inst.n, 30 <= inst.memory <= 50, bool((inst.s + inst.o <= inst.memory).all())
    (5, True, True)
    """
    from ..workloads import poisson_arrivals, uniform, with_arrivals

    _count(n, "n")
    if arrivals not in ARRIVALS:
        raise ValueError(f"unknown arrivals {arrivals!r}; valid: {', '.join(ARRIVALS)}")
    rng = np.random.default_rng(seed)
    inst = uniform(n, rng)
    if arrivals == "poisson":
        inst = with_arrivals(inst, poisson_arrivals(n, rate, rng))
    return Instance(inst.memory, inst.s, inst.o, inst.a, name=f"jaillet n={n} seed={seed} {arrivals}")


def _count(value, name: str, minimum: int = 1) -> int:
    """``value`` if it is an integer ``>= minimum`` (not a bool), else a ValueError naming it."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} = {value!r} must be an integer >= {minimum}")
    return int(value)


def _seconds(value, name: str = "time_limit") -> float:
    import math

    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} = {value!r} must be a finite number of seconds > 0")
    return float(value)


@dataclass(frozen=True)
class PolicyStats:
    policy: str
    mean_ratio: float
    worst_ratio: float
    optimal_trials: int        # ratio exactly 1
    trials: int                # trials with a proven optimum
    worst_seed: int | None = None


@dataclass(frozen=True)
class StudyResult:
    """J1 table: one :class:`PolicyStats` per policy, plus how OPT was obtained."""

    n: int
    arrivals: str
    rate: float | None
    trials: int
    proven: int
    unproven_seeds: tuple
    backend: str
    time_limit: float
    seconds: float
    stats: tuple
    ratios: dict = field(default_factory=dict, repr=False)
    from_log: int = 0          # trials whose exact solve was taken from the trial log (``out=``)

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([s.__dict__ for s in self.stats]).set_index("policy")

    def table(self) -> str:
        head = (f"J1 (Jaillet study): n = {self.n}, arrivals = {self.arrivals}"
                + (f" (Poisson rate {self.rate})" if self.arrivals == "poisson" else "")
                + f", {self.proven}/{self.trials} trials with proven OPT ({self.backend}, "
                f"{self.time_limit:g} s limit), {self.seconds:.0f} s"
                + (f" ({self.from_log} trials from the log)" if self.from_log else ""))
        rows = [f"{'policy':8s} {'mean':>7s} {'worst':>7s} {'optimal':>9s}"]
        for s in self.stats:
            rows.append(f"{s.policy:8s} {s.mean_ratio:7.4f} {s.worst_ratio:7.4f} {s.optimal_trials:4d}/{s.trials:<4d}")
        return "\n".join([head] + rows)

    def to_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k not in ("stats", "ratios")}
        d["unproven_seeds"] = list(self.unproven_seeds)
        d["stats"] = [s.__dict__ for s in self.stats]
        return d


#: columns of the trial log of :func:`jaillet_study` (``out=``): one exact solve per row
TRIAL_COLUMNS = ["key", "n", "arrivals", "rate", "seed", "backend", "time_limit", "options",
                 *ExactResult.ROW_COLUMNS]


def _solve_trial(inst: Instance, params: dict, log, cached: dict, **options):
    """``(optimal schedule or None if not proven, whether it came from the log)`` of one trial.

    The log is keyed without the time limit: a logged proof is reused under any limit, and a logged
    unproven trial is reused under a limit no longer than its own, else solved again from its logged
    schedule and bound (``solve(initial=...)``) and logged anew (the last row of a key counts).  Logged
    trials are rebuilt by :meth:`ExactResult.from_dict`: the schedule is validated again and its value
    recomputed; only the proof (or bound) is taken from the log.
    """
    from ..rowlog import canonical_key
    from . import solve

    key = canonical_key({k: v for k, v in params.items() if k != "time_limit"})
    row = cached.get(key)
    logged = None
    if row is not None:
        logged = ExactResult.from_row(row, inst, params["backend"])
        if logged.status == "optimal" or float(row["time_limit"]) >= params["time_limit"]:
            return (logged.schedule if logged.status == "optimal" else None), True
    res = solve(inst, backend=params["backend"], time_limit=params["time_limit"], on_interrupt="raise",
                initial=logged, **options)
    if log is not None:
        log.append({**params, "options": canonical_key(params["options"]), "key": key, **res.to_row()})
    return (res.schedule if res.status == "optimal" else None), False


def jaillet_study(n: int = 8, trials: int = 200, arrivals: str = "zero", rate: float = 0.1,
                  policies=("mcsf", "fcfs", "hsf"), backend: str = "cpsat", time_limit: float = 60.0,
                  seed: int = 0, progress: bool = False, out=None, **solver_options) -> StudyResult:
    """Rerun the Jaillet synthetic study with exact OPT (trial ``k`` uses seed ``seed + k``).

    ``out``: a CSV trial log (:class:`lpsched.rowlog.RowLog`, columns :data:`TRIAL_COLUMNS`).  Each exact
    solve is appended as it finishes; a rerun with the same arguments takes the trials already in the
    log (keyed by n, arrivals, rate, seed, backend and solver options) instead of solving them again, so
    an interrupted study resumes where it stopped and gives the same result.  A rerun with a longer
    time limit keeps the proven trials and continues the unproven ones from their logged schedule and
    bound.  Logged schedules are validated again and the policies are re-simulated (they are cheap).
    """
    from ..rowlog import RowLog

    _count(n, "n")
    _count(trials, "trials")
    _count(seed, "seed", 0)
    _seconds(time_limit)
    if arrivals == "poisson":
        _seconds(rate, "rate")
    t0 = time.perf_counter()
    ratios: dict[str, list] = {p: [] for p in policies}
    seeds_used, unproven, from_log = [], [], 0
    it = range(trials)
    if progress:
        from tqdm import tqdm

        it = tqdm(it, desc=f"J1 n={n} {arrivals}")
    log = None if out is None else RowLog(out, TRIAL_COLUMNS)
    cached = {} if log is None else {r["key"]: r for r in log.read_and_open()}
    try:
        for k in it:
            inst = jaillet_instance(n, seed + k, arrivals, rate)
            params = {"n": n, "arrivals": arrivals, "rate": float(rate) if arrivals == "poisson" else None,
                      "seed": seed + k, "backend": backend, "time_limit": float(time_limit), "options": solver_options}
            schedule, logged = _solve_trial(inst, params, log, cached, **solver_options)
            from_log += logged
            if schedule is None:
                unproven.append(seed + k)
                continue
            opt = schedule.metrics().tel
            seeds_used.append(seed + k)
            for p in policies:
                ratios[p].append(simulate(inst, p).metrics.tel / opt)
    finally:
        if log is not None:
            log.close()
    stats = []
    for p in policies:
        r = np.array(ratios[p])
        if len(r):
            stats.append(PolicyStats(p, float(r.mean()), float(r.max()), int(np.sum(np.isclose(r, 1.0))), len(r),
                                     int(seeds_used[int(np.argmax(r))])))
        else:
            stats.append(PolicyStats(p, float("nan"), float("nan"), 0, 0, None))
    return StudyResult(n, arrivals, rate if arrivals == "poisson" else None, trials, len(seeds_used),
                       tuple(unproven), backend, time_limit, time.perf_counter() - t0, tuple(stats),
                       {p: list(v) for p, v in ratios.items()}, from_log)


@dataclass(frozen=True)
class WorstCase:
    """C1: the worst H-SF / OPT found."""

    homogeneous: bool
    ratio: float
    instance: Instance
    hsf_tct: int
    opt_tct: int
    searched: int
    mean_ratio: float
    optimal_fraction: float
    seconds: float

    def to_dict(self) -> dict:
        return {"homogeneous": self.homogeneous, "ratio": self.ratio, "hsf_tct": self.hsf_tct,
                "opt_tct": self.opt_tct, "searched": self.searched, "mean_ratio": self.mean_ratio,
                "optimal_fraction": self.optimal_fraction, "seconds": self.seconds,
                "instance": self.instance.to_dict()}


def _random_small(rng, homogeneous: bool, n_max: int) -> Instance:
    n = int(rng.integers(2, n_max + 1))
    M = int(rng.integers(6, 21))
    s = np.full(n, int(rng.integers(1, 4))) if homogeneous else rng.integers(1, 5, n)
    s = np.minimum(s, M - 1)
    o = np.array([rng.integers(1, M - si + 1) for si in s])
    return Instance(M, s, o)


def _mutate(rng, inst: Instance, homogeneous: bool) -> Instance:
    s, o, M = inst.s.copy(), inst.o.copy(), inst.memory
    i = int(rng.integers(inst.n))
    what = rng.integers(3)
    if what == 0 or homogeneous:
        o[i] = max(1, min(M - s[i], o[i] + int(rng.choice([-2, -1, 1, 2]))))
    elif what == 1:
        s[i] = max(1, min(M - o[i], s[i] + int(rng.choice([-1, 1]))))
    else:
        M = max(int((s + o).max()), M + int(rng.choice([-1, 1])))
    return Instance(M, s, o)


def hsf_worst_case(samples: int = 200, homogeneous: bool = False, n_max: int = 6, seed: int = 0,
                   backend: str = "cpsat", time_limit: float = 20.0, mutations: int = 100) -> WorstCase:
    """Random small instances, then hill-climbing mutations of the worst: the largest H-SF / OPT (TCT)."""
    from . import solve

    _count(samples, "samples")
    _count(n_max, "n_max", 2)
    _count(mutations, "mutations", 0)
    _count(seed, "seed", 0)
    _seconds(time_limit)
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    ratios = []
    worst = (0.0, None, 0, 0)

    def evaluate(inst):
        res = solve(inst, backend=backend, time_limit=time_limit, on_interrupt="raise")
        if res.status != "optimal":
            return None
        h = simulate(inst, "hsf").metrics.tct
        return h / res.objective, h, res.objective

    for _ in range(samples):
        inst = _random_small(rng, homogeneous, n_max)
        got = evaluate(inst)
        if got is None:
            continue
        ratios.append(got[0])
        if got[0] > worst[0]:
            worst = (got[0], inst, got[1], got[2])
    for _ in range(mutations if worst[1] is not None else 0):
        cand = _mutate(rng, worst[1], homogeneous)
        got = evaluate(cand)
        if got is not None and got[0] > worst[0]:
            worst = (got[0], cand, got[1], got[2])
    r = np.array(ratios) if ratios else np.array([np.nan])
    return WorstCase(homogeneous, float(worst[0]), worst[1], int(worst[2]), int(worst[3]), len(ratios),
                     float(r.mean()), float(np.mean(np.isclose(r, 1.0))), time.perf_counter() - t0)

"""The engine: both clocks agree for every policy; misbehaving policies are stopped with clear errors."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lpsched import Decision, Instance, Predictions, SimulationError, available_policies, simulate, validate
from lpsched.engine import NEVER

from strategies import instances


def with_all_predictions(inst: Instance, seed: int) -> Instance:
    """Attach interval (containing o), point and log-t predictions so every policy can run."""
    rng = np.random.default_rng(seed)
    room = inst.memory - inst.s
    lower = np.maximum(1, inst.o - rng.integers(0, 3, inst.n))
    upper = np.minimum(room, inst.o + rng.integers(0, 3, inst.n))
    point = inst.o * np.exp(rng.normal(0, 0.3, inst.n))
    mu = np.log(inst.o) + rng.normal(0, 0.3, inst.n)
    sigma = np.full(inst.n, 0.5)
    return inst.with_predictions(Predictions(lower, upper, point, mu, sigma))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_n=9, max_memory=30), st.integers(0, 10**6))
@pytest.mark.parametrize("policy", available_policies())
def test_fast_engine_equals_reference_engine(policy, inst, seed):
    inst = with_all_predictions(inst, seed)
    fast = simulate(inst, policy, engine="fast", seed=seed)
    ref = simulate(inst, policy, engine="reference", seed=seed)
    assert fast.schedule.same_as(ref.schedule), (policy, inst.to_dict())
    validate(fast.schedule)  # simulate validates already; explicit for the reader
    assert fast.decisions <= ref.decisions


def test_worked_example_every_policy_is_valid():
    inst = Instance(6, [2, 2, 2, 2], [1, 1, 2, 3])
    for name in ("fcfs", "mcsf", "sf", "hsf", "vllm"):
        assert simulate(inst, name).metrics.tct == 11


class Scripted:
    """A policy that replays fixed decisions: {t: Decision}."""

    clairvoyant = True

    def __init__(self, plan, name="scripted"):
        self.plan, self.name = plan, name

    def reset(self, view, rng):
        pass

    def decide(self, state):
        return self.plan.get(state.t, Decision(wake_at=None))


@pytest.mark.parametrize("plan, message", [
    ({0: Decision(start=[5])}, "started request 5 at t = 0, but it is done or not arrived"),
    ({0: Decision(start=[0]), 1: Decision(start=[0])}, "started request 0 at t = 1, but it is running"),
    ({0: Decision(evict=[1])}, "evicted request 1 at t = 0, but it is not running"),
    ({0: Decision(start=[0, 1, 2])}, "leaves memory 12 > M = 10 at t = 1"),
    ({0: Decision(wake_at=NEVER)}, "makes no progress at t = 0"),
])
def test_misbehaving_policy_is_stopped(plan, message):
    inst = Instance(10, [3, 3, 3], [2, 2, 2])
    with pytest.raises(SimulationError, match=message):
        simulate(inst, Scripted(plan))


def test_evicting_at_start_time_is_rejected():
    inst = Instance(10, [3], [2])

    class StartEvict(Scripted):
        def decide(self, state):
            return Decision(start=[0], evict=[0]) if state.t == 0 else Decision()

    with pytest.raises(SimulationError, match="evicted request 0 at t = 0, but it is not running"):
        simulate(inst, StartEvict({}))


def test_endless_restarts_hit_the_time_limit():
    """A policy that evicts its only request every step would loop forever: the engine stops it."""
    inst = Instance(10, [1], [3])

    class Thrash(Scripted):
        def decide(self, state):
            if state.running:
                return Decision(evict=list(state.running), wake_at=None)
            return Decision(start=[0], wake_at=None)

    with pytest.raises(SimulationError, match="has not finished by t = 50"):
        simulate(inst, Thrash({}), max_time=50)


def test_non_clairvoyant_policy_cannot_read_o():
    class Peek(Scripted):
        clairvoyant = False

        def reset(self, view, rng):
            view.o

    with pytest.raises(SimulationError, match="non-clairvoyant policy tried to read"):
        simulate(Instance(10, [1], [1]), Peek({}))


def test_lone_request_overflow_is_a_clear_error():
    """An instance forged past validation (s + o > M): vLLM must stop, not loop."""
    inst = Instance(10, [4], [5])
    object.__setattr__(inst, "o", np.array([8]))
    with pytest.raises(SimulationError, match="request 0 alone overflows memory at t = 7"):
        simulate(inst, "vllm", check=False)


def test_unknown_names():
    inst = Instance(10, [1], [1])
    with pytest.raises(ValueError, match="valid engines: \\['fast', 'python', 'kernel', 'reference'\\]"):
        simulate(inst, "mcsf", engine="warp")
    with pytest.raises(ValueError, match="valid policies: .*mcsf"):
        simulate(inst, "shortest")


def test_deterministic_given_seed():
    rng = np.random.default_rng(3)
    inst = Instance(50, rng.integers(1, 10, 40), rng.integers(1, 30, 40), rng.integers(0, 100, 40))
    for name in available_policies():
        try:
            a = simulate(with_all_predictions(inst, 1), name, seed=7)
        except Exception as exc:  # pragma: no cover - a policy with required options
            pytest.skip(f"{name}: {exc}")
        b = simulate(with_all_predictions(inst, 1), name, seed=7)
        assert a.schedule.same_as(b.schedule)


def test_fast_engine_skips_steps():
    inst = Instance(100, [10] * 20, [50] * 20, list(range(0, 200, 10)))
    fast = simulate(inst, "mcsf")
    ref = simulate(inst, "mcsf", engine="reference")
    assert fast.schedule.same_as(ref.schedule)
    assert fast.decisions * 5 < ref.decisions
    assert not math.isnan(fast.seconds)


def _medium_instance(seed: int) -> Instance:
    """Up to 40 requests, online or not, and half the time coarse intervals (many equal estimates)."""
    rng = np.random.default_rng(seed)
    M, n = int(rng.integers(8, 80)), int(rng.integers(1, 40))
    s = rng.integers(1, max(2, M // int(rng.integers(2, 6))), n)
    o = np.array([rng.integers(1, min(M - si, int(rng.integers(2, 30))) + 1) for si in s])
    a = np.sort(rng.integers(0, int(rng.integers(1, 3 * M)), n)) if rng.random() < 0.8 else None
    inst = with_all_predictions(Instance(M, s, o, a), seed)
    if rng.random() < 0.5:
        p = inst.predictions
        lower = np.maximum(1, o // 5 * 5)
        upper = np.maximum(lower, np.minimum(M - s, lower + 4))
        inst = inst.with_predictions(Predictions(lower, upper, p.point, p.mu, p.sigma))
    return inst


@pytest.mark.parametrize("policy, options", [("amin", {}), ("amin", {"tie": "adversarial"}), ("amax", {}),
                                             ("sf_point", {}), ("mcsf", {}), ("vllm", {})])
def test_fast_engine_equals_reference_on_medium_instances(policy, options):
    """The fast engine's deferred arrivals and completions on longer runs with many ties and evictions."""
    for seed in range(60):
        inst = _medium_instance(seed)
        if policy == "amax" and np.any(inst.o > inst.predictions.upper):
            continue
        fast = simulate(inst, policy, seed=seed, **options)
        ref = simulate(inst, policy, engine="reference", seed=seed, **options)
        assert fast.schedule.same_as(ref.schedule), (policy, seed)


def test_fast_engine_equals_reference_for_mcsf_with_over_estimates():
    """MC-SF on over-estimates: a completion may come before its forecast end, so completions matter
    while someone waits (and only then)."""
    for seed in range(60):
        inst = _medium_instance(seed)
        est = np.minimum(inst.memory - inst.s, inst.o + np.random.default_rng(seed).integers(0, 6, inst.n))
        fast = simulate(inst, "mcsf", estimate=est)
        ref = simulate(inst, "mcsf", engine="reference", estimate=est)
        assert fast.schedule.same_as(ref.schedule), seed


def test_engine_names_and_what_ran(monkeypatch):
    """engine="python" is today's event loop; the result says which engine ran."""
    monkeypatch.delenv("LPSCHED_ENGINE", raising=False)
    inst = Instance(10, [3, 3, 3], [2, 2, 2], [0, 1, 2])
    for engine in ("python", "reference"):
        assert simulate(inst, "mcsf", engine=engine).engine == engine
    assert simulate(inst, "mcsf").engine == "python"           # small: not worth compiling
    assert simulate(inst, "mcsf").to_dict()["engine"] == "python"


def test_policy_state_is_released_before_validation():
    """The engine calls release() once the run is over: validation does not run beside the policy's data."""
    from lpsched import make_policy

    inst = with_all_predictions(Instance(20, [3] * 6, [2, 3, 4, 2, 3, 4], [0, 0, 1, 1, 2, 2]), 1)
    for name in ("mcsf", "vllm", "amin", "tie", "sorted_f"):
        pol = make_policy(name)
        simulate(inst, pol, engine="python")
        left = [k for k, v in vars(pol).items() if k.startswith("_") and hasattr(v, "__len__")]
        assert not left, (name, left)            # per-request containers are gone (scalars may stay)

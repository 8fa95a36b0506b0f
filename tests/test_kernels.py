"""The compiled kernels (lpsched.kernels): identical schedules to the reference engine, seeded random ties
included; the engine's choice of kernel or Python; errors; the disk cache; the kernels' building blocks."""

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lpsched import Instance, Predictions, SimulationError, make_policy, simulate, traces
from lpsched import kernels
from lpsched.engine import choose_engine

from strategies import instances
from test_engine import _medium_instance, with_all_predictions

pytestmark = pytest.mark.skipif(not kernels.numba_available(), reason="numba is not installed")

# every kernel policy and option that changes its code path
VARIANTS = [("fcfs", {}), ("mcsf", {}), ("sf", {}), ("hsf", {}), ("priority", {"priority": "random"}),
            ("mcsf", {"estimate": "over"}), ("vllm", {}), ("sf_point", {})] + \
           [(name, {"scan": "skip"}) for name in ("fcfs", "mcsf", "sf", "hsf")] + \
           [("priority", {"priority": "random", "scan": "skip"}), ("mcsf", {"estimate": "over", "scan": "skip"})] + \
           [("amax", {"tie": t, "reading": r}) for t in ("random", "index", "adversarial")
            for r in ("refill", "batch")] + \
           [("amin", {"tie": t}) for t in ("random", "index", "adversarial")]


def _options(inst: Instance, options: dict, seed: int) -> dict:
    """Concrete options: random priorities, over-estimates ``o <= estimate <= M - s``."""
    out = dict(options)
    rng = np.random.default_rng(seed)
    if out.get("priority") == "random":
        out["priority"] = rng.integers(0, 3, inst.n)
    if out.get("estimate") == "over":
        out["estimate"] = np.minimum(inst.memory - inst.s, inst.o + rng.integers(0, 4, inst.n))
    return out


def _runs(inst, name, options, seed):
    if name == "amax":          # A_max relies on o <= u
        p = inst.predictions
        inst = inst.with_predictions(Predictions(p.lower, np.maximum(p.upper, inst.o), p.point, p.mu, p.sigma))
    opts = _options(inst, options, seed)
    kern = simulate(inst, name, engine="kernel", seed=seed, **opts)
    ref = simulate(inst, name, engine="reference", seed=seed, **opts)
    return kern, ref


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_n=9, max_memory=30), st.integers(0, 10**6))
@pytest.mark.parametrize("name, options", VARIANTS, ids=lambda v: str(v))
def test_kernel_equals_reference_engine(name, options, inst, seed):
    kern, ref = _runs(with_all_predictions(inst, seed), name, options, seed)
    assert kern.engine == "kernel" and ref.engine == "reference"
    assert kern.schedule.same_as(ref.schedule), (name, options, inst.to_dict())
    assert kern.decisions <= ref.decisions


@pytest.mark.parametrize("name, options", VARIANTS, ids=lambda v: str(v))
def test_kernel_equals_reference_on_medium_instances(name, options):
    """Longer runs with many ties, evictions and learned estimates (coarse intervals half of the time)."""
    for seed in range(25):
        kern, ref = _runs(_medium_instance(seed), name, options, seed)
        assert kern.schedule.same_as(ref.schedule), (name, options, seed)


def test_random_ties_draw_the_same_stream():
    """The pinned digests of tests/test_robust.py (Python engine) come out of the kernels too, and the
    generator ends in the state the Python policy leaves it in."""
    from test_robust import PINNED, _tied_workload

    from lpsched.engine import _simulate

    inst = _tied_workload()
    for name, opt, digest in PINNED:
        res = simulate(inst, name, engine="kernel", seed=3, **opt)
        got = hashlib.sha1(res.schedule.start.tobytes() + res.schedule.evictions.tobytes()).hexdigest()[:12]
        assert got == digest, (name, opt)
    for opt in ({}, {"tie": "adversarial"}):
        rng_k, rng_p = np.random.default_rng(5), np.random.default_rng(5)
        make_policy("amin", **opt).compiled(inst).run(rng_k, 10**12)
        _simulate(inst, make_policy("amin", **opt), rng_p, True, 10**12, None)
        assert rng_k.bit_generator.state == rng_p.bit_generator.state


@pytest.mark.slow
@pytest.mark.parametrize("trace", ["code", "conv"])
def test_azure_traces_kernel_equals_reference(trace):
    """Every kernel policy on a whole bundled trace: against the reference engine for the rules, against
    the Python event loop for the other tie rules (itself checked against the reference engine above)."""
    from lpsched.predictions import DEFAULT_SPEC, attach

    inst = attach(traces.load(trace), DEFAULT_SPEC, seed=1)
    prio = np.arange(inst.n) % 3
    for name, opt, against in [("fcfs", {}, "reference"), ("mcsf", {}, "reference"), ("vllm", {}, "reference"),
                               ("amax", {}, "reference"), ("amax", {"reading": "batch"}, "reference"),
                               ("amin", {}, "reference"), ("sf_point", {}, "reference"),
                               ("priority", {"priority": prio}, "python"), ("hsf", {}, "python"),
                               ("amax", {"tie": "adversarial"}, "python"), ("amin", {"tie": "index"}, "python"),
                               ("amin", {"tie": "adversarial"}, "python"), ("hsf", {"scan": "skip"}, "python"),
                               ("fcfs", {"scan": "skip"}, "python")]:
        kern = simulate(inst, name, engine="kernel", check=False, **opt)
        other = simulate(inst, name, engine=against, check=False, **opt)
        assert kern.schedule.same_as(other.schedule), (trace, name, opt)


# ------------------------------------------------------------------------------------------ choosing
SMALL = Instance(10, [3, 3, 3], [2, 2, 2], [0, 1, 2],
                 Predictions(lower=[1, 1, 1], upper=[2, 2, 2], point=[2.0, 2.0, 2.0]))


def test_fast_runs_python_below_the_threshold_and_kernel_above(monkeypatch):
    monkeypatch.delenv("LPSCHED_ENGINE", raising=False)
    assert simulate(SMALL, "mcsf").engine == "python"
    monkeypatch.setattr(kernels, "LOADED_MIN_REQUESTS", 1)
    monkeypatch.setattr(kernels, "KERNEL_MIN_REQUESTS", dict.fromkeys(kernels.KERNEL_MIN_REQUESTS, 1))
    for name in ("mcsf", "vllm", "amin", "amax", "sf_point"):
        assert simulate(SMALL, name).engine == "kernel"
    assert simulate(SMALL, "sorted_f").engine == "python"   # no kernel: Python


@pytest.mark.parametrize("name", ["mcsf", "fcfs", "vllm", "amin", "amax", "sf_point"])
def test_environment_forces_the_python_engine(monkeypatch, name):
    """LPSCHED_ENGINE=python: every default run is pure Python, whatever the size; =kernel: compiled."""
    monkeypatch.setattr(kernels, "LOADED_MIN_REQUESTS", 1)
    monkeypatch.setattr(kernels, "KERNEL_MIN_REQUESTS", dict.fromkeys(kernels.KERNEL_MIN_REQUESTS, 1))
    inst = _medium_instance(7)
    if name == "amax":
        inst = inst.with_predictions(Predictions(inst.predictions.lower,
                                                 np.maximum(inst.predictions.upper, inst.o)))
    monkeypatch.setenv("LPSCHED_ENGINE", "python")
    py = simulate(inst, name, seed=2)
    monkeypatch.setenv("LPSCHED_ENGINE", "kernel")
    kern = simulate(inst, name, seed=2)
    assert (py.engine, kern.engine) == ("python", "kernel")
    assert py.schedule.same_as(kern.schedule)
    assert simulate(inst, name, engine="reference").engine == "reference"   # explicit engines win
    monkeypatch.setenv("LPSCHED_ENGINE", "python")
    assert simulate(inst, name, engine="kernel").engine == "kernel"


def test_engine_errors_name_the_argument_and_value(monkeypatch):
    monkeypatch.setenv("LPSCHED_ENGINE", "turbo")
    with pytest.raises(ValueError, match="LPSCHED_ENGINE = 'turbo'; valid values: auto, python, kernel"):
        simulate(SMALL, "mcsf")
    monkeypatch.delenv("LPSCHED_ENGINE")
    with pytest.raises(ValueError, match="engine = 'kernel': policy 'sorted_f' has no compiled event loop"):
        simulate(SMALL, "sorted_f", engine="kernel")
    with pytest.raises(ValueError, match="unknown engine 'warp'"):
        choose_engine("warp", make_policy("mcsf"), SMALL)


def test_subclass_that_changes_the_rule_gets_no_kernel():
    from lpsched.policies.greedy import FutureCheckPolicy

    class Mine(FutureCheckPolicy):
        def decide(self, state):
            return super().decide(state)

    assert Mine("mine", "length").compiled(SMALL) is None
    assert make_policy("mcsf").compiled(SMALL) is not None
    assert make_policy("tie").__class__.__dict__.get("compiled") is None


def test_kernel_runs_stop_with_the_python_engines_errors():
    """A lone request overflowing memory, or a run past max_time: the same SimulationError as Python."""
    inst = Instance(10, [4], [5])
    object.__setattr__(inst, "o", np.array([8]))             # forged past validation: s + o > M
    with pytest.raises(SimulationError, match="request 0 alone overflows memory at t = 7"):
        simulate(inst, "vllm", engine="kernel", check=False)
    with pytest.raises(SimulationError, match="has not finished by t = 3"):
        simulate(Instance(10, [1, 1], [4, 4], [0, 5]), "mcsf", engine="kernel", max_time=3)


def test_big_ids_and_memory_fall_back_when_keys_do_not_fit():
    inst = Instance(2**40, [1, 1], [1, 1], predictions=Predictions(lower=[1, 1], upper=[1, 1]))
    assert make_policy("amin").compiled(inst) is None        # one slot per estimate: too many
    assert simulate(inst, "amin").schedule.start.tolist() == [0, 0]


# ------------------------------------------------------------------------------------------ cache
def _fresh_run(cache: str) -> subprocess.CompletedProcess:
    code = ("from lpsched import Instance, simulate; from lpsched.kernels import _jit;"
            "r = simulate(Instance(6, [2, 2, 2, 2], [1, 1, 2, 3]), 'hsf', engine='kernel');"
            "print(r.engine, r.schedule.start.tolist(), _jit._STATE['cache'])")
    env = dict(os.environ, LPSCHED_CACHE_DIR=cache, PYTHONWARNINGS="error::UserWarning")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)


def test_missing_cache_directory_is_created_and_unusable_one_is_skipped(tmp_path):
    missing = tmp_path / "a" / "b"
    out = _fresh_run(str(missing))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("kernel [0, 0, 1, 3]") and str(missing) in out.stdout
    assert any(missing.rglob("*.nbi"))                       # numba's index files: compiled code cached
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    out = _fresh_run(str(blocker / "cache"))                 # cannot be created: compile in memory
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "kernel [0, 0, 1, 3] None"


def test_import_does_not_load_numba():
    code = "import sys, lpsched; print('numba' in sys.modules, 'lpsched.kernels' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False"]


# ------------------------------------------------------------------------------------------ blocks
@settings(max_examples=150, deadline=None)
@given(st.integers(5, 60).flatmap(lambda M: st.tuples(
    st.just(M),
    st.lists(st.tuples(st.integers(1, M // 3), st.integers(0, 10), st.integers(1, 25)), max_size=8),
    st.integers(1, M - 1), st.integers(0, 30), st.integers(0, 12))))
def test_forecast_arrays_match_future_memory(case):
    """The kernels' forecast (lpsched.kernels._common) against lpsched.future.FutureMemory."""
    from lpsched.future import FutureMemory
    from lpsched.kernels import _common as C
    from lpsched.kernels import _jit

    _jit.load()
    M, runs, s, when, shift = case
    o = max(1, min(M - s, 1 + shift * 2))
    fm = FutureMemory(M)
    fe, fc, fb, fs = C.fm_new(len(runs) + 3)
    for rs, p, d in runs:
        fm.add(rs, p, p + d)
        C.fm_add(fe, fc, fb, fs, rs, p, p + d)
    tau = max([p for _, p, _ in runs], default=0) + shift
    want = fm._blocked_until(s, o, tau)
    assert C.fm_blocked_until(fe, fc, fb, fs, M, s, o, tau) == (C.FITS if want is None else want)
    got = C.fm_earliest_start(fe, fc, fb, fs, M, s, o, tau, tau + 7)
    want = fm.earliest_start(s, o, tau, tau + 7)
    assert got == (C.NEVER if want is None else want)
    fm.postpone(when)
    C.fm_postpone(fe, fc, fb, fs, when)
    tau = max(tau, when)
    assert C.fm_earliest_start(fe, fc, fb, fs, M, s, o, tau, C.NEVER) == fm.earliest_start(s, o, tau)
    if runs:
        rs, p, d = runs[0]
        end = max(p + d, when + 1)
        fm.remove(rs, p, end)
        assert C.fm_remove(fe, fc, fb, fs, rs, p, end)
        assert C.fm_next_end(fe, fs) == (C.NEVER if fm.next_end() == float("inf") else fm.next_end())
        assert fs[2] == len(fm) and fs[3] + fs[2] * tau == fm.total_at(tau)


@pytest.mark.parametrize("seed", [0, 1, 2**40 + 7])
def test_bounded_draws_are_numpys_draw_for_draw(seed):
    """A random tie's draw in a kernel is ``Generator.integers(r)``: the same numbers and the same state
    after (half of a 64-bit output left buffered; no draw for r = 1; rejections with a large r)."""
    from lpsched.kernels import _jit
    from lpsched.kernels import _random as R

    _jit.load()
    ours, theirs = np.random.default_rng(seed), np.random.default_rng(seed)
    ours.integers(0, 10)                                      # leave half a 64-bit draw buffered
    theirs.integers(0, 10)
    rs = R.pcg_state(ours)
    sizes = [1, 2, 3, 7, 64, 65, 1000, 4999, 1, 2**31 + 5, 2**32 - 1, 2**32] + [3 * 2**30] * 500
    assert [R.bounded(rs, r) for r in sizes] == [int(theirs.integers(r)) for r in sizes]
    R.pcg_restore(ours, rs)
    assert ours.bit_generator.state == theirs.bit_generator.state
    assert R.pcg_state(np.random.Generator(np.random.MT19937(1))) is None


@settings(max_examples=150, deadline=None)
@given(st.integers(5, 60).flatmap(lambda M: st.tuples(
    st.just(M),
    st.lists(st.tuples(st.integers(1, M // 3), st.integers(0, 10), st.integers(1, 25)), max_size=8),
    st.integers(1, 4), st.integers(1, M), st.integers(1, 30), st.integers(0, 12))))
def test_forecast_of_a_group_matches_future_memory(case):
    """``fm_blocked_until_many`` (a group of requests started together) against FutureMemory."""
    from lpsched.future import FutureMemory
    from lpsched.kernels import _common as C
    from lpsched.kernels import _jit

    _jit.load()
    M, runs, count, s, o, shift = case
    s = max(s, count)
    fm = FutureMemory(M)
    fe, fc, fb, fs = C.fm_new(len(runs) + 3)
    for rs, p, d in runs:
        fm.add(rs, p, p + d)
        C.fm_add(fe, fc, fb, fs, rs, p, p + d)
    tau = max([p for _, p, _ in runs], default=0) + shift
    want = fm._blocked_until(s, o, tau, count)
    got = C.fm_blocked_until_many(fe, fc, fb, fs, M, count, s, o, tau)
    assert got == (C.FITS if want is None else C.NEVER if want == float("inf") else want)


def _group_workload(n: int, M: int, seed: int, lower: int = 1, upper: int = 4) -> Instance:
    """``n`` requests arriving together with one interval ``[lower, upper]`` (one group of random ties),
    prompts 1-3 and true lengths inside the interval."""
    rng = np.random.default_rng(seed)
    s = rng.integers(1, 4, n)
    o = rng.integers(lower, upper + 1, n)
    return Instance(M, s, o, predictions=Predictions(lower=np.full(n, lower), upper=np.full(n, upper)))


def _lazy_fisher_yates(members: list, k: int, rng: np.random.Generator) -> list:
    """The random tie's stream as lpsched.policies.robust documents it: ``k`` members drawn from the list."""
    members, out = list(members), []
    for _ in range(k):
        x = int(rng.integers(len(members)))
        out.append(members[x])
        members[x] = members[-1]
        members.pop()
    return out


@pytest.mark.parametrize("reading", ["refill", "batch"])
def test_amax_random_tie_on_5000_identical_requests(reading):
    """A_max on 5,000 identical requests: at t = 0, M // (s + u) of them start, exactly the first draws of
    the documented lazy Fisher-Yates; the kernel and the reference engine agree on the whole schedule and
    leave the generator in the same state."""
    from lpsched.engine import _simulate

    n, M = 5000, 100
    inst = Instance(M, np.ones(n, np.int64), np.full(n, 4), predictions=Predictions(lower=np.ones(n, np.int64),
                                                                                   upper=np.full(n, 4)))
    kern = simulate(inst, "amax", engine="kernel", seed=11, reading=reading)
    ref = simulate(inst, "amax", engine="reference", seed=11, reading=reading)
    assert kern.schedule.same_as(ref.schedule)
    first = np.flatnonzero(kern.schedule.start == 0)
    assert sorted(first.tolist()) == sorted(_lazy_fisher_yates(range(n), M // 5, np.random.default_rng(11)))
    rng_k, rng_p = np.random.default_rng(4), np.random.default_rng(4)
    make_policy("amax", reading=reading).compiled(inst).run(rng_k, 10**12)
    _simulate(inst, make_policy("amax", reading=reading), rng_p, True, 10**12, None)
    assert rng_k.bit_generator.state == rng_p.bit_generator.state


@pytest.mark.parametrize("seed", [0, 1])
def test_amin_random_ties_on_5000_requests_with_one_estimate(seed):
    """A_min with 5,000 requests of one lower end and mixed prompts: a group of thousands waiting, draws
    that stop at a prompt that does not fit, evictions of large groups of equal estimates and learned
    estimates; kernel == reference engine, and the same generator state at the end."""
    from lpsched.engine import _simulate

    inst = _group_workload(5000, 60, seed, lower=1, upper=6)
    kern = simulate(inst, "amin", engine="kernel", seed=seed)
    ref = simulate(inst, "amin", engine="reference", seed=seed)
    assert kern.schedule.same_as(ref.schedule)
    assert kern.metrics.evictions > 100
    rng_k, rng_p = np.random.default_rng(seed), np.random.default_rng(seed)
    make_policy("amin").compiled(inst).run(rng_k, 10**12)
    _simulate(inst, make_policy("amin"), rng_p, True, 10**12, None)
    assert rng_k.bit_generator.state == rng_p.bit_generator.state


def test_amin_group_lists_move_and_compact_in_the_pool():
    """amin's groups by estimate grow from nothing, so their lists move to the end of the pool and the pool
    is compacted: waves of arrivals with a few lower ends (groups emptied and refilled) against the
    reference engine."""
    rng = np.random.default_rng(3)
    n, M = 3000, 80
    s = rng.integers(1, 5, n)
    lower = rng.choice([1, 2, 3, 5, 8], n)
    o = lower + rng.integers(0, 4, n)
    a = np.sort(rng.integers(0, 40, n)) * 50
    inst = Instance(M, s, o, a, Predictions(lower=lower, upper=o + 3))
    for seed in (0, 1, 2):
        kern = simulate(inst, "amin", engine="kernel", seed=seed)
        ref = simulate(inst, "amin", engine="reference", seed=seed)
        assert kern.schedule.same_as(ref.schedule), seed

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from lpsched import Instance, InstanceError, Predictions, simulate, validate
from lpsched.policies.tie import TiePolicy
from lpsched.predictions import calibrated_logt, logt_score_parts


@st.composite
def logt_instances(draw):
    n = draw(st.integers(1, 15))
    M = draw(st.integers(12, 60))
    s = draw(st.lists(st.integers(1, 5), min_size=n, max_size=n))
    o = [draw(st.integers(1, M - si)) for si in s]
    a = sorted(draw(st.lists(st.integers(0, 3000), min_size=n, max_size=n)))
    mu, sigma = calibrated_logt(o, sigma=draw(st.sampled_from([0.2, 0.8])), error=0.3,
                                seed=draw(st.integers(0, 99)))
    return Instance(M, s, o, a, Predictions(mu=mu, sigma=sigma))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logt_instances(), st.sampled_from([1.0, 50.0, 1000.0]), st.sampled_from([1, 4, 256]))
def test_engines_identical_and_valid(inst, age, batch):
    opts = dict(age_period=age, max_batch=batch)
    fast = simulate(inst, "tie", **opts)
    ref = simulate(inst, "tie", engine="reference", **opts)
    assert fast.schedule.same_as(ref.schedule)
    validate(fast.schedule)


def test_order_is_by_tail_inflated_expectation():
    # same median, different spread: with a high cap the heavier tail has the larger score and waits
    pred = Predictions(mu=np.log([5.0, 5.0]), sigma=[1.5, 0.1])
    inst = Instance(11, s=[6, 6], o=[5, 5], predictions=pred)      # one request at a time
    res = simulate(inst, "tie", x_max=1000.0)
    assert res.schedule.start.tolist() == [5, 0]
    # with the cap M - s = 5 the heavy tail is mostly *below* the median's mass in expectation
    e0, c0 = logt_score_parts(np.log(5.0), 1.5, 3.5, 5.0)
    e1, c1 = logt_score_parts(np.log(5.0), 0.1, 3.5, 5.0)
    first = 0 if e0 + 0.1 * c0 < e1 + 0.1 * c1 else 1
    assert simulate(inst, "tie").schedule.start[first] == 0


def test_beta_rule():
    pol = TiePolicy(max_batch=10)
    assert [pol.beta(q) for q in (0, 10, 30, 100)] == [0.1, 0.1, pytest.approx(0.3), 0.5]


def test_scores_use_quadrature_and_aging():
    pred = Predictions(mu=[np.log(20.0)], sigma=[0.7])
    inst = Instance(100, [1], [20], predictions=pred)
    pol = TiePolicy(age_period=10.0)
    from lpsched.engine import InstanceView
    pol.reset(InstanceView(inst, False), np.random.default_rng(0))
    pol._waiting = {0}
    e, c = logt_score_parts(np.log(20.0), 0.7, 3.5, 99.0)
    assert pol.scores(0, [0])[0][0] == pytest.approx(e + 0.1 * c)
    assert pol.scores(10, [0])[0][0] == pytest.approx(0.9 * (e + 0.1 * c))


def test_needs_logt_predictions_and_valid_options():
    with pytest.raises(InstanceError, match="needs log-t predictions"):
        simulate(Instance(10, [1], [2]), "tie")
    with pytest.raises(ValueError, match="age_period"):
        TiePolicy(age_period=0)


def test_aging_order_is_time_free():
    # the aged-score order at any time equals the order of the time-free keys
    rng = np.random.default_rng(3)
    n = 40
    mu, sigma = rng.uniform(1, 5, n), rng.uniform(0.2, 1.5, n)
    inst = Instance(10_000, np.ones(n, int), np.ones(n, int), np.sort(rng.integers(0, 500, n)),
                    Predictions(mu=mu, sigma=sigma))
    from lpsched.engine import InstanceView
    pol = TiePolicy(age_period=50.0)
    pol.reset(InstanceView(inst, False), np.random.default_rng(0))
    pol._waiting = set(range(n))
    by_key = [i for *_, i in sorted(pol.order_keys(range(n)))]
    for t in (500, 900, 5000):
        assert [i for *_, i in sorted(pol.scores(t, range(n)))] == by_key


def test_vectorised_scores_agree_with_quadrature():
    """score_parts (Gauss-Legendre, all requests at once) against logt_score_parts (scipy quad, one by one)
    over the range the workloads use, tiny and large sigma, caps from 2 to 20000 tokens."""
    from lpsched.policies.tie import score_parts

    rng = np.random.default_rng(0)
    n = 300
    mu, sigma, cap = rng.uniform(-2, 10, n), np.exp(rng.uniform(np.log(0.05), np.log(3), n)), rng.uniform(2, 2e4, n)
    mu[:3], sigma[:3], cap[:3] = 0.0, 1e-9, 100.0
    e, c = score_parts(mu, sigma, 3.5, cap, 0.9)
    want = np.array([logt_score_parts(m, sg, 3.5, x, 0.9) for m, sg, x in zip(mu, sigma, cap)])
    assert np.allclose(e, want[:, 0], rtol=1e-9, atol=0) and np.allclose(c, want[:, 1], rtol=1e-9, atol=0)
    with pytest.raises(ValueError, match="need sigma > 0"):
        score_parts([0.0], [0.0], 3.5, [10.0])


class SortingTie(TiePolicy):
    """TIE as first written: sort every waiting request at every decision (the heap's reference)."""

    def decide(self, state):
        from lpsched.engine import NEVER, Decision
        from lpsched.policies.vllm import evict_most_recent

        s, M = self._s, self._M
        self._waiting.update(self._deferred)
        self._waiting.update(state.arrived)
        evict, need = evict_most_recent(state, s, state.memory_next, M)
        starts = []
        for _, _, i in sorted(self.order_keys(self._waiting)):
            if need + s[i] + 1 > M:
                break
            need += s[i] + 1
            starts.append(i)
        self._waiting.difference_update(starts)
        self._deferred = evict
        return Decision(starts, evict, state.t + 1 if evict else NEVER)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logt_instances(), st.sampled_from([1.0, 50.0]), st.sampled_from([1, 2, 4]))
def test_heap_rebuilt_on_beta_changes_orders_as_sorting_does(inst, age, batch):
    """A small max_batch keeps beta changing with the queue length: the heap must be rebuilt each time."""
    opts = dict(age_period=age, max_batch=batch)
    heap = simulate(inst, TiePolicy(**opts), engine="python")
    ref = simulate(inst, SortingTie(**opts), engine="reference")
    assert heap.schedule.same_as(ref.schedule)


def test_starts_that_change_beta_wake_the_policy_next_step():
    """At t = 7 one request starts and the queue shrinks from 3 to 2: beta changes, so does the order,
    and the new head fits at t = 8 although nothing arrives or completes (the old hint waited for an
    event and started it at 9)."""
    pred = Predictions(mu=[3.1590041330225715, 3.555166756514707, 2.659678355420309, -0.24037493126152334],
                       sigma=[0.8] * 4)
    inst = Instance(17, [2, 4, 1, 2], [10, 8, 16, 2], [0, 7, 7, 7], pred)
    ref = simulate(inst, "tie", engine="reference", max_batch=2, age_period=50.0)
    assert ref.schedule.start.tolist() == [0, 24, 8, 7]
    assert simulate(inst, "tie", engine="python", max_batch=2, age_period=50.0).schedule.same_as(ref.schedule)

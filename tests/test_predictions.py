import numpy as np
import pytest

from lpsched import Instance, InstanceError, Predictions
from lpsched.predictions import (buckets, calibrated_logt, fit_logt, interval_predictions, logt_score_parts, overlap,
                                 point_predictions, rough, user_intervals, with_intervals)


def test_rough_and_buckets():
    o = np.array([1, 100, 101, 1000])
    r = rough(o)
    assert r.lower.tolist() == [1] * 4 and r.upper.tolist() == [1000] * 4
    b = buckets(o)
    assert b.lower.tolist() == [1, 1, 101, 901] and b.upper.tolist() == [100, 100, 200, 1000]
    with pytest.raises(InstanceError, match="does not contain o\\[0\\] = 1001"):
        rough([1001])


@pytest.mark.parametrize("x", [0.1, 0.95, 0.99])
def test_overlap_contains_truth(x):
    o = np.random.default_rng(0).integers(1, 900, 500)
    p = overlap(o, x)
    assert np.all(p.lower >= 1) and np.all(p.lower <= o) and np.all(o <= p.upper)
    assert overlap([10], 0.1).lower.tolist() == [9] and overlap([10], 0.1).upper.tolist() == [11]


def test_bad_intervals_are_rejected():
    with pytest.raises(InstanceError, match="lower = 5 > upper = 3"):
        user_intervals([5], [3])
    with pytest.raises(InstanceError, match="predictions.lower\\[0\\] = 0 must be >= 1"):
        user_intervals([0], [3])
    with pytest.raises(InstanceError, match="lower = 5 > upper = 3"):
        Instance(10, [1], [4], predictions=Predictions(lower=[5], upper=[3]))
    with pytest.raises(ValueError, match="unknown interval kind 'exact'"):
        interval_predictions([3], "exact")
    with pytest.raises(InstanceError, match="overlap x"):
        overlap([3], 1.0)


def test_with_intervals_keeps_other_predictions():
    inst = Instance(50, [1, 2], [3, 30], predictions=Predictions(point=[2.0, 20.0]))
    out = with_intervals(inst, "buckets", width=10)
    assert out.predictions.lower.tolist() == [1, 21] and out.predictions.point.tolist() == [2.0, 20.0]


def test_point_predictions_noise():
    o = np.full(20000, 100)
    assert np.array_equal(point_predictions(o, 0.0), o)
    p = point_predictions(o, 0.5, seed=3)
    assert np.std(np.log(p / o)) == pytest.approx(0.5, rel=0.03)


def test_calibrated_logt_is_calibrated():
    from scipy import stats
    o = np.random.default_rng(1).integers(1, 1000, 20000)
    mu, sigma = calibrated_logt(o, sigma=0.8, seed=2)
    pit = stats.t.cdf((np.log(o) - mu) / sigma, 3.5)          # uniform when calibrated
    assert stats.kstest(pit, "uniform").pvalue > 1e-3
    mu2, _ = calibrated_logt(o, sigma=0.8, error=1.0, seed=2)
    pit2 = stats.t.cdf((np.log(o) - mu2) / sigma, 3.5)
    assert stats.kstest(pit2, "uniform").pvalue < 1e-6       # error makes it miscalibrated


def test_fit_logt_recovers_parameters():
    rng = np.random.default_rng(5)
    x = np.exp(3.0 + 0.6 * rng.standard_t(4.0, size=20000))
    f = fit_logt(x)
    assert f.mu == pytest.approx(3.0, abs=0.03) and f.sigma == pytest.approx(0.6, abs=0.03)
    assert f.nu == pytest.approx(4.0, rel=0.25)
    with pytest.raises(ValueError, match="positive"):
        fit_logt([1.0, -2.0, 3.0])


def test_score_parts_match_monte_carlo():
    mu, sigma, nu, cap = np.log(40.0), 0.9, 3.5, 500.0
    e, c = logt_score_parts(mu, sigma, nu, cap)
    rng = np.random.default_rng(0)
    y = np.minimum(np.exp(mu + sigma * rng.standard_t(nu, 2_000_000)), cap)
    tail = np.sort(y)[int(0.9 * len(y)):]
    assert e == pytest.approx(y.mean(), rel=5e-3)
    assert c == pytest.approx(tail.mean(), rel=1e-2)
    assert e < c <= cap


def test_score_parts_cap_below_var():
    e, c = logt_score_parts(np.log(1000.0), 0.5, 3.5, 10.0)   # almost all mass above the cap
    assert c == 10.0 and e == pytest.approx(10.0, rel=1e-3)


def _mpmath_capped_mean(mu, sigma, nu, cap):
    """High-precision E[min(X, cap)] for X = exp(mu + sigma T_nu), as an independent reference."""
    import mpmath as mp

    mp.mp.dps = 40
    mu, sigma, nu, cap = (mp.mpf(v) for v in (mu, sigma, nu, cap))
    c = mp.gamma((nu + 1) / 2) / (mp.sqrt(nu * mp.pi) * mp.gamma(nu / 2))
    pdf = lambda t: c * (1 + t * t / nu) ** (-(nu + 1) / 2)  # noqa: E731
    z = (mp.log(cap) - mu) / sigma
    body = mp.quad(lambda t: mp.exp(mu + sigma * t) * pdf(t), [-mp.inf, 0, z / 2, z])
    return float(body + cap * mp.quad(pdf, [z, mp.inf]))


@pytest.mark.parametrize("mu, sigma, cap", [
    (-4.914485377237279, 0.05824462691777645, 10007.69),   # small sigma: the integrand rises again near the cap
    (-15.254299226994464, 0.8, 12365.0),                  # tiny mean
    (3.0, 1.0, 500.0),
    (6.0, 2.4, 100.0),                                     # mostly capped
])
def test_capped_mean_matches_high_precision(mu, sigma, cap):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mean, cvar = logt_score_parts(mu, sigma, 3.5, cap)
    assert mean == pytest.approx(_mpmath_capped_mean(mu, sigma, 3.5, cap), rel=1e-6)
    assert mean <= cvar <= cap


def test_attach_by_spec_is_seeded_and_keeps_other_kinds():
    from lpsched.predictions import attach, complete_spec, describe_spec, parse_spec

    inst = Instance(5000, [5] * 4, [5, 150, 990, 1200])
    a = attach(inst, "buckets:50+point:0.5+logt:0.8", seed=3)
    b = attach(inst, "buckets:50+point:0.5+logt:0.8", seed=3)
    assert a.predictions.lower.tolist() == [1, 101, 951, 1151] and a.predictions.upper.tolist() == [50, 150, 1000, 1200]
    assert np.array_equal(a.predictions.point, b.predictions.point) and np.array_equal(a.predictions.mu, b.predictions.mu)
    assert not np.array_equal(attach(inst, "point:0.5", seed=4).predictions.point, a.predictions.point)
    rough_ = attach(a, "rough", seed=0).predictions
    assert rough_.upper.tolist() == [1200] * 4 and rough_.point is not None          # rough covers max o
    assert attach(inst, "none", 0) is inst
    assert parse_spec("overlap:0.1") == [("overlap", 0.1)]
    assert complete_spec("overlap:0.1") == ("overlap:0.1+point:0.5+logt:0.8", ["point:0.5", "logt:0.8"])
    assert complete_spec("none", a) == ("none", [])
    assert "buckets of width 100" in describe_spec("buckets")


@pytest.mark.parametrize("spec, message", [
    ("psychic", "unknown prediction 'psychic'"),
    ("overlap", "needs a x"),
    ("overlap:1", r"x = 1 must be in \[0, 1\)"),
    ("overlap:nan", "must be finite"),
    ("point:-1", "spread = -1 must be >= 0"),
    ("logt:0", "sigma = 0 must be > 0"),
    ("buckets:0", "width '0' must be an integer >= 1"),
    ("buckets:2.5", "width '2.5' must be an integer"),
    ("rough:3", "rough takes no argument"),
    ("rough+buckets", "gives intervals twice"),
    (3, "must be a string"),
])
def test_bad_specs_name_the_part(spec, message):
    from lpsched.predictions import attach

    with pytest.raises(ValueError, match=message):
        attach(Instance(100, [1], [5]), spec, 0)

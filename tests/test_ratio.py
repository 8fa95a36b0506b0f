import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lpsched.ratio import (a_matvec, amax_lower_bound, amax_upper_bound, b_matvec, b_solve, competitive_ratio,
                           dense_matrices, fit_log, index_set)


@pytest.mark.parametrize("u, value", [(2, 1.25), (4, 1.465873), (10, 1.724924)])
@pytest.mark.parametrize("method", ["dense", "lanczos"])
def test_known_values(u, value, method):
    r = competitive_ratio(u, method=method)
    assert round(r.value, 6) == value
    assert r.certified and r.vector.min() > 0


def test_u2_by_hand():
    # det(A - lam B) = 4 (1 - lam)^2 - (7/4 - lam)^2 = 0  ->  lam in {1/4, 5/4}
    r = competitive_ratio(2, method="dense")
    assert r.value == pytest.approx(1.25, abs=1e-14)
    A, B = dense_matrices([1, 2])
    x = r.vector
    assert x @ A @ x / (x @ B @ x) == pytest.approx(1.25, abs=1e-14)


def test_alpha_one_gives_one():  # C5: a single index, a_ii = b_ii = i^2
    for u in (1, 7):
        assert competitive_ratio(u, lower=u).value == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize("lower, u, value", [(10, 20, 1.27459), (10, 40, 1.488418), (10, 100, 1.743684)])
def test_lower_index_sets(lower, u, value):
    assert competitive_ratio(u, lower=lower).value == pytest.approx(value, abs=6e-6)


@pytest.mark.parametrize("u", [3, 17, 250, 501, 2000])
def test_dense_and_matrix_free_agree(u):
    d = competitive_ratio(u, method="dense")
    m = competitive_ratio(u, method="lanczos")
    assert abs(d.value - m.value) <= 1e-9 * d.value
    assert d.certified and m.certified


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 60), min_size=1, max_size=30, unique=True), st.integers(0, 2**31 - 1))
def test_products_equal_dense(idx, seed):
    v = np.array(sorted(idx), dtype=float)
    x = np.random.default_rng(seed).normal(size=len(v))
    A, B = dense_matrices(v)
    np.testing.assert_allclose(a_matvec(v, x), A @ x, rtol=1e-12, atol=1e-12 * np.abs(A).max() * np.abs(x).sum())
    np.testing.assert_allclose(b_matvec(v, x), B @ x, rtol=1e-12, atol=1e-12 * np.abs(B).max() * np.abs(x).sum())
    np.testing.assert_allclose(B @ b_solve(v, x), x, atol=1e-8 * (1 + np.abs(x).max()))


def test_products_large_u():
    v = index_set(1500)
    x = np.random.default_rng(1).random(len(v))
    A, B = dense_matrices(v)
    np.testing.assert_allclose(a_matvec(v, x), A @ x, rtol=1e-11)
    np.testing.assert_allclose(b_matvec(v, x), B @ x, rtol=1e-11)


def test_value_grows_like_log():
    f = fit_log([10, 30, 100, 300, 1000])
    assert f.a > 0 and f.max_abs_residual < 0.1


def test_bad_input():
    with pytest.raises(ValueError, match="lower = 5 must be <= u = 3"):
        competitive_ratio(3, lower=5)
    with pytest.raises(ValueError, match="u = 0"):
        competitive_ratio(0)
    with pytest.raises(ValueError, match="unknown method 'qr'"):
        competitive_ratio(5, method="qr")
    with pytest.raises(ValueError, match="strictly increasing"):
        competitive_ratio(indices=[1, 3, 2])
    with pytest.raises(ValueError, match="alpha"):
        amax_lower_bound(0)


def test_amax_bounds():
    for alpha in (1.0, 0.5, 0.1):
        assert amax_lower_bound(alpha) <= amax_upper_bound(alpha)
    assert amax_lower_bound(0.5) == pytest.approx(2 * (1 + 2 ** 0.5) / 2)

import numpy as np
import pytest

from lpsched import InstanceError, workloads


def test_uniform_follows_jaillet():
    for seed in range(20):
        inst = workloads.uniform(30, seed=seed)
        assert 30 <= inst.memory <= 50
        assert inst.s.min() >= 1 and inst.s.max() <= 5
        assert (inst.o <= inst.memory - inst.s).all() and inst.all_at_zero


def test_same_seed_same_instance():
    for gen in (lambda seed: workloads.uniform(20, seed), lambda seed: workloads.lmsys_like(50, seed=seed),
                lambda seed: workloads.mixed(50, seed=seed), lambda seed: workloads.arxiv(20, seed=seed)):
        assert gen(5) == gen(5)
        assert gen(5) != gen(6)


def test_lmsys_like_matches_published_statistics():
    inst = workloads.lmsys_like(200_000, seed=0)
    # published: prompt 1-468, mean 41, median 11, var 4961; output 1-883, mean 85, median 43, var 9702
    assert 1 <= inst.s.min() and inst.s.max() <= 468 and inst.o.max() <= 883
    assert np.median(inst.s) == pytest.approx(11, rel=0.1)
    assert inst.s.mean() == pytest.approx(41, rel=0.05)
    assert inst.s.var() == pytest.approx(4961, rel=0.10)
    assert np.median(inst.o) == pytest.approx(43, rel=0.1)
    assert inst.o.mean() == pytest.approx(85, rel=0.1)
    assert inst.o.var() == pytest.approx(9702, rel=0.10)


def test_arxiv_draws_shipped_rows():
    s_all, o_all = workloads.arxiv_lengths()
    assert len(s_all) == 28257
    inst = workloads.arxiv(100, seed=1)
    rows = set(zip(s_all.tolist(), o_all.tolist()))
    assert all((a, b) in rows for a, b in zip(inst.s.tolist(), inst.o.tolist()))
    small = workloads.arxiv(10, memory=3000, seed=1)
    assert (small.s + small.o <= 3000).all()
    assert "rows excluded for M" in small.name and not small.name.endswith(": 0)")


def test_mixed_fraction():
    inst = workloads.mixed(1000, seed=2, long_fraction=0.3)
    assert inst.n == 1000
    assert 250 < (inst.s > 468).sum() <= 300  # arXiv prompts are long, LMSYS prompts <= 468
    with pytest.raises(InstanceError, match="long_fraction = 2"):
        workloads.mixed(10, long_fraction=2)


def test_arrivals():
    a = workloads.poisson_arrivals(10_000, rate=0.5, seed=3)
    assert a[0] == 0 and (np.diff(a) >= 0).all()
    assert a[-1] == pytest.approx(20_000, rel=0.05)
    b = workloads.bursty_arrivals(100, rate=0.5, burst=10, seed=3)
    assert len(b) == 100 and len(set(b[:10].tolist())) == 1
    inst = workloads.with_arrivals(workloads.uniform(5, 1), [0, 1, 2, 3, 4])
    assert inst.a.tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(InstanceError, match="rate = -1"):
        workloads.poisson_arrivals(5, -1)
    with pytest.raises(InstanceError, match="n = 0 must be a positive integer"):
        workloads.uniform(0)


def test_two_type():
    inst = workloads.two_type(100, 9, 1, 3, 1, 2, 5)
    assert inst.n == 8 and inst.s.tolist()[:3] == [9, 9, 9]


def test_generators_refuse_what_cannot_be_built():
    with pytest.raises(InstanceError, match="above the 100,000,000 requests"):
        workloads.lmsys_like(10 ** 9)
    with pytest.raises(InstanceError, match="rate = 1e-300 is too small"):
        workloads.poisson_arrivals(10, 1e-300, seed=0)
    for bad in (True, float("nan"), float("inf"), 0):
        with pytest.raises(InstanceError, match="rate"):
            workloads.poisson_arrivals(5, bad)
    with pytest.raises(InstanceError, match="memory = 1 must be an integer in"):
        workloads.generate("lmsys", 5, 1)
    with pytest.raises(InstanceError, match="burst = True"):
        workloads.bursty_arrivals(5, 1.0, burst=True)

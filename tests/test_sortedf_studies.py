"""W3-W6 studies and the sortedf CLI commands."""

import json

import numpy as np
import pytest
import sympy as sp

from lpsched.cli import main
from lpsched.exact import solve
from lpsched.sortedf import studies


def test_two_type_instance():
    inst = studies.two_type_instance(64, seed=None)
    assert inst.n == 64 + 512 and inst.s[:64].tolist() == [7] * 64 and set(inst.o[64:].tolist()) == {2}
    with pytest.raises(ValueError, match="perfect square"):
        studies.two_type_instance(50)


def test_w3_slide_algebra_drops_the_type2_self_term():
    r = studies.w3_slide_algebra()
    m = sp.Symbol("m", positive=True, integer=True)
    assert sp.expand(r["type2_self_term"] - (3 * m ** 4 + m ** 3)) == 0
    assert r["limit_exact"] == sp.Rational(4, 3)
    assert r["limit_slide_over_sqrtM"] == sp.Rational(2, 13)


def test_w3_growth_exponent_is_at_most_a_quarter():
    assert studies.w3_growth_exponent(2, 2.5)[0] == sp.Rational(1, 4)
    assert studies.w3_growth_exponent(2, 3)[0] == 0
    assert studies.w3_growth_exponent(2, 2.5)[1] == sp.Rational(1, 2)
    grid = [studies.w3_growth_exponent(sp.Rational(a, 4), sp.Rational(b, 4))[0]
            for a in range(4, 17) for b in range(4, 17)]
    assert max(grid) == sp.Rational(1, 4)


def test_w3_best_constant():
    r = studies.w3_best_constant()
    assert r["max"] == 1 / sp.sqrt(6)


def test_w3_simulation_tends_to_four_thirds_not_sqrt_M():
    df = studies.w3_simulate([64, 256, 576])
    r = df["sf/type2_first"].to_numpy()
    assert np.all(np.diff(r) > 0) and r[-1] < 4 / 3            # increasing towards 4/3, far below (2/13) sqrt(M)
    assert (df["sorted_f"] <= df["sf"]).all()


def test_fit_exponent():
    assert studies.fit_exponent([10, 100, 1000], [3, 30, 300]) == pytest.approx(1.0)
    assert studies.fit_exponent([10, 100, 1000], [1, 5, 10], last=2) == pytest.approx(np.log10(2))


def test_w4_exchange():
    r = studies.w4_exchange_sympy()
    assert r["rule_equivalent"]
    df = studies.w4_exchange_bruteforce(max_n=3, max_o=4, max_s=5)
    assert len(df) > 20
    # where the schedule really is two separate batches, the formula and the rule hold
    exact = df[df.formula_exact]
    assert len(exact) and exact.rule_ok.all()


def test_w5_algebra_steps():
    r = studies.w5_algebra()
    assert r["below_half_for_all_n_ge_1"] and r["limit"] == sp.Rational(1, 2)
    assert (1, 1) in r["case2_step_fails"] and r["case2_q_needed"][2] == 8
    assert r["geometric_sum_max"] <= 4 and r["chain"] == 48
    n = sp.Symbol("n", positive=True, integer=True)
    assert sp.simplify(r["case2_threshold_minus_3"] - (4 * n - 3) / (n - 1) ** 2) == 0
    assert all((nn, 3) in r["case2_step_fails"] for nn in range(1, 9))


def test_w5_ratio_search_with_an_opt_callable():
    calls = []

    def opt(inst):
        calls.append(inst.n)
        return int(solve(inst, backend="bruteforce").objective)

    worst, inst, ratios = studies.w5_ratio_search(opt, trials=6, n_max=4, climb=3)
    assert calls and worst >= 1.0 and len(ratios) == 6 and worst == pytest.approx(max(worst, ratios.max()))


def test_w6_gaps_small():
    summary, worst = studies.w6_gaps(trials=4, sizes=(8, 20), climb=5)
    assert (summary.max_gap >= 1.0 - 1e-12).all()
    assert set(worst) <= {"scaled_dp", "local_swap", "quantile_greedy"}


def test_mixed_experiment_small():
    df = studies.mixed_experiment(n=40, memories=(8192,), selectors=("exact_dp", "local_swap"))
    assert set(df.policy) == {"fcfs", "sf", "mcsf", "sorted_f[exact_dp]", "sorted_f[local_swap]"}
    assert (df.ratio_to_best >= 1).all()


def test_cli_select_and_study(capsys):
    assert main(["sortedf-select", "--workload", "mixed", "--n", "60", "--memory", "8192", "--json",
                 "--selector", "local_swap"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows"][0]["selector"] == "local_swap" and out["n"] == 60
    assert main(["sortedf-study", "w3", "--M", "16,64", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["M"] for r in out["rows"]] == [16, 64]
    assert main(["sortedf-study", "algebra"]) == 0
    assert "4/3" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["sortedf-select", "--selector", "nope"])

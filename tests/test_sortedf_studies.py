"""W3-W6 studies and the sortedf CLI commands."""

import json

import numpy as np
import pytest
import sympy as sp

from lpsched.cli import main
from lpsched.exact import solve
from lpsched.sortedf import better, is_feasible, select, studies


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


def test_w5_chain_schedules_on_a_hand_solved_instance():
    """M = 10, s = 1, o = (1, 1, 1, 4, 4).  Sorted-F's batches: {0,1,2} (F = 3/9; with request 3 it would be
    7/16) and then {3,4} (F = 8/4; load 2 (1 + 4) = 10 <= M).  Run one after the other (sep):
    1 + 1 + 1 + 5 + 5 = 13.  {0,1,2} plus request 3 fits (load 4 + 4 at t = 1), so {0,1,2} is not terminal:
    one group of both batches, every request at 0 (group = align = 1 + 1 + 1 + 4 + 4 = 11)."""
    from lpsched import Instance
    from lpsched.sortedf.chain import chain_study, chain_tcts

    r = chain_tcts(Instance(10, [1] * 5, [1, 1, 1, 4, 4]))
    assert (r["sep"], r["group"], r["align"], r["batches"], r["groups"]) == (13, 11, 11.0, 2, 1)
    assert r["alg"] <= r["sep"]
    assert r["per_batch"] == [(3, 1.0, 1), (2, 4.0, 4)]
    df = chain_study([Instance(10, [1] * 5, [1, 1, 1, 4, 4])])
    assert df["(5)_slack"].iloc[0] >= 0


def test_w5_ratio_search_with_an_opt_callable():
    calls = []

    def opt(inst):
        calls.append(inst.n)
        return int(solve(inst, backend="bruteforce").objective)

    worst, inst, ratios = studies.w5_ratio_search(opt, trials=6, n_max=4, climb=3)
    assert calls and worst >= 1.0 and len(ratios) == 6 and worst == pytest.approx(max(worst, ratios.max()))


def test_w6_guarantees_small():
    summary, worst = studies.w6_guarantees(trials=4, sizes=(8, 20), climb=5)
    assert summary.selector.tolist() == ["exact_dp", "scaled_dp", "memory_grid_dp", "local_swap", "quantile_greedy"]
    assert {"selector", "guarantee", "cases", "violations", "worst", "vacuous", "worst_same_memory"} <= set(summary)
    t = summary.set_index("selector")
    assert (t.violations == 0).all()
    assert t.loc["exact_dp", "cases"] >= 1 and t.loc["exact_dp", "worst"] == 1.0
    assert 1.0 <= t.loc["scaled_dp", "worst"] <= 1.1
    assert t.loc["memory_grid_dp", "worst"] <= 1.0 and t.loc["local_swap", "worst"] <= 1.0
    assert t.loc["memory_grid_dp", "cases"] + t.loc["memory_grid_dp", "vacuous"] == t.loc["scaled_dp", "cases"]
    assert t.loc["quantile_greedy", "worst"] == t.loc["quantile_greedy", "worst_same_memory"] >= 1.0
    assert "(1 + 0.1) F* at the same M" in t.loc["scaled_dp", "guarantee"]
    # the worst instances are exported and reproduce their ratio
    gap, s, o, M = worst["scaled_dp"]
    s, o = np.array(s), np.array(o)
    r, ex = select((s, o), M, "scaled_dp", eps=0.1), select((s, o), M, "exact_dp")
    assert r.F / ex.F == pytest.approx(gap)
    # the same seed gives the same table
    again, _ = studies.w6_guarantees(trials=4, sizes=(8, 20), climb=5)
    assert again.equals(summary)


def test_w6_counts_violations_of_a_broken_selector(monkeypatch):
    """A selector that claims (1 + eps) but returns the memory-grid answer is caught on the exact-fill case."""
    from lpsched.sortedf import dp, selection

    monkeypatch.setitem(selection.SELECTORS, "scaled_dp", dp.memory_grid_dp)
    summary, worst = studies.w6_guarantees(trials=15, sizes=(8, 30, 120), climb=0,
                                           selectors=("scaled_dp",))
    assert int(summary.violations.iloc[0]) >= 1 and summary.worst.iloc[0] > 1.1
    assert worst["scaled_dp"][0] == summary.worst.iloc[0]


def test_local_move_check_against_enumeration():
    rng = np.random.default_rng(9)
    checked = 0
    for _ in range(60):
        n, M = int(rng.integers(2, 9)), int(rng.integers(10, 60))
        s, o = rng.integers(1, M // 3, n), rng.integers(1, M // 3, n)
        X = sorted(rng.choice(n, int(rng.integers(1, n + 1)), replace=False).tolist())
        if not is_feasible(s[X], o[X], M):
            continue
        checked += 1
        Xs = set(X)
        out = [i for i in range(n) if i not in Xs]
        neigh = [Xs | {a} for a in out] + [Xs - {b} for b in Xs if len(Xs) > 1]
        neigh += [(Xs - {b}) | {a} for b in Xs for a in out]
        key = (int(o[X].sum()), len(X))
        feas = [sorted(Y) for Y in neigh if is_feasible(s[sorted(Y)], o[sorted(Y)], M)]
        improving = sum(better((int(o[Y].sum()), len(Y)), key) for Y in feas)
        ratio, count = studies.local_move_check(s, o, M, X)
        assert count == improving, (s.tolist(), o.tolist(), M, X)
        if feas:
            assert ratio == pytest.approx((key[0] / key[1] ** 2) / min(o[Y].sum() / len(Y) ** 2 for Y in feas))
    assert checked >= 30


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
    assert main(["sortedf-study", "w6", "--trials", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["selector"] for r in out["rows"]} >= {"scaled_dp", "memory_grid_dp"}
    assert all(r["violations"] == 0 for r in out["rows"])
    assert main(["sortedf-select", "--workload", "mixed", "--n", "40", "--memory", "8192", "--json",
                 "--selector", "memory_grid_dp", "--eps", "0.2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["guarantee"].startswith("feasible at M; F <= F*(M_eps)")
    assert main(["sortedf-study", "algebra"]) == 0
    assert "4/3" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["sortedf-select", "--selector", "nope"])

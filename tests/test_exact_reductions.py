"""W1/W2: literal constructions fail under the s + o model, corrected ones satisfy the iff."""

import pytest

from lpsched.exact import solve
from lpsched.exact.reductions import (has_partition, has_three_partition, partition_instance,
                                      three_partition_instance, verify)


def test_known_w2_case():
    x = [6, 7, 7, 6, 7, 7]
    assert has_three_partition(x, 20)
    lit = solve(three_partition_instance(x, 20, corrected=False), backend="bruteforce")
    fix = solve(three_partition_instance(x, 20, corrected=True), backend="bruteforce")
    assert (lit.objective, fix.objective) == (12, 9)
    assert three_partition_instance(x, 20).memory == 23


def test_subset_deciders():
    assert has_partition([3, 1, 1, 2, 2, 1]) and not has_partition([2, 2, 3, 5])
    assert has_three_partition([4, 5, 6, 5, 5, 5], 15) and not has_three_partition([4, 4, 4, 6, 6, 6], 15)


def test_w1_corrected_memory_is_twice_the_sum():
    inst = partition_instance([3, 1, 1, 2, 2, 1])
    assert inst.memory == 10 and inst.s.tolist() == [5, 1, 1, 3, 3, 1]
    assert solve(inst, backend="highs", objective="makespan").objective == 2
    no = partition_instance([2, 2, 3, 5])
    assert solve(no, backend="cpsat", objective="makespan").objective == 3


def test_builders_reject_bad_input():
    with pytest.raises(ValueError, match="even sum"):
        partition_instance([1, 2])
    with pytest.raises(ValueError, match="T/4 < x < T/2"):
        three_partition_instance([3, 6, 6], 15)
    with pytest.raises(ValueError, match="3m items"):
        three_partition_instance([5, 5], 10)


def test_verifier_table():
    verdicts = {(v.claim, v.construction): v for v in verify("both", count=8, seed=1)}
    for claim in ("W1", "W2"):
        lit, fix = verdicts[(claim, "literal")], verdicts[(claim, "corrected")]
        assert fix.holds and fix.counterexample is None
        assert fix.yes_reaching_target == fix.yes_cases > 0 and fix.no_reaching_target == 0 and fix.no_cases > 0
        assert not lit.holds and lit.counterexample["answer"] == "YES"
        assert lit.counterexample["optimum"] > lit.counterexample["target"]
    with pytest.raises(ValueError, match="valid: W1, W2, both"):
        verify("W3")

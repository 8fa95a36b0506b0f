"""The exact split into no-wait blocks (lpsched.exact.decompose) and solve(decompose=)."""

import sys

import numpy as np
import pytest
from hypothesis import given, settings

from lpsched import Instance, Schedule, validate
from lpsched.exact import solve
from lpsched.exact.decompose import arrival_blocks
from lpsched.exact.study import jaillet_instance

from strategies import instances

#: blocks {0, 1} and {2}; every schedule of {0, 1} runs them one after the other (C = 3, 6), which delays
#: request 1 into request 2's no-wait run: the blocks must be merged.  OPT = 3 + 6 + 9 = 18.
MERGE = Instance(memory=6, s=[2, 2, 2], o=[3, 3, 3], a=[0, 0, 3])


@settings(max_examples=200, deadline=None)
@given(instances(max_n=10, max_memory=30))
def test_arrival_blocks_are_the_finest_split_whose_no_wait_runs_do_not_meet(inst):
    blocks = arrival_blocks(inst)
    order = np.concatenate(blocks)
    assert sorted(order.tolist()) == list(range(inst.n))
    assert (np.diff(inst.a[order]) >= 0).all()                      # contiguous in arrival order
    end = inst.a + inst.o
    for b in range(1, len(blocks)):                                  # earlier runs end before a block opens
        assert end[np.concatenate(blocks[:b])].max() <= inst.a[blocks[b]].min()
    for idx in blocks:                                               # and no block splits further
        for k in range(1, len(idx)):
            assert end[idx[:k]].max() > inst.a[idx[k]]
    if inst.all_at_zero:
        assert len(blocks) == 1


@pytest.mark.parametrize("backend", ["bruteforce", "highs", "cbc", "cpsat"])
def test_blocks_that_spill_into_the_next_are_merged_before_solving(backend):
    assert [b.tolist() for b in arrival_blocks(MERGE)] == [[0, 1], [2]]
    res = solve(MERGE, backend=backend)
    assert res.status == "optimal" and res.objective == res.bound == 18
    assert res.info["blocks"] == [3] and res.info["block_merges"] == 1
    validate(res.schedule)


@pytest.mark.parametrize("objective, opt", [("tct", 18), ("makespan", 9)])
@pytest.mark.parametrize("merge_on_spill", [False, True])
def test_colliding_blocks_are_merged_with_or_without_the_spill_guess(merge_on_spill, objective, opt):
    from lpsched.exact.decompose import solve_by_blocks, spill_merged

    assert [b.tolist() for b in spill_merged(MERGE, arrival_blocks(MERGE))] == [[0, 1, 2]]
    calls = []

    def solve_block(sub, limit, initial):
        calls.append(sub.n)
        return solve(sub, backend="cpsat", objective=objective, time_limit=limit, initial=initial, decompose=False)

    status, start, bound, msg, info = solve_by_blocks(MERGE, solve_block, objective, 30, merge_on_spill=merge_on_spill)
    done = MERGE.o + start
    assert status == "optimal" and bound == opt == (done.sum() if objective == "tct" else done.max())
    assert info["blocks"] == [3] and info["block_merges"] == 1
    assert calls == ([3] if merge_on_spill else [2, 1, 3])   # alone first, then merged on the collision


@settings(max_examples=60, deadline=None)
@given(instances(max_n=6, max_memory=16, arrivals=True))
def test_decomposed_optimum_equals_the_whole_instance_optimum(inst):
    for objective in ("tct", "makespan"):
        whole = solve(inst, backend="bruteforce", objective=objective, decompose=False, time_limit=30)
        split = solve(inst, backend="bruteforce", objective=objective, time_limit=30)
        assert whole.status == split.status == "optimal"
        assert split.objective == whole.objective == split.bound
        validate(split.schedule)


@pytest.mark.parametrize("n, seed", [(20, 1), (25, 1)])
def test_decomposed_cpsat_matches_the_whole_model_on_online_jaillet_instances(n, seed):
    inst = jaillet_instance(n, seed, "poisson")
    whole = solve(inst, backend="cpsat", decompose=False, time_limit=60)
    split = solve(inst, backend="cpsat", time_limit=60)
    assert whole.status == split.status == "optimal" and split.objective == whole.objective
    assert len(split.info["blocks"]) > 1 and sum(split.info["blocks"]) == inst.n


def test_time_limited_decomposed_solve_returns_a_valid_schedule_and_bound():
    inst = jaillet_instance(100, 0, "poisson", rate=0.05)     # 19 blocks, one of 35 requests
    res = solve(inst, backend="cpsat", time_limit=8)
    assert res.status in ("feasible", "optimal") and len(res.info["blocks"]) > 1
    validate(res.schedule)
    assert res.bound <= res.objective
    assert res.bound >= (inst.a + inst.o).sum()        # at least the no-wait bound of every block


def test_ctrl_c_in_a_block_returns_the_best_so_far():
    import json

    from test_exact_solve import _interrupt_after

    rc, out, err = _interrupt_after(
        "import json\nfrom lpsched.exact import solve\nfrom lpsched.exact.study import jaillet_instance\n"
        "r = solve(jaillet_instance(100, 0, 'poisson', rate=0.05), backend='cpsat', time_limit=300)\n"
        "print(json.dumps(r.to_dict()))", 6)
    assert rc == 0, err
    d = json.loads(out)
    assert d["info"]["interrupted"] is True and "interrupted by the user" in d["message"]
    assert d["status"] == "feasible" and d["start"] is not None
    assert d["bound"] <= d["objective"] and len(d["info"]["blocks"]) > 1


def test_cli_opt_solves_by_blocks_unless_told_not_to(tmp_path, capsys):
    import json

    from lpsched.cli import main

    path = tmp_path / "merge.json"
    MERGE.to_json(path)
    assert main(["opt", str(path), "--json", "--no-lp"]) == 0
    split = json.loads(capsys.readouterr().out)
    assert split["objective"] == 18 and split["info"]["blocks"] == [3] and split["info"]["block_merges"] == 1
    assert main(["opt", str(path), "--json", "--no-lp", "--no-decompose"]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert whole["objective"] == 18 and "blocks" not in whole["info"]


def test_a_resumed_block_not_reached_in_time_keeps_its_first_result():
    """Two far-apart copies of an instance CP-SAT does not prove quickly: a short first pass leaves both
    unproven, the first resume overruns the time limit, and the second block keeps its first schedule."""
    from lpsched.exact.decompose import solve_by_blocks

    one = jaillet_instance(16, 2)
    inst = Instance(one.memory, np.r_[one.s, one.s], np.r_[one.o, one.o], np.r_[np.zeros(16), np.full(16, 10_000)])
    calls = []

    def solve_block(sub, limit, initial):             # real solves; only their time limits are bent
        resumed = initial is not None and not isinstance(initial, np.ndarray)
        calls.append(resumed)
        return solve(sub, backend="cpsat", time_limit=limit + 3 if resumed else min(limit, 1.0), initial=initial,
                     decompose=False)

    status, start, bound, msg, info = solve_by_blocks(inst, solve_block, "tct", 6)
    assert calls == [False, False, True] and info["block_status"] == ["feasible", "feasible"]
    validate(Schedule(inst, start))
    assert status == "feasible" and bound <= (inst.o + start).sum()

import json

import pytest

from lpsched import Instance, Schedule, validate
from lpsched.adversary import evaluate, search
from lpsched.cli import main


def test_search_is_deterministic_and_monotone():
    a = search("fcfs", family="random", benchmark="hsf", n=5, memory=20, iterations=60, restarts=3, seed=4)
    b = search("fcfs", family="random", benchmark="hsf", n=5, memory=20, iterations=60, restarts=3, seed=4)
    assert a.ratio == b.ratio and a.history == b.history
    assert all(x <= y for x, y in zip(a.history, a.history[1:]))


def test_finds_fcfs_head_of_line_blocking_from_random_start():
    """Two types in FCFS order: long type first blocks the short one; best_known (MC-SF) avoids it."""
    res = search("fcfs", family="two_type", benchmark="best_known", memory=60, max_requests=120,
                 iterations=100, restarts=2, seed=0)
    assert res.ratio > 2.0
    first = res.history[0]
    assert res.ratio > first  # the climb improved on the random start


def test_certificate_schedules_validate(tmp_path):
    res = search("vllm", family="random", benchmark="hsf", n=4, memory=15, iterations=20, restarts=2, seed=2)
    path = tmp_path / "w.json"
    res.to_json(path)
    data = json.loads(path.read_text())
    cert = data["worst"][0]
    inst = Instance.from_dict(cert["instance"])
    for side in ("policy", "benchmark"):
        sch = Schedule(inst, cert[side]["start"], cert[side]["evictions"])
        validate(sch)
    assert cert["policy"]["tel"] / cert["benchmark"]["tel"] == pytest.approx(cert["ratio"])


def test_evaluate_and_errors():
    inst = Instance(6, [2, 2, 2, 2], [1, 1, 2, 3])
    assert evaluate("hsf", inst, "hsf").ratio == 1.0
    with pytest.raises(ValueError, match="unknown family 'x'; valid families"):
        search("fcfs", family="x")
    with pytest.raises(ValueError, match="unknown benchmark 'y'; valid benchmarks"):
        search("fcfs", benchmark="y")
    with pytest.raises(ValueError, match="interval family needs"):
        search("fcfs", family="interval", lower=5, upper=2)


def test_cli(tmp_path, capsys):
    out = tmp_path / "w.json"
    assert main(["adversary", "-p", "fcfs", "--benchmark", "hsf", "--iterations", "10", "--restarts", "1",
                 "--param", "n=4", "--param", "memory=12", "--out", str(out)]) == 0
    assert "worst ratio" in capsys.readouterr().out
    assert json.loads(out.read_text())["policy"] == "fcfs"


def test_finds_the_w3_weakness_of_shortest_first_from_a_random_start():
    """W3's shape: short requests with big prompts first (SF) against Sorted-F's batching."""
    res = search("sf", family="two_type", benchmark="best_known", memory=64, max_requests=300,
                 iterations=60, restarts=2, seed=1)
    assert res.ratio > 1.2 and res.ratio > res.history[0]
    cert = res.worst[0].certificate()
    assert cert["benchmark"]["tel"] < cert["policy"]["tel"]

"""The claim registry: graph composition, propagation of refuted steps, the verify command."""

import json

import pytest

from lpsched import verify
from lpsched.cli import main
from lpsched.verify import Claim, Outcome, composed_factor, run

SPEC_IDS = ["W1", "W2", "W3", "W4", "W5", "W6", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "J1", "T1"]


def test_every_spec_claim_is_registered():
    verify._load_claims()
    assert set(SPEC_IDS) <= set(verify.REGISTRY)


def test_w5_constant_is_composed_from_the_graph():
    assert composed_factor("W5") == 48
    g = verify.claim_graph()
    assert set(g.predecessors("W5")) == {"W5.1", "W5.2", "W5.3", "W5.4", "W5.5"}


def test_refuted_step_makes_the_composed_claim_unsupported(monkeypatch):
    reg = dict(verify.REGISTRY)
    monkeypatch.setattr(verify, "REGISTRY", {})
    verify.register_claim(Claim("S1", "step", "test", "", quick=lambda: Outcome("refuted", "x"), factor=3))
    verify.register_claim(Claim("S2", "step", "test", "", quick=lambda: Outcome("holds", "y"), factor=5))
    verify.register_claim(Claim("T", "chain", "test", "", quick=lambda: Outcome("holds", "z"), depends_on=("S1", "S2")))
    monkeypatch.setattr(verify, "_load_claims", lambda: None)
    res = {r.claim.id: r.outcome for r in run()}
    assert res["T"].verdict == "unsupported" and "S1 (refuted)" in res["T"].summary
    assert composed_factor("T") == 15
    monkeypatch.setattr(verify, "REGISTRY", reg)


def test_a_failing_check_is_an_error_verdict(monkeypatch):
    monkeypatch.setattr(verify, "REGISTRY", {})
    monkeypatch.setattr(verify, "_load_claims", lambda: None)
    verify.register_claim(Claim("E", "boom", "test", "", quick=lambda: 1 / 0))
    (r,) = run()
    assert r.outcome.verdict == "error" and "ZeroDivisionError" in r.outcome.summary


def test_bad_inputs():
    with pytest.raises(ValueError, match="verdict 'maybe'"):
        Outcome("maybe", "")
    with pytest.raises(ValueError, match="unknown claim ids \\['Z9'\\]"):
        run(["Z9"])


def test_verify_cli_only_json(capsys):
    assert main(["verify", "--only", "C5,W5.2", "--json"]) == 0
    rows = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["C5"]["verdict"] == "holds"
    assert rows["W5.2"]["verdict"] == "refuted"


def test_verify_markdown(capsys):
    assert main(["verify", "--only", "C4", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| id | claim | verdict") and "| C4 |" in out

"""The claim records and the verdict rules of lpsched.claims (no "refuted" without an in-model certificate)."""

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest

from lpsched import Instance, Predictions
from lpsched.claims import (ALL_AT_ZERO, KINDS, LARGE_MEMORY, ONE_PROMPT_SIZE, REGISTRY, VERDICTS, Claim, Outcome,
                            Source, claim, legend, load_builtin, register_claim, run, unregister_claim)
from lpsched.claims import registry
from lpsched.claims.certificates import load, policy_vs_opt, recheck

SEEDS = {"zhou-2025-seminar-slides-sorted-f-and-amin.txt", "chen-ye-zhou-2025-adaptively-robust-summary.txt",
         "zheng-2026-tie-abstract.txt"}
SPEC_IDS = ["W1", "W2", "W3", "W4", "W5", "W6", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "J1", "T1"]
SRC = Source("test", "test paper", "here")
CERTIFICATES = Path(__file__).resolve().parent.parent / "docs" / "certificates"


@pytest.fixture
def scratch(monkeypatch):
    """An empty registry for the duration of one test."""
    monkeypatch.setattr(registry, "REGISTRY", {})
    monkeypatch.setattr(registry, "_loaded", True)
    return registry.REGISTRY


def _hsf_cert(claim_id: str, inst: Instance):
    return policy_vs_opt(claim_id, "H-SF above OPT", inst, "hsf", "tel")


HOMOGENEOUS = Instance(14, [3] * 6, [6, 1, 6, 6, 4, 4])     # H-SF 51, OPT 47 (worked out by the C1 search)
HETEROGENEOUS = Instance(7, [3, 2, 1, 2, 4], [4, 1, 3, 4, 1])  # H-SF 27, OPT 22


def test_every_spec_claim_is_recorded_with_quote_source_kind_and_model():
    load_builtin()
    assert set(SPEC_IDS) <= set(REGISTRY)
    for c in REGISTRY.values():
        assert c.kind in KINDS and c.quote and c.title
        assert c.source.document in SEEDS or c.id == "J1", (c.id, c.source.document)
    # a theorem and its proof's construction or steps are separate records linked in the graph
    assert REGISTRY["W1"].depends_on == ("W1.construction",)
    assert set(REGISTRY["W5"].depends_on) == {"W5.1", "W5.2", "W5.3", "W5.4", "W5.5"}


def test_quotes_are_verbatim_from_the_seeds():
    """Every quoted fragment (between '...') shares a run of three words with its seed document.

    Formulas are retyped from the slides' LaTeX, so only the words (4+ letters, case folded) are compared.
    """
    load_builtin()
    seeds = CERTIFICATES.parent / "sources"

    def words(text):
        return re.findall(r"[a-z]{4,}", text.lower())

    for c in REGISTRY.values():
        if c.source.document not in SEEDS:
            continue
        latex_free = re.sub(r"\\[a-zA-Z]+", " ", (seeds / c.source.document).read_text())
        seed = " " + " ".join(words(latex_free)) + " "
        for frag in c.quote.split("..."):
            w = words(frag)
            if len(w) < 3:
                continue
            assert any(f" {' '.join(w[k:k + 3])} " in seed for k in range(len(w) - 2)), (c.id, frag)


def test_legend_defines_every_verdict_once():
    text = legend()
    for v in VERDICTS:
        assert text.count(f"**{v}**") == 1


def test_refuted_needs_a_certificate():
    with pytest.raises(ValueError, match="needs a certificate"):
        Outcome("refuted", "no certificate")
    with pytest.raises(ValueError, match="valid verdicts"):
        Outcome("unsupported", "old vocabulary")
    with pytest.raises(ValueError, match="kind 'lemma'"):
        Claim("X", "t", "q", SRC, "lemma", (), lambda: None)


def test_an_in_model_certificate_stands(scratch):
    register_claim(Claim("IN", "H-SF is optimal", "q", SRC, "gloss", (ONE_PROMPT_SIZE, ALL_AT_ZERO),
                         lambda: Outcome("refuted", "51 vs 47", certificates=(_hsf_cert("IN", HOMOGENEOUS),))))
    (r,) = run()
    assert r.outcome.verdict == "refuted"


def test_an_out_of_model_counterexample_cannot_produce_refuted(scratch):
    register_claim(Claim("OUT", "H-SF is optimal (one prompt size)", "q", SRC, "gloss", (ONE_PROMPT_SIZE,),
                         lambda: Outcome("refuted", "27 vs 22", certificates=(_hsf_cert("OUT", HETEROGENEOUS),))))
    (r,) = run()
    assert r.outcome.verdict == "open"
    assert not r.outcome.certificates
    assert any("outside the claim's model" in n and "prompt sizes differ" in n for n in r.outcome.notes)


def test_an_asymptotic_assumption_must_be_addressed_by_the_certificate(scratch):
    register_claim(Claim("ASY", "as M -> infinity", "q", SRC, "theorem", (LARGE_MEMORY,),
                         lambda: Outcome("refuted", "one small M", certificates=(_hsf_cert("ASY", HOMOGENEOUS),))))
    (r,) = run()
    assert r.outcome.verdict == "open" and "'M -> infinity' not addressed" in r.outcome.notes[-1]


def test_a_certificate_that_does_not_reproduce_is_an_error(scratch):
    cert = _hsf_cert("BAD", HOMOGENEOUS)
    forged = dataclasses.replace(cert, figures={**cert.figures, "opt": 45})
    assert recheck(forged) and "certificate says 45" in recheck(forged)[0]
    register_claim(Claim("BAD", "t", "q", SRC, "gloss", (), lambda: Outcome("refuted", "x", certificates=(forged,))))
    (r,) = run()
    assert r.outcome.verdict == "error" and "did not re-validate" in r.outcome.summary


def test_a_flawed_step_leaves_the_theorem_open_and_a_repaired_one_carries_over(scratch):
    register_claim(Claim("S1", "step", "q", SRC, "proof step", (), lambda: Outcome("proof step flawed", "x"), factor=3))
    register_claim(Claim("S2", "step", "q", SRC, "proof step", (), lambda: Outcome("holds with a repaired proof", "y"),
                         factor=5))
    register_claim(Claim("T", "chain", "q", SRC, "theorem", (), lambda: Outcome("holds on all cases tried", "z"),
                         depends_on=("S1", "S2")))
    register_claim(Claim("U", "chain", "q", SRC, "theorem", (), lambda: Outcome("holds", "z"), depends_on=("S2",)))
    res = {r.claim.id: r.outcome for r in run()}
    assert res["T"].verdict == "open" and "S1 (proof step flawed)" in res["T"].summary
    assert res["U"].verdict == "holds with a repaired proof" and "S2" in res["U"].summary
    assert registry.composed_factor("T") == 15


def test_a_failing_check_is_an_error_row(scratch):
    register_claim(Claim("E", "boom", "q", SRC, "theorem", (), lambda: 1 / 0))
    register_claim(Claim("F", "not an outcome", "q", SRC, "theorem", (), lambda: "holds"))
    res = {r.claim.id: r.outcome for r in run()}
    assert res["E"].verdict == "error" and "ZeroDivisionError" in res["E"].summary
    assert res["F"].verdict == "error" and "not an Outcome" in res["F"].summary


def test_a_users_claim_from_a_decorator(scratch):
    @claim("MINE", title="H-SF gets 11 on the worked example", quote="1 + 1 + 3 + 6 = 11", source=SRC,
           kind="example", model=[ALL_AT_ZERO])
    def check():
        from lpsched import simulate
        tel = simulate(Instance(6, [2] * 4, [1, 1, 2, 3]), "hsf").metrics.tel
        return Outcome("holds" if tel == 11 else "open", f"TEL {tel}")

    (r,) = run(["MINE"])
    assert (r.claim.id, r.outcome.verdict, r.outcome.summary) == ("MINE", "holds", "TEL 11")
    unregister_claim("MINE")
    with pytest.raises(ValueError, match="unknown claim ids"):
        run(["MINE"])


def test_verify_cli_imports_a_users_claims(tmp_path, monkeypatch, capsys):
    from lpsched.cli import main

    (tmp_path / "my_claims.py").write_text(
        "from lpsched.claims import Outcome, Source, claim\n"
        "@claim('MY1', title='two is even', quote='2 is even', source=Source('notes', 'me', 'p. 1'), kind='example')\n"
        "def check():\n    return Outcome('holds', '2 % 2 == 0')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["verify", "--claims", "my_claims", "--only", "MY1", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["id"] == "MY1" and row["verdict"] == "holds" and row["kind"] == "example"
    unregister_claim("MY1")
    assert main(["verify", "--claims", "no_such_module_here", "--only", "C5"]) == 2


def test_certificates_round_trip_through_json(tmp_path):
    from lpsched.claims.certificates import export
    from lpsched.claims.registry import Result

    c = Claim("RT", "t", "q", SRC, "gloss", (), lambda: None)
    r = Result(c, Outcome("refuted", "x", certificates=(_hsf_cert("RT", HOMOGENEOUS),)), 0.0)
    (path,) = export([r], tmp_path)
    assert recheck(load(path)) == []
    assert load(path).figures["policy"] == 51


@pytest.mark.parametrize("path", sorted(CERTIFICATES.glob("*.json")), ids=lambda p: p.stem)
def test_shipped_certificates_revalidate(path):
    """Every certificate in docs/certificates (written by `lpsched verify --certificates docs/certificates`)
    is recomputed: validator, reference engine, exact solver."""
    cert = load(path)
    assert recheck(cert) == []
    load_builtin()
    c = REGISTRY[cert.claim]
    for d in cert.instances:
        inst = Instance.from_dict(d)
        assert not registry.unmet_assumptions(c.model, inst), (cert.claim, registry.unmet_assumptions(c.model, inst))


def test_every_refuted_seed_claim_ships_its_certificate():
    """A refuted row of the README's table has its certificate file in docs/certificates."""
    readme = (CERTIFICATES.parent.parent / "README.md").read_text()
    section = readme.split("<!-- verify:begin -->")[1].split("<!-- verify:end -->")[0]
    refuted = [line.split("|")[1].strip() for line in section.splitlines()
               if line.startswith("| ") and "| **refuted** |" in line]
    shipped = {p.stem.rsplit("-", 1)[0] for p in CERTIFICATES.glob("*.json")}
    assert set(refuted) <= shipped, set(refuted) - shipped

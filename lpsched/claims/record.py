"""What a claim is, what a check may conclude about it, and what backs a negative verdict.

Layer: theory.

A :class:`Claim` is a statement *as its source states it*: the quote, the document and place it comes
from, its kind (a theorem is not a step of its proof, an empirical claim is not a theorem), and the
model the source assumes (:class:`Assumption`).  Its check returns an :class:`Outcome`: one verdict of
:data:`VERDICTS`, the evidence in numbers, notes on what was seen outside the claim's model,
:class:`Derivation` records for every algebraic step (derived in sympy from its premises, next to what
the source displays) and, for ``refuted``, at least one :class:`Certificate`: a counterexample inside the
claim's own model that :func:`lpsched.claims.certificates.recheck` recomputes independently.

Examples
--------
>>> from lpsched.claims import Outcome
>>> Outcome("refuted", "a counterexample, but no certificate")
Traceback (most recent call last):
...
ValueError: verdict 'refuted' needs a certificate (a counterexample inside the claim's model)
>>> print(legend().splitlines()[1])
- **holds**: proved (symbolically, or by a proof in the package), or checked exhaustively.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

__all__ = ["VERDICTS", "KINDS", "ERROR", "legend", "Source", "Assumption", "Derivation", "Certificate",
           "Outcome", "Claim", "ONE_PROMPT_SIZE", "ALL_AT_ZERO", "SAME_INTERVAL", "INTERVALS_CONTAIN_TRUTH",
           "UNIT_OUTPUTS", "SMALL_RELATIVE_TO_M", "SMALL_PROMPTS", "MANY_BATCHES", "LARGE_MEMORY",
           "SEQUENTIAL_BATCHES", "ONLINE_ARRIVALS", "KV_MEMORY", "unmet_assumptions"]

#: The verdict vocabulary, defined once (``lpsched verify`` prints it as a legend).
VERDICTS: dict[str, str] = {
    "holds": "proved (symbolically, or by a proof in the package), or checked exhaustively.",
    "holds on all cases tried": "no counterexample among the cases tried; the evidence says how many and in "
                                "which ranges.",
    "holds with a repaired proof": "a step of the source's proof is wrong; the conclusion is re-derived "
                                   "(both are shown).",
    "proof step flawed": "a step of a proof (a construction, an inequality) does not hold as displayed: what "
                         "it says and what is true. The theorem it serves has its own row.",
    "refuted": "a counterexample inside the claim's own model, exported as a certificate that a test "
               "re-validates.",
    "not reproduced": "an empirical claim that a run does not match: the settings tried, and those where it "
                      "does reproduce.",
    "open": "not decided here; the evidence says what was looked at.",
}

#: Not a verdict about the claim: the check itself failed (the evidence gives the error).
ERROR = "error"

#: What a statement is in its source.
KINDS = ("theorem", "proposition", "proof step", "construction", "example", "empirical claim", "gloss")

#: Verdicts that say the statement is supported (by a proof, a repaired proof, or every case tried).
SUPPORTED = ("holds", "holds on all cases tried", "holds with a repaired proof")


def legend() -> str:
    """The verdict vocabulary as a markdown list."""
    lines = ["Verdicts:"] + [f"- **{v}**: {text}" for v, text in VERDICTS.items()]
    lines.append(f"- **{ERROR}** (not a verdict): the check itself failed; the evidence gives the error.")
    return "\n".join(lines)


@dataclass(frozen=True)
class Source:
    """Where a statement comes from: the seed document, the paper it presents, the place in it."""

    document: str          # file name of the seed (the slides, the summary, the abstract)
    paper: str             # the paper the statement belongs to
    where: str             # slide title / section / theorem number

    def __str__(self) -> str:
        return f"{self.paper}; {self.document}, {self.where}"


@dataclass(frozen=True)
class Assumption:
    """One assumption of a claim's model, as its source states it.

    ``test(instance)`` returns ``None`` when an instance satisfies it and a reason otherwise; an
    assumption without a test (``M -> infinity``, many batches) is a statement about a *family* of
    instances, and a certificate must say how it respects it (:attr:`Certificate.regime`).
    """

    name: str
    text: str
    test: Callable[[Any], str | None] | None = None

    def __str__(self) -> str:
        return self.name


def _one_prompt(inst) -> str | None:
    return None if len(np.unique(inst.s)) == 1 else f"prompt sizes differ ({sorted(set(inst.s.tolist()))[:5]}...)"


def _all_at_zero(inst) -> str | None:
    return None if inst.all_at_zero else "some requests arrive after 0"


def _same_interval(inst) -> str | None:
    p = inst.predictions
    if p is None or p.lower is None:
        return "no interval predictions"
    if len(np.unique(p.lower)) != 1 or len(np.unique(p.upper)) != 1:
        return "requests have different intervals"
    return None


def _contain_truth(inst) -> str | None:
    p = inst.predictions
    if p is None or p.lower is None:
        return "no interval predictions"
    bad = np.flatnonzero((inst.o < p.lower) | (inst.o > p.upper))
    return None if not len(bad) else f"request {int(bad[0])}: o outside [l, u]"


def _unit_outputs(inst) -> str | None:
    return None if bool((inst.o == 1).all()) else "some o_i != 1"


def _online(inst) -> str | None:
    return None if not inst.all_at_zero else "all requests arrive at 0"


def _small_prompts(inst) -> str | None:
    p = inst.predictions
    low = int(p.lower.min()) if p is not None and p.lower is not None else int(inst.o.min())
    return None if int(inst.s.max()) * 10 <= low else f"s = {int(inst.s.max())} is not below l/10 = {low / 10:g}"


ONE_PROMPT_SIZE = Assumption("one prompt size", "every request has the same prompt size s", _one_prompt)
ALL_AT_ZERO = Assumption("all at 0", "every request is present at time 0", _all_at_zero)
SAME_INTERVAL = Assumption("same interval", "all requests share one prediction interval [l, u]", _same_interval)
INTERVALS_CONTAIN_TRUTH = Assumption("o in [l, u]", "each true output length lies in its interval", _contain_truth)
UNIT_OUTPUTS = Assumption("o = 1", "every request of the construction has o_i = 1", _unit_outputs)
KV_MEMORY = Assumption("KV memory s + t - p", "a request started at p holds s + (t - p) tokens at p < t <= p + o "
                                              "(the slides' 'memory usage = s_i + t - p_i')",
                       lambda inst: None)   # the model of lpsched.validate, which checks every schedule
ONLINE_ARRIVALS = Assumption("online arrivals", "requests arrive over time", _online)
SMALL_RELATIVE_TO_M = Assumption("s, o << M", "s_i, o_i are small quantities relative to M (M -> infinity)")
SMALL_PROMPTS = Assumption("s << l", "prompts negligible against output lengths (tested as s <= l/10)",
                           _small_prompts)
LARGE_MEMORY = Assumption("M -> infinity", "the statement holds up to O(1/M) as M grows against s + o; a "
                                           "certificate must show the gap does not shrink as M grows")
MANY_BATCHES = Assumption("many batches", "the work fills memory many times over (N l^2 >> M)")
SEQUENTIAL_BATCHES = Assumption("sequential batches", "batches run one after the other (the slide's TCT formula "
                                                     "o1 n1 + o2 n2 + o1 n2)")


def unmet_assumptions(model, instance) -> list[str]:
    """The testable assumptions of ``model`` that ``instance`` violates, each with the reason."""
    out = []
    for a in model:
        if a.test is not None:
            why = a.test(instance)
            if why:
                out.append(f"{a.name}: {why}")
    return out


@dataclass(frozen=True)
class Derivation:
    """One algebraic step, derived from its premises (sympy), next to what the source displays.

    ``difference`` names how they relate: ``"agrees"``; ``"slip"`` (the displayed expression is wrong
    but the conclusion the proof needs follows from the derived one); ``"false step"`` (it does not).
    """

    name: str
    premise: str
    derived: str
    displayed: str | None = None
    difference: str = "agrees"
    detail: str = ""

    def __post_init__(self) -> None:
        if self.difference not in ("agrees", "slip", "false step"):
            raise ValueError(f"difference = {self.difference!r}; valid: agrees, slip, false step")

    def line(self) -> str:
        shown = f"; displayed: {self.displayed}" if self.displayed is not None else ""
        return f"{self.name}: from {self.premise} follows {self.derived}{shown} [{self.difference}] {self.detail}".strip()

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Certificate:
    """A counterexample that can be re-validated without trusting the check that found it.

    Parameters
    ----------
    claim : the claim id.
    shows : one sentence: what the certificate shows.
    kind : how :func:`lpsched.claims.certificates.recheck` recomputes it (e.g. ``"policy_vs_opt"``).
    instances : the instances as :meth:`lpsched.model.Instance.to_dict` dicts.
    params : what the recheck needs (policies, options, seeds, the relation to confirm).
    figures : the numbers the check reported, which the recheck must reproduce.
    regime : for each assumption of the claim without a test, how the certificate respects it.
    """

    claim: str
    shows: str
    kind: str
    instances: tuple[dict, ...]
    params: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    regime: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"format": "lpsched.certificate/1", "claim": self.claim, "shows": self.shows, "kind": self.kind,
                "params": self.params, "figures": self.figures, "regime": self.regime,
                "instances": list(self.instances)}

    @classmethod
    def from_dict(cls, data: dict) -> "Certificate":
        if not isinstance(data, dict) or data.get("format") != "lpsched.certificate/1":
            raise ValueError("not an lpsched certificate (format 'lpsched.certificate/1' expected)")
        return cls(data["claim"], data["shows"], data["kind"], tuple(data["instances"]), data.get("params", {}),
                   data.get("figures", {}), data.get("regime", {}))


@dataclass(frozen=True)
class Outcome:
    """What a check found.

    Parameters
    ----------
    verdict : one of :data:`VERDICTS` (or :data:`ERROR` when the check failed).
    summary : the evidence in one or two sentences, with numbers.
    evidence : the numbers behind it (JSON-serialisable).
    notes : observations outside the claim's model, readings the source leaves open: never the verdict.
    derivations : algebraic steps (:class:`Derivation`).
    certificates : counterexamples (:class:`Certificate`); ``refuted`` needs at least one.
    headline : one plain sentence for a reader of the summary ("what the seeds get wrong").
    """

    verdict: str
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    derivations: tuple[Derivation, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    headline: str = ""

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS and self.verdict != ERROR:
            raise ValueError(f"verdict {self.verdict!r}; valid verdicts: {', '.join(VERDICTS)}")
        if self.verdict == "refuted" and not self.certificates:
            raise ValueError("verdict 'refuted' needs a certificate (a counterexample inside the claim's model)")
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(self, "derivations", tuple(self.derivations))
        object.__setattr__(self, "certificates", tuple(self.certificates))


@dataclass(frozen=True)
class Claim:
    """One statement of a source and how to check it.

    Parameters
    ----------
    id : short id (``W5.2``); steps of a proof are separate claims listed in ``depends_on`` of the
        claim they serve.
    title : a short paraphrase for tables.
    quote : the statement as the source states it (verbatim, ``...`` for cuts).
    source : :class:`Source`.
    kind : one of :data:`KINDS`.
    model : the :class:`Assumption` objects the source states.
    quick, full : checks returning an :class:`Outcome` (``full`` defaults to ``quick``).
    depends_on : ids of the steps this claim's proof composes.
    factor : the constant this step contributes to a composed bound (``4`` in ``<= 4 TCT(...)``).
    command : the command that reproduces the quick evidence (``full_command``: the full one).
    """

    id: str
    title: str
    quote: str
    source: Source
    kind: str
    model: tuple[Assumption, ...]
    quick: Callable[[], Outcome]
    full: Callable[[], Outcome] | None = None
    depends_on: tuple[str, ...] = ()
    factor: float | None = None
    command: str = ""
    full_command: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id or any(c.isspace() for c in self.id):
            raise ValueError(f"claim id {self.id!r} must be a non-empty string without spaces")
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} of claim {self.id}; valid kinds: {', '.join(KINDS)}")
        if not isinstance(self.source, Source):
            raise ValueError(f"source of claim {self.id} must be a lpsched.claims.Source, got {self.source!r}")
        bad = [a for a in self.model if not isinstance(a, Assumption)]
        if bad:
            raise ValueError(f"model of claim {self.id} must hold Assumption objects, got {bad[0]!r}")
        object.__setattr__(self, "model", tuple(self.model))
        object.__setattr__(self, "depends_on", tuple(self.depends_on))
        if not callable(self.quick):
            raise ValueError(f"quick check of claim {self.id} must be callable")

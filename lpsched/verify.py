"""The claim registry and ``lpsched verify``: every claim of the seeds, a check, a verdict.

A :class:`Claim` records where a statement comes from (paper, version, statement), the check to run at a
quick and at a full size, and how its numbers turn into a verdict.  Checks return an :class:`Outcome`
(verdict, evidence numbers, a one-line summary).  Verdicts:

* ``holds`` — checked exactly, or on every case tried;
* ``holds only asymptotically`` — true in a limit, false at finite sizes (with the numbers);
* ``refuted`` — a counterexample is shown;
* ``not proved`` — a symbolic step did not simplify (never the same as refuted);
* ``open`` — not checkable numerically; the evidence says what was looked at;
* ``unsupported`` — the claim composes steps (an edge of the claim graph) and one of them is refuted
  or not proved, so the composed statement is not established;
* ``error`` — the check itself failed (the message says why).

Claims that compose others are edges of a networkx graph (``depends_on``); a step may carry a
``factor`` (e.g. the 4 of ``TCT(ALG_separate) <= 4 TCT(ALG_group)``), and the constant a composed claim
asserts is recomputed as the product of its steps' factors along the graph.
"""

from __future__ import annotations

import json
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Claim", "Outcome", "Result", "REGISTRY", "register_claim", "run", "claim_graph", "composed_factor",
           "VERDICTS", "to_markdown"]

VERDICTS = ("holds", "holds only asymptotically", "refuted", "not proved", "open", "unsupported", "error")


@dataclass(frozen=True)
class Outcome:
    """What a check found: a verdict, the evidence in numbers, and one sentence."""

    verdict: str
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r}; valid verdicts: {', '.join(VERDICTS)}")


@dataclass(frozen=True)
class Claim:
    """One published claim and how to check it."""

    id: str
    title: str
    source: str                        # paper, version, where
    statement: str
    quick: Callable[[], Outcome]
    full: Callable[[], Outcome] | None = None
    depends_on: tuple[str, ...] = ()
    factor: float | None = None        # the constant this step contributes to a composed claim


@dataclass(frozen=True)
class Result:
    claim: Claim
    outcome: Outcome
    seconds: float

    def row(self) -> dict[str, Any]:
        return {"id": self.claim.id, "claim": self.claim.title, "verdict": self.outcome.verdict,
                "evidence": self.outcome.summary, "seconds": round(self.seconds, 2),
                "numbers": self.outcome.evidence}


REGISTRY: dict[str, Claim] = {}


def register_claim(claim: Claim) -> Claim:
    if claim.id in REGISTRY:
        raise ValueError(f"claim {claim.id!r} registered twice")
    REGISTRY[claim.id] = claim
    return claim


def _load_claims() -> None:
    from . import claims  # noqa: F401  (registers every claim)


def claim_graph():
    """Directed graph step -> composed claim over the registry (networkx)."""
    import networkx as nx

    _load_claims()
    g = nx.DiGraph()
    for c in REGISTRY.values():
        g.add_node(c.id, factor=c.factor)
        for d in c.depends_on:
            if d not in REGISTRY:
                raise ValueError(f"claim {c.id!r} depends on unknown claim {d!r}")
            g.add_edge(d, c.id)
    if not nx.is_directed_acyclic_graph(g):
        raise ValueError("the claim graph has a cycle")
    return g


def composed_factor(claim_id: str) -> float:
    """Product of the step factors of every claim ``claim_id`` (transitively) depends on."""
    import math

    import networkx as nx

    g = claim_graph()
    steps = [g.nodes[a]["factor"] for a in nx.ancestors(g, claim_id)]
    return math.prod(f for f in steps if f is not None)


def run(ids: list[str] | None = None, full: bool = False, progress: Callable[[str], None] | None = None) -> list[Result]:
    """Run the checks (all, or ``ids`` and what they depend on), then propagate through the graph."""
    import networkx as nx

    g = claim_graph()
    wanted = list(REGISTRY) if not ids else ids
    unknown = [i for i in wanted if i not in REGISTRY]
    if unknown:
        raise ValueError(f"unknown claim ids {unknown}; valid ids: {', '.join(REGISTRY)}")
    needed = set(wanted)
    for i in wanted:
        needed |= nx.ancestors(g, i)
    results: dict[str, Result] = {}
    for cid in nx.topological_sort(g):
        if cid not in needed:
            continue
        claim = REGISTRY[cid]
        if progress:
            progress(cid)
        check = claim.full if (full and claim.full is not None) else claim.quick
        t0 = time.perf_counter()
        try:
            out = check()
        except Exception as exc:  # reported as a verdict, with the reason
            out = Outcome("error", f"{type(exc).__name__}: {exc}", {"traceback": traceback.format_exc(limit=3)})
        bad = [d for d in claim.depends_on if results[d].outcome.verdict in ("refuted", "not proved", "unsupported", "error")]
        if bad:
            out = Outcome("unsupported", f"depends on {', '.join(bad)} ({', '.join(results[d].outcome.verdict for d in bad)}); "
                                         f"own check: {out.verdict} — {out.summary}", out.evidence)
        results[cid] = Result(claim, out, time.perf_counter() - t0)
    shown = [i for i in REGISTRY if i in results and (not ids or i in wanted)]
    return [results[i] for i in sorted(shown, key=_spec_order)]


def _spec_order(cid: str) -> tuple:
    """W1..W6 (with W5's steps before W5), C1..C8, J1, T1: the order of SPEC.md section 6."""
    head, _, step = cid.partition(".")
    return ("WCJT".find(head[0]), int(head[1:]) if head[1:].isdigit() else 0, 0 if step else 1, step)


def to_markdown(results: list[Result]) -> str:
    lines = ["| id | claim | verdict | evidence | s |", "|---|---|---|---|---|"]
    for r in results:
        row = r.row()
        ev = row["evidence"].replace("|", "/")
        lines.append(f"| {row['id']} | {row['claim']} | **{row['verdict']}** | {ev} | {row['seconds']} |")
    return "\n".join(lines)


def to_json(results: list[Result]) -> str:
    return json.dumps([r.row() for r in results], indent=1, default=str)

"""``lpsched verify``: run the claims (:mod:`lpsched.claims`) and write what they found.

Layer: theory (the presentation of verdicts), on top of :mod:`lpsched.claims` (imports point that way only).

* :func:`to_table` -- one line per claim: id, kind, verdict, time, evidence (the terminal view);
* :func:`to_json` -- every field, with derivations and certificates;
* :func:`to_markdown` -- the README's "Results" section: the legend, the table (id, kind, claim, model,
  verdict, evidence, command), "What the seeds get wrong, and what still holds", and one paragraph per
  claim with its quote, source, notes and derivations;
* :func:`update_readme` -- replace the section between ``<!-- verify:begin -->`` and ``<!-- verify:end -->``.

>>> from lpsched.claims import run
>>> print(to_markdown(run(["C5"]), details=False).splitlines()[-1][:50])
| C5 | proposition | alpha = 1 gives CR(A_min) = 1
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .claims import ERROR, VERDICTS, Result, legend

__all__ = ["to_table", "to_json", "to_markdown", "update_readme", "BEGIN", "END"]

BEGIN, END = "<!-- verify:begin -->", "<!-- verify:end -->"

#: Which verdicts go under "what the seeds get wrong" (the rest: "what still holds" or "open").
WRONG = ("proof step flawed", "refuted", "not reproduced")
HOLDS = ("holds", "holds on all cases tried", "holds with a repaired proof")
STEPS = ("proof step", "construction", "example")


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def to_table(results: list[Result]) -> str:
    """Plain text: one block per claim."""
    width = max((len(r.claim.id) for r in results), default=2)
    lines = []
    for r in results:
        lines.append(f"{r.claim.id:<{width}}  {r.claim.kind:<15} {r.outcome.verdict:<28} {r.seconds:6.1f}s  "
                     f"{r.claim.title}")
        lines.append(f"{'':<{width}}  evidence: {r.outcome.summary}")
        for note in r.outcome.notes:
            lines.append(f"{'':<{width}}  note: {note}")
        if r.claim.command:
            lines.append(f"{'':<{width}}  reproduce: {r.claim.command}")
    return "\n".join(lines)


def to_json(results: list[Result]) -> str:
    """Every row with its derivations and certificates."""
    return json.dumps([r.row() for r in results], indent=1, default=str)


def _headline(r: Result, limit: int = 300) -> str:
    """The check's headline, or the first sentence of its evidence (cut at ``limit`` characters)."""
    text = r.outcome.headline or re.split(r"(?<=\.)\s", r.outcome.summary, maxsplit=1)[0]
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def _text(text: str) -> str:
    return str(text).replace("\n", " ")


def _summary_section(results: list[Result]) -> list[str]:
    wrong = [r for r in results if r.outcome.verdict in WRONG or (r.outcome.verdict == "holds with a repaired proof"
                                                                   and r.claim.kind in STEPS)]
    holds = [r for r in results if r.outcome.verdict in HOLDS and r.claim.kind in ("theorem", "proposition")]
    still_open = [r for r in results if r.outcome.verdict == "open" and r.claim.kind in ("theorem", "proposition",
                                                                                         "empirical claim")]
    out = ["### What the seeds get wrong, and what still holds", ""]
    out.append("Wrong as displayed (a step, a construction, an example, a gloss, or an empirical figure):")
    out.append("")
    out += [f"- **{r.claim.id}** ({r.claim.kind}, {r.outcome.verdict}): {_text(r.claim.title)}. "
            f"{_text(_headline(r))}" for r in wrong] or ["- nothing"]
    out += ["", "What still holds (proved, re-derived, or unbroken on every case tried):", ""]
    out += [f"- **{r.claim.id}** ({r.outcome.verdict}): {_text(r.claim.title)}."
            + (f" {_text(r.outcome.headline)}" if r.outcome.headline else "") for r in holds] or ["- nothing"]
    out += ["", "Still open:", ""]
    out += [f"- **{r.claim.id}**: {_text(r.claim.title)}. {_text(_headline(r))}" for r in still_open] or ["- nothing"]
    return out


def to_markdown(results: list[Result], details: bool = True) -> str:
    """The Results section: legend, table, the summary, and (``details``) one paragraph per claim."""
    lines = [legend(), "", "| id | kind | claim | model | verdict | evidence | reproduce |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        c, o = r.claim, r.outcome
        model = ", ".join(a.name for a in c.model) or "-"
        lines.append(f"| {c.id} | {c.kind} | {_cell(c.title)} | {_cell(model)} | **{o.verdict}** | "
                     f"{_cell(o.summary)} | `{_cell(c.command)}` |" if c.command else
                     f"| {c.id} | {c.kind} | {_cell(c.title)} | {_cell(model)} | **{o.verdict}** | "
                     f"{_cell(o.summary)} | - |")
    if not details:
        return "\n".join(lines)
    lines += [""] + _summary_section(results) + ["", "### Each claim as its source states it", ""]
    for r in results:
        c, o = r.claim, r.outcome
        lines.append(f"**{c.id}** ({c.kind}; {c.source}): \"{_text(c.quote)}\"")
        lines.append("")
        if c.model:
            lines.append("- model: " + "; ".join(f"{a.name} ({a.text})" for a in c.model))
        if c.depends_on:
            lines.append("- proof steps: " + ", ".join(c.depends_on))
        lines.append(f"- verdict: **{o.verdict}**. {_text(o.summary)}")
        for d in o.derivations:
            lines.append(f"- derivation {_text(d.line())}")
        for note in o.notes:
            lines.append(f"- note: {_text(note)}")
        for k, cert in enumerate(o.certificates, 1):
            lines.append(f"- certificate `docs/certificates/{c.id}-{k}.json`: {_text(cert.shows)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def update_readme(path: str | Path, section: str, begin: str = BEGIN, end: str = END) -> bool:
    """Replace the text between the markers ``begin`` and ``end`` (default :data:`BEGIN`, :data:`END`)
    in ``path``; True if it changed."""
    p = Path(path)
    text = p.read_text()
    if begin not in text or end not in text:
        raise ValueError(f"{path} has no '{begin}' ... '{end}' markers")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    new = f"{head}{begin}\n{section.rstrip()}\n{end}{tail}"
    if new != text:
        p.write_text(new)
    return new != text


def known_verdicts() -> list[str]:
    """The vocabulary plus the error status (for argument checking and tests)."""
    return list(VERDICTS) + [ERROR]

"""A tiny harness for the proof scripts in ``proofs/``: steps derived with sympy, backed by numbers.

Layer: theory.

Each script builds a :class:`Proof`, adds steps, and ends with :meth:`Proof.finish`, which prints every
step and a last line ``VERDICT: <verdict>`` in the vocabulary of :data:`lpsched.claims.VERDICTS`.  A step is

* ``equal(name, lhs, rhs)`` -- proved when ``simplify(lhs - rhs) == 0``;
* ``nonnegative(name, expr)`` -- proved when sympy shows ``expr >= 0`` (``is_nonnegative`` of the
  expression or of its ``factor``/``simplify``/``expand`` forms);
* ``numeric(name, func, cases)`` -- ``func(case)`` must be true on every case;
* ``displayed(name, displayed, derived, needed_holds)`` -- the source's displayed expression next to the
  one derived from the premises: equal (agrees), different but the conclusion the proof needs still
  follows (``needed_holds=True``: a *slip*), or not (a *false step*);
* ``counterexample(name, description, holds, in_model)`` -- a concrete case of the claim; one inside
  the claim's model with ``holds=False`` refutes it, one outside is only a note.

Verdict: ``refuted`` (an in-model counterexample), else ``proof step flawed`` (a false step or a failed
numeric step), else ``open`` (a step sympy could not settle), else ``holds with a repaired proof`` (a slip),
else ``holds``.

>>> import sympy as sp
>>> n = sp.Symbol("n", positive=True, integer=True)
>>> k = sp.Symbol("k", integer=True)
>>> p = Proof("demo", "sum of the first n odd numbers is n^2")
>>> p.equal("closed form", sp.summation(2 * k - 1, (k, 1, n)), n**2)
True
>>> p.verdict()
'holds'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import sympy as sp

__all__ = ["Proof"]


@dataclass
class Step:
    name: str
    status: str  # proved | checked | not proved | failed | slip | false step | refuted | note
    detail: str = ""


@dataclass
class Proof:
    claim: str
    statement: str
    steps: list[Step] = field(default_factory=list)

    def _add(self, name: str, status: str, detail: str = "") -> bool:
        self.steps.append(Step(name, status, detail))
        return status in ("proved", "checked", "slip")

    def equal(self, name: str, lhs: Any, rhs: Any) -> bool:
        diff = sp.simplify(sp.sympify(lhs) - sp.sympify(rhs))
        ok = diff == 0
        return self._add(name, "proved" if ok else "not proved", f"{sp.sstr(lhs)} = {sp.sstr(rhs)}"
                         + ("" if ok else f"; difference simplifies to {sp.sstr(diff)}"))

    def nonnegative(self, name: str, expr: Any) -> bool:
        expr = sp.sympify(expr)
        for form in (expr, sp.factor(expr), sp.simplify(expr), sp.expand(expr)):
            if form.is_nonnegative:
                return self._add(name, "proved", f"{sp.sstr(form)} >= 0")
        return self._add(name, "not proved", f"could not show {sp.sstr(expr)} >= 0")

    def numeric(self, name: str, func: Callable[[Any], bool], cases: Iterable[Any]) -> bool:
        cases = list(cases)
        bad = [c for c in cases if not func(c)]
        if bad:
            return self._add(name, "failed", f"fails on {len(bad)} of {len(cases)} cases, e.g. {bad[0]!r}")
        return self._add(name, "checked", f"true on all {len(cases)} cases")

    def displayed(self, name: str, displayed: Any, derived: Any, needed_holds: bool, what: str = "") -> bool:
        """The source's expression vs the derived one; ``needed_holds``: the proof's conclusion follows."""
        same = sp.simplify(sp.sympify(displayed) - sp.sympify(derived)) == 0
        status = "proved" if same else ("slip" if needed_holds else "false step")
        return self._add(name, status, f"displayed {sp.sstr(displayed)}, derived {sp.sstr(derived)}"
                         + (f"; {what}" if what else ""))

    def counterexample(self, name: str, description: str, holds: bool, in_model: bool = True) -> bool:
        if holds:
            return self._add(name, "checked", description)
        return self._add(name, "refuted" if in_model else "note", description
                         + ("" if in_model else " (outside the claim's model: a note, not a verdict)"))

    def note(self, name: str, detail: str) -> None:
        """A step that is information, not a check (e.g. a measured limit)."""
        self.steps.append(Step(name, "note", detail))

    def verdict(self) -> str:
        statuses = {s.status for s in self.steps}
        if "refuted" in statuses:
            return "refuted"
        if statuses & {"false step", "failed"}:
            return "proof step flawed"
        if "not proved" in statuses:
            return "open"
        if "slip" in statuses:
            return "holds with a repaired proof"
        return "holds"

    def finish(self) -> str:
        """Print the steps and the verdict; return the verdict."""
        print(f"{self.claim}: {self.statement}")
        for i, s in enumerate(self.steps, 1):
            print(f"  step {i} [{s.status}] {s.name}: {s.detail}")
        v = self.verdict()
        print(f"VERDICT: {v}")
        return v

"""A tiny harness for the proof scripts in ``proofs/``: steps checked with sympy, backed by numbers.

Each script builds a :class:`Proof`, adds steps, and ends with :meth:`Proof.finish`, which prints every
step and a last line ``VERDICT: <verdict>``.  A step is

* ``equal(name, lhs, rhs)`` — proved when ``simplify(lhs - rhs) == 0``;
* ``nonnegative(name, expr, assumptions)`` — proved when sympy can show ``expr >= 0`` under the symbols'
  assumptions (``is_nonnegative``, or after ``factor``/``simplify``);
* ``numeric(name, func, cases)`` — ``func(case)`` must be true on every case (spot checks);
* ``counterexample(name, description, holds)`` — a concrete case; ``holds=False`` refutes the claim.

A step sympy cannot settle is *not proved*, never *refuted*: only a counterexample refutes.

>>> import sympy as sp
>>> n = sp.Symbol("n", positive=True, integer=True)
>>> p = Proof("demo", "sum of the first n odd numbers is n^2")
>>> p.equal("closed form", sp.summation(2 * sp.Symbol("k", integer=True) - 1, (sp.Symbol("k", integer=True), 1, n)), n**2)
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
    status: str  # proved | not proved | checked | failed | refuted
    detail: str = ""


@dataclass
class Proof:
    claim: str
    statement: str
    steps: list[Step] = field(default_factory=list)
    asymptotic: bool = False  # set when a step holds only in a limit

    def _add(self, name: str, status: str, detail: str = "") -> bool:
        self.steps.append(Step(name, status, detail))
        return status in ("proved", "checked")

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

    def counterexample(self, name: str, description: str, holds: bool) -> bool:
        return self._add(name, "checked" if holds else "refuted", description)

    def note(self, name: str, detail: str) -> None:
        """A step that is information, not a check (e.g. a measured limit)."""
        self.steps.append(Step(name, "note", detail))

    def verdict(self) -> str:
        statuses = {s.status for s in self.steps}
        if "refuted" in statuses or "failed" in statuses:
            return "refuted"
        if "not proved" in statuses:
            return "not proved"
        return "holds only asymptotically" if self.asymptotic else "holds"

    def finish(self) -> str:
        """Print the steps and the verdict; return the verdict."""
        print(f"{self.claim}: {self.statement}")
        for i, s in enumerate(self.steps, 1):
            print(f"  step {i} [{s.status}] {s.name}: {s.detail}")
        v = self.verdict()
        print(f"VERDICT: {v}")
        return v

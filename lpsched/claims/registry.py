"""The claim registry, the claim graph, and :func:`run`, which applies the verdict rules.

Layer: theory.

Rules applied to every outcome, whoever wrote the check (the seeds' claims or a user's):

1. ``refuted`` needs a certificate inside the claim's own model: every instance of every certificate
   satisfies each testable assumption of the claim, and the certificate states how it respects each
   assumption without a test (``M -> infinity``, many batches ...).  A counterexample outside the model
   becomes a note and the verdict ``open``.
2. Every certificate is recomputed by :func:`lpsched.claims.certificates.recheck` (validator, reference
   engine, exact solver); one that does not reproduce turns the row into an ``error``.
3. A claim that composes steps (``depends_on``) is only as established as its steps: if a step is not
   supported (``proof step flawed``, ``open`` ...) and the claim's own check did not refute it or
   re-derive it (``holds with a repaired proof``), the verdict is ``open`` with the reason; if every step
   is supported and one needed a repaired proof, so does the claim.
"""

from __future__ import annotations

import importlib
import time
import traceback
from dataclasses import dataclass, replace
from typing import Any, Callable

from .record import ERROR, SUPPORTED, Claim, Outcome, Source, unmet_assumptions

__all__ = ["REGISTRY", "register_claim", "claim", "unregister_claim", "claim_graph", "composed_factor", "run",
           "Result", "BUILTIN_MODULES", "load_builtin"]

REGISTRY: dict[str, Claim] = {}

#: Modules that register the seeds' claims (one per paper).
BUILTIN_MODULES = ("lpsched.claims.wang_ye_zhou", "lpsched.claims.chen_ye_zhou", "lpsched.claims.jaillet",
                   "lpsched.claims.zheng")


def register_claim(c: Claim, *, replace: bool = False) -> Claim:
    """Add ``c`` to the registry (``replace=True`` overwrites a claim of the same id, e.g. in a notebook)."""
    if not isinstance(c, Claim):
        raise ValueError(f"register_claim needs a lpsched.claims.Claim, got {type(c).__name__}")
    if c.id in REGISTRY and not replace:
        raise ValueError(f"claim {c.id!r} registered twice (pass replace=True to overwrite it)")
    REGISTRY[c.id] = c
    return c


def unregister_claim(claim_id: str) -> None:
    """Remove a claim (a user's, typically) from the registry."""
    if claim_id not in REGISTRY:
        raise ValueError(f"unknown claim id {claim_id!r}")
    del REGISTRY[claim_id]


def claim(id: str, *, title: str, quote: str, source: Source, kind: str, model=(), command: str = "",
          depends_on=(), factor: float | None = None, replace: bool = True) -> Callable:
    """Decorator: register the decorated function as the check of a new claim.

    Examples
    --------
    >>> from lpsched import Instance, simulate
    >>> from lpsched.claims import ALL_AT_ZERO, Outcome, Source, claim, run, unregister_claim
    >>> @claim("EX1", title="H-SF gets 11 on the slides' example", quote="TEL(o; H-SF) = 1 + 1 + 3 + 6 = 11",
    ...        source=Source("my notes", "Chen, Ye, Zhou", "worked example"), kind="example", model=[ALL_AT_ZERO])
    ... def check():
    ...     tel = simulate(Instance(6, [2] * 4, [1, 1, 2, 3]), "hsf").metrics.tel
    ...     return Outcome("holds" if tel == 11 else "open", f"H-SF TEL = {tel}")
    >>> [(r.claim.id, r.outcome.verdict) for r in run(["EX1"])]
    [('EX1', 'holds')]
    >>> unregister_claim("EX1")
    """
    def deco(func: Callable[[], Outcome]) -> Callable[[], Outcome]:
        register_claim(Claim(id, title, quote, source, kind, tuple(model), func, depends_on=tuple(depends_on),
                             factor=factor, command=command), replace=replace)
        return func
    return deco


_loaded = False


def load_builtin() -> None:
    """Register the seeds' claims (once)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for name in BUILTIN_MODULES:
        importlib.import_module(name)


def claim_graph():
    """Directed graph step -> composed claim over the registry (networkx)."""
    import networkx as nx

    load_builtin()
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


@dataclass(frozen=True)
class Result:
    """A claim, what its check found after the rules were applied, and the check's wall time."""

    claim: Claim
    outcome: Outcome
    seconds: float

    def row(self) -> dict[str, Any]:
        c, o = self.claim, self.outcome
        return {"id": c.id, "kind": c.kind, "claim": c.title, "quote": c.quote, "source": str(c.source),
                "model": [a.name for a in c.model], "verdict": o.verdict, "evidence": o.summary,
                "notes": list(o.notes), "derivations": [d.to_dict() for d in o.derivations],
                "certificates": [x.to_dict() for x in o.certificates], "depends_on": list(c.depends_on),
                "command": c.command, "seconds": round(self.seconds, 2), "numbers": o.evidence}


def _in_model(c: Claim, out: Outcome) -> Outcome:
    """Rule 1: a ``refuted`` whose counterexample is outside the claim's model becomes a note."""
    from ..model import Instance

    if out.verdict != "refuted":
        return out
    problems = []
    for cert in out.certificates:
        if cert.claim != c.id:
            problems.append(f"certificate is for claim {cert.claim!r}")
        for k, d in enumerate(cert.instances):
            problems += [f"instance {k}: {p}" for p in unmet_assumptions(c.model, Instance.from_dict(d))]
        problems += [f"'{a.name}' not addressed" for a in c.model if a.test is None and a.name not in cert.regime]
    if not problems:
        return out
    return replace(out, verdict="open", certificates=(),
                   notes=out.notes + (f"counterexample outside the claim's model ({'; '.join(problems)}): a note, "
                                      f"not a verdict: {out.summary}",),
                   summary="no counterexample inside the claim's model; " + out.summary)


#: Certificates with more requests than this are re-validated only on request (``recheck=True``, ``lpsched
#: verify --recheck``) and by the test suite on the shipped files, not in every run.
RECHECK_LIMIT = 10_000


def _rechecked(out: Outcome, every: bool) -> Outcome:
    """Rule 2: every certificate reproduces independently, or the row is an error."""
    from .certificates import recheck, size

    problems, later = [], []
    for cert in out.certificates:
        if every or size(cert) <= RECHECK_LIMIT:
            problems += recheck(cert)
        else:
            later.append(size(cert))
    if problems:
        return replace(out, verdict=ERROR, summary=f"a certificate did not re-validate: {'; '.join(problems)}")
    if later:
        return replace(out, notes=out.notes + (f"certificate of {', '.join(map(str, later))} requests: re-validated "
                                               f"by `lpsched verify --recheck` and by the test suite, not in this run",))
    return out


def _composed(c: Claim, out: Outcome, results: dict[str, Result]) -> Outcome:
    """Rule 3: a composed claim is open while one of its proof's steps is not supported."""
    if not c.depends_on or out.verdict not in ("holds", "holds on all cases tried"):
        return out
    steps = [results[d].outcome.verdict for d in c.depends_on]
    weak = [d for d, v in zip(c.depends_on, steps) if v not in SUPPORTED]
    if not weak:
        repaired = [d for d, v in zip(c.depends_on, steps) if v == "holds with a repaired proof"]
        if repaired:
            return replace(out, verdict="holds with a repaired proof",
                           summary=f"{', '.join(repaired)} needed a repaired proof; own check ({out.verdict}): "
                                   f"{out.summary}")
        return out
    why = ", ".join(f"{d} ({results[d].outcome.verdict})" for d in weak)
    return replace(out, verdict="open",
                   summary=f"the proof's steps do not establish it: {why}; own check ({out.verdict}): {out.summary}")


def run(ids: list[str] | None = None, full: bool = False, progress: Callable[[str], None] | None = None,
        recheck: bool | None = None) -> list[Result]:
    """Run the checks (all, or ``ids`` and what they depend on) and apply the verdict rules.

    ``recheck``: ``None`` (default) re-validates every certificate of at most :data:`RECHECK_LIMIT`
    requests (the larger ones with ``full=True``); ``True`` every certificate; ``False`` none (rule 1, the
    model, is always applied).
    """
    import networkx as nx

    g = claim_graph()
    wanted = list(REGISTRY) if not ids else list(ids)
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
        c = REGISTRY[cid]
        if progress:
            progress(cid)
        check = c.full if (full and c.full is not None) else c.quick
        t0 = time.perf_counter()
        try:
            out = check()
            if not isinstance(out, Outcome):
                raise TypeError(f"the check of {cid} returned {type(out).__name__}, not an Outcome")
            out = _in_model(c, out)
            if recheck is not False:
                out = _rechecked(out, every=bool(recheck) or full)
        except Exception as exc:  # reported as the row's status, with the reason
            out = Outcome(ERROR, f"{type(exc).__name__}: {exc}", {"traceback": traceback.format_exc(limit=3)})
        out = _composed(c, out, results)
        results[cid] = Result(c, out, time.perf_counter() - t0)
    shown = [i for i in results if not ids or i in wanted]
    return [results[i] for i in sorted(shown, key=_order)]


def _order(cid: str) -> tuple:
    """W1..W6 (steps before the claim they serve), C1..C8, J1, T1, then other claims by id."""
    head, _, step = cid.partition(".")
    family = "WCJT".find(head[0]) if head[:1] in ("W", "C", "J", "T") and head[1:].isdigit() else 9
    num = int(head[1:]) if head[1:].isdigit() else 0
    return (family, num if family < 9 else 0, head if family == 9 else "", 0 if step else 1, step)

"""Certificates: counterexamples that anyone can re-validate without trusting the check that found them.

Layer: theory.

A :class:`~lpsched.claims.Certificate` stores the instances (JSON), what to recompute and the figures
the check reported.  :func:`recheck` recomputes them on an independent path: every schedule through the
validator (:func:`lpsched.validate`), every policy through the *reference* engine (one decision at every
integer time), every optimum through an exact solver; it returns the list of problems (empty when the
certificate reproduces).  Kinds:

* ``policy_vs_opt`` -- a policy's schedule against a proven optimum on one instance
  (``params``: policy, options, objective ``tct|tel|makespan``; ``figures``: policy and opt objectives and
  their start times).  Confirms ``policy > opt``.
* ``policy_ratio`` -- ``metric(numerator) / metric(denominator)`` on each instance (mean over the
  numerator's seeds), confirming ``ratio > above + margin`` or ``ratio < below`` on every instance.
* ``reduction`` -- a W1/W2 scheduling instance built from a Partition / 3-Partition instance: the
  answer (decided by subset enumeration), the exact optimum and its schedule.

>>> from lpsched.claims.certificates import policy_vs_opt, recheck
>>> from lpsched import Instance
>>> cert = policy_vs_opt("C1", "H-SF is not optimal", Instance(14, [3] * 6, [6, 1, 6, 6, 4, 4]), "hsf", "tel")
>>> cert.figures["policy"], cert.figures["opt"], recheck(cert)
(51, 47, [])
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from .record import Certificate

__all__ = ["recheck", "size", "policy_vs_opt", "policy_ratio", "reduction_certificate", "export", "load", "KINDS"]


def _objective(schedule, objective: str) -> int:
    from ..schedule import validate

    validate(schedule)
    c = schedule.completion
    if objective == "tct":
        return int(c.sum())
    if objective == "tel":
        return int((c - schedule.instance.a).sum())
    if objective == "makespan":
        return int(c.max())
    raise ValueError(f"objective {objective!r}; valid: tct, tel, makespan")


def _exact(inst, objective: str):
    from ..exact import solve

    backend = "bruteforce" if inst.n <= 7 else "cpsat"
    res = solve(inst, backend=backend, objective="makespan" if objective == "makespan" else "tct",
                time_limit=120, on_interrupt="raise")
    if res.status != "optimal":
        raise RuntimeError(f"exact optimum not proven ({res.status})")
    return res


def _simulate(inst, spec: dict, seed: int | None, engine: str):
    from ..runner import simulate

    return simulate(inst, spec["policy"], engine=engine, seed=seed, **spec.get("options", {}))


def _metric(result, metric: str) -> float:
    m = result.metrics
    return float(getattr(m, metric))


# ----------------------------------------------------------------------------------------------- builders
def policy_vs_opt(claim: str, shows: str, instance, policy: str, objective: str, options: dict | None = None,
                  regime: dict | None = None) -> Certificate:
    """Certificate that ``policy`` is worse than the optimum on ``instance`` (figures computed here)."""
    from ..runner import simulate

    res = simulate(instance, policy, **(options or {}))
    opt = _exact(instance, objective)
    fig = {"policy": _objective(res.schedule, objective), "opt": _objective(opt.schedule, objective),
           "policy_start": res.schedule.start.tolist(), "opt_start": opt.schedule.start.tolist()}
    return Certificate(claim, shows, "policy_vs_opt", (instance.to_dict(),),
                       {"policy": policy, "options": options or {}, "objective": objective}, fig, regime or {})


def policy_ratio(claim: str, shows: str, instances, numerator: dict, denominator: dict, metric: str,
                 *, above: float | None = None, below: float | None = None, margin: float = 0.0,
                 regime: dict | None = None, engine: str = "fast", ratios=None) -> Certificate:
    """Certificate that ``metric(numerator)/metric(denominator) > above + margin`` (or ``< below``) on
    every instance.  ``numerator``/``denominator``: ``{"policy", "options", "seeds"}``; the ratio is the
    mean over the numerator's seeds of the metric over the denominator's (as
    :func:`lpsched.studies.uncertainty.ratio_vs_hsf`).  ``ratios``: the figures the check already computed
    (they are recomputed by :func:`recheck`, not here).
    """
    if (above is None) == (below is None):
        raise ValueError("give exactly one of above= or below=")
    if ratios is None:
        ratios = [_ratio(inst, numerator, denominator, metric, engine) for inst in instances]
    ratios = [float(r) for r in ratios]
    return Certificate(claim, shows, "policy_ratio", tuple(i.to_dict() for i in instances),
                       {"numerator": numerator, "denominator": denominator, "metric": metric, "above": above,
                        "below": below, "margin": margin}, {"ratios": ratios}, regime or {})


def _ratio(inst, numerator: dict, denominator: dict, metric: str, engine: str) -> float:
    den = _metric(_simulate(inst, denominator, (denominator.get("seeds") or [0])[0], engine), metric)
    vals = [_metric(_simulate(inst, numerator, seed, engine), metric) for seed in (numerator.get("seeds") or [0])]
    return float(np.mean(vals) / den)


def reduction_certificate(claim: str, shows: str, instance, x: list[int], T: int | None, answer: bool,
                          objective: str, target: int, regime: dict | None = None) -> Certificate:
    """Certificate for a W1/W2 construction: the answer, the exact optimum and its schedule."""
    opt = _exact(instance, objective)
    return Certificate(claim, shows, "reduction", (instance.to_dict(),),
                       {"x": list(map(int, x)), "T": T, "objective": objective, "target": target},
                       {"answer": "YES" if answer else "NO", "optimum": _objective(opt.schedule, objective),
                        "start": opt.schedule.start.tolist()}, regime or {})


# ----------------------------------------------------------------------------------------------- recheck
def _recheck_policy_vs_opt(cert: Certificate) -> list[str]:
    from ..model import Instance
    from ..schedule import Schedule

    inst = Instance.from_dict(cert.instances[0])
    p, f = cert.params, cert.figures
    out = []
    pol = _objective(Schedule(inst, f["policy_start"]), p["objective"])
    ref = _simulate(inst, p, 0, "reference")
    if ref.schedule.start.tolist() != list(f["policy_start"]):
        out.append(f"{p['policy']} on the reference engine starts at {ref.schedule.start.tolist()}, "
                   f"not {f['policy_start']}")
    opt_given = _objective(Schedule(inst, f["opt_start"]), p["objective"])
    opt = _objective(_exact(inst, p["objective"]).schedule, p["objective"])
    if pol != f["policy"]:
        out.append(f"{p['policy']} objective recomputes to {pol}, certificate says {f['policy']}")
    if opt != f["opt"] or opt_given != opt:
        out.append(f"optimum recomputes to {opt} (given schedule {opt_given}), certificate says {f['opt']}")
    if not pol > opt:
        out.append(f"{p['policy']} = {pol} is not above the optimum {opt}")
    return out


def _recheck_policy_ratio(cert: Certificate) -> list[str]:
    from ..model import Instance

    p, out = cert.params, []
    for k, (d, r) in enumerate(zip(cert.instances, cert.figures["ratios"])):
        got = _ratio(Instance.from_dict(d), p["numerator"], p["denominator"], p["metric"], "reference")
        if not np.isclose(got, r, rtol=1e-12, atol=0):
            out.append(f"instance {k}: ratio recomputes to {got:.6f}, certificate says {r:.6f}")
        if p.get("above") is not None and not got > p["above"] + p.get("margin", 0.0):
            out.append(f"instance {k}: ratio {got:.6f} is not above {p['above']:.6f} + {p.get('margin', 0.0)}")
        if p.get("below") is not None and not got < p["below"]:
            out.append(f"instance {k}: ratio {got:.6f} is not below {p['below']:.6f}")
    return out


def _recheck_reduction(cert: Certificate) -> list[str]:
    from ..exact.reductions import has_partition, has_three_partition
    from ..model import Instance
    from ..schedule import Schedule

    inst = Instance.from_dict(cert.instances[0])
    p, f, out = cert.params, cert.figures, []
    answer = has_partition(p["x"]) if p["T"] is None else has_three_partition(p["x"], p["T"])
    if ("YES" if answer else "NO") != f["answer"]:
        out.append(f"the answer recomputes to {'YES' if answer else 'NO'}, certificate says {f['answer']}")
    given = _objective(Schedule(inst, f["start"]), p["objective"])
    opt = _objective(_exact(inst, p["objective"]).schedule, p["objective"])
    if opt != f["optimum"] or given != opt:
        out.append(f"optimum recomputes to {opt} (given schedule {given}), certificate says {f['optimum']}")
    if (opt == p["target"]) == answer:
        out.append(f"'{f['answer']} iff optimum = {p['target']}' is not violated (optimum {opt})")
    return out


KINDS = {"policy_vs_opt": _recheck_policy_vs_opt, "policy_ratio": _recheck_policy_ratio,
         "reduction": _recheck_reduction}


def size(cert: Certificate) -> int:
    """Requests in all the certificate's instances (what a recheck costs)."""
    return sum(len(d["s"]) for d in cert.instances)


def recheck(cert: Certificate) -> list[str]:
    """Recompute ``cert`` independently; the list of problems (empty: it reproduces)."""
    if cert.kind not in KINDS:
        return [f"unknown certificate kind {cert.kind!r}; valid: {', '.join(KINDS)}"]
    try:
        return [f"{cert.claim}: {p}" for p in KINDS[cert.kind](cert)]
    except Exception as exc:  # a certificate that cannot be recomputed does not certify anything
        return [f"{cert.claim}: {type(exc).__name__}: {exc}"]


def export(results, directory: str | Path) -> list[Path]:
    """Write every certificate of ``results`` (from :func:`lpsched.claims.run`) as ``<id>-<k>.json``."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in results:
        for k, cert in enumerate(r.outcome.certificates, 1):
            path = d / f"{r.claim.id}-{k}.json"
            path.write_text(json.dumps(cert.to_dict(), indent=1, default=_plain) + "\n")
            paths.append(path)
    return paths


def load(path: str | Path) -> Certificate:
    """Read a certificate file written by :func:`export`."""
    return Certificate.from_dict(json.loads(Path(path).read_text()))


def _plain(x: Any):
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    return str(x)

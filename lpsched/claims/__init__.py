"""Claims about claims: every statement of the seeds as its source states it, checked inside its own model.

Layer: theory (on top of the model, the engine, the policies and the exact solvers).

* :mod:`.record` -- :class:`Claim` (quote, source, kind, model), :class:`Outcome`, the verdict vocabulary
  :data:`VERDICTS`, :class:`Derivation` (algebra derived next to what the source displays) and
  :class:`Certificate` (a counterexample to re-validate).
* :mod:`.registry` -- the registry, the claim graph (a theorem and the steps of its proof), :func:`run`
  with the verdict rules.
* :mod:`.certificates` -- re-validation of certificates through the validator, the reference engine and
  an exact solver.
* :mod:`.wang_ye_zhou`, :mod:`.chen_ye_zhou`, :mod:`.jaillet`, :mod:`.zheng` -- the seeds' claims (W1-W6,
  C1-C8, J1, T1), one module per paper.

A user registers a claim of their own with :func:`claim` (a decorator) or :func:`register_claim`; it then
appears in :func:`run` and in ``lpsched verify --claims MODULE``.

>>> from lpsched.claims import run
>>> [(r.claim.id, r.claim.kind, r.outcome.verdict) for r in run(["C5"])]
[('C5', 'proposition', 'holds')]
"""

from .record import (ALL_AT_ZERO, ERROR, INTERVALS_CONTAIN_TRUTH, KINDS, KV_MEMORY, LARGE_MEMORY, MANY_BATCHES,
                     ONE_PROMPT_SIZE, ONLINE_ARRIVALS, SAME_INTERVAL, SEQUENTIAL_BATCHES, SMALL_PROMPTS,
                     SMALL_RELATIVE_TO_M, UNIT_OUTPUTS, VERDICTS, Assumption, Certificate, Claim, Derivation, Outcome,
                     Source, legend)
from .registry import (REGISTRY, Result, claim, claim_graph, composed_factor, load_builtin, register_claim, run,
                       unregister_claim)

__all__ = ["Claim", "Outcome", "Source", "Assumption", "Derivation", "Certificate", "Result", "VERDICTS", "KINDS",
           "ERROR", "legend", "REGISTRY", "register_claim", "unregister_claim", "claim", "claim_graph",
           "composed_factor", "run", "load_builtin", "ALL_AT_ZERO", "ONE_PROMPT_SIZE", "SAME_INTERVAL",
           "INTERVALS_CONTAIN_TRUTH", "UNIT_OUTPUTS", "SMALL_RELATIVE_TO_M", "SMALL_PROMPTS", "MANY_BATCHES",
           "LARGE_MEMORY", "SEQUENTIAL_BATCHES", "ONLINE_ARRIVALS", "KV_MEMORY"]

"""``simulate`` and ``compare``: the public entry points that run policies in the engine.

Layer: policies.
"""

from __future__ import annotations

from typing import Any, Iterable

from .engine import Policy, SimulationResult, run
from .model import Instance, InstanceError
from .policies import make_policy

__all__ = ["simulate", "compare"]


def simulate(instance: Instance, policy: str | Policy = "mcsf", *, engine: str = "fast", seed: int | None = 0,
             progress: bool = False, max_time: int | None = None, check: bool = True,
             **options: Any) -> SimulationResult:
    """Run one policy on ``instance``; the schedule is validated and its metrics recomputed.

    Parameters
    ----------
    instance : Instance
    policy : a registered name (see :func:`lpsched.policies.available`) or a policy object.
    engine : ``"fast"`` (event-driven, default) or ``"reference"`` (every integer time).
    seed : seed for the policy's random tie-breaking.
    **options : passed to the policy factory (e.g. ``estimate=`` for ``mcsf``).

    Examples
    --------
    >>> from lpsched import Instance, simulate
    >>> inst = Instance(memory=6, s=[2, 2, 2, 2], o=[1, 1, 2, 3])
    >>> res = simulate(inst, "hsf")
    >>> res.schedule.start.tolist(), res.metrics.tct
    ([0, 0, 1, 3], 11)
    """
    pol = make_policy(policy, **options)
    check_instance = getattr(pol, "check", None)
    if check_instance is not None:
        check_instance(instance)
    return run(instance, pol, engine=engine, seed=seed, max_time=max_time, progress=progress, check=check)


def compare(instance: Instance, policies: Iterable[str | Policy], *, engine: str = "fast", seed: int | None = 0,
            progress: bool = False, options: dict[str, dict] | None = None):
    """Run several policies on one instance; a pandas DataFrame with one row of metrics per policy.

    ``options`` maps a policy name to its options.  A policy that cannot run on this instance (an
    :class:`~lpsched.model.InstanceError`, e.g. it needs predictions the instance lacks) gets a row whose
    ``error`` column says why; nothing is dropped.
    """
    import pandas as pd

    rows = []
    for pol in policies:
        opts = (options or {}).get(pol, {}) if isinstance(pol, str) else {}
        try:
            rows.append(simulate(instance, pol, engine=engine, seed=seed, progress=progress, **opts).to_dict())
        except InstanceError as exc:
            rows.append({"policy": getattr(pol, "name", pol), "error": str(exc)})
    return pd.DataFrame(rows).set_index("policy")

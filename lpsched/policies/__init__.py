"""Scheduling policies: one registry, plug-ins of the engine.

``make_policy(name, **options)`` builds a fresh policy object; :func:`lpsched.simulate` accepts either
a name or an object.  Each module holds one family:

* :mod:`.greedy` — the MC-SF future-memory-check family: ``fcfs``, ``mcsf`` / ``sf``, ``hsf``.
* :mod:`.vllm` — the non-clairvoyant vLLM-like baseline ``vllm``.
* :mod:`.robust` — the estimate family: ``amax``, ``amin``, ``sf_point``.
* :mod:`.tie` — ``tie``; :mod:`lpsched.sortedf.policy` — ``sorted_f`` and ``priority``.

These classes are the reference implementation of each rule.  The built-in ones also describe a
compiled twin (``compiled(instance)``, :mod:`lpsched.kernels`) that the engine runs on large instances;
the tests require identical schedules.

>>> from lpsched.policies import make_policy, available
>>> make_policy("hsf").name
'hsf'
>>> make_policy("nope")
Traceback (most recent call last):
...
ValueError: unknown policy 'nope'; valid policies: amax, amin, fcfs, hsf, mcsf, priority, sf, sf_point, sorted_f, tie, vllm
"""

from __future__ import annotations

from typing import Any, Callable

from ..engine import Policy

REGISTRY: dict[str, Callable[..., Policy]] = {}


def register(name: str):
    """Class/function decorator adding a policy factory to the registry under ``name``."""
    def deco(factory):
        if name in REGISTRY:
            raise ValueError(f"policy {name!r} registered twice")
        REGISTRY[name] = factory
        return factory
    return deco


def available() -> list[str]:
    """Names of every registered policy."""
    return sorted(REGISTRY)


def make_policy(name: str | Policy, **options: Any) -> Policy:
    """A fresh policy object for ``name`` (an object is returned as is, options must then be empty)."""
    if not isinstance(name, str):
        if options:
            raise ValueError("options can only be given with a policy name")
        return name
    try:
        factory = REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown policy {name!r}; valid policies: {', '.join(available())}") from None
    return factory(**options)


from . import greedy, vllm, robust, tie  # noqa: E402,F401  (registration side effects)
from ..sortedf import policy as _sortedf_policy  # noqa: E402,F401  (sorted_f, priority)

__all__ = ["REGISTRY", "register", "available", "make_policy"]

"""Scheduling policies: one registry, plug-ins of the engine.

``make_policy(name, **options)`` builds a fresh policy object; :func:`lpsched.simulate` accepts either
a name or an object.  A name may carry options in brackets, as results name the variants that ran:
``hsf[skip]`` is ``hsf`` with ``scan="skip"``, ``sorted_f[offline,local_swap]`` is ``sorted_f`` with
``plan="offline", selector="local_swap"`` (a factory's ``tags`` say what each word sets).  Each module
holds one family:

* :mod:`.greedy` — the MC-SF future-memory-check family: ``fcfs``, ``mcsf`` / ``sf``, ``hsf`` (each with
  ``scan="stop"`` or ``"skip"``).
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
>>> make_policy("hsf[skip]").scan
'skip'
>>> make_policy("hsf[fast]")
Traceback (most recent call last):
...
ValueError: policy 'hsf[fast]': unknown option 'fast' in brackets; valid for hsf: skip, stop
"""

from __future__ import annotations

import re
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
    base, tagged = parse_name(name)
    for key, val in tagged.items():
        if key in options and options[key] != val:
            raise ValueError(f"policy {name!r} sets {key} = {val!r}, but {key} = {options[key]!r} was given")
    return REGISTRY[base](**{**options, **tagged})


def parse_name(name: str) -> tuple[str, dict[str, Any]]:
    """``(base, options)`` of a policy name with optional bracketed options, e.g. ``"hsf[skip]"`` ->
    ``("hsf", {"scan": "skip"})``; ``ValueError`` naming the policy or the word that is not known."""
    m = re.fullmatch(r"\s*([^\[\]\s]+)\s*(?:\[([^\[\]]*)\])?\s*", name)
    base = m.group(1) if m else name
    factory = REGISTRY.get(base)
    if factory is None:
        raise ValueError(f"unknown policy {name!r}; valid policies: {', '.join(available())}")
    if m.group(2) is None:
        return base, {}
    tags = getattr(factory, "tags", None) or {}
    tags = tags() if callable(tags) else tags
    options: dict[str, Any] = {}
    for word in (w.strip() for w in m.group(2).split(",")):
        if word not in tags:
            raise ValueError(f"policy {name!r}: unknown option {word!r} in brackets; valid for {base}: "
                             f"{', '.join(sorted(tags)) or 'none'}")
        key, val = tags[word]
        if key in options and options[key] != val:
            raise ValueError(f"policy {name!r}: {options[key]!r} and {val!r} both set {key}")
        options[key] = val
    return base, options


from . import greedy, vllm, robust, tie  # noqa: E402,F401  (registration side effects)
from ..sortedf import policy as _sortedf_policy  # noqa: E402,F401  (sorted_f, priority)

__all__ = ["REGISTRY", "register", "available", "make_policy", "parse_name"]

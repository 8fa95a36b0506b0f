"""The policy registry: names to factories, and names with options in brackets.

Layer: policies.  Each policy module registers its factories here with :func:`register` when it is
imported; :mod:`lpsched.policies` imports the built-in ones, and :mod:`lpsched` (the package's front)
imports the plug-ins other layers provide (``sorted_f``, :mod:`lpsched.sortedf.policy`).  Nothing here
imports a policy.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..engine import Policy

__all__ = ["REGISTRY", "register", "available", "make_policy", "parse_name"]

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

"""Scheduling policies: one registry, plug-ins of the engine.

Layer: policies.

``make_policy(name, **options)`` builds a fresh policy object; :func:`lpsched.simulate` accepts either
a name or an object.  A name may carry options in brackets, as results name the variants that ran:
``hsf[skip]`` is ``hsf`` with ``scan="skip"``, ``sorted_f[offline,local_swap]`` is ``sorted_f`` with
``plan="offline", selector="local_swap"`` (a factory's ``tags`` say what each word sets).  Each module
holds one family:

* :mod:`.greedy` — the MC-SF future-memory-check family: ``fcfs``, ``mcsf`` / ``sf``, ``hsf``, ``priority``
  (each with ``scan="stop"`` or ``"skip"``).
* :mod:`.vllm` — the non-clairvoyant vLLM-like baseline ``vllm``.
* :mod:`.robust` — the estimate family: ``amax``, ``amin``, ``sf_point``.
* :mod:`.tie` — ``tie``.
* :mod:`lpsched.sortedf.policy` — ``sorted_f`` (a plug-in from the Sorted-F layer, registered when
  :mod:`lpsched` is imported).

The registry itself is :mod:`.registry`.

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

from .registry import REGISTRY, available, make_policy, parse_name, register
from . import greedy, robust, tie, vllm  # noqa: E402,F401  (each registers its policies)

__all__ = ["REGISTRY", "register", "available", "make_policy", "parse_name"]

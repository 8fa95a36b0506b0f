"""lpsched: LLM-inference scheduling under a KV-cache memory limit.

Layer: interface.

Layers, bottom up (each module's docstring names its own; imports point down only):

* model -- :mod:`~lpsched.model` (instances), :mod:`~lpsched.schedule` (schedules, the independent
  validator, metrics), :mod:`~lpsched.future`, :mod:`~lpsched.predictions`, :mod:`~lpsched.workloads`,
  :mod:`~lpsched.traces` (inputs);
* engine -- :mod:`~lpsched.engine` (one simulation core, a reference and a fast clock) and its compiled
  kernels :mod:`~lpsched.kernels`;
* policies -- :mod:`~lpsched.policies` (plug-ins by name), :mod:`~lpsched.runner` (``simulate``);
* solvers -- :mod:`~lpsched.solvers` (PuLP, CBC, HiGHS, OR-Tools, loaded on first use);
* algorithms -- :mod:`~lpsched.exact`, :mod:`~lpsched.sortedf`, :mod:`~lpsched.ratio`;
* theory -- :mod:`~lpsched.claims`, :mod:`~lpsched.verify`, :mod:`~lpsched.studies` and the rest;
* interface -- this module, :mod:`~lpsched.cli` (the ``lpsched`` command), plots, the demo.

This module is the front: the names below are the public API.
"""

from .engine import NEVER, Decision, SimulationError, SimulationResult, State
from .model import Instance, InstanceError, Predictions, Request
from .policies import available as available_policies
from .policies import make_policy
from .predictions import attach
from .runner import compare, simulate
from .schedule import Metrics, Schedule, ScheduleError, metrics, validate
from .sortedf import policy as _sorted_f_policy  # noqa: F401  (registers the sorted_f plug-in)

__version__ = "0.1.0"

__all__ = [
    "Instance", "Request", "Predictions", "InstanceError",
    "Schedule", "ScheduleError", "validate", "metrics", "Metrics",
    "Decision", "State", "NEVER", "SimulationError", "SimulationResult",
    "simulate", "compare", "make_policy", "available_policies", "attach",
]

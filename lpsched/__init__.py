"""lpsched: LLM-inference scheduling under a KV-cache memory limit.

Layer: interface.

Layers, bottom up: :mod:`~lpsched.model` (instances) and :mod:`~lpsched.schedule` (schedules, the
independent validator, metrics); :mod:`~lpsched.engine` (one simulation core, a reference and a fast
clock); :mod:`~lpsched.policies` (plug-ins); :mod:`~lpsched.workloads` and :mod:`~lpsched.traces`
(inputs); :mod:`~lpsched.cli` (the ``lpsched`` command).
"""

from .engine import Decision, SimulationError, SimulationResult, State
from .model import Instance, InstanceError, Predictions, Request
from .policies import available as available_policies
from .policies import make_policy
from .runner import compare, simulate
from .schedule import Metrics, Schedule, ScheduleError, metrics, validate

__version__ = "0.1.0"

__all__ = [
    "Instance", "Request", "Predictions", "InstanceError",
    "Schedule", "ScheduleError", "validate", "metrics", "Metrics",
    "Decision", "State", "SimulationError", "SimulationResult",
    "simulate", "compare", "make_policy", "available_policies",
]

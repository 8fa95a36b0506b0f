"""The solver libraries, loaded on first use: PuLP (with CBC), highspy and OR-Tools CP-SAT.

Layer: solvers (above the policies, below :mod:`lpsched.exact` and :mod:`lpsched.sortedf`, which both
load their backends here).  Nothing is imported until a backend is chosen, so ``import lpsched`` does not
pay for them; each loader names the pip requirement when its library is missing.
"""

from __future__ import annotations

import os
import sys
import threading
import warnings

__all__ = ["pulp_module", "cbc_command", "highspy_module", "cp_model_module",
           "PULP_HINT", "HIGHSPY_HINT", "ORTOOLS_HINT"]

PULP_HINT = "pip install 'pulp>=3.3.1,<4'"


def pulp_module():
    """PuLP, imported on first use (the MIP backends load it only when chosen)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import pulp
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"the MIP backends need PuLP: {PULP_HINT} ({exc})") from None
    return pulp


def cbc_command(**options):
    """PuLP's bundled CBC (``PULP_CBC_CMD``).  PuLP 3.3 announces that 4.0 drops it, hence ``pulp<4``;
    the announcement is silenced here, the one place that builds it."""
    pulp = pulp_module()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return pulp.PULP_CBC_CMD(**options)


HIGHSPY_HINT = "pip install 'highspy>=1.11,!=1.15.*,<1.17'"
_first_highs = threading.Lock()
_banner_kept_off = False


def highspy_module():
    """highspy, imported on first use, with its banner kept off standard output.

    highspy 1.16 prints a version banner on the process's file descriptor 1 when the process builds its
    first ``Highs`` object, before any option can turn output off; on the CLI that would land in front
    of ``--json`` output.  So the first ``Highs`` is built here, once per process, with descriptor 1
    pointed at ``/dev/null`` (Python's and C's buffers flushed before and after, so nothing else is
    lost); later ones print only when asked (``output_flag``).  1.15.x is excluded: it cannot be loaded
    next to OR-Tools 9.15 (``tests/test_exact_packaging.py``)."""
    global _banner_kept_off
    try:
        import highspy
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"the LP relaxation and the 'highs' backend need highspy: {HIGHSPY_HINT} ({exc})") from None
    with _first_highs:
        if not _banner_kept_off:
            _with_stdout_discarded(highspy.Highs)
            _banner_kept_off = True
    return highspy


def _with_stdout_discarded(run):
    """Call ``run()`` with file descriptor 1 on ``/dev/null``."""
    try:
        import ctypes
        flush_c = ctypes.CDLL(None).fflush
    except (OSError, AttributeError):  # pragma: no cover - no C library by that name (Windows)
        flush_c = lambda _: None   # noqa: E731
    for stream in (sys.stdout, sys.__stdout__):
        if stream is not None:
            stream.flush()
    flush_c(None)
    try:
        saved = os.dup(1)
    except OSError:  # pragma: no cover - no descriptor 1 (a daemon): nothing to keep clean
        run()
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        run()
        flush_c(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


ORTOOLS_HINT = "pip install 'ortools>=9.12,<9.16'"


def cp_model_module():
    """OR-Tools' ``cp_model`` (the ``cpsat`` backend), imported on first use."""
    try:
        from ortools.sat.python import cp_model
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(f"the 'cpsat' backend needs OR-Tools: {ORTOOLS_HINT} ({exc})") from None
    return cp_model

"""Lazy numba compilation of the kernels, with an on-disk cache that can never break a run.

Layer: engine (below the policies; used by :mod:`lpsched.kernels`).

Kernel modules define plain Python functions and mark them with :func:`kernel`.  Nothing imports numba
until :func:`load` is called (the first kernel run of the process), so ``import lpsched`` stays cheap.
:func:`load` then wraps every marked function of every kernel module in ``numba.njit`` and rebinds the
module globals that name them, so a kernel calling a helper calls the compiled helper (numba resolves
globals when it compiles the caller).  The Python functions stay reachable as ``.py_func``.

Cache: compiled code is kept on disk (``cache=True``) in ``<base>/numba-<version>-<source hash>``, where
the base is ``LPSCHED_CACHE_DIR``, else ``NUMBA_CACHE_DIR``, else ``$XDG_CACHE_HOME/lpsched`` (default
``~/.cache/lpsched``).  The hash covers every kernel source file, so editing one helper invalidates the
callers compiled in other files too (numba's own cache only watches the caller's file).  A cache
directory that is missing is created; one that cannot be created or written (read-only home, a path
through a file) turns caching off for the process: the kernels are compiled in memory instead.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Callable

__all__ = ["kernel", "load", "loaded", "cache_dir", "numba_available"]

_MARKED: list[Callable] = []          # every function marked with @kernel, in definition order
_COMPILED: dict[Callable, object] = {}  # Python function -> numba dispatcher
_LOCK = threading.Lock()
_STATE: dict[str, object] = {"loaded": False, "cache": None}


def kernel(func: Callable) -> Callable:
    """Mark ``func`` (a module-level function written in numba's subset of Python) for compilation."""
    _MARKED.append(func)
    return func


def numba_available() -> bool:
    """Is numba importable?  (Checked without importing it.)"""
    import importlib.util

    return importlib.util.find_spec("numba") is not None


def loaded() -> bool:
    """Have the kernels been wrapped in numba in this process (numba imported)?"""
    return bool(_STATE["loaded"])


def _source_hash() -> str:
    """Hash of the source files that hold kernel code, and of this one (how it is compiled)."""
    h = hashlib.sha1()
    for path in sorted({Path(func.__code__.co_filename).resolve() for func in _MARKED} | {Path(__file__).resolve()}):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def cache_dir() -> Path | None:
    """The writable directory numba caches the kernels in, or ``None`` when caching is off."""
    import numba

    env = os.environ.get("LPSCHED_CACHE_DIR") or os.environ.get("NUMBA_CACHE_DIR")
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "lpsched"
    path = base / f"numba-{numba.__version__}-{_source_hash()}"
    try:
        path.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError:
        return None
    return path


def load() -> None:
    """Wrap every marked function in ``numba.njit`` (once per process) and rebind the module globals.

    Compilation itself happens at each kernel's first call, from the disk cache when it is there.
    """
    if _STATE["loaded"]:
        return
    with _LOCK:
        if _STATE["loaded"]:
            return
        import importlib
        import pkgutil
        import sys

        import numba
        from numba.core import config

        package = __name__.rpartition(".")[0]
        for info in pkgutil.iter_modules([str(Path(__file__).resolve().parent)]):
            importlib.import_module(f"{package}.{info.name}")   # every kernel module marks its functions

        path = cache_dir()          # after the imports above: the hash covers every kernel module
        old = config.CACHE_DIR
        try:
            if path is not None:
                config.CACHE_DIR = str(path)   # read when each dispatcher's cache locator is built
            for func in _MARKED:
                _COMPILED[func] = _njit(numba, func, path is not None)
        finally:
            config.CACHE_DIR = old
        for name in [m for m in list(sys.modules) if m == package or m.startswith(package + ".")]:
            namespace = vars(sys.modules[name])
            for key, val in list(namespace.items()):
                if callable(val) and val in _COMPILED:
                    namespace[key] = _COMPILED[val]
        _STATE["cache"] = path
        _STATE["loaded"] = True


def _njit(numba, func: Callable, cache: bool):
    if cache:
        try:
            return numba.njit(cache=True, nogil=True)(func)
        except RuntimeError:            # no usable cache locator after all: compile in memory
            pass
    return numba.njit(nogil=True)(func)


def disable_cache() -> None:
    """Stop writing to the disk cache (after an I/O error while saving compiled code)."""
    from numba.core.caching import NullCache

    for disp in _COMPILED.values():
        disp._cache = NullCache()
    _STATE["cache"] = None

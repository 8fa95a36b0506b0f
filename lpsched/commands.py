"""Foundation subcommands: ``simulate``, ``compare``, ``trace``."""

from __future__ import annotations


def add_commands(sub) -> None:
    """Filled in by the foundation issue."""

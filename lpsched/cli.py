"""The ``lpsched`` command: a thin layer over the public API.

Layer: interface.

Each area contributes its subcommands from a module exposing ``add_commands(subparsers)``; every
subcommand sets ``func=handler`` where ``handler(args) -> int`` (exit code).  Add a module to
``COMMAND_MODULES`` to plug in more commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = [
    "lpsched.commands",
    "lpsched.studies.commands",
    "lpsched.sortedf.commands",
    "lpsched.exact.commands",
]


def _one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make ``parser`` report a bad argument in one line (no usage block) and exit with status 2."""

    def error(message: str):
        parser.exit(2, f"{parser.prog}: error: {message}\n")

    parser.error = error
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lpsched", description="LLM inference scheduling under a KV-cache limit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_commands(sub)
    for p in sub.choices.values():           # every subcommand: a bad argument is one line, exit status 2
        _one_line_errors(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, RuntimeError, OSError) as exc:  # input and policy errors: a clear message, no traceback
        print(f"lpsched {args.command}: error: {' '.join(str(exc).split()) or type(exc).__name__}", file=sys.stderr)
        return 2
    except MemoryError:  # a size the machine cannot hold: say so in one line instead of a traceback
        print(f"lpsched {args.command}: error: out of memory: the requested size does not fit in this machine's "
              f"memory; use smaller sizes (--n, --memory, --batches, ...)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # what was finished is already written (--out logs); rerun to resume
        print(f"lpsched {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

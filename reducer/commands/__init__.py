"""Subcommands of the `reduce` CLI. Each is one module exposing:

    NAME: str                      # e.g. "emit"
    HELP: str                      # one line for `reduce --help`
    def configure(parser: argparse.ArgumentParser) -> None
    def run(args: argparse.Namespace, compile_argv: list[str]) -> int

`compile_argv` is everything after `--` on the command line (may be empty). A module
raises reducer.errors.ReducerError subclasses for user errors; the CLI prints them as one
line and exits with their code. Adding a subcommand = one module + one line in MODULES.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# The default command (no subcommand word) is "reduce".
MODULES = ["reduce", "emit", "matrix", "explain", "batch"]


def load_commands() -> dict[str, ModuleType]:
    commands: dict[str, ModuleType] = {}
    for name in MODULES:
        try:
            module = importlib.import_module(f"reducer.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"reducer.commands.{name}":
                continue  # not written yet
            raise
        commands[module.NAME] = module
    return commands


def split_at_double_dash(argv: list[str]) -> tuple[list[str], list[str]]:
    """Split `reduce [opts] FILE -- clang -O0 -c` into the tool's args and the compile argv."""
    if "--" in argv:
        index = argv.index("--")
        return argv[:index], argv[index + 1 :]
    return argv, []

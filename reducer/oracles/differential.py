"""Differential oracles: the behaviour shows with the bad compiler and NOT with a good one.

``make_differential("abs32", config, ["clang-22"])`` wraps the oracle ``abs32`` twice: once
with config.compile (the compiler under suspicion) and once with the good compiler. A
candidate is interesting only if the first holds and the second does not, which keeps a
reduction from drifting into code every compiler handles the same way (e.g. a plain
-mcmodel=small global that any clang addresses with R_X86_64_32).

The good compiler is either a full compile command (``["clang-22", "-O0", "-c", ...]``) or
just a program name, in which case the main command's flags are reused with that program.
The main oracle runs first; the good one only when the main one says interesting.

A candidate the good compiler cannot compile (or that times out there) is NOT interesting:
reducing towards code only the bad compiler accepts produces reports nobody can compare.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.errors import CompilerNotFound, UsageError
from reducer.oracles.base import Oracle, OracleConfig, Verdict, build_oracle


class DifferentialOracle:
    def __init__(self, spec: str, main: Oracle, good: Oracle, main_cc: str, good_cc: str) -> None:
        self.name = f"differential:{spec} ({main_cc} vs {good_cc})"
        self.spec = spec
        self.main = main
        self.good = good
        self.main_cc = main_cc
        self.good_cc = good_cc

    def check(self, candidate: Path) -> Verdict:
        main = self.main.check(candidate)
        if not main.interesting:
            return Verdict(
                False,
                f"{self.main_cc}: {main.reason} (good compiler not run)",
                compile_failed=main.compile_failed,
                timed_out=main.timed_out,
            )
        good = self.good.check(candidate)
        if good.compile_failed or good.timed_out:
            return Verdict(
                False,
                f"{self.main_cc}: {main.reason}; but {self.good_cc} could not be checked: {good.reason}",
                relocations=main.relocations,
                compile_failed=good.compile_failed,
                timed_out=good.timed_out,
            )
        if good.interesting:
            return Verdict(
                False,
                f"{self.main_cc}: {main.reason}; {self.good_cc} also: {good.reason}",
                relocations=main.relocations,
            )
        return Verdict(
            True,
            f"{self.main_cc}: {main.reason}; {self.good_cc} (good): {good.reason}",
            relocations=main.relocations,
        )


def good_command(main: CompileCommand, good_argv: list[str]) -> CompileCommand:
    """The good compiler's command: a full command, or a program name reusing main's flags."""
    if not good_argv:
        raise UsageError("no good compiler given for the differential oracle")
    if len(good_argv) == 1:
        program = good_argv[0]
        if shutil.which(program) is None:
            raise CompilerNotFound(f"good compiler not found: {program!r} is not on PATH")
        return main.with_program(program)
    return CompileCommand.from_user(list(good_argv), timeout=main.timeout)


def make_differential(spec: str, config: OracleConfig, good_argv: list[str]) -> Oracle:
    name = spec.partition(":")[0]
    if name == "script":
        raise UsageError(
            "a differential oracle cannot wrap a script oracle: a script picks its own "
            "compiler, so there is no compiler to swap (compare compilers inside the script)"
        )
    if config.compile is None:
        raise UsageError(f"the differential oracle needs a compile command after '--' for {spec}")
    good_cc = good_command(config.compile, good_argv)
    main_oracle = build_oracle(spec, config)
    good_oracle = build_oracle(spec, replace(config, compile=good_cc))
    main_label = Path(config.compile.program).name
    good_label = Path(good_cc.program).name
    if main_label == good_label and config.compile.argv != good_cc.argv:
        good_label += " (good flags)"
    return DifferentialOracle(spec, main_oracle, good_oracle, main_label, good_label)

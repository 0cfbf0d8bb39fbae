"""The oracle value and the registry of oracle kinds.

A new oracle is one module that calls ``register(OracleKind(...))`` and is imported by
``reducer.oracles``. The kind says which ``-X`` options it reads, whether it takes an
argument (``crash:REGEX``), whether it compiles the file itself (so it can be re-aimed at
another compiler, at llc, or at ``clang -cc1``), and which emitted test kinds fit it.

The value, ``OracleSpec``: everything the command line says about the oracle, parsed once.

``OracleSpec`` is built from the CLI (or a case.toml) once and passed on whole to reduce,
explain, matrix and emission. They never rebuild an oracle from its name and strings: they
ask the spec for an oracle aimed at a command (``spec.build(command)``: the user's clang,
another clang for matrix, llc or ``clang -cc1`` for emission), or for the oracle a
reduction uses (``spec.for_reduction(command)``: differential when ``--good-cc`` was given).

It is a frozen dataclass of strings and tuples, so it pickles and compares by value.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from reducer.compiler import (
    DEFAULT_COMPILE_TIMEOUT,
    OUTPUT_ASM,
    OUTPUT_OBJECT,
    STYLE_DRIVER,
    CompileCommand,
)
from reducer.errors import CompilerNotFound, UsageError
from reducer.oracles.base import Oracle
from reducer.oracles.differential import differential

OracleFactory = Callable[["OracleSpec", "CompileCommand | None"], Oracle]

ARGUMENT_NONE, ARGUMENT_OPTIONAL, ARGUMENT_REQUIRED = "none", "optional", "required"
# What a compiling oracle reads from its compile, so a tool that cannot write it is refused
# before anything runs (relocations through opt, a run of what llc wrote).
READS_OBJECT, READS_ASM, READS_ANY, READS_PROGRAM = "object", "asm", "any", "program"
_READS_OUTPUT = {READS_OBJECT: OUTPUT_OBJECT, READS_ASM: OUTPUT_ASM}
_READS_WORDS = {READS_OBJECT: "an object file", READS_ASM: "assembly"}


@dataclass(frozen=True)
class OracleKind:
    """One registered oracle: how to build it and what the rest of the product may do with it."""

    name: str
    make: OracleFactory
    summary: str  # one line for --help
    argument: str = ARGUMENT_NONE  # "name:ARGUMENT": none, optional or required
    argument_help: str = ""  # e.g. "REGEX"
    options: tuple[str, ...] = ()  # the -X keys it reads
    # It compiles the candidate with the command it is given, so it can be re-aimed at
    # another compiler (differential, matrix) or tool (llc and clang -cc1 in emission).
    # A script picks its own compiler: none of that applies.
    compiles: bool = True
    # Interesting only when the candidate compiles (it reads the object or the assembly),
    # so passes may postpone candidates that cannot compile (passes/dangling.py). Not for
    # crash or diagnostic oracles: invalid code may be exactly what shows their bug.
    needs_valid_code: bool = False
    # Emitted test kinds (reducer.emit.kinds names) that can show this bug, best first.
    test_kinds: tuple[str, ...] = ()
    # Reads relocations (explain lists them; emission checks relocation types).
    relocations: bool = False
    # What it reads from the compile (READS_*): an object, assembly, anything the tool
    # writes (a crash, a diagnostic), or a program it builds and runs (a clang driver only).
    reads: str = READS_ANY
    # Fixes, from the original input, what the user left open (which crash, for a plain
    # `crash`), so a reduction cannot drift to another behaviour: (spec, command, text,
    # file name) -> the spec the whole run uses. Called once, before reducing.
    pin: Callable[[OracleSpec, CompileCommand, str, str], OracleSpec] | None = None
    # Says, after a reduction, what in the compiler is to blame (the miscompile oracle's
    # guilty pass): (spec, command, final text, file name) -> a line for the user and the
    # value --json gives it under "guilty_pass", or None.
    culprit: (
        Callable[[OracleSpec, CompileCommand, str, str], tuple[str, dict[str, object]] | None]
        | None
    ) = None

    @property
    def usage(self) -> str:
        if self.argument == ARGUMENT_REQUIRED:
            return f"{self.name}:{self.argument_help}"
        if self.argument == ARGUMENT_OPTIONAL:
            return f"{self.name}[:{self.argument_help}]"
        return self.name


_REGISTRY: dict[str, OracleKind] = {}


def register(kind: OracleKind) -> OracleKind:
    _REGISTRY[kind.name] = kind
    return kind


def oracle_names() -> list[str]:
    return sorted(_REGISTRY)


def oracle_kinds() -> list[OracleKind]:
    return [_REGISTRY[name] for name in oracle_names()]


def oracle_kind(name: str) -> OracleKind:
    kind = _REGISTRY.get(name)
    if kind is None:
        known = ", ".join(k.usage for k in oracle_kinds())
        raise UsageError(f"unknown oracle {name!r}; known: {known}")
    return kind


@dataclass(frozen=True)
class OracleSpec:
    name: str
    argument: str = ""  # what follows "name:" (a regex, a script path, a symbol name)
    symbol: str | None = None  # --symbol: only relocations against it count
    target_section: str | None = None  # --target-section
    options: tuple[tuple[str, str], ...] = ()  # every -X key=value, in order given
    timeout: float = DEFAULT_COMPILE_TIMEOUT  # seconds per compile or script run
    good_cc: tuple[str, ...] = ()  # --good-cc: a program name or a whole command

    @classmethod
    def parse(
        cls,
        text: str,
        *,
        symbol: str | None = None,
        target_section: str | None = None,
        options: list[str] | tuple[str, ...] = (),
        timeout: float = DEFAULT_COMPILE_TIMEOUT,
        good_cc: list[str] | tuple[str, ...] = (),
    ) -> OracleSpec:
        """``--oracle TEXT`` with the other oracle options; usage errors are raised here,
        before anything is compiled."""
        name, _, argument = text.partition(":")
        spec = cls(
            name,
            argument,
            symbol,
            target_section,
            parse_oracle_options(options),
            timeout,
            tuple(good_cc),
        )
        spec.validate()
        return spec

    @property
    def kind(self) -> OracleKind:
        return oracle_kind(self.name)

    @property
    def text(self) -> str:
        """As given to --oracle."""
        return f"{self.name}:{self.argument}" if self.argument else self.name

    def validate(self) -> None:
        kind = self.kind
        if kind.argument == ARGUMENT_NONE and self.argument:
            raise UsageError(f"oracle {self.name} takes no argument (got {self.text})")
        if kind.argument == ARGUMENT_REQUIRED and not self.argument:
            raise UsageError(f"oracle {self.name} needs an argument: --oracle {kind.usage}")
        for key, _ in self.options:
            if key not in kind.options:
                known = ", ".join(kind.options) or "none"
                raise UsageError(
                    f"oracle {self.name} has no option {key!r} (-X); its options: {known}"
                )
        if self.timeout <= 0:
            raise UsageError("--timeout must be positive")
        if self.good_cc and not kind.compiles:
            raise UsageError(
                f"--good-cc cannot be used with the {self.name} oracle: it picks its own "
                "compiler, so there is no compiler to swap (compare compilers inside it)"
            )

    def option(self, key: str, default: str | None = None) -> str | None:
        """The last -X value given for ``key``."""
        found = default
        for name, value in self.options:
            if name == key:
                found = value
        return found

    def regex(self) -> re.Pattern[str]:
        """The argument as a regular expression (for crash:, diag:, asm: ...)."""
        try:
            return re.compile(self.argument, re.MULTILINE)
        except re.error as exc:
            raise UsageError(f"bad regular expression in --oracle {self.text}: {exc}") from None

    def build(self, command: CompileCommand | None) -> Oracle:
        """This oracle aimed at ``command`` (a clang driver, clang -cc1 or llc command)."""
        if command is None and self.kind.compiles:
            raise UsageError(f"oracle {self.name} needs a compile command after '--'")
        if command is not None and self.kind.compiles:
            self.check_tool(command)
        return self.kind.make(self, command)

    def check_tool(self, command: CompileCommand) -> None:
        """A usage error when ``command``'s tool cannot give this oracle what it reads."""
        reads, tool = self.kind.reads, Path(command.program).name
        if reads == READS_PROGRAM and command.style != STYLE_DRIVER:
            raise UsageError(
                f"the {self.name} oracle builds and runs a program: it needs a compiler "
                f"driver such as clang, not {tool}"
            )
        needed = _READS_OUTPUT.get(reads)
        if needed is not None and not command.can_write(needed):
            raise UsageError(
                f"the {self.name} oracle reads {_READS_WORDS[reads]}, which {tool} cannot "
                "write (opt writes IR: run the IR through llc instead)"
            )

    def pinned(self, command: CompileCommand | None, text: str, file_name: str) -> OracleSpec:
        """This spec with what the original input fixes (see OracleKind.pin)."""
        if self.kind.pin is None or command is None:
            return self
        return self.kind.pin(self, command, text, file_name)

    def good_command(self, main: CompileCommand) -> CompileCommand | None:
        """The --good-cc command: a whole command, or a program name reusing main's flags."""
        if not self.good_cc:
            return None
        if len(self.good_cc) == 1:
            program = self.good_cc[0]
            if shutil.which(program) is None:
                raise CompilerNotFound(f"good compiler not found: {program!r} is not on PATH")
            return main.with_program(program)
        return CompileCommand.from_user(list(self.good_cc), timeout=main.timeout)

    def aimed(
        self,
        bad: CompileCommand,
        good: CompileCommand | None,
        labels: tuple[str, str] = ("affected", "fixed"),
    ) -> Oracle:
        """This oracle aimed at ``bad``; with a ``good`` command, the differential of the
        two (reducer.oracles.differential): C with two clang drivers, IR with two llc,
        a clang test's ``clang -cc1`` pair. The one place a differential is built."""
        main = self.build(bad)
        if good is None:
            return main
        return differential(main, self.build(good), *labels)

    def for_reduction(self, command: CompileCommand | None) -> Oracle:
        """The oracle a reduction asks: with --good-cc, the bad compiler must show the
        behaviour and the good one must compile the candidate without showing it."""
        if command is None or not self.good_cc:
            return self.build(command)
        good = self.good_command(command)
        main_label = Path(command.program).name
        good_label = Path(good.program).name if good else ""
        if good is not None and main_label == good_label and command.argv != good.argv:
            good_label += " (good flags)"
        return self.aimed(command, good, (main_label, good_label))

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> OracleSpec:
        data = json.loads(text)
        data["options"] = tuple(tuple(pair) for pair in data["options"])
        data["good_cc"] = tuple(data["good_cc"])
        return cls(**data)


def parse_oracle_options(items: list[str] | tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise UsageError(f"oracle option must look like KEY=VALUE, not {item!r}")
        pairs.append((key, value))
    return tuple(pairs)

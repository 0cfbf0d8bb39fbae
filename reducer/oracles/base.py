"""The narrow interface every oracle implements, and the registry of oracle kinds.

An oracle looks at one candidate file (already written to disk under the original file
name, in a directory private to the call) and says whether it still shows the behaviour.
Oracles must be safe to call from several threads at once on different directories, and
must pickle (a cluster executor ships them to workers).

A new oracle is one module that calls ``register(OracleKind(...))`` and is imported by
``reducer.oracles``. The kind says which ``-X`` options it reads, whether it takes an
argument (``crash:REGEX``), whether it compiles the file itself (so it can be re-aimed at
another compiler, at llc, or at ``clang -cc1``), and which emitted test kinds fit it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from reducer.errors import UsageError
from reducer.verdict import Verdict

if TYPE_CHECKING:
    from reducer.compiler import CompileCommand
    from reducer.oracles.spec import OracleSpec


class Oracle(Protocol):
    name: str

    def check(self, candidate: Path) -> Verdict: ...

    def describe(self) -> str:
        """What it counts, for explain and for 'not interesting' errors."""
        ...


OracleFactory = Callable[["OracleSpec", "CompileCommand | None"], Oracle]

ARGUMENT_NONE, ARGUMENT_OPTIONAL, ARGUMENT_REQUIRED = "none", "optional", "required"


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
    # Fixes, from the original input, what the user left open (which crash, for a plain
    # `crash`), so a reduction cannot drift to another behaviour: (spec, command, text,
    # file name) -> the spec the whole run uses. Called once, before reducing.
    pin: Callable[[OracleSpec, CompileCommand, str, str], OracleSpec] | None = None

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

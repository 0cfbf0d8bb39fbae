"""The narrow interface every oracle implements, and the registry that finds them by name.

An oracle looks at one candidate file (already written to disk under the original file
name, in a directory private to the call) and says whether it still shows the behaviour.
Oracles must be safe to call from several threads at once on different directories.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from reducer.compiler import CompileCommand
from reducer.elf import Relocation
from reducer.errors import UsageError


@dataclass(frozen=True)
class Verdict:
    interesting: bool
    reason: str  # one line: what was seen (the matching relocation, or what was found instead)
    relocations: tuple[Relocation, ...] = ()  # the relocations that made it interesting
    compile_failed: bool = False
    timed_out: bool = False


class Oracle(Protocol):
    name: str

    def check(self, candidate: Path) -> Verdict: ...


@dataclass(frozen=True)
class OracleConfig:
    """Everything the command line can tell an oracle; each oracle reads what it needs."""

    compile: CompileCommand | None
    symbol: str | None = None
    target_section: str | None = None
    script_timeout: float = 60.0
    extra: dict[str, object] = field(default_factory=dict)


OracleFactory = Callable[[str, OracleConfig], Oracle]

# name -> factory. A spec is "name" or "name:argument" (e.g. "script:./check.sh").
_REGISTRY: dict[str, OracleFactory] = {}


def register(name: str) -> Callable[[OracleFactory], OracleFactory]:
    def decorate(factory: OracleFactory) -> OracleFactory:
        _REGISTRY[name] = factory
        return factory

    return decorate


def oracle_names() -> list[str]:
    return sorted(_REGISTRY)


def build_oracle(spec: str, config: OracleConfig) -> Oracle:
    name, _, argument = spec.partition(":")
    factory = _REGISTRY.get(name)
    if factory is None:
        raise UsageError(f"unknown oracle {spec!r}; known: {', '.join(oracle_names())}")
    return factory(argument, config)

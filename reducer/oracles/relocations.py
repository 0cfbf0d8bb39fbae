"""Built-in oracles: does the compiled candidate address something with a 32-bit absolute
relocation from code? (`r_x86_64_32`, `r_x86_64_32s`, `abs32`)"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.elf import R_X86_64_32, R_X86_64_32S, NotAnObject, Relocation, read_object
from reducer.errors import UsageError
from reducer.oracles.base import OracleConfig, Verdict, register


@dataclass(frozen=True)
class RelocationFilter:
    """Which relocations count: their type, and optionally their target."""

    types: frozenset[int]
    symbol: str | None = None
    target_section: str | None = None

    def matches(self, reloc: Relocation) -> bool:
        if not reloc.executable or reloc.rtype not in self.types:
            return False
        if self.symbol is not None and reloc.symbol != self.symbol:
            return False
        return self.target_section is None or reloc.symbol_section == self.target_section

    def describe(self) -> str:
        from reducer.elf import reloc_type_name

        text = " or ".join(reloc_type_name(t) for t in sorted(self.types))
        if self.symbol:
            text += f" against {self.symbol}"
        if self.target_section:
            text += f" against a symbol in {self.target_section}"
        return text + " in a code section"


def summarize_code_relocations(relocs: list[Relocation], limit: int = 6) -> str:
    """'R_X86_64_64 x2 (purgatory_sha_regions), R_X86_64_PLT32 x1 (sha256_update)'"""
    if not relocs:
        return "no relocations in code sections"
    groups: Counter[tuple[str, str]] = Counter((r.type_name, r.symbol) for r in relocs)
    parts = [f"{t} x{n} ({s})" for (t, s), n in groups.most_common(limit)]
    if len(groups) > limit:
        parts.append(f"... {len(groups) - limit} more")
    return ", ".join(parts)


def compile_candidate(
    compile: CompileCommand, candidate: Path
) -> tuple[bytes | None, Verdict | None]:
    """Compile to an object next to the candidate; on failure return the verdict saying why."""
    obj = candidate.with_suffix(".o")
    obj.unlink(missing_ok=True)
    result = compile.compile(candidate, obj)
    if result.timed_out:
        return None, Verdict(False, f"compile timed out after {compile.timeout:g}s", timed_out=True)
    if result.returncode != 0:
        tail = result.stderr_tail(6)
        return None, Verdict(
            False, f"compile failed (exit {result.returncode}): {tail}", compile_failed=True
        )
    try:
        return obj.read_bytes(), None
    except OSError:
        return None, Verdict(False, "the compiler produced no object file", compile_failed=True)


class RelocationOracle:
    def __init__(self, name: str, wanted: RelocationFilter, compile: CompileCommand) -> None:
        self.name = name
        self.wanted = wanted
        self.compile = compile

    def check(self, candidate: Path) -> Verdict:
        data, failure = compile_candidate(self.compile, candidate)
        if failure is not None:
            return failure
        assert data is not None
        try:
            info = read_object(data)
        except NotAnObject as exc:
            return Verdict(False, f"output is not an ELF object: {exc}", compile_failed=True)
        code = info.code_relocations()
        hits = tuple(r for r in code if self.wanted.matches(r))
        if hits:
            more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
            return Verdict(True, f"found {hits[0].describe()}{more}", relocations=hits)
        return Verdict(
            False,
            f"no {self.wanted.describe()}; found {summarize_code_relocations(code)}",
        )


def _factory(name: str, types: frozenset[int]):
    def make(argument: str, config: OracleConfig) -> RelocationOracle:
        if argument:
            raise UsageError(f"oracle {name} takes no argument (got {name}:{argument})")
        if config.compile is None:
            raise UsageError(f"oracle {name} needs a compile command after '--'")
        wanted = RelocationFilter(types, config.symbol, config.target_section)
        return RelocationOracle(name, wanted, config.compile)

    register(name)(make)


_factory("r_x86_64_32", frozenset({R_X86_64_32}))
_factory("r_x86_64_32s", frozenset({R_X86_64_32S}))
_factory("abs32", frozenset({R_X86_64_32, R_X86_64_32S}))

"""Built-in oracles: does the compiled candidate address something with a 32-bit absolute
relocation from code? (`r_x86_64_32`, `r_x86_64_32s`, `abs32`)"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from reducer.compiler import CompileCommand
from reducer.elf import R_X86_64_32, R_X86_64_32S, ObjectInfo, Relocation
from reducer.objects import ObjectOracle
from reducer.oracles.spec import READS_OBJECT, OracleKind, OracleSpec, register
from reducer.verdict import Verdict


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


class RelocationOracle(ObjectOracle):
    def __init__(self, name: str, wanted: RelocationFilter, compile: CompileCommand) -> None:
        self.name = name
        self.wanted = wanted
        self.compile = compile
        self.bad_types = wanted.types  # what an emitted test must forbid

    def describe(self) -> str:
        return f"{self.name} (counts {self.wanted.describe()})"

    def judge(self, info: ObjectInfo) -> Verdict:
        code = info.code_relocations()
        hits = tuple(r for r in code if self.wanted.matches(r))
        if hits:
            more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
            return Verdict(True, f"found {hits[0].describe()}{more}", relocations=hits)
        return Verdict(
            False,
            f"no {self.wanted.describe()}; found {summarize_code_relocations(code)}",
        )


def _register(name: str, types: frozenset[int], summary: str) -> None:
    def make(spec: OracleSpec, compile: CompileCommand | None) -> RelocationOracle:
        assert compile is not None
        wanted = RelocationFilter(types, spec.symbol, spec.target_section)
        return RelocationOracle(name, wanted, compile)

    register(
        OracleKind(
            name,
            make,
            summary,
            test_kinds=("llc-reloc", "clang-reloc"),
            needs_valid_code=True,
            reads=READS_OBJECT,
            relocations=True,
        )
    )


_register("r_x86_64_32", frozenset({R_X86_64_32}), "an R_X86_64_32 relocation in code")
_register("r_x86_64_32s", frozenset({R_X86_64_32S}), "an R_X86_64_32S relocation in code")
_register(
    "abs32",
    frozenset({R_X86_64_32, R_X86_64_32S}),
    "an R_X86_64_32 or R_X86_64_32S relocation in code",
)

"""FileCheck lines for ``llvm-readobj -r`` output: the relocation that must be there, and
the one that must not.

llvm-readobj prints one relocation per line as ``0x8 R_X86_64_32S sym 0x0`` (offset, type,
symbol or section name, addend), so ``TYPE sym 0x`` matches exactly one symbol. The
expected relocations are checked in object order; a CHECK-NOT line for the wrong types
sits before, between and after them, so a wrong relocation anywhere in the output fails the
test with "excluded string found".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reducer.elf import R_X86_64_32, R_X86_64_32S, Relocation, reloc_type_name

_ERE_SPECIAL = set(".[]()*+?{}|^$\\")


def ere_escape(text: str) -> str:
    """Escape for FileCheck's regex dialect (POSIX ERE; also valid Python re)."""
    return "".join("\\" + c if c in _ERE_SPECIAL else c for c in text)


@dataclass(frozen=True)
class RelocExpectation:
    symbols: tuple[str, ...]  # the symbols whose relocations matter, sorted
    bad_types: frozenset[int]  # must not appear against them
    good: tuple[tuple[int, str], ...]  # (type, symbol) that must appear, in object order
    lock_in: bool = False  # the found relocation is the correct one (no CHECK-NOT)

    def types_pattern(self) -> str:
        types = sorted(self.bad_types)
        if set(types) == {R_X86_64_32, R_X86_64_32S}:
            return "R_X86_64_32{{S?}}"
        if len(types) == 1:
            return reloc_type_name(types[0])
        return "{{(" + "|".join(ere_escape(reloc_type_name(t)) for t in types) + ")}}"

    def symbols_pattern(self) -> str:
        if len(self.symbols) == 1:
            return self.symbols[0]
        return "{{(" + "|".join(ere_escape(s) for s in self.symbols) + ")}}"

    def bad_pattern(self) -> str:
        return f"{self.types_pattern()} {self.symbols_pattern()} 0x"


def good_relocations(
    relocations: Iterable[Relocation], symbols: Sequence[str]
) -> tuple[tuple[int, str], ...]:
    """The first relocation of each (type, symbol) against ``symbols`` from code, in order."""
    seen: list[tuple[int, str]] = []
    for reloc in relocations:
        if reloc.executable and reloc.symbol in symbols and (reloc.rtype, reloc.symbol) not in seen:
            seen.append((reloc.rtype, reloc.symbol))
    return tuple(seen)


def check_lines(expectation: RelocExpectation, prefix: str, leader: str) -> list[str]:
    positive = f"{leader} {prefix}:"
    negative = f"{leader} {prefix}-NOT:"
    width = max(len(positive), len(negative)) + 1
    bad = negative.ljust(width) + expectation.bad_pattern()
    lines = [] if expectation.lock_in else [bad]
    for rtype, symbol in expectation.good:
        lines.append(positive.ljust(width) + f"{reloc_type_name(rtype)} {symbol} 0x")
        if not expectation.lock_in:
            lines.append(bad)
    return lines

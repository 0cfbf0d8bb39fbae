"""Reading relocations out of an x86-64 ELF object, in-process with pyelftools."""

from __future__ import annotations

import bisect
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from elftools.common.exceptions import ELFError
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection
from elftools.elf.sections import Symbol as ElfSymbol

# The x86-64 psABI relocation numbers we name in messages; others print as numbers.
X86_64_RELOC_NAMES: dict[int, str] = {
    0: "R_X86_64_NONE",
    1: "R_X86_64_64",
    2: "R_X86_64_PC32",
    3: "R_X86_64_GOT32",
    4: "R_X86_64_PLT32",
    9: "R_X86_64_GOTPCREL",
    10: "R_X86_64_32",
    11: "R_X86_64_32S",
    12: "R_X86_64_16",
    13: "R_X86_64_PC16",
    14: "R_X86_64_8",
    15: "R_X86_64_PC8",
    24: "R_X86_64_PC64",
    25: "R_X86_64_GOTOFF64",
    26: "R_X86_64_GOTPC32",
    27: "R_X86_64_GOT64",
    41: "R_X86_64_GOTPCRELX",
    42: "R_X86_64_REX_GOTPCRELX",
}
R_X86_64_32 = 10
R_X86_64_32S = 11


def reloc_type_name(rtype: int) -> str:
    return X86_64_RELOC_NAMES.get(rtype, f"type {rtype}")


@dataclass(frozen=True)
class Relocation:
    section: str  # the section the relocation patches, e.g. ".ltext"
    offset: int
    rtype: int
    symbol: str  # target symbol name; for a section symbol, the section's name
    symbol_section: str  # where the target is defined; "UND" when undefined
    addend: int
    function: str | None  # the function symbol whose range covers the offset
    executable: bool  # the patched section is SHF_EXECINSTR

    @property
    def type_name(self) -> str:
        return reloc_type_name(self.rtype)

    def describe(self) -> str:
        target = self.symbol + (f"+{self.addend:#x}" if self.addend > 0 else "")
        target += f"-{-self.addend:#x}" if self.addend < 0 else ""
        where = f" in {self.function}" if self.function else ""
        return f"{self.type_name} {target} ({self.section}+{self.offset:#x}{where})"


class NotAnObject(Exception):
    """The bytes are not an ELF object pyelftools can read."""


@dataclass(frozen=True)
class Symbol:
    name: str
    section: str  # where it is defined; "UND" when undefined
    kind: str  # pyelftools' st_info type: STT_FUNC, STT_OBJECT, STT_NOTYPE, ...
    binding: str  # STB_GLOBAL, STB_LOCAL, STB_WEAK

    @property
    def defined(self) -> bool:
        return self.section != "UND"


@dataclass(frozen=True)
class ObjectInfo:
    relocations: tuple[Relocation, ...]
    executable_sections: tuple[str, ...]  # names of SHF_EXECINSTR sections with contents
    sections: tuple[str, ...] = ()  # every section's name, in header order
    symbols: tuple[Symbol, ...] = ()  # named symbols of .symtab (no section/file symbols)

    def code_relocations(self) -> list[Relocation]:
        return [r for r in self.relocations if r.executable]


def read_object(data: bytes) -> ObjectInfo:
    try:
        elf = ELFFile(io.BytesIO(data))
        return _read(elf)
    except (ELFError, ValueError, KeyError, IndexError, AssertionError) as exc:
        raise NotAnObject(str(exc)) from exc


def _section_name(elf: ELFFile, index: int | str) -> str:
    if isinstance(index, str):  # SHN_UNDEF, SHN_ABS, SHN_COMMON
        return {"SHN_UNDEF": "UND", "SHN_ABS": "ABS", "SHN_COMMON": "COMMON"}.get(index, index)
    if index == 0:
        return "UND"
    return elf.get_section(index).name


def function_ranges(elf: ELFFile) -> dict[int, list[tuple[int, int, str]]]:
    """Section index -> (start, end, name) of each function symbol defined in it."""
    functions: dict[int, list[tuple[int, int, str]]] = {}
    symtab = elf.get_section_by_name(".symtab")
    if symtab is not None:
        for sym in symtab.iter_symbols():
            if sym["st_info"]["type"] == "STT_FUNC" and isinstance(sym["st_shndx"], int):
                functions.setdefault(sym["st_shndx"], []).append(
                    (sym["st_value"], sym["st_value"] + max(sym["st_size"], 1), sym.name)
                )
    return functions


@dataclass(frozen=True)
class RelocationEntry:
    """One relocation with what a loader needs besides the tool's own view of it."""

    relocation: Relocation
    section_index: int  # the section it patches
    relocation_section: str  # the section it is listed in, e.g. ".rela.ltext"
    rela: bool  # SHT_RELA (explicit addend) rather than SHT_REL
    symbol_shndx: int | str  # the target symbol's st_shndx (an index or SHN_UNDEF, ...)
    symbol_value: int  # the target symbol's st_value


def _function_finder(ranges: list[tuple[int, int, str]]) -> Callable[[int], str | None]:
    """offset -> the first function (in symbol order) whose range holds it. By bisection
    when the ranges do not overlap (then at most one holds it); a linear scan per
    relocation took most of reading a big object (~40,000 relocations x ~1,000
    functions in one .ltext)."""

    def scan(offset: int) -> str | None:
        return next((f for lo, hi, f in ranges if lo <= offset < hi), None)

    ordered = sorted(ranges)
    if any(ordered[i][1] > ordered[i + 1][0] for i in range(len(ordered) - 1)):
        return scan  # overlapping ranges (aliases): keep the symbol-order answer
    starts = [lo for lo, _, _ in ordered]

    def bisected(offset: int) -> str | None:
        position = bisect.bisect_right(starts, offset) - 1
        if position >= 0 and offset < ordered[position][1]:
            return ordered[position][2]
        return None

    return bisected


def relocation_entries(elf: ELFFile) -> Iterator[RelocationEntry]:
    """Every relocation of every relocation section, in file order: the one walk over an
    object's relocations (read_object and the kexec model both use it)."""
    functions = function_ranges(elf)
    for sec in elf.iter_sections():
        if not isinstance(sec, RelocationSection) or sec["sh_info"] == 0:
            continue
        target_index = sec["sh_info"]
        target = elf.get_section(target_index)
        is_exec = bool(target["sh_flags"] & SH_FLAGS.SHF_EXECINSTR)
        table = elf.get_section(sec["sh_link"])
        find_function = _function_finder(functions.get(target_index, []))
        # Parsed once per symbol: an -O0 object of a 9 MB source has ~90,000 relocations
        # against a few thousand symbols, and pyelftools parses a symbol at every call.
        symbols: dict[int, ElfSymbol] = {}
        for rel in sec.iter_relocations():
            index = rel["r_info_sym"]
            sym = symbols.get(index)
            if sym is None:
                sym = symbols[index] = table.get_symbol(index)
            if sym["st_info"]["type"] == "STT_SECTION":
                name = _section_name(elf, sym["st_shndx"])
            else:
                name = sym.name
            offset = rel["r_offset"]
            function = find_function(offset)
            relocation = Relocation(
                section=target.name,
                offset=offset,
                rtype=rel["r_info_type"],
                symbol=name,
                symbol_section=_section_name(elf, sym["st_shndx"]),
                addend=rel["r_addend"] if rel.is_RELA() else 0,
                function=function,
                executable=is_exec,
            )
            yield RelocationEntry(
                relocation, target_index, sec.name, rel.is_RELA(), sym["st_shndx"], sym["st_value"]
            )


def _read(elf: ELFFile) -> ObjectInfo:
    sections = list(elf.iter_sections())
    executable = tuple(
        s.name for s in sections if s["sh_flags"] & SH_FLAGS.SHF_EXECINSTR and s["sh_size"] > 0
    )
    return ObjectInfo(
        tuple(e.relocation for e in relocation_entries(elf)),
        executable,
        tuple(s.name for s in sections if s.name),
        _symbols(elf),
    )


def _symbols(elf: ELFFile) -> tuple[Symbol, ...]:
    symtab = elf.get_section_by_name(".symtab")
    if symtab is None:
        return ()
    return tuple(
        Symbol(
            sym.name,
            _section_name(elf, sym["st_shndx"]),
            sym["st_info"]["type"],
            sym["st_info"]["bind"],
        )
        for sym in symtab.iter_symbols()
        if sym.name and sym["st_info"]["type"] not in ("STT_SECTION", "STT_FILE")
    )

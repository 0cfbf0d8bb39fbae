"""Reading relocations out of an x86-64 ELF object, in-process.

``read_object`` reads ELF64 little-endian x86-64 objects with ``struct`` (section headers,
symbol tables, SHT_RELA sections) and hands everything else (ELF32, big-endian, SHT_REL,
other machines, anything odd) to pyelftools, whose answer the fast reader reproduces
exactly: same relocations, symbols and names, in the same order.
"""

from __future__ import annotations

import bisect
import io
import struct
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from elftools.common.exceptions import ELFError
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile
from elftools.elf.enums import ENUM_ST_INFO_BIND, ENUM_ST_INFO_TYPE, ENUM_ST_SHNDX
from elftools.elf.relocation import RelocationSection
from elftools.elf.sections import Symbol as ElfSymbol
from elftools.elf.sections import SymbolTableSection

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
    """The object's relocations, sections and symbols; NotAnObject for other bytes."""
    fast = _fast_read(data)
    return fast if fast is not None else _pyelftools_read(data)


def _pyelftools_read(data: bytes) -> ObjectInfo:
    try:
        elf = ELFFile(io.BytesIO(data))
        return _read(elf)
    # OverflowError: pyelftools seeking to an offset past 2**63 (a corrupt header).
    except (ELFError, ValueError, KeyError, IndexError, AssertionError, OverflowError) as exc:
        raise NotAnObject(str(exc)) from exc


def _section_name(elf: ELFFile, index: int | str) -> str:
    if isinstance(index, str):  # SHN_UNDEF, SHN_ABS, SHN_COMMON
        return {"SHN_UNDEF": "UND", "SHN_ABS": "ABS", "SHN_COMMON": "COMMON"}.get(index, index)
    if index == 0:
        return "UND"
    return elf.get_section(index).name


def _symtab(elf: ELFFile) -> SymbolTableSection | None:
    symtab = elf.get_section_by_name(".symtab")
    if symtab is not None and not isinstance(symtab, SymbolTableSection):
        # A corrupt object; pyelftools would fail with AttributeError on iter_symbols.
        raise ELFError(f".symtab is a {symtab['sh_type']} section, not a symbol table")
    return symtab


def function_ranges(elf: ELFFile) -> dict[int, list[tuple[int, int, str]]]:
    """Section index -> (start, end, name) of each function symbol defined in it."""
    functions: dict[int, list[tuple[int, int, str]]] = {}
    symtab = _symtab(elf)
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
        if not isinstance(table, SymbolTableSection) and sec.num_relocations():
            # A corrupt object; pyelftools would fail with AttributeError on get_symbol.
            raise ELFError(f"{sec.name} links to section {sec['sh_link']}, not a symbol table")
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
    symtab = _symtab(elf)
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


# --- the struct reader -------------------------------------------------------------------
#
# pyelftools parses every header and symbol through construct, one field at a time: on the
# -O0 object of a 9 MB input (~58,000 relocations, ~6,000 symbols) read_object took ~4-7 s,
# most of it re-parsing section headers per relocation. This reader unpacks the same
# tables with struct in a fraction of that. It handles only what it can answer exactly as
# pyelftools would; anything else raises _Unhandled and pyelftools reads the bytes (and
# raises NotAnObject for them, with its own message).

# ELF64 little-endian layouts (System V gABI): the header after e_ident, a section header,
# a symbol, a RELA entry.
_EHDR = struct.Struct("<16xHHIQQQIHHHHHH")
_SHDR = struct.Struct("<IIQQQQIIQQ")
_SYM = struct.Struct("<IBBHQQ")
_RELA = struct.Struct("<QQq")
_ELF64_LSB = b"\x7fELF\x02\x01"  # magic, ELFCLASS64, ELFDATA2LSB
_EM_X86_64 = 62
_SHT_NULL, _SHT_SYMTAB, _SHT_STRTAB, _SHT_RELA = 0, 2, 3, 4
_SHF_COMPRESSED = 0x800
_CHDR_SIZE = 24  # Elf64_Chdr
# Section types pyelftools builds with no checks of its own (plain Section, NullSection,
# StringTableSection) plus the two checked here (SYMTAB, RELA). Other types (SHT_REL,
# dynamic tables, SYMTAB_SHNDX, GNU version tables, ...) go to pyelftools.
_PLAIN_TYPES = frozenset(
    {
        _SHT_NULL,
        1,  # SHT_PROGBITS
        _SHT_STRTAB,
        7,  # SHT_NOTE
        8,  # SHT_NOBITS
        14,  # SHT_INIT_ARRAY
        15,  # SHT_FINI_ARRAY
        16,  # SHT_PREINIT_ARRAY
        17,  # SHT_GROUP
        0x70000001,  # SHT_X86_64_UNWIND (.eh_frame from LLVM)
    }
)
_LLVM_TYPES = range(0x6FFF4C00, 0x6FFF4D00)  # SHT_LLVM_ADDRSIG, _CALL_GRAPH_PROFILE, ...
# pyelftools' own value -> name tables, so st_info and st_shndx decode as in its Symbol
# (a value it has no name for stays an int there, and here).
_ST_TYPES = {v: k for k, v in ENUM_ST_INFO_TYPE.items() if k != "_default_"}
_ST_BINDS = {v: k for k, v in ENUM_ST_INFO_BIND.items() if k != "_default_"}
_ST_SHNDX = {v: k for k, v in ENUM_ST_SHNDX.items() if k != "_default_"}
_RESERVED_NAMES = {"SHN_UNDEF": "UND", "SHN_ABS": "ABS", "SHN_COMMON": "COMMON"}


class _Unhandled(Exception):
    """The bytes are not an object the struct reader answers for; pyelftools reads them."""


@dataclass(frozen=True)
class _Sym:
    name: str
    # As pyelftools decodes st_info (and so Symbol.kind/binding): an int for a value it
    # has no name for.
    kind: str
    binding: str
    shndx: int | str  # as pyelftools decodes st_shndx: an index or "SHN_UNDEF", ...
    value: int
    size: int


def _cstring(data: bytes, offset: int) -> str:
    """pyelftools' StringTableSection.get_string: up to the next NUL anywhere in the file
    (not bounded by the table), '' when there is none, undecodable bytes replaced."""
    if offset > sys.maxsize:
        raise _Unhandled  # pyelftools' seek there raises OverflowError
    end = data.find(b"\0", offset)
    return data[offset:end].decode("utf-8", errors="replace") if end > offset else ""


def _fast_read(data: bytes) -> ObjectInfo | None:
    """read_object's answer, or None when pyelftools must give it."""
    try:
        return _StructReader(data).read()
    except _Unhandled:
        return None


class _StructReader:
    def __init__(self, data: bytes) -> None:
        if len(data) < _EHDR.size or not data.startswith(_ELF64_LSB):
            raise _Unhandled  # not ELF (pyelftools says why), ELF32 or big-endian
        _, machine, _, _, _, shoff, _, _, _, _, shentsize, shnum, shstrndx = _EHDR.unpack_from(data)
        # e_shnum 0 (the count in section 0's sh_size), SHN_XINDEX string tables, padded
        # header entries: legal, never made by clang, left to pyelftools.
        if machine != _EM_X86_64 or shoff == 0 or shentsize != _SHDR.size or shnum == 0:
            raise _Unhandled
        if not 0 < shstrndx < shnum or shoff + shnum * _SHDR.size > len(data):
            raise _Unhandled
        self.data = data
        self.view = memoryview(data)
        self.headers = list(_SHDR.iter_unpack(self.view[shoff : shoff + shnum * _SHDR.size]))
        names_at = self.headers[shstrndx][4]
        self.names = [_cstring(data, names_at + h[0]) for h in self.headers]
        for header in self.headers:
            self._check(header)
        self.tables: dict[int, list[_Sym]] = {}

    def _check(self, header: tuple[int, ...]) -> None:
        """Refuse a section pyelftools would build differently, or refuse to build."""
        _, sh_type, flags, _, offset, size, link, _, _, entsize = header
        if flags & _SHF_COMPRESSED and offset + _CHDR_SIZE > len(self.data):
            raise _Unhandled  # pyelftools reads its compression header (-gz) and would fail
        if sh_type == _SHT_RELA:
            if entsize != _RELA.size:
                raise _Unhandled
        elif sh_type == _SHT_SYMTAB:
            # pyelftools insists on a linked SHT_STRTAB and a whole number of entries.
            if entsize != _SYM.size or size % entsize or offset + size > len(self.data):
                raise _Unhandled
            if link >= len(self.headers) or self.headers[link][1] != _SHT_STRTAB:
                raise _Unhandled
        elif sh_type not in _PLAIN_TYPES and sh_type not in _LLVM_TYPES:
            raise _Unhandled

    def section_name(self, index: int | str) -> str:
        """_section_name: a section's name, or UND/ABS/COMMON."""
        if isinstance(index, str):
            return _RESERVED_NAMES.get(index, index)
        if index >= len(self.names):
            raise _Unhandled  # pyelftools would read a header past the table
        return self.names[index]

    def symbols_of(self, index: int) -> list[_Sym]:
        """The symbol table in section ``index`` (checked to be a SHT_SYMTAB)."""
        table = self.tables.get(index)
        if table is None:
            _, _, _, _, offset, size, link, _, _, _ = self.headers[index]
            strings = self.headers[link][4]
            data = self.data
            table = self.tables[index] = [
                _Sym(
                    _cstring(data, strings + st_name),
                    _ST_TYPES.get(info & 0xF, info & 0xF),
                    _ST_BINDS.get(info >> 4, info >> 4),
                    _ST_SHNDX.get(shndx, shndx),
                    value,
                    sym_size,
                )
                for st_name, info, _, shndx, value, sym_size in _SYM.iter_unpack(
                    self.view[offset : offset + size]
                )
            ]
        return table

    def read(self) -> ObjectInfo:
        headers, names = self.headers, self.names
        # get_section_by_name(".symtab"): pyelftools' name map keeps the last of a name.
        symtab = max((i for i, n in enumerate(names) if n == ".symtab"), default=None)
        symbols: list[_Sym] = []
        if symtab is not None:
            if headers[symtab][1] != _SHT_SYMTAB:
                raise _Unhandled
            symbols = self.symbols_of(symtab)
        functions: dict[int, list[tuple[int, int, str]]] = {}
        for sym in symbols:  # function_ranges
            if sym.kind == "STT_FUNC" and isinstance(sym.shndx, int):
                functions.setdefault(sym.shndx, []).append(
                    (sym.value, sym.value + max(sym.size, 1), sym.name)
                )
        relocations: list[Relocation] = []
        for header in headers:
            if header[1] == _SHT_RELA and header[7] != 0:
                relocations.extend(self._relocations(header, functions))
        return ObjectInfo(
            tuple(relocations),
            tuple(
                n
                for n, h in zip(names, headers, strict=True)
                if h[2] & SH_FLAGS.SHF_EXECINSTR and h[5] > 0
            ),
            tuple(n for n in names if n),
            tuple(
                Symbol(s.name, self.section_name(s.shndx), s.kind, s.binding)
                for s in symbols
                if s.name and s.kind not in ("STT_SECTION", "STT_FILE")
            ),
        )

    def _relocations(
        self, header: tuple[int, ...], functions: dict[int, list[tuple[int, int, str]]]
    ) -> list[Relocation]:
        """One SHT_RELA section's relocations, as relocation_entries builds them."""
        _, _, _, _, offset, size, link, target, _, _ = header
        if target >= len(self.headers) or link >= len(self.headers):
            raise _Unhandled
        if self.headers[link][1] != _SHT_SYMTAB:
            raise _Unhandled  # pyelftools would fail on get_symbol, or not look at all
        end = offset + size // _RELA.size * _RELA.size  # pyelftools ignores a partial tail
        if end > len(self.data):
            raise _Unhandled
        section = self.names[target]
        executable = bool(self.headers[target][2] & SH_FLAGS.SHF_EXECINSTR)
        find_function = _function_finder(functions.get(target, []))
        table = self.symbols_of(link)
        # (name, defining section) per symbol index, made at first use like pyelftools
        # looks a symbol up only when a relocation names it.
        targets: dict[int, tuple[str, str]] = {}
        found: list[Relocation] = []
        append = found.append
        for r_offset, r_info, r_addend in _RELA.iter_unpack(self.view[offset:end]):
            index = r_info >> 32
            named = targets.get(index)
            if named is None:
                if index >= len(table):
                    raise _Unhandled  # pyelftools would read past the table
                sym = table[index]
                where = self.section_name(sym.shndx)
                named = targets[index] = (where if sym.kind == "STT_SECTION" else sym.name, where)
            append(
                Relocation(
                    section,
                    r_offset,
                    r_info & 0xFFFFFFFF,
                    named[0],
                    named[1],
                    r_addend,
                    find_function(r_offset),
                    executable,
                )
            )
        return found

"""Map code locations of an object built with -g to source lines, via the DWARF line table.

``build_source_map(data)`` takes the bytes of an object and returns a SourceMap answering
``lookup(section, offset) -> SourceLocation | None``: the section-relative offset of an
instruction byte (e.g. a relocation's r_offset in .ltext) to the file and line it came from.

Relocatable objects need care: every code section starts at address 0, so a line table
address means nothing until .rela.debug_line says which section its DW_LNE_set_address
refers to (.text and .ltext in a large-model object, or one .text.NAME per function with
-ffunction-sections). Before parsing we therefore apply the .rela.debug_* relocations
ourselves, giving each allocated section a distinct synthetic base (its index << 32) and
non-allocated (debug) sections base 0; each line-table address then splits back into
(section index, offset). Linked files (ET_EXEC/ET_DYN) already hold final addresses and are
mapped through their section headers. Compressed debug sections (-gz) are not handled: the
caller should compile with -gz=none.
"""

from __future__ import annotations

import bisect
import io
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from elftools.common.exceptions import DWARFError, ELFError
from elftools.dwarf.lineprogram import LineProgram
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection

SECTION_SHIFT = 32
OFFSET_MASK = (1 << SECTION_SHIFT) - 1
_R_X86_64_64 = 1
_R_X86_64_32 = 10
_R_X86_64_32S = 11


@dataclass(frozen=True)
class SourceLocation:
    file: str  # as the compiler recorded it, joined with its directory
    line: int
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class _Sequence:
    start: int
    end: int  # exclusive
    offsets: list[int] = field(default_factory=list)
    locations: list[SourceLocation | None] = field(default_factory=list)


@dataclass
class SourceMap:
    """(section name, offset) -> SourceLocation; empty when the object has no line table."""

    sequences: dict[str, list[_Sequence]] = field(default_factory=dict)

    def lookup(self, section: str, offset: int) -> SourceLocation | None:
        for seq in self.sequences.get(section, ()):
            if seq.start <= offset < seq.end:
                i = bisect.bisect_right(seq.offsets, offset) - 1
                return seq.locations[i] if i >= 0 else None
        return None

    @property
    def sections(self) -> list[str]:
        return sorted(self.sequences)

    def __bool__(self) -> bool:
        return bool(self.sequences)


class NoDebugInfo(Exception):
    """The object has no usable DWARF line table."""


def build_source_map(data: bytes) -> SourceMap:
    """Parse the line tables of an object; raises NoDebugInfo when there are none or they
    cannot be read."""
    try:
        elf = ELFFile(io.BytesIO(data))
        if elf.get_section_by_name(".debug_line") is None:
            raise NoDebugInfo("no .debug_line section (compile with -g)")
        relocatable = elf["e_type"] == "ET_REL"
        if relocatable:
            elf = ELFFile(io.BytesIO(_apply_debug_relocations(elf, data)))
        section_names = {i: s.name for i, s in enumerate(elf.iter_sections())}
        return _read_line_tables(elf, relocatable, section_names)
    except (
        ELFError,
        DWARFError,
        ValueError,
        KeyError,
        IndexError,
        AssertionError,
        struct.error,
    ) as exc:
        raise NoDebugInfo(f"unreadable debug info: {exc}") from exc


def _apply_debug_relocations(elf: ELFFile, data: bytes) -> bytes:
    """A copy of ``data`` with every RELA section that patches a .debug_* section applied,
    allocated sections based at index << 32 so that their addresses stay distinguishable."""
    out = bytearray(data)
    sections = list(elf.iter_sections())
    for rel in sections:
        if not isinstance(rel, RelocationSection) or not rel.is_RELA() or rel["sh_info"] == 0:
            continue
        target = sections[rel["sh_info"]]
        if not target.name.startswith(".debug") or target["sh_type"] == "SHT_NOBITS":
            continue
        if target["sh_flags"] & SH_FLAGS.SHF_COMPRESSED:
            raise NoDebugInfo(f"{target.name} is compressed (compile with -gz=none)")
        symtab = elf.get_section(rel["sh_link"])
        base_offset = target["sh_offset"]
        for entry in rel.iter_relocations():
            sym = symtab.get_symbol(entry["r_info_sym"])
            shndx = sym["st_shndx"]
            if isinstance(shndx, int) and 0 < shndx < len(sections):
                alloc = sections[shndx]["sh_flags"] & SH_FLAGS.SHF_ALLOC
                base = shndx << SECTION_SHIFT if alloc else 0
            else:
                base = 0
            value = base + sym["st_value"] + entry["r_addend"]
            rtype = entry["r_info_type"]
            where = base_offset + entry["r_offset"]
            if rtype == _R_X86_64_64:
                struct.pack_into("<Q", out, where, value & ((1 << 64) - 1))
            elif rtype in (_R_X86_64_32, _R_X86_64_32S) and 0 <= value <= 0xFFFFFFFF:
                struct.pack_into("<I", out, where, value)
    return bytes(out)


def _file_name(lineprog: LineProgram, index: int, comp_dir: str) -> str:
    header = lineprog.header
    version = header["version"]
    entries = header["file_entry"]
    dirs = header["include_directory"]
    if version >= 5:
        entry = entries[index] if 0 <= index < len(entries) else None
        dir_index_base = 0
    else:
        entry = entries[index - 1] if 1 <= index <= len(entries) else None
        dir_index_base = 1
    if entry is None:
        return f"<file {index}>"
    name = _text(entry.name)
    dir_index = entry.dir_index
    if version >= 5:
        directory = _text(dirs[dir_index]) if 0 <= dir_index < len(dirs) else comp_dir
    elif dir_index == 0:
        directory = comp_dir
    else:
        i = dir_index - dir_index_base
        directory = _text(dirs[i]) if 0 <= i < len(dirs) else comp_dir
    if os.path.isabs(name) or not directory:
        return name
    if not os.path.isabs(directory) and comp_dir:
        directory = os.path.join(comp_dir, directory)
    return os.path.join(directory, name)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _read_line_tables(elf: ELFFile, relocatable: bool, names: dict[int, str]) -> SourceMap:
    dwarf = elf.get_dwarf_info(relocate_dwarf_sections=False)
    code_ranges: list[tuple[int, int, str]] = []
    if not relocatable:
        for s in elf.iter_sections():
            if s["sh_flags"] & SH_FLAGS.SHF_EXECINSTR and s["sh_size"]:
                code_ranges.append((s["sh_addr"], s["sh_addr"] + s["sh_size"], s.name))

    def split(address: int) -> tuple[str, int] | None:
        if relocatable:
            name = names.get(address >> SECTION_SHIFT)
            return (name, address & OFFSET_MASK) if name else None
        for lo, hi, name in code_ranges:
            if lo <= address < hi:
                return name, address - lo
        return None

    result = SourceMap()
    for cu in dwarf.iter_CUs():
        lineprog = dwarf.line_program_for_CU(cu)
        if lineprog is None:
            continue
        top = cu.get_top_DIE()
        comp_dir_attr = top.attributes.get("DW_AT_comp_dir")
        comp_dir = _text(comp_dir_attr.value) if comp_dir_attr is not None else ""
        rows: list[tuple[int, SourceLocation | None]] = []
        for entry in lineprog.get_entries():
            state = entry.state
            if state is None:
                continue
            if state.end_sequence:
                if rows:
                    _add_sequence(result, split, rows, state.address)
                rows = []
                continue
            location = (
                SourceLocation(_file_name(lineprog, state.file, comp_dir), state.line, state.column)
                if state.line
                else None  # line 0: compiler-generated code with no source line
            )
            rows.append((state.address, location))
    return result


def _add_sequence(
    result: SourceMap,
    split: Callable[[int], tuple[str, int] | None],
    rows: list[tuple[int, SourceLocation | None]],
    end_address: int,
) -> None:
    first = split(rows[0][0])
    if first is None:
        return
    section, start = first
    base = rows[0][0] - start
    seq = _Sequence(start=start, end=end_address - base)
    for address, location in sorted(rows, key=lambda r: r[0]):
        offset = address - base
        if seq.offsets and seq.offsets[-1] == offset:
            seq.locations[-1] = location  # later rows at the same address win
            continue
        seq.offsets.append(offset)
        seq.locations.append(location)
    result.sequences.setdefault(section, []).append(seq)

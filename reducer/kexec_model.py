"""A model of how Linux's x86_64 kexec_file loader places and relocates the purgatory.

Pure: bytes of an ELF relocatable object in, a description of what the kernel would do out.
Nothing here runs a program.

What is modelled (written from reading kernel/kexec_file.c and
arch/x86/kernel/machine_kexec_64.c, not copied):

* Layout (kexec_purgatory_setup_kbuf / kexec_purgatory_setup_sechdrs). Only SHF_ALLOC
  sections are loaded, in section-header order. Sections with contents are packed into one
  buffer starting at the load address, each at its offset rounded up to its sh_addralign.
  The buffer size is then rounded up to the largest NOBITS alignment, and NOBITS sections
  (.bss, .lbss) follow it, again each aligned. The whole buffer is aligned to the largest
  section alignment and at least to a page; a load address that is not aligned that way is
  rounded up (the kernel's memory-hole search never returns one) and the result says so.
* Relocation (kexec_apply_relocations / arch_kexec_apply_relocations_add). Every SHT_RELA
  section whose target section is SHF_ALLOC is applied, in section-header order; .rela.debug_*
  are skipped because their targets are not allocated. For each entry
  ``value = st_value + sh_addr(symbol's section) + r_addend`` (64-bit wrap-around),
  ``P = sh_addr(target) + r_offset``, then:

  ===================  ===================================================================
  R_X86_64_NONE        nothing
  R_X86_64_64          store 64 bits
  R_X86_64_32          store 32 bits; refuse ("Overflow in relocation type 10") unless
                       value < 2**32
  R_X86_64_32S         store 32 bits; refuse (type 11) unless value sign-extends from 32 bits
  R_X86_64_PC32/PLT32  store value - P truncated to 32 bits. The kernel does NOT check this
                       one; we report a silent truncation but never count it as an overflow.
  anything else        refuse: "Unknown rela relocation: N" (e.g. R_X86_64_PC64 = 24, which
                       every -mcmodel=large .eh_frame carries unless built with
                       -fno-asynchronous-unwind-tables, as the kernel builds purgatory)
  ===================  ===================================================================

* Undefined symbols. The kernel refuses them ("Undefined symbol: NAME"), but in a reduced
  test case they are artefacts of reduction (a helper that the real purgatory defines), so
  the model resolves them to ``undefined_address`` (default: the load address, i.e. as if
  the definition lived inside the purgatory image, which is where it lives in a real
  purgatory) and keeps going. Relocations against them are listed separately and are never
  counted as overflows. SHN_COMMON symbols (-fcommon tentative definitions) are treated the
  same way.
* More than one executable section. In a relocatable object every section's sh_addr and
  e_entry are 0, so every non-empty SHF_EXECINSTR section "contains" the entry point; the
  kernel (from v6.4) warns when a second one does ("more than one .text section ... fix
  their purgatory's linker script"); later kernels look up purgatory_start instead. LLVM >= 18
  puts large-model code in .ltext while assembly stays in .text, hence the two sections.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from elftools.common.exceptions import ELFError
from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile

from reducer.elf import NotAnObject, Relocation, reloc_type_name, relocation_entries

PAGE_SIZE = 0x1000
# Where the founding report's kernel put the purgatory: kexec: Overflow in relocation type 10
# value 0x13fffc760 (ClangBuiltLinux issue 2016).
DEFAULT_LOAD_ADDRESS = 0x13FFFB000

U64_MASK = (1 << 64) - 1
U32_MASK = (1 << 32) - 1

R_X86_64_NONE = 0
R_X86_64_64 = 1
R_X86_64_PC32 = 2
R_X86_64_32 = 10
R_X86_64_32S = 11
R_X86_64_PLT32 = 4
KERNEL_KNOWN_TYPES = frozenset(
    {R_X86_64_NONE, R_X86_64_64, R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_32, R_X86_64_32S}
)


# --- the arithmetic --------------------------------------------------------------------


def align_up(value: int, alignment: int) -> int:
    """Round up to a multiple of ``alignment``; 0 and 1 mean no constraint (ELF's meaning)."""
    if alignment <= 1:
        return value
    return (value + alignment - 1) // alignment * alignment


def to_s64(value: int) -> int:
    value &= U64_MASK
    return value - (1 << 64) if value >> 63 else value


def fits_u32(value: int) -> bool:
    """The kernel's R_X86_64_32 check: ``value == (u32)value`` on a u64."""
    return (value & U64_MASK) <= U32_MASK


def fits_s32(value: int) -> bool:
    """The kernel's R_X86_64_32S check: ``(s64)value == (s32)value``."""
    return -(1 << 31) <= to_s64(value) < (1 << 31)


class Outcome(Enum):
    OK = "ok"
    OVERFLOW = "overflow"  # the kernel refuses: "Overflow in relocation type N value 0x..."
    UNKNOWN = "unknown"  # the kernel refuses: "Unknown rela relocation: N"
    TRUNCATED = "truncated"  # PC32/PLT32 that does not fit; the kernel stores it silently


@dataclass(frozen=True)
class Application:
    outcome: Outcome
    stored: int  # the bits written at the location (0 when nothing is written)
    width: int  # bytes written


def apply_relocation(rtype: int, value: int, place: int) -> Application:
    """What arch_kexec_apply_relocations_add does with one entry once ``value`` = S + A is known."""
    value &= U64_MASK
    if rtype == R_X86_64_NONE:
        return Application(Outcome.OK, 0, 0)
    if rtype == R_X86_64_64:
        return Application(Outcome.OK, value, 8)
    if rtype == R_X86_64_32:
        ok = fits_u32(value)
        return Application(Outcome.OK if ok else Outcome.OVERFLOW, value & U32_MASK, 4)
    if rtype == R_X86_64_32S:
        ok = fits_s32(value)
        return Application(Outcome.OK if ok else Outcome.OVERFLOW, value & U32_MASK, 4)
    if rtype in (R_X86_64_PC32, R_X86_64_PLT32):
        relative = (value - place) & U64_MASK
        ok = fits_s32(relative)
        return Application(Outcome.OK if ok else Outcome.TRUNCATED, relative & U32_MASK, 4)
    return Application(Outcome.UNKNOWN, 0, 0)


# --- layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionHeader:
    """The fields of a section header the loader looks at."""

    index: int
    name: str
    size: int
    addralign: int
    alloc: bool
    executable: bool
    nobits: bool


@dataclass(frozen=True)
class PlacedSection:
    header: SectionHeader
    address: int


@dataclass(frozen=True)
class Layout:
    requested_address: int
    load_address: int  # kbuf->mem: requested address rounded up to buf_align
    buf_align: int
    bufsz: int  # bytes with contents (rounded up to the NOBITS alignment)
    memsz: int  # bufsz + NOBITS bytes
    placed: tuple[PlacedSection, ...]

    def address_of(self, index: int) -> int | None:
        for placed in self.placed:
            if placed.header.index == index:
                return placed.address
        return None

    def describe(self) -> str:
        parts = [f"{p.header.name}@{p.address:#x}" for p in self.placed if p.header.size]
        return ", ".join(parts) if parts else "no allocated sections"


def layout_sections(headers: Iterable[SectionHeader], load_address: int) -> Layout:
    """Place SHF_ALLOC sections the way kexec_purgatory_setup_kbuf/_sechdrs do."""
    allocated = [h for h in headers if h.alloc]
    buf_align = 1
    bss_align = 1
    bufsz = 0
    bss_sz = 0
    for h in allocated:
        if h.nobits:
            bss_align = max(bss_align, h.addralign)
            bss_sz = align_up(bss_sz, h.addralign) + h.size
        else:
            buf_align = max(buf_align, h.addralign)
            bufsz = align_up(bufsz, h.addralign) + h.size
    bufsz = align_up(bufsz, bss_align)
    memsz = bufsz + bss_sz
    buf_align = max(buf_align, bss_align, PAGE_SIZE)  # kexec_add_buffer: at least a page
    mem = align_up(load_address & U64_MASK, buf_align)

    placed: list[PlacedSection] = []
    offset = 0
    bss_addr = mem + bufsz
    for h in allocated:
        if h.nobits:
            bss_addr = align_up(bss_addr, h.addralign)
            placed.append(PlacedSection(h, bss_addr))
            bss_addr += h.size
        else:
            offset = align_up(offset, h.addralign)
            placed.append(PlacedSection(h, mem + offset))
            offset += h.size
    return Layout(load_address, mem, buf_align, bufsz, memsz, tuple(placed))


# --- applying a whole object ---------------------------------------------------------------


@dataclass(frozen=True)
class AppliedRelocation:
    relocation: Relocation  # section/offset/type/symbol/function as elsewhere in the tool
    relocation_section: str  # e.g. ".rela.ltext"
    value: int  # S + A after layout, as the u64 the kernel prints
    place: int  # P: where the patched bytes end up
    application: Application
    unresolved: bool  # the target symbol is undefined (or COMMON) and was given an address

    @property
    def outcome(self) -> Outcome:
        return self.application.outcome

    @property
    def target(self) -> str:
        rel = self.relocation
        if rel.addend > 0:
            return f"{rel.symbol}+{rel.addend:#x}"
        if rel.addend < 0:
            return f"{rel.symbol}-{-rel.addend:#x}"
        return rel.symbol

    def where(self) -> str:
        rel = self.relocation
        return (
            f"{self.target} in {rel.function}"
            if rel.function
            else f"{self.target} at {rel.section}+{rel.offset:#x}"
        )

    def kernel_message(self) -> str:
        """The line the kernel would print for this entry, if it refuses it."""
        rtype = self.relocation.rtype
        if self.outcome is Outcome.OVERFLOW:
            return f"Overflow in relocation type {rtype} value {self.value:#x}"
        if self.outcome is Outcome.UNKNOWN:
            return f"Unknown rela relocation: {rtype}"
        return ""


@dataclass(frozen=True)
class KexecResult:
    layout: Layout
    undefined_address: int
    applied: tuple[AppliedRelocation, ...]  # in the order the kernel applies them
    unresolved_symbols: tuple[str, ...]  # undefined or COMMON symbols that relocations use
    executable_sections: tuple[str, ...]  # allocated, executable, non-empty
    skipped_rel_sections: tuple[str, ...] = field(default=())  # SHT_REL: x86_64 refuses these

    @property
    def overflows(self) -> list[AppliedRelocation]:
        """Overflows the kernel would refuse, against symbols the object defines."""
        return [a for a in self.applied if a.outcome is Outcome.OVERFLOW and not a.unresolved]

    @property
    def unresolved_overflows(self) -> list[AppliedRelocation]:
        return [a for a in self.applied if a.outcome is Outcome.OVERFLOW and a.unresolved]

    @property
    def unknown(self) -> list[AppliedRelocation]:
        return [a for a in self.applied if a.outcome is Outcome.UNKNOWN]

    @property
    def truncated(self) -> list[AppliedRelocation]:
        return [a for a in self.applied if a.outcome is Outcome.TRUNCATED and not a.unresolved]

    @property
    def multiple_executable_sections(self) -> bool:
        return len(self.executable_sections) > 1

    def first_refusal(self) -> AppliedRelocation | None:
        """The entry at which the kernel (with undefined symbols resolved) would stop."""
        for a in self.applied:
            if a.outcome in (Outcome.OVERFLOW, Outcome.UNKNOWN) and not a.unresolved:
                return a
        return None


def simulate(
    data: bytes,
    load_address: int = DEFAULT_LOAD_ADDRESS,
    undefined_address: int | None = None,
) -> KexecResult:
    """Lay the object out at ``load_address`` and apply its relocations like the kernel.

    ``undefined_address`` is where undefined symbols are assumed to live; None means the
    (aligned) load address. Raises NotAnObject for bytes pyelftools cannot read.
    """
    try:
        elf = ELFFile(io.BytesIO(data))
        return _simulate(elf, load_address, undefined_address)
    except (ELFError, ValueError, KeyError, IndexError, AssertionError) as exc:
        raise NotAnObject(str(exc)) from exc


def _simulate(elf: ELFFile, load_address: int, undefined_address: int | None) -> KexecResult:
    sections = list(elf.iter_sections())
    headers = [
        SectionHeader(
            index=i,
            name=s.name,
            size=s["sh_size"],
            addralign=s["sh_addralign"],
            alloc=bool(s["sh_flags"] & SH_FLAGS.SHF_ALLOC),
            executable=bool(s["sh_flags"] & SH_FLAGS.SHF_EXECINSTR),
            nobits=s["sh_type"] == "SHT_NOBITS",
        )
        for i, s in enumerate(sections)
    ]
    layout = layout_sections(headers, load_address)
    placed = {p.header.index: p.address for p in layout.placed}
    unresolved_at = (
        layout.load_address if undefined_address is None else undefined_address & U64_MASK
    )

    def section_address(index: int) -> int:
        # Sections the loader does not place keep their file sh_addr (0 in a .o).
        return placed.get(index, sections[index]["sh_addr"])

    applied: list[AppliedRelocation] = []
    unresolved: dict[str, None] = {}
    skipped_rel: dict[str, None] = {}
    for entry in relocation_entries(elf):
        target = headers[entry.section_index]
        if not target.alloc:
            continue  # .rela.debug_*: not loaded, not relocated
        if not entry.rela:
            skipped_rel[entry.relocation_section] = None
            continue
        relocation = entry.relocation
        shndx = entry.symbol_shndx
        is_unresolved = shndx in ("SHN_UNDEF", "SHN_COMMON", 0)
        if is_unresolved:
            base, sym_value = unresolved_at, 0
        elif shndx == "SHN_ABS":
            base, sym_value = 0, entry.symbol_value
        elif isinstance(shndx, int) and shndx < len(sections):
            base, sym_value = section_address(shndx), entry.symbol_value
        else:  # SHN_XINDEX and friends: the kernel says "Invalid section"; treat as unresolved
            base, sym_value = unresolved_at, 0
            is_unresolved = True
        if is_unresolved:
            unresolved[relocation.symbol] = None
        value = (sym_value + base + relocation.addend) & U64_MASK
        place = (section_address(entry.section_index) + relocation.offset) & U64_MASK
        applied.append(
            AppliedRelocation(
                relocation=relocation,
                relocation_section=entry.relocation_section,
                value=value,
                place=place,
                application=apply_relocation(relocation.rtype, value, place),
                unresolved=is_unresolved,
            )
        )
    executable = tuple(h.name for h in headers if h.alloc and h.executable and h.size > 0)
    return KexecResult(
        layout=layout,
        undefined_address=unresolved_at,
        applied=tuple(applied),
        unresolved_symbols=tuple(unresolved),
        executable_sections=executable,
        skipped_rel_sections=tuple(skipped_rel),
    )


def count_by_type(applied: Iterable[AppliedRelocation]) -> str:
    """'R_X86_64_PC64 x1 (.eh_frame)' style summary."""
    groups: dict[tuple[str, str], int] = {}
    for a in applied:
        key = (reloc_type_name(a.relocation.rtype), a.relocation.section)
        groups[key] = groups.get(key, 0) + 1
    return ", ".join(f"{t} x{n} in {s}" for (t, s), n in groups.items())

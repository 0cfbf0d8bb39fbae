"""reducer.elf: the struct reader gives exactly pyelftools' ObjectInfo on real objects from
clang-19 and clang-22, leaves what it does not handle to pyelftools, and every malformed
input (truncated, corrupted, not ELF at all) is NotAnObject, never another exception."""

from __future__ import annotations

import functools
import struct
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reducer.elf import (
    NotAnObject,
    ObjectInfo,
    _fast_read,
    _pyelftools_read,
    read_object,
)
from reducer.process import run_program
from tests.conftest import need_compiler

TARGET = "--target=x86_64-linux-gnu"

# One of each thing the reader names: a global in a named section (the founding bug), a
# static function and static data (section-relative relocations: the symbol is the
# section), strings, an undefined variable and function, a weak and a tentative (common
# under -fcommon) definition, a TLS variable, an alias (overlapping function ranges).
SOURCE = """\
int purgatory_sha_regions[16] __attribute__((section(".kexec-purgatory")));
static int counter;
static const char *msg = "hello";
extern int ext_var;
int weak_var __attribute__((weak));
int tentative;
int *tentative_p = &tentative;
__thread int tls_var;
static int helper(int x) { return x * 3 + counter++; }
int (*fp)(int) = helper;
void *table[] = { &counter, purgatory_sha_regions + 4, &ext_var };
void bug(void **p) { *p = purgatory_sha_regions; }
int use(int y) { return helper(y) + ext_var + tls_var + msg[1]; }
void alias_target(void) {}
void alias_name(void) __attribute__((alias("alias_target")));
extern void ext_fn(void);
void caller(void) { ext_fn(); alias_name(); }
"""

# Many functions in one section, each storing a global's address: the bisected function
# lookup and several hundred relocations against a few hundred symbols.
MANY = "".join(f"int g{i}[2];\n" for i in range(300)) + "".join(
    f"static void s{i}(void **p) {{ *p = g{i} + 1; }}\n"
    f"void f{i}(void **p) {{ s{i}(p); *p = &g{(i * 7) % 300}; }}\n"
    for i in range(300)
)

FLAG_SETS = {
    "O0-large": ["-O0", "-mcmodel=large", "-fno-pic"],
    "O2-large": ["-O2", "-mcmodel=large", "-fno-pic"],
    "O0-pic": ["-O0", "-fPIC"],
    "O2-pic-sections": ["-O2", "-fPIC", "-ffunction-sections", "-fdata-sections"],
    "O0-g-large": ["-O0", "-g", "-mcmodel=large", "-fno-pic"],
    "O2-g-sections": ["-O2", "-g", "-ffunction-sections"],
    "O0-g-zlib": ["-O0", "-g", "-gz=zlib"],  # SHF_COMPRESSED .debug_* sections
    "O0-common": ["-O0", "-fcommon"],
}
COMPILERS = ["clang-19", "clang-22"]


@functools.cache
def compiled(compiler: str, source: str, flags: tuple[str, ...]) -> bytes:
    """The object ``compiler`` makes of ``source`` (cached: hypothesis calls it often)."""
    need_compiler(compiler)
    with tempfile.TemporaryDirectory(prefix="test-elf-") as scratch:
        src, obj = Path(scratch) / "t.c", Path(scratch) / "t.o"
        src.write_text(source)
        argv = [compiler, *flags, "-c", "-o", str(obj), str(src)]
        result = run_program(argv, timeout=120, cwd=Path(scratch))
        assert result.returncode == 0, result.stderr.decode()
        return obj.read_bytes()


def both(data: bytes) -> ObjectInfo:
    """The struct reader's answer, checked to be handled and equal to pyelftools'."""
    fast = _fast_read(data)
    assert fast is not None, "the struct reader left a clang x86-64 object to pyelftools"
    slow = _pyelftools_read(data)
    assert fast == slow
    assert read_object(data) == slow
    return fast


@pytest.mark.compilers
@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("flags", FLAG_SETS.values(), ids=FLAG_SETS.keys())
def test_struct_reader_equals_pyelftools(compiler: str, flags: list[str]) -> None:
    info = both(compiled(compiler, SOURCE, (TARGET, *flags)))
    by_symbol = {r.symbol: r for r in info.relocations}
    assert by_symbol["purgatory_sha_regions"].symbol_section == ".kexec-purgatory"
    assert "ext_var" in by_symbol and by_symbol["ext_var"].symbol_section == "UND"
    # Section-relative relocations (static data, strings) name their section.
    assert any(r.symbol == r.symbol_section and r.symbol.startswith(".") for r in info.relocations)
    assert any(r.function == "bug" for r in info.code_relocations())
    symbols = {s.name: s for s in info.symbols}
    assert (symbols["helper"].kind, symbols["helper"].binding) == ("STT_FUNC", "STB_LOCAL")
    if "-fcommon" in flags:
        assert symbols["tentative"].section == "COMMON"
    if "-g" in flags:
        assert any(r.section.startswith(".debug_") for r in info.relocations)


@pytest.mark.compilers
@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("flags", [FLAG_SETS["O0-large"], FLAG_SETS["O2-pic-sections"]])
def test_struct_reader_equals_pyelftools_on_many_functions(compiler: str, flags: list[str]) -> None:
    info = both(compiled(compiler, MANY, (TARGET, *flags)))
    assert len(info.relocations) >= 600
    assert {r.function for r in info.code_relocations()} >= {"f0", "f299"}


@pytest.mark.compilers
@pytest.mark.parametrize(
    "target",
    [
        "i386-linux-gnu",  # ELF32 with SHT_REL
        "x86_64-linux-gnux32",  # ELF32 x86-64
        "powerpc64-linux-gnu",  # big-endian
        "aarch64-linux-gnu",  # another machine
    ],
)
def test_other_objects_are_left_to_pyelftools(target: str) -> None:
    data = compiled("clang-19", SOURCE, (f"--target={target}", "-O0"))
    assert _fast_read(data) is None
    assert read_object(data) == _pyelftools_read(data)
    assert read_object(data).relocations


@pytest.mark.parametrize(
    "data",
    [b"", b"\x7fELF", b"\x7fELF\x02\x01", b"\x7fELF\x02\x01" + bytes(34), b"\t.text\nf:\n\tret\n"],
    ids=["empty", "magic", "ident", "short-header", "assembly"],
)
def test_non_objects_are_not_an_object(data: bytes) -> None:
    with pytest.raises(NotAnObject) as fast:
        read_object(data)
    with pytest.raises(NotAnObject) as slow:
        _pyelftools_read(data)
    assert str(fast.value) == str(slow.value)  # pyelftools' message, as before


def outcome(data: bytes) -> ObjectInfo | None:
    """read_object's answer, None for NotAnObject; any other exception fails the test."""
    try:
        return read_object(data)
    except NotAnObject:
        return None


def same_as_pyelftools(data: bytes) -> None:
    got = outcome(data)
    try:
        expected: ObjectInfo | None = _pyelftools_read(data)
    except NotAnObject:
        expected = None
    assert got == expected


@pytest.mark.compilers
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_truncated_objects_are_not_an_object(data: st.DataObject) -> None:
    whole = compiled("clang-19", SOURCE, (TARGET, *FLAG_SETS["O0-g-large"]))
    cut = data.draw(st.integers(0, len(whole) - 1))
    # clang writes the section header table last, so every prefix loses part of it.
    assert outcome(whole[:cut]) is None


def _section_table(whole: bytes) -> tuple[int, int]:
    shoff, shnum = (
        struct.unpack_from("<Q", whole, 0x28)[0],
        struct.unpack_from("<H", whole, 0x3C)[0],
    )
    return shoff, shoff + 64 * shnum


@pytest.mark.compilers
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_corrupted_objects_read_as_pyelftools_reads_them(data: st.DataObject) -> None:
    """Overwrite bytes of a real object, mostly in the ELF header and section headers:
    read_object agrees with pyelftools (equal ObjectInfo, or NotAnObject for both)."""
    flags = data.draw(st.sampled_from([FLAG_SETS["O0-large"], FLAG_SETS["O0-g-zlib"]]))
    whole = bytearray(compiled("clang-22", SOURCE, (TARGET, *flags)))
    start, end = _section_table(bytes(whole))
    where = st.one_of(
        st.integers(0, 63), st.integers(start, end - 1), st.integers(0, len(whole) - 1)
    )
    for position, value in data.draw(
        st.lists(st.tuples(where, st.integers(0, 255)), min_size=1, max_size=6)
    ):
        whole[position] = value
    same_as_pyelftools(bytes(whole))


def _patched(whole: bytes, section: str, field: str, value: int) -> bytes:
    """``whole`` with one field of the named section's header set to ``value``."""
    offsets = {"sh_type": (4, "<I"), "sh_offset": (24, "<Q"), "sh_link": (40, "<I")}
    shoff, end = _section_table(whole)
    shstrndx = struct.unpack_from("<H", whole, 0x3E)[0]
    names_at = struct.unpack_from("<Q", whole, shoff + 64 * shstrndx + 24)[0]
    for header in range(shoff, end, 64):
        name_at = names_at + struct.unpack_from("<I", whole, header)[0]
        if whole[name_at : whole.index(0, name_at)].decode() == section:
            at, fmt = offsets[field]
            patched = bytearray(whole)
            struct.pack_into(fmt, patched, header + at, value)
            return bytes(patched)
    raise AssertionError(f"no section {section}")


@pytest.mark.compilers
@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        (".symtab", "sh_type", 1),  # a PROGBITS .symtab: was AttributeError (iter_symbols)
        (".rela.ltext", "sh_link", 0),  # relocations against no symbol table: AttributeError
        (".strtab", "sh_offset", 1 << 63),  # names past 2**63: was OverflowError (seek)
        (".rela.ltext", "sh_type", 9),  # SHT_REL: pyelftools reads it
        (".ltext", "sh_type", 0x6FFFFFF5),  # a type the struct reader leaves alone
    ],
)
def test_corruptions_read_as_pyelftools_reads_them(section: str, field: str, value: int) -> None:
    whole = compiled("clang-19", SOURCE, (TARGET, *FLAG_SETS["O0-large"]))
    data = _patched(whole, section, field, value)
    assert _fast_read(data) is None
    same_as_pyelftools(data)
    if field != "sh_type" or section == ".symtab":
        assert outcome(data) is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_garbage_after_an_elf64_header_is_handled(tail: bytes) -> None:
    same_as_pyelftools(b"\x7fELF\x02\x01\x01\x00" + tail)

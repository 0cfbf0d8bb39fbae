"""The kexec purgatory loader model: overflow arithmetic (pure, hypothesis) and whole objects
compiled by real clangs."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reducer.kexec_model import (
    DEFAULT_LOAD_ADDRESS,
    PAGE_SIZE,
    Outcome,
    SectionHeader,
    align_up,
    apply_relocation,
    fits_s32,
    fits_u32,
    layout_sections,
    simulate,
)
from reducer.oracles.kexec import verdict_for
from reducer.process import run_program
from tests.conftest import need_compiler as need

U64 = (1 << 64) - 1
LARGE = ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"]
REPRODUCER = 'int a[1] __attribute__((section("x"))); void f(){int*p=a;}\n'


# --- pure arithmetic ---------------------------------------------------------------------


def c_u32_check(value: int) -> bool:
    """What `*(u32 *)loc = value; value != *(u32 *)loc` computes, via real 32-bit storage."""
    stored = struct.unpack("<I", struct.pack("<Q", value & U64)[:4])[0]
    return stored == value & U64


def c_s32_check(value: int) -> bool:
    """`*(s32 *)loc = value; (s64)value != *(s32 *)loc`."""
    stored = struct.unpack("<i", struct.pack("<Q", value & U64)[:4])[0]
    return stored == struct.unpack("<q", struct.pack("<Q", value & U64))[0]


@pytest.mark.parametrize(
    ("value", "u32", "s32"),
    [
        (0, True, True),
        (0x7FFFFFFF, True, True),
        (0x80000000, True, False),
        (0xFFFFFFFF, True, False),
        (0x100000000, False, False),
        (0x13FFFB010, False, False),
        (0xFFFFFFFF80000000, False, True),  # -2**31
        (0xFFFFFFFF7FFFFFFF, False, False),  # -2**31 - 1
        (U64, False, True),  # -1
    ],
)
def test_boundaries(value: int, u32: bool, s32: bool) -> None:
    assert fits_u32(value) is u32
    assert fits_s32(value) is s32


@given(st.integers(min_value=0, max_value=U64))
def test_fits_matches_c_storage(value: int) -> None:
    assert fits_u32(value) == c_u32_check(value)
    assert fits_s32(value) == c_s32_check(value)


boundary = st.sampled_from([0, 1 << 31, 1 << 32, 1 << 63, 1 << 64]).flatmap(
    lambda b: st.integers(min_value=max(0, b - 3), max_value=min(U64, b + 3))
)


@given(boundary)
def test_fits_near_boundaries(value: int) -> None:
    assert fits_u32(value) == (value <= 0xFFFFFFFF)
    assert fits_s32(value) == (value < 1 << 31 or value >= (1 << 64) - (1 << 31))


@given(st.integers(min_value=0, max_value=U64), st.integers(min_value=0, max_value=U64))
def test_apply_relocation_outcomes(value: int, place: int) -> None:
    assert apply_relocation(1, value, place).outcome is Outcome.OK
    assert apply_relocation(1, value, place).stored == value
    assert apply_relocation(10, value, place).outcome is (
        Outcome.OK if value <= 0xFFFFFFFF else Outcome.OVERFLOW
    )
    assert apply_relocation(11, value, place).outcome is (
        Outcome.OK if fits_s32(value) else Outcome.OVERFLOW
    )
    pc = apply_relocation(2, value, place)
    # The kernel stores value - P truncated and never refuses a PC32/PLT32.
    assert pc.outcome in (Outcome.OK, Outcome.TRUNCATED)
    assert pc.stored == (value - place) & 0xFFFFFFFF
    assert apply_relocation(4, value, place).outcome is pc.outcome
    assert apply_relocation(24, value, place).outcome is Outcome.UNKNOWN  # R_X86_64_PC64
    assert apply_relocation(0, value, place).outcome is Outcome.OK


def test_layout_aligns_and_puts_nobits_after_contents() -> None:
    headers = [
        SectionHeader(1, ".text", 0x22, 4, True, True, False),
        SectionHeader(2, ".ltext", 0x100, 16, True, True, False),
        SectionHeader(3, ".debug_info", 0x50, 1, False, False, False),
        SectionHeader(4, ".lbss", 0x10, 64, True, False, True),
        SectionHeader(5, "x", 4, 4, True, False, False),
    ]
    layout = layout_sections(headers, DEFAULT_LOAD_ADDRESS)
    addr = {p.header.name: p.address for p in layout.placed}
    assert ".debug_info" not in addr
    assert addr[".text"] == DEFAULT_LOAD_ADDRESS
    assert addr[".ltext"] == DEFAULT_LOAD_ADDRESS + 0x30
    assert addr["x"] == DEFAULT_LOAD_ADDRESS + 0x130
    # contents end at 0x134, rounded up to the NOBITS alignment (64) -> .lbss at 0x140
    assert layout.bufsz == 0x140
    assert addr[".lbss"] == DEFAULT_LOAD_ADDRESS + 0x140
    assert layout.memsz == 0x150


def test_layout_rounds_a_misaligned_load_address_up() -> None:
    headers = [SectionHeader(1, ".text", 8, 0x2000, True, True, False)]
    layout = layout_sections(headers, 0x13FFFB000)
    assert layout.buf_align == 0x2000
    assert layout.load_address == align_up(0x13FFFB000, 0x2000) == 0x13FFFC000
    layout = layout_sections(headers[:0], 0x1234)
    assert layout.load_address == align_up(0x1234, PAGE_SIZE)


# --- real objects ----------------------------------------------------------------------


def compile_source(
    tmp_path: Path, compiler: str, source: str, flags: list[str], name: str = "t.c"
) -> bytes:
    need(compiler)
    src = tmp_path / name
    src.write_text(source)
    obj = tmp_path / f"{compiler}-{abs(hash(tuple(flags)))}.o"
    result = run_program([compiler, *flags, "-o", str(obj), str(src)], timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    return obj.read_bytes()


@pytest.mark.compilers
def test_reproducer_overflows_type_11_with_clang19(tmp_path: Path) -> None:
    data = compile_source(tmp_path, "clang-19", REPRODUCER, LARGE)
    result = simulate(data, 0x13FFFB000)
    assert [a.relocation.rtype for a in result.overflows] == [11]
    overflow = result.overflows[0]
    assert overflow.relocation.symbol == "a" and overflow.relocation.function == "f"
    x_address = next(p.address for p in result.layout.placed if p.header.name == "x")
    assert overflow.value == x_address and overflow.value > 0xFFFFFFFF
    verdict = verdict_for(result)
    assert verdict.interesting
    assert verdict.reason.startswith(
        f"Overflow in relocation type 11 value {x_address:#x} (a in f)"
    )
    # -mcmodel=large with unwind tables: .eh_frame carries R_X86_64_PC64, which the kexec
    # loader does not know; reported, never counted.
    assert "Unknown rela relocation: 24" in verdict.reason


@pytest.mark.compilers
def test_reproducer_does_not_overflow_with_clang22(tmp_path: Path) -> None:
    data = compile_source(tmp_path, "clang-22", REPRODUCER, LARGE)
    result = simulate(data, 0x13FFFB000)
    assert result.overflows == []
    assert not verdict_for(result).interesting


@pytest.mark.compilers
def test_clang19_object_fits_below_2gib(tmp_path: Path) -> None:
    data = compile_source(tmp_path, "clang-19", REPRODUCER, LARGE)
    result = simulate(data, 0x7FF00000)
    assert result.overflows == []
    assert verdict_for(result).reason.startswith("no overflow at load address 0x7ff00000")
    # ... and between 2 GiB and 4 GiB the R_X86_64_32S already fails (sign extension).
    assert [a.relocation.rtype for a in simulate(data, 0x80000000).overflows] == [11]


@pytest.mark.compilers
def test_undefined_symbol_only_is_reported_not_interesting(tmp_path: Path) -> None:
    source = 'extern int b[] __attribute__((section("x"))); void g(){int*p=b;}\n'
    data = compile_source(tmp_path, "clang-19", source, LARGE)
    result = simulate(data, 0x13FFFB000)
    assert result.unresolved_symbols == ("b",)
    assert result.overflows == []
    # clang-19 addresses it with R_X86_64_32S too: it would overflow, but b is undefined.
    assert [a.relocation.symbol for a in result.unresolved_overflows] == ["b"]
    verdict = verdict_for(result)
    assert not verdict.interesting
    assert "undefined symbols assumed at 0x13fffb000 (not counted): b" in verdict.reason
    # the address undefined symbols get is configurable
    low = simulate(data, 0x13FFFB000, undefined_address=0x1000)
    assert low.undefined_address == 0x1000 and low.unresolved_overflows == []


@pytest.mark.compilers
def test_text_plus_ltext_is_flagged(tmp_path: Path) -> None:
    source = (
        '__attribute__((section(".text"))) int small(int x) { return x + 1; }\n'
        "int big(int x) { return x * 2; }\n"
    )
    data = compile_source(tmp_path, "clang-19", source, [*LARGE, "-fno-asynchronous-unwind-tables"])
    result = simulate(data)
    assert result.executable_sections == (".text", ".ltext")
    report = verdict_for(result, multiple_exec_sections="report")
    assert not report.interesting
    assert "more than one executable section: .text, .ltext" in report.reason
    strict = verdict_for(result, multiple_exec_sections="interesting")
    assert strict.interesting and "more than one executable section" in strict.reason


@pytest.mark.compilers
@pytest.mark.parametrize(("compiler", "overflows"), [("clang-19", True), ("clang-22", False)])
def test_debug_info_relocations_are_not_applied(
    tmp_path: Path, compiler: str, overflows: bool
) -> None:
    data = compile_source(tmp_path, compiler, REPRODUCER, [*LARGE, "-g"])
    result = simulate(data)
    # .rela.debug_* hold R_X86_64_32 relocations, but their targets are not SHF_ALLOC.
    assert all(not a.relocation.section.startswith(".debug") for a in result.applied)
    assert bool(result.overflows) is overflows
    assert verdict_for(result).interesting is overflows

"""The test kinds of the object oracles (llc-sections, clang-symbol, llc-asm): their pure
rules, and the absence checks run through both FileChecks we verify with."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.elf import ObjectInfo
from reducer.emit.absent import absent_around
from reducer.emit.kinds import test_kind as find_kind
from reducer.emit.kinds.clang_symbol import ir_mentions, ir_pattern
from reducer.emit.kinds.llc_sections import readobj_pattern, section_checks
from reducer.errors import CompilerError
from reducer.oracles import oracle_kinds
from reducer.oracles.sections import MultipleCodeSectionsOracle, SectionOracle
from tests.conftest import require_tool

COMMAND = CompileCommand(("clang-19", "-c"), 10.0)


def test_sections_test_requires_the_expected_and_forbids_what_only_the_affected_has() -> None:
    required, forbidden = section_checks((".text", ".ltext"), (".text",), (".text", ".data"))
    assert (required, forbidden) == ([".text"], [".ltext"])
    # section:!.text: the affected object lacks it, the fixed one has it.
    assert section_checks((), (".text",), (".text",)) == ([".text"], [])
    # Lock-in: the expected object is the affected one; nothing is forbidden.
    assert section_checks((".text", ".ltext"), (".text", ".ltext"), ()) == ([".text", ".ltext"], [])


def test_sections_test_refuses_a_section_it_cannot_tell_apart_by_name() -> None:
    # The fixed object has an empty .ltext: forbidding the name would fail it too.
    with pytest.raises(CompilerError, match="cannot tell"):
        section_checks((".text", ".ltext"), (".text",), (".text", ".ltext"))


def test_readobj_pattern_names_the_section_itself() -> None:
    pattern = readobj_pattern(".ltext")
    assert pattern in "    Name: .ltext (27)"
    assert pattern not in "    Name: .rela.ltext (22)" and pattern not in "Name: .ltext.hot (9)"


def test_section_oracles_say_which_sections_a_test_checks() -> None:
    info = ObjectInfo((), (".text", ".ltext"), (".strtab", ".text", ".ltext", ".data"))
    assert MultipleCodeSectionsOracle(COMMAND).relevant(info) == (".text", ".ltext")
    assert SectionOracle(COMMAND, ".data").relevant(info) == (".data",)
    assert SectionOracle(COMMAND, ".bss", present=False).relevant(info) == ()


def test_ir_mentions_whole_global_names_only() -> None:
    ir = "declare i64 @strlen_fast(ptr)\n  %1 = call i64 @strlen.1(ptr %s)\n"
    assert not ir_mentions(ir, "strlen")
    assert ir_mentions(ir + "declare i64 @strlen(ptr)\n", "strlen")
    assert ir_pattern("strlen") == "@strlen("


def test_absent_around_needs_an_anchor_and_brackets_it() -> None:
    with pytest.raises(ValueError):
        absent_around(";", "CHECK", ["x"], [])
    assert absent_around("//", "CHECK", ["@strlen("], ["define"]) == [
        "// CHECK-NOT: @strlen(",
        "// CHECK: define",
        "// CHECK-NOT: @strlen(",
    ]


def _filecheck(tool: list[str], checks: Path, text: str) -> int:
    return subprocess.run(
        [*tool, str(checks)], input=text, capture_output=True, text=True, timeout=60, check=False
    ).returncode


@pytest.mark.compilers
@pytest.mark.parametrize("which", ["llvm", "pypi"])
def test_absence_checks_cover_the_whole_output_in_both_filechecks(
    which: str, tmp_path: Path
) -> None:
    if which == "llvm":
        tool = [require_tool("FileCheck-19", "llvm-19-tools")]
    else:
        tool = [str(Path(sys.executable).with_name("filecheck"))]
    checks = tmp_path / "t.ll"
    checks.write_text(
        "\n".join(absent_around(";", "CHECK", ["Name: .ltext ("], ["Sections ["])) + "\n"
    )
    clean = "File: -\nSections [\n  Section {\n    Name: .text (1)\n  }\n]\n"
    assert _filecheck(tool, checks, clean) == 0
    before = "Name: .ltext (3)\n" + clean
    after = clean + "  Section {\n    Name: .ltext (3)\n  }\n"
    assert _filecheck(tool, checks, before) != 0
    assert _filecheck(tool, checks, after) != 0
    assert _filecheck(tool, checks, "") != 0  # the anchor: empty output is no pass


# Compiling oracles whose test kinds are still to be written, with where that is tracked;
# the test below fails once one of them gets a kind, so the entry cannot outlive it.
PENDING_TEST_KINDS: dict[str, str] = {}


def test_every_oracle_that_compiles_has_a_test_kind() -> None:
    without = set()
    for kind in oracle_kinds():
        if kind.compiles:
            if not kind.test_kinds:
                without.add(kind.name)
            for name in kind.test_kinds:
                find_kind(name)
    assert without == set(PENDING_TEST_KINDS), f"no test kind: {sorted(without)}"


@pytest.mark.compilers
def test_flags_an_older_fixed_llc_does_not_know_are_dropped(tmp_path: Path) -> None:
    from reducer.emit.llc_ir import flags_llc_accepts

    llc16 = require_tool("llc-16", "llvm-16")
    flags = ("-mtriple=x86_64-unknown-linux-gnu", "-code-model=large", "-large-data-threshold=0")
    assert flags_llc_accepts(llc16, flags, tmp_path, 30.0) == flags[:2]
    llc22 = require_tool("llc-22", "llvm-22")
    assert flags_llc_accepts(llc22, flags, tmp_path, 30.0) == flags

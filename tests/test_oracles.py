"""Built-in oracles on objects really compiled by clang-19 and clang-22."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.objects import compile_object
from reducer.oracles import OracleSpec, Verdict
from tests.conftest import LARGE_O0, REPRODUCER

pytestmark = pytest.mark.compilers

SMALL_O2 = ["--target=x86_64-linux-gnu", "-O2", "-mcmodel=small", "-fno-pic", "-c"]
SMALL_SOURCE = "char buf[64];\nvoid use(char *);\nvoid f(void) { use(buf); }\n"


def check(tmp_path: Path, source: str, spec: str, argv: list[str], **filters: str):
    candidate = tmp_path / "t.c"
    candidate.write_text(source)
    oracle = OracleSpec.parse(spec, **filters).build(CompileCommand.from_user(argv))
    return oracle.check(candidate)


def test_r32s_found_with_clang19_at_O0(tmp_path: Path, clang19: str) -> None:
    verdict = check(tmp_path, REPRODUCER, "r_x86_64_32s", [clang19, *LARGE_O0])
    assert verdict.interesting
    (reloc,) = verdict.relocations
    assert (reloc.type_name, reloc.symbol, reloc.function) == ("R_X86_64_32S", "a", "f")
    assert reloc.section == ".ltext" and reloc.symbol_section == "x"


def test_clang22_is_not_interesting_and_says_what_it_saw(tmp_path: Path, clang22: str) -> None:
    verdict = check(tmp_path, REPRODUCER, "r_x86_64_32s", [clang22, *LARGE_O0])
    assert not verdict.interesting
    assert "R_X86_64_64 x1 (a)" in verdict.reason


def test_debug_relocations_do_not_count(tmp_path: Path, clang22: str) -> None:
    # With -g there are dozens of R_X86_64_32 in .debug_* sections, none in code.
    source = tmp_path / "t.c"
    source.write_text(REPRODUCER)
    command = CompileCommand.from_user([clang22, *LARGE_O0, "-g"])
    info = compile_object(command, source)
    assert not isinstance(info, Verdict), info
    relocations = info.relocations
    assert any(r.rtype == 10 and r.section.startswith(".debug") for r in relocations)
    verdict = check(tmp_path, REPRODUCER, "abs32", [clang22, *LARGE_O0, "-g"])
    assert not verdict.interesting


def test_debug_build_with_clang19_still_finds_the_code_relocation(
    tmp_path: Path, clang19: str
) -> None:
    verdict = check(tmp_path, REPRODUCER, "abs32", [clang19, *LARGE_O0, "-g"])
    assert verdict.interesting
    assert {r.section for r in verdict.relocations} == {".ltext"}


@pytest.mark.parametrize("compiler", ["clang19", "clang22"])
def test_small_model_r32_with_symbol_filter(
    tmp_path: Path, compiler: str, request: pytest.FixtureRequest
) -> None:
    argv = [request.getfixturevalue(compiler), *SMALL_O2]
    assert check(tmp_path, SMALL_SOURCE, "r_x86_64_32", argv, symbol="buf").interesting
    assert not check(tmp_path, SMALL_SOURCE, "r_x86_64_32", argv, symbol="other").interesting
    assert not check(tmp_path, SMALL_SOURCE, "r_x86_64_32s", argv).interesting


def test_target_section_filter(tmp_path: Path, clang19: str) -> None:
    argv = [clang19, *LARGE_O0]
    assert check(tmp_path, REPRODUCER, "r_x86_64_32s", argv, target_section="x").interesting
    verdict = check(tmp_path, REPRODUCER, "r_x86_64_32s", argv, target_section=".data")
    assert not verdict.interesting
    assert "against a symbol in .data" in verdict.reason


def test_compile_failure_is_not_interesting(tmp_path: Path, clang19: str) -> None:
    verdict = check(tmp_path, "int f( {", "abs32", [clang19, *LARGE_O0])
    assert not verdict.interesting and verdict.compile_failed
    assert "error" in verdict.reason


def test_script_oracle_runs_in_private_dir_with_original_name(tmp_path: Path) -> None:
    script = tmp_path / "check.sh"
    script.write_text("#!/bin/sh\ngrep -q needle original.c\n")
    script.chmod(0o755)
    workdir = tmp_path / "w"
    workdir.mkdir()
    candidate = workdir / "original.c"
    oracle = OracleSpec.parse(f"script:{script}").build(None)
    candidate.write_text("a needle here")
    assert oracle.check(candidate).interesting
    candidate.write_text("nothing")
    verdict = oracle.check(candidate)
    assert not verdict.interesting and "exited 1" in verdict.reason


def test_a_script_oracle_mentions_the_words_of_its_text(tmp_path: Path) -> None:
    from reducer.oracles.base import mentioned_words
    from reducer.oracles.differential import differential

    script = tmp_path / "check.sh"
    script.write_text("#!/bin/sh\nllvm-readelf -r t.o | grep -q 'R_X86_64_32S.*my_table'\n")
    script.chmod(0o755)
    oracle = OracleSpec.parse(f"script:{script}").build(None)
    words = mentioned_words(oracle)
    assert {"my_table", "R_X86_64_32S", "grep"} <= words and "32S" not in words
    assert mentioned_words(differential(oracle, oracle, "bad", "good")) == words
    # An oracle that names nothing mentions nothing; an unreadable script neither.
    abs32 = OracleSpec.parse("abs32").build(CompileCommand(("clang-19", "-c")))
    assert mentioned_words(abs32) == frozenset()
    script.unlink()
    assert mentioned_words(oracle) == frozenset()


def test_parse_flags_keep_what_changes_the_meaning_of_the_source() -> None:
    command = CompileCommand(
        ("clang", "-O2", "-Iinc", "-I", "/abs", "-DA=1", "-D", "B", "-UC", "-std=gnu11",
         "--target=x86_64-linux-gnu", "-include", "cfg.h", "-mcmodel=large", "-c", "-w"),
    )  # fmt: skip
    assert command.parse_flags() == (
        "-O2",
        f"-I{Path('inc').absolute()}",
        "-I",
        "/abs",
        "-DA=1",
        "-D",
        "B",
        "-UC",
        "-std=gnu11",
        "--target=x86_64-linux-gnu",
        "-include",
        str(Path("cfg.h").absolute()),
        "-mcmodel=large",
        "-w",
    )
    # What decides which code is an error or which #if branch is taken goes too; what
    # only the back end, the assembler or the linker read does not.
    kernel_like = CompileCommand(
        ("clang", "-O2", "-mno-sse", "-mllvm", "-x86-asm-syntax=intel", "-fno-PIE",
         "-funsigned-char", "-fms-extensions", "-fno-omit-frame-pointer", "-Wall",
         "-Wno-error=incompatible-function-pointer-types", "-Wl,--gc-sections", "-Wa,-q",
         "-Xclang", "-fno-pch-timestamp", "-fsanitize=address", "-g", "-c", "-o", "x.o"),
    )  # fmt: skip
    assert kernel_like.parse_flags() == (
        "-O2", "-mno-sse", "-fno-PIE", "-funsigned-char", "-fms-extensions", "-Wall",
        "-Wno-error=incompatible-function-pointer-types", "-fsanitize=address",
    )  # fmt: skip
    # A cc1 command's -m and -f words are cc1's own (some take a value): only the first set.
    cc1 = CompileCommand(("clang", "-cc1", "-mrelocation-model", "static", "-DX"), style="cc1")
    assert cc1.parse_flags() == ("-DX",)


def test_include_paths_become_absolute_and_other_flags_stay(tmp_path: Path) -> None:
    from reducer.compiler import absolute_paths

    here = Path.cwd()
    flags = ["-Iinc", "-I", "sub", "-I/abs", "-isystem", "sys", "-iquotequo", "-include",
             "cfg.h", "-include-pch", "x.pch", "--sysroot=root", "-DX=inc", "-O2", "-c"]  # fmt: skip
    assert absolute_paths(flags) == [
        f"-I{here / 'inc'}", "-I", str(here / "sub"), "-I/abs", "-isystem", str(here / "sys"),
        f"-iquote{here / 'quo'}", "-include", str(here / "cfg.h"), "-include-pch", "x.pch",
        f"--sysroot={here / 'root'}", "-DX=inc", "-O2", "-c",
    ]  # fmt: skip


@pytest.mark.compilers
def test_from_user_searches_the_source_directory_for_quoted_includes(tmp_path: Path) -> None:
    from tests.conftest import require_tool

    clang = require_tool("clang-19", "clang-19")
    command = CompileCommand.from_user([clang, "-c"], source_dir=tmp_path)
    assert command.argv[-2:] == ("-iquote", str(tmp_path))
    (tmp_path / "local.h").write_text("extern int helper;\n")
    elsewhere = tmp_path / "private"
    elsewhere.mkdir()
    (elsewhere / "a.c").write_text('#include "local.h"\nint f(void) { return helper; }\n')
    result = command.compile(elsewhere / "a.c", elsewhere / "a.o")
    assert result.returncode == 0, result.stderr

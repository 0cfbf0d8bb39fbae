"""LLVM IR as input: the command's style comes from the tool it names (llc, opt)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reducer.compiler import (
    OUTPUT_ASM,
    OUTPUT_OBJECT,
    STYLE_DRIVER,
    STYLE_LLC,
    STYLE_OPT,
    CompileCommand,
    style_of,
)
from reducer.errors import UsageError
from tests.conftest import require_tool, run_reduce


@pytest.mark.parametrize(
    ("program", "style"),
    [
        ("llc", STYLE_LLC),
        ("llc-19", STYLE_LLC),
        ("/usr/lib/llvm-22/bin/llc", STYLE_LLC),
        ("opt-22", STYLE_OPT),
        ("/usr/lib/llvm-19/bin/opt", STYLE_OPT),
        ("clang-19", STYLE_DRIVER),
        ("gcc", STYLE_DRIVER),
        ("llc-wrapper", STYLE_DRIVER),  # a user's own script: not guessed
        ("optimus", STYLE_DRIVER),
    ],
)
def test_style_comes_from_the_program_name(program: str, style: str) -> None:
    assert style_of(program) == style


def test_llc_command_gets_no_driver_flags(tmp_path: Path) -> None:
    if shutil.which("llc-19") is None:
        pytest.fail("llc-19 is not installed (scripts/install.sh installs llvm-19)")
    command = CompileCommand.from_user(["llc-19", "-O2"], source_dir=tmp_path)
    assert command.style == STYLE_LLC
    assert command.argv == ("llc-19", "-O2")  # no -iquote: llc would reject it
    source = tmp_path / "f.ll"
    source.write_text("define i32 @f(i32 %x) {\n  ret i32 %x\n}\n")
    result = command.compile(source, tmp_path / "f.o")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "f.o").read_bytes().startswith(b"\x7fELF")


def test_opt_writes_ir_not_objects(tmp_path: Path) -> None:
    if shutil.which("opt-19") is None:
        pytest.fail("opt-19 is not installed (scripts/install.sh installs llvm-19)")
    command = CompileCommand.from_user(["opt-19", "-passes=instcombine"], source_dir=tmp_path)
    assert command.style == STYLE_OPT
    source = tmp_path / "f.ll"
    source.write_text("define i32 @f(i32 %x) {\n  %y = add i32 %x, 0\n  ret i32 %y\n}\n")
    result = command.compile(source, tmp_path / "f.s", kind=OUTPUT_ASM)
    assert result.returncode == 0, result.stderr
    assert "ret i32 %x" in (tmp_path / "f.s").read_text()
    with pytest.raises(UsageError, match="opt-19 cannot write an object file"):
        command.compile(source, tmp_path / "f.o", kind=OUTPUT_OBJECT)


def test_fixed_tool_keeps_its_style() -> None:
    llc = CompileCommand(("llc-19", "-O2"), style=STYLE_LLC)
    assert llc.with_program("/usr/lib/llvm-22/bin/llc").style == STYLE_LLC
    assert CompileCommand(("clang-19", "-c")).with_program("clang-22").style == STYLE_DRIVER


# llc 19 cannot select llvm.canonicalize on x86-64 (llvm/llvm-project#32650; lowered
# since LLVM 20): a crash for llc-19, a clean compile for llc-22. The rest is filler
# the reduction must remove.
CANONICALIZE_IR = """\
target triple = "x86_64-unknown-linux-gnu"

@table = global [4 x float] zeroinitializer

define i32 @hash(i32 %k) {
  %a = mul i32 %k, 31
  %b = xor i32 %a, 7
  ret i32 %b
}

define float @canon(float %x) {
  %c = call float @llvm.canonicalize.f32(float %x)
  %p = getelementptr [4 x float], ptr @table, i64 0, i64 1
  store float %c, ptr %p
  %h = call i32 @hash(i32 3)
  ret float %c
}

declare float @llvm.canonicalize.f32(float)
"""
CANONICALIZE_ORACLE = "crash:Cannot select: .*fcanonicalize"



@pytest.fixture
def private_tmp(tmp_path: Path) -> Path:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return tmp


def test_ir_crash_for_llc_reduces_and_emits_a_verified_llc_test(
    tmp_path: Path, private_tmp: Path
) -> None:
    for tool in ("llc-19", "llc-22", "llvm-reduce-19", "FileCheck-19", "FileCheck-22"):
        require_tool(tool, "llvm-" + tool.rsplit("-", 1)[1])
    work = tmp_path / "work"
    work.mkdir()
    (work / "bug.ll").write_text(CANONICALIZE_IR)
    result = run_reduce(
        [
            "--oracle",
            CANONICALIZE_ORACLE,
            "--good-cc",
            "llc-22",
            "--emit",
            "out",
            "bug.ll",
            "--",
            "llc-19",
            "-O2",
        ],
        work,
        private_tmp,
    )
    assert result.returncode == 0, result.stderr
    assert (work / "bug.ll").read_text() == CANONICALIZE_IR  # the input is never touched
    reduced = (work / "bug.reduced.ll").read_text()
    assert "@llvm.canonicalize.f32" in reduced
    assert "@hash" not in reduced and "@table" not in reduced
    assert len(reduced) < len(CANONICALIZE_IR)
    emitted = (work / "out" / "bug.ll").read_text()
    assert "; RUN: llc < %s" in emitted
    assert "CHECK-LABEL: canon:" in emitted
    assert "clang" not in emitted.split("define")[0]  # an llc test, no front end
    # Every verification row came out as expected (exit 0 says so; the table shows it).
    assert "| no " not in result.stdout and "FAIL (crash" in result.stdout
    assert list(private_tmp.iterdir()) == []


def test_bitcode_input_is_reduced_as_text(tmp_path: Path, private_tmp: Path) -> None:
    require_tool("llc-19", "llvm-19")
    llvm_as = require_tool("llvm-as-19", "llvm-19")
    (tmp_path / "bug.ll").write_text(CANONICALIZE_IR)
    subprocess.run([llvm_as, "bug.ll", "-o", "bug.bc"], cwd=tmp_path, check=True, timeout=60)
    bitcode = (tmp_path / "bug.bc").read_bytes()
    result = run_reduce(
        ["-q", "--oracle", CANONICALIZE_ORACLE, "bug.bc", "--", "llc-19"], tmp_path, private_tmp
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bug.bc").read_bytes() == bitcode
    reduced = (tmp_path / "bug.reduced.ll").read_text()
    assert reduced.startswith("target triple") or "define float @canon" in reduced
    assert "@hash" not in reduced
    assert list(private_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "text", "command", "exit_code", "message"),
    [
        (
            "bad.ll",
            "define i32 @f( {\n",
            ["llc-19"],
            3,
            "bad.ll is not valid LLVM IR: bad.ll:2:1: error: expected type",
        ),
        (
            "bug.ll",
            CANONICALIZE_IR,
            ["opt-19", "-passes=instcombine"],
            2,
            "reads an object file, which opt-19 cannot write",
        ),
        ("bug.c", "int x;\n", ["llc-19"], 2, "llc-19 reads LLVM IR, not C"),
    ],
)
def test_bad_ir_input_is_one_line_and_writes_nothing(
    tmp_path: Path,
    private_tmp: Path,
    name: str,
    text: str,
    command: list[str],
    exit_code: int,
    message: str,
) -> None:
    require_tool(command[0], "llvm-19")
    (tmp_path / name).write_text(text)
    oracle = "r_x86_64_32s" if command[0].startswith("opt") else "crash"
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_reduce(
        ["--oracle", oracle, "--emit", "out", name, "--", *command], tmp_path, private_tmp
    )
    assert result.returncode == exit_code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no out/, no .reduced.ll
    assert list(private_tmp.iterdir()) == []

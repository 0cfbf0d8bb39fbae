"""LLVM IR as input: the command's style comes from the tool it names (llc, opt)."""

from __future__ import annotations

import shutil
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

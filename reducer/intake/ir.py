"""LLVM IR as the input: recognising it, reading bitcode as text, and finding the LLVM
tools that belong with the one the user named (llvm-dis, llvm-reduce).

A tool "belongs with" ``llc-19`` when it is in the same directory once symlinks are
resolved (Debian: /usr/bin/llc-19 -> /usr/lib/llvm-19/bin/llc, beside llvm-reduce), else
``<tool>-19`` on PATH: the IR is then read and reduced by the release that judges it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from reducer.compiler import takes_ir
from reducer.errors import CompilerError, CompilerNotFound, InputError
from reducer.inputs import BITCODE_MAGICS, read_bytes, read_source
from reducer.process import run_for_output, run_program

IR_SUFFIXES = (".ll", ".bc")
_VERSION_SUFFIX = re.compile(r"-(\d+)$")


def is_ir_input(path: Path, style: str) -> bool:
    """Whether ``path`` is reduced as LLVM IR: an IR tool reads it, or it is named so
    (clang compiles a .ll or .bc too)."""
    return takes_ir(style) or path.suffix in IR_SUFFIXES


def sibling_tool(program: str, tool: str) -> str | None:
    """``tool`` of the same LLVM release as ``program`` (see the module's docstring)."""
    found = shutil.which(program)
    if found is not None:
        beside = Path(os.path.realpath(found)).parent / tool
        if beside.is_file() and os.access(beside, os.X_OK):
            return str(beside)
    version = _VERSION_SUFFIX.search(Path(program).name)
    if version is not None:
        return shutil.which(f"{tool}-{version.group(1)}")
    return shutil.which(tool)


def require_sibling_tool(program: str, tool: str) -> str:
    found = sibling_tool(program, tool)
    if found is None:
        raise CompilerNotFound(
            f"{tool} of the same LLVM release as {program} not found (beside it, or as "
            f"{tool}-N on PATH)"
        )
    return found


def read_ir(path: Path, program: str, timeout: float) -> str:
    """The IR in ``path`` as text: textual IR as it is, bitcode disassembled by the
    llvm-dis that belongs with ``program``."""
    data = read_bytes(path)
    if not data.startswith(BITCODE_MAGICS):
        text = read_source(path)
        check_ir_parses(path, program, timeout)
        return text
    llvm_dis = require_sibling_tool(program, "llvm-dis")
    with tempfile.TemporaryDirectory(prefix="reducer-dis-") as tmp:
        output = Path(tmp) / "input.ll"
        try:
            return run_for_output(
                [llvm_dis, "-o", str(output), str(path.absolute())],
                output,
                f"llvm-dis on {path}",
                timeout=timeout,
            )
        except CompilerError as exc:
            raise InputError(f"{path}: not readable bitcode: {exc}") from None


def check_ir_parses(path: Path, program: str, timeout: float) -> None:
    """Refuse textual IR that does not parse (InputError naming the parser's first error),
    judged by the llvm-as that belongs with ``program``. A parser that crashes is not a
    refusal: the crash may be the bug being reduced. Without llvm-as nothing is checked."""
    llvm_as = sibling_tool(program, "llvm-as")
    if llvm_as is None:
        return
    with tempfile.TemporaryDirectory(prefix="reducer-as-") as tmp:
        try:
            result = run_program(
                [llvm_as, "-o", str(Path(tmp) / "input.bc"), str(path.absolute())],
                timeout=timeout,
                cwd=Path(tmp),
            )
        except OSError:
            return
    if result.returncode != 1:  # parsed (0), crashed (signal) or timed out (None)
        return
    errors = [
        line.strip()
        for line in result.stderr.decode("utf-8", errors="replace").splitlines()
        if "error:" in line
    ]
    first = errors[0] if errors else result.stderr_tail(1)
    # llvm-as names the file by the path it was given; the user knows it by theirs.
    first = first.replace(str(path.absolute()), str(path)).removeprefix(f"{llvm_as}: ")
    raise InputError(f"{path} is not valid LLVM IR: {first} (checked with {llvm_as})")

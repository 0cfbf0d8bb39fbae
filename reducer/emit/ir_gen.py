"""Turning the reduced C file into LLVM IR with the user's own clang and flags."""

from __future__ import annotations

import shutil
from pathlib import Path

from reducer.emit.driver import driver_flags
from reducer.errors import CompilerError
from reducer.process import run_program


def generate_ir(
    compile_argv: list[str] | tuple[str, ...], source: Path, workdir: Path, timeout: float
) -> str:
    """``clang <flags> -S -emit-llvm`` on a copy of ``source`` inside ``workdir``."""
    local = workdir / source.name
    if local.resolve() != source.resolve():
        shutil.copyfile(source, local)
    output = workdir / "clang-output.ll"
    argv = [
        compile_argv[0],
        *driver_flags(compile_argv),
        "-S",
        "-emit-llvm",
        "-o",
        output.name,
        local.name,
    ]
    try:
        result = run_program(argv, timeout=timeout, cwd=workdir)
    except OSError as exc:
        raise CompilerError(f"cannot run {compile_argv[0]}: {exc.strerror}") from exc
    if result.timed_out:
        raise CompilerError(f"{compile_argv[0]} -emit-llvm timed out after {timeout:g}s")
    if result.returncode != 0 or not output.is_file():
        raise CompilerError(f"{compile_argv[0]} -emit-llvm failed: {result.stderr_tail(4)}")
    return output.read_text(encoding="utf-8", errors="replace")

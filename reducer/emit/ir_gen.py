"""Turning the reduced C file into LLVM IR with the user's own clang and flags."""

from __future__ import annotations

import shutil
from pathlib import Path

from reducer.compiler import NO_CRASH_FILES
from reducer.emit.driver import driver_flags
from reducer.process import run_for_output


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
        *NO_CRASH_FILES,
        "-S",
        "-emit-llvm",
        "-o",
        output.name,
        local.name,
    ]
    return run_for_output(
        argv, output, f"{compile_argv[0]} -emit-llvm", timeout=timeout, cwd=workdir
    )

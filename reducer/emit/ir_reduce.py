"""Shrinking the IR further with llvm-reduce under the IR-level oracle.

llvm-reduce runs single-threaded (-j 1) so that, with a deterministic oracle, the same input
always gives the same output.
"""

from __future__ import annotations

from pathlib import Path

from reducer.emit.ir_oracle import IrOracleSpec, judge_text, write_script
from reducer.errors import CompilerError, NotInterestingError
from reducer.process import run_program


def reduce_ir(
    text: str, spec: IrOracleSpec, llvm_reduce: str, workdir: Path, timeout: float
) -> str:
    """Return llvm-reduce's result for ``text`` (which must already be interesting)."""
    first = judge_text(spec, text)
    if not first.interesting:
        raise NotInterestingError(f"the IR from clang is not interesting with llc: {first.reason}")
    source = workdir / "input.ll"
    source.write_text(text)
    script = write_script(spec, workdir)
    output = workdir / "reduced.ll"
    argv = [llvm_reduce, "-j", "1", f"--test={script}", "-o", str(output), str(source)]
    try:
        result = run_program(argv, timeout=timeout, cwd=workdir)
    except OSError as exc:
        raise CompilerError(f"cannot run {llvm_reduce}: {exc.strerror}") from exc
    if result.timed_out:
        raise CompilerError(f"llvm-reduce timed out after {timeout:g}s")
    if result.returncode != 0 or not output.is_file():
        raise CompilerError(
            f"llvm-reduce failed (exit {result.returncode}): {result.stderr_tail(4)}"
        )
    return output.read_text(encoding="utf-8", errors="replace")

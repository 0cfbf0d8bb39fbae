"""Shrinking the IR clang makes from a reduced C file with llvm-reduce, under the IR-level
oracle (reducer.emit.ir_oracle); llvm-reduce is driven by reducer.engine.llvm_reduce."""

from __future__ import annotations

from pathlib import Path

from reducer.emit.ir_oracle import IrOracleSpec, judge_text
from reducer.engine.llvm_reduce import run_llvm_reduce
from reducer.errors import NotInterestingError


def reduce_ir(
    text: str, spec: IrOracleSpec, llvm_reduce: str, workdir: Path, timeout: float
) -> str:
    """Return llvm-reduce's result for ``text`` (which must already be interesting)."""
    first = judge_text(spec, text)
    if not first.interesting:
        raise NotInterestingError(f"the IR from clang is not interesting with llc: {first.reason}")
    return run_llvm_reduce(
        text, lambda ir: judge_text(spec, ir), llvm_reduce, workdir, timeout
    ).text

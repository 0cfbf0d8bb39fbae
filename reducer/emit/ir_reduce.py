"""Shrinking the IR further with llvm-reduce under the IR-level oracle.

llvm-reduce runs single-threaded (-j 1) so that, with a deterministic oracle, the same input
always gives the same output. Its interestingness test asks a resident oracle in this process
(reducer.emit.interestingness_server) instead of starting Python for every candidate.
"""

from __future__ import annotations

from pathlib import Path

from reducer.emit.interestingness_server import ResidentOracle
from reducer.emit.ir_oracle import IrOracleSpec, judge_text
from reducer.errors import NotInterestingError
from reducer.process import run_for_output


def reduce_ir(
    text: str, spec: IrOracleSpec, llvm_reduce: str, workdir: Path, timeout: float
) -> str:
    """Return llvm-reduce's result for ``text`` (which must already be interesting)."""
    first = judge_text(spec, text)
    if not first.interesting:
        raise NotInterestingError(f"the IR from clang is not interesting with llc: {first.reason}")
    source = workdir / "input.ll"
    source.write_text(text)
    output = workdir / "reduced.ll"
    with ResidentOracle(spec) as oracle:
        script = oracle.write_test(workdir)
        argv = [llvm_reduce, "-j", "1", f"--test={script}", "-o", str(output), str(source)]
        return run_for_output(argv, output, "llvm-reduce", timeout=timeout, cwd=workdir)

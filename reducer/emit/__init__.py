"""Emitting upstream-ready LLVM regression tests for a reduced reproducer.

``emit_tests`` turns a reduced C file into an llvm/test/CodeGen/X86 ``.ll`` test (IR reduced
with llvm-reduce, cleaned, asm and relocation checks) and a clang/test/CodeGen ``.c`` test
(``%clang_cc1`` with the cc1 flags that matter), then runs both with lit against the affected
and the fixed toolchain and reports the outcome as a table.

Modules, one job each: driver (cc1 flags from ``clang -###``), ir_gen (C -> IR), ir_oracle
(the oracle at IR level; llvm-reduce's interestingness test), ir_reduce (llvm-reduce),
ir_cleanup (verified upstream clean-ups), utc / utc_llc (asm checks as
update_llc_test_checks.py writes them, and running llc for them), reloc_checks (FileCheck lines),
ll_test / c_test (the two test files), header (every test's header), mode (what a test
expects), reproducer (the emission value), toolchain / litsupport / verify (running lit),
pipeline (all of it together).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reducer.emit.pipeline import EmitReport, emit_tests

__all__ = ["EmitReport", "emit_tests"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `python -m reducer.emit.ir_oracle` (run hundreds of times by
    # llvm-reduce) does not pay for importing the whole pipeline.
    if name in __all__:
        from reducer.emit import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'reducer.emit' has no attribute {name!r}")

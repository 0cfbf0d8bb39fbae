"""``clang-symbol``: a clang/test/CodeGen ``.c`` test for a symbol the object references or
defines (the ``symbol:NAME`` oracle), run with ``%clang_cc1`` and the cc1 flags that matter.

Where the symbol already shows in the IR clang emits (a libcall the middle end formed, such
as LoopIdiomRecognize's strlen, or a function the front end kept), the test checks that IR
(``-emit-llvm``), as clang's own tests do; where only the object has it (a libcall the
backend lowers an intrinsic to, e.g. memcpy or __udivti3) it checks the object's symbol
table through ``llvm-readobj --symbols``. The expected clang (the fixed one, or the
affected one in lock-in mode) decides what is written: a name the expected output lacks is
forbidden in the whole output (see reducer/emit/absent.py)."""

from __future__ import annotations

import re

from reducer.emit import c_test
from reducer.emit.absent import absent_around
from reducer.emit.cc1 import Cc1
from reducer.emit.header import join_sections
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.emit.mode import Mode
from reducer.errors import CompilerError
from reducer.objects import require_object
from reducer.oracles.base import WatchesSymbol, capability
from reducer.process import run_program


def ir_mentions(ir: str, symbol: str) -> bool:
    """``@symbol`` as a whole global name: a call, a declaration or a definition."""
    return re.search(rf"@{re.escape(symbol)}(?![-\w$.])", ir) is not None


def ir_pattern(symbol: str) -> str:
    # "@strlen(" is the declaration and every call; not "@strlen_fast(" or "@strlen.1".
    return f"@{symbol}("


def symtab_pattern(symbol: str) -> str:
    return f"Name: {symbol} ("


def _ir(cc1: Cc1, prefix: tuple[str, ...], units: list[c_test.Unit]) -> str:
    command = cc1.command(prefix, units)
    result = run_program(
        [*command.argv, "-emit-llvm", "-o", "-", str(cc1.source)], timeout=command.timeout
    )
    if result.timed_out or result.returncode != 0:
        raise CompilerError(f"clang -cc1 -emit-llvm failed: {result.stderr_tail(3)}")
    return result.stdout.decode("utf-8", "replace")


def build(job: EmitJob) -> str:
    cc1 = Cc1.prepare(job, "symbol")
    units = cc1.minimal_units()
    affected_oracle = job.spec.build(cc1.command(cc1.affected_prefix, units))
    symbol = capability(affected_oracle, WatchesSymbol).symbol
    fixed_mode = job.mode is Mode.FIXED and cc1.fixed_prefix is not None
    seen = cc1.verdict(units).affected().reason
    affected_ir = _ir(cc1, cc1.affected_prefix, units)
    same = cc1.expected_prefix == cc1.affected_prefix  # lock-in: one clang, one compile
    expected_ir = affected_ir if same else _ir(cc1, cc1.expected_prefix, units)
    flags = " ".join(c_test.quote_unit(u) for u in units)
    if ir_mentions(affected_ir, symbol) and (
        not fixed_mode or not ir_mentions(expected_ir, symbol)
    ):
        level = "IR"
        run = f"%clang_cc1 {flags} -emit-llvm -o - %s | FileCheck %s"
        pattern = ir_pattern(symbol)
    else:
        level = "object"
        run = f"%clang_cc1 {flags} -emit-obj -o - %s | llvm-readobj --symbols - | FileCheck %s"
        pattern = symtab_pattern(symbol)
        if fixed_mode and any(
            s.name == symbol
            for s in require_object(cc1.command(cc1.expected_prefix, units), cc1.source).symbols
        ):
            raise CompilerError(
                f"the fixed clang's object has a symbol {symbol} too (in another form): "
                "a symbol-name test cannot tell the two apart"
            )
    if fixed_mode:
        anchor = "define" if level == "IR" else "Symbols ["
        checks = absent_around("//", "CHECK", [pattern], [anchor])
        about = [
            f"clang {job.affected.major}'s {level} has {symbol} (its object: {seen});",
            f"clang {job.fixed.major if job.fixed else '?'}'s must not.",
        ]
    else:
        checks = [f"// CHECK: {pattern}"]
        about = [f"No fixed toolchain was given: the test locks {symbol} in ({seen})."]
    header = job.header(".c", [run], requires=[c_test.REQUIRES_X86])
    return join_sections(
        header.lines(), [*header.comments(about), *checks], job.text.strip("\n").splitlines()
    )


register_test_kind(
    TestKind(
        "clang-symbol",
        ".c",
        "clang test for a symbol: %clang_cc1, IR checks (or llvm-readobj --symbols) on it",
        build,
    )
)

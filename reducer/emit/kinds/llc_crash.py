"""``llc-crash``: an llvm/test/CodeGen/X86 ``.ll`` test for a backend crash or fatal error.
The IR clang makes from the reduced C is reduced with llvm-reduce under the crash oracle
aimed at llc (differential when a fixed llc is known: it must compile what the affected
one crashes on). With a fixed llc the test must compile, its checks the fixed llc's
assembly (a crash fails it); without one it locks the crash in, as LLVM's ``not llc``
tests of fatal errors do (release builds exit 1 on report_fatal_error, so not ``--crash``).
A crash in the front end has no IR to reduce: that one is for a clang test."""

from __future__ import annotations

from reducer.emit import ll_test, utc
from reducer.emit.kinds.base import EmitJob, TestKind, register_test_kind
from reducer.emit.kinds.ir import expected_asm, reduced_ir


def build(job: EmitJob) -> str:
    ir = reduced_ir(job)
    seen = ir.verdict.affected().reason
    flags = " ".join(ir.llc_flags)
    lines = [ll_test.NOTE] if job.mode == "fixed" else []
    if job.xfail:
        lines.append(f"; XFAIL: {', '.join(job.xfail)}")
    if job.mode == "fixed" and job.fixed is not None:
        asm = expected_asm(job.fixed.require("llc"), ir, job.timeout)
        lines += [
            f"; RUN: llc < %s {flags} | FileCheck %s",
            "",
            f"; llc {job.affected.major} fails on this IR: {seen}",
            f"; llc {job.fixed.major} compiles it; the checks are its assembly.",
            "",
            *ir.text.rstrip("\n").splitlines(),
        ]
        return utc.update_test("\n".join(lines) + "\n", [asm])
    else:
        banner = seen.split(": ", 1)[-1].split(";")[0].strip()
        lines += [
            f"; RUN: not llc < %s {flags} -o /dev/null 2>&1 | FileCheck %s",
            "",
            f"; llc fails on this IR (no fixed toolchain was given): {seen}",
            f"; CHECK: {banner[:120]}" if banner else "; CHECK: error",
            "",
            *ir.text.rstrip("\n").splitlines(),
        ]
    return "\n".join(lines) + "\n"


register_test_kind(
    TestKind(
        "llc-crash",
        ".ll",
        "llc test for a backend crash: must compile (checks from the fixed llc), or not llc",
        build,
        fails_by_crash=True,
    )
)

"""``llc-crash``: an llvm/test/CodeGen/X86 ``.ll`` test for a backend crash or fatal error.
The IR clang makes from the reduced C is reduced with llvm-reduce under the crash oracle
aimed at llc (differential when a fixed llc is known: it must compile what the affected
one crashes on). With a fixed llc the test must compile, its checks the fixed llc's
assembly (a crash fails it); without one it locks the crash in, as LLVM's ``not llc``
tests of fatal errors do (release builds exit 1 on report_fatal_error, so not ``--crash``).
A crash in the front end has no IR to reduce: that one is for a clang test."""

from __future__ import annotations

from reducer.emit import ll_test, utc
from reducer.emit.header import join_sections
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.emit.llc_ir import expected_asm, reduced_ir
from reducer.emit.mode import Mode


def build(job: EmitJob) -> str:
    ir = reduced_ir(job)
    seen = ir.verdict.affected().reason
    flags = " ".join(ir.llc_flags)
    body = ir.text.rstrip("\n").splitlines()
    if job.mode is Mode.FIXED and job.fixed is not None:
        asm = expected_asm(job.fixed.require("llc"), ir, job.timeout)
        header = job.header(".ll", [f"llc < %s {flags} | FileCheck %s"], note=ll_test.NOTE)
        about = [
            f"llc {job.affected.major} fails on this IR: {seen}",
            f"llc {job.fixed.major} compiles it; the checks are its assembly.",
        ]
        return utc.update_test(join_sections(header.lines(), header.comments(about), body), [asm])
    banner = seen.split(": ", 1)[-1].split(";")[0].strip()
    header = job.header(".ll", [f"not llc < %s {flags} -o /dev/null 2>&1 | FileCheck %s"])
    about = [
        f"llc fails on this IR (no fixed toolchain was given): {seen}",
        f"CHECK: {banner[:120]}" if banner else "CHECK: error",
    ]
    return join_sections(header.lines(), header.comments(about), body)


register_test_kind(
    TestKind(
        "llc-crash",
        ".ll",
        "llc test for a backend crash: must compile (checks from the fixed llc), or not llc",
        build,
        fails_by_crash=True,
    )
)

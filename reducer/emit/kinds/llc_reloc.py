"""``llc-reloc``: an llvm/test/CodeGen/X86 ``.ll`` test. The IR clang makes from the reduced
C is reduced with llvm-reduce under the same oracle aimed at llc (differential when a fixed
llc is known), cleaned up, and checked twice: the asm (update_llc_test_checks style, from
the expected llc) and the relocations (``-filetype=obj | llvm-readobj -r``)."""

from __future__ import annotations

from reducer.compiler import STYLE_LLC, CompileCommand
from reducer.emit import ll_test
from reducer.emit.kinds.base import EmitJob, TestKind, register_test_kind
from reducer.emit.kinds.ir import expected_asm, expected_llc, reduced_ir
from reducer.emit.kinds.relocs import describe, expectation


def build(job: EmitJob) -> str:
    ir = reduced_ir(job)
    truth = expected_llc(job, ir)
    # Without a fixed llc the asm would encode the bug ("assumed" mode): no asm checks.
    asm = expected_asm(truth, ir, job.timeout) if job.mode != "assumed" else None
    wanted = expectation(
        job,
        ir.spec.command(ir.spec.affected_llc),
        CompileCommand((truth, *ir.llc_flags), job.timeout, STYLE_LLC),
        ir.path,
        ir.verdict.relocations,
        ".ll",
    )
    test = ll_test.LlTest(
        ir=ir.text,
        llc_flags=ir.llc_flags,
        asm=asm,
        reloc=wanted,
        description=describe(job.settings, wanted, job.mode),
        c_source=job.text,
        xfail=job.xfail,
    )
    return ll_test.render_ll_test(test)


register_test_kind(
    TestKind(
        "llc-reloc",
        ".ll",
        "llc test: llvm-reduce'd IR, asm checks and llvm-readobj -r relocation checks",
        build,
    )
)

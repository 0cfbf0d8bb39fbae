"""``llc-reloc``: an llvm/test/CodeGen/X86 ``.ll`` test. The IR clang makes from the reduced
C is reduced with llvm-reduce under the same oracle aimed at llc (differential when a fixed
llc is known), cleaned up, and checked twice: the asm (update_llc_test_checks style, from
the expected llc) and the relocations (``-filetype=obj | llvm-readobj -r``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from reducer.compiler import STYLE_LLC, CompileCommand
from reducer.emit import asm_checks, ir_cleanup, ll_test
from reducer.emit.ir_gen import generate_ir
from reducer.emit.ir_oracle import IrOracleSpec, judge_text, undefined_behaviour_counts
from reducer.emit.ir_reduce import reduce_ir
from reducer.emit.kinds.base import EmitJob, TestKind, register_test_kind
from reducer.emit.kinds.relocs import describe, expectation
from reducer.errors import CompilerError
from reducer.process import run_program


def build(job: EmitJob) -> str:
    ir_dir = job.workdir / "ir"
    ir_dir.mkdir()
    clang_ir = generate_ir(list(job.compile.argv), job.source, ir_dir, job.timeout)
    base_flags = tuple(job.settings.llc_flags())
    spec = IrOracleSpec(
        oracle=job.spec,
        affected_llc=job.affected.require("llc"),
        fixed_llc=job.fixed.require("llc") if job.fixed else None,
        flags=base_flags,
        allowed_ub=undefined_behaviour_counts(clang_ir),
    )
    reduced = reduce_ir(
        clang_ir, spec, job.affected.require("llvm-reduce"), ir_dir, job.timeout * 40
    )

    def interesting(state: ir_cleanup.IrState, flags: tuple[str, ...] = base_flags) -> bool:
        return judge_text(replace(spec, flags=state.llc_flags(flags)), state.text).interesting

    log = ir_cleanup.CleanupLog()
    state = ir_cleanup.clean_ir(ir_cleanup.IrState(reduced), interesting, log)
    flags = base_flags
    for flag in [f for f in base_flags if f.startswith("-large-data-threshold=")]:
        trial = tuple(f for f in flags if f != flag)
        if interesting(state, trial):
            flags = trial
            log.applied.append(f"dropped llc flag {flag}")
    job.notes.append("IR clean-ups kept: " + (", ".join(log.applied) or "none"))
    if log.dropped:
        job.notes.append(
            "IR clean-ups dropped (they lost the behaviour): " + ", ".join(log.dropped)
        )
    llc_flags = state.llc_flags(flags)
    final_spec = replace(spec, flags=llc_flags)
    final = judge_text(final_spec, state.text)
    if not final.interesting:
        raise CompilerError(f"the cleaned IR is no longer interesting: {final.reason}")

    final_ll = ir_dir / "final.ll"
    final_ll.write_text(state.text)
    expected_llc = (
        job.fixed.require("llc") if job.mode == "fixed" and job.fixed else spec.affected_llc
    )
    asm_checks_by_function: dict[str, list[str]] | None = None
    if job.mode != "assumed":
        asm = _llc_asm(expected_llc, llc_flags, final_ll, job.timeout)
        bodies = asm_checks.function_bodies(asm)
        runs = [asm_checks.RunOutput((ll_test.ASM_PREFIX,), bodies)]
        asm_checks_by_function = {
            name: asm_checks.check_lines(name, runs) for name in asm_checks.function_names(asm)
        }
    wanted = expectation(
        job,
        final_spec.command(spec.affected_llc),
        CompileCommand((expected_llc, *llc_flags), job.timeout, STYLE_LLC),
        final_ll,
        final.relocations,
        ".ll",
    )
    test = ll_test.LlTest(
        ir=state.text,
        llc_flags=llc_flags,
        asm_checks=asm_checks_by_function,
        reloc=wanted,
        description=describe(job.settings, wanted, job.mode),
        c_source=job.text,
        xfail=job.xfail,
    )
    return ll_test.render_ll_test(test)


def _llc_asm(llc: str, flags: Sequence[str], ir: Path, timeout: float) -> str:
    result = run_program([llc, *flags, "-o", "-", str(ir)], timeout=timeout)
    if result.timed_out or result.returncode != 0:
        raise CompilerError(f"{llc} failed to produce assembly: {result.stderr_tail(3)}")
    return result.stdout.decode("utf-8", "replace")


register_test_kind(
    TestKind(
        "llc-reloc",
        ".ll",
        "llc test: llvm-reduce'd IR, asm checks and llvm-readobj -r relocation checks",
        build,
    )
)

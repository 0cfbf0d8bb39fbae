"""``llc-miscompile``: an llvm/test/CodeGen/X86 ``.ll`` test for a back-end miscompile (the
``miscompile`` oracle, when reducer.emit.miscompile_route finds the wrong code in llc).

The IR is clang's optimised IR of the reduced C (what enters codegen), reduced with
llvm-reduce under the IR-level miscompile oracle with llc as the step
(reducer.emit.ir_miscompile: the affected and the fixed llc write different function
bodies; the affected llc's assembly, assembled, linked and run, behaves differently from
the unoptimised IR's -O0 build, and the fixed llc's and the module's own -O2 build behave
as it does), cleaned for upstream, and run with the fewest llc flags that keep the bug.
The RUN line is ``llc < %s -mtriple=... | FileCheck %s`` and the checks are the fixed llc's
output, as update_llc_test_checks.py writes them (reducer.emit.utc_llc). Needs a fixed
toolchain: its clang builds the programs, its llc writes the checks.
"""

from __future__ import annotations

from dataclasses import replace

from reducer.emit import ir_cleanup, ll_test, utc_llc
from reducer.emit.header import join_sections
from reducer.emit.ir_gen import generate_ir
from reducer.emit.ir_miscompile import (
    STEP_LLC,
    IrMiscompileSpec,
    judge_text,
    spec_for_job,
    stable_difference,
)
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.emit.llc_ir import drop_optional_flags, flags_llc_accepts, restore_dso_local
from reducer.engine.llvm_reduce import run_llvm_reduce
from reducer.errors import CompilerError, UsageError
from reducer.oracles.ir_undefined import undefined_behaviour_counts
from reducer.verdict import Verdict

# The triple upstream's X86 codegen tests name when the OS does not matter.
GENERIC_TRIPLE = "x86_64--"


NAME = "llc-miscompile"


def llc_spec(job: EmitJob, start_ir: str, flags: tuple[str, ...]) -> IrMiscompileSpec:
    """The IR-level oracle with llc as the step, for ``job``'s toolchains."""
    return spec_for_job(
        job,
        "llc",
        NAME,
        allowed_ub=undefined_behaviour_counts(start_ir),
        step=STEP_LLC,
        llc_flags=flags,
    )


def codegen_ir(job: EmitJob, name: str) -> tuple[str, IrMiscompileSpec]:
    """clang's optimised IR of the reduced C (in a new private directory ``name``) and the
    llc oracle with the llc flags its cc1 line implies (those the fixed llc knows)."""
    if job.ir_input:
        raise UsageError("an llc-miscompile test starts from C (the IR comes from clang)")
    work = job.workdir / name
    work.mkdir()
    start = generate_ir(list(job.compile.argv), job.source, work, job.timeout)
    fixed_llc = job.fixed.require("llc") if job.fixed else job.affected.require("llc")
    flags = flags_llc_accepts(fixed_llc, tuple(job.settings.llc_flags()), work, job.timeout)
    return start, llc_spec(job, start, flags)


def judge_state(
    spec: IrMiscompileSpec, state: ir_cleanup.IrState, flags: tuple[str, ...]
) -> Verdict:
    return judge_text(replace(spec, llc_flags=state.llc_flags(flags)), state.text)


def build(job: EmitJob) -> str:
    start, spec = codegen_ir(job, NAME)
    first = judge_text(spec, start)
    if not first.interesting:
        raise CompilerError(f"clang's optimised IR is not interesting for llc: {first.reason}")
    reduce_dir = job.workdir / NAME / "reduce"
    reduce_dir.mkdir()
    run = run_llvm_reduce(
        start,
        lambda text: judge_text(spec, text),
        job.affected.require("llvm-reduce"),
        reduce_dir,
        job.timeout * 40,
    )
    job.notes.append(
        f"llvm-reduce under the IR oracle (llc): {run.calls} calls, {run.interesting} "
        f"interesting, {run.seconds:.0f}s"
    )
    base = spec.llc_flags
    log = ir_cleanup.CleanupLog()
    interesting = lambda s: judge_state(spec, s, base).interesting  # noqa: E731
    state = ir_cleanup.clean_ir(ir_cleanup.IrState(run.text), interesting, log)
    state = restore_dso_local(start, state, interesting, log)
    if state.mtriple and state.mtriple != GENERIC_TRIPLE:
        generic = replace(state, mtriple=GENERIC_TRIPLE)
        if judge_state(spec, generic, base).interesting:
            state = generic
            log.applied.append(f"-mtriple={GENERIC_TRIPLE}")
    flags = drop_optional_flags(
        base, False, lambda trial: judge_state(spec, state, trial).interesting, log
    )
    job.notes.append("IR clean-ups kept: " + (", ".join(log.applied) or "none"))
    llc_flags = state.llc_flags(flags)
    final_spec = replace(spec, llc_flags=llc_flags)
    final = judge_text(final_spec, state.text)
    if not final.interesting:
        raise CompilerError(f"the cleaned IR is no longer interesting: {final.reason}")
    affected, fixed = job.affected.major, job.fixed.major if job.fixed else "?"
    about = [
        f"llc {affected} miscompiles this module: a program built from its assembly differs",
        f"from the unoptimised IR's ({stable_difference(final_spec, final, state.text)}).",
        f"llc {fixed}'s assembly runs as the unoptimised IR does; the checks are llc {fixed}'s.",
    ]
    run_line = " ".join(["llc < %s", *llc_flags, "| FileCheck %s"])
    header = job.header(".ll", [run_line], note=ll_test.NOTE)
    test = join_sections(
        header.lines(), header.comments(about), state.text.rstrip("\n").splitlines()
    )
    return utc_llc.update_test_with_llc(test, spec.fixed_tool, job.timeout)


register_test_kind(
    TestKind(
        NAME,
        ".ll",
        "llc test for a back-end miscompile: clang's optimised IR, llvm-reduce'd under the "
        "run-time oracle at IR level with llc as the step, checks from the fixed llc",
        build,
    )
)

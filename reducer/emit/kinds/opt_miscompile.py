"""``opt-miscompile``: an llvm/test/Transforms/<Pass> ``.ll`` test for a middle-end
miscompile (the ``miscompile`` oracle).

The IR is clang's just before the pass that writes the wrong IR (reducer.emit.opt_pass),
reduced with llvm-reduce under the IR-level miscompile oracle
(reducer.emit.ir_miscompile: that one pass, run by the affected and the fixed opt,
gives different function bodies; the affected output's program runs wrongly, the fixed
one's and the module's own run as the unoptimised IR's), so the test keeps the bug and
not only an IR difference. The RUN line is ``opt < %s -passes=<pass> -S | FileCheck %s``
and the checks are the fixed opt's output, written as update_test_checks.py writes them
(reducer.emit.utc_opt). Needs a fixed toolchain: its clang is the trusted compiler that
builds the programs, its opt writes the checks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reducer.emit import ir_cleanup, utc_opt
from reducer.emit.header import join_sections
from reducer.emit.ir_miscompile import (
    IrMiscompileSpec,
    judge_text,
    spec_for_job,
    stable_difference,
)
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.emit.opt_pass import IrStart, earlier_start, find_ir_start, pass_name
from reducer.engine.llvm_reduce import run_llvm_reduce
from reducer.errors import CompilerError, UsageError
from reducer.oracles.ir_undefined import undefined_behaviour_counts
from reducer.process import run_program

NAME = "opt-miscompile"


def fixed_output(opt: str, test: str, timeout: float) -> str:
    """The fixed opt's output for the test's RUN line, the test on stdin (as the script)."""
    [run] = utc_opt.opt_run_lines(test)
    result = run_program(run.argv(opt), timeout=timeout, stdin=test.encode("utf-8"))
    if result.returncode != 0:
        raise CompilerError(f"{opt} failed on the test: {result.stderr_tail(3)}")
    return result.stdout.decode("utf-8", "replace")


# Earlier pass classes tried in front of an innocent pass (each: one clang -emit-llvm
# and one IR-level judgement, ~1 s).
EARLIER_TRIES = 8


def with_earlier_pass(
    job: EmitJob, spec: IrMiscompileSpec, start: IrStart, work: Path
) -> tuple[IrMiscompileSpec, str] | None:
    """A two-pass pipeline (an earlier pass on the same function, then the one the IR
    bisection named) and the IR before the earlier pass, when that is interesting at IR
    level: the named pass trusted a fact the earlier one wrote wrongly (opt_pass's doc)."""
    for number, class_name in start.earlier[:EARLIER_TRIES]:
        text = earlier_start(job.compile.argv, job.source, number, work, job.timeout)
        try:
            name = pass_name(class_name, spec.affected_tool, work / "limit0.ll", job.timeout)
        except CompilerError:
            continue
        pipeline = replace(
            spec, passes=f"{name},{spec.passes}", allowed_ub=undefined_behaviour_counts(text)
        )
        if judge_text(pipeline, text).interesting:
            job.notes.append(
                f"{start.class_name} alone writes the same IR in both opts: with "
                f"{class_name} (pass #{number}) before it, opt -passes={pipeline.passes}"
            )
            return pipeline, text
    return None


def build(job: EmitJob) -> str:
    if job.ir_input:
        raise UsageError("an opt-miscompile test starts from C (the IR comes from clang)")
    spec = spec_for_job(job, "opt", NAME)
    work = job.workdir / "opt"
    work.mkdir()
    start = find_ir_start(job.compile.argv, job.source, spec, work)
    name = pass_name(start.class_name, spec.affected_tool, work / "limit0.ll", job.timeout)
    spec = replace(spec, passes=name, allowed_ub=undefined_behaviour_counts(start.text))
    job.notes.append(f"IR pass: {start.describe()}; opt -passes={name}")
    first = judge_text(spec, start.text)
    if not first.interesting:
        found = with_earlier_pass(job, spec, start, work)
        if found is None:
            raise CompilerError(
                f"the IR before {start.class_name} is not interesting at IR level, nor with "
                f"one of the {EARLIER_TRIES} passes before it on {start.function} in front: "
                f"{first.reason}"
            )
        spec, text = found
        name = spec.passes
        start = replace(start, text=text)
    reduce_dir = work / "reduce"
    reduce_dir.mkdir()
    run = run_llvm_reduce(
        start.text,
        lambda text: judge_text(spec, text),
        job.affected.require("llvm-reduce"),
        reduce_dir,
        job.timeout * 40,
    )
    job.notes.append(
        f"llvm-reduce under the IR oracle: {run.calls} calls, {run.interesting} interesting, "
        f"{run.seconds:.0f}s"
    )
    log = ir_cleanup.CleanupLog()
    state = ir_cleanup.clean_ir(
        ir_cleanup.IrState(run.text), lambda s: judge_text(spec, s.text).interesting, log
    )
    text = state.text
    if state.mtriple and state.mtriple not in text:
        # the clean-up moves the triple to llc flags; an opt test keeps it in the file
        text = f'target triple = "{state.mtriple}"\n\n{text}'
    final = judge_text(spec, text)
    if not final.interesting:
        raise CompilerError(f"the cleaned IR is no longer interesting: {final.reason}")
    job.notes.append("IR clean-ups kept: " + (", ".join(log.applied) or "none"))
    affected, fixed = job.affected.major, job.fixed.major
    about = [
        f"opt {affected} -passes={name} miscompiles @main: a program built from its output",
        f"differs from the unoptimised IR's ({stable_difference(spec, final, text)}).",
        f"opt {fixed}'s output runs as the unoptimised IR does; the checks are opt {fixed}'s output.",
    ]
    header = job.header(".ll", [f"opt < %s -passes={name} -S | FileCheck %s"], note=utc_opt.NOTE)
    test = join_sections(header.lines(), header.comments(about), text.rstrip("\n").splitlines())
    return utc_opt.regenerate(test, fixed_output(spec.fixed_tool, test, job.timeout))


register_test_kind(
    TestKind(
        NAME,
        ".ll",
        "opt test for a middle-end miscompile: IR before the guilty pass, llvm-reduce'd under "
        "the run-time oracle at IR level, checks from the fixed opt",
        build,
    )
)

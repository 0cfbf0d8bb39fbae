"""What the llc test kinds share: the IR clang makes from the reduced C, reduced with
llvm-reduce under the oracle aimed at llc (differential when a fixed llc is known), cleaned
for upstream, and the llc flags it needs."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reducer.emit import ir_cleanup, ll_test, utc
from reducer.emit.ir_gen import generate_ir
from reducer.emit.ir_oracle import IrOracleSpec, judge_text
from reducer.emit.ir_reduce import reduce_ir
from reducer.emit.job import EmitJob
from reducer.errors import CompilerError
from reducer.oracles.ir_undefined import undefined_behaviour_counts
from reducer.process import run_program
from reducer.verdict import Verdict


@dataclass(frozen=True)
class ReducedIr:
    text: str  # cleaned IR
    path: Path  # where it is written, in the kind's private directory
    llc_flags: tuple[str, ...]
    spec: IrOracleSpec  # the oracle at IR level, with these flags
    verdict: Verdict  # what it says about the final IR


def reduced_ir(job: EmitJob) -> ReducedIr:
    """The test's IR: clang's IR of the reduced C, or the reduced IR the user gave with
    its llc command, reduced (again) under the IR oracle's stricter rules and cleaned."""
    ir_dir = job.workdir / "ir"
    ir_dir.mkdir()
    start_ir, base_flags = starting_ir(job, ir_dir)
    spec = IrOracleSpec(
        oracle=job.spec,
        affected_llc=job.affected.require("llc"),
        fixed_llc=job.fixed.require("llc") if job.fixed else None,
        flags=base_flags,
        allowed_ub=undefined_behaviour_counts(start_ir),
    )
    reduced = reduce_ir(
        start_ir, spec, job.affected.require("llvm-reduce"), ir_dir, job.timeout * 40
    )

    def interesting(state: ir_cleanup.IrState, flags: tuple[str, ...] = base_flags) -> bool:
        return judge_text(replace(spec, flags=state.llc_flags(flags)), state.text).interesting

    log = ir_cleanup.CleanupLog()
    state = ir_cleanup.clean_ir(ir_cleanup.IrState(reduced), interesting, log)
    state = restore_dso_local(start_ir, state, interesting, log)
    flags = drop_optional_flags(
        base_flags, job.spec.kind.relocations, lambda trial: interesting(state, trial), log
    )
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
    path = ir_dir / "final.ll"
    path.write_text(state.text)
    return ReducedIr(state.text, path, llc_flags, final_spec, final)


def restore_dso_local(
    start_ir: str,
    state: ir_cleanup.IrState,
    still_interesting: Callable[[ir_cleanup.IrState], bool],
    log: ir_cleanup.CleanupLog,
) -> ir_cleanup.IrState:
    """``state`` with dso_local put back where clang's IR had it (its -fno-pic IR does;
    llvm-reduce takes it out), when the IR stays interesting."""
    if "dso_local" not in start_ir:
        return state
    marked = replace(state, text=ir_cleanup.add_dso_local(state.text))
    if marked != state and still_interesting(marked):
        log.applied.append("dso_local as clang wrote it")
        return marked
    return state


def drop_optional_flags(
    flags: tuple[str, ...],
    keep_models: bool,
    still_interesting: Callable[[tuple[str, ...]], bool],
    log: ir_cleanup.CleanupLog,
) -> tuple[str, ...]:
    """``flags`` without those upstream tests leave out when the bug shows without them:
    llc's default -O (2), the large-data threshold, and the code and relocation models
    unless ``keep_models`` (an oracle that reads relocations: they are then the story the
    test tells, and its sweep); a driver's default -relocation-model=pic in a backend
    bug's RUN line only says which clang the IR came from."""
    prefixes: tuple[str, ...] = ("-large-data-threshold=", "-O")
    if not keep_models:
        prefixes += ("-relocation-model=", "-code-model=")
    for flag in [f for f in flags if f.startswith(prefixes)]:
        trial = tuple(f for f in flags if f != flag)
        if still_interesting(trial):
            flags = trial
            log.applied.append(f"dropped llc flag {flag}")
    return flags


def starting_ir(job: EmitJob, workdir: Path) -> tuple[str, tuple[str, ...]]:
    """The IR the llc kinds start from and its llc flags: the user's IR with their llc
    flags, or clang's IR of the reduced C with the flags its cc1 line implies (without
    those the fixed llc does not know)."""
    if job.ir_input:
        start_ir = job.text
        flags = tuple(job.compile.argv[1:])
    else:
        start_ir = generate_ir(list(job.compile.argv), job.source, workdir, job.timeout)
        flags = tuple(job.settings.llc_flags())
    if job.fixed is not None:
        flags = flags_llc_accepts(job.fixed.require("llc"), flags, workdir, job.timeout)
    return start_ir, flags


_UNKNOWN_FLAG = re.compile(r"Unknown command line argument '(-[^'=]+)")


def flags_llc_accepts(
    llc: str, flags: tuple[str, ...], workdir: Path, timeout: float
) -> tuple[str, ...]:
    """``flags`` without those ``llc`` rejects as unknown. The settings come from the
    affected clang's cc1 line, and an older fixed llc may predate one of them (llc-16 has
    no -large-data-threshold); the IR oracle then still asks whether the affected llc shows
    the bug without it."""
    probe = workdir / "flags-probe.ll"
    probe.write_text("")
    kept = flags
    for _ in range(len(flags)):
        result = run_program([llc, *kept, "-o", os.devnull, str(probe)], timeout=timeout)
        unknown = _UNKNOWN_FLAG.search(result.stderr.decode("utf-8", "replace"))
        if result.returncode == 0 or unknown is None:
            break
        name = unknown.group(1)
        kept = tuple(f for f in kept if f.split("=", 1)[0] != name)
    return kept


def expected_llc(job: EmitJob, ir: ReducedIr) -> str:
    """The llc whose output is the truth: the fixed one, or in lock-in the affected."""
    return job.mode.expected(ir.spec.affected_llc, job.fixed.require("llc") if job.fixed else None)


def llc_asm(llc: str, flags: Sequence[str], ir: Path, timeout: float) -> str:
    result = run_program([llc, *flags, "-o", "-", str(ir)], timeout=timeout)
    if result.timed_out or result.returncode != 0:
        raise CompilerError(f"{llc} failed to produce assembly: {result.stderr_tail(3)}")
    return result.stdout.decode("utf-8", "replace")


def expected_asm(llc: str, ir: ReducedIr, timeout: float) -> str:
    """``llc``'s output for the test's asm RUN line (``llc < %s FLAGS``): what
    ``utc.update_test`` turns into checks. The IR file holds the same IR as the test, so
    the function bodies are the ones update_llc_test_checks.py would see."""
    return llc_asm(llc, ir.llc_flags, ir.path, timeout)


def asm_check_lines(llc: str, ir: ReducedIr, timeout: float) -> dict[str, list[str]]:
    """Per function, the check lines update_llc_test_checks.py puts after its ``define``
    line for one ``| FileCheck %s`` RUN line. Prefer ``utc.update_test`` on the whole test
    text, which also does the script's clean-ups around them."""
    return utc.function_check_lines(expected_asm(llc, ir, timeout), ll_test.ASM_PREFIX)

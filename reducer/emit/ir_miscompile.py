"""The miscompile oracle at IR level: one step of the compiler, run by the affected tool and
the fixed one, and the programs their outputs build. The step is one middle-end pass
(``opt -passes=PASS -S``: the opt-miscompile test) or the whole back end (``llc FLAGS``,
whose assembly the trusted clang assembles and links: the llc-miscompile test).

A module is interesting iff, in this order (cheapest refusals first):

1. it defines ``i32 main()`` without parameters (llvm-reduce turns operands into arguments,
   and main's, like a void main's exit status, would be whatever the start-up code
   or the last call leaves in registers), and has no more
   undefined behaviour of the kinds llvm-reduce invents than the IR it
   started from (reducer.oracles.ir_undefined);
2. the step succeeds with both tools and their outputs differ in some function body (what
   the emitted test's checks will see: IR bodies for opt, scrubbed asm bodies for llc);
3. the affected tool's output, built by a trusted compiler (the fixed clang at -O2) and
   run, behaves differently from the reference: the module itself built by the fixed
   clang at -O0;
4. the reference behaves the same on a second run;
5. the fixed tool's output, built and run the same way, behaves as the reference does;
6. the module itself, built by the trusted compiler at -O2, behaves as the reference does.

Every build links the C oracle's libc screen (a NULL ``%s`` is undefined, and glibc's
"(null)" hides it), and a reference run it stops is refused. Steps 5 and 6 are the
IR-level UB screen proper. LLVM IR has no sanitizers, and llvm-reduce
drifts into poison as a C reducer drifts into UB: a module whose value is poison before
the pass (a call whose result breaks its ``range``, a ``shl nsw`` that overflows) gives
the same wrong answer after any correct pass and at any optimisation level, so a correct
compiler's -O2 build of the module, and the fixed pass's output, must both agree with
the -O0 reference. What is left is a module that a correct optimiser leaves correct and
the affected pass makes wrong. (-O0 codegen exploits no value facts, so the reference
does not depend on them.)

What the screen cannot see: poison that no correct compiler exploits in this module. A
``range`` already broken before the pass (``or i32 %x, 126`` feeding a funnel shift whose
``range(i32 -4, 2)`` was right for ``or i32 %x, -2``) prints the right low byte at -O0 and
after opt-22 and clang-22 -O2 alike, so the module passes although opt-19 may legally
exploit it (measured). An instrumented reference run (a check after every ``range`` call,
every ``nsw``/``nuw``/``exact`` instruction) would close that gap; not done yet.

Every build and run happens in a private directory; runs get a closed stdin, a minimal
environment and a timeout, as the C-level oracle's do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import NO_CRASH_FILES, private_env
from reducer.emit.job import EmitJob
from reducer.emit.utc import asm_functions, scrub_x86
from reducer.emit.utc_opt import opt_functions
from reducer.errors import UsageError
from reducer.oracles.ir_undefined import NO_UB, more_undefined_behaviour
from reducer.oracles.miscompile import (
    DEFAULT_RUN_TIMEOUT,
    RUN_ENV,
    Run,
    difference,
    libc_screen_source,
    same_behaviour,
    sanitizer_report,
)
from reducer.process import run_program
from reducer.scratch import with_candidate
from reducer.verdict import Verdict

_MAIN = re.compile(r"^define\b([^@\n]*)@main\((.*?)\)", re.M)
_RETURNS_I32 = re.compile(r"\bi32\s*$")
_METADATA = re.compile(r",? !(?!range\b)[\w.]+ !\d+")
_COMMENT = re.compile(r"\s*;.*")


def function_bodies(opt_output: str) -> dict[str, list[str]]:
    """Each function's body as the checks compare it: scrubbed, comments and metadata
    attachments out (the two opts number metadata differently)."""
    return {
        f.name: [_METADATA.sub("", _COMMENT.sub("", line)) for line in f.body.splitlines()]
        for f in opt_functions(opt_output)
    }


def bodies_differ(affected: str, fixed: str) -> bool:
    return function_bodies(affected) != function_bodies(fixed)


def asm_bodies_differ(affected: str, fixed: str) -> bool:
    """llc outputs differ in a function body as update_llc_test_checks.py checks it."""

    def bodies(asm: str) -> dict[str, str]:
        return {name: scrub_x86(body) for name, body in asm_functions(asm)}

    return bodies(affected) != bodies(fixed)


STEP_OPT, STEP_LLC = "opt", "llc"


@dataclass(frozen=True)
class IrMiscompileSpec:
    """Everything needed to judge one module."""

    passes: str  # the -passes= pipeline: the guilty pass (the opt step)
    affected_tool: str  # the affected opt (or llc)
    fixed_tool: str
    clang: str  # the trusted compiler that builds and links (the fixed toolchain's clang)
    timeout: float  # each opt, llc or clang run
    run_timeout: float = 5.0
    compare_stderr: bool = False
    allowed_ub: tuple[int, ...] = NO_UB
    step: str = STEP_OPT  # STEP_OPT: opt -passes=PASS -S; STEP_LLC: llc LLC_FLAGS
    llc_flags: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.step == STEP_LLC:
            return "llc " + " ".join(self.llc_flags) if self.llc_flags else "llc"
        return f"-passes={self.passes}"


def spec_for_job(job: EmitJob, tool: str, kind: str, **settings: object) -> IrMiscompileSpec:
    """The IR-level oracle for an emitted ``kind`` whose step is ``tool`` (opt or llc),
    from ``job``'s toolchains and oracle options; ``settings`` fill in the rest."""
    if job.fixed is None:
        raise UsageError(
            f"an {kind} test needs a fixed toolchain (--good-cc/--fixed-cc): its clang "
            f"builds the programs the oracle runs and its {tool} writes the checks"
        )
    return IrMiscompileSpec(
        passes="",
        affected_tool=job.affected.require(tool),
        fixed_tool=job.fixed.require(tool),
        clang=job.fixed.require_clang(),
        timeout=job.timeout,
        run_timeout=float(job.spec.option("run_timeout", str(DEFAULT_RUN_TIMEOUT)) or 5),
        compare_stderr=job.spec.option("stderr", "no") == "yes",
        **settings,  # type: ignore[arg-type]
    )


def _step(spec: IrMiscompileSpec, tool: str, source: Path, out: Path) -> str | None:
    """The step's output (IR from opt, assembly from llc), or None when the tool fails."""
    if spec.step == STEP_LLC:
        argv = [tool, *spec.llc_flags, "-o", str(out), str(source)]
    else:
        argv = [tool, f"-passes={spec.passes}", "-S", "-o", str(out), str(source)]
    result = run_program(
        argv, timeout=spec.timeout, cwd=source.parent, env=private_env(source.parent)
    )
    if result.returncode != 0 or not out.is_file():
        return None
    return out.read_text(encoding="utf-8", errors="surrogateescape")


def build_and_run(spec: IrMiscompileSpec, source: Path, level: str) -> Run | None:
    exe = source.with_suffix(f".{level.lstrip('-')}.exe")
    exe.unlink(missing_ok=True)
    # llc's assembly is for its default (static) relocation model unless its flags say
    # otherwise: link it as a position-dependent executable.
    words = [spec.clang, level, *NO_CRASH_FILES, "-Wno-override-module"]
    words += ["-no-pie"] if source.suffix == ".s" else []
    # The C oracle's libc screen in every build: a NULL %s ends each run alike, with its
    # report on stderr (llvm-reduce replaces a string argument by null as readily as
    # the C passes drop its initializer).
    words += [str(libc_screen_source(source.parent))]
    result = run_program(
        [*words, "-o", str(exe), str(source)],
        timeout=spec.timeout,
        cwd=source.parent,
        env=private_env(source.parent),
    )
    if result.returncode != 0 or not exe.is_file():
        return None
    ran = run_program([str(exe)], timeout=spec.run_timeout, cwd=source.parent, env=dict(RUN_ENV))
    return Run.of(ran)


def judge_file(spec: IrMiscompileSpec, candidate: Path) -> Verdict:
    text = candidate.read_text(encoding="utf-8", errors="surrogateescape")
    extra = more_undefined_behaviour(text, spec.allowed_ub)
    if extra is not None:
        return Verdict(False, f"rejects IR with more undefined behaviour: {extra!r}")
    main = _MAIN.search(text)
    if main is None or main.group(2).strip() or not _RETURNS_I32.search(main.group(1)):
        # llvm-reduce turns operands into arguments; main's would be argc, argv and
        # whatever the start-up code leaves in registers, not inputs of the program. So
        # would the exit status of a main returning void (the IR clean-up's void return).
        return Verdict(False, "the module needs an i32 main() without parameters")
    work = candidate.parent
    tool, suffix = (spec.step, ".s" if spec.step == STEP_LLC else ".ll")
    affected = _step(spec, spec.affected_tool, candidate, work / f"affected{suffix}")
    fixed = _step(spec, spec.fixed_tool, candidate, work / f"fixed{suffix}")
    if affected is None or fixed is None:
        which = "affected" if affected is None else "fixed"
        return Verdict(False, f"the {which} {tool} fails on the module", compile_failed=True)
    differ = asm_bodies_differ if spec.step == STEP_LLC else bodies_differ
    if not differ(affected, fixed):
        return Verdict(False, f"both {tool}s give the same function bodies ({spec.describe()})")
    reference = build_and_run(spec, candidate, "-O0")
    if reference is None or reference.returncode is None:
        return Verdict(False, "the reference (-O0) build fails or times out", compile_failed=True)
    report = sanitizer_report(reference.stderr)
    if report is not None:
        return Verdict(False, f"IR UB screen libc: {report}")
    bad = build_and_run(spec, work / f"affected{suffix}", "-O2")
    if bad is None:
        return Verdict(False, f"the affected {tool}'s output does not build", compile_failed=True)
    if same_behaviour(bad, reference, spec.compare_stderr):
        return Verdict(
            False, f"the affected {tool}'s output behaves as the reference: {reference.describe()}"
        )
    again = build_and_run(spec, candidate, "-O0")
    if again is None or not same_behaviour(again, reference, spec.compare_stderr):
        return Verdict(False, "reference runs differ")
    good = build_and_run(spec, work / f"fixed{suffix}", "-O2")
    if good is None or not same_behaviour(good, reference, spec.compare_stderr):
        shown = good.describe() if good else "no build"
        return Verdict(False, f"IR UB screen: the fixed {tool}'s output misbehaves too ({shown})")
    whole = build_and_run(spec, candidate, "-O2")
    if whole is None or not same_behaviour(whole, reference, spec.compare_stderr):
        shown = whole.describe() if whole else "no build"
        return Verdict(False, f"IR UB screen: the module misbehaves at -O2 by itself ({shown})")
    return Verdict(True, f"after {spec.describe()}: {difference(bad, reference)}")


def judge_text(spec: IrMiscompileSpec, text: str) -> Verdict:
    """Judge ``text`` in a private directory of its own."""
    return with_candidate(text, "candidate.ll", lambda path: judge_file(spec, path))


def stable_difference(spec: IrMiscompileSpec, verdict: Verdict, text: str) -> str:
    """How the program differs, for an emitted test's comment: the interesting
    ``verdict``'s words when a second judgement says the same, else without the values (a
    wrong program that reads garbage prints another number on each run, and a comment
    that changes at every emission would make the test differ from a fresh one)."""
    detail = verdict.reason.split(": ", 1)[-1]
    again = judge_text(spec, text)
    if again.interesting and again.reason == verdict.reason:
        return detail
    return "differently on each run"

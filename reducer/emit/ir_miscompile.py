"""The miscompile oracle at IR level: one middle-end pass, run by the affected ``opt`` and
the fixed one, and the programs their outputs build.

A module is interesting iff, in this order (cheapest refusals first):

1. it defines ``main()`` without parameters (llvm-reduce turns operands into arguments,
   and main's would be whatever the start-up code leaves in registers), and has no more
   undefined behaviour of the kinds llvm-reduce invents than the IR it
   started from (reducer.oracles.ir_undefined);
2. ``opt -passes=PASS -S`` succeeds with both opts and their outputs differ in some
   function body (what the emitted opt test's checks will see);
3. the affected opt's output, built by a trusted compiler (the fixed clang at -O2) and
   run, behaves differently from the reference: the module itself built by the fixed
   clang at -O0;
4. the reference behaves the same on a second run;
5. the fixed opt's output, built and run the same way, behaves as the reference does;
6. the module itself, built by the trusted compiler at -O2, behaves as the reference does.

Steps 5 and 6 are the IR-level UB screen. LLVM IR has no sanitizers, and llvm-reduce
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
from reducer.emit.utc_opt import opt_functions
from reducer.oracles.ir_undefined import NO_UB, more_undefined_behaviour
from reducer.oracles.miscompile import RUN_ENV, Run, difference, same_behaviour
from reducer.process import run_program
from reducer.scratch import with_candidate
from reducer.verdict import Verdict

_MAIN = re.compile(r"^define\b[^@\n]*@main\((.*?)\)", re.M)
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


@dataclass(frozen=True)
class IrMiscompileSpec:
    """Everything needed to judge one module."""

    passes: str  # the -passes= pipeline: the guilty pass
    affected_opt: str
    fixed_opt: str
    clang: str  # the trusted compiler that builds and links (the fixed toolchain's clang)
    timeout: float  # each opt or clang run
    run_timeout: float = 5.0
    compare_stderr: bool = False
    allowed_ub: tuple[int, ...] = NO_UB


def _opt(spec: IrMiscompileSpec, opt: str, source: Path, out: Path) -> str | None:
    result = run_program(
        [opt, f"-passes={spec.passes}", "-S", "-o", str(out), str(source)],
        timeout=spec.timeout,
        cwd=source.parent,
        env=private_env(source.parent),
    )
    if result.returncode != 0 or not out.is_file():
        return None
    return out.read_text(encoding="utf-8", errors="surrogateescape")


def build_and_run(spec: IrMiscompileSpec, source: Path, level: str) -> Run | None:
    exe = source.with_suffix(f".{level.lstrip('-')}.exe")
    exe.unlink(missing_ok=True)
    result = run_program(
        [spec.clang, level, *NO_CRASH_FILES, "-Wno-override-module", "-o", str(exe), str(source)],
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
    if main is None or main.group(1).strip():
        # llvm-reduce turns operands into arguments; main's would be argc, argv and
        # whatever the start-up code leaves in registers, not inputs of the program.
        return Verdict(False, "the module needs a main() without parameters")
    work = candidate.parent
    affected = _opt(spec, spec.affected_opt, candidate, work / "affected.ll")
    fixed = _opt(spec, spec.fixed_opt, candidate, work / "fixed.ll")
    if affected is None or fixed is None:
        which = "affected" if affected is None else "fixed"
        return Verdict(False, f"the {which} opt fails on the module", compile_failed=True)
    if not bodies_differ(affected, fixed):
        return Verdict(False, f"both opts give the same function bodies with -passes={spec.passes}")
    reference = build_and_run(spec, candidate, "-O0")
    if reference is None or reference.returncode is None:
        return Verdict(False, "the reference (-O0) build fails or times out", compile_failed=True)
    bad = build_and_run(spec, work / "affected.ll", "-O2")
    if bad is None:
        return Verdict(False, "the affected opt's output does not build", compile_failed=True)
    if same_behaviour(bad, reference, spec.compare_stderr):
        return Verdict(
            False, f"the affected opt's output behaves as the reference: {reference.describe()}"
        )
    again = build_and_run(spec, candidate, "-O0")
    if again is None or not same_behaviour(again, reference, spec.compare_stderr):
        return Verdict(False, "reference runs differ")
    good = build_and_run(spec, work / "fixed.ll", "-O2")
    if good is None or not same_behaviour(good, reference, spec.compare_stderr):
        shown = good.describe() if good else "no build"
        return Verdict(False, f"IR UB screen: the fixed opt's output misbehaves too ({shown})")
    whole = build_and_run(spec, candidate, "-O2")
    if whole is None or not same_behaviour(whole, reference, spec.compare_stderr):
        shown = whole.describe() if whole else "no build"
        return Verdict(False, f"IR UB screen: the module misbehaves at -O2 by itself ({shown})")
    return Verdict(True, f"after -passes={spec.passes}: {difference(bad, reference)}")


def judge_text(spec: IrMiscompileSpec, text: str) -> Verdict:
    """Judge ``text`` in a private directory of its own."""
    return with_candidate(text, "candidate.ll", lambda path: judge_file(spec, path))

"""``opt-crash``: an llvm/test/Transforms/<Pass> ``.ll`` test for a middle-end crash: LLVM IR
given with its opt command (``reduce bug.ll -- opt-19 -passes=...``) on which opt dies in a
pass or stops with ``LLVM ERROR`` (the verifier's "Broken module found" after a pass wrote
invalid IR is the common release-build shape).

The reduced IR is the test. Its RUN line keeps only what the crash needs: the ``-passes=``
pipeline cut to the first of its passes that crashes alone (an adaptor such as
``function(a,b)`` is tried pass by pass), and of the command's other options those without
which the crash goes, or (with a fixed opt) without which the fixed opt's output cannot be
written as checks. With a fixed opt the RUN line is
``opt < %s -passes=<pass> [options] -S | FileCheck %s`` and the checks are its output,
written as update_test_checks.py writes them (reducer.emit.utc_opt): the affected opt fails
the test by crashing. Without one the test locks the crash in, as upstream does for a crash
that is still there: ``not --crash opt ... 2>&1 | FileCheck %s`` checking its banner
(plain ``not`` where the tool exits with an error instead of a signal).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from reducer.compiler import STYLE_OPT, CompileCommand
from reducer.emit import utc_opt
from reducer.emit.header import join_sections
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.emit.mode import Mode
from reducer.emit.utc import UnsupportedTest
from reducer.errors import CompilerError, UsageError
from reducer.oracles.crash import CrashReport, make_crash_oracle
from reducer.process import run_program
from reducer.scratch import with_candidate

NAME = "opt-crash"
_PASSES = re.compile(r"^--?passes=(.*)$")
_ADAPTOR = re.compile(r"^([\w-]+(?:<[^>]*>)?)\((.*)\)$", re.S)
# Options the RUN line writes itself, or that only choose where the output goes.
_OUTPUT_OPTIONS = ("-S", "--S", "-disable-output", "--disable-output")


def split_pipeline(pipeline: str) -> list[str]:
    """The top-level elements of a ``-passes=`` text: commas inside ``(...)`` and
    ``<...>`` (adaptors, pass parameters) do not split."""
    parts: list[str] = []
    depth = start = 0
    for at, char in enumerate(pipeline):
        if char in "(<":
            depth += 1
        elif char in ")>":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(pipeline[start:at])
            start = at + 1
    parts.append(pipeline[start:])
    return [part.strip() for part in parts if part.strip()]


def single_passes(pipeline: str) -> list[str]:
    """Every pass of the pipeline on its own, in order; an adaptor's passes
    (``function(a,b)``, ``loop-mssa(licm)``) stand for themselves (opt adds the adaptor)."""
    out: list[str] = []
    for part in split_pipeline(pipeline):
        adaptor = _ADAPTOR.match(part)
        out += single_passes(adaptor.group(2)) if adaptor else [part]
    return list(dict.fromkeys(out))


def opt_arguments(argv: Sequence[str]) -> tuple[str, list[tuple[str, ...]]]:
    """The ``-passes=`` pipeline of an opt command and its other options, each as a unit
    (a flag, or a flag and the separate value after it); output options are left out."""
    pipeline = None
    units: list[tuple[str, ...]] = []
    words = list(argv)
    i = 0
    while i < len(words):
        word = words[i]
        match = _PASSES.match(word)
        if match:
            pipeline = match.group(1)
        elif word in ("-passes", "--passes") and i + 1 < len(words):
            pipeline = words[i + 1]
            i += 1
        elif word not in _OUTPUT_OPTIONS:
            if i + 1 < len(words) and not words[i + 1].startswith("-") and "=" not in word:
                units.append((word, words[i + 1]))
                i += 1
            else:
                units.append((word,))
        i += 1
    if pipeline is None or not pipeline.strip():
        raise UsageError("an opt-crash test needs the opt command's -passes= pipeline")
    return pipeline, units


def _flat(units: Sequence[tuple[str, ...]]) -> list[str]:
    return [word for unit in units for word in unit]


def crash(
    job: EmitJob, passes: str, units: Sequence[tuple[str, ...]], where: Path
) -> CrashReport | None:
    """What the affected opt's crash looks like with this pipeline and these options, if it
    is still the oracle's crash (its regex, its pinned signature)."""
    command = CompileCommand(
        (job.compile.program, f"-passes={passes}", *_flat(units)), job.timeout, STYLE_OPT
    )
    oracle = make_crash_oracle(job.spec, command)
    verdict, report = with_candidate(job.text, "input.ll", oracle.inspect, where)
    return report if verdict.interesting else None


def run_args(passes: str, units: Sequence[tuple[str, ...]]) -> str:
    return " ".join([f"-passes={passes}", *_flat(units)])


def fixed_checks(job: EmitJob, test: str) -> str:
    """``test`` with the fixed opt's output for its RUN line as update_test_checks.py's
    checks (UnsupportedTest where the script's rules are not covered; CompilerError where
    the fixed opt fails too)."""
    assert job.fixed is not None
    opt = job.fixed.require("opt")
    [run] = utc_opt.opt_run_lines(test)
    result = run_program(run.argv(opt), timeout=job.timeout, stdin=test.encode("utf-8"))
    if result.returncode != 0:
        raise CompilerError(f"the fixed {opt} fails on the test too: {result.stderr_tail(3)}")
    return utc_opt.regenerate(test, result.stdout.decode("utf-8", "replace"))


def _test(job: EmitJob, passes: str, units: Sequence[tuple[str, ...]], about: list[str]) -> str:
    run = f"opt < %s {run_args(passes, units)} -S | FileCheck %s"
    header = job.header(".ll", [run], note=utc_opt.NOTE)
    body = job.text.strip("\n").splitlines()
    return fixed_checks(job, join_sections(header.lines(), header.comments(about), body))


def _checkable(job: EmitJob, passes: str, units: Sequence[tuple[str, ...]]) -> bool:
    if job.fixed is None:
        return True
    try:
        _test(job, passes, units, [])
    except (UnsupportedTest, CompilerError):
        return False
    return True


def build(job: EmitJob) -> str:
    if not job.ir_input or job.compile.style != STYLE_OPT:
        raise UsageError("an opt-crash test starts from LLVM IR given with its opt command")
    work = job.workdir / "opt-crash"
    work.mkdir()
    pipeline, units = opt_arguments(job.compile.argv[1:])
    whole = crash(job, pipeline, units, work)
    if whole is None:
        raise CompilerError(f"opt -passes={pipeline} does not crash on the reduced IR")
    chosen, report = pipeline, whole
    passes = single_passes(pipeline)
    if passes != [pipeline]:
        for candidate in passes:
            found = crash(job, candidate, units, work)
            if found is not None:
                chosen, report = candidate, found
                break
        job.notes.append(
            f"opt pass: -passes={chosen} crashes alone (of -passes={pipeline})"
            if chosen != pipeline
            else f"opt pass: no single pass of -passes={pipeline} crashes alone; the test keeps it"
        )
    kept: list[tuple[str, ...]] = []
    for at, unit in enumerate(units):
        trial = kept + list(units[at + 1 :])
        if crash(job, chosen, trial, work) is not None and _checkable(job, chosen, trial):
            continue
        kept.append(unit)
        job.notes.append(f"opt option kept: {' '.join(unit)} (the crash or the checks need it)")
    affected = job.affected.major
    seen = report.signature
    if job.mode is Mode.FIXED and job.fixed is not None:
        about = [
            f"opt {affected} -passes={chosen} crashes on this IR: {seen}",
            f"opt {job.fixed.major} runs it; the checks are its output.",
        ]
        try:
            return _test(job, chosen, kept, about)
        except UnsupportedTest as exc:
            raise CompilerError(
                f"the fixed opt's output cannot be written as update_test_checks.py "
                f"checks here ({exc}); an option that keeps it out may help"
            ) from exc
    negate = "not --crash" if report.signal_name else "not"
    run = f"{negate} opt < %s {run_args(chosen, kept)} -disable-output 2>&1 | FileCheck %s"
    header = job.header(".ll", [run])
    about = [
        f"opt -passes={chosen} crashes on this IR (no fixed toolchain was given): {seen}",
        f"CHECK: {seen[:120]}",
    ]
    body = job.text.strip("\n").splitlines()
    return join_sections(header.lines(), header.comments(about), body)


register_test_kind(
    TestKind(
        NAME,
        ".ll",
        "opt test for a middle-end crash on LLVM IR: the one pass that crashes, checks from "
        "the fixed opt (or not --crash opt)",
        build,
        fails_by_crash=True,
    )
)

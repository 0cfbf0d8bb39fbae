"""``llc-sections``: an llvm/test/CodeGen/X86 ``.ll`` test of which sections the object has
(the ``sections`` and ``section:[!]NAME`` oracles). The IR clang makes from the reduced C
is reduced with llvm-reduce under the oracle aimed at llc; the test pipes llc's object
through ``llvm-readobj --sections`` and checks section names: the expected object's
sections that the oracle looks at must be there (``CHECK: Name: .text (``), and those only
the affected object has must not, anywhere in the output (see reducer/emit/absent.py).

Asm ``.section`` directives would show this too, but an empty ``.text`` is in every
object and a file-scope asm block switches sections in text llc copies verbatim: only the
object says which executable sections have contents, which is what the kernel counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reducer.compiler import STYLE_LLC, CompileCommand
from reducer.elf import ObjectInfo
from reducer.emit.absent import absent_around
from reducer.emit.header import join_sections
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.emit.llc_ir import expected_llc, reduced_ir
from reducer.emit.mode import Mode
from reducer.errors import CompilerError
from reducer.objects import require_object
from reducer.oracles.base import CountsSections, capability


def section_checks(
    affected: Sequence[str], expected: Sequence[str], expected_all: Sequence[str]
) -> tuple[list[str], list[str]]:
    """(names the test requires, names it forbids). ``affected``/``expected`` are the
    sections the oracle looks at in each object, ``expected_all`` every section of the
    expected object. A forbidden name the expected object has too (e.g. an empty .ltext)
    cannot be told apart by name, so that is refused rather than written as a wrong test."""
    required = list(dict.fromkeys(expected))
    forbidden = [name for name in dict.fromkeys(affected) if name not in required]
    clash = [name for name in forbidden if name in expected_all]
    if clash:
        raise CompilerError(
            "the expected object has the section(s) "
            + ", ".join(clash)
            + " too (without contents): a section-name test cannot tell the two apart"
        )
    return required, forbidden


def readobj_pattern(name: str) -> str:
    # "Name: .ltext (" matches the section itself, not ".rela.ltext" or ".ltext.hot".
    return f"Name: {name} ("


def _object(llc: str, flags: tuple[str, ...], job: EmitJob, path: Path) -> ObjectInfo:
    return require_object(CompileCommand((llc, *flags), job.timeout, STYLE_LLC), path)


def build(job: EmitJob) -> str:
    ir = reduced_ir(job)
    affected_llc = ir.spec.affected_llc
    truth = expected_llc(job, ir)
    judge = capability(job.spec.build(ir.spec.command(affected_llc)), CountsSections)
    affected_info = _object(affected_llc, ir.llc_flags, job, ir.path)
    expected_info = _object(truth, ir.llc_flags, job, ir.path)
    required, forbidden = section_checks(
        judge.relevant(affected_info), judge.relevant(expected_info), expected_info.sections
    )
    if job.mode is Mode.FIXED and not forbidden and required == list(judge.relevant(affected_info)):
        raise CompilerError("the oracle's sections are the same in both objects: nothing to check")
    flags = " ".join(ir.llc_flags)
    seen = ir.verdict.affected().reason
    fixed_verdict = ir.verdict.fixed()
    if job.mode is Mode.FIXED and job.fixed is not None and fixed_verdict is not None:
        fixed_seen = fixed_verdict.reason
        about = [
            f"llc {job.affected.major}: {seen} ({job.spec.text}).",
            f"llc {job.fixed.major}: {fixed_seen}. The test wants what llc {job.fixed.major} writes.",
        ]
    else:
        about = [
            f"{seen} ({job.spec.text}).",
            f"No fixed toolchain was given: the test locks llc {job.affected.major}'s sections in.",
        ]
    run = f"llc < %s {flags} -filetype=obj -o - | llvm-readobj --sections - \\\n  | FileCheck %s"
    header = job.header(".ll", [run])
    checks = absent_around(
        ";",
        "CHECK",
        [readobj_pattern(name) for name in forbidden],
        ["Sections [", *(readobj_pattern(name) for name in required)],
    )
    return join_sections(
        header.lines(), header.comments(about), checks, ir.text.rstrip("\n").splitlines()
    )


register_test_kind(
    TestKind(
        "llc-sections",
        ".ll",
        "llc test of the object's sections: llvm-reduce'd IR, llvm-readobj --sections checks",
        build,
    )
)

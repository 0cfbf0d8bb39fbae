"""``clang-verify``: a clang/test/Sema-style ``.c`` test run with ``%clang_cc1 -verify``: the
diagnostics the expected toolchain prints are written into the test as
``// expected-warning {{...}}`` comments on the lines they are reported on (``// expected-no-diagnostics`` when it prints
none), so the test fails on a clang that prints other diagnostics. The cc1 flags are the
driver's, minimised while the diagnostic oracle aimed at ``clang -cc1`` still holds
(differential when a fixed clang is known)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reducer.emit import c_test
from reducer.emit.cc1 import Cc1
from reducer.emit.header import join_sections
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.errors import CompilerError
from reducer.objects import compile_output
from reducer.oracles.diag import Diagnostic, parse_diagnostics


def annotate(body: list[str], diagnostics: Sequence[Diagnostic], source: Path) -> list[str]:
    """``body`` (the source's lines) with each diagnostic's -verify comment at the end of
    the line it is reported on, so the comments move with the code when lines above are
    added or removed (as lit verification does with XFAIL lines). A diagnostic without a
    location cannot be expected."""
    lines = list(body)
    for d in diagnostics:
        if not d.located or Path(d.file).name != source.name or d.line > len(lines):
            raise CompilerError(f"a diagnostic -verify cannot expect: {d.text}")
        lines[d.line - 1] += " " + d.expected_comment()
    if not diagnostics:
        lines += ["", "// expected-no-diagnostics"]
    return lines


def build(job: EmitJob) -> str:
    cc1 = Cc1.prepare(job, "verify")
    units = cc1.minimal_units()
    seen = compile_output(cc1.command(cc1.expected_prefix, units), cc1.source).result
    diagnostics = parse_diagnostics(seen.stderr.decode("utf-8", "replace"))
    flags = " ".join(c_test.quote_unit(u) for u in units)
    # Whose diagnostics they are follows Cc1.expected_prefix: the fixed clang's in fixed mode.
    who = "the fixed clang" if cc1.expected_prefix == cc1.fixed_prefix else "this clang"
    header = job.header(
        ".c", [f"%clang_cc1 {flags} -verify -emit-obj -o %t %s"], requires=[c_test.REQUIRES_X86]
    )
    about = [
        f"The diagnostics {who} prints for this file; a clang that prints others fails.",
        f"The reduction kept what {job.spec.text} looks for.",
    ]
    body = annotate(job.text.splitlines(), diagnostics, cc1.source)
    return join_sections(header.lines(), header.comments(about), body).rstrip("\n") + "\n"


register_test_kind(
    TestKind(
        "clang-verify",
        ".c",
        "clang test: %clang_cc1 -verify with the expected toolchain's diagnostics as comments",
        build,
    )
)

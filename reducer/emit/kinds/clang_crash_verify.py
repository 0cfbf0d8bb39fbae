"""``clang-crash-verify``: a clang/test/Sema-style ``.c`` test for a clang crash on invalid
code: ``%clang_cc1 -fsyntax-only -verify``, with the errors the fixed clang reports written
as ``// expected-error {{...}}`` comments on their lines. The affected clang fails it by
crashing; the fixed one passes. Chosen by reducer.emit.crash_route when the fixed clang
rejects the reduced file; the cc1 flags are the driver's, kept only where the affected clang
needs them to crash so (reducer.emit.crash_cc1)."""

from __future__ import annotations

from reducer.emit import c_test
from reducer.emit.crash_cc1 import CrashCc1, rejects
from reducer.emit.header import join_sections
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.emit.kinds.clang_verify import annotate
from reducer.errors import CompilerError
from reducer.oracles.diag import parse_diagnostics

ACTION = ("-fsyntax-only",)


def build(job: EmitJob) -> str:
    run = CrashCc1.prepare(job, "crash-verify", ACTION, rejects)
    if run.cc1.fixed_prefix is None:
        raise CompilerError("a crash-on-invalid test holds the fixed clang's errors: none given")
    units = run.minimal_units()
    # The -O level a codegen test documents means nothing to -fsyntax-only.
    parsing = [u for u in units if not (u[0].startswith("-O") and len(u) == 1)]
    if parsing != units and run.holds(parsing):
        units = parsing
    seen = run.affected_crash(units)
    fixed = run.run(run.cc1.fixed_prefix, units)
    diagnostics = parse_diagnostics(fixed.stderr.decode("utf-8", "replace"))
    assert job.fixed is not None  # a fixed prefix comes from the fixed toolchain
    flags = " ".join(c_test.quote_unit(u) for u in units)
    header = job.header(".c", [f"%clang_cc1 {flags} -fsyntax-only -verify %s"])
    about = [
        f"clang {job.affected.major} crashes on this invalid code ({seen});",
        f"clang {job.fixed.major} reports the errors below instead.",
    ]
    body = annotate(job.text.splitlines(), diagnostics, run.cc1.source)
    return join_sections(header.lines(), header.comments(about), body).rstrip("\n") + "\n"


register_test_kind(
    TestKind(
        "clang-crash-verify",
        ".c",
        "clang test for a crash on invalid code: %clang_cc1 -fsyntax-only -verify with "
        "the fixed clang's errors",
        build,
        fails_by_crash=True,
    )
)

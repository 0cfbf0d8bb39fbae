"""``clang-reloc``: a clang/test/CodeGen ``.c`` test run with ``%clang_cc1``: the cc1 flags
the driver passed, minimised while the oracle aimed at ``clang -cc1`` still holds
(differential when a fixed clang is known), and relocation checks on the object."""

from __future__ import annotations

from reducer.emit import c_test
from reducer.emit.cc1 import Cc1
from reducer.emit.job import EmitJob, TestKind, register_test_kind
from reducer.emit.reloc_expectation import describe, expectation


def build(job: EmitJob) -> str:
    cc1 = Cc1.prepare(job, "c")
    units = cc1.minimal_units()
    hits = cc1.verdict(units).relocations
    wanted = expectation(
        job,
        cc1.command(cc1.affected_prefix, units),
        cc1.command(cc1.fixed_prefix or cc1.affected_prefix, units),
        cc1.source,
        hits,
        ".c",
    )
    header = job.header(".c", [c_test.c_test_run(units)], requires=[c_test.REQUIRES_X86])
    return c_test.render_c_test(header, wanted, describe(job.settings, wanted, job.mode), job.text)


register_test_kind(
    TestKind(
        "clang-reloc",
        ".c",
        "clang test: %clang_cc1 with the cc1 flags that matter, llvm-readobj -r checks",
        build,
    )
)

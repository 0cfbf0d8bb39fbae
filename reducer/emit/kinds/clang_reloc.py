"""``clang-reloc``: a clang/test/CodeGen ``.c`` test run with ``%clang_cc1``: the cc1 flags
the driver passed, minimised while the oracle aimed at ``clang -cc1`` still holds
(differential when a fixed clang is known), and relocation checks on the object."""

from __future__ import annotations

import shutil
from collections.abc import Sequence

from reducer.compiler import STYLE_CC1, CompileCommand
from reducer.emit import c_test
from reducer.emit.driver import query_cc1
from reducer.emit.kinds.base import EmitJob, TestKind, register_test_kind
from reducer.emit.kinds.relocs import describe, expectation
from reducer.emit.litsupport import resource_include
from reducer.errors import CompilerError
from reducer.oracles import Differential, Oracle


def _prefix(clang: str) -> tuple[str, ...]:
    resolved = shutil.which(clang) or clang
    return c_test.cc1_prefix(resolved, resource_include(resolved))


def build(job: EmitJob) -> str:
    c_dir = job.workdir / "c"
    c_dir.mkdir()
    source = c_dir / job.source.name
    source.write_text(job.text)
    candidates = query_cc1(job.compile.argv, job.timeout).test_candidates(job.source.name)
    affected_prefix = _prefix(job.affected.require_clang())
    fixed_prefix = _prefix(job.fixed.require_clang()) if job.fixed is not None else None

    def command(prefix: tuple[str, ...], units: Sequence[c_test.Unit]) -> CompileCommand:
        return CompileCommand((*prefix, *c_test.flatten(units)), job.timeout, STYLE_CC1)

    def oracle(units: Sequence[c_test.Unit]) -> Oracle:
        affected = job.spec.build(command(affected_prefix, units))
        if fixed_prefix is None:
            return affected
        fixed = job.spec.build(command(fixed_prefix, units))
        return Differential(affected, fixed, "affected clang -cc1", "fixed clang -cc1")

    def reproduces(units: list[c_test.Unit]) -> bool:
        return oracle(units).check(source).interesting

    if not reproduces(candidates):
        # The fixed clang may reject a flag only the affected one knows (the user's good
        # command left it out): shrink under the affected side alone first, then ask again.
        def affected_shows(units: list[c_test.Unit]) -> bool:
            return job.spec.build(command(affected_prefix, units)).check(source).interesting

        first = job.spec.build(command(affected_prefix, candidates)).check(source)
        if not first.interesting:
            raise CompilerError(
                f"clang -cc1 with the driver's flags does not reproduce: {first.reason}"
            )
        candidates = c_test.minimize_units(candidates, affected_shows)
        again = oracle(candidates).check(source)
        if not again.interesting:
            raise CompilerError(f"clang -cc1 does not reproduce differentially: {again.reason}")
    units = c_test.minimize_units(candidates, reproduces)
    job.notes.append("cc1 flags kept: " + " ".join(c_test.flatten(units)))
    hits = oracle(units).check(source).relocations
    wanted = expectation(
        job,
        command(affected_prefix, units),
        command(fixed_prefix or affected_prefix, units),
        source,
        hits,
        ".c",
    )
    return c_test.render_c_test(
        units, wanted, describe(job.settings, wanted, job.mode), job.text, job.xfail
    )


register_test_kind(
    TestKind(
        "clang-reloc",
        ".c",
        "clang test: %clang_cc1 with the cc1 flags that matter, llvm-readobj -r checks",
        build,
    )
)

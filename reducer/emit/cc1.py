"""What the clang test kinds share: the ``%clang_cc1`` prefix of each toolchain, the oracle
aimed at ``clang -cc1`` (differential when a fixed clang is known), and the driver's cc1
flags minimised while it holds."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reducer.compiler import STYLE_CC1, CompileCommand
from reducer.emit import c_test
from reducer.emit.job import EmitJob
from reducer.emit.litsupport import resource_include
from reducer.errors import CompilerError
from reducer.oracles import Oracle
from reducer.scratch import write_candidate
from reducer.verdict import Verdict


def cc1_prefix(clang: str) -> tuple[str, ...]:
    resolved = shutil.which(clang) or clang
    return c_test.cc1_prefix(resolved, resource_include(resolved))


@dataclass(frozen=True)
class Cc1:
    job: EmitJob
    source: Path  # the reduced file, in the kind's private directory
    affected_prefix: tuple[str, ...]
    fixed_prefix: tuple[str, ...] | None
    # The (differential) oracle's verdicts on the source, by the units it was asked with:
    # the kinds quote the minimal units' verdict instead of asking again.
    seen: dict[tuple[c_test.Unit, ...], Verdict] = field(default_factory=dict)

    @classmethod
    def prepare(cls, job: EmitJob, subdir: str) -> Cc1:
        directory = job.workdir / subdir
        directory.mkdir()
        source = write_candidate(directory, job.source.name, job.text)
        fixed = cc1_prefix(job.fixed.require_clang()) if job.fixed is not None else None
        return cls(job, source, cc1_prefix(job.affected.require_clang()), fixed)

    @property
    def expected_prefix(self) -> tuple[str, ...]:
        """The clang whose output is the truth: the fixed one, or in lock-in the affected."""
        return self.job.mode.expected(self.affected_prefix, self.fixed_prefix)

    def command(self, prefix: tuple[str, ...], units: Sequence[c_test.Unit]) -> CompileCommand:
        return CompileCommand((*prefix, *c_test.flatten(units)), self.job.timeout, STYLE_CC1)

    def oracle(self, units: Sequence[c_test.Unit]) -> Oracle:
        fixed = self.command(self.fixed_prefix, units) if self.fixed_prefix else None
        return self.job.spec.aimed(
            self.command(self.affected_prefix, units),
            fixed,
            ("affected clang -cc1", "fixed clang -cc1"),
        )

    def minimal_units(self) -> list[c_test.Unit]:
        """The driver's cc1 units that the oracle needs, in cc1 order."""
        job, source = self.job, self.source
        candidates = job.require_driver().test_candidates(job.source.name)

        def reproduces(units: list[c_test.Unit]) -> bool:
            return self.verdict(units).interesting

        if not reproduces(candidates):
            # The fixed clang may reject a cc1 flag only the affected one's driver passes
            # (e.g. clang-22's -fdwarf2-cfi-asm for clang-19): shrink under the affected
            # side alone first, then ask the differential question again.
            def affected_shows(units: list[c_test.Unit]) -> bool:
                command = self.command(self.affected_prefix, units)
                return job.spec.build(command).check(source).interesting

            first = job.spec.build(self.command(self.affected_prefix, candidates)).check(source)
            if not first.interesting:
                raise CompilerError(
                    f"clang -cc1 with the driver's flags does not reproduce: {first.reason}"
                )
            candidates = c_test.minimize_units(candidates, affected_shows)
            again = self.verdict(candidates)
            if not again.interesting:
                raise CompilerError(f"clang -cc1 does not reproduce differentially: {again.reason}")
        units = c_test.minimize_units(candidates, reproduces)
        job.notes.append("cc1 flags kept: " + " ".join(c_test.flatten(units)))
        return units

    def verdict(self, units: Sequence[c_test.Unit]) -> Verdict:
        """The oracle's verdict with ``units``, asked once per set of units."""
        key = tuple(units)
        if key not in self.seen:
            self.seen[key] = self.oracle(units).check(self.source)
        return self.seen[key]

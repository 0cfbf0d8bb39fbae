"""What the two clang crash kinds share: ``%clang_cc1`` runs of the reduced file with one
action (``-fsyntax-only``, ``-emit-llvm``, ``-S``), judged by the crash oracle's own rule
(its REGEX and pinned signature) on the affected clang, and the driver's cc1 flags
minimised while the affected clang still crashes so and the fixed one does what the test
expects of it (errors for a crash on invalid code, a clean compile otherwise)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reducer.emit import c_test
from reducer.emit.cc1 import Cc1
from reducer.emit.job import EmitJob
from reducer.errors import CompilerError
from reducer.oracles.crash import CrashOracle, crash_report, make_crash_oracle
from reducer.process import ProcessResult, run_program


def crashes(result: ProcessResult) -> bool:
    return crash_report(result.returncode, result.stderr.decode("utf-8", "replace")) is not None


def rejects(result: ProcessResult) -> bool:
    """Stops with errors, without crashing: what a fixed clang does with invalid code."""
    return not result.timed_out and result.returncode != 0 and not crashes(result)


def compiles(result: ProcessResult) -> bool:
    return not result.timed_out and result.returncode == 0


@dataclass
class CrashCc1:
    job: EmitJob
    cc1: Cc1
    action: tuple[str, ...]  # after the flags: "-fsyntax-only", or "-emit-llvm -o -"
    fixed_ok: Callable[[ProcessResult], bool]  # what the fixed clang must do
    oracle: CrashOracle
    # Other crashes that are this bug seen earlier: clang -cc1 verifies the IR it makes
    # (the driver passes -disable-llvm-verifier), so IR generation's bad IR that crashes
    # the backend from the driver stops cc1 with "Broken module found".
    also: tuple[str, ...] = ()

    @classmethod
    def prepare(
        cls,
        job: EmitJob,
        subdir: str,
        action: Sequence[str],
        fixed_ok: Callable[[ProcessResult], bool],
    ) -> CrashCc1:
        oracle = make_crash_oracle(job.spec, job.compile)
        cc1 = Cc1.prepare(job, subdir)
        if oracle.signature is None and oracle.pattern is None:
            # A plain crash: the cc1 runs must show the one the driver shows, not another
            # (clang -cc1 verifies its IR, the driver does not: "Broken module found").
            report = oracle.inspect(cc1.source)[1]
            if report is None:
                raise CompilerError(f"{job.compile.program} does not crash on the file")
            oracle.signature = report.signature
        return cls(job, cc1, tuple(action), fixed_ok, oracle)

    def run(self, prefix: Sequence[str], units: Sequence[c_test.Unit]) -> ProcessResult:
        source = self.cc1.source
        argv = [*prefix, *c_test.flatten(units), *self.action, source.name]
        # A crash's temporary files (LLVM's symbolizer) stay in the private directory.
        env = {**os.environ, "TMPDIR": str(source.parent.absolute())}
        return run_program(argv, timeout=self.job.timeout, cwd=source.parent, env=env)

    def affected_crash(self, units: Sequence[c_test.Unit]) -> str | None:
        """The affected clang's crash as the oracle describes it, or None: not this crash."""
        verdict, report = self.oracle.judge(self.run(self.cc1.affected_prefix, units))
        if verdict.interesting:
            return verdict.reason
        if report is not None and any(text in report.signature for text in self.also):
            return f"crash: {report.describe()}"
        return None

    def holds(self, units: Sequence[c_test.Unit]) -> bool:
        if self.affected_crash(units) is None:
            return False
        fixed = self.cc1.fixed_prefix
        return fixed is None or self.fixed_ok(self.run(fixed, units))

    def minimal_units(self) -> list[c_test.Unit]:
        candidates = self.job.require_driver().test_candidates(self.job.source.name)
        if not self.holds(candidates):
            seen = self.affected_crash(candidates)
            what = "the fixed clang does not do what the test expects" if seen else "no crash"
            raise CompilerError(
                f"clang -cc1 {' '.join(self.action)} with the driver's flags does not "
                f"reproduce: {what}"
            )
        units = c_test.minimize_units(candidates, self.holds)
        self.job.notes.append("cc1 flags kept: " + " ".join(c_test.flatten(units)))
        return units

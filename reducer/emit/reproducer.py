"""The emission value: a reduced reproducer and everything known about it, built once.

``reduce --emit`` builds it from memory at the end of a reduction: the reduced text, the
pinned oracle, the minimal command, the fixed compile command and the verdicts the
reduction already has on each side, so emission asks nothing again that the reduction
proved. ``reduce emit``, ``batch`` and the lit-tests regeneration build it from a file
(``from_file``) and emission checks it once (``proven``).

The driver's cc1 facts (``clang -###``) are asked once per command and process
(``driver.query_cc1`` caches them) and carried in the emission job.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.errors import CompilerError, NotInterestingError
from reducer.inputs import read_source
from reducer.intake.ir import is_ir_input
from reducer.oracles import OracleSpec, check_text
from reducer.oracles.differential import judge
from reducer.verdict import Verdict

FIXED_LABEL = "the fixed compiler"


@dataclass(frozen=True)
class Reproducer:
    source: Path  # where the reduced file is (named in messages; never written by emission)
    text: str
    spec: OracleSpec  # the oracle value, pinned to the original when the run pinned it
    compile: CompileCommand  # the affected compile command (the minimal one after reduce)
    fixed_compile: CompileCommand | None = None
    # What the oracle said on ``text`` with ``compile`` (affected) and ``fixed_compile``
    # (fixed), when a reduction already asked; None: not known, emission asks once.
    affected_verdict: Verdict | None = None
    fixed_verdict: Verdict | None = None

    @classmethod
    def from_file(
        cls,
        source: Path,
        spec: OracleSpec,
        compile: CompileCommand,
        fixed_compile: CompileCommand | None = None,
    ) -> Reproducer:
        return cls(source, read_source(source), spec, compile, fixed_compile)

    @property
    def file_name(self) -> str:
        return self.source.name

    @property
    def is_ir(self) -> bool:
        """LLVM IR for an IR tool (llc), not C for a clang driver."""
        return is_ir_input(self.source, self.compile.style)

    def with_fixed_compile(self, fixed_compile: CompileCommand) -> Reproducer:
        """With another fixed command (the fixed toolchain's clang): its verdict is unknown."""
        if fixed_compile == self.fixed_compile:
            return self
        return replace(self, fixed_compile=fixed_compile, fixed_verdict=None)

    def proven(self) -> Reproducer:
        """This reproducer with both sides' verdicts, asking the oracle only for a side not
        known yet; an error when it does not show the behaviour with the affected compiler
        and, with a fixed one, not with it: nothing a test could tell apart."""
        affected = self.affected_verdict or self._ask(self.compile)
        fixed = self.fixed_verdict
        # An oracle that picks its own compiler (a script) cannot be aimed at the fixed
        # one: only the affected side is asked; the test kind compares the compilers.
        compared = self.fixed_compile is not None and self.spec.kind.compiles
        if affected.interesting and compared and fixed is None:
            fixed = self._ask(self.fixed_compile)
        verdict = affected
        if compared:
            verdict = judge(affected, fixed, Path(self.compile.program).name, FIXED_LABEL)
        if not verdict.interesting:
            failed = verdict.compile_failed or verdict.timed_out
            error = CompilerError if failed else NotInterestingError
            raise error(f"{self.source} is not interesting, nothing to test: {verdict.reason}")
        return replace(self, affected_verdict=affected, fixed_verdict=fixed)

    def _ask(self, command: CompileCommand) -> Verdict:
        return check_text(self.spec.build(command), self.text, self.file_name)

"""`script:PATH` — a C-Vise/C-Reduce style interestingness test.

The script runs with no arguments in a private directory that holds the candidate under
the original file name; exit status 0 means interesting.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from reducer.ctokens import identifiers
from reducer.errors import UsageError
from reducer.oracles.spec import ARGUMENT_REQUIRED, OracleKind, OracleSpec, register
from reducer.output import kind_of
from reducer.process import run_program
from reducer.verdict import Verdict

if TYPE_CHECKING:
    from reducer.compiler import CompileCommand


# A script's words worth reading as names: the first part of it (a script is a few lines;
# a compiled program given as the script yields noise that matches nothing).
SCRIPT_READ_BYTES = 65_536


class ScriptOracle:
    def __init__(self, script: Path, timeout: float) -> None:
        self.name = f"script:{script}"
        self.script = script
        self.timeout = timeout

    def describe(self) -> str:
        return f"{self.name} (interesting when it exits 0)"

    def mentioned_words(self) -> frozenset[str]:
        """The identifiers the script's text names: a script greps for the symbol, the
        function or the section the bug is about, and those name where to look first
        (reducer.passes.focus's narrowing)."""
        try:
            with self.script.open("rb") as file:
                head = file.read(SCRIPT_READ_BYTES)
        except OSError:
            return frozenset()
        return identifiers(head.decode("ascii", errors="replace"))

    def check(self, candidate: Path) -> Verdict:
        result = run_program([str(self.script)], timeout=self.timeout, cwd=candidate.parent)
        if result.timed_out:
            return Verdict(False, f"script timed out after {self.timeout:g}s", timed_out=True)
        if result.returncode == 0:
            return Verdict(True, "script exited 0")
        tail = result.stderr_tail(3)
        return Verdict(False, f"script exited {result.returncode}" + (f": {tail}" if tail else ""))


def make_script_oracle(spec: OracleSpec, compile: CompileCommand | None) -> ScriptOracle:
    path = Path(spec.argument).resolve()
    if not path.exists():
        raise UsageError(f"interestingness script not found: {spec.argument}")
    if not path.is_file():
        what = kind_of(path.stat().st_mode)
        raise UsageError(f"interestingness script {spec.argument} is {what}, not a file")
    if not os.access(path, os.X_OK):
        raise UsageError(f"interestingness script is not executable: {spec.argument} (chmod +x it)")
    return ScriptOracle(path, spec.timeout)


register(
    OracleKind(
        "script",
        make_script_oracle,
        "a C-Vise style script exits 0 (run in the candidate's directory)",
        argument=ARGUMENT_REQUIRED,
        argument_help="PATH",
        compiles=False,
    )
)

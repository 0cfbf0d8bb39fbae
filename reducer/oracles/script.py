"""`script:PATH` — a C-Vise/C-Reduce style interestingness test.

The script runs with no arguments in a private directory that holds the candidate under
the original file name; exit status 0 means interesting.
"""

from __future__ import annotations

import os
from pathlib import Path

from reducer.errors import UsageError
from reducer.oracles.base import OracleConfig, Verdict, register
from reducer.process import run_program


class ScriptOracle:
    def __init__(self, script: Path, timeout: float) -> None:
        self.name = f"script:{script}"
        self.script = script
        self.timeout = timeout

    def check(self, candidate: Path) -> Verdict:
        result = run_program([str(self.script)], timeout=self.timeout, cwd=candidate.parent)
        if result.timed_out:
            return Verdict(False, f"script timed out after {self.timeout:g}s", timed_out=True)
        if result.returncode == 0:
            return Verdict(True, "script exited 0")
        tail = result.stderr_tail(3)
        return Verdict(False, f"script exited {result.returncode}" + (f": {tail}" if tail else ""))


@register("script")
def make_script_oracle(argument: str, config: OracleConfig) -> ScriptOracle:
    if not argument:
        raise UsageError("script oracle needs a path: --oracle script:PATH")
    path = Path(argument).resolve()
    if not path.is_file():
        raise UsageError(f"interestingness script not found: {argument}")
    if not os.access(path, os.X_OK):
        raise UsageError(f"interestingness script is not executable: {argument} (chmod +x it)")
    return ScriptOracle(path, config.script_timeout)

"""Updating a whole ``.ll`` test from an llc binary, as ``update_llc_test_checks.py
--llc-binary=LLC`` would: each llc RUN line is run with the test itself on stdin (the
script pipes the file in, so ``< %s`` and ``%s`` are dropped from the arguments), and the
outputs go to ``utc.regenerate``. No shell: arguments are split with shlex and a RUN line
needing more than ``%s`` (a preprocessor pipe, other lit substitutions) is refused."""

from __future__ import annotations

from reducer.emit import utc
from reducer.errors import CompilerError
from reducer.process import run_program


def run_llc(run: utc.RunLine, llc: str, test: str, timeout: float) -> str:
    """llc's assembly for one RUN line of ``test``."""
    argv = run.argv(llc)
    try:
        result = run_program(argv, timeout=timeout, stdin=test.encode("utf-8"))
    except OSError as exc:
        raise CompilerError(f"cannot run {llc}: {exc.strerror or exc}") from exc
    if result.timed_out:
        raise CompilerError(f"{llc} timed out after {timeout:g}s on RUN: {run.command}")
    if result.returncode != 0:
        raise CompilerError(
            f"{llc} failed (exit {result.returncode}) on RUN: {run.command}: "
            f"{result.stderr_tail(3)}"
        )
    return result.stdout.decode("utf-8", "replace").replace("\r\n", "\n")


def llc_outputs(test: str, llc: str, timeout: float) -> list[str]:
    """One output per llc RUN line of ``test``, in order."""
    return [run_llc(run, llc, test, timeout) for run in utc.llc_run_lines(test)]


def regenerate_with_llc(
    test: str, llc: str, timeout: float, version: int | None = None
) -> utc.Regenerated:
    return utc.regenerate(test, llc_outputs(test, llc, timeout), version)


def update_test_with_llc(test: str, llc: str, timeout: float, version: int | None = None) -> str:
    """``test`` with its checks regenerated from ``llc``'s output."""
    return regenerate_with_llc(test, llc, timeout, version).text

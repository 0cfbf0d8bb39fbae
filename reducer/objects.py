"""The object layer: the one place a candidate is compiled for an oracle.

``compile_output`` runs a command (clang driver, clang -cc1 or llc; see
reducer.compiler's styles) on a candidate and returns what every oracle needs: the process
result (exit status, stderr: what crash and diagnostic oracles read) and the output bytes
(an ELF object or assembly text). ``compile_object`` is the common case: an object, or the
verdict saying why there is none. Relocations are read from the bytes with reducer.elf.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import OUTPUT_ASM, OUTPUT_OBJECT, CompileCommand
from reducer.elf import NotAnObject, ObjectInfo, read_object
from reducer.errors import CompilerError
from reducer.process import ProcessResult
from reducer.verdict import Verdict


@dataclass(frozen=True)
class Compiled:
    result: ProcessResult
    output: bytes | None  # None when the compile failed or wrote nothing

    def failure(self, command: CompileCommand) -> Verdict | None:
        """The not-interesting verdict for a compile that produced nothing usable."""
        if self.result.timed_out:
            return Verdict(False, f"compile timed out after {command.timeout:g}s", timed_out=True)
        if self.result.returncode != 0:
            tail = self.result.stderr_tail(6)
            return Verdict(
                False,
                f"compile failed (exit {self.result.returncode}): {tail}",
                compile_failed=True,
            )
        if self.output is None:
            return Verdict(False, "the compiler produced no output file", compile_failed=True)
        return None


def compile_output(
    command: CompileCommand,
    candidate: Path,
    kind: str = OUTPUT_OBJECT,
    extra: tuple[str, ...] = (),
) -> Compiled:
    """Compile ``candidate`` to an object or assembly file next to it."""
    output = candidate.with_suffix(".s" if kind == OUTPUT_ASM else ".o")
    output.unlink(missing_ok=True)
    result = command.compile(candidate, output, extra, kind)
    data: bytes | None = None
    if result.returncode == 0:
        try:
            data = output.read_bytes()
        except OSError:
            data = None
    return Compiled(result, data)


def compile_object(
    command: CompileCommand, candidate: Path, extra: tuple[str, ...] = ()
) -> ObjectInfo | Verdict:
    """The candidate's object, read; or the verdict saying why there is none."""
    compiled = compile_output(command, candidate, OUTPUT_OBJECT, extra)
    failure = compiled.failure(command)
    if failure is not None:
        return failure
    assert compiled.output is not None
    try:
        return read_object(compiled.output)
    except NotAnObject as exc:
        return Verdict(False, f"output is not an ELF object: {exc}", compile_failed=True)


def require_object(command: CompileCommand, candidate: Path) -> ObjectInfo:
    """The candidate's object where there must be one (emission reads the expected
    toolchain's output): a compile that gives none is an error naming the program."""
    info = compile_object(command, candidate)
    if isinstance(info, Verdict):
        raise CompilerError(f"{command.program}: {info.reason}")
    return info


class ObjectOracle:
    """Base of the oracles that judge the candidate's object (relocations, sections,
    symbols): compile through this layer, then ``judge`` the object read (pure)."""

    compile: CompileCommand

    def check(self, candidate: Path) -> Verdict:
        info = compile_object(self.compile, candidate)
        return info if isinstance(info, Verdict) else self.judge(info)

    def judge(self, info: ObjectInfo) -> Verdict:
        raise NotImplementedError

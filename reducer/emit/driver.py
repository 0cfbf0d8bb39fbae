"""What the user's clang driver command means to the backend.

``clang -### <flags> -c x.c`` prints the cc1 command line the driver would run; from it we
read the settings that decide relocations (triple, relocation model, code model, large data
threshold, optimisation level) and derive the matching ``llc`` flags. The cc1 arguments are
also grouped into units (a flag with its separate value) so the clang test can start from
all of them and drop those that do not matter (reducer.emit.c_test).
"""

from __future__ import annotations

import functools
import re
import shlex
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reducer.errors import CompilerError, UsageError
from reducer.process import run_program

# cc1 flags that take their value as the next argument.
SEPARATE_VALUE = frozenset(
    {
        "-triple",
        "-aux-triple",
        "-mrelocation-model",
        "-pic-level",
        "-main-file-name",
        "-target-cpu",
        "-tune-cpu",
        "-target-feature",
        "-target-abi",
        "-target-linker-version",
        "-resource-dir",
        "-internal-isystem",
        "-internal-externc-isystem",
        "-isystem",
        "-iquote",
        "-idirafter",
        "-isysroot",
        "-I",
        "-D",
        "-U",
        "-include",
        "-o",
        "-x",
        "-ferror-limit",
        "-fmessage-length",
        "-stack-protector",
        "-stack-protector-buffer-size",
        "-mllvm",
        "-dwarf-debug-flags",
        "-fdebug-compilation-dir",
        "-mthread-model",
        "-dependency-file",
        "-MT",
        "-MQ",
        "-dumpdir",
        "-fvisibility",
        "-ftype-visibility",
        "-mfloat-abi",
        "-meabi",
        "-mcode-object-version",
    }
)

# Units that never belong in a regression test: actions, paths, diagnostics formatting and
# driver bookkeeping. Matched on the unit's first token (exact, or prefix when ending in '=').
NEVER_KEEP_EXACT = frozenset(
    {
        "-cc1",
        "-emit-obj",
        "-emit-llvm",
        "-emit-llvm-bc",
        "-S",
        "-E",
        "-disable-free",
        "-clear-ast-before-backend",
        "-disable-llvm-verifier",
        "-discard-value-names",
        "-main-file-name",
        "-o",
        "-x",
        "-resource-dir",
        "-internal-isystem",
        "-internal-externc-isystem",
        "-isysroot",
        "-ferror-limit",
        "-fmessage-length",
        "-fcolor-diagnostics",
        "-fno-color-diagnostics",
        "-fdebug-compilation-dir",
        "-dumpdir",
        "-dependency-file",
        "-MT",
        "-MQ",
        "-sys-header-deps",
        "-fskip-odr-check-in-gmf",
    }
)
NEVER_KEEP_PREFIXES = (
    "-fdebug-compilation-dir=",
    "-fcoverage-compilation-dir=",
    "-fmessage-length=",
    "-fgnuc-version=",
    "-fdiagnostics-",
    "-debugger-tuning=",
)

# Flags that come from the user's driver command and are dropped before asking for -###.
_ACTION_FLAGS = frozenset({"-c", "-S", "-E", "-emit-llvm", "-###", "-v"})


@dataclass(frozen=True)
class CodegenSettings:
    """The backend settings that decide how globals are addressed."""

    triple: str
    relocation_model: str  # "static", "pic", ... (cc1 default when absent: "pic")
    code_model: str | None  # "small", "kernel", "medium", "large"; None = target default
    large_data_threshold: int | None
    opt_level: str  # "0", "1", "2", "3", "s", "z", "g", "fast"

    @property
    def llc_opt(self) -> str:
        return {"s": "2", "z": "2", "g": "1", "fast": "3"}.get(self.opt_level, self.opt_level)

    def llc_flags(self) -> list[str]:
        """llc flags equivalent to these settings (without -mtriple, which the IR carries)."""
        flags = [f"-O{self.llc_opt}"]
        if self.code_model:
            flags.append(f"-code-model={self.code_model}")
        flags.append(f"-relocation-model={self.relocation_model}")
        if self.large_data_threshold is not None and self.code_model in ("medium", "large"):
            flags.append(f"-large-data-threshold={self.large_data_threshold}")
        return flags


_LLC_TRIPLE = re.compile(r'^target triple = "([^"]+)"', re.MULTILINE)


def llc_settings(flags: Sequence[str], ir: str) -> CodegenSettings:
    """The settings an llc command compiles ``ir`` with, llc's defaults where the flags are
    silent (-O2; static relocation model and the small code model on x86-64 ELF)."""
    values = {}
    for flag in flags:
        name, _, value = flag.partition("=")
        values[name] = value
    opt = next((f[2:] for f in flags if re.fullmatch(r"-O[0-3]", f)), "2")
    triple = values.get("-mtriple") or next(iter(_LLC_TRIPLE.findall(ir)), "")
    threshold = values.get("-large-data-threshold", "")
    return CodegenSettings(
        triple=triple,
        relocation_model=values.get("-relocation-model") or "static",
        code_model=values.get("-code-model") or None,
        large_data_threshold=int(threshold) if threshold.isdigit() else None,
        opt_level=opt,
    )


@dataclass(frozen=True)
class Cc1Command:
    args: tuple[str, ...]  # everything after "-cc1"

    def units(self) -> list[tuple[str, ...]]:
        """The arguments grouped as (flag,) or (flag, value), inputs as (path,)."""
        units: list[tuple[str, ...]] = []
        i = 0
        while i < len(self.args):
            arg = self.args[i]
            if arg in SEPARATE_VALUE and i + 1 < len(self.args):
                units.append((arg, self.args[i + 1]))
                i += 2
            else:
                units.append((arg,))
                i += 1
        return units

    def value(self, flag: str) -> str | None:
        for unit in self.units():
            if unit[0] == flag and len(unit) == 2:
                return unit[1]
            if flag.endswith("=") and unit[0].startswith(flag):
                return unit[0][len(flag) :]
        return None

    def settings(self) -> CodegenSettings:
        triple = self.value("-triple")
        if triple is None:
            raise CompilerError("the driver's cc1 command has no -triple")
        threshold = self.value("-mlarge-data-threshold=")
        opt = "0"
        for unit in self.units():
            if unit[0].startswith("-O") and len(unit) == 1:
                opt = unit[0][2:] or "2"
        code_model = self.value("-mcmodel=")
        if code_model == "default":
            code_model = None
        return CodegenSettings(
            triple=triple,
            relocation_model=self.value("-mrelocation-model") or "pic",
            code_model=code_model,
            large_data_threshold=int(threshold) if threshold and threshold.isdigit() else None,
            opt_level=opt,
        )

    def test_candidates(self, source_name: str) -> list[tuple[str, ...]]:
        """Units that might matter in a clang test, in cc1 order."""
        kept = []
        for unit in self.units():
            head = unit[0]
            if head in NEVER_KEEP_EXACT or head.startswith(NEVER_KEEP_PREFIXES):
                continue
            if len(unit) == 1 and not head.startswith("-"):
                continue  # the input file
            if head == source_name:
                continue
            kept.append(unit)
        return kept


def driver_flags(compile_argv: list[str] | tuple[str, ...]) -> list[str]:
    """The user's flags without the program name, the action and any input or output."""
    flags: list[str] = []
    skip = False
    for arg in compile_argv[1:]:
        if skip:
            skip = False
            continue
        if arg == "-o":
            skip = True
            continue
        if arg in _ACTION_FLAGS:
            continue
        flags.append(arg)
    return flags


def parse_cc1_line(stderr: str) -> Cc1Command:
    for line in stderr.splitlines():
        if '"-cc1"' not in line:
            continue
        args = shlex.split(line)
        index = args.index("-cc1")
        return Cc1Command(tuple(args[index + 1 :]))
    raise CompilerError("clang -### printed no cc1 command (is this a clang driver?)")


def query_cc1(compile_argv: list[str] | tuple[str, ...], timeout: float) -> Cc1Command:
    """Ask the user's driver for the cc1 command it would run on a C file: once per
    command in a process (the answer depends on nothing else)."""
    return _query_cc1(tuple(compile_argv), timeout)


@functools.lru_cache(maxsize=64)
def _query_cc1(compile_argv: tuple[str, ...], timeout: float) -> Cc1Command:
    if not compile_argv:
        raise UsageError("no compile command given after '--'")
    program = compile_argv[0]
    with tempfile.TemporaryDirectory(prefix="reducer-emit-") as tmp:
        source = Path(tmp) / "x.c"
        source.write_text("")
        argv = [program, *driver_flags(compile_argv), "-###", "-c", source.name]
        try:
            result = run_program(argv, timeout=timeout, cwd=Path(tmp))
        except OSError as exc:
            raise CompilerError(f"cannot run {program}: {exc.strerror}") from exc
    if result.timed_out or result.returncode != 0:
        raise CompilerError(f"{program} -### failed: {result.stderr_tail(3)}")
    return parse_cc1_line(result.stderr.decode("utf-8", "replace"))

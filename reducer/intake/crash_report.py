"""A clang crash report as the input: the ``.sh`` clang writes after "PLEASE submit a bug
report" (with ``-fcrash-diagnostics`` on, the default) and the preprocessed source beside it.

The script is clang's own format::

    # Crash reproducer for Debian clang version 19.1.7 (3~deb12u1)
    # Driver args: "-O2" "-c" "a.c" "-o" "/dev/null"
    # Original command:  "/usr/lib/llvm-19/bin/clang" "-cc1" ... "-x" "c" "a.c"
     "/usr/lib/llvm-19/bin/clang" "-cc1" ... "-x" "c" "a-52950b.c"

The reduction runs the clang the script names (its cc1 line's program) as a driver with
the driver's arguments, on the preprocessed file (``a-52950b.c``, found beside the
script): what every oracle, the flag reduction and emission take. The line markers
(``# 1 "a.c"``) are left out of the text reduced, so diagnostics point at the file itself.
A script without a ``# Driver args:`` line is refused (one line): the cc1 flags alone
do not say which driver flags to compile with.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from reducer.errors import InputError
from reducer.inputs import read_source

BANNER = "# Crash reproducer for "
_DRIVER_ARGS = "# Driver args: "
SOURCE_SUFFIXES = (".c", ".i", ".cpp", ".cc", ".cxx", ".ii", ".m", ".mi")
_LINE_MARKER = re.compile(r'^#(?: line)? \d+ "[^"\n]*"[ \d]*$\n?', re.MULTILINE)


@dataclass(frozen=True)
class CrashScript:
    script: Path
    version: str  # "Debian clang version 19.1.7 (3~deb12u1)"
    clang: str  # the program of the script's cc1 line
    driver_args: tuple[str, ...]  # the driver's arguments, without inputs and -o
    cc1_line: tuple[str, ...]  # the command the script runs
    source: Path  # the preprocessed file

    def compile_words(self) -> list[str]:
        """The compile command to reduce with: the script's clang, the driver's flags."""
        return [self.clang, *self.driver_args]

    def text(self) -> str:
        """The preprocessed source without its line markers."""
        return _LINE_MARKER.sub("", read_source(self.source))


def _is_input(word: str) -> bool:
    return not word.startswith("-") and word.endswith(SOURCE_SUFFIXES)


def read_crash_script(path: Path) -> CrashScript:
    """The crash report in ``path``; InputError (one line) when it is not clang's script or
    its preprocessed source is gone."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise InputError(f"--crash-report {path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"--crash-report {path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"--crash-report {path}: {exc.strerror}") from None
    lines = text.splitlines()
    if not lines or not lines[0].startswith(BANNER):
        raise InputError(
            f"--crash-report {path}: not a clang crash reproducer script "
            f"(its first line is not '{BANNER.strip()} ...')"
        )
    commands = [line for line in lines[1:] if line.strip() and not line.startswith("#")]
    if not commands:
        raise InputError(f"--crash-report {path}: the script runs no command")
    try:
        cc1_line = tuple(shlex.split(commands[-1]))
        driver = next(
            (shlex.split(x[len(_DRIVER_ARGS) :]) for x in lines if x.startswith(_DRIVER_ARGS)), None
        )
    except ValueError as exc:
        raise InputError(f"--crash-report {path}: cannot split its command: {exc}") from None
    if driver is None:
        raise InputError(f"--crash-report {path}: no '# Driver args:' line to compile with")
    inputs = [word for word in cc1_line[1:] if _is_input(word)]
    if not inputs:
        raise InputError(f"--crash-report {path}: its command names no source file")
    source = Path(inputs[-1])
    if not source.is_absolute():
        source = path.parent / source
    if not source.is_file():
        raise InputError(
            f"--crash-report {path}: the preprocessed source {source} is gone (clang writes "
            "it beside the script)"
        )
    words = iter(driver)
    kept: list[str] = []
    for word in words:
        if word == "-o":
            next(words, None)
        elif not _is_input(word):
            kept.append(word)
    return CrashScript(
        path,
        lines[0][len(BANNER) :].strip(),
        cc1_line[0],
        tuple(kept),
        cc1_line,
        source,
    )

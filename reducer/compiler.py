"""Compiler discovery and invocation.

The user gives the compile command after ``--`` (e.g. ``clang-19 -O0 -mcmodel=large -c``);
we append ``-o <object>`` and the candidate file ourselves.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reducer.errors import CompilerNotFound, UsageError
from reducer.process import ProcessResult, run_for_output, run_program

DEFAULT_COMPILE_TIMEOUT = 30.0


# clang's driver writes a preprocessed copy and a script to $TMPDIR on every crash; over
# thousands of candidates that litters /tmp. Every driver compile the product runs passes
# this (cc1 and llc never write such files).
NO_CRASH_FILES = ("-fno-crash-diagnostics",)

# What a compile writes. The command itself never says: the object layer (reducer.objects)
# asks for one, and the command's style knows the flag for it.
OUTPUT_OBJECT, OUTPUT_ASM = "obj", "asm"
STYLE_DRIVER, STYLE_CC1, STYLE_LLC, STYLE_OPT = "driver", "cc1", "llc", "opt"
_OUTPUT_FLAGS: dict[str, dict[str, tuple[str, ...]]] = {
    # The user's driver command carries -c; -S after it wins (clang takes the last of them).
    STYLE_DRIVER: {OUTPUT_OBJECT: (), OUTPUT_ASM: ("-S",)},
    STYLE_CC1: {OUTPUT_OBJECT: ("-emit-obj",), OUTPUT_ASM: ("-S",)},
    # llc refuses a repeated -filetype, so its commands never carry one.
    STYLE_LLC: {OUTPUT_OBJECT: ("-filetype=obj",), OUTPUT_ASM: ("-filetype=asm",)},
    # opt writes IR, never an object; its "assembly" is the textual IR (-S), which is what
    # an output-pattern oracle reads for a middle-end bug.
    STYLE_OPT: {OUTPUT_ASM: ("-S",)},
}
# LLVM's IR tools, by program name (llc, llc-19, /usr/lib/llvm-22/bin/opt): they take IR,
# not C, and no driver flags (-iquote, -fno-crash-diagnostics).
_TOOL_STYLES = {"llc": STYLE_LLC, "opt": STYLE_OPT}
_VERSIONED_TOOL = re.compile(r"^(llc|opt)(?:-\d+(?:\.\d+)*)?$")


def style_of(program: str) -> str:
    """How to drive ``program``: an LLVM IR tool by its name, else a clang-like driver
    (a cc1 command is only ever built by emission, never taken from the user)."""
    match = _VERSIONED_TOOL.match(Path(program).name)
    return _TOOL_STYLES[match.group(1)] if match else STYLE_DRIVER


def private_env(directory: Path) -> dict[str, str]:
    """The environment for a tool run in a private ``directory``: TMPDIR points there. A
    crashing LLVM tool symbolizes its stack trace through files in $TMPDIR, and a clang
    that compiles and links keeps its object in $TMPDIR; both stay behind when the run is
    cancelled or timed out (a speculative candidate): in the private directory they go
    with it (measured: /tmp/input-*.o from killed miscompile builds)."""
    return {**os.environ, "TMPDIR": str(directory.absolute())}


def takes_ir(style: str) -> bool:
    return style in (STYLE_LLC, STYLE_OPT)


_KIND_NAMES = {OUTPUT_OBJECT: "an object file", OUTPUT_ASM: "assembly"}


@dataclass(frozen=True)
class CompileCommand:
    argv: tuple[str, ...]
    timeout: float = DEFAULT_COMPILE_TIMEOUT
    style: str = STYLE_DRIVER  # how to ask it for an object or assembly

    @classmethod
    def from_user(
        cls,
        argv: list[str],
        timeout: float = DEFAULT_COMPILE_TIMEOUT,
        source_dir: Path | None = None,
        directory: Path | None = None,
    ) -> CompileCommand:
        """The user's command, made to work from the private directories candidates are
        compiled in: relative include paths become absolute (as seen from `directory`, the
        directory the command ran in: a build tree's, or by default where the user ran us),
        and `source_dir`, the original file's directory, is searched for quoted
        `#include "x.h"` as it would have been next to the original."""
        if not argv:
            raise UsageError("no compile command given after '--' (e.g. -- clang-19 -O0 -c)")
        if "-o" in argv[1:]:
            raise UsageError(
                "the compile command must not contain -o: reduce adds its own output file"
            )
        program = argv[0]
        if "/" in program and directory is not None:
            # `../bin/clang` in a build log means relative to the build's directory.
            program = str(directory / program)
        problem = cannot_run(argv[0], program)
        if problem:
            raise CompilerNotFound(problem)
        words = [program, *absolute_paths(argv[1:], directory)]
        style = style_of(program)
        if source_dir is not None and style == STYLE_DRIVER:
            words += ["-iquote", str(source_dir.absolute())]
        return cls(tuple(words), timeout, style)

    @property
    def program(self) -> str:
        return self.argv[0]

    def compile(
        self,
        source: Path,
        output: Path,
        extra: tuple[str, ...] = (),
        kind: str = OUTPUT_OBJECT,
    ) -> ProcessResult:
        output_flags = _OUTPUT_FLAGS[self.style].get(kind)
        if output_flags is None:
            raise UsageError(f"{Path(self.program).name} cannot write {_KIND_NAMES[kind]}")
        argv = [
            *self.argv,
            *output_flags,
            *(NO_CRASH_FILES if self.style == STYLE_DRIVER else ()),
            *extra,
            "-o",
            str(output),
            str(source),
        ]
        return run_program(
            argv, timeout=self.timeout, cwd=source.parent, env=private_env(source.parent)
        )

    def can_write(self, kind: str) -> bool:
        """Whether this tool can be asked for ``kind`` (opt writes no object)."""
        return kind in _OUTPUT_FLAGS[self.style]

    def any_output(self) -> str:
        """What to ask for when any output will do (a crash or a diagnostic): an object
        where the tool writes one, so the whole back end runs; else its text output."""
        return OUTPUT_OBJECT if self.can_write(OUTPUT_OBJECT) else OUTPUT_ASM

    def preprocess(self, source: Path) -> str:
        """`source` run through the preprocessor with this command's flags (`-E -P`: no
        line markers), so headers and macros are no longer in the way of reduction."""
        with tempfile.TemporaryDirectory(prefix="reducer-pp-") as tmp:
            output = Path(tmp) / "preprocessed.c"
            argv = [*self.argv, *NO_CRASH_FILES, "-E", "-P", "-o", str(output)]
            argv.append(str(source.absolute()))
            return run_for_output(argv, output, "preprocessing", timeout=self.timeout)

    def macro_definitions(self, text: str, name: str) -> str:
        """The `#define` lines the preprocessor ends ``text`` with (`-E -dM`), the macros of
        its headers too, which the text alone does not show. ``name``: the file's name (its
        suffix tells the language); it is preprocessed in a private directory."""
        with tempfile.TemporaryDirectory(prefix="reducer-dm-") as tmp:
            directory = Path(tmp)
            source, output = directory / Path(name).name, directory / "macros.h"
            source.write_text(text, encoding="utf-8")
            argv = [*self.argv, *NO_CRASH_FILES, "-E", "-dM", "-o", str(output), str(source)]
            return run_for_output(
                argv, output, "listing the macros", timeout=self.timeout, cwd=directory,
                env=private_env(directory),
            )  # fmt: skip

    def parse_flags(self) -> tuple[str, ...]:
        """The flags that change what the source means (macros, include paths, language
        standard, target): what an in-process parser needs to see the code as clang does.
        From a driver command also what decides which code is an error or which #if
        branch is taken: warning flags (`-Wno-error=incompatible-function-pointer-types`
        lets Cython 0.29's output compile), -O (`__OPTIMIZE__`), -m (the target's features
        and their macros: the kernel's `-mno-sse`) and the -f flags of _MEANING_FLAGS."""
        flags: list[str] = []
        driver = self.style == STYLE_DRIVER
        words = iter(absolute_paths(list(self.argv[1:])))
        for word in words:
            if word in ("-D", "-U", *_PATH_FLAGS):
                flags += [word, next(words, "")]
            elif word.startswith(("-D", "-U", "-I", "-std=", "--target=")):
                flags.append(word)
            elif driver and word in ("-mllvm", "-Xclang"):
                next(words, "")  # the back end's or cc1's own option: not the parser's
            elif driver and _changes_meaning(word):
                flags.append(word)
        return tuple(flags)

    def with_program(self, program: str) -> CompileCommand:
        """The same flags run by ``program`` (a fixed compiler): an IR tool keeps its
        style by name; a clang keeps this command's (driver or cc1)."""
        style = style_of(program)
        return CompileCommand(
            (program, *self.argv[1:]), self.timeout, self.style if style == STYLE_DRIVER else style
        )


def cannot_run(word: str, program: str | None = None) -> str | None:
    """Why the compiler the user named ``word`` (found as ``program``, default the same)
    cannot be run, in their words; None when it can. A path is looked at, not searched
    for: "not on PATH" for /opt/clang or ./cc sent users looking in the wrong place."""
    program = program or word
    if "/" not in program:
        return None if shutil.which(program) else f"compiler not found: {word!r} is not on PATH"
    path = Path(program)
    if not path.exists():
        return f"compiler not found: {word} (no such file)"
    if path.is_dir():
        return f"compiler {word} is a directory"
    if not path.is_file() or not os.access(path, os.X_OK):
        return f"compiler {word} is not executable (chmod +x it?)"
    return None


# The -f flags (each also as -fno-...) that change what C code means to the front end:
# extensions and keywords it accepts, the type of `char`, predefined macros (__PIC__,
# __FAST_MATH__, _OPENMP, __SSP__, __has_feature(address_sanitizer)), hosted or not.
_MEANING_FLAGS = (
    "ms-extensions", "ms-compatibility", "declspec", "blocks", "gnu89-inline", "builtin",
    "signed-char", "unsigned-char", "short-enums", "short-wchar", "common", "freestanding",
    "hosted", "openmp", "fast-math", "finite-math-only", "pic", "PIC", "pie", "PIE", "asm",
    "gnu-keywords", "dollars-in-identifiers", "trigraphs", "strict-flex-arrays=",
    "sanitize=", "stack-protector", "gnu-inline-asm", "zero-initialized-in-bss",
)  # fmt: skip


def _changes_meaning(word: str) -> bool:
    """Whether a driver flag (other than -D, -U, -I, -std, --target) changes which code
    clang's front end accepts or which #if branches it takes: see parse_flags."""
    if word.startswith("-W"):
        return not word.startswith(("-Wl,", "-Wa,", "-Wp,"))  # the linker's, ...
    if word.startswith(("-O", "-m")) or word == "-w":
        return True
    if word.startswith("-f"):
        name = word[len("-fno-") :] if word.startswith("-fno-") else word[len("-f") :]
        return name.startswith(_MEANING_FLAGS)
    return False


# Flags whose value is a path, written `-I dir`, `-Idir` or (for the long ones) `--sysroot=dir`.
_PATH_FLAGS = ("-I", "-isystem", "-iquote", "-idirafter", "-include", "-imacros", "-isysroot")
_PATH_OPTIONS = (
    "--sysroot=",
    # Files a build tree's command reads, relative to where it ran.
    "-fsanitize-ignorelist=",
    "-fsanitize-blacklist=",
    "-fprofile-use=",
    "-fprofile-instr-use=",
    "-fprofile-sample-use=",
)


def absolute_paths(flags: list[str], directory: Path | None = None) -> list[str]:
    """`flags` with every relative path value of an include-like flag made absolute,
    relative to `directory` (the directory the command ran in; default: ours)."""
    base = (directory or Path.cwd()).absolute()

    def absolute(value: str) -> str:
        # No resolve(): a symlinked include dir must stay the path the build used.
        return value if not value or Path(value).is_absolute() else str(base / value)

    result: list[str] = []
    words = iter(flags)
    for word in words:
        if word in (*_PATH_FLAGS, "--sysroot"):
            result += [word, absolute(next(words, ""))]
            continue
        joined = next((f for f in (*_PATH_FLAGS, *_PATH_OPTIONS) if word.startswith(f)), None)
        # A value starting with '-' means another flag (`-include-pch`, `-isystem-after`).
        if joined is not None and len(word) > len(joined) and word[len(joined)] != "-":
            result.append(joined + absolute(word[len(joined) :]))
        else:
            result.append(word)
    return result


@cache
def compiler_version(program: str) -> str:
    """First line of ``program --version``, e.g. 'Debian clang version 19.1.7 (3~deb12u1)'."""
    try:
        result = run_program([program, "--version"], timeout=5)
    except OSError as exc:
        return f"unknown ({exc.strerror})"
    if result.timed_out or not result.stdout:
        return "unknown"
    return result.stdout.decode("utf-8", "replace").splitlines()[0].strip()


def major_of(program: str) -> int | None:
    """19 for 'clang-19', 'llc-19' or '/usr/lib/llvm-19/bin/clang'; None for a bare
    'clang'."""
    match = re.search(r"-(\d+)$", Path(program).name) or re.search(r"llvm-(\d+)/", program)
    return int(match.group(1)) if match else None


def major_version(version_line: str) -> int | None:
    match = re.search(r"version (\d+)\.", version_line)
    return int(match.group(1)) if match else None


def installed_clangs(low: int = 10, high: int = 40) -> list[str]:
    """Versioned clang executables on PATH (clang-16, clang-19, ...), oldest first."""
    return installed_versions("clang", low, high)


def installed_versions(tool: str, low: int = 10, high: int = 40) -> list[str]:
    """Versioned ``tool`` executables on PATH (llc-16, llc-19, ...), oldest first."""
    return [f"{tool}-{major}" for major in range(low, high + 1) if shutil.which(f"{tool}-{major}")]

"""Finding one LLVM release's tools: clang, llc, llvm-reduce, llvm-readobj, FileCheck, not, count.

A toolchain is named three ways on the command line:

* by its clang (``clang-19``, ``/opt/llvm/bin/clang``): the tools are looked up next to the
  clang binary after resolving symlinks (Debian's /usr/bin/clang-19 -> /usr/lib/llvm-19/bin),
  else as ``<tool>-<major>`` on PATH;
* by a major version or suffix (``22``, ``-22``): ``llc-22`` etc. on PATH;
* by a directory (``/usr/lib/llvm-22/bin``): the unsuffixed tools in it; the version is read
  from ``llc --version``.

FileCheck is LLVM's when the toolchain has one, else the PyPI ``filecheck`` console script
(installed with this package), which understands the subset of check syntax we emit.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reducer.compiler import STYLE_DRIVER, style_of
from reducer.errors import CompilerNotFound, UsageError
from reducer.process import run_program

VERSION_TIMEOUT = 20.0
FILECHECK_KINDS = ("llvm", "pypi")


@cache
def tool_version_line(program: str) -> str:
    """The line of ``program --version`` that names the release ('... version 19.1.7 ...')."""
    try:
        result = run_program([program, "--version"], timeout=VERSION_TIMEOUT)
    except OSError:
        return ""
    text = result.stdout.decode("utf-8", "replace") if result.stdout else ""
    for line in text.splitlines():
        if re.search(r"version \d+\.", line):
            return line.strip()
    return ""


def version_of(program: str) -> tuple[int, int, int] | None:
    match = re.search(r"version (\d+)\.(\d+)\.(\d+)", tool_version_line(program))
    if not match:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch)


def pypi_filecheck() -> str | None:
    """The PyPI ``filecheck`` script of the running interpreter's environment, or on PATH."""
    beside = Path(sys.executable).parent / "filecheck"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("filecheck")


@dataclass(frozen=True)
class Toolchain:
    """The tools of one LLVM release. ``bindir`` holds unsuffixed tools when known."""

    major: int
    version: str  # "19.1.7"
    clang: str | None
    bindir: Path | None

    @property
    def label(self) -> str:
        return f"llvm-{self.major}"

    def find(self, name: str) -> str | None:
        if self.bindir is not None:
            candidate = self.bindir / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
        return shutil.which(f"{name}-{self.major}")

    def require(self, name: str) -> str:
        found = self.find(name)
        if found is None:
            where = f" in {self.bindir} or" if self.bindir else ""
            raise CompilerNotFound(
                f"{name} for LLVM {self.major} not found{where} as {name}-{self.major} on PATH"
            )
        return found

    def require_clang(self) -> str:
        if self.clang is None:
            raise CompilerNotFound(f"no clang for LLVM {self.major} (give --fixed-cc)")
        return self.clang

    def filecheck(self, kind: str = "llvm") -> tuple[str, str]:
        """(path, description) of the FileCheck to use: LLVM's when asked for and installed,
        the PyPI one otherwise."""
        if kind not in FILECHECK_KINDS:
            raise UsageError(f"FileCheck kind must be one of {', '.join(FILECHECK_KINDS)}")
        if kind == "llvm":
            found = self.find("FileCheck")
            if found is not None:
                return found, f"FileCheck-{self.major}"
        pypi = pypi_filecheck()
        if pypi is None:
            raise CompilerNotFound("neither LLVM's FileCheck nor the PyPI filecheck is installed")
        return pypi, "filecheck (PyPI)"

    def has_llvm_filecheck(self) -> bool:
        return self.find("FileCheck") is not None


def _bindir_for(directory: Path, major: int) -> Path | None:
    """``directory`` if it holds an llc of release ``major`` (Debian's /usr/lib/llvm-N/bin),
    else None: a plain /usr/local/bin may hold unsuffixed tools of another release."""
    llc = directory / "llc"
    if not llc.is_file():
        return None
    version = version_of(str(llc))
    return directory if version is not None and version[0] == major else None


def toolchain_for_clang(program: str) -> Toolchain:
    """The toolchain a clang (or an LLVM tool: llc, opt) belongs to."""
    resolved = shutil.which(program)
    if resolved is None:
        raise CompilerNotFound(f"compiler not found: {program!r} is not on PATH")
    version = version_of(resolved)
    if version is None:
        raise CompilerNotFound(f"cannot read the version of {program} ({resolved})")
    real = Path(os.path.realpath(resolved)).parent
    bindir = _bindir_for(real, version[0])
    clang: str | None = program
    if style_of(program) != STYLE_DRIVER:  # llc-19 names its release, not a clang
        beside = bindir / "clang" if bindir is not None else None
        clang = str(beside) if beside and beside.is_file() else shutil.which(f"clang-{version[0]}")
    return Toolchain(version[0], ".".join(map(str, version)), clang, bindir)


def toolchain_for_llvm(spec: str) -> Toolchain:
    """The toolchain named by a directory of tools or by a version suffix ('22', '-22')."""
    path = Path(spec).expanduser()
    if path.is_dir():
        llc = path / "llc"
        if not llc.is_file():
            raise CompilerNotFound(f"{spec} has no llc: not an LLVM bin directory")
        version = version_of(str(llc))
        if version is None:
            raise CompilerNotFound(f"cannot read the LLVM version of {llc}")
        clang = path / "clang"
        return Toolchain(
            version[0],
            ".".join(map(str, version)),
            str(clang) if clang.is_file() else None,
            path.resolve(),
        )
    match = re.fullmatch(r"-?(\d+)", spec.strip())
    if not match:
        raise UsageError(
            f"--fixed-llvm wants a directory or a version suffix like 22, not {spec!r}"
        )
    major = int(match.group(1))
    llc = shutil.which(f"llc-{major}")
    if llc is None:
        raise CompilerNotFound(f"llc-{major} is not on PATH")
    version = version_of(llc)
    bindir = _bindir_for(Path(os.path.realpath(llc)).parent, major)
    clang: str | None = f"clang-{major}" if shutil.which(f"clang-{major}") else None
    if clang is None and bindir is not None and (bindir / "clang").is_file():
        clang = str(bindir / "clang")
    text = ".".join(map(str, version)) if version else f"{major}"
    return Toolchain(major, text, clang, bindir)


def fixed_toolchain(fixed_cc: str | None, fixed_llvm: str | None) -> Toolchain | None:
    """Combine --fixed-cc and --fixed-llvm: either alone names the whole toolchain."""
    if fixed_cc is None and fixed_llvm is None:
        return None
    if fixed_llvm is None:
        assert fixed_cc is not None
        return toolchain_for_clang(fixed_cc)
    llvm = toolchain_for_llvm(fixed_llvm)
    if fixed_cc is None:
        return llvm
    if shutil.which(fixed_cc) is None:
        raise CompilerNotFound(f"compiler not found: {fixed_cc!r} is not on PATH")
    return Toolchain(llvm.major, llvm.version, fixed_cc, llvm.bindir)

"""Shared fixtures. Tests needing a Debian compiler skip loudly (with the package to
install) when it is missing; CI installs them, so nothing is skipped there."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "cases"
LARGE_O0 = ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"]


def case_input(case_dir: Path) -> Path:
    """A case's original: input.ll (LLVM IR for llc/opt) when it has one, the preprocessed
    source its clang crash report names (case.toml's crash_report), else input.c."""
    from reducer.commands.cases import load_case

    ir = case_dir / "input.ll"
    if ir.is_file():
        return ir
    if (case_dir / "case.toml").is_file():
        return load_case(case_dir).input
    return case_dir / "input.c"


def reduce_input_words(case_dir: Path, compiler: str, flags: list[str]) -> list[str]:
    """What `reduce` is given for a case's input: ``--crash-report SCRIPT`` for a crash
    report (the compile command is the script's), else ``FILE -- compiler flags``."""
    from reducer.commands.cases import load_case

    case = load_case(case_dir)
    if case.crash_report:
        return ["--crash-report", str(case_dir / case.crash_report)]
    return [str(case_input(case_dir)), "--", compiler, *flags]


REPRODUCER = 'int a[1] __attribute__((section("x")));\nvoid f(){int*p=a;}\n'


def missing(message: str) -> NoReturn:
    """Skip loudly with the reason; in CI (which installs everything) fail instead."""
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must not skip this)")
    pytest.skip(message)


def require_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        missing(f"{name} not found: install the Debian package {package}")
    return path


@pytest.fixture
def need_libclang() -> None:
    from reducer import libclang

    if not libclang.available():
        missing("libclang not loadable: install the Debian package libclang1-19")


def need_compiler(name: str) -> str:
    """A compiler named like its Debian package (clang-19 comes from clang-19), by name."""
    require_tool(name, name)
    return name


@pytest.fixture
def clang19() -> str:
    return require_tool("clang-19", "clang-19")


@pytest.fixture
def clang22() -> str:
    return require_tool("clang-22", "clang-22")


def mount_tmpfs(directory: Path, options: str) -> bool:
    """Mount a tmpfs on ``directory`` (root only); whether it worked."""
    try:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(directory)],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def unmount(directory: Path) -> None:
    # -l: a file a failed test left open must not keep the mount (and the test) alive.
    subprocess.run(["umount", "-l", str(directory)], capture_output=True, timeout=30, check=False)


def _fill(directory: Path) -> None:
    """Take every free byte of the filesystem ``directory`` is on."""
    fd = os.open(directory / ".filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def disk_full(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[bool]:
    """``directory`` (new, empty) becomes a place where writing data fails with ENOSPC:
    a full 8 KiB tmpfs when we may mount one (as root), else os.write patched to fail
    for files under it, said loudly (a warning in the summary), since only the real
    tmpfs shows what close() and fsync() report. Yields whether the tmpfs is real."""
    directory.mkdir()
    mounted = mount_tmpfs(directory, "size=8k,mode=0755")
    if mounted:
        try:
            _fill(directory)
            yield True
        finally:
            unmount(directory)
        return
    message = (
        f"could not mount a tmpfs on {directory} (not root?): ENOSPC faked by patching os.write"
    )
    print(f"\n*** {message} ***", file=sys.stderr)
    warnings.warn(message, stacklevel=2)
    real_write = os.write
    prefix = str(directory.resolve()) + "/"

    def failing_write(fd: int, data: bytes | memoryview) -> int:
        try:
            where = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            where = ""
        if where.startswith(prefix):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", failing_write)
    yield False


@contextlib.contextmanager
def read_only_fs(directory: Path) -> Iterator[bool]:
    """``directory`` (new) as a read-only tmpfs (EROFS) when we may mount one; yields
    whether it is mounted (not mounted: a plain directory)."""
    directory.mkdir()
    mounted = mount_tmpfs(directory, "ro,size=8k")
    try:
        yield mounted
    finally:
        if mounted:
            unmount(directory)


# Lines tests want in the terminal summary whatever -s says (the CLI fuzz's counts).
# A fixture, not an import: tests import this file as tests.conftest, a module apart
# from the conftest pytest loaded and calls the hook of.
_SUMMARY: list[str] = []


@pytest.fixture(scope="session")
def terminal_summary() -> list[str]:
    """Append lines here to have them printed at the end of the run."""
    return _SUMMARY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in _SUMMARY:
        terminalreporter.write_line(line)


# An input a script oracle can shrink (no compiler needed): the script wants `needle`.
SCRIPT_CASE_SOURCE = "int a;\nint needle;\nint b(void) { return 1; }\n"


def write_script_case(directory: Path) -> Path:
    """``in.c`` and an executable ``t.sh`` (interesting while in.c names needle) in
    ``directory``; the input's path."""
    source = directory / "in.c"
    source.write_text(SCRIPT_CASE_SOURCE)
    script = directory / "t.sh"
    script.write_text("#!/bin/sh\ngrep -q needle in.c\n")
    script.chmod(0o755)
    return source


def run_reduce(
    arguments: list[str], cwd: Path, tmp: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m reducer ARGUMENTS`` in ``cwd`` with TMPDIR=``tmp`` (so a test can count
    what a run leaves there)."""
    return subprocess.run(
        [sys.executable, "-m", "reducer", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TMPDIR": str(tmp)},
        check=False,
    )

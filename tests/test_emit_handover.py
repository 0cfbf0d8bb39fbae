"""`reduce --emit` hands the reduction's results to emission: `clang -###` runs at most once
per compiler, and emission compiles the reduced file with the minimal command on neither
side again (the flag reduction already proved it). Counted with logging wrappers of
clang-19 and clang-22 first on PATH."""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import require_tool

pytestmark = [pytest.mark.compilers, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
FLAGS = ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"]

WRAPPER = """#!/bin/sh
last=""; for a in "$@"; do last="$a"; done
h=-; [ -f "$last" ] && h=$(sha256sum < "$last" | cut -c1-16)
printf '%s\\t%s\\t%s\\n' "{major}" "$h" "$*" >> "{log}"
exec {real} "$@"
"""


def _wrapped_toolchain(directory: Path, major: int, log: Path) -> Path:
    """A bin directory like /usr/lib/llvm-N/bin whose clang and clang-N log their argv and
    the hash of their last argument's contents, and whose other tools are the real ones."""
    real_bin = Path(f"/usr/lib/llvm-{major}/bin")
    directory.mkdir()
    for tool in real_bin.iterdir():
        if tool.name not in ("clang", f"clang-{major}"):
            (directory / tool.name).symlink_to(tool)
    for name in ("clang", f"clang-{major}"):
        script = directory / name
        script.write_text(WRAPPER.format(major=major, log=log, real=real_bin / "clang"))
        script.chmod(0o755)
    return directory


def test_reduce_emit_asks_the_driver_once_and_rechecks_nothing(tmp_path: Path) -> None:
    for tool, package in (("clang-19", "clang-19"), ("clang-22", "clang-22")):
        require_tool(tool, package)
    log = tmp_path / "calls.log"
    dirs = [_wrapped_toolchain(tmp_path / f"w{major}", major, log) for major in (19, 22)]
    source = tmp_path / "p.c"
    source.write_text((REPO / "cases/purgatory-O0-sha256/input.c").read_text())
    env = {**os.environ, "PATH": os.pathsep.join([*map(str, dirs), os.environ["PATH"]])}
    argv = [sys.executable, "-m", "reducer", "--oracle", "r_x86_64_32s", "--keep-names", "-q"]
    argv += ["--good-cc", "clang-22", "--emit", str(tmp_path / "out"), str(source)]
    result = subprocess.run(
        [*argv, "--", "clang-19", *FLAGS],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    calls = [line.split("\t", 2) for line in log.read_text().splitlines()]
    assert len(calls) > 50, "the wrappers logged too little: were they on PATH?"

    driver_queries = Counter(major for major, _, args in calls if "-###" in args.split())
    assert driver_queries == Counter({"19": 1}), driver_queries

    reduced = tmp_path / "p.reduced.c"
    digest = hashlib.sha256(reduced.read_bytes()).hexdigest()[:16]
    minimal = shlex.split((tmp_path / "p.reduced.cmd").read_text())[1:-1]

    def flags_of(args: str) -> list[str]:
        """A driver compile's flags without the output, the source, and what reduce adds:
        the -iquote of the original's directory and -fno-crash-diagnostics."""
        words = args.split()
        keep: list[str] = []
        skip = False
        for word in words[:-1]:
            if skip:
                skip = False
            elif word in ("-o", "-iquote"):
                skip = True
            elif word != "-fno-crash-diagnostics":
                keep.append(word)
        return keep

    with_minimal = Counter(
        major
        for major, content, args in calls
        if content == digest and "-cc1" not in args and flags_of(args) == minimal
    )
    # Once each, by the flag reduction that found the minimal command (the bad compiler,
    # then the good one); emission compiled it with neither.
    assert with_minimal == Counter({"19": 1, "22": 1}), (minimal, with_minimal)

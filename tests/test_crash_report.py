"""reduce --crash-report: clang's crash reproducer script as the input (real clang-19,
fixed clang-22): bad scripts are one line and exit 3 with nothing written; a real
script (written by clang-19 itself in a private TMPDIR) is reduced and its test emitted."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from reducer.errors import InputError
from reducer.intake.crash_report import read_crash_script
from tests.conftest import require_tool, run_reduce

# llvm/llvm-project#102218: an empty delimited escape in a printf format string; clang
# 16 and 19 report the error, then crash (SIGSEGV) checking the format; 20+ do not.
CRASHES = (
    "int printf(const char *, ...);\n"
    "struct item { const char *name; int count; };\n"
    "void show(struct item *it) {\n"
    '  printf("%s: \\x{} %d\\n", it->name, it->count);\n'
    "}\n"
)



@pytest.fixture
def script(tmp_path: Path) -> Path:
    """The .sh and .c clang-19 writes for the crash, in a private directory."""
    clang = require_tool("clang-19", "clang-19")
    reports = tmp_path / "reports"
    reports.mkdir()
    (tmp_path / "show.c").write_text(CRASHES)
    result = subprocess.run(
        [clang, "--target=x86_64-linux-gnu", "-O1", "-c", "show.c", "-o", "show.o"],
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        env={**os.environ, "TMPDIR": str(reports)},
        check=False,
    )
    assert b"PLEASE submit a bug report" in result.stderr
    (sh,) = reports.glob("*.sh")
    return sh


def test_the_script_is_read_as_clang_wrote_it(script: Path) -> None:
    report = read_crash_script(script)
    assert report.source == script.with_suffix(".c") and report.source.is_file()
    assert Path(report.clang).name == "clang" and "-cc1" in report.cc1_line
    assert report.driver_args == ("--target=x86_64-linux-gnu", "-O1", "-c")
    assert "# 1 " in report.source.read_text() and "# 1 " not in report.text()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("#!/bin/sh\nclang -c x.c\n", "not a clang crash reproducer script"),
        ('# Crash reproducer for clang 19\n# Driver args: "-c"\n', "runs no command"),
        ('# Crash reproducer for clang 19\n "clang" "-cc1" "gone-123.c"\n', "Driver args"),
        (
            '# Crash reproducer for clang 19\n# Driver args: "-c" "x.c"\n "clang" "-cc1" "gone-1.c"\n',
            "is gone",
        ),
    ],
)
def test_bad_scripts_are_one_line_and_exit_3(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.sh"
    bad.write_text(content)
    with pytest.raises(InputError, match=message):
        read_crash_script(bad)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    result = run_reduce(["--crash-report", str(bad), "--emit", "out"], tmp_path, tmp)
    assert result.returncode == 3, result.stderr
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.sh", "tmp"]


def test_file_and_script_together_is_a_usage_error(script: Path, tmp_path: Path) -> None:
    result = run_reduce(
        ["--crash-report", str(script), str(script.with_suffix(".c"))], tmp_path, tmp_path
    )
    assert result.returncode == 2 and "not both" in result.stderr


def test_a_crash_report_reduces_and_emits_a_verify_test(script: Path, tmp_path: Path) -> None:
    require_tool("clang-22", "clang-22")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out"
    reduced = tmp_path / "reduced.c"
    args = ["--crash-report", str(script), "-o", str(reduced), "--good-cc", "clang-22"]
    result = run_reduce([*args, "--emit", str(out), "-q"], tmp_path, tmp)
    assert result.returncode == 0, result.stderr
    assert "crash route: clang-crash-verify" in result.stdout
    (test,) = out.glob("*.c")
    text = test.read_text()
    assert "-fsyntax-only -verify %s" in text
    assert "// expected-error {{delimited escape sequence cannot be empty}}" in text
    # As valid as the original: the one error clang-19 reported before it crashed.
    assert text.count("expected-error") == 1 and "expected-note" not in text
    assert len(reduced.read_text()) < len(CRASHES)
    assert list(tmp.iterdir()) == []  # no reproducers, no symbolizer files

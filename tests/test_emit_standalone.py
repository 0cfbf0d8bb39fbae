"""Emitted tests never include a system header: a reduced file that still includes one is
written out as its preprocessor sees it and reduced to the declarations it uses, under the
same oracle, before emission (reducer/emit/standalone.py)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from reducer.cli import main
from reducer.emit.standalone import system_includes
from tests.conftest import require_tool

pytestmark = pytest.mark.compilers

# clang 19 and 22 both warn (-Wformat-truncation is on by default): a lock-in clang-verify
# test of that warning, from a file that needs <stdio.h> for snprintf.
TRUNCATED = """#include <stdio.h>
int main(void) {
  char b[4];
  snprintf(b, sizeof b, "hello world");
  return b[0];
}
"""


def test_system_includes_are_found() -> None:
    text = '#include <stdio.h>\n  # include <sys/types.h>\n#include "local.h"\nint x;\n'
    assert system_includes(text) == ["#include <stdio.h>", "# include <sys/types.h>"]
    assert system_includes("int x; // #include <stdio.h> in a comment is not first\n") == []


def _emit_with_clang19(source: Path, oracle: str, out: Path) -> str:
    """`reduce emit SOURCE --oracle ORACLE --out OUT -- clang-19 -c`, in-process; its
    report (stdout), after checking it succeeded."""
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = ["emit", str(source), "--oracle", oracle, "--out", str(out), "--", "clang-19", "-c"]
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(argv)
    assert code == 0, stderr.getvalue() + stdout.getvalue()
    return stdout.getvalue()


def test_a_clang_verify_test_from_a_file_with_stdio_h(tmp_path: Path) -> None:
    require_tool("clang-19", "clang-19")
    require_tool("FileCheck-19", "llvm-19-tools")
    source = tmp_path / "w.c"
    source.write_text(TRUNCATED)
    out = tmp_path / "tests"
    report = _emit_with_clang19(source, "diag:will always be truncated", out)
    assert "made standalone: #include <stdio.h>" in report
    test = (out / "w.c").read_text()
    assert "#include" not in test
    assert "snprintf" in test and "expected-warning" in test
    # Far smaller than stdio.h written out: only what the code uses stays.
    assert len(test) < 1200, test
    assert source.read_text() == TRUNCATED  # the user's file is never written
    rows = [
        line
        for line in report.splitlines()
        if line.startswith("| w.c") and "none given" not in line
    ]
    assert rows and all(line.rstrip(" |").endswith("yes") for line in rows), report


def test_a_header_the_preprocessor_cannot_find_leaves_the_file_as_it_is(tmp_path: Path) -> None:
    """Not standalone, said in a note naming the user's file; the tests are still emitted
    (here a -verify test of the very error)."""
    require_tool("clang-19", "clang-19")
    source = tmp_path / "m.c"
    source.write_text("#include <no_such_header_xyz.h>\nint x;\n")
    out = tmp_path / "tests"
    report = _emit_with_clang19(source, "diag:file not found", out)
    note = next(line for line in report.splitlines() if "not made standalone" in line)
    assert str(source) in note and "reducer-standalone-" not in note
    assert "#include <no_such_header_xyz.h> // expected-error" in (out / "m.c").read_text()

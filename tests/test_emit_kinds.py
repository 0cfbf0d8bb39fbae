"""The emitted test kinds' pure parts: -verify comments, crash outcomes, the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.emit import verify
from reducer.emit.kinds import test_kind as find_kind
from reducer.emit.kinds import test_kind_names as kind_names
from reducer.emit.kinds.clang_verify import annotate
from reducer.errors import CompilerError, UsageError
from reducer.oracles import oracle_kinds
from reducer.oracles.diag import parse_diagnostics


def test_verify_comments_sit_on_the_reported_lines() -> None:
    stderr = (
        "/tmp/x/w.c:2:10: warning: initializer-string for char array is too long "
        "[-Wunterminated-string-initialization]\n"
        "    2 | char c[4] = \"abcd\";\n"
        "/tmp/x/w.c:3:1: error: expected ';' after top level declarator\n"
        "1 warning and 1 error generated.\n"
    )
    body = ["int a;", 'char c[4] = "abcd";', "int b"]
    lines = annotate(body, parse_diagnostics(stderr), Path("/elsewhere/w.c"))
    assert lines[0] == "int a;"
    assert lines[1].endswith(
        "// expected-warning {{initializer-string for char array is too long}}"
    )
    assert lines[2] == "int b // expected-error {{expected ';' after top level declarator}}"
    assert annotate(body, [], Path("w.c"))[-1] == "// expected-no-diagnostics"
    with pytest.raises(CompilerError, match="cannot expect"):
        annotate(body, parse_diagnostics("clang: warning: argument unused\n"), Path("w.c"))


def test_a_crash_is_the_right_failure_only_for_a_crash_kind() -> None:
    output = "LLVM ERROR: Cannot select: f64 = fcanonicalize\nStack dump:\n0. Program arguments: llc"
    outcome = verify.classify("FAIL", output)
    assert outcome.crashed and not outcome.filecheck_mismatch
    assert verify.Row("t.ll", "affected", "llvm-19", "FileCheck-19", "FAIL", outcome, True).ok
    assert verify.Row("t.ll", "affected", "llvm-19", "FileCheck-19", "FAIL", outcome).ok is False
    missing = verify.classify("FAIL", "sh: llc: command not found")
    assert not missing.crashed
    assert verify.Row("t.ll", "affected", "l", "F", "FAIL", missing, True).ok is False
    seen = verify.classify("FAIL", "error: 'warning' diagnostics seen but not expected: ...")
    assert seen.filecheck_mismatch and seen.reason.startswith("-verify")


def test_every_test_kind_an_oracle_names_is_registered() -> None:
    for kind in oracle_kinds():
        for name in kind.test_kinds:
            assert find_kind(name).name == name
    assert {"llc-reloc", "clang-reloc", "llc-crash", "clang-verify"} <= set(kind_names())
    with pytest.raises(UsageError):
        find_kind("no-such-kind")

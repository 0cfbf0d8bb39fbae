"""The `diag:REGEX` oracle: the diagnostic parser on captured stderr, and the oracle on
clang 22's -Wunterminated-string-initialization (new in clang 21; clang 19 is silent)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from reducer.compiler import STYLE_CC1, STYLE_LLC, CompileCommand
from reducer.errors import UsageError
from reducer.oracles import OracleSpec
from reducer.oracles.diag import Diagnostic, parse_diagnostics
from tests.conftest import require_tool
from tests.oraclecheck import check, oracle_for

TAG = 'char tag[4] = "ABCD";\nint f(void) { return tag[0]; }\n'
FLAGS = ["--target=x86_64-linux-gnu", "-O0", "-Wextra", "-c"]
REGEX = r"diag:\[-Wunterminated-string-initialization\]"
CLANG22_STDERR = """\
t.c:1:15: warning: initializer-string for character array is too long, array size is 4 \
but initializer has size 5 (including the null terminating character); did you mean to use \
the 'nonstring' attribute? [-Wunterminated-string-initialization]
    1 | char tag[4] = "ABCD";
      |               ^~~~~~
t.c:4:13: warning: default initialization of an object of type 'const int' leaves the object uninitialized [-Wdefault-const-init-var-unsafe]
t.c:8:14: error: variable 'limit' is uninitialized when used here [-Werror,-Wuninitialized]
t.c:4:18: note: initialize the variable 'limit' to silence this warning
clang-22: warning: argument unused during compilation: '-nostdlib' [-Wunused-command-line-argument]
\x1b[1mt.c:9:1: \x1b[0m\x1b[0;1;31merror: \x1b[0m\x1b[1mexpected '}'\x1b[0m
fatal error: too many errors emitted, stopping now [-ferror-limit=]
2 warnings and 2 errors generated.
"""


# --- the parser -------------------------------------------------------------------------


def test_parse_diagnostics_fields() -> None:
    found = parse_diagnostics(CLANG22_STDERR)
    assert [(d.severity, d.line, d.flag) for d in found] == [
        ("warning", 1, "-Wunterminated-string-initialization"),
        ("warning", 4, "-Wdefault-const-init-var-unsafe"),
        ("error", 8, "-Werror,-Wuninitialized"),
        ("note", 4, ""),
        ("warning", 0, "-Wunused-command-line-argument"),
        ("error", 9, ""),
        ("fatal error", 0, "-ferror-limit="),
    ]
    first = found[0]
    assert (first.file, first.line, first.col) == ("t.c", 1, 15)
    assert first.message.startswith("initializer-string for character array is too long")
    assert first.message.endswith("the 'nonstring' attribute?")
    assert first.text.endswith("[-Wunterminated-string-initialization]")
    unlocated = found[4]
    assert unlocated.file == "clang-22" and not unlocated.located
    coloured = found[5]  # -fcolor-diagnostics escapes are stripped
    assert (coloured.file, coloured.message) == ("t.c", "expected '}'")


def test_snippets_and_summaries_are_not_diagnostics() -> None:
    stderr = (
        "    1 | int x = y;\n      |         ^\n1 error generated.\nIn file included from a.h:3:\n"
    )
    assert parse_diagnostics(stderr) == []


def test_windows_style_path_and_expected_comment() -> None:
    (d,) = parse_diagnostics("C:\\src\\t.c:3:5: warning: unused variable 'x' [-Wunused-variable]\n")
    assert (d.file, d.line, d.col) == ("C:\\src\\t.c", 3, 5)
    assert d.expected_comment() == "// expected-warning {{unused variable 'x'}}"
    fatal = Diagnostic("t.c", 1, 10, "fatal error", "'x.h' file not found", "", "")
    assert fatal.expected_comment() == "// expected-error {{'x.h' file not found}}"


def test_bad_regex_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="bad regular expression"):
        oracle_for("diag:[-Wfoo", ["true"], style=STYLE_LLC)
    with pytest.raises(UsageError, match="needs an argument"):
        OracleSpec.parse("diag")


# --- real compilers -----------------------------------------------------------------------


@pytest.mark.compilers
def test_clang22_warns_and_clang19_does_not(tmp_path: Path, clang19: str, clang22: str) -> None:
    verdict = check(tmp_path, TAG, REGEX, [clang22, *FLAGS])
    assert verdict.interesting and not verdict.compile_failed
    assert verdict.reason.startswith("diagnostic 1:15: warning: initializer-string")
    quiet = check(tmp_path, TAG, REGEX, [clang19, *FLAGS])
    assert not quiet.interesting and not quiet.compile_failed
    assert quiet.reason.endswith("saw no diagnostics")


@pytest.mark.compilers
def test_error_diagnostic_counts_even_though_the_compile_fails(
    tmp_path: Path, clang22: str
) -> None:
    source = "int f(void) { return undeclared_thing; }\n"
    verdict = check(tmp_path, source, "diag:use of undeclared identifier", [clang22, *FLAGS])
    assert verdict.interesting and not verdict.compile_failed
    other = check(tmp_path, source, "diag:-Wunused", [clang22, *FLAGS])
    assert not other.interesting and other.compile_failed
    assert "the compile failed (exit 1)" in other.reason and "1 error" in other.reason


@pytest.mark.compilers
def test_notes_are_not_matched(tmp_path: Path, clang22: str) -> None:
    source = "int g;\nint f(void) { int limit; return limit; }\n"
    argv = [clang22, *FLAGS, "-Wall"]
    verdict = check(tmp_path, source, "diag:is uninitialized when used", argv)
    assert verdict.interesting and verdict.lines == (2,)  # where the narrowing looks first
    assert not check(tmp_path, source, "diag:to silence this warning", argv).interesting


@pytest.mark.compilers
def test_debug_build(tmp_path: Path, clang22: str) -> None:
    assert check(tmp_path, TAG, REGEX, [clang22, *FLAGS, "-g"]).interesting


@pytest.mark.compilers
def test_cc1_style_command(tmp_path: Path, clang22: str) -> None:
    candidate = tmp_path / "t.c"
    candidate.write_text(TAG)
    cc1 = [clang22, "-cc1", "-triple", "x86_64-unknown-linux-gnu", "-Wextra"]
    assert oracle_for(REGEX, cc1, style=STYLE_CC1).check(candidate).interesting


@pytest.mark.compilers
def test_llc_style_command_on_ir(tmp_path: Path) -> None:
    llc = require_tool("llc-19", "llvm-19")
    ir = tmp_path / "t.ll"
    ir.write_text("define i32 @f() {\n  ret i32 %undefined\n}\n")
    oracle = oracle_for("diag:use of undefined value", [llc, "-O0"], style=STYLE_LLC)
    verdict = oracle.check(ir)
    assert verdict.interesting and verdict.reason.startswith("diagnostic 2:")
    ir.write_text("define i32 @f() {\n  ret i32 0\n}\n")
    verdict = oracle.check(ir)
    assert not verdict.interesting and not verdict.compile_failed


@pytest.mark.compilers
def test_differential_and_pickling(tmp_path: Path, clang19: str, clang22: str) -> None:
    candidate = tmp_path / "t.c"
    candidate.write_text(TAG)
    spec = OracleSpec.parse(REGEX, good_cc=[clang19])
    oracle = pickle.loads(
        pickle.dumps(spec.for_reduction(CompileCommand.from_user([clang22, *FLAGS])))
    )
    verdict = oracle.check(candidate)
    assert verdict.interesting and "clang-19 (good): no diagnostic matches" in verdict.reason
    # A good compiler that rejects the file has not "fixed" the warning.
    candidate.write_text(TAG + "_BitInt(8) g(void) { return 0; }\n")
    clang16 = require_tool("clang-16", "clang-16")
    spec16 = OracleSpec.parse(REGEX, good_cc=[clang16, *FLAGS, "-std=c89", "-pedantic-errors"])
    verdict = spec16.for_reduction(CompileCommand.from_user([clang22, *FLAGS])).check(candidate)
    assert not verdict.interesting and "could not be checked" in verdict.reason


# clang 18-20 count the '+' of "%+6.1f" on top of its width 6 (llvm-project#143951, fixed
# for 21 by PR #144274): a false -Wformat-truncation; clang 22 is silent.
SIGNED = 'int snprintf(char *, unsigned long, const char *, ...);\n'
SIGNED_OK = SIGNED + 'void f(char *b, double t) { snprintf(b, 7, "%+6.1f", t); }\n'
# The same false warning, plus one every clang prints (no argument for the '%').
SIGNED_NOISY = SIGNED + 'void f(char *b) { snprintf(b, 7, "%+6.1f"); }\n'
TRUNC = r"diag:\[-Wformat-truncation\]"


def test_quiet_must_be_yes_or_no() -> None:
    with pytest.raises(UsageError, match="-X quiet must be yes or no"):
        OracleSpec.parse(TRUNC, options=["quiet=maybe"]).build(
            CompileCommand(("llc-19",), 60, style=STYLE_LLC)
        )
    with pytest.raises(UsageError, match="has no option 'loud'"):
        OracleSpec.parse(TRUNC, options=["loud=yes"])


@pytest.mark.compilers
def test_quiet_refuses_a_candidate_with_other_warnings(
    tmp_path: Path, clang19: str, clang22: str
) -> None:
    argv = [clang19, *FLAGS]
    quiet = OracleSpec.parse(TRUNC, options=["quiet=yes"])
    candidate = tmp_path / "t.c"
    candidate.write_text(SIGNED_NOISY)
    # Without -X quiet the noise does not matter; with it, the candidate fails to build.
    assert OracleSpec.parse(TRUNC).build(CompileCommand.from_user(argv)).check(candidate).interesting
    verdict = quiet.build(CompileCommand.from_user(argv)).check(candidate)
    assert not verdict.interesting and verdict.compile_failed
    assert "also printed" in verdict.reason and "-Wformat-insufficient-args" in verdict.reason
    candidate.write_text(SIGNED_OK)
    assert quiet.build(CompileCommand.from_user(argv)).check(candidate).interesting
    # As a differential: the fixed clang must be silent too, not merely lack the match.
    spec = OracleSpec.parse(TRUNC, options=["quiet=yes"], good_cc=[clang22])
    oracle = pickle.loads(pickle.dumps(spec.for_reduction(CompileCommand.from_user(argv))))
    verdict = oracle.check(candidate)
    assert verdict.interesting and "clang-22 (good): no diagnostic matches" in verdict.reason
    candidate.write_text(SIGNED_OK + "int g(void) {}\n")  # -Wreturn-type from both
    verdict = oracle.check(candidate)
    assert not verdict.interesting and "-Wreturn-type" in verdict.reason

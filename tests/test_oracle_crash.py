"""The `crash[:REGEX]` oracle on real compiler crashes: clang 16 and 19 cannot select
llvm.canonicalize on x86-64 (llvm/llvm-project#32650, fixed in LLVM 20); clang 22 compiles
the same file. Signals are exercised with tiny fake compilers (Debian's release clang does
not segfault on demand)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from reducer.compiler import STYLE_CC1, STYLE_LLC, CompileCommand
from reducer.errors import ExitCode, UsageError
from reducer.oracles import OracleSpec
from reducer.oracles.crash import (
    CrashOracle,
    crash_report,
    normalize_signature,
    same_signature,
    signal_of,
)
from tests.conftest import require_tool
from tests.oraclecheck import check, oracle_for

CANONICALIZE = "void f(float x) {\n  volatile float r;\n  r = __builtin_canonicalizef(x);\n}\n"
FLAGS = ["--target=x86_64-linux-gnu", "-O0", "-c"]
# What clang 19 prints (addresses vary from run to run; the signature must not).
CLANG19_STDERR = """\
fatal error: error in backend: Cannot select: 0x55a820319bc0: f32 = fcanonicalize 0x55a820319b50
  0x55a820319b50: f32,ch = CopyFromReg 0x55a8202c4268, Register:f32 %3
In function: f
PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/ and include the crash backtrace.
Stack dump:
0.\tProgram arguments: clang-19 --target=x86_64-linux-gnu -O0 -c t.c -o t.o
1.\t<eof> parser at end of file
2.\tCode generation
3.\tRunning pass 'Function Pass Manager' on module 't.c'.
4.\tRunning pass 'X86 DAG->DAG Instruction Selection' on function '@f'
 #0 0x00007f4e81eb73c6 llvm::sys::PrintStackTrace(llvm::raw_ostream&, int)
clang-19: error: clang frontend command failed with exit code 70 (use -v to see invocation)
"""


# --- pure: what counts as a crash, and its signature ---------------------------------


def test_signature_is_the_first_banner_without_addresses() -> None:
    report = crash_report(70, CLANG19_STDERR)
    assert report is not None
    assert report.signature == "fatal error: error in backend: Cannot select: f32 = fcanonicalize"
    assert report.last_frame == "Running pass 'X86 DAG->DAG Instruction Selection' on function '@f'"
    assert report.signal_name is None


def test_clang_and_llc_report_fatal_error_banners_are_one_signature() -> None:
    """clang prints "fatal error: error in backend: X", llc "LLVM ERROR: X": a signature
    pinned on clang (a crash report) must hold for the llc test emitted from its IR."""
    clang = crash_report(70, "fatal error: error in backend: Unsupported library call operation!\n")
    llc = crash_report(-6, "LLVM ERROR: Unsupported library call operation!\nStack dump:\n")
    other = crash_report(-6, "LLVM ERROR: Cannot select: f32 = fcanonicalize\n")
    assert clang is not None and llc is not None and other is not None
    assert same_signature(llc.signature, clang.signature)
    assert not same_signature(other.signature, clang.signature)
    assert not same_signature("killed by SIGSEGV", clang.signature)


def test_assertion_beats_the_generic_banner() -> None:
    stderr = (
        'clang: /src/llvm/lib/CodeGen/X.cpp:12: void f(): Assertion `N && "bad"\' failed.\n'
        "PLEASE submit a bug report to https://github.com/llvm/llvm-project/issues/\n"
        "Stack dump:\n"
    )
    report = crash_report(-6, stderr)
    assert report is not None and report.signature.startswith("clang: /src/llvm")
    assert "Assertion `N" in report.signature and report.signal_name == "SIGABRT"


@pytest.mark.parametrize(
    ("returncode", "name"), [(-11, "SIGSEGV"), (139, "SIGSEGV"), (-6, "SIGABRT"), (134, "SIGABRT")]
)
def test_death_by_signal_is_a_crash_even_with_nothing_printed(returncode: int, name: str) -> None:
    report = crash_report(returncode, "")
    assert report is not None and report.signature == f"killed by {name}"


@pytest.mark.parametrize("returncode", [0, 1, 2, 70, -15, 143, None])
def test_exit_codes_that_are_not_crash_signals(returncode: int | None) -> None:
    assert signal_of(returncode) is None


def test_a_plain_error_is_not_a_crash() -> None:
    assert crash_report(1, "t.c:1:9: error: expected ';'\n1 error generated.\n") is None
    assert crash_report(0, "t.c:1:1: warning: x [-Wfoo]\n") is None


def test_llc_and_newer_dag_node_names_normalise() -> None:
    line = "LLVM ERROR: Cannot select: t3: f32 = fcanonicalize t2, example.c:3:7"
    assert normalize_signature(line) == "LLVM ERROR: Cannot select: f32 = fcanonicalize t2"
    assert normalize_signature("clang-22: error: clang frontend command failed") == (
        "error: clang frontend command failed"
    )


def test_bad_regex_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="bad regular expression"):
        oracle_for("crash:Cannot select: (", ["true"], style=STYLE_LLC)


def test_unknown_output_option_is_a_usage_error() -> None:
    spec = OracleSpec.parse("crash", options=["output=exe"])
    with pytest.raises(UsageError, match="-X output"):
        spec.build(CompileCommand(("true",), 5))


# --- fake compilers: signals, wrappers, timeouts --------------------------------------


def fake_compiler(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fakecc"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return str(script)


def test_segfault_with_no_output_is_interesting(tmp_path: Path) -> None:
    cc = fake_compiler(tmp_path, "kill -SEGV $$")
    verdict = check(tmp_path, "int x;\n", "crash", [cc])
    assert verdict.interesting and "killed by SIGSEGV" in verdict.reason


def test_wrapper_exit_139_is_interesting_and_regex_can_refuse_it(tmp_path: Path) -> None:
    cc = fake_compiler(tmp_path, "echo 'Segmentation fault' >&2; exit 139")
    assert check(tmp_path, "int x;\n", "crash", [cc]).interesting
    verdict = check(tmp_path, "int x;\n", "crash:Cannot select", [cc])
    assert not verdict.interesting and verdict.compile_failed
    assert verdict.reason.startswith("crashes differently (no match for /Cannot select/)")


def test_timeout_is_not_a_crash(tmp_path: Path) -> None:
    cc = fake_compiler(tmp_path, "sleep 10")
    candidate = tmp_path / "t.c"
    candidate.write_text("int x;\n")
    oracle = OracleSpec.parse("crash").build(CompileCommand((cc,), 0.5))
    verdict = oracle.check(candidate)
    assert not verdict.interesting and verdict.timed_out and not verdict.compile_failed


# --- real compilers --------------------------------------------------------------------


@pytest.mark.compilers
def test_clang19_crash_is_interesting_with_and_without_regex(tmp_path: Path, clang19: str) -> None:
    for text in ("crash", "crash:Cannot select: .*fcanonicalize", "crash:error in backend"):
        verdict = check(tmp_path, CANONICALIZE, text, [clang19, *FLAGS])
        assert verdict.interesting, (text, verdict.reason)
        assert not verdict.compile_failed and not verdict.timed_out
        assert "fatal error: error in backend: Cannot select: f32 = fcanonicalize" in verdict.reason
        assert "0x" not in verdict.reason


@pytest.mark.compilers
def test_crashing_differently_is_not_interesting(tmp_path: Path, clang19: str) -> None:
    verdict = check(tmp_path, CANONICALIZE, "crash:Assertion", [clang19, *FLAGS])
    assert not verdict.interesting and verdict.compile_failed
    assert "crashes differently" in verdict.reason and "fcanonicalize" in verdict.reason


@pytest.mark.compilers
def test_clang22_compiles_it_fine(tmp_path: Path, clang22: str) -> None:
    verdict = check(tmp_path, CANONICALIZE, "crash", [clang22, *FLAGS])
    assert not verdict.interesting and not verdict.compile_failed
    assert verdict.reason == "no crash: compiles fine"


@pytest.mark.compilers
def test_a_compile_error_is_not_a_crash(tmp_path: Path, clang19: str) -> None:
    verdict = check(tmp_path, "int f( {\n", "crash", [clang19, *FLAGS])
    assert not verdict.interesting and verdict.compile_failed
    assert verdict.reason.startswith("no crash: does not compile (exit 1)")


@pytest.mark.compilers
def test_debug_build_crashes_the_same_way(tmp_path: Path, clang19: str) -> None:
    verdict = check(tmp_path, CANONICALIZE, "crash:fcanonicalize", [clang19, *FLAGS, "-g"])
    assert verdict.interesting


@pytest.mark.compilers
def test_clang16_crashes_too(tmp_path: Path) -> None:
    clang16 = require_tool("clang-16", "clang-16")
    assert check(tmp_path, CANONICALIZE, "crash:fcanonicalize", [clang16, *FLAGS]).interesting


@pytest.mark.compilers
def test_driver_crash_writes_no_reproducer_files(
    tmp_path: Path, clang19: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without -fno-crash-diagnostics every crashing candidate would leave a .c and a .sh
    in $TMPDIR."""
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    work = tmp_path / "work"
    work.mkdir()
    assert check(work, CANONICALIZE, "crash", [clang19, *FLAGS]).interesting
    assert list(scratch.iterdir()) == []


@pytest.mark.compilers
def test_cc1_style_command(tmp_path: Path, clang19: str, clang22: str) -> None:
    cc1 = ["-cc1", "-triple", "x86_64-unknown-linux-gnu", "-O0"]
    candidate = tmp_path / "t.c"
    candidate.write_text(CANONICALIZE)
    bad = oracle_for("crash:fcanonicalize", [clang19, *cc1], style=STYLE_CC1)
    assert isinstance(bad, CrashOracle)
    # cc1 writes no crash reproducers, so no -fno-crash-diagnostics is added (cc1 would
    # reject it, and the good side below would not compile fine).
    assert bad.check(candidate).interesting
    good = oracle_for("crash:fcanonicalize", [clang22, *cc1], style=STYLE_CC1)
    assert good.check(candidate).reason == "no crash: compiles fine"


@pytest.mark.compilers
def test_llc_style_command_on_ir(tmp_path: Path, clang19: str) -> None:
    llc19 = require_tool("llc-19", "llvm-19")
    llc22 = require_tool("llc-22", "llvm-22")
    source = tmp_path / "t.c"
    source.write_text(CANONICALIZE)
    ir = tmp_path / "t.ll"
    subprocess.run(
        [clang19, *FLAGS[:-1], "-S", "-emit-llvm", "-o", str(ir), str(source)],
        check=True,
        timeout=60,
    )
    verdict = oracle_for("crash:Cannot select", [llc19, "-O0"], style=STYLE_LLC).check(ir)
    assert verdict.interesting
    assert "LLVM ERROR: Cannot select: f32 = fcanonicalize" in verdict.reason
    fixed = oracle_for("crash:Cannot select", [llc22, "-O0"], style=STYLE_LLC).check(ir)
    assert not fixed.interesting and not fixed.compile_failed


@pytest.mark.compilers
def test_differential_and_pickling(tmp_path: Path, clang19: str, clang22: str) -> None:
    candidate = tmp_path / "t.c"
    candidate.write_text(CANONICALIZE)
    spec = OracleSpec.parse("crash:fcanonicalize", good_cc=[clang22])
    oracle = spec.for_reduction(CompileCommand.from_user([clang19, *FLAGS]))
    verdict = pickle.loads(pickle.dumps(oracle)).check(candidate)
    assert verdict.interesting and "clang-22 (good): no crash: compiles fine" in verdict.reason
    # The other way round: the bad compiler does not crash.
    swapped = OracleSpec.parse("crash", good_cc=[clang19]).for_reduction(
        CompileCommand.from_user([clang22, *FLAGS])
    )
    verdict = swapped.check(candidate)
    assert not verdict.interesting and "good compiler not run" in verdict.reason
    # A good compiler that also crashes has not fixed it.
    both = OracleSpec.parse("crash", good_cc=[clang19]).for_reduction(
        CompileCommand.from_user([clang19, "-O2", *FLAGS[:1], "-c"])
    )
    assert not both.check(candidate).interesting


@pytest.mark.compilers
def test_cli_on_a_file_that_does_not_crash_exits_4(tmp_path: Path, clang22: str) -> None:
    source = tmp_path / "t.c"
    source.write_text(CANONICALIZE)
    result = subprocess.run(
        [sys.executable, "-m", "reducer", "--oracle", "crash", str(source), "--", clang22, *FLAGS],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == ExitCode.NOT_INTERESTING, result.stderr
    assert "not interesting" in result.stderr and "no crash: compiles fine" in result.stderr


# --- pinning a plain crash to the original's signature ---------------------------------

TWO_CRASHES = """\
for last; do :; done
if grep -q first "$last"; then echo 'LLVM ERROR: first bug' >&2; exit 1; fi
if grep -q zz "$last"; then echo 'LLVM ERROR: second bug' >&2; exit 1; fi
exit 0"""


def test_pin_signature_keeps_a_plain_crash_on_the_original_bug(tmp_path: Path) -> None:
    cc = fake_compiler(tmp_path, TWO_CRASHES)
    command = CompileCommand((cc, "-c"), 10.0)
    candidate = tmp_path / "t.c"
    candidate.write_text("int zz;\n")
    loose = OracleSpec.parse("crash", options=["pin=signature"])
    assert loose.build(command).check(candidate).interesting  # not pinned yet
    pinned = loose.pinned(command, "int first;\n", "t.c")
    assert pinned.option("signature") == "LLVM ERROR: first bug"
    verdict = pinned.build(command).check(candidate)
    assert not verdict.interesting and verdict.compile_failed
    assert verdict.reason.startswith("crashes differently (not 'LLVM ERROR: first bug')")
    candidate.write_text("int first;\n")
    assert pinned.build(command).check(candidate).interesting
    # Pinning is idempotent, off by default, and checks its value.
    assert pinned.pinned(command, "int zz;\n", "t.c") == pinned
    plain = OracleSpec.parse("crash")
    assert plain.pinned(command, "int first;\n", "t.c") == plain
    with pytest.raises(UsageError, match="pin must be one of"):
        OracleSpec.parse("crash", options=["pin=yes"]).pinned(command, "int first;\n", "t.c")


def test_cli_pins_the_crash_and_reports_it(tmp_path: Path) -> None:
    cc = fake_compiler(tmp_path, TWO_CRASHES)
    source = tmp_path / "in.c"
    # The original crashes with the first bug (its check comes first); unpinned, the same
    # reduction ends at "zz", the second bug (measured).
    source.write_text("int zz;\nint first;\nint other;\n")
    output = tmp_path / "out.c"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reducer",
            "--oracle",
            "crash",
            "-X",
            "pin=signature",
            "-o",
            str(output),
            str(source),
            "--",
            cc,
            "-c",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "oracle pinned to the original: -X signature=LLVM ERROR: first bug" in result.stderr
    assert "first" in output.read_text()

"""The `miscompile` oracle (issue 24 §1) and its guilty-pass bisection (§2): the pure
parts on fakes, then real clang: UB programs are refused by the screen that sees them,
the shipped InstCombine case reduces to something small that still miscompiles and is
UB-clean, and the guilty pass is named."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.errors import ExitCode, UsageError
from reducer.oracles import OracleSpec
from reducer.oracles.miscompile import (
    WARNING_ERRORS,
    MiscompileOracle,
    Run,
    at_o0,
    difference,
    link_words,
    only_screen_errors,
    parse_screens,
    same_behaviour,
    sanitizer_link_flags,
    sanitizer_report,
    screen_run,
)
from reducer.oracles.miscompile_bisect import (
    STAGE_BACKEND,
    STAGE_MIDDLE_END,
    STAGE_UNSKIPPABLE,
    BisectError,
    find_guilty_pass,
    first_differing,
    parse_bisect_log,
)
from reducer.process import ProcessResult
from tests.conftest import CASES, require_tool

CASE = CASES / "instcombine-fshl-range"


# -- pure parts ------------------------------------------------------------------------


def test_comparison_reads_status_and_stdout_and_stderr_on_request() -> None:
    a = Run(0, b"1\n", b"x")
    assert same_behaviour(a, Run(0, b"1\n", b"y"))
    assert not same_behaviour(a, Run(0, b"1\n", b"y"), compare_stderr=True)
    assert not same_behaviour(a, Run(1, b"1\n", b"x"))
    assert not same_behaviour(a, Run(None, b"1\n", b"x"))  # a hang is a difference
    assert not same_behaviour(a, Run(0, b"2\n", b"x"))


def test_difference_names_the_first_differing_line() -> None:
    bad, ref = Run(0, b"total 5\npenalty 7\n", b""), Run(0, b"total 5\npenalty -1\n", b"")
    assert difference(bad, ref) == "stdout line 2: built 'penalty 7', reference 'penalty -1'"
    assert difference(Run(None, b"", b""), ref).startswith(
        "built: timed out, no stdout; reference: exit 0, stdout 'total 5\\npenalty -1'"
    )
    assert "stdout line 3: built '<end>'" in difference(
        Run(0, b"a\nb", b""), Run(0, b"a\nb\nc", b"")
    )


def test_sanitizer_reports_are_found_by_their_banners() -> None:
    ubsan = b"t.c:3:30: runtime error: signed integer overflow: 2147483647 + 1\nSUMMARY: ..."
    assert sanitizer_report(ubsan) == "runtime error: signed integer overflow: 2147483647 + 1"
    msan = b"==1==WARNING: MemorySanitizer: use-of-uninitialized-value\n    #0 0x5 in main"
    assert sanitizer_report(msan) == "WARNING: MemorySanitizer: use-of-uninitialized-value"
    asan = b"==2==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7f"
    assert sanitizer_report(asan) == "ERROR: AddressSanitizer: stack-buffer-overflow"
    assert sanitizer_report(b"penalty -1\n") is None


def test_screen_run_wants_a_clean_run_that_agrees_with_the_reference() -> None:
    reference = Run(0, b"-1\n", b"")
    assert screen_run("msan", Run(0, b"-1\n", b""), reference) is None
    assert "behaves differently" in str(screen_run("asan", Run(0, b"3\n", b""), reference))
    dirty = Run(0, b"-1\n", b"t.c:1: runtime error: shift exponent 40")
    assert screen_run("ubsan", dirty, reference) == "runtime error: shift exponent 40"


def test_a_build_fails_on_the_screen_only_when_every_error_is_a_made_error() -> None:
    def failed(stderr: str) -> ProcessResult:
        return ProcessResult(("clang",), 1, b"", stderr.encode(), 0.1)

    made = "t.c:1:5: error: variable 'x' is uninitialized [-Werror,-Wuninitialized]\n"
    real = "t.c:2:1: error: use of undeclared identifier 'y'\n"
    assert only_screen_errors(failed("t.c:1:1: warning: w [-Wfoo]\n" + made + "1 error.\n"))
    assert not only_screen_errors(failed(made + real))  # would not build without the flags
    assert not only_screen_errors(failed(real))
    assert not only_screen_errors(failed("ld: cannot find -lfoo\n"))  # no error line at all


def test_the_default_reference_build_is_the_warnings_screen() -> None:
    command = CompileCommand.from_user(["clang-19", "-O2", "-w", "-c"])
    plain = OracleSpec.parse("miscompile").build(command)
    assert isinstance(plain, MiscompileOracle) and plain.warnings_in_reference
    assert plain.warnings_words == ("clang-19", "-O0")  # -w would silence the screen
    for options in (["screens=ubsan"], ["reference=gcc -O0"]):
        other = OracleSpec.parse("miscompile", options=options).build(command)
        assert isinstance(other, MiscompileOracle) and not other.warnings_in_reference


def test_commands_become_link_commands_and_the_reference_is_o0() -> None:
    argv = ("clang-19", "-O2", "-c", "-DX=1", "-Os", "-S")
    assert link_words(argv) == ("clang-19", "-O2", "-DX=1", "-Os")
    assert at_o0(link_words(argv)) == ("clang-19", "-O0", "-DX=1")
    assert at_o0(("clang-19", "-g")) == ("clang-19", "-O0", "-g")  # -O0 added when absent
    assert at_o0(("clang", "-Ofast", "-Og", "-O")) == ("clang", "-O0")


def test_sanitizer_builds_link_with_the_lld_beside_clang(tmp_path: Path) -> None:
    """lld where it sits in clang's own directory (Debian's lld-19 beside clang-19), the
    default linker for a clang without one and for gcc."""
    require_tool("clang-19", "clang-19")
    require_tool("ld.lld-19", "lld-19")
    assert sanitizer_link_flags("clang-19") == ("-fuse-ld=lld",)
    lonely = tmp_path / "bin" / "clang-lonely"
    lonely.parent.mkdir()
    lonely.write_text("#!/bin/sh\nexit 0\n")
    lonely.chmod(0o755)
    assert sanitizer_link_flags(str(lonely)) == ()
    assert sanitizer_link_flags("gcc") == ()


def test_options_parse_and_refuse_with_one_line() -> None:
    assert parse_screens(None) == ("warnings", "ubsan", "asan", "msan", "libc")
    assert parse_screens("none") == ()
    assert parse_screens("msan,gcc,msan") == ("msan", "gcc")
    with pytest.raises(UsageError, match="unknown screen 'tsan'"):
        parse_screens("tsan")
    command = CompileCommand(("clang-19", "-O2", "-c"))
    spec = OracleSpec.parse("miscompile", options=["reference=gcc -O1 -c", "run_timeout=2"])
    oracle = spec.build(command)
    assert isinstance(oracle, MiscompileOracle)
    assert oracle.reference == ("gcc", "-O1") and oracle.run_timeout == 2.0
    for bad in ("run_timeout=soon", "run_timeout=0", "stderr=maybe", "reference="):
        key = bad.partition("=")[0]
        if key == "reference":
            # An empty reference means the default, not an error.
            assert spec.build(command) is not None
            continue
        with pytest.raises(UsageError, match=key):
            OracleSpec.parse("miscompile", options=[bad]).build(command)
    with pytest.raises(UsageError, match="takes no argument"):
        OracleSpec.parse("miscompile:x")
    assert pickle.loads(pickle.dumps(oracle)) == oracle


def test_the_warning_set_names_the_library_prototype_check() -> None:
    assert "-Werror=incompatible-library-redeclaration" in WARNING_ERRORS
    assert "-Werror=format-insufficient-args" in WARNING_ERRORS
    assert all(w.startswith("-Werror=") for w in WARNING_ERRORS)


LOG = """\
BISECT: running pass (1) Annotation2MetadataPass on [module]
BISECT: running pass (2) SROAPass on score
BISECT: running pass (3) InstCombinePass on main
BISECT: NOT running pass (4) X86 DAG->DAG Instruction Selection on function (main)
"""


def test_bisect_log_is_parsed_into_numbered_passes() -> None:
    runs = parse_bisect_log(LOG)
    assert sorted(runs) == [1, 2, 3, 4]
    assert runs[3].name == "InstCombinePass" and runs[3].target == "main"
    assert runs[3].stage == STAGE_MIDDLE_END
    assert runs[4].name == "X86 DAG->DAG Instruction Selection"
    assert runs[4].target == "main" and runs[4].stage == STAGE_BACKEND


@pytest.mark.parametrize("guilty", [1, 2, 37, 412, 999, 1000])
def test_binary_search_finds_the_first_differing_limit(guilty: int) -> None:
    asked: list[int] = []

    def differs(limit: int) -> bool:
        asked.append(limit)
        return limit >= guilty

    assert first_differing(0, 1000, differs) == guilty
    assert len(asked) <= 10  # log2(1000)


class FakeCompiler:
    """Bisectable: the program differs once pass ``guilty`` runs (0: always)."""

    def __init__(self, guilty: int, total: int = 600, reference: object = "ref") -> None:
        self.guilty, self.total, self.reference, self.limits = guilty, total, reference, []

    def reference_behaviour(self, candidate: Path) -> object | None:
        return self.reference

    def differs_at(self, candidate: Path, limit: int, reference: object) -> tuple[bool | None, str]:
        self.limits.append(limit)
        ran = self.total if limit < 0 else min(limit, self.total)
        log = "".join(
            f"BISECT: running pass ({n}) "
            + ("InstCombinePass on f\n" if n < 500 else "X86 Fixup on function (f)\n")
            for n in range(1, self.total + 1)
        )
        return ran >= self.guilty, log


def test_guilty_pass_on_a_fake_compiler() -> None:
    fake = FakeCompiler(412)
    found = find_guilty_pass(fake, Path("t.c"))
    assert (found.number, found.name, found.target, found.stage) == (
        412,
        "InstCombinePass",
        "f",
        STAGE_MIDDLE_END,
    )
    assert found.total == 600 and found.builds == len(fake.limits) <= 12
    assert "InstCombinePass on f, pass #412 of 600" in found.describe()
    # A middle-end pass may only expose a back-end bug: the line does not claim more.
    assert "or it writes IR a back-end bug miscompiles" in found.describe()
    assert json.loads(json.dumps(found.to_json()))["number"] == 412
    backend = find_guilty_pass(FakeCompiler(550), Path("t.c"))
    assert backend.stage == STAGE_BACKEND and "back end" in backend.describe()
    always = find_guilty_pass(FakeCompiler(0), Path("t.c"))
    assert always.stage == STAGE_UNSKIPPABLE and "-opt-bisect-limit=0" in always.describe()
    with pytest.raises(BisectError, match="does not show again"):
        find_guilty_pass(FakeCompiler(10_000), Path("t.c"))
    with pytest.raises(BisectError, match="reference"):
        find_guilty_pass(FakeCompiler(5, reference=None), Path("t.c"))


# -- real clang ------------------------------------------------------------------------

PROGRAMS = {
    # An uninitialised local: clang's -Wuninitialized sees it.
    "uninitialised": (
        '#include <stdio.h>\nint main(void) { int x; if (x) printf("a\\n"); return 0; }\n',
        "warnings",
        "UB screen warnings: t.c:2:29: error: variable 'x' is uninitialized",
    ),
    # printf with a missing argument.
    "format": (
        '#include <stdio.h>\nint main(void) { printf("%d\\n"); return 0; }\n',
        "warnings",
        "more '%' conversions than data arguments",
    ),
    # A library function declared by hand with a wrong prototype.
    "prototype": (
        'int printf(int *, ...);\nint main(void) { printf("%"); return 0; }\n',
        "warnings",
        "incompatible redeclaration of library function 'printf'",
    ),
    # Signed overflow the optimiser folds: only UBSan sees it.
    "overflow": (
        "#include <stdio.h>\nint big = 2147483647;\n"
        'int main(void) { int y = big + 1; printf("%d\\n", y > big); return 0; }\n',
        "ubsan",
        "UB screen ubsan: runtime error: signed integer overflow",
    ),
    # A NULL string for %s: glibc prints "(null)" at -O0, clang -O2 calls puts(NULL),
    # which crashes; no warning, no sanitizer sees it; the libc screen does.
    "null-string": (
        '#include <stdio.h>\nchar *name;\nint main(void) { printf("%s\\n", name); return 0; }\n',
        "libc",
        "UB screen libc: runtime error: null pointer passed for %s",
    ),
    # An uninitialised read through a pointer: no warning, no UBSan/ASan; MSan sees it.
    "uninitialised-through-pointer": (
        "#include <stdio.h>\nvoid init(int *p, int c) { if (c) *p = 1; }\n"
        "int main(void) { int x; init(&x, 0);\n"
        'if (x == 7) printf("seven\\n"); else printf("other\\n"); return 0; }\n',
        "msan",
        "UB screen msan: WARNING: MemorySanitizer: use-of-uninitialized-value",
    ),
}


def _oracle(clang: str, *options: str) -> MiscompileOracle:
    oracle = OracleSpec.parse("miscompile", options=list(options)).build(
        CompileCommand.from_user([clang, "-O2", "-c"])
    )
    assert isinstance(oracle, MiscompileOracle)
    return oracle


@pytest.mark.compilers
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_ub_programs_are_refused_by_the_screen_that_sees_them(tmp_path: Path, name: str) -> None:
    clang = require_tool("clang-19", "clang-19")
    source, screen, reason = PROGRAMS[name]
    candidate = tmp_path / "t.c"
    candidate.write_text(source)
    oracle = _oracle(clang)
    verdict = oracle.check(candidate)
    assert not verdict.interesting and not verdict.compile_failed, verdict.reason
    # The screen alone (the check may stop earlier, at "same behaviour" or at the
    # reference's second run for printf's junk): it sees the UB.
    alone = _oracle(clang, f"screens={screen}")
    reference = alone.reference_behaviour(candidate)
    assert reference is not None
    problem = alone.screen(candidate, reference)
    assert problem is not None and reason in problem, problem
    # With no screen, all but printf's junk (its reference runs differ) would have been
    # accepted: the screen is what refuses them, and the verdict names it (the warnings
    # screen rides on the reference build, so it refuses before the runs are compared).
    unscreened = _oracle(clang, "screens=none").check(candidate)
    assert unscreened.interesting == (name != "format"), unscreened.reason
    label = verdict.reason.removeprefix("UB screen ").split(":")[0]
    assert verdict.reason.startswith("UB screen ") and screen in label.split("+"), verdict.reason


@pytest.mark.compilers
@pytest.mark.parametrize("flags", [["-w"], ["-Werror"]])
def test_the_warnings_screen_holds_under_the_users_warning_flags(
    tmp_path: Path, flags: list[str]
) -> None:
    """-w in the command must not silence the screen (clang's -w beats -Werror=...), nor
    -Werror turn a warning option an older clang does not know into a refusal."""
    clang = require_tool("clang-16", "clang-16")
    candidate = tmp_path / "t.c"
    candidate.write_text(PROGRAMS["uninitialised"][0])
    command = CompileCommand.from_user([clang, "-O2", *flags, "-c"])
    oracle = OracleSpec.parse("miscompile", options=["screens=warnings"]).build(command)
    assert isinstance(oracle, MiscompileOracle)
    problem = oracle.screen(candidate, Run(0, b"", b""))
    assert problem is not None and "variable 'x' is uninitialized" in problem, problem
    candidate.write_text('#include <stdio.h>\nint main(void) { printf("1\\n"); return 0; }\n')
    assert oracle.screen(candidate, Run(0, b"1\n", b"")) is None


@pytest.mark.compilers
def test_the_screens_run_only_where_the_runs_differ(tmp_path: Path) -> None:
    clang = require_tool("clang-19", "clang-19")
    candidate = tmp_path / "t.c"
    candidate.write_text('#include <stdio.h>\nint main(void) { printf("7\\n"); return 0; }\n')
    verdict = _oracle(clang).check(candidate)
    assert verdict.reason == "same behaviour: exit 0, stdout '7'"
    # Built files stay in the candidate's directory: nothing was built for a screen.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.bad.exe", "t.c", "t.ref.exe"]


@pytest.mark.compilers
def test_a_program_whose_reference_runs_differ_is_not_interesting(tmp_path: Path) -> None:
    clang = require_tool("clang-19", "clang-19")
    candidate = tmp_path / "t.c"
    # The address of a local changes with ASLR from run to run.
    candidate.write_text(
        "#include <stdio.h>\n#include <stdint.h>\n"
        'int main(void) { int x = 0; printf("%lu\\n", (unsigned long)(uintptr_t)&x); return 0; }\n'
    )
    verdict = _oracle(clang).check(candidate)
    assert not verdict.interesting and verdict.reason.startswith("reference runs differ"), verdict


@pytest.mark.compilers
def test_the_case_miscompiles_with_clang19_only_and_its_guilty_pass_is_instcombine(
    tmp_path: Path,
) -> None:
    clang19 = require_tool("clang-19", "clang-19")
    clang22 = require_tool("clang-22", "clang-22")
    candidate = tmp_path / "input.c"
    candidate.write_text((CASE / "input.c").read_text())
    oracle = _oracle(clang19, "screens=warnings,ubsan,asan,msan,gcc")
    verdict = oracle.check(candidate)
    assert verdict.interesting, verdict.reason
    assert "stdout line 4: built 'penalty " in verdict.reason
    assert "(warnings+ubsan+asan+msan+gcc clean)" in verdict.reason
    assert not _oracle(clang22).check(candidate).interesting
    found = find_guilty_pass(oracle, candidate)
    assert found.name == "InstCombinePass" and found.stage == STAGE_MIDDLE_END, found
    assert found.builds <= 14


@pytest.mark.compilers
def test_an_original_with_ub_is_refused_naming_the_screen(tmp_path: Path) -> None:
    clang = require_tool("clang-19", "clang-19")
    source = tmp_path / "ub.c"
    source.write_text(PROGRAMS["overflow"][0])
    argv = ["-q", "--oracle", "miscompile", str(source), "--", clang, "-O2", "-c"]
    result = subprocess.run(
        [sys.executable, "-m", "reducer", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == ExitCode.NOT_INTERESTING, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reduce: error: the original"), lines
    assert ": UB screen ubsan+asan+libc: runtime error: signed integer overflow" in lines[0]


@pytest.mark.compilers
@pytest.mark.slow
def test_the_case_reduces_small_still_miscompiles_clean_and_names_the_pass(
    tmp_path: Path,
) -> None:
    meta = tomllib.loads((CASE / "case.toml").read_text())
    bad = require_tool(meta["reduce_with"], meta["reduce_with"])
    good = require_tool(meta["fixed_with"], meta["fixed_with"])
    output = tmp_path / "out.c"
    result = subprocess.run(
        [sys.executable, "-m", "reducer", "-q", "--json", "--oracle", "miscompile"]
        + ["--good-cc", good, "-o", str(output), str(CASE / "input.c"), "--", bad]
        + meta["flags"],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    reduced = output.read_text()
    assert summary["final_bytes"] <= meta["max_reduced_bytes"], reduced
    assert summary["guilty_pass"]["name"] == "InstCombinePass", summary["guilty_pass"]
    # Checked again outside the reduction with every screen, gcc's included.
    candidate = tmp_path / "check" / "input.c"
    candidate.parent.mkdir()
    candidate.write_text(reduced)
    verdict = _oracle(bad, "screens=warnings,ubsan,asan,msan,gcc").check(candidate)
    assert verdict.interesting, verdict.reason
    assert not _oracle(good).check(candidate).interesting

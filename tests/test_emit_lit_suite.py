"""lit-tests/: the emitted tests for every case in cases/ are up to date, short, and green
against LLVM 19 (bug cases XFAIL) and LLVM 22 (all PASS) with both FileChecks."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.commands.cases import LIT_DIR, REDUCED_NAMES, Case, all_cases, differences, major_of
from reducer.emit.crash_route import ROUTED
from reducer.emit.kinds import test_kind as find_test_kind
from reducer.emit.utc_llc import update_test_with_llc
from reducer.nightly import run_suite
from tests.conftest import require_tool

pytestmark = pytest.mark.compilers

# Cases whose oracle names a test kind; the others have no lit-tests/ entry (checked below).
CASES = [case for case in all_cases() if case.emits]
CASE_IDS = [case.name for case in CASES]


def test_only_cases_without_a_test_kind_lack_lit_tests() -> None:
    for case in all_cases():
        assert case.emits == case.lit_dir.is_dir(), case.name


def emitted_tests() -> list[Path]:
    return sorted(
        p for p in LIT_DIR.glob("*/*") if p.suffix in (".ll", ".c") and p.name not in REDUCED_NAMES
    )


def run_lit(llvm: int, filecheck: str) -> dict[str, str]:
    require_tool(f"llc-{llvm}", f"llvm-{llvm}")
    require_tool(f"clang-{llvm}", f"clang-{llvm}")
    if filecheck == "llvm":
        require_tool(f"FileCheck-{llvm}", f"llvm-{llvm}-tools")
    # The nightly's own runner (scripts/lit-nightly.sh): one way to run the suite.
    return run_suite(LIT_DIR, llvm, 600, filecheck)


def suffixes(case: Case) -> list[str]:
    """The files its oracle's test kinds write (.ll, .c). A crash's kinds are
    alternatives (emit/crash_route.py picks one by where the compiler dies): its one
    committed test says which."""
    all_suffixes = list(dict.fromkeys(find_test_kind(name).suffix for name in case.test_kinds))
    if not ROUTED.issuperset(case.test_kinds):
        return all_suffixes
    present = [s for s in all_suffixes if (case.lit_dir / f"{case.name}{s}").is_file()]
    assert len(present) == 1, f"{case.name}: one routed crash test, found {present}"
    return present


def test_every_case_has_emitted_tests() -> None:
    assert CASES, "no cases/ found"
    for case in CASES:
        assert case.reduced.is_file(), (
            f"{case.reduced} is missing: reduce {case.input}, put the result "
            f"there, then run `python -m reducer.commands.cases {case.name}`"
        )
        for suffix in suffixes(case):
            assert (case.lit_dir / f"{case.name}{suffix}").is_file()


def test_emitted_tests_stay_short() -> None:
    # The llc relocation tests sweep six configurations (like code-model-elf.ll); the
    # others test one (an opt test's checks follow its IR line by line).
    tests = emitted_tests()
    assert tests
    for path in tests:
        text = path.read_text()
        if "--check-prefixes=CHECK,LARGE-PIC" in text:
            limit = 90
        elif "-passes=loop-versioning" in text:  # checks of both copies of the loop
            limit = 65
        elif "update_test_checks.py" in text:  # an opt test checks every IR instruction
            limit = 40
        elif "miscompiles this module" in text:  # an llc miscompile test checks main's asm
            limit = 50
        elif "x86_fp80" in text:  # x87's fptosi saves, sets and restores the control word
            limit = 35
        else:
            limit = 30
        assert len(path.read_text().splitlines()) <= limit, path


@pytest.mark.parametrize("filecheck", ["llvm", "pypi"])
# 16 is the fixed toolchain of the sections case (and the last release before the .ltext split).
@pytest.mark.parametrize("llvm", [16, 19, 22])
def test_suite_is_green(llvm: int, filecheck: str) -> None:
    codes = run_lit(llvm, filecheck)
    expected_names = {str(p.relative_to(LIT_DIR)) for p in emitted_tests()}
    assert set(codes) == expected_names  # every test ran: none skipped
    assert set(codes.values()) <= {"PASS", "XFAIL", "UNSUPPORTED"}, codes
    for case in CASES:
        if f"llvm-{llvm}" in case.unsupported:  # its tools cannot read the test's IR
            for suffix in suffixes(case):
                assert codes[f"{case.name}/{case.name}{suffix}"] == "UNSUPPORTED", case.name
            continue
        # Affected: the versions case.toml names (on the original or, for tools that cannot
        # read it, on the reduced reproducer), and for the relocation bugs every LLVM
        # with the 32S bug (18-21, relocation-facts.md), whichever compiler reduced it.
        affected = {major_of(cc) for cc in (*case.interesting_with, *case.reduced_also_affects)}
        if case.spec.kind.relocations:
            affected |= {18, 19, 20, 21}
        xfailed = bool(case.fixed_with) and llvm in affected
        for suffix in suffixes(case):
            code = codes[f"{case.name}/{case.name}{suffix}"]
            assert code == ("XFAIL" if xfailed else "PASS"), (case.name, suffix, code)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_committed_tests_match_a_fresh_emission(case: Case) -> None:
    for version in (19, 22):
        require_tool(f"llvm-reduce-{version}", f"llvm-{version}")
    assert differences(case) == [], f"regenerate with: python -m reducer.commands.cases {case.name}"


@pytest.mark.compilers
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_update_llc_test_checks_rules_change_no_committed_test(case: Case) -> None:
    # What a reviewer running update_llc_test_checks.py (with the llc the checks came
    # from) would see: the same file, byte for byte.
    tests = [
        p
        for p in sorted(case.lit_dir.glob("*.ll"))
        if "utils/update_llc_test_checks.py" in p.read_text().split("\n", 1)[0]
    ]
    if not tests and any(
        "utils/update_test_checks.py" in p.read_text().split("\n", 1)[0]
        for p in case.lit_dir.glob("*.ll")
    ):
        return  # an opt test (opt-crash, opt-miscompile): tests/test_utc_opt.py checks it
    if not tests:
        # Only kinds with hand-written checks (sections, symbols, -verify) lack the NOTE.
        # (opt tests are update_test_checks.py's: tests/test_utc_opt.py checks those.)
        kinds = set(case.spec.kind.test_kinds)
        if ROUTED.issuperset(kinds):
            kinds = {k for k in kinds if (case.lit_dir / f"{case.name}{find_test_kind(k).suffix}").is_file()}
        assert not kinds & {"llc-reloc", "llc-crash", "llc-asm"}
        return
    major = major_of(case.fixed_with or case.reduce_with)
    llc = require_tool(f"llc-{major}", f"llvm-{major}")
    for path in tests:
        text = path.read_text()
        assert update_test_with_llc(text, llc, 60.0) == text, path


def test_no_run_line_option_the_bug_does_not_need() -> None:
    """A backend crash's and an asm pattern's RUN lines carry no relocation model the
    driver merely defaulted to (the crash shows without -relocation-model=pic); the
    regeneration test above keeps these files what emission writes today."""
    for name in ("canonicalize-crash", "purgatory-sha-regions-asm"):
        runs = [
            line
            for line in (LIT_DIR / name / f"{name}.ll").read_text().splitlines()
            if line.startswith("; RUN:")
        ]
        assert runs and not any("-relocation-model=" in line for line in runs), runs

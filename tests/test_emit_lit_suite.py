"""lit-tests/: the emitted tests for every case in cases/ are up to date, short, and green
against LLVM 19 (bug cases XFAIL) and LLVM 22 (all PASS) with both FileChecks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reducer.emit.cases import LIT_DIR, REDUCED_NAME, Case, all_cases, differences, major_of
from reducer.emit.kinds import test_kind as find_test_kind
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
        p for p in LIT_DIR.glob("*/*") if p.suffix in (".ll", ".c") and p.name != REDUCED_NAME
    )


def run_lit(llvm: int, filecheck: str, output: Path) -> dict[str, str]:
    require_tool(f"llc-{llvm}", f"llvm-{llvm}")
    require_tool(f"clang-{llvm}", f"clang-{llvm}")
    if filecheck == "llvm":
        require_tool(f"FileCheck-{llvm}", f"llvm-{llvm}-tools")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from lit.main import main; sys.exit(main())",
            str(LIT_DIR),
            "-q",
            "--param",
            f"llvm={llvm}",
            "--param",
            f"filecheck={filecheck}",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert output.is_file(), result.stderr
    data = json.loads(output.read_text())
    return {entry["name"].split(" :: ", 1)[1]: entry["code"] for entry in data["tests"]}


def suffixes(case: Case) -> list[str]:
    """The files its oracle's test kinds write (.ll, .c)."""
    return [find_test_kind(name).suffix for name in case.spec.kind.test_kinds]


def test_every_case_has_emitted_tests() -> None:
    assert CASES, "no cases/ found"
    for case in CASES:
        assert case.reduced.is_file(), (
            f"{case.reduced} is missing: reduce cases/{case.name}/input.c, put the result "
            f"there, then run `python -m reducer.emit.cases {case.name}`"
        )
        for suffix in suffixes(case):
            assert (case.lit_dir / f"{case.name}{suffix}").is_file()


def test_emitted_tests_are_at_most_30_lines() -> None:
    tests = emitted_tests()
    assert tests
    for path in tests:
        assert len(path.read_text().splitlines()) <= 30, path


@pytest.mark.parametrize("filecheck", ["llvm", "pypi"])
# 16 is the fixed toolchain of the sections case (and the last release before the .ltext split).
@pytest.mark.parametrize("llvm", [16, 19, 22])
def test_suite_is_green(llvm: int, filecheck: str, tmp_path: Path) -> None:
    codes = run_lit(llvm, filecheck, tmp_path / "results.json")
    expected_names = {str(p.relative_to(LIT_DIR)) for p in emitted_tests()}
    assert set(codes) == expected_names  # every test ran: none skipped or unsupported
    assert set(codes.values()) <= {"PASS", "XFAIL"}, codes
    for case in CASES:
        # Affected: the versions case.toml names, and for the relocation bugs every LLVM
        # with the 32S bug (18-21, relocation-facts.md), whichever compiler reduced it.
        affected = {major_of(cc) for cc in case.interesting_with}
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
    assert differences(case) == [], f"regenerate with: python -m reducer.emit.cases {case.name}"

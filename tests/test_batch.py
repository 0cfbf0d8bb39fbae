"""`reduce batch`: every case of a cases/ directory reduced, emitted and verified, with one
table at the end; a case that cannot be reduced fails its row (and the exit status), not
the batch."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reducer.errors import ExitCode
from tests.conftest import CASES, require_tool
from tests.test_cli import run_cli


def _batch(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("batch", *args)


@pytest.mark.compilers
@pytest.mark.slow
def test_batch_reduces_emits_and_verifies_each_case(tmp_path: Path) -> None:
    for tool, package in (
        ("clang-19", "clang-19"),
        ("clang-16", "clang-16"),
        ("llc-16", "llvm-16"),
    ):
        require_tool(tool, package)
    cases = tmp_path / "cases"
    shutil.copytree(CASES / "purgatory-two-code-sections", cases / "purgatory-two-code-sections")
    # The same case with its "fixed" compiler the affected one: nothing to reduce.
    broken = cases / "not-differential"
    shutil.copytree(CASES / "purgatory-two-code-sections", broken)
    toml = broken / "case.toml"
    toml.write_text(toml.read_text().replace('fixed_with = "clang-16"', 'fixed_with = "clang-19"'))
    before = {p: p.read_bytes() for p in cases.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    result = _batch(str(cases), "--out", str(out), "-j", "2")
    assert result.returncode == 1, result.stdout + result.stderr
    rows = {
        line.split(" | ")[0].lstrip("| "): line
        for line in result.stdout.splitlines()
        if line.startswith("| ")
    }
    good = rows["purgatory-two-code-sections"]
    assert "purgatory-two-code-sections.ll" in good and "4/4 as expected" in good
    assert good.endswith("| ok |")
    assert "reduce failed" in rows["not-differential"]
    assert "1 of 2 cases ok" in result.stdout
    assert (out / "purgatory-two-code-sections" / "reduced.c").is_file()
    assert (out / "purgatory-two-code-sections" / "purgatory-two-code-sections.ll").is_file()
    # The cases directory is input only.
    assert {p: p.read_bytes() for p in cases.rglob("*") if p.is_file()} == before


def test_batch_usage_errors(tmp_path: Path) -> None:
    missing = _batch(str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert missing.returncode == ExitCode.USAGE and missing.stderr.count("\n") == 1
    (tmp_path / "empty").mkdir()
    empty = _batch(str(tmp_path / "empty"), "--out", str(tmp_path / "o"))
    assert empty.returncode == ExitCode.USAGE and "no */case.toml" in empty.stderr
    extra = _batch(str(CASES), "--out", str(tmp_path / "o"), "--", "clang-19")
    assert extra.returncode == ExitCode.USAGE and "no compile command" in extra.stderr
    unknown = _batch(str(CASES), "--out", str(tmp_path / "o"), "--case", "nope")
    assert unknown.returncode == ExitCode.USAGE and "no case 'nope'" in unknown.stderr


def test_a_crash_report_case_is_reduced_through_crash_report() -> None:
    """A case whose input is a clang crash report runs `reduce --crash-report SCRIPT`:
    the script's compile command, not `FILE -- compiler flags`."""
    import argparse

    from reducer.commands.batch import reduce_argv
    from reducer.commands.cases import load_case

    case = load_case(CASES / "bf16-x87-crash-report")
    args = argparse.Namespace(executor="serial", timeout=30.0, jobs=0)
    argv = reduce_argv(case, Path("/out/reduced.c"), args)
    at = argv.index("--crash-report")
    assert argv[at + 1] == str(CASES / "bf16-x87-crash-report" / case.crash_report)
    assert "--" not in argv and str(case.input) not in argv
    assert argv[argv.index("--good-cc") + 1] == "clang-22"

"""scripts/lit-nightly.sh: the nightly's verdicts (fixed in N, regressed in N, not run),
the snapshot's age check, and real runs against the installed LLVM 16, 19 and 22."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

from reducer.nightly import findings, snapshot_build_date, snapshot_problem
from tests.conftest import require_tool

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "lit-nightly.sh"
SNAPSHOT = "1:23~++20261130093210+6f1b2c3d4e5f-1~exp1~20261130093323.1234"


def test_verdicts_name_the_version() -> None:
    codes = {"a.ll": "PASS", "b.ll": "XFAIL", "c.ll": "XPASS", "d.c": "FAIL", "e.c": "UNRESOLVED"}
    assert [(f.test, f.verdict) for f in findings(23, codes)] == [
        ("c.ll", "fixed in 23"),
        ("d.c", "regressed in 23"),
        ("e.c", "not run in 23 (UNRESOLVED)"),
    ]


def test_a_declared_unsupported_release_is_expected_any_other_is_not_run() -> None:
    codes = {"a.ll": "UNSUPPORTED", "b.ll": "UNSUPPORTED"}
    declared = {"a.ll": frozenset({16})}
    assert [(f.test, f.verdict) for f in findings(16, codes, declared)] == [
        ("b.ll", "not run in 16 (UNSUPPORTED)")
    ]
    assert [f.test for f in findings(19, codes, declared)] == ["a.ll", "b.ll"]


def test_snapshot_date_comes_from_the_package_version() -> None:
    assert snapshot_build_date(SNAPSHOT) == dt.date(2026, 11, 30)
    assert snapshot_build_date("1:22.1.8-1~deb12u1") is None
    assert snapshot_problem(SNAPSHOT, dt.date(2026, 12, 5), 5) is None
    late = snapshot_problem(SNAPSHOT, dt.date(2026, 12, 6), 5)
    assert late is not None and "6 days ago" in late
    assert "not a snapshot build" in (
        snapshot_problem("19.1.7-3~deb12u1", dt.date.today(), 5) or ""
    )


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=900, check=False
    )


def test_installed_releases_are_as_expected() -> None:
    for version in (16, 19, 22):
        require_tool(f"llc-{version}", f"llvm-{version}")
    result = _run("16", "19", "22")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every test as expected" in result.stdout
    assert "| 19 |" in result.stdout and "XFAIL" in result.stdout


def test_a_changed_release_is_reported_fixed_or_regressed(tmp_path: Path) -> None:
    for version in (19, 22):
        require_tool(f"llc-{version}", f"llvm-{version}")
    suite = tmp_path / "lit-tests"
    shutil.copytree(REPO / "lit-tests", suite, ignore=shutil.ignore_patterns("Output"))
    # 19 has the 32S bug: without its XFAIL line the test fails there ("regressed").
    regressed = suite / "purgatory-O0-sha256" / "purgatory-O0-sha256.ll"
    text = regressed.read_text()
    assert "; XFAIL: " in text
    regressed.write_text(
        "".join(line for line in text.splitlines(True) if not line.startswith("; XFAIL:"))
    )
    # 22 is fixed: a test expecting it to fail passes there ("fixed").
    fixed = suite / "text-ltext-mixed" / "text-ltext-mixed.ll"
    fixed.write_text(
        "; XFAIL: llvm-22\n"
        + "".join(
            line for line in fixed.read_text().splitlines(True) if not line.startswith("; XFAIL:")
        )
    )
    result = _run("--suite", str(suite), "19", "22")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "purgatory-O0-sha256/purgatory-O0-sha256.ll: regressed in 19" in result.stdout
    assert "text-ltext-mixed/text-ltext-mixed.ll: fixed in 22" in result.stdout
    assert "every test as expected" not in result.stdout


def test_a_release_build_is_no_snapshot() -> None:
    require_tool("llc-22", "llvm-22")
    result = _run("--snapshot", "22", "22")
    assert result.returncode == 1
    assert "error: LLVM 22: not a snapshot build" in result.stdout


def test_bad_usage_exits_2() -> None:
    assert _run("--snapshot", "23", "22").returncode == 2
    assert _run("--suite", "/nonexistent", "22").returncode == 2

"""The nightly check of lit-tests/ against LLVM releases and the development snapshot.

    scripts/lit-nightly.sh [--snapshot N] [--max-age-days 5] [--suite DIR] VERSION...

Runs the suite once per version (LLVM's FileCheck where the version has one, else the
PyPI filecheck) and reads lit's JSON results. The tests XFAIL the releases known to have
their bug (lit feature ``llvm-<major>``), so a green night is PASS or XFAIL everywhere; a
change of behaviour is named for the version that shows it:

* XPASS in N: "fixed in N" (a release the test expected to fail now passes: drop N from
  the test's XFAIL line, and tell the bug report);
* FAIL in N: "regressed in N" (the test passed before and fails there);
* UNRESOLVED / UNSUPPORTED: "not run in N" (a broken tool or a missing feature: a test
  that did not run proves nothing, so this fails the night too), except UNSUPPORTED in a
  release the test's own ``UNSUPPORTED: llvm-N`` line names (its tools cannot read the
  test's IR: opt 16 and LLVM 19's ``range`` attribute).

``--snapshot N`` marks version N as apt.llvm.org's nightly snapshot: its packages' build
date (in the Debian version, ``1:23~++20261130093210+...``) must be at most
``--max-age-days`` old, or the night fails — a stale snapshot would test yesterday's bugs.
Exit status 0 when everything is as expected, 1 when anything changed or was not run,
2 for bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reducer.process import run_program

REPO = Path(__file__).resolve().parents[1]
GOOD = ("PASS", "XFAIL")
_SNAPSHOT_DATE = re.compile(r"~\+\+(\d{8})\d*")


@dataclass(frozen=True)
class Finding:
    version: int
    test: str
    code: str

    @property
    def verdict(self) -> str:
        if self.code == "XPASS":
            return f"fixed in {self.version}"
        if self.code == "FAIL":
            return f"regressed in {self.version}"
        return f"not run in {self.version} ({self.code})"


def findings(
    version: int, codes: dict[str, str], declared: dict[str, frozenset[int]] | None = None
) -> list[Finding]:
    """What changed in one version's results (pure). ``declared``: per test, the majors
    its own ``UNSUPPORTED: llvm-N`` line names (their tools cannot read its IR); an
    UNSUPPORTED result there is expected, anywhere else it is "not run"."""
    declared = declared or {}
    return [
        Finding(version, test, code)
        for test, code in sorted(codes.items())
        if code not in GOOD and not (code == "UNSUPPORTED" and version in declared.get(test, ()))
    ]


_UNSUPPORTED_LINE = re.compile(r"^\s*(?:;|//)\s*UNSUPPORTED:(.*)$", re.M)


def declared_unsupported(suite: Path, tests: Sequence[str]) -> dict[str, frozenset[int]]:
    """Per test ("case/file"), the LLVM majors its UNSUPPORTED line names."""
    declared = {}
    for test in tests:
        try:
            text = (suite / test).read_text()
        except OSError:
            continue
        majors = {
            int(m)
            for line in _UNSUPPORTED_LINE.findall(text)
            for m in re.findall(r"llvm-(\d+)", line)
        }
        if majors:
            declared[test] = frozenset(majors)
    return declared


def snapshot_build_date(debian_version: str) -> dt.date | None:
    """The build date in an apt.llvm.org snapshot version, None when it has none."""
    match = _SNAPSHOT_DATE.search(debian_version)
    if match is None:
        return None
    try:
        return dt.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def snapshot_problem(debian_version: str, today: dt.date, max_age_days: int) -> str | None:
    """Why this snapshot cannot be trusted tonight, or None."""
    built = snapshot_build_date(debian_version)
    if built is None:
        return f"not a snapshot build (package version {debian_version!r} has no ~++DATE)"
    age = (today - built).days
    if age > max_age_days:
        return (
            f"the snapshot was built {built.isoformat()}, {age} days ago (more than {max_age_days})"
        )
    return None


def package_version(package: str) -> str | None:
    try:
        result = run_program(["dpkg-query", "-W", "-f=${Version}", package], timeout=30)
    except OSError:
        return None
    text = result.stdout.decode().strip()
    return text if result.returncode == 0 and text else None


def run_suite(
    suite: Path, version: int, timeout: float, filecheck: str | None = None
) -> dict[str, str]:
    """lit's result code per test ("case/file") for one version, with LLVM's FileCheck
    where the version has one unless ``filecheck`` ("llvm" or "pypi") says."""
    filecheck = filecheck or ("llvm" if shutil.which(f"FileCheck-{version}") else "pypi")
    with tempfile.TemporaryDirectory(prefix="reducer-nightly-") as tmp:
        output = Path(tmp) / "results.json"
        argv = [
            sys.executable,
            "-c",
            "import sys; from lit.main import main; sys.exit(main())",
            str(suite),
            "-q",
            "--param",
            f"llvm={version}",
            "--param",
            f"filecheck={filecheck}",
            "--output",
            str(output),
        ]
        result = run_program(argv, timeout=timeout)
        if not output.is_file():
            raise RuntimeError(
                f"lit did not run against LLVM {version}: {result.stderr_tail(3) or result.stdout.decode()[-300:]}"
            )
        data = json.loads(output.read_text())
    return {entry["name"].split(" :: ", 1)[1]: entry["code"] for entry in data["tests"]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lit-nightly.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("versions", nargs="+", type=int, metavar="VERSION")
    parser.add_argument("--snapshot", type=int, help="this version is apt.llvm.org's snapshot")
    parser.add_argument("--max-age-days", type=int, default=5)
    parser.add_argument("--suite", type=Path, default=REPO / "lit-tests")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args(argv)
    if args.snapshot is not None and args.snapshot not in args.versions:
        parser.error(f"--snapshot {args.snapshot} is not one of the versions to run")
    if not (args.suite / "lit.cfg.py").is_file():
        parser.error(f"{args.suite} is not a lit suite (no lit.cfg.py)")

    problems: list[str] = []
    changed: list[Finding] = []
    rows: list[tuple[int, str]] = []
    for version in args.versions:
        if version == args.snapshot:
            debian = package_version(f"llvm-{version}") or ""
            problem = snapshot_problem(debian, dt.date.today(), args.max_age_days)
            if problem:
                problems.append(f"LLVM {version}: {problem}")
        try:
            codes = run_suite(args.suite, version, args.timeout)
        except (RuntimeError, subprocess.SubprocessError, OSError) as exc:
            problems.append(str(exc))
            continue
        counts = {code: list(codes.values()).count(code) for code in sorted(set(codes.values()))}
        rows.append((version, ", ".join(f"{n} {code}" for code, n in counts.items())))
        changed.extend(findings(version, codes, declared_unsupported(args.suite, list(codes))))

    print("| LLVM | results |")
    print("|---:|---|")
    for version, summary in rows:
        mark = " (snapshot)" if version == args.snapshot else ""
        print(f"| {version}{mark} | {summary} |")
    for finding in changed:
        print(f"{finding.test}: {finding.verdict}")
    for problem in problems:
        print(f"error: {problem}")
    if not changed and not problems:
        print("every test as expected (PASS, or XFAIL where the release has the bug)")
    return 1 if changed or problems else 0


if __name__ == "__main__":
    sys.exit(main())

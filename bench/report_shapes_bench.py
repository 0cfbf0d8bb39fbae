"""Wall time of `reduce ... --emit` (llvm-reduce, emission and lit verification included)
for each report shape of issue 23, on the shipped case that stands for it (§9: <= 60 s).

    .venv/bin/python bench/report_shapes_bench.py [--timeout SECS] [--shape NAME ...]

Each run gets a private directory (also its TMPDIR, so nothing lands in /tmp) and a copy
of nothing: the case's input is read where it is (reduce never writes next to it when -o
and --emit point elsewhere). The command is the one a user types: the case's oracle and
options, --good-cc the fixed compiler, --emit DIR; a crash-report case is given as
`--crash-report SCRIPT` (the script's compile command). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reducer.commands.cases import CASES_DIR, Case, load_case  # noqa: E402

# shape -> the shipped case that stands for it (None: no shipped case yet)
SHAPES: dict[str, str | None] = {
    "front-end crash on invalid C": "format-escape-crash",
    "backend error/crash from C": "canonicalize-crash",
    "false warning needing a standalone test": "format-truncation-false-warning",
    "IR crash for llc": "canonicalize-ir-llc",
    "IR miscompile for llc": "splat-binop-ir-llc",
    "crash report as input": "bf16-x87-crash-report",
}
_ROW = re.compile(r"^\| \S+\.(?:ll|c) +\|")


@dataclass(frozen=True)
class Run:
    shape: str
    case: str
    wall: float
    status: int
    reduced_bytes: int
    tests: int
    verified: str  # "4/4" rows as expected


def reduce_argv(case: Case, work: Path) -> list[str]:
    argv = [sys.executable, "-m", "reducer", "-q", "--oracle", case.oracle]
    argv += [*case.oracle_args, *case.reduce_args, "--good-cc", case.fixed_with]
    argv += ["--emit", str(work / "tests"), "-o", str(work / ("reduced" + case.input.suffix))]
    if case.crash_report:
        directory = case.directory or CASES_DIR / case.name
        return [*argv, "--crash-report", str(directory / case.crash_report)]
    return [*argv, str(case.input), "--", *case.compile_argv]


def measure(shape: str, case: Case, timeout: float) -> Run:
    with tempfile.TemporaryDirectory(prefix="reducer-shapes-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "TMPDIR": tmp}
        start = time.monotonic()
        try:
            result = subprocess.run(
                reduce_argv(case, work),
                capture_output=True,
                text=True,
                timeout=timeout,
                cwd=tmp,
                env=env,
                check=False,
            )
            status, stdout = result.returncode, result.stdout
        except subprocess.TimeoutExpired:
            status, stdout = -1, ""
        wall = time.monotonic() - start
        reduced = work / ("reduced" + case.input.suffix)
        rows = [line for line in stdout.splitlines() if _ROW.match(line)]
        good = sum(line.rstrip().endswith("| yes         |") for line in rows)
        tests = len(list((work / "tests").glob("*"))) if (work / "tests").is_dir() else 0
        return Run(
            shape,
            case.name,
            wall,
            status,
            len(reduced.read_bytes()) if reduced.is_file() else 0,
            tests,
            f"{good}/{len(rows)}",
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--shape", action="append", default=[], help="only these shapes")
    args = parser.parse_args(argv)
    print("| report shape | case | wall s | exit | reduced bytes | tests | rows as expected |")
    print("|---|---|---:|---:|---:|---:|---|")
    slow = False
    for shape, name in SHAPES.items():
        if args.shape and shape not in args.shape:
            continue
        if name is None:
            print(f"| {shape} | (no shipped case) | - | - | - | - | - |")
            continue
        run = measure(shape, load_case(CASES_DIR / name), args.timeout)
        slow |= run.wall > 60 or run.status != 0
        print(
            f"| {run.shape} | {run.case} | {run.wall:.1f} | {run.status} | "
            f"{run.reduced_bytes} | {run.tests} | {run.verified} |",
            flush=True,
        )
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())

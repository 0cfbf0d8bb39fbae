"""`reduce batch CASES_DIR --out DIR [--executor WHERE] [-j N] [--case NAME ...]`

Nightly triage of many cases: for every ``CASES_DIR/*/case.toml`` (the format of this
project's cases/), reduce its input.c with the case's oracle, compilers and flags
(differential against its fixed compiler when it names one), emit the tests of the
oracle's kinds from the result, verify them with lit on both toolchains, and print one
table at the end. Each reduction runs as its own `reduce` process with the given
--executor, so a Dask cluster (`dask:tcp://...`) spreads the oracle calls of every case.
Nothing under CASES_DIR is written; DIR/<case>/ gets reduced.c and the tests.

Exit status 0 when every case reduced and every emitted test behaved as expected, 1
(CASES_FAILED) when any case failed (its row says why), 2 for bad usage, 6 when DIR
cannot be written.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from reducer.commands.cases import Case, generate, load_case
from reducer.commands.options import job_count, timeout_seconds
from reducer.errors import ExitCode, ReducerError, UsageError
from reducer.output import prepare_output_directory

NAME = "batch"
HELP = "reduce, emit and verify every case in a cases/ directory; one table at the end"
REDUCE_TIMEOUT = 3600.0  # seconds one case's reduction may take in all


@dataclass
class CaseResult:
    name: str
    oracle: str
    status: str = "ok"
    original_bytes: int | None = None
    final_bytes: int | None = None
    calls: int | None = None
    wall_seconds: float = 0.0
    tests: str = ""
    verified: str = ""

    def row(self) -> str:
        size = (
            f"{self.original_bytes} -> {self.final_bytes}"
            if self.original_bytes is not None
            else "-"
        )
        calls = str(self.calls) if self.calls is not None else "-"
        return (
            f"| {self.name} | `{self.oracle}` | {size} | {calls} | {self.wall_seconds:.1f} | "
            f"{self.tests or '-'} | {self.verified or '-'} | {self.status} |"
        )


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cases_dir", type=Path, metavar="CASES_DIR")
    parser.add_argument("--out", type=Path, required=True, help="where each case's results go")
    parser.add_argument("--case", action="append", default=[], help="only these cases")
    parser.add_argument("--executor", default="local", help="as for reduce (e.g. dask:tcp://...)")
    parser.add_argument("-j", "--jobs", type=job_count, default=None, help="as for reduce")
    parser.add_argument("--timeout", type=timeout_seconds, default=30.0, help="seconds per compile")
    parser.add_argument("--no-emit", action="store_true", help="reduce only")


def _cases(directory: Path, wanted: list[str]) -> list[Case]:
    if not directory.is_dir():
        raise UsageError(f"{directory} is not a directory of cases")
    found = [load_case(d) for d in sorted(directory.iterdir()) if (d / "case.toml").is_file()]
    if not found:
        raise UsageError(f"{directory} has no */case.toml")
    unknown = sorted(set(wanted) - {c.name for c in found})
    if unknown:
        raise UsageError(f"no case {unknown[0]!r} in {directory}")
    return [c for c in found if not wanted or c.name in wanted]


def reduce_argv(case: Case, output: Path, args: argparse.Namespace) -> list[str]:
    argv = [sys.executable, "-m", "reducer", "-q", "--json", "--oracle", case.oracle]
    argv += [*case.oracle_args, *case.reduce_args, "--executor", args.executor]
    argv += ["--timeout", str(args.timeout), "--keep-flags"]
    if args.jobs:
        argv += ["-j", str(args.jobs)]
    if case.fixed_with:
        argv += ["--good-cc", case.fixed_with]
    if case.crash_report:  # the compile command is the script's
        directory = case.directory or case.input.parent
        return [*argv, "-o", str(output), "--crash-report", str(directory / case.crash_report)]
    return [*argv, "-o", str(output), str(case.input), "--", *case.compile_argv]


def run_case(case: Case, args: argparse.Namespace) -> CaseResult:
    result = CaseResult(case.name, case.oracle)
    started = time.monotonic()
    out_dir = args.out / case.name
    prepare_output_directory(out_dir)
    reduced = out_dir / "reduced.c"
    process = subprocess.run(
        reduce_argv(case, reduced, args),
        capture_output=True,
        text=True,
        timeout=REDUCE_TIMEOUT,
        check=False,
    )
    result.wall_seconds = time.monotonic() - started
    if process.returncode != 0:
        last = (process.stderr.strip().splitlines() or ["(no message)"])[-1]
        result.status = f"reduce failed (exit {process.returncode}): {last[:160]}"
        return result
    summary = json.loads(process.stdout)
    result.original_bytes = summary["original_normalized_bytes"]
    result.final_bytes = summary["final_normalized_bytes"]
    result.calls = summary["oracle_calls"]
    if args.no_emit or not case.spec.kind.test_kinds:
        result.tests = "none" if not case.spec.kind.test_kinds else "-"
        return result
    try:
        report = generate(case, out_dir, args.timeout, verify=True, reduced=reduced)
    except ReducerError as exc:
        result.status = f"emit failed: {exc}"
        return result
    finally:
        result.wall_seconds = time.monotonic() - started
    result.tests = ", ".join(p.name for p in report.paths)
    good = sum(1 for row in report.rows if row.ok)
    result.verified = f"{good}/{len(report.rows)} as expected"
    if not report.ok:
        result.status = "an emitted test does not behave as expected"
    return result


def run(args: argparse.Namespace, compile_argv: list[str]) -> int:
    if compile_argv:
        raise UsageError("reduce batch takes no compile command: each case.toml has its own")
    cases = _cases(args.cases_dir, args.case)
    prepare_output_directory(args.out)  # before the first case, not as its failure
    results = []
    for case in cases:
        print(f"batch: {case.name} ...", file=sys.stderr, flush=True)
        results.append(run_case(case, args))
    print("| case | oracle | bytes (normalised) | calls | wall s | tests | verified | status |")
    print("|---|---|---|---:|---:|---|---|---|")
    for result in results:
        print(result.row())
    failed = [r for r in results if r.status != "ok"]
    print(f"{len(results) - len(failed)} of {len(results)} cases ok")
    return ExitCode.OK if not failed else ExitCode.CASES_FAILED

"""What the subcommands share: the oracle, executor and fixed-toolchain options, the
executor they choose, and the emission report's printing (reduce --emit and emit)."""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from reducer.compiler import DEFAULT_COMPILE_TIMEOUT, CompileCommand
from reducer.emit.pipeline import EmitReport
from reducer.errors import ExitCode, UsageError
from reducer.executors.base import Executor
from reducer.executors.dask import DaskExecutor, TlsFiles, parse_address
from reducer.executors.local import LocalPoolExecutor
from reducer.oracles import Oracle, OracleSpec, oracle_kinds

# A day: longer than any compile worth waiting for, and small enough that a deadline
# computed from it (time.monotonic() + timeout) stays an exact float and a valid poll
# timeout (`inf`, `nan` and 1e12 used to end in a ValueError/OverflowError traceback).
MAX_TIMEOUT = 86400.0


def timeout_seconds(value: str) -> float:
    """``--timeout``'s type: a finite number of seconds, more than 0, at most a day;
    anything else is a usage error before a compiler runs (argparse reports it)."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
        raise argparse.ArgumentTypeError(
            f"{value!r}: give seconds, more than 0 and at most {MAX_TIMEOUT:g}"
        )
    return seconds


def job_count(value: str) -> int:
    """``-j``'s type: a whole number, at least 1."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give at least 1")
    return jobs


# Only `reduce` measures the original to choose an oracle (commands/auto_oracle.py).
AUTO_USAGE = (
    "auto: with --good-cc, measure what differs between the affected and the fixed "
    "compiler on the original and reduce with the narrowest oracle that separates them "
    "(printed as the explicit --oracle it stands for)"
)


def add_oracle_arguments(
    parser: argparse.ArgumentParser,
    default_oracle: str | None,
    required: bool = True,
    auto: bool = False,
) -> None:
    """Options matrix and explain share: which oracle, and what it is told (``required``
    false: the command finds one otherwise, as reduce --crash-report does; ``auto``: the
    help names --oracle auto, which only reduce has)."""
    parser.add_argument(
        "--oracle",
        default=default_oracle,
        required=required and default_oracle is None,
        metavar="NAME",
        help="what makes a candidate interesting: "
        + "; ".join(f"{k.usage}: {k.summary}" for k in oracle_kinds())
        + (f"; {AUTO_USAGE}" if auto else "")
        + (f" (default {default_oracle})" if default_oracle else ""),
    )
    parser.add_argument("--symbol", help="only relocations against this symbol count")
    parser.add_argument(
        "--target-section",
        dest="target_section",
        help="only relocations against symbols in this section count",
    )
    parser.add_argument(
        "-X",
        "--oracle-option",
        dest="oracle_options",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="oracle setting, e.g. -X load_address=0x7fff0000 -X multiple_exec_sections=interesting",
    )
    parser.add_argument(
        "--timeout",
        type=timeout_seconds,
        default=DEFAULT_COMPILE_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds before a compile or script run is killed with its process group "
        f"(default {DEFAULT_COMPILE_TIMEOUT:g})",
    )


def oracle_spec(args: argparse.Namespace) -> OracleSpec:
    """The one oracle value of a command line (usage errors raised here, before compiling)."""
    return OracleSpec.parse(
        args.oracle,
        symbol=args.symbol,
        target_section=args.target_section,
        options=args.oracle_options,
        timeout=args.timeout,
        good_cc=getattr(args, "good_cc", None) or (),
    )


def oracle_spec_from_words(words: list[str]) -> OracleSpec:
    """An oracle value from command-line words (``--oracle X --symbol S ...``, as a
    case.toml stores them), parsed by the same options the CLI has."""
    parser = argparse.ArgumentParser(prog="oracle", add_help=False, exit_on_error=False)
    add_oracle_arguments(parser, default_oracle=None)
    try:
        args = parser.parse_args(words)
    except (argparse.ArgumentError, SystemExit) as exc:
        raise UsageError(f"bad oracle options {' '.join(words)!r}: {exc}") from None
    return oracle_spec(args)


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """-j, --executor and the Dask TLS files (reduce and matrix)."""
    parser.add_argument(
        "-j",
        "--jobs",
        type=job_count,
        default=os.cpu_count() or 1,
        help="oracle calls in parallel (default: number of cores)",
    )
    parser.add_argument(
        "--executor",
        default="local",
        metavar="WHERE",
        help="where oracle calls run: local (threads, -j of them; default), dask:local[:N] "
        "(a local Dask cluster of N workers on 127.0.0.1), dask:tcp://HOST:PORT or "
        "dask:tls://HOST:PORT (a running Dask scheduler; workers need the same compilers)",
    )
    for role, what in (
        ("ca", "CA certificate"),
        ("cert", "client certificate"),
        ("key", "client key"),
    ):
        parser.add_argument(
            f"--dask-tls-{role}",
            type=Path,
            metavar="FILE",
            help=f"with dask:tls://: the {what} (PEM; default: Dask's configuration)",
        )


def executor_from_args(
    args: argparse.Namespace, oracle: Oracle, file_name: str, programs: list[str]
) -> Executor:
    tls = TlsFiles.from_args(args.dask_tls_ca, args.dask_tls_cert, args.dask_tls_key, args.executor)
    return make_executor(args.executor, oracle, file_name, args.jobs, programs, tls=tls)


def make_executor(
    spec: str,
    oracle: Oracle,
    file_name: str,
    jobs: int,
    programs: list[str],
    tls: TlsFiles | None = None,
) -> Executor:
    """``--executor``: "local" (threads, -j of them) or a Dask cluster (dask:...)."""
    if spec == "local":
        return LocalPoolExecutor(oracle, file_name, jobs)
    if spec.startswith("dask:"):
        address, workers = parse_address(spec)
        return DaskExecutor(oracle, file_name, address, workers, programs, tls)
    raise UsageError(
        f"unknown --executor {spec!r}: use local, dask:local[:N] or dask:tcp://HOST:PORT"
    )


def add_fixed_toolchain_arguments(parser: argparse.ArgumentParser) -> None:
    """--fixed-cc / --fixed-llvm (and --bug-url), shared with `reduce --emit`."""
    parser.add_argument(
        "--bug-url",
        action="append",
        default=[],
        metavar="URL",
        help="link the bug report or the fix in each emitted test (repeatable)",
    )
    parser.add_argument("--fixed-cc", help="a clang without the bug (e.g. clang-22)")
    parser.add_argument(
        "--fixed-llvm",
        help="LLVM tools without the bug: a bin directory or a version suffix (e.g. 22); "
        "default: the tools next to --fixed-cc",
    )


def print_report(report: EmitReport) -> int:
    """Print what was written and the verification table; the exit code it deserves."""
    for path in report.paths:
        print(f"wrote {path}")
    for note in report.notes:
        print(f"note: {note}")
    print(report.table())
    if not report.ok:
        print(
            "reduce: error: an emitted test does not behave as expected (see table)",
            file=sys.stderr,
        )
        return ExitCode.EMIT_UNVERIFIED
    return ExitCode.OK


def fixed_command(
    args: argparse.Namespace, compile: CompileCommand, spec: OracleSpec | None = None
) -> CompileCommand | None:
    """The fixed compiler's command: --fixed-cc with the affected command's flags, else the
    whole --good-cc command of a differential reduction (every word of it). ``spec``: the
    oracle the run settled on, when the command line's cannot be parsed again (``auto``)."""
    if args.fixed_cc:
        return compile.with_program(args.fixed_cc)
    return (spec or oracle_spec(args)).good_command(compile)

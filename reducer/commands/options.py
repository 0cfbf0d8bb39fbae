"""Command-line options every oracle-running subcommand shares (reduce, matrix, explain)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from reducer.compiler import DEFAULT_COMPILE_TIMEOUT
from reducer.errors import UsageError
from reducer.executor import Executor, TlsFiles, make_executor
from reducer.oracles import Oracle, OracleSpec, oracle_kinds


def add_oracle_arguments(parser: argparse.ArgumentParser, default_oracle: str | None) -> None:
    """Options matrix and explain share: which oracle, and what it is told."""
    parser.add_argument(
        "--oracle",
        default=default_oracle,
        required=default_oracle is None,
        metavar="NAME",
        help="what makes a candidate interesting: "
        + "; ".join(f"{k.usage}: {k.summary}" for k in oracle_kinds())
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
        type=float,
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
        type=int,
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

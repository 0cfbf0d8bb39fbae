"""Command-line options every oracle-running subcommand shares (reduce, matrix, explain)."""

from __future__ import annotations

import argparse

from reducer.compiler import DEFAULT_COMPILE_TIMEOUT
from reducer.errors import UsageError
from reducer.oracles import oracle_names


def add_oracle_arguments(parser: argparse.ArgumentParser, default_oracle: str | None) -> None:
    """Options matrix and explain share: which oracle, and what it is told."""
    parser.add_argument(
        "--oracle",
        default=default_oracle,
        required=default_oracle is None,
        metavar="NAME",
        help=f"what makes a candidate interesting: {', '.join(oracle_names())}, or script:PATH"
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


def parse_oracle_options(items: list[str]) -> dict[str, object]:
    extra: dict[str, object] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise UsageError(f"oracle option must look like KEY=VALUE, not {item!r}")
        extra[key] = value
    return extra

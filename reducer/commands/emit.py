"""`reduce emit FILE --oracle NAME --out DIR [--fixed-cc CLANG] [--fixed-llvm DIR|N] -- CC FLAGS`:
write upstream-ready regression tests for an already reduced reproducer and verify them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reducer.commands.options import add_oracle_arguments, oracle_spec
from reducer.compiler import CompileCommand
from reducer.emit.pipeline import MODES, EmitReport, emit_tests
from reducer.errors import ExitCode

NAME = "emit"
HELP = "write an llc (.ll) and a clang (.c) regression test for a reduced file, verified with lit"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.usage = (
        "reduce emit FILE --oracle NAME --out DIR [--symbol S] [--target-section S] "
        "[--fixed-cc CLANG] [--fixed-llvm DIR_OR_SUFFIX] -- COMPILER FLAGS..."
    )
    parser.add_argument("file", type=Path, help="the reduced C file")
    add_oracle_arguments(parser, default_oracle=None)
    parser.add_argument("--out", type=Path, required=True, help="directory for the tests")
    parser.add_argument("--name", help="file name stem of the tests (default: FILE's stem)")
    add_fixed_toolchain_arguments(parser)
    parser.add_argument(
        "--expect",
        choices=MODES,
        default="auto",
        help="what the tests require: the fixed toolchain's output (fixed), R_X86_64_64 "
        "without asm checks (assumed), or today's behaviour (lock-in); default: fixed when "
        "a fixed toolchain is given, else by code model",
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


def run(args: argparse.Namespace, compile_argv: list[str]) -> int:
    spec = oracle_spec(args)
    compile = CompileCommand.from_user(compile_argv, spec.timeout, args.file.parent)
    report = emit_tests(
        args.file,
        spec,
        compile,
        args.out,
        fixed_compile=fixed_command(args, compile),
        fixed_llvm=args.fixed_llvm,
        name=args.name,
        expect=args.expect,
        bug_urls=args.bug_url,
    )
    return print_report(report)


def fixed_command(args: argparse.Namespace, compile: CompileCommand) -> CompileCommand | None:
    """The fixed compiler's command: --fixed-cc with the affected command's flags, else the
    whole --good-cc command of a differential reduction (every word of it)."""
    if args.fixed_cc:
        return compile.with_program(args.fixed_cc)
    return oracle_spec(args).good_command(compile)

"""`reduce emit FILE --oracle NAME --out DIR [--fixed-cc CLANG] [--fixed-llvm DIR|N] -- CC FLAGS`:
write upstream-ready regression tests for an already reduced reproducer and verify them.
With `--llvm-project DIR [--into FILE] [--diff-only]` instead of --out: place them in an
llvm-project checkout and print the patch (reducer.emit.llvm_project)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from reducer.commands.options import (
    add_fixed_toolchain_arguments,
    add_oracle_arguments,
    fixed_command,
    oracle_spec,
    print_report,
)
from reducer.compiler import CompileCommand
from reducer.emit import llvm_project, upstream, verify
from reducer.emit.mode import AUTO, EXPECT_CHOICES
from reducer.emit.pipeline import default_name, emit_tests, test_kinds_for
from reducer.errors import ExitCode, UsageError
from reducer.oracles import OracleSpec
from reducer.output import write_files

NAME = "emit"
HELP = "write an llc (.ll) and a clang (.c) regression test for a reduced file, verified with lit"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.usage = (
        "reduce emit FILE --oracle NAME (--out DIR | --llvm-project DIR [--into FILE] "
        "[--diff-only]) [--symbol S] [--target-section S] [--fixed-cc CLANG] "
        "[--fixed-llvm DIR_OR_SUFFIX] -- COMPILER FLAGS..."
    )
    parser.add_argument("file", type=Path, help="the reduced C file")
    add_oracle_arguments(parser, default_oracle=None)
    parser.add_argument("--out", type=Path, help="directory for the tests")
    parser.add_argument(
        "--llvm-project",
        type=Path,
        metavar="DIR",
        help="instead of --out: write the tests at their paths in this llvm-project checkout "
        "(llvm/test/CodeGen/X86/NAME.ll, clang/test/CodeGen/NAME.c) and print the diff",
    )
    parser.add_argument(
        "--into",
        metavar="FILE",
        help="with --llvm-project: add the .ll test's IR to this existing llc test (a path "
        "relative to DIR) and regenerate its checks with the fixed llc",
    )
    parser.add_argument(
        "--diff-only",
        action="store_true",
        help="with --llvm-project: print the diff, write nothing",
    )
    parser.add_argument("--name", help="file name stem of the tests (default: FILE's stem)")
    add_fixed_toolchain_arguments(parser)
    parser.add_argument(
        "--expect",
        choices=EXPECT_CHOICES,
        default=AUTO,
        help="what the tests require: the fixed toolchain's output (fixed), R_X86_64_64 "
        "without asm checks (assumed), or today's behaviour (lock-in); default: fixed when "
        "a fixed toolchain is given, else by code model",
    )


def _check_destination(args: argparse.Namespace, spec: OracleSpec) -> Path | None:
    """Usage errors about where the tests go, before anything is compiled; the --into
    file when there is one."""
    root = args.llvm_project
    if root is None:
        for option in ("into", "diff_only"):
            if getattr(args, option):
                raise UsageError(f"--{option.replace('_', '-')} needs --llvm-project DIR")
        if args.out is None:
            raise UsageError("give --out DIR or --llvm-project DIR")
        return None
    if args.out is not None:
        raise UsageError("--out and --llvm-project exclude each other")
    upstream.check_tree(root)
    has_fixed = bool(args.fixed_cc or args.fixed_llvm)
    suffixes = [kind.suffix for kind in test_kinds_for(spec, has_fixed=has_fixed)]
    if args.into is None:
        llvm_project.check_new_targets(root, args.name or default_name(args.file), suffixes)
        return None
    into = upstream.into_path(root, args.into)
    if ".ll" not in suffixes:
        raise UsageError(f"--into takes .ll tests and the {spec.name} oracle emits none")
    return into


def run(args: argparse.Namespace, compile_argv: list[str]) -> int:
    spec = oracle_spec(args)
    into = _check_destination(args, spec)
    compile = CompileCommand.from_user(compile_argv, spec.timeout, args.file.parent)
    if args.llvm_project is not None:
        return _run_llvm_project(args, spec, compile, into)
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


def _run_llvm_project(
    args: argparse.Namespace, spec: OracleSpec, compile: CompileCommand, into: Path | None
) -> int:
    """Emit and verify in a temporary directory, then place the tests in the checkout."""
    root: Path = args.llvm_project
    stem = args.name or default_name(args.file)
    timeout = max(60.0, spec.timeout * 4)
    with tempfile.TemporaryDirectory(prefix="reducer-upstream-") as tmp:
        report = emit_tests(
            args.file,
            spec,
            compile,
            Path(tmp),
            fixed_compile=fixed_command(args, compile),
            fixed_llvm=args.fixed_llvm,
            name=stem,
            expect=args.expect,
            bug_urls=args.bug_url,
        )
        if into is None:
            placement = llvm_project.place_new(report, root, stem)
        else:
            placement = llvm_project.place_into(report, root, into, timeout)
    for note in report.notes + placement.notes:
        print(f"note: {note}")
    print("emitted test, verified in a temporary directory:")
    print(report.table())
    if placement.rows:
        print(f"{into.name if into else 'the result'} after the merge:")
        print(verify.render_table(placement.rows))
    ok = report.ok and placement.ok
    targets = ", ".join(llvm_project.relative(root, p) for p in placement.files)
    if args.diff_only:
        print(f"not written (--diff-only): {targets}")
    elif ok and placement.files:
        write_files(placement.files, [args.file])
        print(f"wrote {targets} in {root}")
    sys.stdout.write(placement.diff)
    if not ok:
        if not report.ok:
            why = "the emitted test does not behave as expected (see table)"
        elif placement.distinguishes is False:
            why = f"the checks added to {targets} do not tell the affected llc from the fixed one"
        else:
            why = f"{targets} does not behave as expected (see table)"
        print(f"reduce: error: not written: {why}", file=sys.stderr)
        return ExitCode.EMIT_UNVERIFIED
    return ExitCode.OK

"""`reduce matrix FILE [--oracle NAME] [--cc CC ...] -- FLAGS...`

Runs one oracle on FILE with every versioned clang on PATH (clang-16 ... clang-22) plus any
--cc, each compile in a private temporary directory holding a copy of the file under its own
name, and prints which compilers show the behaviour. FLAGS are compile flags *without* the
compiler; if the first word after -- is itself a compiler (on PATH and named like clang/gcc)
it is added to the compilers and the rest are the flags. The input file is never modified.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from reducer.commands.options import (
    add_executor_arguments,
    add_oracle_arguments,
    executor_from_args,
    oracle_spec,
)
from reducer.compiler import (
    CompileCommand,
    cannot_run,
    compiler_version,
    installed_clangs,
)
from reducer.errors import CompilerNotFound, ExecutorError, ReducerError, UsageError
from reducer.inputs import in_user_terms, read_source
from reducer.intake.options import add_intake_arguments, resolve_intake
from reducer.oracles import Verdict

NAME = "matrix"
HELP = "run an oracle on a file with every installed clang (and --cc compilers) and tabulate"

DEFAULT_ORACLE = "abs32"
_COMPILER_NAME = re.compile(
    r"(?:[\w.+-]+-)?(?:clang|gcc|cc|clang\+\+|g\+\+|c\+\+)(?:-\d+(?:\.\d+)*)?", re.ASCII
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the C file to compile (not modified)")
    add_oracle_arguments(parser, DEFAULT_ORACLE)
    add_intake_arguments(parser)
    add_executor_arguments(parser)
    parser.add_argument(
        "--cc",
        action="append",
        default=[],
        metavar="CC",
        help="another compiler to include (repeatable), e.g. --cc /opt/llvm-18.1.4/bin/clang",
    )


def check_input_file(name: str) -> Path:
    """The input as a resolved path; one-line InputError for anything we cannot use
    (missing, a directory, empty, binary, not UTF-8)."""
    path = Path(name)
    read_source(path)
    return path.resolve()


def looks_like_compiler(word: str) -> bool:
    return not word.startswith("-") and bool(_COMPILER_NAME.fullmatch(os.path.basename(word)))


def split_compiler(compile_argv: list[str]) -> tuple[str | None, list[str]]:
    """(extra compiler or None, flags) from what followed '--'."""
    if compile_argv and looks_like_compiler(compile_argv[0]):
        problem = cannot_run(compile_argv[0])
        if problem:
            raise CompilerNotFound(problem)
        return compile_argv[0], compile_argv[1:]
    return None, list(compile_argv)


@dataclass(frozen=True)
class Row:
    compiler: str
    version: str
    verdict: Verdict | None
    error: str = ""

    @property
    def label(self) -> str:
        v = self.verdict
        if v is None:
            return "error"
        if v.timed_out:
            return "timed out"
        if v.compile_failed:
            return "compile failed"
        return "AFFECTED" if v.interesting else "not affected"

    @property
    def reason(self) -> str:
        return self.error if self.verdict is None else self.verdict.reason


def _row(command: CompileCommand, future: Future[Verdict]) -> Row:
    verdict: Verdict | None = None
    error = ""
    try:
        verdict = future.result()
    except ExecutorError:
        raise  # the cluster is gone: the whole table is
    except OSError as exc:
        error = f"cannot run {command.program}: {exc.strerror or exc}"
    except ReducerError as exc:
        error = str(exc)
    return Row(command.program, compiler_version(command.program), verdict, error)


def run(args: argparse.Namespace, compile_argv: list[str]) -> int:
    source = check_input_file(args.file)
    intake = resolve_intake(args, compile_argv, source)
    compile_argv = list(intake.argv) if intake else []
    for line in intake.messages() if intake else []:
        print(f"note: {line}", file=sys.stderr)  # stdout stays the table
    if not intake or not compile_argv:
        raise UsageError(
            "matrix needs compile flags after '--' (or -p/--kbuild-cmd), without the compiler, e.g. "
            "-- --target=x86_64-linux-gnu -O0 -mcmodel=large -fno-pic -c"
        )
    spec = oracle_spec(args)
    if not spec.kind.compiles:
        raise UsageError(f"matrix cannot run the {spec.name} oracle: it picks its own compiler")
    extra_cc, flags = split_compiler(compile_argv)
    compilers: list[str] = []
    for cc in [*installed_clangs(), *([extra_cc] if extra_cc else []), *args.cc]:
        if cc not in compilers:
            compilers.append(cc)
    if not compilers:
        raise CompilerNotFound("no compilers: no clang-N on PATH and no --cc given")
    commands = [
        CompileCommand.from_user([cc, *flags], args.timeout, source.parent, intake.directory)
        for cc in compilers
    ]
    first = spec.build(commands[0])  # bad oracle options fail once, before any compile
    text = read_source(source)
    # The same executors as reduce: local threads, or a Dask cluster for many compilers.
    executor = executor_from_args(args, first, source.name, compilers)
    try:
        pending = [(c, executor.submit_check(spec.build(c), text)) for c in commands]
        rows = [_row(command, future) for command, future in pending]
    finally:
        executor.close()

    print(f"matrix: {args.file} with oracle {args.oracle}; flags: {' '.join(flags) or '(none)'}")
    print_table(rows, args.file)
    affected = [r.compiler for r in rows if r.label == "AFFECTED"]
    others = [r.compiler for r in rows if r.label != "AFFECTED"]
    print(
        f"affected: {', '.join(affected) or 'none'}; "
        f"not affected or not checked: {', '.join(others) or 'none'}"
    )
    return 0


def print_table(rows: list[Row], file: str) -> None:
    """The rows under a header; compiler messages name ``file`` as the user gave it."""
    header = ("compiler", "version", "verdict", "reason")
    table = [
        header,
        *[(r.compiler, r.version, r.label, in_user_terms(r.reason, file)) for r in rows],
    ]
    widths = [max(len(line[i]) for line in table) for i in range(3)]
    for line in table:
        cells = [line[i].ljust(widths[i]) for i in range(3)]
        print("  ".join([*cells, line[3]]).rstrip())

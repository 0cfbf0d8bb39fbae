"""`reduce matrix FILE [--oracle NAME] [--cc CC ...] -- FLAGS...`

Runs one oracle on FILE with every versioned clang on PATH (clang-16 ... clang-22) plus any
--cc, each compile in a private temporary directory holding a copy of the file under its own
name, and prints which compilers show the behaviour. FLAGS are compile flags *without* the
compiler; if the first word after -- is itself a compiler (on PATH and named like clang/gcc,
or an LLVM tool: llc, opt) it is added to the compilers and the rest are the flags. With an
LLVM tool (LLVM IR input) the matrix is over every installed release of that tool
(llc-16 ... llc-22) instead of the clangs. The input file is never modified.
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
    STYLE_DRIVER,
    STYLE_LLC,
    STYLE_OPT,
    CompileCommand,
    cannot_run,
    compiler_version,
    installed_clangs,
    installed_versions,
    major_of,
    style_of,
    takes_ir,
)
from reducer.errors import CompilerNotFound, ExecutorError, ReducerError, UsageError
from reducer.inputs import in_user_terms, read_bytes, read_source
from reducer.intake.ir import is_ir_input, read_ir
from reducer.intake.options import add_intake_arguments, resolve_intake
from reducer.oracles import Verdict

NAME = "matrix"
HELP = "run an oracle on a file with every installed clang (and --cc compilers) and tabulate"

DEFAULT_ORACLE = "abs32"
_TOOL_NAMES = {STYLE_LLC: "llc", STYLE_OPT: "opt"}
_COMPILER_NAME = re.compile(
    r"(?:[\w.+-]+-)?(?:clang|gcc|cc|clang\+\+|g\+\+|c\+\+|llc|opt)(?:-\d+(?:\.\d+)*)?", re.ASCII
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
    (missing, a directory, empty, binary, not UTF-8); bitcode is read later, by the tool's
    own llvm-dis."""
    path = Path(name)
    if path.suffix == ".bc":
        read_bytes(path)
    else:
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
    style = style_of(extra_cc) if extra_cc else STYLE_DRIVER
    # An IR tool named after '--' makes it a matrix over that tool's releases.
    installed = installed_versions(_TOOL_NAMES[style]) if takes_ir(style) else installed_clangs()
    compilers: list[str] = []
    for cc in [*installed, *([extra_cc] if extra_cc else []), *args.cc]:
        if cc not in compilers:
            compilers.append(cc)
    if not compilers:
        raise CompilerNotFound("no compilers: no clang-N on PATH and no --cc given")
    commands = [
        CompileCommand.from_user([cc, *flags], args.timeout, source.parent, intake.directory)
        for cc in compilers
    ]
    first = spec.build(commands[0])  # bad oracle options fail once, before any compile
    ir_input = is_ir_input(source, commands[0].style)
    # Bitcode is read by the release the user named: its text is in that release's
    # dialect, which newer tools read too.
    reader = extra_cc or commands[0].program
    text = read_ir(source, reader, args.timeout) if ir_input else read_source(source)
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
    span = affected_releases(rows)
    if span:
        print(span)
    return 0


def affected_releases(rows: list[Row]) -> str:
    """'first affected release: 19, last: 21 (of 16, 19, 22 installed)' over the versioned
    rows (clang-N, llc-N), or '' when none is affected or none is versioned."""
    majors = {r.compiler: major_of(r.compiler) for r in rows}
    versioned = sorted({m for m in majors.values() if m is not None})
    hit = sorted({majors[r.compiler] for r in rows if r.label == "AFFECTED"} - {None})
    if not hit:
        return ""
    installed = ", ".join(map(str, versioned))
    return f"first affected release: {hit[0]}, last: {hit[-1]} (of {installed} installed)"


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

"""The main job: `reduce --oracle NAME FILE -- COMPILER FLAGS...`."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reducer.commands import auto_oracle
from reducer.commands.options import (
    add_executor_arguments,
    add_fixed_toolchain_arguments,
    add_oracle_arguments,
    executor_from_args,
    fixed_command,
    oracle_spec,
    print_report,
)
from reducer.compiler import (
    STYLE_DRIVER,
    STYLE_OPT,
    CompileCommand,
    compiler_version,
    takes_ir,
)
from reducer.ctokens import count_tokens, identifiers, normalized_size
from reducer.emit.job import TestKind
from reducer.emit.pipeline import EmitOptions, emit, test_kinds_for
from reducer.emit.reproducer import Reproducer
from reducer.engine import Engine
from reducer.engine.llvm_reduce import run_llvm_reduce
from reducer.errors import (
    CompilerError,
    ExecutorError,
    ExitCode,
    FlakyOracleError,
    InputError,
    NotInterestingError,
    OutputError,
    Terminated,
    UsageError,
)
from reducer.executors.base import WithOracle
from reducer.inputs import (
    BITCODE_MAGICS,
    check_outside_build_tree,
    default_output,
    read_bytes,
    read_source,
)
from reducer.intake.crash_report import read_crash_script
from reducer.intake.ir import is_ir_input, read_ir, require_sibling_tool
from reducer.intake.options import COMMAND_LINE, Intake, add_intake_arguments, resolve_intake
from reducer.minimal_command import MinimalCommand, minimize_command
from reducer.native_stderr import dropping_libclang_crash_reports
from reducer.oracles import Oracle, OracleSpec, Verdict, check_text, prefilter
from reducer.oracles.base import mentioned_words
from reducer.oracles.crash import crash_options
from reducer.oracles.differential import check_sides_together
from reducer.oracles.ir_undefined import more_undefined_behaviour, undefined_behaviour_counts
from reducer.output import (
    check_output_path,
    check_target,
    output_lock,
    prepare_output_directory,
    rescue,
    write_file,
)
from reducer.passes.focus import fast_function_bodies
from reducer.passes.markers import PragmaMacros, pragma_macros
from reducer.passes.table import PASS_NAMES, PassContext, PassPlan, build_plan
from reducer.progress import Reporter
from reducer.reloclines import offending_lines

NAME = "reduce"
LLVM_REDUCE = "llvm-reduce"  # the "pass" IR input's calls are counted under
SLICE_MAX_BYTES = 2_000_000  # larger inputs get no -g side compile (see _passes)...
SLICE_FOCUS_BYTES = 16_384  # ... unless the oracle's functions are this big (see _passes)
HELP = "shrink a C file while the oracle still sees the bad behaviour"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.usage = (
        "reduce --oracle NAME [options] FILE -- COMPILER FLAGS...\n"
        "       reduce --crash-report SCRIPT [options]"
    )
    parser.add_argument("file", type=Path, nargs="?", help="the C file to reduce (never modified)")
    parser.add_argument(
        "--crash-report",
        type=Path,
        metavar="SCRIPT",
        help="reduce the crash in the .sh clang wrote after 'PLEASE submit a bug report' "
        "(its preprocessed source beside it is FILE, its clang and driver flags the "
        "command; the oracle defaults to crash, pinned to the script's crash). Not "
        "clang's script, or its source gone: exit 3",
    )
    add_oracle_arguments(parser, default_oracle=None, required=False, auto=True)
    parser.add_argument(
        "--good-cc",
        metavar="CMD",
        type=_command_words,
        help="differential: interesting only if the oracle does NOT hold with this compiler "
        "(a program name reusing the flags after --, or a whole quoted command)",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="where to write the result (default: FILE with .reduced before the suffix)",
    )
    add_executor_arguments(parser)
    parser.add_argument(
        "--keep-names",
        action="store_true",
        help="keep the symbols and sections the oracle reports, and every explicit "
        "section name, readable (implied by --emit; by default only names given to "
        "--symbol/--target-section are kept; everything else is renamed to the shortest "
        "names that keep the oracle happy)",
    )
    parser.add_argument(
        "--emit",
        type=Path,
        metavar="DIR",
        help="afterwards, write and verify an llc (.ll) and a clang (.c) regression test in DIR",
    )
    add_fixed_toolchain_arguments(parser)
    add_intake_arguments(parser)
    parser.add_argument(
        "--keep-flags",
        action="store_true",
        help="do not reduce the compile command's flags after the source (by default the "
        "fewest flags that still show the bug are printed and written to FILE.reduced.cmd)",
    )
    parser.add_argument(
        "--preprocess",
        action="store_true",
        help="reduce the file as the compile command's preprocessor sees it (-E -P): "
        "headers and macros inlined, so they can be reduced too",
    )
    parser.add_argument(
        "--skip-pass",
        action="append",
        default=[],
        metavar="NAME",
        help="do not run this pass (repeatable); names: " + ", ".join(PASS_NAMES),
    )
    parser.add_argument(
        "--no-parse-prefilter",
        action="store_true",
        help="send every candidate to the oracle (by default, candidates that libclang "
        "cannot parse are rejected without running it when libclang parses the original "
        "cleanly and the oracle needs an object; a script, crash or diagnostic oracle is "
        "first asked about the original with a syntax error appended, one call)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument(
        "--json", action="store_true", help="print a machine-readable summary on stdout at the end"
    )


@dataclass(frozen=True)
class Summary:
    input: str
    output: str
    oracle: str
    compilers: dict[str, str]  # program -> first line of its --version
    original_bytes: int
    final_bytes: int
    original_normalized_bytes: int
    final_normalized_bytes: int
    original_tokens: int
    final_tokens: int
    oracle_calls: int
    prefiltered_calls: int  # of the oracle calls, those answered by the parse prefilter
    cache_hits: int
    wall_seconds: float
    verdict: str
    per_pass: dict[str, dict[str, int]]  # pass -> {"calls", "prefiltered", "accepted"}
    minimal_command: list[str] | None = None  # the flag reduction's command (no source)
    flag_reduction: dict[str, float] | None = None  # calls, seconds, flags before/after
    # What the oracle blames in the compiler (miscompile: the pass that introduces the
    # difference, reducer.oracles.miscompile_bisect), from OracleKind.culprit.
    guilty_pass: dict[str, object] | None = None
    # Candidates their pass noted (Candidate.note: focus's first cuts and their repairs),
    # with the verdict read for each, in order.
    notes: list[dict[str, object]] | None = None

    def human(self) -> str:
        shrink = 100.0 * (1 - self.final_bytes / self.original_bytes)
        return "\n".join(
            [
                f"reduced {self.input} -> {self.output}",
                f"  size:   {self.original_bytes} -> {self.final_bytes} bytes ({shrink:.1f}% smaller), "
                f"{self.original_normalized_bytes} -> {self.final_normalized_bytes} whitespace-normalised",
                f"  tokens: {self.original_tokens} -> {self.final_tokens}",
                f"  oracle: {self.oracle_calls} calls ({self.prefiltered_calls} answered by "
                f"the parse prefilter), {self.cache_hits} cache hits, "
                f"{self.wall_seconds:.1f}s wall",
                f"  final check: {self.verdict}",
            ]
        )


def _explain_original(verdict: Verdict, compiler: str | None) -> Exception:
    if verdict.timed_out:
        return CompilerError(f"the compiler timed out on the original file: {verdict.reason}")
    if verdict.compile_failed:
        return CompilerError(f"the compiler failed on the original file: {verdict.reason}")
    with_what = f" with {compiler}" if compiler else ""
    return NotInterestingError(f"the original file is not interesting{with_what}: {verdict.reason}")


def _command_words(value: str) -> list[str]:
    """`--good-cc` as argv words, split once here (quotes allowed, never a shell)."""
    try:
        words = shlex.split(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"cannot split {value!r}: {exc}") from exc
    if not words:
        raise argparse.ArgumentTypeError("empty compiler command")
    return words


def _compiler_versions(compile: CompileCommand | None, good_cc: tuple[str, ...]) -> dict[str, str]:
    programs = [compile.program] if compile else []
    if good_cc:
        programs.append(good_cc[0])
    return {program: compiler_version(program) for program in programs}


def _passes(
    args: argparse.Namespace,
    spec: OracleSpec,
    compile: CompileCommand | None,
    text: str,
    first: Verdict,
    reporter: Reporter,
    needs_valid_code: bool,
    mentioned: frozenset[str],
) -> PassPlan:
    """The pass plan, told what the oracle saw in the original: which names to keep
    readable, which functions matter, and which source lines the bad relocations come from."""
    # Names the user gave the oracle are what they will grep for: they always survive.
    # The names the oracle merely reports are kept only on request (smallest by default,
    # as C-Reduce does).
    keep = frozenset(name for name in (spec.symbol, spec.target_section) if name)
    # An emitted test must name what the bug report names, so --emit keeps them too.
    if args.keep_names or args.emit:
        keep |= {r.symbol for r in first.relocations}
        keep |= {r.symbol_section for r in first.relocations}
        keep |= explicit_sections(text)
    focus = frozenset(r.function for r in first.relocations if r.function)
    # The slice's -g side compile and its DWARF and relocation reads cost ~40 s on a 9 MB
    # input (bench/big_input_bench.py: 148 s -> 108 s without them), about two oracle
    # calls there, for a cut inside one function; on such inputs the focus pass makes
    # the big cut instead and the fine passes then shrink the kept functions.
    # Unless the functions the oracle names are big: the focus cut keeps them whole, and
    # only the slice shrinks them at once (cytoolz's Cython-generated itertoolz.c, 2.4 MB:
    # the 45 KB module-init function kept a 277 KB cut that toplevel crawled over for
    # 300 s; sliced, the file reduced in 41 s; zstd.c's 2 KB focus is not worth the 20 s).
    sliced = compile is not None and (
        len(text) <= SLICE_MAX_BYTES or focus_bytes(text, focus) >= SLICE_FOCUS_BYTES
    )
    wanted = first.relocations
    lines = offending_lines(compile, text, args.file.name, wanted) if compile and sliced else {}
    if compile is not None and not sliced:
        reporter.message(
            f"no slice: {len(text)} bytes is over {SLICE_MAX_BYTES} and the oracle's functions "
            f"under {SLICE_FOCUS_BYTES} (-g compile)"
        )
    if lines:
        where = ", ".join(f"{f}: {sorted(n)[:6]}" for f, n in sorted(lines.items()))
        reporter.message(f"offending source lines (from a -g side compile): {where}")
    parse_flags = compile.parse_flags() if compile else ()
    # Where the oracle names no function, its own words may (a script grepping for a
    # symbol; a crash's "on function '@f'"): the narrowing tries what they point at first.
    # A diagnostic's line names its function.
    hints = (
        frozenset()
        if focus
        else mentioned | identifiers(first.reason) | functions_at(text, first.affected().lines)
    )
    context = PassContext(
        text, keep, focus, lines, parse_flags, needs_valid_code, hints,
        _pragma_macros(compile, args.file, text),
    )  # fmt: skip
    return build_plan(context, skip=args.skip_pass)


def _pragma_macros(compile: CompileCommand | None, source: Path, text: str) -> PragmaMacros:
    """The macros that make a pragma, from the compiler's listing for the original; none
    when it cannot list them (not a C compiler driver, or it fails): the focus cut then
    only loses its region markers."""
    if compile is None or compile.style != STYLE_DRIVER or not _BARE_LINE.search(text):
        return PragmaMacros()
    try:
        return pragma_macros(compile.macro_definitions(text, source.name))
    except CompilerError:
        return PragmaMacros()


# A line that is one word, or one word and its arguments: what a marker line looks like.
_BARE_LINE = re.compile(r"^[ \t]*[A-Za-z_$][\w$]*[ \t]*(?:\([^;{}\n]*\))?[ \t]*$", re.M)


def functions_at(text: str, lines: tuple[int, ...]) -> frozenset[str]:
    """The functions whose bodies hold these lines of ``text`` (1-based)."""
    if not lines:
        return frozenset()
    found = set()
    for body in fast_function_bodies(text):
        first = text.count("\n", 0, body.start) + 1
        last = first + text.count("\n", body.start, body.end)
        if any(first <= line <= last for line in lines):
            found.add(body.name)
    return frozenset(found)


def focus_bytes(text: str, focus: frozenset[str]) -> int:
    """The size of the bodies of the focus functions ``text`` defines."""
    return sum(b.end - b.start for b in fast_function_bodies(text) if b.name in focus)


_SECTION_ATTRIBUTE = re.compile(r'(?<![A-Za-z0-9])_*section_*\s*\(\s*"([^"]+)"')


def explicit_sections(text: str) -> frozenset[str]:
    """The names in ``__attribute__((section("...")))`` (or a ``__section(...)`` macro):
    in this tool's bug classes the section is part of the story, so it stays readable."""
    return frozenset(_SECTION_ATTRIBUTE.findall(text))


def _best_so_far(best: str, saved: bool, output: Path) -> str:
    if saved:
        return f"best result so far ({len(best)} bytes) is in {output}"
    return "no reduction was accepted yet; nothing written"


def _final_check(engine: Engine, final: str, saved_in: Path | None) -> Verdict:
    """Re-check the result without the cache; a disagreement is tried once more, then
    reported as a flaky oracle (the last accepted result stays where it was saved)."""
    for _ in range(2):
        verdict = engine.test(final)
        if verdict.interesting:
            return verdict
    where = f"kept in {saved_in}" if saved_in else "nothing was written"
    raise FlakyOracleError(
        f"flaky oracle: the final result is no longer interesting ({verdict.reason}); {where}"
    )


def _needs_valid_code(spec: OracleSpec, engine: Engine, text: str, reporter: Reporter) -> bool:
    """Whether only candidates that compile can be interesting: the oracle's kind says so,
    or (a script, a crash, a diagnostic) the oracle rejects the original with a syntax
    error appended, asked once, here."""
    if spec.kind.needs_valid_code:
        return True
    if prefilter.rejects_invalid_code(text, engine.test):
        reporter.message("the oracle rejects the original with a syntax error appended")
        return True
    reporter.message(
        "the oracle still finds the original with a syntax error appended interesting: "
        "candidates that do not compile are tried too"
    )
    return False


def command_file(output: Path) -> Path:
    """Where the minimal command goes: FILE.reduced.cmd next to the result (never the
    result itself, should that be called .cmd)."""
    path = output.with_suffix(".cmd")
    return path if path != output else output.with_name(output.name + ".cmd")


def _check_emitted_paths(args: argparse.Namespace, kinds: list[TestKind], output: Path) -> None:
    """--emit's tests are named after FILE: refuse now, not after the reduction, when one
    would land on the input or on the result the tests are made from."""
    for suffix in dict.fromkeys(kind.suffix for kind in kinds):
        test = args.emit / f"{args.file.stem}{suffix}"
        check_target(test, [args.file])
        if test.resolve() == output.resolve():
            raise OutputError(f"--emit {args.emit}: the test {test} would overwrite the result")


def _save(output: Path, text: str, input_path: Path, earlier: bool) -> None:
    """The result to ``output``; when that fails (a full disk, a read-only mount), the
    text is kept elsewhere and the one-line error says where."""
    try:
        write_file(output, text, [input_path])
    except OutputError as exc:
        kept = rescue(text, output.name)
        where = (
            f"the best result so far ({len(text.encode())} bytes) is kept in {kept}"
            if kept
            else "the best result so far could not be kept anywhere"
        )
        if earlier:
            where += f" (an earlier one is still in {output})"
        raise OutputError(f"{exc}; {where}") from None


def run(args: argparse.Namespace, compile_argv: list[str]) -> int:
    script = None
    if args.crash_report is not None:
        if args.file is not None:
            raise UsageError("give FILE or --crash-report SCRIPT, not both")
        script = read_crash_script(args.crash_report)
        args.file = script.source
        compile_argv = compile_argv or script.compile_words()
        if args.oracle is None:
            args.oracle = "crash"
            args.oracle_options = [*args.oracle_options, *crash_options(script, args.timeout)]
    elif args.file is None:
        raise UsageError("a FILE to reduce is required (or --crash-report SCRIPT)")
    elif args.oracle is None:
        raise UsageError("--oracle is required (or --crash-report SCRIPT)")
    # Bitcode is read once the command names the LLVM release to disassemble it with.
    text = None if read_bytes(args.file).startswith(BITCODE_MAGICS) else read_source(args.file)
    if script is not None:
        text = script.text()
    spec = _spec_or_auto_placeholder(args)
    # `--`, -p, --kbuild-cmd or found next to the file; cleaned of -o, the source, depfiles.
    intake = resolve_intake(args, compile_argv, args.file, auto_detect=spec.kind.compiles)
    tree = build_tree(args, intake)
    output: Path = args.output or default_output(args.file, tree)
    check_outside_build_tree(output, tree, "-o")
    if args.emit:
        check_outside_build_tree(args.emit, tree, "--emit")
    check_output_path(output, args.file)
    # One writer per output: a second run on the same -o refuses instead of racing
    # this one's writes (the later rename used to win, silently).
    with output_lock(output):
        return _reduce(args, spec, intake, text, output)


def _spec_or_auto_placeholder(args: argparse.Namespace) -> OracleSpec:
    """The oracle; for ``--oracle auto`` a placeholder until the original is measured."""
    if args.oracle != auto_oracle.AUTO:
        return oracle_spec(args)
    if args.oracle_options or args.symbol or args.target_section:
        raise UsageError(
            "--oracle auto picks its own options: give -X, --symbol or --target-section "
            "with the explicit oracle it prints"
        )
    return auto_oracle.placeholder(args.timeout, tuple(getattr(args, "good_cc", None) or ()))


def build_tree(args: argparse.Namespace, intake: Intake | None) -> Path | None:
    """The directory the compile command came from when it came from a build (a database,
    a .o.cmd, -p, or -C with a pasted command): reduce writes nothing there."""
    if intake is None:
        return None
    if intake.origin == COMMAND_LINE and getattr(args, "directory", None) is None:
        return None
    return intake.directory


def _reduce(
    args: argparse.Namespace,
    spec: OracleSpec,
    intake: Intake | None,
    text: str | None,
    output: Path,
) -> int:
    reporter = Reporter(quiet=args.quiet)
    if not args.keep_flags:
        check_target(command_file(output), [args.file])
    unknown = sorted(set(args.skip_pass) - set(PASS_NAMES))
    if unknown:
        raise UsageError(
            f"unknown pass {unknown[0]!r} for --skip-pass; passes: {', '.join(PASS_NAMES)}"
        )
    compile_argv = list(intake.argv) if intake else []
    for line in intake.messages() if intake else []:
        reporter.message(line)
    has_fixed = bool(args.fixed_cc or args.fixed_llvm or spec.good_cc)
    if args.emit:
        if not spec.kind.test_kinds and not has_fixed:
            raise UsageError(
                f"--emit: no test kind fits the {spec.name} oracle (with a fixed compiler, "
                "--fixed-cc, an asm snapshot test would)"
            )
        if not compile_argv:
            raise UsageError("--emit needs the compile command after '--'")
    compile = (
        CompileCommand.from_user(compile_argv, args.timeout, args.file.parent, intake.directory)
        if intake and compile_argv
        else None
    )
    ir_input = compile is not None and is_ir_input(args.file, compile.style)
    # The oracle is checked against the tool and the input read (IR parsed) before
    # anything is written: bad input leaves no emit directory behind.
    if compile is not None and spec.kind.compiles:
        spec.check_tool(compile)
    if compile is not None and ir_input:
        _check_ir_command(args.file, compile)
        text = read_ir(args.file, compile.program, args.timeout)
    if text is None:
        raise InputError(f"{args.file} is LLVM bitcode: give it with llc or opt after '--'")
    # The name candidates are compiled under: bitcode is reduced as textual IR.
    candidate_name = args.file.stem + ".ll" if args.file.suffix == ".bc" else args.file.name
    if args.oracle == auto_oracle.AUTO:
        if compile is None:
            raise UsageError("--oracle auto needs the compile command after '--'")
        choice = auto_oracle.choose(compile, spec.good_cc, text, candidate_name, args.timeout)
        reporter.message(f"oracle auto: {' '.join(choice.words)} ({choice.why})")
        spec = choice.spec
    if args.emit:
        kinds = test_kinds_for(spec, ir_input, has_fixed, compile.style if compile else "")
        prepare_output_directory(args.emit)
        _check_emitted_paths(args, kinds, output)
    if args.preprocess:
        if ir_input:
            raise UsageError("--preprocess is for C: LLVM IR has no preprocessor")
        if compile is None:
            raise UsageError("--preprocess needs the compile command after '--'")
        before = len(text)
        text = compile.preprocess(args.file)
        if not text.strip():
            raise InputError(f"{args.file}: nothing left after preprocessing")
        reporter.message(f"preprocessed: {before} -> {len(text)} bytes")
    pinned = spec.pinned(compile, text, candidate_name)
    if pinned != spec:
        added = [f"-X {k}={v}" for k, v in pinned.options if (k, v) not in spec.options]
        reporter.message(f"oracle pinned to the original: {' '.join(added)}")
        spec = pinned  # the whole run, its --json and --emit use the pinned oracle
    oracle = spec.for_reduction(compile)
    compilers = _compiler_versions(compile, spec.good_cc)
    for program, version in compilers.items():
        reporter.message(f"compiler: {program}: {version}")

    executor = executor_from_args(args, oracle, candidate_name, list(compilers))
    best = text
    saved = False

    def save(candidate: str) -> None:
        nonlocal best, saved
        best = candidate
        _save(output, candidate, args.file, saved)
        saved = True

    engine = Engine(executor, on_improvement=save, on_progress=reporter.progress)
    try:
        with dropping_libclang_crash_reports() as libclang_crashes:
            first = _check_original(engine, oracle, text)
            if not first.interesting:
                raise _explain_original(first, compile.program if compile else None)
            reporter.message(f"original is interesting: {first.reason}")
            if ir_input:
                assert compile is not None
                final = _reduce_ir(args, compile, engine, text, save, reporter)
            else:
                final = _reduce_c(args, spec, compile, engine, oracle, text, first, reporter)
            reporter.finish()
            verdict = _final_check(engine, final, output if saved else None)
            if not saved:
                save(final)
        if libclang_crashes.count:  # its ten-line reports were kept off the terminal
            reporter.message(
                f"libclang crashed (and recovered) parsing {libclang_crashes.count} "
                "candidates; they count as unparsable"
            )
    except (KeyboardInterrupt, Terminated):
        reporter.finish()
        print(f"reduce: stopping: {_best_so_far(best, saved, output)}", file=sys.stderr)
        raise
    except ExecutorError as exc:
        reporter.finish()
        where = _best_so_far(best, saved, output)
        if saved:  # still worth something: say whether it holds, checked here
            where += f" (re-checked here: {check_text(oracle, best, args.file.name).label})"
        raise ExecutorError(f"{exc}; {where}") from None
    finally:
        executor.close()

    stats = engine.stats
    wall_seconds = round(stats.elapsed, 3)  # the source's reduction, without the flags'
    minimal: MinimalCommand | None = None
    if intake and compile and spec.kind.compiles and not args.keep_flags:
        where = (intake.directory, args.file.parent, candidate_name)
        minimal = minimize_command(spec, intake.argv, *where, final, args.timeout)
        write_file(command_file(output), minimal.shell_line(output) + "\n", [args.file])
    culprit = None
    if compile is not None and spec.kind.culprit is not None:
        culprit = spec.kind.culprit(spec, compile, final, candidate_name)
    summary = Summary(
        input=str(args.file),
        output=str(output),
        oracle=spec.text,
        compilers=compilers,
        original_bytes=len(text.encode()),
        final_bytes=len(final.encode()),
        original_normalized_bytes=normalized_size(text),
        final_normalized_bytes=normalized_size(final),
        original_tokens=count_tokens(text),
        final_tokens=count_tokens(final),
        oracle_calls=stats.oracle_calls,
        prefiltered_calls=stats.prefiltered,
        cache_hits=stats.cache_hits,
        wall_seconds=wall_seconds,
        verdict=verdict.reason,
        per_pass={
            name: {
                "calls": stats.per_pass_calls.get(name, 0),
                "prefiltered": stats.per_pass_prefiltered.get(name, 0),
                "accepted": stats.per_pass_accepted.get(name, 0),
            }
            for name in dict.fromkeys([*stats.per_pass_calls, *stats.per_pass_accepted])
        },
        minimal_command=list(minimal.argv) if minimal else None,
        flag_reduction=minimal.stats() if minimal else None,
        guilty_pass=culprit[1] if culprit else None,
        notes=[
            {"pass": name, "bytes": size, "interesting": interesting, "note": note}
            for name, size, interesting, note in stats.notes
        ],
    )
    reporter.message(summary.human())
    if culprit:
        reporter.message(culprit[0])
    if minimal:
        reporter.message(f"{minimal.human()}\nwrote {command_file(output)}")
    if args.json:
        print(json.dumps(summary.__dict__, indent=2))
    if args.emit:
        assert compile is not None  # --emit is refused without a compile command
        # The tests then carry only the flags the bug needs; the opt-crash kind chooses
        # its own (those the crash or the fixed opt's checks need), from the user's.
        if compile.style == STYLE_OPT:
            minimal = None
        if minimal:
            compile = CompileCommand.from_user(list(minimal.argv), args.timeout, args.file.parent)
        seen = minimal.verdict if minimal and minimal.verdict else verdict
        return _emit(args, _reproducer(args, spec, compile, output, final, seen))
    return ExitCode.OK


def _check_original(engine: Engine, oracle: Oracle, text: str) -> Verdict:
    """The original's check, as any candidate's; a differential's two toolchains at once."""
    together = check_sides_together(oracle, text, engine.executor.submit_check)
    return engine.test(text) if together is None else engine.record(text, together)


def _reduce_c(
    args: argparse.Namespace,
    spec: OracleSpec,
    compile: CompileCommand | None,
    engine: Engine,
    oracle: Oracle,
    text: str,
    first: Verdict,
    reporter: Reporter,
) -> str:
    """C: our passes, scheduled by the engine."""
    needs_valid_code = _needs_valid_code(spec, engine, text, reporter)
    mentioned = mentioned_words(oracle)
    if needs_valid_code and not args.no_parse_prefilter:
        parse_flags = compile.parse_flags() if compile else ()
        oracle, note = prefilter.guard(oracle, text, parse_flags)
        reporter.message(note)
        # The executor runs the oracle it was made with; from here every call of the
        # reduction goes through the parse first (the flag reduction's and the
        # emission's calls use the oracle unwrapped, as before).
        engine.executor = WithOracle(engine.executor, oracle)
    plan = _passes(args, spec, compile, text, first, reporter, needs_valid_code, mentioned)
    return engine.reduce(text, plan.main, plan.last)


def _check_ir_command(source: Path, compile: CompileCommand) -> None:
    """An IR tool given C is a usage error here, not a parse error from the tool."""
    if takes_ir(compile.style) and source.suffix in (".c", ".h", ".i", ".cc", ".cpp"):
        raise UsageError(
            f"{Path(compile.program).name} reads LLVM IR, not C: give a .ll or .bc file "
            "(or a clang command for C)"
        )


def _reduce_ir(
    args: argparse.Namespace,
    compile: CompileCommand,
    engine: Engine,
    text: str,
    save: Callable[[str], None],
    reporter: Reporter,
) -> str:
    """LLVM IR: llvm-reduce of the tool's release proposes the candidates, each one asked
    through the engine (its cache, its counts, the executor; --good-cc as for C)."""
    llvm_reduce = require_sibling_tool(compile.program, "llvm-reduce")
    reporter.message(f"IR input: candidates from {llvm_reduce} (-j 1)")
    allowed = undefined_behaviour_counts(text)

    def judge(candidate: str) -> Verdict:
        # No more undef/poison or null accesses than the input had: llvm-reduce invents
        # them, and a bug that shows only through them is not the user's.
        example = more_undefined_behaviour(candidate, allowed)
        if example is not None:
            return Verdict(False, f"more undefined behaviour than the input: {example!r}")
        return engine.test(candidate)

    with tempfile.TemporaryDirectory(prefix="reducer-llvm-reduce-") as tmp:
        run = run_llvm_reduce(
            text,
            judge,
            llvm_reduce,
            Path(tmp),
            timeout=max(3600.0, 100 * args.timeout),
            on_improvement=save,
        )
    stats = engine.stats
    stats.per_pass_calls[LLVM_REDUCE] = run.calls
    stats.per_pass_accepted[LLVM_REDUCE] = run.interesting
    stats.cache_hits += run.cache_hits
    return run.text


def _reproducer(
    args: argparse.Namespace,
    spec: OracleSpec,
    compile: CompileCommand,
    output: Path,
    final: str,
    seen: Verdict,
) -> Reproducer:
    """The emission value, from memory: the reduction's verdict on the final text with
    ``compile`` is the affected side's; it is the fixed side's too when the fixed command
    is the --good-cc command the reduction compared with."""
    fixed = fixed_command(args, compile, spec)  # spec: auto's choice, once made
    compared_with = spec.good_command(compile) if spec.good_cc else None
    return Reproducer(
        output,
        final,
        spec,
        compile,
        fixed,
        affected_verdict=seen.affected(),
        fixed_verdict=seen.fixed() if fixed is not None and fixed == compared_with else None,
    )


def _emit(args: argparse.Namespace, reproducer: Reproducer) -> int:
    options = EmitOptions(args.fixed_llvm, args.file.stem, bug_urls=tuple(args.bug_url))
    report = emit(reproducer, args.emit, options)
    return print_report(report)

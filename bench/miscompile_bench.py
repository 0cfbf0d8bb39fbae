"""The miscompile cases side by side with C-Vise and C-Reduce (issue 24, "Speed").

    .venv/bin/python bench/miscompile_bench.py [--cases NAME ...] [--tools reduce,cvise,creduce]
        [--cap SECS] [--test-timeout SECS] [--record FILE] [--keep]

For each case (default: the shipped miscompile cases with C input, instcombine-fshl-range,
x86-fp80-pow2-fmul, x86-fp80-pow2-asm), one tool at a time, each on a private copy:

1. reduce, exactly as a user runs it on the case (case.toml's oracle, oracle_args,
   reduce_args, ``--good-cc <fixed_with>``, the compile command after ``--``), with
   ``--json`` for its counts and without ``-q``, so its plain progress lines (one per pass)
   give the time per pass. Its wall time includes everything the user waits for: the
   reduction, the flag reduction and (miscompile) the guilty-pass bisection;
2. ``cvise --n 2 --timeout T test.sh input.c`` and 3. ``creduce`` with the same flags, in
   place on a copy, with TMPDIR pointed into the work directory (so nothing they make lands
   in /tmp; /tmp is listed before and after anyway and any new cvise/creduce entry named).

test.sh is a generated shell interestingness test with the oracle's meaning:

- ``miscompile`` (with --good-cc): the same steps, in the same order, as
  reducer.oracles.miscompile (whose constants it is generated from: the warnings-as-errors
  list, the sanitizer flags and options, the run environment and timeouts) inside the
  differential rule of reducer.oracles.differential: the affected compiler's side must be
  interesting and the fixed compiler's side must build, must not time out and must not be
  interesting. One side: build the program with the command (-c dropped) and the reference
  (the same at -O0, with the UB warnings made errors: the warnings screen); run both (stdin
  closed, PATH and LC_ALL=C only, 5 s); not interesting if exit status and stdout agree; the
  reference run again must agree with itself; then the screens: one UBSan+ASan build at -O0
  (with the libc screen's source: a NULL %s refused) and one MSan build at -O0 (linked with
  lld where the oracle uses it), each must run without a sanitizer report and print what
  the reference prints.
- ``asm:REGEX``: compile with -S; the affected compiler's assembly must match (grep -E,
  REGEX with Python's \\s \\S \\d \\w spelled as POSIX classes) and the fixed compiler's
  must build and not match.

Each run of test.sh appends a line to a counter file: the tools' test counts. Every final
file, whoever made it, is re-checked with the same script. A tool run is capped at --cap
seconds of wall time (its process group killed; its partial result reported): a capped
delta tool makes reduce's ratio an upper bound ("< x").

The process helpers (running a tool in its own process group with a cap, sizes, the
machine description, reduce's --json summary) are bench/run_bench.py's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_bench as rb

from reducer.commands import cases
from reducer.commands.cases import Case
from reducer.oracles.miscompile import (
    DEFAULT_RUN_TIMEOUT,
    RUN_ENV,
    SANITIZER_ENV,
    WARNING_FLAGS,
    at_o0,
    libc_screen_source,
    link_words,
    sanitizer_link_flags,
)

CASES = rb.CASES
DEFAULT_CASES = ("instcombine-fshl-range", "x86-fp80-pow2-fmul", "x86-fp80-pow2-asm")
TOOLS = ("reduce", "cvise", "creduce")
SOURCE = rb.SOURCE_NAME
COMPILE_TIMEOUT = 30  # reduce's default --timeout, per compile
DEFAULT_CAP = 600.0  # seconds of wall time per tool run
DEFAULT_TEST_TIMEOUT = 120  # cvise/creduce --timeout per test.sh run
TARGET_RATIO = 0.1  # issue 24: at most 0.1x the faster of cvise/creduce
NO_CRASH = "-fno-crash-diagnostics"
# What reducer.oracles.miscompile's sanitizer_report looks for in a run's stderr.
SANITIZER_BANNER = (
    "runtime error: |ERROR: AddressSanitizer: [^ ]|WARNING: MemorySanitizer: [^ ]"
    "|ERROR: [[:alnum:]_]+Sanitizer: "
)
TMP_PREFIXES = ("cvise", "creduce", "tmp")


@dataclass
class Row:
    case: str
    tool: str
    status: str = "ok"  # ok, capped, exit N, skipped
    wall_seconds: float | None = None
    calls: int | None = None
    final_bytes: int | None = None  # whitespace-normalised
    raw_bytes: int | None = None
    interesting: bool | None = None
    notes: list[str] = field(default_factory=list)


def load_case(name: str) -> Case:
    """The shipped case (read by the project's own case loader), if the bench can mirror
    its oracle in a shell test."""
    if not (CASES / name / "case.toml").is_file():
        raise SystemExit(f"no case {name!r} ({CASES / name / 'case.toml'} missing)")
    case = cases.load_case(CASES / name)
    if case.oracle != "miscompile" and not case.oracle.startswith("asm:"):
        raise SystemExit(
            f"{name}: the bench mirrors miscompile and asm: oracles, not {case.oracle}"
        )
    if case.oracle_args:
        raise SystemExit(f"{name}: oracle_args {case.oracle_args} have no shell mirror here")
    if not case.fixed_with:
        raise SystemExit(f"{name}: no fixed_with: the bench mirrors the --good-cc differential")
    return case


# -- the interestingness script ----------------------------------------------------------


def posix_regex(pattern: str) -> str:
    """A Python regex as grep -E reads it: \\s \\S \\d \\w as POSIX classes (outside
    brackets); constructs grep has no meaning for are refused."""
    if "(?" in pattern:
        raise SystemExit(f"regex {pattern!r}: no grep -E equivalent for (?...)")
    classes = {"s": "[[:space:]]", "S": "[^[:space:]]", "d": "[0-9]", "w": "[[:alnum:]_]"}
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append(classes.get(nxt, char + nxt))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _side_function(
    name: str, compiler: str, flags: tuple[str, ...], libc_screen: Path
) -> list[str]:
    """One side of the differential as a shell function: 0 interesting, 1 not interesting,
    2 a build failed or the reference timed out (the fixed side then makes the whole
    candidate uninteresting, as reducer.oracles.differential.judge does)."""
    bad = link_words((compiler, *flags))
    reference = at_o0(bad)  # the default reference, and the screens' base
    q = shlex.join
    werror = q(WARNING_FLAGS)
    linker = list(sanitizer_link_flags(compiler))  # the oracle's own choice of linker
    sanitize = ["-fsanitize=undefined,address", "-fno-sanitize-recover=all", *linker]
    sanitize.append(str(libc_screen))  # the libc screen rides on the UBSan+ASan build
    screened = [w for w in reference if w != "-w"]  # the warnings screen rides on it
    return [
        f"{name}() {{",
        "  # the reference build is the warnings screen too (warning flags change no code):",
        "  # a -Werror failure refuses the candidate (1), any other is a build failure (2)",
        f"  build {name}.ref {q(screened)} {werror} ||"
        f" {{ rc=$?; not_timeout $rc && warnings_only {name}.ref.log && return 1; return 2; }}",
        f"  build {name}.bad {q(bad)} || return 2",
        f"  run {name}.bad",
        f"  run {name}.ref",
        f"  timed_out {name}.ref && return 2",
        f"  same {name}.bad {name}.ref && return 1",
        f"  run {name}.ref {name}.ref2",
        f"  same {name}.ref {name}.ref2 || return 1",
        "  # UB screens: UBSan+ASan with the libc screen, then MSan",
        f"  build {name}.san {q([*reference, *sanitize])} || return 1",
        f"  run {name}.san {name}.san sanitizer",
        f"  clean {name}.san {name}.ref || return 1",
        f"  build {name}.msan {q([*reference, '-fsanitize=memory', *linker])} || return 1",
        f"  run {name}.msan {name}.msan sanitizer",
        f"  clean {name}.msan {name}.ref || return 1",
        "  return 0",
        "}",
    ]


def miscompile_script(case: Case, libc_screen: Path) -> list[str]:
    run_env = " ".join(f"{k}={shlex.quote(v)}" for k, v in RUN_ENV.items())
    san_env = " ".join(f"{k}={shlex.quote(v)}" for k, v in SANITIZER_ENV.items())
    return [
        f"CT={COMPILE_TIMEOUT}",
        f"RT={DEFAULT_RUN_TIMEOUT:g}",
        "# build EXE CC FLAGS...: link the candidate (a clang driver); its messages in EXE.log",
        "build() {",
        '  exe=$1; shift; rm -f "$exe"',
        f'  timeout -k 1 $CT "$@" {NO_CRASH} -o "$exe" {SOURCE} >"$exe.log" 2>&1 && [ -f "$exe" ]',
        "}",
        "# warnings_only LOG: the build failed only on warnings the screen made errors",
        "warnings_only() { grep -q 'error:' \"$1\" && ! grep 'error:' \"$1\" | grep -vq '[[]-Werror'; }",
        'not_timeout() { [ "$1" != 124 ] && [ "$1" != 137 ]; }',
        "# run EXE [TAG [sanitizer]]: TAG.out, TAG.err, TAG.rc",
        "run() {",
        '  tag=${2:-$1}; extra=""',
        f'  [ "${{3:-}}" = sanitizer ] && extra="{san_env}"',
        f'  env -i {run_env} $extra timeout -k 1 $RT "./$1" </dev/null >"$tag.out" 2>"$tag.err"',
        '  echo $? >"$tag.rc"',
        "}",
        'timed_out() { read -r rc <"$1.rc"; [ "$rc" = 124 ] || [ "$rc" = 137 ]; }',
        'same() { cmp -s "$1.rc" "$2.rc" && cmp -s "$1.out" "$2.out"; }',
        f'clean() {{ ! grep -Eq {shlex.quote(SANITIZER_BANNER)} "$1.err" && same "$1" "$2"; }}',
        *_side_function("affected", case.reduce_with, case.flags, libc_screen),
        *_side_function("fixed", case.fixed_with, case.flags, libc_screen),
        "affected || exit 1",
        "fixed",
        '[ "$?" = 1 ] || exit 1',
        "exit 0",
    ]


def asm_script(case: Case) -> list[str]:
    pattern = shlex.quote(posix_regex(case.oracle.removeprefix("asm:")))

    def assemble(compiler: str, out: str) -> str:
        argv = [compiler, *(w for w in case.flags if w not in ("-c", "-S", "-E")), "-S"]
        return (
            f"timeout -k 1 {COMPILE_TIMEOUT} {shlex.join(argv)} {NO_CRASH} -o {out} {SOURCE}"
            " >/dev/null 2>&1 || exit 1"
        )

    return [
        "rm -f affected.s fixed.s",
        assemble(case.reduce_with, "affected.s"),
        f"grep -Eq {pattern} affected.s || exit 1",
        assemble(case.fixed_with, "fixed.s"),
        f"grep -Eq {pattern} fixed.s && exit 1",
        "exit 0",
    ]


def write_script(case: Case, path: Path, counter: Path) -> None:
    """test.sh at ``path`` (and, for a miscompile case, the libc screen's source beside it)."""
    if case.oracle == "miscompile":
        body = miscompile_script(case, libc_screen_source(path.parent))
    else:
        body = asm_script(case)
    mirrored = shlex.join(
        ["reduce", "--oracle", case.oracle, "--good-cc", case.fixed_with, "--", *case.compile_argv]
    )
    lines = [
        "#!/bin/sh",
        f"# Interestingness test for case {case.name}, generated by bench/miscompile_bench.py.",
        f"# Mirrors: {mirrored}",
        f"printf '.\\n' >> {shlex.quote(str(counter))}",
        "# clang keeps the object of a compile-and-link in $TMPDIR: keep it here.",
        'TMPDIR="$PWD"; export TMPDIR',
        *body,
        "",
    ]
    path.write_text("\n".join(lines))
    path.chmod(0o755)


def script_says(case: Case, source: Path, workdir: Path, timeout: float) -> bool:
    """test.sh on a copy of ``source`` in a fresh directory."""
    check_dir = Path(tempfile.mkdtemp(prefix="recheck-", dir=workdir))
    shutil.copyfile(source, check_dir / SOURCE)
    script = check_dir / "test.sh"
    write_script(case, script, check_dir / "calls.txt")
    try:
        result = subprocess.run(
            [str(script)], cwd=check_dir, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


# -- the tool runs -----------------------------------------------------------------------


def measure(row: Row, case: Case, output: Path, workdir: Path, timeout: float) -> None:
    text = output.read_text(encoding="utf-8", errors="replace")
    row.final_bytes = rb.normalized_size(text)
    row.raw_bytes = len(text.encode())
    row.interesting = script_says(case, output, workdir, timeout)


def apply_run(row: Row, run: rb.Run, cap: float) -> None:
    row.wall_seconds = run.wall_seconds
    if run.returncode is None:
        row.status = "capped"
        row.notes.append(f"capped at {cap:g}s; partial result measured")
    elif run.returncode != 0:
        row.status = f"exit {run.returncode}"
        row.notes.append(f"exit {run.returncode}: {rb.tail(run.stderr)}")


_PROGRESS = re.compile(r"^\[\s*([\d.]+)s\] pass (\S+)", re.MULTILINE)


def pass_seconds(stderr: str, end: float | None) -> dict[str, float]:
    """Seconds per pass from reduce's plain progress lines (one when the pass changes, at
    most one per 5 s): each line's pass is charged until the next line (the last one until
    ``end``, the reduction's wall time)."""
    marks = [(float(t), name) for t, name in _PROGRESS.findall(stderr)]
    spent: dict[str, float] = {}
    for (start, name), (stop, _) in zip(marks, [*marks[1:], (end or 0.0, "")], strict=True):
        spent[name] = spent.get(name, 0.0) + max(stop - start, 0.0)
    return spent


def reduce_argv(case: Case, output: Path) -> list[str]:
    return [
        str(rb.REDUCE),
        "--oracle",
        case.oracle,
        *case.oracle_args,
        *case.reduce_args,
        "--good-cc",
        case.fixed_with,
        "--json",
        "-o",
        str(output),
        SOURCE,
        "--",
        *case.compile_argv,
    ]


def run_reduce(case: Case, workdir: Path, cap: float, test_timeout: float) -> Row:
    row = Row(case.name, "reduce")
    workdir.mkdir(parents=True)
    shutil.copyfile(case.input, workdir / SOURCE)
    output = workdir / "out.c"
    argv = reduce_argv(case, output)
    row.notes.append(
        "command: " + shlex.join(["reduce", *argv[1:]]).replace(str(workdir) + "/", "")
    )
    run = rb.run_limited(argv, workdir, cap)
    apply_run(row, run, cap)
    summary = rb.parse_json_summary(run.stdout)
    if summary is not None:
        calls = summary.get("oracle_calls")
        row.calls = calls if isinstance(calls, int) else None
        reduction = summary.get("wall_seconds")
        flags = summary.get("flag_reduction") or {}
        assert isinstance(flags, dict)
        flag_s = float(flags.get("seconds", 0.0))
        flag_calls = flags.get("calls", 0)
        if isinstance(reduction, int | float):
            rest = (row.wall_seconds or 0.0) - reduction - flag_s
            row.notes.append(
                f"time: reduction {reduction:.1f}s ({row.calls} oracle calls,"
                f" {summary.get('prefiltered_calls')} answered by the parse prefilter,"
                f" {summary.get('cache_hits')} cache hits); flag reduction {flag_s:.1f}s"
                f" ({flag_calls} calls); the rest (start, final check, guilty pass) {rest:.1f}s"
            )
            spent = pass_seconds(run.stderr, float(reduction))
            per_pass = summary.get("per_pass") or {}
            assert isinstance(per_pass, dict)
            top = sorted(spent.items(), key=lambda kv: -kv[1])[:5]
            row.notes.append(
                "passes by time: "
                + ", ".join(
                    f"{name} {seconds:.1f}s"
                    f" ({per_pass.get(name, {}).get('calls', '?')} calls,"
                    f" {per_pass.get(name, {}).get('accepted', '?')} accepted)"
                    for name, seconds in top
                )
            )
        guilty = summary.get("guilty_pass")
        if isinstance(guilty, dict) and guilty.get("name"):
            row.notes.append(
                f"guilty pass: {guilty.get('name')} #{guilty.get('number')}"
                f" ({guilty.get('builds')} builds)"
            )
    elif run.returncode is not None:
        row.notes.append("no JSON summary on stdout")
    if row.calls is None:
        counts = re.findall(r"calls (\d+)", run.stderr)
        if counts:
            row.calls = int(counts[-1])
            row.notes.append("oracle calls from the last progress line (no summary)")
    if output.exists():
        measure(row, case, output, workdir, test_timeout * 2)
    else:
        row.notes.append("no output file")
    return row


def run_delta(tool: str, case: Case, workdir: Path, cap: float, test_timeout: float) -> Row:
    row = Row(case.name, tool)
    program = shutil.which(tool)
    if program is None:
        row.status = "skipped"
        row.notes.append(f"{tool} is not on PATH")
        return row
    workdir.mkdir(parents=True)
    source = workdir / SOURCE
    shutil.copyfile(case.input, source)
    counter = workdir / "calls.txt"
    script = workdir / "test.sh"
    write_script(case, script, counter)
    tmp = workdir / "tmp"
    tmp.mkdir()
    argv = [program, "--n", "2", "--timeout", str(test_timeout), str(script), SOURCE]
    run = rb.run_limited(argv, workdir, cap, {**os.environ, "TMPDIR": str(tmp)})
    apply_run(row, run, cap)
    row.calls = rb.count_lines(counter)
    if source.exists():
        measure(row, case, source, workdir, test_timeout * 2)
    else:
        row.notes.append("input.c missing after the run")
    left = sorted(p.name for p in tmp.iterdir())
    if left:
        row.notes.append(f"left in its TMPDIR (removed with the work directory): {left[:5]}")
    return row


# -- the report --------------------------------------------------------------------------


def ratio(rows: list[Row], case: str) -> str:
    """reduce's wall over the faster delta tool's; an upper bound when both were capped."""
    by_tool = {r.tool: r for r in rows if r.case == case}
    ours = by_tool.get("reduce")
    theirs = [
        by_tool[t]
        for t in ("cvise", "creduce")
        if t in by_tool and by_tool[t].wall_seconds and by_tool[t].status in ("ok", "capped")
    ]
    if ours is None or ours.wall_seconds is None or ours.status != "ok" or not theirs:
        return "-"
    fastest = min(theirs, key=lambda r: r.wall_seconds or 0.0)
    value = ours.wall_seconds / (fastest.wall_seconds or 1.0)
    bound = fastest.status == "capped"
    verdict = "met" if value <= TARGET_RATIO else ("open" if bound else "MISSED")
    return f"{'< ' if bound else ''}{value:.3f} vs {fastest.tool} ({verdict})"


def size_check(rows: list[Row], case: str) -> str:
    by_tool = {r.tool: r for r in rows if r.case == case}
    ours = by_tool.get("reduce")
    theirs = [
        by_tool[t].final_bytes
        for t in ("cvise", "creduce")
        if t in by_tool and by_tool[t].final_bytes is not None and by_tool[t].interesting
    ]
    if ours is None or ours.final_bytes is None or not theirs:
        return "-"
    return "yes" if ours.final_bytes <= min(theirs) else f"NO ({ours.final_bytes} > {min(theirs)})"


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| case | tool | status | wall s | calls / tests | final bytes (norm.) | raw bytes"
        " | still interesting | reduce / min(cvise, creduce) (target <= 0.1) | no larger |",
        "|---|---|---|---:|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        wall = rb.fmt(r.wall_seconds, ".1f")
        if r.status == "capped":
            wall = f"> {wall}"
        last = r.tool == "reduce"
        lines.append(
            f"| {r.case} | {r.tool} | {r.status} | {wall} | {rb.fmt(r.calls)}"
            f" | {rb.fmt(r.final_bytes)} | {rb.fmt(r.raw_bytes)} | {rb.fmt(r.interesting)}"
            f" | {ratio(rows, r.case) if last else ''} | {size_check(rows, r.case) if last else ''} |"
        )
    return lines


def tmp_entries() -> set[str]:
    try:
        return {p.name for p in Path(tempfile.gettempdir()).iterdir()}
    except OSError:
        return set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="+", default=list(DEFAULT_CASES))
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--cap", type=float, default=DEFAULT_CAP, help="seconds per tool run")
    parser.add_argument("--test-timeout", type=float, default=DEFAULT_TEST_TIMEOUT)
    parser.add_argument("--record", type=Path, help="append JSON lines of the rows here")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--print-script", metavar="CASE", help="print CASE's test.sh, run nothing")
    args = parser.parse_args(argv)
    if args.print_script:
        case = load_case(args.print_script)
        with tempfile.TemporaryDirectory(prefix="miscompile-bench-") as tmp:
            path = Path(tmp) / "test.sh"
            write_script(case, path, Path("calls.txt"))
            print(path.read_text(), end="")
        return 0
    tools = [t for t in args.tools.split(",") if t]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        raise SystemExit(f"unknown tool(s) {unknown}; tools: {', '.join(TOOLS)}")
    cases = [load_case(name) for name in args.cases]

    before = tmp_entries()
    machine = rb.machine_report()
    root = Path(tempfile.mkdtemp(prefix="miscompile-bench-"))
    rb.log(f"work directory {root}")
    rows: list[Row] = []
    try:
        for case in cases:
            for tool in tools:
                rb.log(f"{case.name}: {tool}")
                workdir = root / case.name / tool
                if tool == "reduce":
                    row = run_reduce(case, workdir, args.cap, args.test_timeout)
                else:
                    row = run_delta(tool, case, workdir, args.cap, args.test_timeout)
                rows.append(row)
                rb.log(
                    f"{case.name}: {tool}: {row.status}, {rb.fmt(row.wall_seconds, '.1f')} s,"
                    f" {rb.fmt(row.calls)} calls, {rb.fmt(row.final_bytes)} B,"
                    f" interesting {rb.fmt(row.interesting)}"
                )
                if args.record:
                    with args.record.open("a") as f:
                        f.write(json.dumps(asdict(row)) + "\n")
    finally:
        if args.keep:
            rb.log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    new = sorted(tmp_entries() - before)
    ours = [n for n in new if n.startswith(TMP_PREFIXES)]
    print("\n".join(machine))
    print()
    print("\n".join(table(rows)))
    print()
    print("Notes:")
    for r in rows:
        for note in r.notes:
            print(f"- {r.case} / {r.tool}: {note}")
    print(
        f"- /tmp: {len(new)} new entries during the run"
        + (f" ({', '.join(new[:8])}{' ...' if len(new) > 8 else ''})" if new else "")
        + (f"; from cvise/creduce-like names: {ours}" if ours else "; none from cvise/creduce")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

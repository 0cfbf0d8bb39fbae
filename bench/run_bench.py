"""Benchmark `reduce` against C-Vise and C-Reduce on the cases under cases/.

    .venv/bin/python bench/run_bench.py [--cases NAME ...] [--tools reduce,cvise,creduce]
                                        [--timeout SECS]

For every case (cases/<name>/case.toml + input.c) each tool runs in turn, never in
parallel with another, on a private copy of input.c:

* reduce:  .venv/bin/reduce --oracle O ARGS --json -o out.c input.c -- CC FLAGS
* cvise:   cvise --n 2 --timeout 60 test.sh input.c
* creduce: creduce --n 2 --timeout 60 test.sh input.c

C-Vise and C-Reduce get a generated shell interestingness test with the oracle's meaning:
compile with the same compiler and flags, then `llvm-readelf -r` must show a relocation of
the wanted type in a relocation section named .rela.text* or .rela.ltext*, against the
--symbol given (by name) and/or a symbol defined in the --target-section given (looked up
in `llvm-readelf -S -s`). Each run of the test appends a line to a counter file, which is
how its oracle calls are counted. Every final file, whoever produced it, is re-checked
with that same script, and sizes are whitespace-normalised bytes.

Prints the machine description and a markdown table on stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "cases"
REDUCE = REPO / ".venv" / "bin" / "reduce"
ALL_TOOLS = ("reduce", "cvise", "creduce")
ORACLE_TYPES = {
    "r_x86_64_32": ("R_X86_64_32",),
    "r_x86_64_32s": ("R_X86_64_32S",),
    "abs32": ("R_X86_64_32", "R_X86_64_32S"),
}
CHECK_TIMEOUT = 60  # seconds per interestingness test (compile + readelf)
QUICK_TIMEOUT = 30  # seconds for --version and similar
SOURCE_NAME = "input.c"

# Reads two files: first `llvm-readelf -S -s` (section names, then which section each
# symbol is defined in), then `llvm-readelf -r`. Exit 0 iff a wanted relocation is found.
AWK_PROGRAM = r"""
FNR == NR {
    if ($0 ~ /^ *\[ *[0-9]+\] /) {
        line = $0
        sub(/^ *\[ */, "", line)
        n = line + 0
        sub(/^[0-9]+\] */, "", line)
        split(line, f, " ")
        secname[n] = f[1]
    } else if ($0 ~ /^ *[0-9]+: [0-9a-f]+ /) {
        symsec[$8] = ($7 ~ /^[0-9]+$/) ? secname[$7] : $7
    }
    next
}
/^Relocation section / {
    s = substr($3, 2, length($3) - 2)
    incode = (s ~ /^\.rela\.(text|ltext)/)
    next
}
incode && index(types, " " $3 " ") > 0 && (sym == "" || $5 == sym) \
    && (tsec == "" || symsec[$5] == tsec) {
    found = 1
    exit
}
END { exit found ? 0 : 1 }
"""


@dataclass(frozen=True)
class Case:
    name: str
    directory: Path
    oracle: str
    oracle_args: tuple[str, ...]
    flags: tuple[str, ...]
    reduce_with: str
    max_reduced_bytes: int

    @property
    def source(self) -> Path:
        return self.directory / SOURCE_NAME

    def filters(self) -> dict[str, str]:
        """{"symbol": ..., "target_section": ...} from oracle_args."""
        names = {"--symbol": "symbol", "--target-section": "target_section"}
        out: dict[str, str] = {}
        rest = list(self.oracle_args)
        while rest:
            option, eq, value = rest.pop(0).partition("=")
            if option not in names:
                raise SystemExit(f"{self.name}: unsupported oracle argument {option!r}")
            if not eq:
                if not rest:
                    raise SystemExit(f"{self.name}: {option} needs a value")
                value = rest.pop(0)
            out[names[option]] = value
        return out


@dataclass
class Result:
    case: str
    tool: str
    wall_seconds: float | None = None
    oracle_calls: int | None = None
    final_bytes: int | None = None
    interesting: bool | None = None
    notes: list[str] = field(default_factory=list)


def normalized_size(text: str) -> int:
    return len(re.sub(r"\s+", " ", text).strip().encode("utf-8"))


def load_cases(selected: list[str] | None) -> list[Case]:
    cases = []
    for toml_path in sorted(CASES.glob("*/case.toml")):
        with toml_path.open("rb") as f:
            data = tomllib.load(f)
        cases.append(
            Case(
                name=toml_path.parent.name,
                directory=toml_path.parent,
                oracle=data["oracle"],
                oracle_args=tuple(data["oracle_args"]),
                flags=tuple(data["flags"]),
                reduce_with=data["reduce_with"],
                max_reduced_bytes=data["max_reduced_bytes"],
            )
        )
    if selected:
        known = {c.name for c in cases}
        unknown = sorted(set(selected) - known)
        if unknown:
            raise SystemExit(f"unknown case(s): {', '.join(unknown)}; known: {sorted(known)}")
        cases = [c for c in cases if c.name in selected]
    return cases


def readelf_for(compiler: str) -> str:
    """llvm-readelf of the compiler's LLVM version, else llvm-readelf-19, else any."""
    match = re.search(r"-(\d+)$", compiler)
    candidates = [f"llvm-readelf-{match.group(1)}"] if match else []
    candidates += ["llvm-readelf-19", "llvm-readelf"]
    for name in candidates:
        path = shutil.which(name)
        if path:
            return path
    raise SystemExit("no llvm-readelf found: install the Debian package llvm-19")


def write_script(case: Case, path: Path, counter: Path) -> None:
    compiler = shutil.which(case.reduce_with)
    if compiler is None:
        raise SystemExit(f"{case.reduce_with} not found: install the Debian package of that name")
    readelf = readelf_for(case.reduce_with)
    filters = case.filters()
    types = " " + " ".join(ORACLE_TYPES[case.oracle]) + " "
    compile_argv = [compiler, *case.flags, "-o", "input.o", SOURCE_NAME]
    q = shlex.quote
    lines = [
        "#!/bin/sh",
        f"# Interestingness test for case {case.name}, generated by bench/run_bench.py.",
        f"# Mirrors: reduce --oracle {case.oracle} {shlex.join(case.oracle_args)}",
        f"printf '.\\n' >> {q(str(counter))}",
        "rm -f input.o syms.txt relocs.txt",
        f"timeout {CHECK_TIMEOUT} {shlex.join(compile_argv)} >/dev/null 2>&1 || exit 1",
        f"{q(readelf)} -S -s input.o > syms.txt 2>/dev/null || exit 1",
        f"{q(readelf)} -r input.o > relocs.txt 2>/dev/null || exit 1",
        f"exec awk -v types={q(types)} -v sym={q(filters.get('symbol', ''))}"
        f" -v tsec={q(filters.get('target_section', ''))} {q(AWK_PROGRAM)} syms.txt relocs.txt",
        "",
    ]
    path.write_text("\n".join(lines))
    path.chmod(0o755)


def count_lines(path: Path) -> int:
    try:
        return len(path.read_text().splitlines())
    except FileNotFoundError:
        return 0


def run_limited(argv: list[str], cwd: Path, timeout: float) -> tuple[int | None, str, str]:
    """Run argv in its own process group; on timeout kill that group. (rc or None, out, err)"""
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
    except subprocess.TimeoutExpired:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                out, err = proc.communicate(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            out, err = "", ""
        return None, out or "", err or ""


def still_interesting(case: Case, final: Path, workdir: Path) -> bool:
    """Run the generated interestingness test on a copy of `final` in a fresh directory."""
    check_dir = workdir / "recheck"
    check_dir.mkdir()
    shutil.copyfile(final, check_dir / SOURCE_NAME)
    script = check_dir / "test.sh"
    write_script(case, script, check_dir / "calls.txt")
    try:
        result = subprocess.run(
            [str(script)],
            cwd=check_dir,
            capture_output=True,
            timeout=CHECK_TIMEOUT + 30,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


def parse_json_summary(stdout: str) -> dict[str, object] | None:
    """reduce --json prints one JSON object at the end of stdout (possibly indented)."""
    text = stdout.strip()
    try:
        value = json.loads(text)
        return value if isinstance(value, dict) else None
    except json.JSONDecodeError:
        pass
    decoder = json.JSONDecoder()
    for match in reversed(list(re.finditer(r"^\{", text, re.MULTILINE))):
        try:
            value, end = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict) and not text[end:].strip():
            return value
    return None


def tail(text: str, lines: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-lines:])


def run_reduce(case: Case, workdir: Path, timeout: float) -> Result:
    result = Result(case.name, "reduce")
    if not REDUCE.exists():
        result.notes.append(f"skipped: {REDUCE} does not exist (pip install -e . in the venv)")
        return result
    source = workdir / SOURCE_NAME
    output = workdir / "out.c"
    argv = [
        str(REDUCE),
        "--oracle",
        case.oracle,
        *case.oracle_args,
        "--json",
        "-o",
        str(output),
        str(source),
        "--",
        case.reduce_with,
        *case.flags,
    ]
    start = time.monotonic()
    rc, out, err = run_limited(argv, workdir, timeout)
    result.wall_seconds = time.monotonic() - start
    if rc is None:
        result.notes.append(f"timed out after {timeout:g}s")
    elif rc != 0:
        result.notes.append(f"exit {rc}: {tail(err)}")
    summary = parse_json_summary(out)
    if summary is None:
        result.notes.append("no JSON summary on stdout")
    else:
        calls = summary.get("oracle_calls")
        result.oracle_calls = calls if isinstance(calls, int) else None
        reported = summary.get("final_normalized_bytes")
        if output.exists() and isinstance(reported, int):
            measured = normalized_size(output.read_text(encoding="utf-8", errors="replace"))
            if measured != reported:
                result.notes.append(f"JSON says {reported} normalised bytes, file has {measured}")
    if output.exists():
        result.final_bytes = normalized_size(output.read_text(encoding="utf-8", errors="replace"))
        result.interesting = still_interesting(case, output, workdir)
    else:
        result.notes.append("no output file")
    return result


def run_delta_tool(tool: str, case: Case, workdir: Path, timeout: float) -> Result:
    """cvise or creduce: both reduce the file in place with the same flags."""
    result = Result(case.name, tool)
    program = shutil.which(tool)
    if program is None:
        print(f"note: {tool} is not on PATH; skipping it (Debian package {tool})", file=sys.stderr)
        result.notes.append("skipped: not on PATH")
        return result
    source = workdir / SOURCE_NAME
    counter = workdir / "calls.txt"
    script = workdir / "test.sh"
    write_script(case, script, counter)
    argv = [program, "--n", "2", "--timeout", str(CHECK_TIMEOUT), str(script), SOURCE_NAME]
    start = time.monotonic()
    rc, _out, err = run_limited(argv, workdir, timeout)
    result.wall_seconds = time.monotonic() - start
    result.oracle_calls = count_lines(counter)
    if rc is None:
        result.notes.append(f"timed out after {timeout:g}s")
    elif rc != 0:
        result.notes.append(f"exit {rc}: {tail(err)}")
    result.final_bytes = normalized_size(source.read_text(encoding="utf-8", errors="replace"))
    result.interesting = still_interesting(case, source, workdir)
    return result


def first_line(argv: list[str]) -> str:
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=QUICK_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({exc})"
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine_report() -> list[str]:
    git = shutil.which("git")
    revision = (
        first_line([git, "-C", str(REPO), "rev-parse", "--short", "HEAD"]) if git else "unknown"
    )
    return [
        f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- nproc: {first_line(['nproc'])}",
        f"- CPU: {cpu_model()}",
        f"- clang-19: {first_line(['clang-19', '--version'])}",
        f"- cvise: {first_line(['cvise', '--version']) if shutil.which('cvise') else 'not installed'}",
        f"- creduce: {first_line(['creduce', '--version']) if shutil.which('creduce') else 'not installed'}",
        f"- reducer: git {revision}",
    ]


def fmt(value: object, spec: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return format(value, spec)


def table(results: list[Result]) -> list[str]:
    rows = [
        "| case | tool | wall s | oracle calls | final bytes (normalised) | still interesting |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        rows.append(
            f"| {r.case} | {r.tool} | {fmt(r.wall_seconds, '.1f')} | {fmt(r.oracle_calls)}"
            f" | {fmt(r.final_bytes)} | {fmt(r.interesting)} |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", nargs="+", metavar="NAME", help="only these cases")
    parser.add_argument(
        "--tools",
        default=",".join(ALL_TOOLS),
        help="comma-separated subset of reduce,cvise,creduce",
    )
    parser.add_argument(
        "--timeout", type=float, default=3600.0, help="wall-clock limit per tool run (seconds)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directories")
    args = parser.parse_args(argv)

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    bad = sorted(set(tools) - set(ALL_TOOLS))
    if bad:
        parser.error(f"unknown tool(s) {bad}; choose from {', '.join(ALL_TOOLS)}")
    cases = load_cases(args.cases)
    if not cases:
        parser.error(f"no cases found under {CASES}")

    print("\n".join(machine_report()))
    print(flush=True)
    results: list[Result] = []
    inputs: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="reducer-bench-"))
    try:
        for case in cases:
            original = normalized_size(case.source.read_text(encoding="utf-8"))
            precheck = root / case.name / "original"
            precheck.mkdir(parents=True)
            ok = still_interesting(case, case.source, precheck)
            inputs.append(
                f"- {case.name}: input {original} normalised bytes (script says interesting:"
                f" {fmt(ok)}), max_reduced_bytes = {case.max_reduced_bytes}; oracle"
                f" {case.oracle} {shlex.join(case.oracle_args)};"
                f" {case.reduce_with} {shlex.join(case.flags)}"
            )
            if not ok:
                print(
                    f"warning: {case.name}: the generated script rejects the original input",
                    file=sys.stderr,
                )
            for tool in tools:
                workdir = root / case.name / tool
                workdir.mkdir()
                shutil.copyfile(case.source, workdir / SOURCE_NAME)
                print(f"[{case.name}] {tool} ...", file=sys.stderr, flush=True)
                if tool == "reduce":
                    result = run_reduce(case, workdir, args.timeout)
                else:
                    result = run_delta_tool(tool, case, workdir, args.timeout)
                results.append(result)
                print(
                    f"[{case.name}] {tool}: {fmt(result.wall_seconds, '.1f')}s,"
                    f" {fmt(result.oracle_calls)} calls, {fmt(result.final_bytes)} bytes",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        if args.keep:
            print(f"work directories kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)

    print("\n".join(inputs))
    print()
    print("\n".join(table(results)))
    notes = [f"- {r.case} / {r.tool}: {note}" for r in results for note in r.notes]
    if notes:
        print()
        print("Notes:")
        print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark `reduce` against C-Vise and C-Reduce (project issue 3).

    .venv/bin/python bench/run_bench.py [--cases NAME ...] [--generated NAME ...] [--fresh-seeds N]
        [--tools reduce,reduce-keep,reduce-script,cvise,creduce] [--timeout SECS] [--delta-timeout SECS]
        [--delta-max-lines N] [--record FILE] [--keep]
    .venv/bin/python bench/run_bench.py --tables-from FILE

The benchmark set is every cases/<name>/case.toml + input.c plus inputs generated at bench
time into a temporary directory from fixed csmith seeds (bench/inputs.py: csmith, clang-19
-E -P, every non-const global `g_N` put in section .kexec-purgatory); a generated input is
kept only if clang-19 shows an R_X86_64_32S in a code section and clang-22 does not.
`--fresh-seeds N` draws N seeds at run time instead (printed, with the median and worst
ratio over them: issue 26 §4), so no tuning can fit the inputs.

Phases, one tool run at a time, each on a private copy of the input:

1. reduce (default: every name shortened but those given to the oracle),
   `reduce --keep-names` (the reported symbol and section stay readable) on every input:
   .venv/bin/reduce --oracle O ARGS [--keep-names] --json -o out.c input.c -- CC FLAGS
   and reduce-script: reduce given the very test.sh C-Vise and C-Reduce get
   (--oracle script:test.sh), so it knows no more than they do (no relocation to focus
   on, no object to read);
2. determinism (reduce twice on one csmith input, outputs compared byte for byte) and
   idempotence (reduce its own output again: does it change?);
3. scaling: reduce on extra csmith inputs of other sizes (reduce only);
4. cvise --n 2 --timeout 60 test.sh input.c and creduce (same flags) on every input with
   at most --delta-max-lines lines.

C-Vise and C-Reduce get a generated shell interestingness test with the oracle's meaning:
compile with the same compiler and flags, then `llvm-readelf -r` must show a relocation of
the wanted type in a relocation section named .rela.text* or .rela.ltext*, against the
--symbol given (by name) and/or a symbol defined in the --target-section given (looked up
in `llvm-readelf -S -s`). Each run of the test appends a line to a counter file, which is
how its oracle calls are counted. Every final file, whoever produced it, is re-checked
with that same script, and sizes are whitespace-normalised bytes. A run that hits the
per-run timeout is killed with its process group and its partial result is reported
(cvise and creduce reduce in place; reduce rewrites -o after every improvement).

Memory: "RSS self" is the tool's own process's peak (VmHWM, polled every 0.1 s); "RSS max"
is ru_maxrss from wait4, the largest peak of any single process in the tool's tree that
was reaped (the tool itself, a compiler, a worker), not a sum.

Every result is appended as a JSON line to --record (default: a file in the work
directory); --tables-from prints the tables again from such a file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import inputs as gen

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "cases"
REDUCE = REPO / ".venv" / "bin" / "reduce"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
# --reducer-src: run `python -m reducer` from this source tree instead of the editable
# install (e.g. a `git archive` of one commit while the working tree is being edited).
REDUCER_SRC: list[Path] = []
ALL_TOOLS = ("reduce", "reduce-keep", "reduce-script", "cvise", "creduce")
REDUCE_TOOLS = ("reduce", "reduce-keep", "reduce-script")
DELTA_TOOLS = ("cvise", "creduce")
ORACLE_TYPES = {
    "r_x86_64_32": ("R_X86_64_32",),
    "r_x86_64_32s": ("R_X86_64_32S",),
    "abs32": ("R_X86_64_32", "R_X86_64_32S"),
}
CHECK_TIMEOUT = 60  # seconds per interestingness test (compile + readelf)
QUICK_TIMEOUT = 30  # seconds for --version and similar
GENERATE_TIMEOUT = 600  # seconds per csmith / preprocessor run
POLL_SECONDS = 0.1
SOURCE_NAME = "input.c"
TARGET_RATIO = 0.05  # issue 12 (issue 3 asked 0.2): wall <= 0.05 x the faster of cvise/creduce
# Issue 26 §4, over fresh seeds: the median ratio and the worst one.
FRESH_MEDIAN = 0.05
FRESH_WORST = 0.08
TARGET_RSS_MB = 500.0  # issue 3: reduce peak RSS on the 25k-line input

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
    max_reduced_bytes: int | None
    origin: str
    role: str = "main"  # "main": every tool; "scaling": reduce only

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
    kind: str = "main"  # main, repeat, idempotence, scaling
    status: str = "ok"  # ok, timeout, exit N, not run, skipped
    wall_seconds: float | None = None
    oracle_calls: int | None = None
    final_bytes: int | None = None
    interesting: bool | None = None
    rss_self_mb: float | None = None
    rss_max_mb: float | None = None
    output: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class InputInfo:
    name: str
    origin: str
    role: str
    lines: int
    bytes: int
    normalized_bytes: int
    interesting: bool
    fixed_interesting: bool | None
    command: str


@dataclass
class Run:
    returncode: int | None  # None: timed out and killed
    stdout: str
    stderr: str
    wall_seconds: float
    rss_self_mb: float | None
    rss_max_mb: float | None


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
                origin=f"cases/{toml_path.parent.name}",
            )
        )
    # The delta tools get a shell test that mirrors the oracle (write_script): only the
    # relocation oracles have one.
    mirrored = [c for c in cases if c.oracle in ORACLE_TYPES]
    if selected is None:
        left_out = sorted(c.name for c in cases if c.oracle not in ORACLE_TYPES)
        if left_out:
            log(f"cases left out (no shell mirror of their oracle): {', '.join(left_out)}")
        return mirrored
    known = {c.name for c in cases}
    unknown = sorted(set(selected) - known)
    if unknown:
        raise SystemExit(f"unknown case(s): {', '.join(unknown)}; known: {sorted(known)}")
    unmirrored = sorted(set(selected) - {c.name for c in mirrored})
    if unmirrored:
        raise SystemExit(
            f"case(s) {', '.join(unmirrored)}: the bench has no shell mirror of their oracle "
            f"(it knows {', '.join(sorted(ORACLE_TYPES))})"
        )
    return [c for c in mirrored if c.name in selected]


def generated_case(spec: gen.Spec, directory: Path) -> Case:
    return Case(
        name=spec.name,
        directory=directory,
        oracle=gen.ORACLE,
        oracle_args=(),
        flags=gen.FLAGS,
        reduce_with=gen.COMPILER,
        max_reduced_bytes=None,
        origin=spec.describe(),
        role=spec.role,
    )


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


def write_script(case: Case, path: Path, counter: Path, compiler_name: str | None = None) -> None:
    name = compiler_name or case.reduce_with
    compiler = shutil.which(name)
    if compiler is None:
        raise SystemExit(f"{name} not found: install the Debian package of that name")
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


def vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def kill_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def run_limited(
    argv: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None
) -> Run:
    """Run argv in its own process group; on timeout kill that group. Measures wall and RSS."""
    out_path, err_path = cwd / ".tool.stdout", cwd / ".tool.stderr"
    with out_path.open("w") as out_f, err_path.open("w") as err_f:
        start = time.monotonic()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out_f,
            stderr=err_f,
            start_new_session=True,
            env=env,
        )
    deadline = start + timeout
    killed_at: float | None = None
    self_kb = 0
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        self_kb = max(self_kb, vm_hwm_kb(proc.pid))
        now = time.monotonic()
        if killed_at is None and now > deadline:
            kill_group(proc.pid, signal.SIGTERM)
            killed_at = now
        elif killed_at is not None and now > killed_at + 15:
            kill_group(proc.pid, signal.SIGKILL)
        time.sleep(POLL_SECONDS)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    kill_group(proc.pid, signal.SIGKILL)  # stragglers left in the group
    return Run(
        returncode=None if killed_at is not None else proc.returncode,
        stdout=out_path.read_text(errors="replace"),
        stderr=err_path.read_text(errors="replace"),
        wall_seconds=wall,
        rss_self_mb=self_kb / 1024 if self_kb else None,
        rss_max_mb=rusage.ru_maxrss / 1024 if rusage.ru_maxrss else None,
    )


def script_says(case: Case, source: Path, workdir: Path, compiler_name: str | None = None) -> bool:
    """Run the generated interestingness test on a copy of `source` in a fresh directory."""
    check_dir = Path(tempfile.mkdtemp(prefix="recheck-", dir=workdir))
    shutil.copyfile(source, check_dir / SOURCE_NAME)
    script = check_dir / "test.sh"
    write_script(case, script, check_dir / "calls.txt", compiler_name)
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


def apply_run(result: Result, run: Run, timeout: float) -> None:
    result.wall_seconds = run.wall_seconds
    result.rss_self_mb = run.rss_self_mb
    result.rss_max_mb = run.rss_max_mb
    if run.returncode is None:
        result.status = "timeout"
        result.notes.append(f"timed out after {timeout:g}s; partial result reported")
    elif run.returncode != 0:
        result.status = f"exit {run.returncode}"
        result.notes.append(f"exit {run.returncode}: {tail(run.stderr)}")


def run_reduce(
    case: Case,
    workdir: Path,
    timeout: float,
    *,
    keep_names: bool = False,
    script: bool = False,
    source: Path | None = None,
    kind: str = "main",
) -> Result:
    tool = "reduce-script" if script else "reduce-keep" if keep_names else "reduce"
    result = Result(case.name, tool, kind=kind)
    if not REDUCE.exists() and not REDUCER_SRC:
        result.status = "skipped"
        result.notes.append(f"skipped: {REDUCE} does not exist (pip install -e . in the venv)")
        return result
    workdir.mkdir(parents=True)
    shutil.copyfile(source or case.source, workdir / SOURCE_NAME)
    output = workdir / "out.c"
    env = None
    program = [str(REDUCE)]
    if REDUCER_SRC:
        env = {**os.environ, "PYTHONPATH": str(REDUCER_SRC[0])}
        program = [str(VENV_PYTHON), "-m", "reducer"]
    oracle = [case.oracle, *case.oracle_args]
    if script:
        test = workdir / "test.sh"
        write_script(case, test, workdir / "calls.txt")
        oracle = [f"script:{test}"]
    argv = [
        *program,
        "--oracle",
        *oracle,
        *(["--keep-names"] if keep_names else []),
        "--json",
        "-o",
        str(output),
        SOURCE_NAME,
        "--",
        case.reduce_with,
        *case.flags,
    ]
    run = run_limited(argv, workdir, timeout, env)
    apply_run(result, run, timeout)
    summary = parse_json_summary(run.stdout)
    if summary is None:
        if run.returncode is not None:
            result.notes.append("no JSON summary on stdout")
    else:
        calls = summary.get("oracle_calls")
        result.oracle_calls = calls if isinstance(calls, int) else None
        reported = summary.get("final_normalized_bytes")
        if output.exists() and isinstance(reported, int):
            measured = normalized_size(output.read_text(encoding="utf-8", errors="replace"))
            if measured != reported:
                result.notes.append(f"JSON says {reported} normalised bytes, file has {measured}")
    if result.oracle_calls is None:
        # Timed out: count the progress lines' last call count if there is one.
        counts = re.findall(r"calls (\d+)", run.stderr)
        if counts:
            result.oracle_calls = int(counts[-1])
            result.notes.append("oracle calls from the last progress line (no summary)")
    if output.exists():
        measure_output(result, case, output, workdir)
    else:
        result.notes.append("no output file")
    return result


def measure_output(result: Result, case: Case, output: Path, workdir: Path) -> None:
    """Record a tool's final file: its normalised size, and whether the shared script
    still calls it interesting."""
    result.output = str(output)
    result.final_bytes = normalized_size(output.read_text(encoding="utf-8", errors="replace"))
    result.interesting = script_says(case, output, workdir)


def run_delta_tool(tool: str, case: Case, workdir: Path, timeout: float) -> Result:
    """cvise or creduce: both reduce the file in place with the same flags."""
    result = Result(case.name, tool)
    program = shutil.which(tool)
    if program is None:
        print(f"note: {tool} is not on PATH; skipping it (Debian package {tool})", file=sys.stderr)
        result.status = "skipped"
        result.notes.append("skipped: not on PATH")
        return result
    workdir.mkdir(parents=True)
    source = workdir / SOURCE_NAME
    shutil.copyfile(case.source, source)
    shutil.copyfile(case.source, workdir / "original.c")  # in-place tools: keep the input
    counter = workdir / "calls.txt"
    script = workdir / "test.sh"
    write_script(case, script, counter)
    argv = [program, "--n", "2", "--timeout", str(CHECK_TIMEOUT), str(script), SOURCE_NAME]
    # Their temporary files go to the work directory (removed with it): creduce left 205
    # files in /tmp in session 13's fresh-seed run without this.
    tmp = workdir / "tmp"
    tmp.mkdir()
    run = run_limited(argv, workdir, timeout, {**os.environ, "TMPDIR": str(tmp)})
    apply_run(result, run, timeout)
    result.oracle_calls = count_lines(counter)
    if source.exists():
        measure_output(result, case, source, workdir)
    else:
        result.notes.append("input.c missing after the run")
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
    dirty = ""
    if git:
        try:
            status = subprocess.run(
                [git, "-C", str(REPO), "status", "--porcelain", "--", "reducer"],
                capture_output=True,
                text=True,
                timeout=QUICK_TIMEOUT,
                check=False,
            ).stdout
            dirty = " (reducer/ has uncommitted changes)" if status.strip() else ""
        except (OSError, subprocess.TimeoutExpired):
            pass

    def version(tool: str) -> str:
        return first_line([tool, "--version"]) if shutil.which(tool) else "not installed"

    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "unknown"
    return [
        f"- date: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- nproc: {first_line(['nproc'])}; load average at start: {load}",
        f"- CPU: {cpu_model()}",
        f"- clang-19: {version('clang-19')}",
        f"- clang-22: {version('clang-22')}",
        f"- csmith: {version('csmith')}",
        f"- cvise: {version('cvise')}",
        f"- creduce: {version('creduce')}",
        f"- reducer: git {revision}{dirty}"
        + (f"; reduce run from the sources in {REDUCER_SRC[0]}" if REDUCER_SRC else ""),
    ]


def fmt(value: object, spec: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    return format(value, spec)


def wall_text(r: Result) -> str:
    text = fmt(r.wall_seconds, ".1f")
    return f"timeout ({text})" if r.status == "timeout" else text


def main_table(results: list[Result]) -> list[str]:
    rows = [
        "| input | tool | status | wall s | oracle calls | final bytes (norm.)"
        " | still interesting | RSS self MB | RSS max MB |",
        "|---|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for r in results:
        if r.kind != "main":
            continue
        rows.append(
            f"| {r.case} | {r.tool} | {r.status} | {wall_text(r)} | {fmt(r.oracle_calls)}"
            f" | {fmt(r.final_bytes)} | {fmt(r.interesting)} | {fmt(r.rss_self_mb, '.0f')}"
            f" | {fmt(r.rss_max_mb, '.0f')} |"
        )
    return rows


def finished(r: Result | None) -> bool:
    return r is not None and r.status in ("ok", "timeout") and r.wall_seconds is not None


def ratio_text(r: Result | None, fastest: Result, bound: bool) -> str:
    """r's wall over the faster delta tool's, against TARGET_RATIO; with ``bound`` (that
    tool timed out) the ratio is only an upper bound."""
    best_wall = fastest.wall_seconds or 0.0
    if r is None or not finished(r) or best_wall <= 0:
        return "-"
    value = (r.wall_seconds or 0.0) / best_wall
    ok = value <= TARGET_RATIO
    if bound and not ok:
        return f"<= {value:.3f} (open: {fastest.tool} timed out)"
    return f"{'<= ' if bound else ''}{value:.3f} {'met' if ok else 'MISSED'}"


def comparison_table(results: list[Result], names: list[str]) -> list[str]:
    """Per input: reduce wall / min(cvise, creduce wall); sizes against the smaller of theirs."""
    rows = [
        "| input | reduce s | faster of cvise/creduce s | ratio (target <= 0.05)"
        " | reduce bytes | reduce --keep-names bytes | smaller of cvise/creduce bytes"
        " | reduce <= it | keep-names <= it | reduce with their script s | its ratio"
        " | its bytes | its bytes <= theirs |",
        "|---|---:|---:|---|---:|---:|---:|---|---|---:|---|---:|---|",
    ]
    by_key = {(r.case, r.tool): r for r in results if r.kind == "main"}
    for name in names:
        if not any(case == name for case, _ in by_key):
            continue  # no tool ran on it (a fresh seed the oracle rejected, dropped)
        red = by_key.get((name, "reduce"))
        kept = by_key.get((name, "reduce-keep"))
        scripted = by_key.get((name, "reduce-script"))
        script_cells = f" | {fmt(scripted.wall_seconds if scripted else None, '.1f')} | -"
        script_cells += f" | {fmt(scripted.final_bytes if scripted else None)} | - |"
        others = [by_key.get((name, t)) for t in DELTA_TOOLS]
        ran = [o for o in others if o is not None and finished(o)]
        if not ran:
            reasons = {n for o in others if o is not None for n in o.notes}
            reason = "; ".join(sorted(reasons))
            rows.append(
                f"| {name} | {fmt(red.wall_seconds if red else None, '.1f')} | not run"
                f"{' (' + reason.removeprefix('not run: ') + ')' if reason else ''} | - | {fmt(red.final_bytes if red else None)}"
                f" | {fmt(kept.final_bytes if kept else None)} | - | - | -{script_cells}"
            )
            continue
        fastest = min(ran, key=lambda o: o.wall_seconds or 0.0)
        # A timed-out tool's real time is longer than its wall: the ratio is then an upper bound.
        bound = all(o.status == "timeout" for o in ran) or fastest.status == "timeout"
        best_wall = fastest.wall_seconds or 0.0

        ratio = ratio_text(red, fastest, bound)
        sizes = [o.final_bytes for o in ran if o.final_bytes is not None and o.interesting]
        smallest = min(sizes) if sizes else None
        partial = " (partial)" if any(o.status == "timeout" for o in ran) else ""

        def le(r: Result | None, smallest: int | None = smallest) -> str:
            if r is None or r.final_bytes is None or smallest is None:
                return "-"
            return "yes" if r.final_bytes <= smallest else "NO"

        rows.append(
            f"| {name} | {fmt(red.wall_seconds if red else None, '.1f')}"
            f" | {best_wall:.1f} ({fastest.tool}{', timeout' if fastest.status == 'timeout' else ''})"
            f" | {ratio} | {fmt(red.final_bytes if red else None)}"
            f" | {fmt(kept.final_bytes if kept else None)} | {fmt(smallest)}{partial}"
            f" | {le(red)} | {le(kept)}"
            f" | {fmt(scripted.wall_seconds if scripted else None, '.1f')} | {ratio_text(scripted, fastest, bound)}"
            f" | {fmt(scripted.final_bytes if scripted else None)} | {le(scripted)} |"
        )
    return rows


def ratio_summary(results: list[Result], names: list[str]) -> list[str]:
    """Over the fresh csmith inputs: median and worst of reduce's wall over the faster of
    cvise/creduce, and how often reduce's output is no larger (issue 26 §4's targets)."""
    by_key = {(r.case, r.tool): r for r in results if r.kind == "main"}
    ratios: list[float] = []
    no_larger = 0
    sized = 0
    for name in names:
        red = by_key.get((name, "reduce"))
        ran = [o for t in DELTA_TOOLS if (o := by_key.get((name, t))) is not None and finished(o)]
        if red is None or not finished(red) or not ran:
            continue
        fastest = min(ran, key=lambda o: o.wall_seconds or 0.0)
        if fastest.wall_seconds:
            ratios.append((red.wall_seconds or 0.0) / fastest.wall_seconds)
        sizes = [o.final_bytes for o in ran if o.final_bytes is not None and o.interesting]
        if sizes and red.final_bytes is not None:
            sized += 1
            no_larger += red.final_bytes <= min(sizes)
    if not ratios:
        return ["- fresh seeds: no input with both reduce and a delta tool finished"]
    median = statistics.median(ratios)
    worst = max(ratios)
    verdict = "met" if median <= FRESH_MEDIAN and worst <= FRESH_WORST else "MISSED"
    return [
        f"- fresh seeds, {len(ratios)} inputs: reduce / faster of cvise,creduce: median"
        f" {median:.3f} (target <= {FRESH_MEDIAN}), worst {worst:.3f} (target <= {FRESH_WORST}):"
        f" {verdict}; output no larger on {no_larger} of {sized}"
    ]


def same_text(a: str | None, b: str | None) -> bool | None:
    if a is None or b is None:
        return None
    try:
        return Path(a).read_bytes() == Path(b).read_bytes()
    except OSError:
        return None


def scaling_table(results: list[Result], infos: dict[str, InputInfo]) -> list[str]:
    rows = [
        "| input | lines | bytes | reduce wall s | oracle calls | calls/s | final bytes (norm.)"
        " | RSS self MB | RSS max MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    picked = [
        r
        for r in results
        if r.tool == "reduce"
        and r.kind in ("main", "scaling")
        and r.case in infos
        and infos[r.case].origin.startswith("csmith")
    ]
    picked.sort(key=lambda r: infos[r.case].lines)
    for r in picked:
        info = infos[r.case]
        rate = (
            f"{r.oracle_calls / r.wall_seconds:.1f}" if r.oracle_calls and r.wall_seconds else "-"
        )
        rows.append(
            f"| {r.case} | {info.lines} | {info.bytes} | {wall_text(r)} | {fmt(r.oracle_calls)}"
            f" | {rate} | {fmt(r.final_bytes)} | {fmt(r.rss_self_mb, '.0f')}"
            f" | {fmt(r.rss_max_mb, '.0f')} |"
        )
    return rows


def input_lines(infos: list[InputInfo]) -> list[str]:
    out = []
    for i in infos:
        fixed = (
            f"; with {gen.FIXED_COMPILER}: {fmt(i.fixed_interesting)}"
            if i.fixed_interesting is not None
            else ""
        )
        out.append(
            f"- {i.name} ({i.origin}, {i.role}): {i.lines} lines, {i.bytes} bytes,"
            f" {i.normalized_bytes} normalised; script says interesting: {fmt(i.interesting)}"
            f"{fixed}; {i.command}"
        )
    return out


def print_report(
    infos: list[InputInfo], results: list[Result], extra: list[str], machine: list[str]
) -> None:
    info_by_name = {i.name: i for i in infos}
    main_names = [i.name for i in infos if i.role == "main"]
    print("\n".join(machine))
    print()
    print("Inputs:")
    print("\n".join(input_lines(infos)))
    print()
    print("\n".join(main_table(results)))
    print()
    print("\n".join(comparison_table(results, main_names)))
    print()
    fresh = [name for name in main_names if name.startswith(gen.FRESH_PREFIX)]
    if fresh:
        print("Fresh csmith seeds (issue 26 §4):")
        print("\n".join(line for line in extra if line.startswith("- fresh csmith seeds")))
        print("\n".join(ratio_summary(results, fresh)))
        print()
    repeat = [r for r in results if r.kind == "repeat"]
    idem = [r for r in results if r.kind == "idempotence"]
    if repeat or idem:
        print("Determinism and idempotence:")
        print("\n".join(extra))
        print()
    print("Scaling (reduce only, csmith inputs):")
    print("\n".join(scaling_table(results, info_by_name)))
    misses = []
    for i in infos:
        if i.role != "main" or i.lines < 20000:
            continue
        for r in results:
            if (
                r.case == i.name
                and r.tool in ("reduce", "reduce-keep")
                and r.kind == "main"
                and r.rss_self_mb is not None
            ):
                verdict = "met" if r.rss_self_mb < TARGET_RSS_MB else "MISSED"
                misses.append(
                    f"- {r.tool} on {i.name} ({i.lines} lines): own peak RSS"
                    f" {r.rss_self_mb:.0f} MB (target < {TARGET_RSS_MB:.0f} MB: {verdict});"
                    f" largest process in its tree {fmt(r.rss_max_mb, '.0f')} MB"
                )
    if misses:
        print()
        print("Memory target:")
        print("\n".join(misses))
    notes = [f"- {r.case} / {r.tool} ({r.kind}): {n}" for r in results for n in r.notes]
    if notes:
        print()
        print("Notes:")
        print("\n".join(notes))


class Recorder:
    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, kind: str, payload: dict[str, object]) -> None:
        with self.path.open("a") as f:
            f.write(json.dumps({"record": kind, **payload}) + "\n")


def load_records(
    paths: list[Path],
) -> tuple[list[InputInfo], list[Result], list[str], list[str]]:
    """Merge record files: a later file's result for the same (input, tool, kind) replaces
    an earlier one, its determinism/idempotence lines replace earlier ones, inputs are
    deduplicated by name and every file's machine description is kept."""
    infos: dict[str, InputInfo] = {}
    results: dict[tuple[str, str, str], Result] = {}
    extra: list[str] = []
    machine: list[str] = []
    for path in paths:
        file_extra: list[str] = []
        if len(paths) > 1:
            machine.append(f"- from {path.name}:")
        for line in path.read_text().splitlines():
            data = json.loads(line)
            kind = data.pop("record")
            if kind == "input":
                infos[data["name"]] = InputInfo(**data)
            elif kind == "result":
                result = Result(**data)
                if (
                    result.status == "not run"
                    and (result.case, result.tool, result.kind) in results
                ):
                    continue
                results[(result.case, result.tool, result.kind)] = result
            elif kind == "extra":
                file_extra.append(str(data["line"]))
            elif kind == "machine":
                prefix = "  " if len(paths) > 1 else ""
                machine += [prefix + str(x) for x in data["lines"]]
        if file_extra:
            extra = file_extra
    return list(infos.values()), list(results.values()), extra, machine


def log(message: str) -> None:
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def describe_input(case: Case, root: Path) -> InputInfo:
    text = case.source.read_text(encoding="utf-8")
    work = root / "prechecks" / case.name
    work.mkdir(parents=True, exist_ok=True)
    ok = script_says(case, case.source, work)
    fixed = script_says(case, case.source, work, gen.FIXED_COMPILER)
    return InputInfo(
        name=case.name,
        origin=case.origin,
        role=case.role,
        lines=len(text.splitlines()),
        bytes=len(text.encode()),
        normalized_bytes=normalized_size(text),
        interesting=ok,
        fixed_interesting=fixed if shutil.which(gen.FIXED_COMPILER) else None,
        command=f"oracle {case.oracle} {shlex.join(case.oracle_args)}".rstrip()
        + f"; {case.reduce_with} {shlex.join(case.flags)}",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--cases", nargs="*", metavar="NAME", help="only these cases/ (none: no cases)"
    )
    parser.add_argument(
        "--generated",
        nargs="*",
        metavar="NAME",
        help="only these generated inputs (none: none); known: "
        + ", ".join(s.name for s in gen.MAIN_SPECS + gen.SCALING_SPECS),
    )
    parser.add_argument(
        "--tools",
        default=",".join(ALL_TOOLS),
        help=f"comma-separated subset of {','.join(ALL_TOOLS)}",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=1800.0,
        help="wall-clock limit per tool run (s; default 1800)",
    )
    parser.add_argument(
        "--delta-timeout", type=float, help="limit per cvise/creduce run (default: --timeout)"
    )
    parser.add_argument(
        "--delta-max-lines",
        type=int,
        help="do not run cvise/creduce on inputs with more lines (reported as not run)",
    )
    parser.add_argument(
        "--determinism-case", default="csmith-s1", help="input for the determinism/idempotence runs"
    )
    parser.add_argument(
        "--fresh-seeds",
        type=int,
        default=0,
        metavar="N",
        help="also generate N csmith inputs from seeds drawn now (printed; drawn until N pass"
        " the checks, at most 4N draws); without --generated, instead of the fixed seeds",
    )
    parser.add_argument("--record", type=Path, help="append JSON-lines results here")
    parser.add_argument(
        "--tables-from",
        type=Path,
        nargs="+",
        help="only print the tables from --record files (later ones override earlier ones)",
    )
    parser.add_argument(
        "--reducer-src",
        type=Path,
        help="run `python -m reducer` with PYTHONPATH=DIR (e.g. a git archive of one commit)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the work directories")
    args = parser.parse_args(argv)

    if args.tables_from:
        print_report(*load_records(args.tables_from))
        return 0

    if args.reducer_src:
        REDUCER_SRC.append(args.reducer_src.resolve())
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    bad = sorted(set(tools) - set(ALL_TOOLS))
    if bad:
        parser.error(f"unknown tool(s) {bad}; choose from {', '.join(ALL_TOOLS)}")
    delta_timeout = args.delta_timeout if args.delta_timeout is not None else args.timeout
    if args.fresh_seeds < 0:
        parser.error("--fresh-seeds must be >= 0")
    specs = list(gen.MAIN_SPECS + gen.SCALING_SPECS)
    if args.fresh_seeds and args.generated is None:
        specs = []
    if args.generated is not None:
        known = {s.name for s in specs}
        unknown = sorted(set(args.generated) - known)
        if unknown:
            parser.error(f"unknown generated input(s) {unknown}; known: {sorted(known)}")
        specs = [s for s in specs if s.name in args.generated]

    root = Path(tempfile.mkdtemp(prefix="reducer-bench-"))
    record = Recorder(args.record or root / "results.jsonl")
    log(f"work directory {root}; results recorded in {record.path}")
    machine = machine_report()
    record.write("machine", {"lines": machine})
    print("\n".join(machine), flush=True)
    results: list[Result] = []
    infos: list[InputInfo] = []
    extra: list[str] = []

    def keep(result: Result) -> Result:
        results.append(result)
        record.write("result", asdict(result))
        log(
            f"{result.case} {result.tool} ({result.kind}): {result.status},"
            f" {wall_text(result)}s, {fmt(result.oracle_calls)} calls,"
            f" {fmt(result.final_bytes)} bytes, interesting {fmt(result.interesting)},"
            f" RSS self {fmt(result.rss_self_mb, '.0f')} MB max {fmt(result.rss_max_mb, '.0f')} MB"
        )
        return result

    def admit(case: Case) -> bool:
        """Describe the input, record it, and say whether the bench keeps it."""
        info = describe_input(case, root)
        infos.append(info)
        record.write("input", asdict(info))
        log(f"input {info.name}: {info.lines} lines, interesting {fmt(info.interesting)}")
        if not info.interesting:
            log(f"warning: {case.name}: the script rejects the original; skipped")
            return False
        if case.origin.startswith("csmith") and info.fixed_interesting:
            log(f"warning: {case.name}: {gen.FIXED_COMPILER} shows it too; skipped")
            return False
        return True

    def generated(spec: gen.Spec) -> Case | None:
        log(f"generating {spec.name}: {spec.describe()}")
        directory = root / "inputs" / spec.name
        try:
            gen.generate(spec, directory, GENERATE_TIMEOUT)
        except gen.GenerationError as exc:
            log(f"dropped {spec.name}: {exc}")
            extra.append(f"- {spec.name}: not generated: {exc}")
            return None
        return generated_case(spec, directory)

    try:
        cases = [case for spec in specs if (case := generated(spec)) is not None]
        cases += load_cases(args.cases)
        kept = [case for case in cases if admit(case)]
        if args.fresh_seeds:
            # Drawn from the OS's entropy: nobody, this code included, knows them in advance.
            rng = random.SystemRandom()
            seeds: list[int] = []
            fresh_kept: list[int] = []
            while len(fresh_kept) < args.fresh_seeds and len(seeds) < 4 * args.fresh_seeds:
                seeds.append(gen.draw_seed(rng))
                case = generated(gen.fresh_spec(seeds[-1]))
                if case is not None and admit(case):
                    kept.append(case)
                    fresh_kept.append(seeds[-1])
            line = (
                f"- fresh csmith seeds: drew {len(seeds)} ({', '.join(map(str, seeds))}),"
                f" kept {len(fresh_kept)} ({', '.join(map(str, fresh_kept))})"
            )
            log(line)
            extra.append(line)
            record.write("extra", {"line": line})
        main_cases = [c for c in kept if c.role == "main"]

        # Phase 1: reduce, reduce --keep-names.
        for case in main_cases:
            for tool in REDUCE_TOOLS:
                if tool in tools:
                    log(f"{case.name}: {tool} ...")
                    keep(
                        run_reduce(
                            case,
                            root / case.name / tool,
                            args.timeout,
                            keep_names=tool == "reduce-keep",
                            script=tool == "reduce-script",
                        )
                    )

        # Phase 2: determinism and idempotence.
        first = next(
            (r for r in results if r.case == args.determinism_case and r.tool == "reduce"), None
        )
        det_case = next((c for c in main_cases if c.name == args.determinism_case), None)
        if first is not None and det_case is not None and first.output:
            log(f"{det_case.name}: reduce again (determinism) ...")
            again = keep(
                run_reduce(det_case, root / det_case.name / "repeat", args.timeout, kind="repeat")
            )
            same = same_text(first.output, again.output)
            line = (
                f"- determinism: reduce twice on {det_case.name}: outputs byte-identical:"
                f" {fmt(same)} ({fmt(first.final_bytes)} and {fmt(again.final_bytes)} bytes,"
                f" {fmt(first.oracle_calls)} and {fmt(again.oracle_calls)} oracle calls,"
                f" {fmt(first.wall_seconds, '.1f')} and {fmt(again.wall_seconds, '.1f')} s)"
            )
            extra.append(line)
            record.write("extra", {"line": line})
            log(f"{det_case.name}: reduce on its own output (idempotence) ...")
            idem = keep(
                run_reduce(
                    det_case,
                    root / det_case.name / "idempotence",
                    args.timeout,
                    source=Path(first.output),
                    kind="idempotence",
                )
            )
            unchanged = same_text(first.output, idem.output)
            line = (
                f"- idempotence: reduce on its own {det_case.name} output: unchanged:"
                f" {fmt(unchanged)} ({fmt(first.final_bytes)} -> {fmt(idem.final_bytes)} bytes,"
                f" {fmt(idem.oracle_calls)} oracle calls, {fmt(idem.wall_seconds, '.1f')} s)"
            )
            extra.append(line)
            record.write("extra", {"line": line})

        # Phase 3: scaling inputs, reduce only.
        if "reduce" in tools:
            for case in (c for c in kept if c.role == "scaling"):
                log(f"{case.name}: reduce (scaling) ...")
                keep(run_reduce(case, root / case.name / "reduce", args.timeout, kind="scaling"))

        # Phase 4: cvise and creduce.
        lines_of = {i.name: i.lines for i in infos}
        for case in main_cases:
            for tool in DELTA_TOOLS:
                if tool not in tools:
                    continue
                if args.delta_max_lines is not None and lines_of[case.name] > args.delta_max_lines:
                    skipped = Result(case.name, tool, status="not run")
                    skipped.notes.append(
                        f"not run: {lines_of[case.name]} lines > --delta-max-lines"
                        f" {args.delta_max_lines}"
                    )
                    keep(skipped)
                    continue
                log(f"{case.name}: {tool} ...")
                keep(run_delta_tool(tool, case, root / case.name / tool, delta_timeout))
    finally:
        if args.keep:
            log(f"work directories kept in {root}")
        elif args.record is None:
            log(f"results were in {record.path}, removed with {root}")
            shutil.rmtree(root, ignore_errors=True)
        else:
            shutil.rmtree(root, ignore_errors=True)

    print()
    print_report(infos, results, extra, machine)
    return 0


if __name__ == "__main__":
    sys.exit(main())

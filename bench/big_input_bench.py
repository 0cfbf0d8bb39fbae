"""Big inputs (issue 12 §3): does the first cut remove almost everything at once?

    .venv/bin/python bench/big_input_bench.py [--lines 100000] [--scaling 2000,10000,30000]
        [--jobs 2] [--work DIR] [--timeout 600]

Builds, at bench time (never committed), one preprocessed C file of at least ``--lines``
lines: csmith programs (``csmith --seed N --max-funcs 20``, seeds 1, 2, ...) each
preprocessed with clang-19 -E, their csmith.h part dropped (the header is preprocessed
once and put first), and each program's file-scope names (func_N, g_N, S/U tags, main,
__undefined) prefixed with pN_ so they can share one file; then one function with the
founding bug pattern: the address of a global in `.kexec-purgatory`, stored at -O0
-mcmodel=large (clang-19 writes an R_X86_64_32S, clang-22 an R_X86_64_64). Then

    .venv/bin/reduce --oracle r_x86_64_32s --good-cc clang-22 -j 2 -o OUT IN \\
        -- clang-19 --target=x86_64-linux-gnu -O0 -mcmodel=large -fno-pic -c

and prints a markdown table: input lines/bytes, one compile's time, the reduce wall time,
oracle calls, final bytes, peak RSS of the reduce process itself (VmHWM, sampled) and of
the largest compiler it ran (ru_maxrss of its children), and CPU time in Python against
CPU time in its children (the compilers). ``--scaling`` adds rows for smaller inputs
(prefixes of the same programs).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CSMITH_INCLUDE = Path("/usr/include/csmith")
COMPILER = "clang-19"
FIXED = "clang-22"
FLAGS = ("--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c")
BUG = (
    '\nint purgatory_sha_regions[16] __attribute__((section(".kexec-purgatory")));\n'
    "void bug(void **p) { *p = purgatory_sha_regions; }\n"
)
# csmith's file-scope names: each program's get a prefix so fifty programs share a file.
_PROGRAM_NAMES = re.compile(r"\b(func_\d+|g_\d+|S\d+|U\d+|main|__undefined)\b")
_LINE_MARKER = re.compile(r'^# \d+ "([^"]*)"')


def _run(argv: list[str], cwd: Path) -> str:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({done.returncode}): {done.stderr[-400:]}")
    return done.stdout


def _header(work: Path) -> str:
    (work / "header.c").write_text('#include "csmith.h"\n')
    return _run([COMPILER, "-E", "-P", f"-I{CSMITH_INCLUDE}", "header.c"], work)


def _program(seed: int, work: Path) -> str:
    """Program `seed` preprocessed, without the header's lines, its names prefixed."""
    source = work / f"p{seed}.c"
    _run(["csmith", "--seed", str(seed), "--max-funcs", "20", "-o", source.name], work)
    expanded = _run([COMPILER, "-E", f"-I{CSMITH_INCLUDE}", source.name], work)
    source.unlink()
    own, keep = [], False
    for line in expanded.splitlines():
        marker = _LINE_MARKER.match(line)
        if marker:
            keep = Path(marker.group(1)).name == source.name
            continue
        if keep and line.strip():
            own.append(line)
    return _PROGRAM_NAMES.sub(lambda m: f"p{seed}_{m.group(1)}", "\n".join(own)) + "\n"


def build_inputs(work: Path, sizes: list[int]) -> dict[int, Path]:
    """One input per size (lines at least), each a prefix of the same programs."""
    wanted = {size: work / f"big-{size}.c" for size in sizes}
    if all(path.exists() for path in wanted.values()):
        return wanted  # --work kept them from an earlier run (csmith takes minutes)
    header = _header(work)
    programs: list[str] = []
    lines = header.count("\n")
    inputs: dict[int, Path] = {}
    seed = 0
    for size in sorted(sizes):
        while lines < size:
            seed += 1
            programs.append(_program(seed, work))
            lines += programs[-1].count("\n")
        path = work / f"big-{size}.c"
        path.write_text(header + "".join(programs) + BUG)
        inputs[size] = path
    return inputs


@dataclass
class Row:
    lines: int
    bytes: int
    compile_seconds: float
    wall_seconds: float
    calls: int
    final_bytes: int
    peak_rss_mb: float  # the reduce process itself
    child_rss_mb: float  # the largest process it waited for (a compiler)
    python_cpu: float
    children_cpu: float
    per_pass: dict[str, dict[str, int]]


def _compile_seconds(path: Path) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        started = time.monotonic()
        _run([COMPILER, *FLAGS, "-w", str(path), "-o", f"{scratch}/x.o"], path.parent)
        return time.monotonic() - started


class _Sampler(threading.Thread):
    """Reads the reduce process's own peak RSS and CPU split from /proc until it exits:
    its rusage as a child would fold the compilers' peak into one number."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.hwm_kb = 0
        self.cpu = (0.0, 0.0)  # (own, waited-for children) seconds
        self.done = threading.Event()

    def run(self) -> None:
        ticks = 100.0  # USER_HZ
        while not self.done.is_set():
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
                stat = Path(f"/proc/{self.pid}/stat").read_text()
            except OSError:
                return
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.hwm_kb = max(self.hwm_kb, int(line.split()[1]))
            fields = stat[stat.rindex(")") + 2 :].split()
            # utime, stime, cutime, cstime are fields 14-17 of stat (1-based).
            utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
            self.cpu = ((utime + stime) / ticks, (cutime + cstime) / ticks)
            self.done.wait(0.2)


def reduce_one(path: Path, jobs: int, timeout: float) -> Row:
    out = path.with_suffix(".reduced.c")
    argv = [
        str(REPO / ".venv/bin/reduce"),
        "--oracle",
        "r_x86_64_32s",
        "--good-cc",
        FIXED,
        "-j",
        str(jobs),
        "--json",
        # One compile of the whole input is ~10 s, more on a shared machine: the
        # default 30 s limit made the original "time out".
        "--timeout",
        "120",
        "-o",
        str(out),
        str(path),
        "--",
        COMPILER,
        *FLAGS,
    ]
    log = path.with_suffix(".log").open("w")
    started = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log, text=True)
    sampler = _Sampler(process.pid)
    sampler.start()
    try:
        stdout, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise SystemExit(f"reduce timed out after {timeout:g}s on {path}") from None
    sampler.done.set()
    sampler.join()
    wall = time.monotonic() - started
    log.close()
    if process.returncode != 0:
        raise SystemExit(f"reduce failed ({process.returncode}), see {log.name}")
    summary = json.loads(stdout)
    text = path.read_text()
    return Row(
        lines=text.count("\n"),
        bytes=len(text.encode()),
        compile_seconds=_compile_seconds(path),
        wall_seconds=wall,
        calls=summary["oracle_calls"],
        final_bytes=summary["final_bytes"],
        peak_rss_mb=sampler.hwm_kb / 1024,
        child_rss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        python_cpu=sampler.cpu[0],
        children_cpu=sampler.cpu[1],
        per_pass=summary["per_pass"],
    )


def table(rows: list[Row]) -> str:
    head = (
        "| input lines | input bytes | one compile | reduce wall | calls | final bytes "
        "| peak RSS (reduce) | peak RSS (largest process) | CPU Python | CPU compilers |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    body = "".join(
        f"| {r.lines} | {r.bytes} | {r.compile_seconds:.2f}s | {r.wall_seconds:.1f}s | {r.calls} "
        f"| {r.final_bytes} | {r.peak_rss_mb:.0f} MB | {r.child_rss_mb:.0f} MB "
        f"| {r.python_cpu:.1f}s | {r.children_cpu:.1f}s |\n"
        for r in rows
    )
    return head + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--scaling", default="", help="extra, smaller sizes: 2000,10000,...")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--work", type=Path, help="keep inputs and results here (and reuse inputs found there)"
    )
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args(argv)
    sizes = sorted({args.lines, *(int(s) for s in args.scaling.split(",") if s)})
    with tempfile.TemporaryDirectory(prefix="big-input-bench-") as scratch:
        work = args.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        inputs = build_inputs(work, sizes)
        print(f"generated {len(inputs)} inputs in {time.monotonic() - started:.0f}s", flush=True)
        rows = []
        for size in sizes:
            rows.append(reduce_one(inputs[size], args.jobs, args.timeout))
            row = rows[-1]
            print(f"{size}: {row.wall_seconds:.1f}s, {row.calls} calls, per pass {row.per_pass}")
            sys.stdout.flush()
        print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

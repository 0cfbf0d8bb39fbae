"""Real code at real size (issue 26 §1-§3): the founding bug planted in real C files,
fetched at bench time from package registries (never committed).

    .venv/bin/python bench/realcode_bench.py [--work DIR] [--only NAME,...] [--timeout 900]
        [--jobs 2]

Inputs (the versions are pinned so that runs compare):
  sqlite3.c  the SQLite amalgamation in better-sqlite3 11.10.0 (npm): 261K lines, 9.2 MB,
             half comments, #if structure intact
  duktape.c  the Duktape single-file build in duktape 0.3.0 (npm): 80K lines
  zstd.c     the zstd single-file library in zstandard 0.23.0 (PyPI sdist): 52K lines
  *.i        each of them with the plant, preprocessed by clang-19 -E -P with its system
             headers (no #if left, glibc's declarations in)

The plant, as the bug appears in the wild: an existing constant array is moved into
`.kexec-purgatory` and an existing function deep in the file stores its address (at -O0
-mcmodel=large -fno-pic, clang-19 writes R_X86_64_32S there, clang-22 R_X86_64_64); the
first array/function pair (from the middle of the file on) where both compilers do so is
taken, so the oracle names one function deep inside real code. Then, like a user:

    reduce --oracle r_x86_64_32s --good-cc clang-22 -j 2 --json -o OUT IN \\
        -- clang-19 -O0 -mcmodel=large -fno-pic -c -w

Table: lines, one compile, wall, calls, the first cut (the size when the first pass after
slice/comments/focus starts, from the progress lines, and the oracle calls by then,
speculative ones included), final bytes, peak RSS of reduce itself, CPU in Python and in
the compilers.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from big_input_bench import _Sampler  # one /proc sampler for the benches

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from reducer.passes.bodies import FunctionBody  # noqa: E402
from reducer.passes.focus import fast_function_bodies  # noqa: E402

COMPILER, FIXED = "clang-19", "clang-22"
FLAGS = ["-O0", "-mcmodel=large", "-fno-pic", "-c", "-w"]
SECTION = '__attribute__((section(".kexec-purgatory")))'


@dataclass(frozen=True)
class Source:
    name: str
    fetch: tuple[str, ...]  # the command that downloads the package into the cache
    archive: str  # glob of the downloaded file
    member: str  # the C file inside it


SOURCES = (
    Source("sqlite3", ("npm", "pack", "better-sqlite3@11.10.0"), "better-sqlite3-*.tgz",
           "package/deps/sqlite3/sqlite3.c"),
    Source("duktape", ("npm", "pack", "duktape@0.3.0"), "duktape-*.tgz",
           "package/lib/duktape/src/duktape.c"),
    Source("zstd", (sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                    ":all:", "zstandard==0.23.0", "-d", "."), "zstandard-*.tar.gz",
           "zstandard-0.23.0/zstd/zstd.c"),
)  # fmt: skip

_ARRAY = re.compile(
    # storage macros first (duktape's DUK_LOCAL, sqlite's SQLITE_PRIVATE), then the type
    r"^(?:[A-Z][A-Z0-9_]*\s+)*(?:static\s+)?const\s+[A-Za-z_][\w\s\*]*?\b"
    r"([A-Za-z_]\w*)\s*(\[[^\]\n]*\])+\s*=\s*\{",
    re.M,
)


def fetch(source: Source, cache: Path, into: Path) -> str:
    """The C file's text; its directory's files (the headers it includes) go to ``into``."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob(source.archive))
    if not found:
        subprocess.run(source.fetch, cwd=cache, check=True, capture_output=True, timeout=600)
        found = sorted(cache.glob(source.archive))
    directory = source.member.rsplit("/", 1)[0] + "/"
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(found[-1]) as archive:
        for info in archive.getmembers():
            name = info.name
            if info.isfile() and name.startswith(directory) and "/" not in name[len(directory) :]:
                data = archive.extractfile(info)
                assert data is not None
                (into / name[len(directory) :]).write_bytes(data.read())
    return (into / source.member.rsplit("/", 1)[1]).read_text(errors="replace")


def _relocations(text: str, compiler: str, work: Path) -> str:
    source, obj = work / "reducer_probe.c", work / "reducer_probe.o"
    source.write_text(text)
    subprocess.run([compiler, *FLAGS, "-o", str(obj), str(source)], check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    readelf = f"llvm-readelf-{compiler.rsplit('-', 1)[1]}"
    return subprocess.run([readelf, "-r", str(obj)], capture_output=True, text=True,
                          timeout=120, check=True).stdout  # fmt: skip


def plant(text: str, work: Path, tries: int = 12) -> tuple[str, str, str]:
    """(planted text, array, function): the first pair, from the middle of the file on,
    where clang-19 writes R_X86_64_32S and clang-22 does not."""
    bodies = sorted(fast_function_bodies(text), key=lambda b: b.start)
    starts = [b.start for b in bodies]
    middle = len(text) // 2
    arrays = sorted(_ARRAY.finditer(text), key=lambda m: (m.start() < middle, m.start()))
    tried = 0
    for array in arrays:
        name = array.group(1)
        users: list[FunctionBody] = []
        for use in re.finditer(rf"\b{re.escape(name)}\b", text[array.end() :]):
            offset = array.end() + use.start()
            index = bisect.bisect_right(starts, offset) - 1
            if index >= 0 and offset < bodies[index].end and bodies[index] not in users:
                users.append(bodies[index])
        if not users:
            continue
        tried += 1
        if tried > tries:
            break
        user: FunctionBody = users[len(users) // 2]
        probe = f" {{ const void *volatile reducer_probe = (const void *){name}; (void)reducer_probe; }}"
        declarator_end = array.end() - 1  # the '{' of the initializer
        equals = text.rindex("=", array.start(), declarator_end)
        planted = (
            text[:equals] + SECTION + " " + text[equals:user.start] + probe + text[user.start:]
        )
        try:
            affected = _relocations(planted, COMPILER, work)
            fixed = _relocations(planted, FIXED, work)
        except subprocess.CalledProcessError:
            continue
        if "R_X86_64_32S" in affected and "R_X86_64_32S" not in fixed:
            return planted, name, user.name
    raise SystemExit("no array/function pair shows the bug")


def preprocess(path: Path) -> Path:
    out = path.with_suffix(".i")
    subprocess.run([COMPILER, "-E", "-P", "-o", str(out), str(path)], check=True,
                   capture_output=True, timeout=600)  # fmt: skip
    return out


@dataclass
class Row:
    name: str
    lines: int
    bytes: int
    compile_seconds: float
    wall: float
    calls: int
    first_cut: int
    first_calls: int  # oracle calls when it was reached (speculative ones included)
    final: int
    rss_mb: float
    python_cpu: float
    compilers_cpu: float
    note: str


_PROGRESS = re.compile(r"pass (\S+)\s+size\s+(\d+) B\s+calls (\d+)")
_BIG_CUTS = frozenset({"slice", "comments", "focus"})


def reduce_one(name: str, path: Path, jobs: int, timeout: float) -> Row:
    text = path.read_text()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([COMPILER, *FLAGS, "-o", f"{scratch}/x.o", str(path)], check=True,
                       capture_output=True, timeout=600)  # fmt: skip
    compile_seconds = time.monotonic() - started
    out = path.with_suffix(".reduced" + path.suffix)
    argv = [str(REPO / ".venv/bin/reduce"), "--oracle", "r_x86_64_32s", "--good-cc", FIXED,
            "-j", str(jobs), "--json", "--timeout", "120", "-o", str(out), str(path), "--",
            COMPILER, *FLAGS]  # fmt: skip
    log_path = path.with_name(path.name + ".log")
    started = time.monotonic()
    with log_path.open("w") as log:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=log, text=True)
        sampler = _Sampler(process.pid)
        sampler.start()
        note = ""
        try:
            stdout, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.terminate()  # reduce keeps its best result on SIGTERM
            stdout, _ = process.communicate()
            note = f"stopped at {timeout:g}s"
        sampler.done.set()
        sampler.join()
    wall = time.monotonic() - started
    # The first cut: the size when the first pass after the big cuts starts.
    first_cut, first_calls = len(text.encode()), 0
    for pass_name, size, calls in _PROGRESS.findall(log_path.read_text()):
        if pass_name not in _BIG_CUTS:
            first_cut, first_calls = int(size), int(calls)
            break
    try:
        summary = json.loads(stdout)
        calls, final = summary["oracle_calls"], summary["final_bytes"]
    except (json.JSONDecodeError, KeyError):
        calls, final = -1, out.stat().st_size if out.exists() else len(text.encode())
        note = note or f"exit {process.returncode}, see {log_path}"
    return Row(name, text.count("\n"), len(text.encode()), compile_seconds, wall, calls,
               first_cut, first_calls, final, sampler.hwm_kb / 1024, sampler.cpu[0], sampler.cpu[1],
               note)  # fmt: skip


def table(rows: list[Row]) -> str:
    head = (
        "| input | lines | bytes | one compile | wall | calls | first cut (calls) | final bytes "
        "| peak RSS (reduce) | CPU Python | CPU compilers | note |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
    )
    return head + "".join(
        f"| {r.name} | {r.lines} | {r.bytes} | {r.compile_seconds:.1f}s | {r.wall:.0f}s "
        f"| {r.calls} | {r.first_cut} B, {100 - 100 * r.first_cut / r.bytes:.1f}% gone "
        f"({r.first_calls}) "
        f"| {r.final} | {r.rss_mb:.0f} MB | {r.python_cpu:.0f}s | {r.compilers_cpu:.0f}s "
        f"| {r.note} |\n"
        for r in rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "realcode")
    parser.add_argument("--only", default="", help="comma-separated input names")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    inputs: list[tuple[str, Path]] = []
    for source in SOURCES:
        src = work / f"{source.name}-src"  # beside its headers
        planted_path = src / f"{source.name}.planted.c"
        if not planted_path.is_file():
            text = fetch(source, work / "cache", src)
            planted, array, function = plant(text, src)
            planted_path.write_text(planted)
            print(f"{source.name}: planted {array} in .kexec-purgatory, used from {function}",
                  flush=True)  # fmt: skip
        inputs.append((source.name + ".c", planted_path))
        preprocessed = planted_path.with_suffix(".i")
        if not preprocessed.is_file():
            preprocess(planted_path)
        inputs.append((source.name + ".i", preprocessed))
    rows = []
    for name, path in inputs:
        if only and name not in only:
            continue
        row = reduce_one(name, path, args.jobs, args.timeout)
        rows.append(row)
        print(table([row]).splitlines()[-1], flush=True)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

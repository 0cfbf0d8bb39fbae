"""Real code at real size (issue 26 §1-§3): the founding bug planted in real C files,
fetched at bench time from package registries (never committed).

    .venv/bin/python bench/realcode_bench.py [--work DIR] [--only NAME,...] [--timeout 900]
        [--jobs 2] [--script | --script-only] [--creduce N]

Inputs (the versions are pinned so that runs compare):
  sqlite3.c  the SQLite amalgamation in better-sqlite3 11.10.0 (npm): 261K lines, 9.2 MB,
             half comments, #if structure intact
  duktape.c  the Duktape single-file build in duktape 0.3.0 (npm): 80K lines
  zstd.c     the zstd single-file library in zstandard 0.23.0 (PyPI sdist): 52K lines
  itertoolz.c  a Cython-generated extension module in cytoolz 1.0.1 (PyPI sdist): 57K
             lines, 2.4 MB, Python.h's macros and inline functions
  msgspec.c  msgspec 0.18.6's hand-written extension module _core.c (PyPI sdist): 22K lines
  regex.c    the mrab-regex engine _regex.c in regex 2024.11.6 (PyPI sdist): 26K lines
  ruamel.c   the Cython-generated _ruamel_yaml.c in ruamel.yaml.clib 0.2.8 (PyPI sdist): 34K
             lines, 1.5 MB, with libyaml's headers beside it
  treesitter.c  tree-sitter-c 0.24.1's generated parser.c (PyPI sdist): 119K lines, 3.9 MB,
             almost all of it constant tables and one lexer function of nested switches
  quickjs.c  the QuickJS interpreter in quickjs 1.19.4 (PyPI sdist): 54K lines, 1.8 MB, X-macro
             opcode tables, computed gotos, libbf/libregexp headers beside it
  roaring.c  CRoaring's amalgamation in pyroaring 1.2.0 (PyPI sdist): 22K lines, SIMD target
             regions opened and closed by macros that expand to _Pragma
  miniaudio.c  miniaudio.h in miniaudio 1.71 (PyPI sdist) built as its implementation: 96K
             lines, 4.1 MB, every audio backend's #if groups
  uvloop.c   the Cython 3.3 module loop.c in uvloop 0.23.0 (PyPI sdist): 221K lines, 9.2 MB,
             with libuv's headers from the sdist's vendor/ directory
  lxml.c     the Cython 3 module etree.c in lxml 6.2.1 (PyPI sdist): 345K lines, 13.8 MB,
             over Debian's libxml2/libxslt headers (libxml2-dev, libxslt1-dev, installed
             by scripts/install.sh)
  *.i        each of them with the plant, preprocessed by clang-19 -E -P with its system
             headers (no #if left, glibc's declarations in)

PyPI sdists are fetched from the simple index by exact file name (pip download would
build the package's metadata, which needs its build dependencies); npm ones by npm pack.

The plant, as the bug appears in the wild: an existing constant array is moved into
`.kexec-purgatory` and an existing function deep in the file stores its address (at -O0
-mcmodel=large -fno-pic, clang-19 writes R_X86_64_32S there, clang-22 R_X86_64_64); the
first array/function pair (from the middle of the file on) where both compilers do so is
taken, so the oracle names one function deep inside real code. Then, like a user:

    reduce --oracle r_x86_64_32s --good-cc clang-22 -j 2 --json -o OUT IN \\
        -- clang-19 -O0 -mcmodel=large -fno-pic -c -w

With --script, each input is reduced a second time with the bench's C-Vise-style script
as the oracle (compile with clang-19, the planted array's R_X86_64_32S in llvm-readelf -r):
what a user who brings their own script gets. With --creduce N, C-Reduce (`--n N`) runs
with that same script on a copy of each script row's input, stopped at --timeout: its
wall and its result's bytes side by side (its result re-checked with the script).

Table: lines, one compile, wall, calls, the first cut (the size when the first pass after
slice/comments/conditionals/focus starts, from the progress lines, and the oracle calls by then,
speculative ones included), the oracle call by which 90% of the bytes were gone (issue 26
§2's goal; in parentheses the calls the sequential procedure had read by then, the rest
being speculation), final bytes, peak RSS of reduce itself, CPU in Python and in the
compilers. reduce runs through bench/traced_reduce.py, which prints a progress line at
every accepted text. --script-only: only the script rows.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from big_input_bench import _Sampler  # one /proc sampler for the benches
from run_bench import kill_group

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from reducer.passes.bodies import FunctionBody  # noqa: E402
from reducer.passes.focus import fast_function_bodies  # noqa: E402

COMPILER, FIXED = "clang-19", "clang-22"
FLAGS = ["-O0", "-mcmodel=large", "-fno-pic", "-c", "-w"]
SECTION = '__attribute__((section(".kexec-purgatory")))'


PYTHON_INCLUDE = ("-I", sysconfig.get_paths()["include"])


@dataclass(frozen=True)
class Source:
    name: str
    fetch: tuple[str, ...]  # npm's command that downloads the package into the cache, or
    # ("pypi", PROJECT, FILE): the sdist FILE from PyPI's simple index
    archive: str  # glob of the downloaded file
    member: str  # the C file inside it
    includes: tuple[str, ...] = ()  # what the file needs beyond its own directory (headers,
    # and flags its build uses: Cython 0.29's handlers need a pointer-type error turned off)
    vendored: tuple[str, ...] = ()  # the archive's header directories outside the member's
    # (uvloop's vendor/libuv/include): extracted beside it and searched with -I
    searched: tuple[str, ...] = ()  # subdirectories of the member's searched with -I
    # (lxml's includes/, where etree.c finds "etree_defs.h")

    def flags(self, src: Path) -> tuple[str, ...]:
        """The compile flags beyond FLAGS for the member extracted in ``src``."""
        searched = (f"-I{src / directory}" for directory in self.searched)
        vendored = (f"-I{src / VENDORED / directory}" for directory in self.vendored)
        return (*self.includes, *searched, *vendored)


SOURCES = (
    Source("sqlite3", ("npm", "pack", "better-sqlite3@11.10.0"), "better-sqlite3-*.tgz",
           "package/deps/sqlite3/sqlite3.c"),
    Source("duktape", ("npm", "pack", "duktape@0.3.0"), "duktape-*.tgz",
           "package/lib/duktape/src/duktape.c"),
    Source("zstd", ("pypi", "zstandard", "zstandard-0.23.0.tar.gz"), "zstandard-*.tar.gz",
           "zstandard-0.23.0/zstd/zstd.c"),
    Source("itertoolz", ("pypi", "cytoolz", "cytoolz-1.0.1.tar.gz"), "cytoolz-*.tar.gz",
           "cytoolz-1.0.1/cytoolz/itertoolz.c", PYTHON_INCLUDE),
    Source("msgspec", ("pypi", "msgspec", "msgspec-0.18.6.tar.gz"), "msgspec-*.tar.gz",
           "msgspec-0.18.6/msgspec/_core.c", PYTHON_INCLUDE),
    Source("regex", ("pypi", "regex", "regex-2024.11.6.tar.gz"), "regex-*.tar.gz",
           "regex-2024.11.6/regex_3/_regex.c", PYTHON_INCLUDE),
    Source("ruamel", ("pypi", "ruamel-yaml-clib", "ruamel.yaml.clib-0.2.8.tar.gz"),
           "ruamel.yaml.clib-*.tar.gz", "ruamel.yaml.clib-0.2.8/_ruamel_yaml.c",
           (*PYTHON_INCLUDE, "-Wno-error=incompatible-function-pointer-types")),
    Source("treesitter", ("pypi", "tree-sitter-c", "tree_sitter_c-0.24.1.tar.gz"),
           "tree_sitter_c-*.tar.gz", "tree_sitter_c-0.24.1/src/parser.c"),
    Source("quickjs", ("pypi", "quickjs", "quickjs-1.19.4.tar.gz"), "quickjs-*.tar.gz",
           "quickjs-1.19.4/upstream-quickjs/quickjs.c",
           ('-DCONFIG_VERSION="2024-01-13"', "-DCONFIG_BIGNUM")),  # as its setup.py builds it
    Source("roaring", ("pypi", "pyroaring", "pyroaring-1.2.0.tar.gz"), "pyroaring-*.tar.gz",
           "pyroaring-1.2.0/pyroaring/roaring.c"),  # CRoaring's amalgamation: SIMD #if paths
    Source("miniaudio", ("pypi", "miniaudio", "miniaudio-1.71.tar.gz"), "miniaudio-*.tar.gz",
           "miniaudio-1.71/miniaudio/miniaudio.h",  # a single-header library, built as its
           ("-DMINIAUDIO_IMPLEMENTATION",)),  # implementation: every backend's #if groups
    Source("uvloop", ("pypi", "uvloop", "uvloop-0.23.0.tar.gz"), "uvloop-*.tar.gz",
           "uvloop-0.23.0/uvloop/loop.c",  # Cython 3 output at its biggest: 9 MB, one module
           PYTHON_INCLUDE, ("uvloop-0.23.0/vendor/libuv/include",)),
    Source("lxml", ("pypi", "lxml", "lxml-6.2.1.tar.gz"), "lxml-*.tar.gz",
           "lxml-6.2.1/src/lxml/etree.c",  # Cython 3: 345K lines, 13.8 MB, over libxml2/libxslt
           (*PYTHON_INCLUDE, "-I/usr/include/libxml2"), searched=("includes",)),
)  # fmt: skip
VENDORED = "vendored"  # where Source.vendored directories go, under the member's directory


def download(fetch: tuple[str, ...], cache: Path) -> None:
    if fetch[0] != "pypi":
        subprocess.run(fetch, cwd=cache, check=True, capture_output=True, timeout=600)
        return
    _, project, filename = fetch
    with urllib.request.urlopen(f"https://pypi.org/simple/{project}/", timeout=120) as page:
        index = page.read().decode()
    link = re.search(rf'href="([^"#]*/{re.escape(filename)})[#"]', index)
    if link is None:
        raise SystemExit(f"{filename} is not on PyPI's simple index for {project}")
    with urllib.request.urlopen(link.group(1), timeout=600) as response:
        (cache / filename).write_bytes(response.read())

_ARRAY = re.compile(
    # storage macros first (duktape's DUK_LOCAL, sqlite's SQLITE_PRIVATE), then the type;
    # const arrays are tried first, then writable ones (Cython's PyMethodDef tables)
    r"^(?:[A-Z][A-Z0-9_]*\s+)*(?:static\s+)?(?P<const>const\s+)?[A-Za-z_][\w\s\*]*?\b"
    r"(?P<name>[A-Za-z_]\w*)\s*(\[[^\]\n]*\])+\s*=\s*\{",
    re.M,
)
# Globals without an initializer (Cython's interned-object pointers) when no array fits.
_SCALAR = re.compile(r"^static[ \t]+[A-Za-z_][\w \t\*]*?\b(?P<name>[A-Za-z_]\w*)[ \t]*(?P<end>);", re.M)


def fetch(source: Source, cache: Path, into: Path) -> str:
    """The C file's text; its directory's files (the headers it includes) go to ``into``,
    the source's vendored header directories under ``into/VENDORED``."""
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob(source.archive))
    if not found:
        download(source.fetch, cache)
        found = sorted(cache.glob(source.archive))
    directory = source.member.rsplit("/", 1)[0] + "/"
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(found[-1]) as archive:
        for info in archive.getmembers():
            name = info.name
            # with its subdirectories (tree-sitter's parser.c includes "tree_sitter/parser.h")
            if not info.isfile() or ".." in name:
                continue
            if name.startswith(directory):
                target = into / name[len(directory) :]
            elif vendored := next((d for d in source.vendored if name.startswith(d + "/")), ""):
                target = into / VENDORED / vendored / name[len(vendored) + 1 :]
            else:
                continue
            data = archive.extractfile(info)
            assert data is not None
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.read())
    return (into / source.member.rsplit("/", 1)[1]).read_text(errors="replace")


def _relocations(text: str, compiler: str, work: Path, includes: tuple[str, ...]) -> str:
    source, obj = work / "reducer_probe.c", work / "reducer_probe.o"
    source.write_text(text)
    subprocess.run([compiler, *FLAGS, *includes, "-o", str(obj), str(source)], check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    readelf = f"llvm-readelf-{compiler.rsplit('-', 1)[1]}"
    return subprocess.run([readelf, "-r", str(obj)], capture_output=True, text=True,
                          timeout=120, check=True).stdout  # fmt: skip


def plant(
    text: str, work: Path, includes: tuple[str, ...], tries: int = 12
) -> tuple[str, str, str]:
    """(planted text, global, function): the first pair, from the middle of the file on,
    where clang-19 writes R_X86_64_32S and clang-22 does not (constant arrays first, then
    writable ones, then globals without an initializer)."""
    bodies = sorted(fast_function_bodies(text), key=lambda b: b.start)
    starts = [b.start for b in bodies]
    middle = len(text) // 2
    arrays = sorted(
        _ARRAY.finditer(text),
        key=lambda m: (m.group("const") is None, m.start() < middle, m.start()),
    )
    scalars = sorted(_SCALAR.finditer(text), key=lambda m: (m.start() < middle, m.start()))
    tried = 0
    for array in [*arrays, *scalars]:
        is_array = array.re is _ARRAY
        name = array.group("name")
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
        address = name if is_array else "&" + name
        probe = f" {{ const void *volatile reducer_probe = (const void *){address}; (void)reducer_probe; }}"
        # the attribute goes before an array's initializer, or before a scalar's ';'
        cut = text.rindex("=", array.start(), array.end() - 1) if is_array else array.start("end")
        planted = text[:cut] + f" {SECTION} " + text[cut:user.start] + probe + text[user.start:]
        try:
            affected = _relocations(planted, COMPILER, work, includes)
            fixed = _relocations(planted, FIXED, work, includes)
        except subprocess.CalledProcessError:
            continue
        if "R_X86_64_32S" in affected and "R_X86_64_32S" not in fixed:
            return planted, name, user.name
    raise SystemExit("no array/function pair shows the bug")


def preprocess(path: Path, includes: tuple[str, ...]) -> Path:
    out = path.with_suffix(".i")
    subprocess.run([COMPILER, "-E", "-P", *includes, "-o", str(out), str(path)], check=True,
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
    tenth_calls: int  # oracle calls when 90% of the bytes were gone (-1: never)
    tenth_used: int  # of them, those the sequential procedure read (-1: never)
    final: int
    rss_mb: float
    python_cpu: float
    compilers_cpu: float
    note: str


_PROGRESS = re.compile(r"pass (\S+)\s+size\s+(\d+) B\s+calls (\d+)")
_USED = re.compile(r"size\s+(\d+) B\s+calls \d+ used (\d+)")
_BIG_CUTS = frozenset({"slice", "comments", "conditionals", "focus"})


def write_script(path: Path, planted: Path, array: str, includes: tuple[str, ...]) -> Path:
    """The C-Vise-style interestingness test a user would write for the planted bug: it
    runs in the candidate's directory, where the candidate has the planted file's name."""
    script = path.with_name(path.name + ".interesting.sh")
    # The candidate is alone in its directory: the headers beside the original are found
    # through -iquote, as `reduce` adds for its own oracles.
    compile_argv = [COMPILER, *FLAGS, *includes, "-iquote", str(planted.parent),
                    "-fno-crash-diagnostics", "-o", "probe.o", path.name]  # fmt: skip
    script.write_text(
        "#!/bin/sh\n"
        f"# the planted bug in {planted.name}: {array} addressed with R_X86_64_32S\n"
        f"timeout 120 {shlex.join(compile_argv)} >/dev/null 2>&1 || exit 1\n"
        "llvm-readelf-19 -r probe.o > probe.relocs || exit 1\n"
        # against the symbol, or against the section for a static one
        f"grep -Eq 'R_X86_64_32S +[0-9a-f]+ +({array}|\\.kexec-purgatory) ' probe.relocs\n"
    )
    script.chmod(0o755)
    return script


def reduce_one(
    name: str, path: Path, jobs: int, timeout: float, includes: tuple[str, ...],
    script: Path | None = None,
) -> Row:
    text = path.read_text()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run([COMPILER, *FLAGS, *includes, "-o", f"{scratch}/x.o", str(path)],
                       check=True, capture_output=True, timeout=600)  # fmt: skip
    compile_seconds = time.monotonic() - started
    tag = ".script" if script else ""
    out = path.with_suffix(tag + ".reduced" + path.suffix)
    oracle = ["--oracle", f"script:{script}"] if script else [
        "--oracle", "r_x86_64_32s", "--good-cc", FIXED]
    argv = [str(REPO / ".venv/bin/python"), str(REPO / "bench/traced_reduce.py"), *oracle, "-j", str(jobs), "--json",
            "--timeout", "120", "-o", str(out), str(path), "--", COMPILER, *FLAGS, *includes]  # fmt: skip
    log_path = path.with_name(path.name + tag + ".log")
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
        kill_group(process.pid, signal.SIGKILL)  # stragglers left in its group, as run_limited
        sampler.done.set()
        sampler.join()
    wall = time.monotonic() - started
    # The first cut: the size when the first pass after the big cuts starts.
    first_cut, first_calls = len(text.encode()), 0
    progress = _PROGRESS.findall(log_path.read_text())
    for pass_name, size, calls in progress:
        if pass_name not in _BIG_CUTS:
            first_cut, first_calls = int(size), int(calls)
            break
    tenth_calls = next(
        (int(calls) for _, size, calls in progress if 10 * int(size) <= len(text.encode())), -1
    )
    tenth_used = next(
        (int(used) for size, used in _USED.findall(log_path.read_text())
         if 10 * int(size) <= len(text.encode())), -1,
    )  # fmt: skip
    try:
        summary = json.loads(stdout)
        calls, final = summary["oracle_calls"], summary["final_bytes"]
    except (json.JSONDecodeError, KeyError):
        calls, final = -1, out.stat().st_size if out.exists() else len(text.encode())
        note = note or f"exit {process.returncode}, see {log_path}"
    return Row(name, text.count("\n"), len(text.encode()), compile_seconds, wall, calls,
               first_cut, first_calls, tenth_calls, tenth_used, final, sampler.hwm_kb / 1024, sampler.cpu[0], sampler.cpu[1],
               note)  # fmt: skip


def creduce_one(name: str, path: Path, script: Path, jobs: int, timeout: float) -> Row:
    """C-Reduce on a copy of ``path`` with the same script (issue 26: side by side, the
    same oracle): in a directory of its own, its temporary files there too, stopped at
    ``timeout`` (its file then holds its best so far). Then the script re-checks its
    result."""
    text = path.read_text()
    workdir = path.with_name(path.name + ".creduce")
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "tmp").mkdir(parents=True)
    copy = workdir / path.name
    shutil.copyfile(path, copy)
    argv = ["creduce", "--n", str(jobs), "--timeout", "300", str(script), path.name]
    log_path = path.with_name(path.name + ".creduce.log")
    started = time.monotonic()
    note = ""
    with log_path.open("w") as log:
        process = subprocess.Popen(argv, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "TMPDIR": str(workdir / "tmp")},
                                   start_new_session=True)  # fmt: skip
        sampler = _Sampler(process.pid)
        sampler.start()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # As run_bench's runner stops the delta tools: the group, TERM, then KILL.
            kill_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                kill_group(process.pid, signal.SIGKILL)
                process.wait()
            note = f"stopped at {timeout:g}s"
        sampler.done.set()
        sampler.join()
    wall = time.monotonic() - started
    final = copy.stat().st_size
    with tempfile.TemporaryDirectory() as check:
        shutil.copyfile(copy, Path(check) / path.name)
        holds = subprocess.run([str(script)], cwd=check, capture_output=True, timeout=600)
    if holds.returncode != 0:
        note = (note + "; " if note else "") + "its result is NOT interesting"
    return Row(name, text.count("\n"), len(text.encode()), 0.0, wall, -1, final, -1, -1, -1,
               final, sampler.hwm_kb / 1024, sampler.cpu[0], sampler.cpu[1], note)  # fmt: skip


def table(rows: list[Row]) -> str:
    head = (
        "| input | lines | bytes | one compile | wall | calls | first cut (calls) "
        "| 90% gone at call (used) | final bytes "
        "| peak RSS (reduce) | CPU Python | CPU compilers | note |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
    )
    return head + "".join(
        f"| {r.name} | {r.lines} | {r.bytes} | {r.compile_seconds:.1f}s | {r.wall:.0f}s "
        f"| {r.calls} | {r.first_cut} B, {100 - 100 * r.first_cut / r.bytes:.1f}% gone "
        f"({r.first_calls}) | {r.tenth_calls if r.tenth_calls >= 0 else '-'} ({r.tenth_used}) "
        f"| {r.final} | {r.rss_mb:.0f} MB | {r.python_cpu:.0f}s | {r.compilers_cpu:.0f}s "
        f"| {r.note} |\n"
        for r in rows
    )


def planted_input(source: Source, work: Path) -> tuple[Path, str]:
    """The planted file (made once, kept in the work directory) and its array's name."""
    src = work / f"{source.name}-src"  # beside its headers
    planted_path = src / f"{source.name}.planted.c"
    array_path = src / f"{source.name}.array"
    if not (planted_path.is_file() and array_path.is_file()):
        text = fetch(source, work / "cache", src)
        planted, array, function = plant(text, src, source.flags(src))
        planted_path.write_text(planted)
        array_path.write_text(array)
        print(f"{source.name}: planted {array} in .kexec-purgatory, used from {function}",
              flush=True)  # fmt: skip
    return planted_path, array_path.read_text()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "realcode")
    parser.add_argument("--only", default="", help="comma-separated input names")
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--script", action="store_true",
                        help="also reduce each input with the C-Vise-style script as oracle")  # fmt: skip
    parser.add_argument("--script-only", action="store_true",
                        help="only with the C-Vise-style script as the oracle")  # fmt: skip
    parser.add_argument("--creduce", type=int, default=0, metavar="N",
                        help="also run C-Reduce (--n N) with the script on each script row's "
                        "input, stopped at --timeout (for its output size, side by side)")  # fmt: skip
    args = parser.parse_args(argv)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    rows = []
    for source in SOURCES:
        names = (source.name + ".c", source.name + ".i")
        if only and not only.intersection(names):
            continue
        planted_path, array = planted_input(source, work)
        flags = source.flags(planted_path.parent)
        preprocessed = planted_path.with_suffix(".i")
        if not preprocessed.is_file():
            preprocess(planted_path, flags)
        for name, path in zip(names, (planted_path, preprocessed), strict=True):
            if only and name not in only:
                continue
            scripts = [None, write_script(path, planted_path, array, flags)]
            chosen = scripts[1:] if args.script_only else scripts if args.script else scripts[:1]
            for script in chosen:
                row = reduce_one(name + (" (script)" if script else ""), path, args.jobs,
                                 args.timeout, flags, script)  # fmt: skip
                rows.append(row)
                print(table([row]).splitlines()[-1], flush=True)
                if script is not None and args.creduce:
                    row = creduce_one(name + " (C-Reduce, script)", path, script, args.creduce,
                                      args.timeout)  # fmt: skip
                    rows.append(row)
                    print(table([row]).splitlines()[-1], flush=True)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

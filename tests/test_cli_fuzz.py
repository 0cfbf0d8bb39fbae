"""The CLI fuzzed over its argument vector and the filesystem it meets (issue 25).

Each example builds a private directory whose named paths (the input, the output, the
script, the emit and build directories, the cases directory) are each one of: a regular
file (good C, junk, empty), missing, a directory, a FIFO, a character device (mknod), a
symlink to any of those or to itself or to our stdout, an unreadable or read-only file,
or a path on a full or a read-only tmpfs (mounted once for the module, as root). Then one
of reduce, emit, explain, matrix or batch runs in-process (cli.main) with an argument
vector drawn from valid and invalid words, and:

* no exception escapes main and no traceback is printed;
* the exit code is a documented one (reducer.errors.ExitCode);
* the input is byte-identical, special files are untouched, and nothing is created,
  changed or removed outside the output paths of the command line (lock files and
  temporary files included; a rescued result is the one thing allowed in $TMPDIR, and
  only where the error line says).

Hypothesis draws most words and states from what reaches deep into a run and the rest
from what should stop it (uniform draws stopped nearly every example at its first bad
word), and repeats itself: test_every_path_state_once therefore also runs each state of
the input and of -o once on an otherwise valid command line (a device as -o is too rare
a draw to be the output rule's only guard; removing the rule's S_ISREG check fails 4 of
those and, in three tries, no random run). Each example is killed after
EXAMPLE_SECONDS: a hang (a FIFO read) fails it instead of the CI job. $REDUCER_FUZZ_EXAMPLES
sets the number of examples (150), $REDUCER_FUZZ_RANDOM=1 draws new ones (by default the
same ones every run, so the floor on exit codes cannot flake).

The numbers (examples run, distinct exit codes, distinct exit paths) are printed in
pytest's terminal summary (tests/conftest.py) whether or not -s is given (and every exit
path with its count goes to the file $REDUCER_FUZZ_REPORT names, if set); the test
asserts a floor on the exit codes reached, so a change that makes most examples stop
at the same early error shows up as a failure, not as a quieter fuzzer.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import stat
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reducer.cli import main
from reducer.errors import ExitCode
from tests.conftest import LARGE_O0, REPRODUCER, mount_tmpfs, unmount

DOCUMENTED = {int(code) for code in ExitCode}
MAX_EXAMPLES = int(os.environ.get("REDUCER_FUZZ_EXAMPLES", "150"))
EXAMPLE_SECONDS = 120  # the slowest (emit with clang-19, lit included) take ~10 s
MIN_EXIT_CODES = 6  # 0, 2, 3, 4, 5, 6 at least (7-9 and 130/143 need faults we do not make)

STATES = [
    "c",  # a regular file with the reproducer (and the script's needle)
    "boring",  # valid C no oracle here finds interesting
    "junk",
    "empty",
    "missing",
    "directory",
    "fifo",
    "chardev",
    "link-c",
    "link-missing",
    "link-directory",
    "link-fifo",
    "link-chardev",
    "link-loop",
    "link-stdout",
    "unreadable",
    "read-only",
    "on-full-fs",
    "on-read-only-fs",
]

NEEDLE_C = REPRODUCER + "int needle;\n"
SCRIPT = "#!/bin/sh\ngrep -q needle *.c\n"
FAKE_CC = '#!/bin/sh\necho "$@: error: no, says the fake compiler" >&2\nexit 1\n'
CASE_TOML = (
    'oracle = "abs32"\nflags = ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", '
    '"-fno-pic", "-c"]\nreduce_with = "clang-19"\n'
)


@dataclass
class Stats:
    examples: int = 0
    codes: Counter[int] = field(default_factory=Counter)
    paths: Counter[str] = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)  # one line per example, for the report
    seconds: float = 0.0
    mounts: str = ""


STATS = Stats()


@dataclass(frozen=True)
class Mounts:
    full: Path | None  # a full tmpfs (ENOSPC on any write of data)
    read_only: Path | None  # a read-only tmpfs holding in.c and a directory


@pytest.fixture(scope="module")
def mounts(
    tmp_path_factory: pytest.TempPathFactory, terminal_summary: list[str]
) -> Iterator[Mounts]:
    base = tmp_path_factory.mktemp("fuzz-mounts")
    full, read_only = base / "full", base / "ro"
    full.mkdir()
    read_only.mkdir()
    have_full = mount_tmpfs(full, "size=8k,mode=0777")
    if have_full:
        with contextlib.suppress(OSError):  # fill it: every later write of data fails
            (full / ".filler").write_bytes(b"\0" * 65536)
    have_ro = mount_tmpfs(read_only, "size=64k")
    if have_ro:
        (read_only / "in.c").write_text(NEEDLE_C)
        (read_only / "dir").mkdir()
        have_ro = _remount_read_only(read_only)
    STATS.mounts = (
        f"full tmpfs {'mounted' if have_full else 'NOT MOUNTED'}, "
        f"read-only tmpfs {'mounted' if have_ro else 'NOT MOUNTED'}"
    )
    if not (have_full and have_ro):
        # The on-*-fs states then fall back to plain paths; say so where it is seen.
        terminal_summary.append(
            f"*** CLI fuzz: {STATS.mounts} (not root?): ENOSPC/EROFS not exercised ***"
        )
    try:
        yield Mounts(full if have_full else None, read_only if have_ro else None)
    finally:
        for path, mounted in ((full, have_full), (read_only, have_ro)):
            if mounted:
                unmount(path)


def _remount_read_only(path: Path) -> bool:
    import subprocess

    result = subprocess.run(
        ["mount", "-o", "remount,ro", str(path)], capture_output=True, timeout=30, check=False
    )
    return result.returncode == 0


def _make(path: Path, state: str, content: str, mounts: Mounts) -> Path:
    """Give ``path`` (in the example's directory) the state; returns the path to put on
    the command line (the on-*-fs states name a path on a mount instead)."""
    if state == "on-full-fs":
        return (mounts.full or path.parent) / path.name
    if state == "on-read-only-fs":
        if mounts.read_only is None:
            return path
        return mounts.read_only / ("in.c" if path.suffix == ".c" else "dir")
    aside = path.parent / f"aside-{path.name}"
    if state in ("c", "unreadable", "read-only"):
        path.write_text(content)
        if state == "unreadable":
            path.chmod(0)
        elif state == "read-only":
            path.chmod(0o444)
    elif state == "boring":
        path.write_text("int boring(void) { return 0; }\n")
    elif state == "junk":
        path.write_bytes(b"\xff\x00int\x80 a;\n")
    elif state == "empty":
        path.write_bytes(b"")
    elif state == "directory":
        path.mkdir()
    elif state == "fifo":
        os.mkfifo(path)
    elif state == "chardev":
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # /dev/full's numbers
    elif state.startswith("link-"):
        what = state.removeprefix("link-")
        if what == "loop":
            path.symlink_to(path.name)
        elif what == "stdout":
            path.symlink_to("/proc/self/fd/1")
        else:
            if what != "missing":
                _make(aside, "c" if what == "c" else what, content, mounts)
            path.symlink_to(aside.name)
    return path


# --- the filesystem before and after -----------------------------------------------------


def _snapshot(roots: list[Path]) -> dict[str, tuple[object, ...]]:
    """Every entry under ``roots``: type and mode, and the bytes' hash of regular files,
    the target of links, the device numbers of nodes (nothing is opened but files)."""
    seen: dict[str, tuple[object, ...]] = {}
    for root in roots:
        for directory, dirs, files in os.walk(root):
            for name in [*dirs, *files]:
                path = os.path.join(directory, name)
                info = os.lstat(path)
                if stat.S_ISREG(info.st_mode):
                    digest = hashlib.blake2b(Path(path).read_bytes()).hexdigest()
                    seen[path] = ("file", info.st_mode, digest)
                elif stat.S_ISLNK(info.st_mode):
                    seen[path] = ("link", os.readlink(path))
                elif stat.S_ISDIR(info.st_mode):
                    seen[path] = ("dir", info.st_mode)
                else:
                    seen[path] = ("node", info.st_mode, info.st_rdev, info.st_ino)
    return seen


def _within(path: str, allowed: set[str], trees: set[str]) -> bool:
    return path in allowed or any(path == t or path.startswith(t + "/") for t in trees)


# --- the command lines -------------------------------------------------------------------

TIMEOUTS = ["5", "0", "-1", "inf", "nan", "1e12", "abc", "86400"]
JOBS = ["1", "2", "0", "-3", "x"]
ORACLES = ["abs32", "r_x86_64_32s", "SCRIPT", "script:", "bogus", "crash:(", "symbol:a"]
COMPILERS = {
    "clang": ["clang-19", *LARGE_O0],
    "fake": ["./fake-cc", "-c"],
    "missing-path": ["/nonexistent/clang", "-c"],
    "not-executable": ["./plain-cc", "-c"],
    "directory": ["./a-dir", "-c"],
    "with-o": ["clang-19", "-c", "-o", "x.o"],
    "flags-only": ["--target=x86_64-linux-gnu", "-O0", "-mcmodel=large", "-fno-pic", "-c"],
    "none": [],
}


@dataclass(frozen=True)
class Example:
    command: str
    states: dict[str, str]
    words: list[tuple[str, ...]]
    compiler: str
    output_is_input: bool


def _mostly(common: list, rare: list) -> st.SearchStrategy:
    """Four draws in five from ``common`` (what reaches deep into a run), one from
    ``rare`` (what should stop it early): uniform draws over both stopped nearly every
    example at the first bad word, and the deep paths were never reached."""
    # (one_of over copies of one strategy is not weighted: equal branches are merged.)
    copies = -(-4 * len(rare) // len(common))
    return st.sampled_from([*common * copies, *rare])


TIMEOUT = _mostly(["5"], [t for t in TIMEOUTS if t != "5"])
ORACLE = _mostly(["abs32", "r_x86_64_32s", "SCRIPT"], ORACLES[3:])
NOISE = _mostly([()], [("--version",), ("--bogus-option",), ("-h",)])
GOOD = {
    "reduce": [
        ("--emit", "TESTS"),
        ("-p", "BUILD"),
        ("-C", "BUILD"),
        ("--keep-names",),
        ("--keep-flags",),
        ("--keep-flags",),
        ("--preprocess",),
        ("--skip-pass", "tokens"),
        ("--good-cc", "clang-22"),
        ("--json",),
        ("--no-parse-prefilter",),
    ],
    "emit": [("--name", "t"), ("--expect", "lock-in"), ("--fixed-cc", "clang-22")],
    "explain": [("--symbol", "a"), ("-p", "BUILD"), ("-C", "BUILD")],
    "matrix": [("-j", "1"), ("--cc", "./fake-cc")],
    "batch": [("-j", "1"), ("--case", "one"), ("--no-emit",), ("--no-emit",)],
}
BAD = {
    "reduce": [
        ("--kbuild-cmd", "OUT"),
        ("--skip-pass", "nope"),
        ("-X", "bad"),
        ("-j", "0"),
        ("-j", "x"),
    ],
    "emit": [("--llvm-project", "BUILD"), ("--expect", "nope"), ("--into", "x.ll")],
    "explain": [("--kbuild-cmd", "OUT")],
    "matrix": [("-j", "0"), ("--cc", "/nonexistent/cc"), ("--cc", "./plain-cc")],
    "batch": [("-j", "-3"), ("--case", "nope")],
}
FILE_STATES = _mostly(
    ["c", "c", "boring", "link-c", "read-only", "unreadable", "on-read-only-fs"],
    [s for s in STATES if s not in ("c", "boring", "link-c", "read-only", "unreadable")],
)
# The output is where the output rule is tested: a special file as often as not.
OUT_STATES = st.sampled_from(
    [
        *("missing", "c", "link-c", "link-missing", "read-only"),
        *("chardev", "fifo", "directory", "link-chardev", "link-fifo", "link-directory"),
        *("link-stdout", "link-loop", "on-full-fs", "on-read-only-fs"),
    ]
)
SCRIPT_STATES = _mostly(["c"], STATES)
DIR_STATES = _mostly(["missing", "directory"], STATES)
COMPILER = _mostly(["clang", "fake", "clang"], sorted(COMPILERS))
YES = _mostly([True], [False])


@st.composite
def examples(draw: st.DrawFn) -> Example:
    command = draw(st.sampled_from(["reduce", "reduce", "emit", "explain", "matrix", "batch"]))
    states = {
        "FILE": draw(FILE_STATES),
        "OUT": draw(OUT_STATES),
        "SCRIPT": draw(SCRIPT_STATES),
        "TESTS": draw(DIR_STATES),
        "BUILD": draw(st.sampled_from(STATES)),
        "CASES": draw(_mostly(["valid"], ["missing", "file", "empty", "broken"])),
    }
    words: list[tuple[str, ...]] = [("--timeout", draw(TIMEOUT))]
    if command != "batch" and draw(YES):  # a missing --oracle now and then
        words.append(("--oracle", draw(ORACLE)))
    if command == "reduce":
        words += [("-q",), ("-j", "2")]
        if draw(YES):
            words.append(("-o", "OUT"))
    if command in ("emit", "batch") and draw(YES):
        words.append(("--out", "TESTS"))
    words += draw(st.lists(_mostly(GOOD[command], BAD[command]), max_size=2))
    words.append(draw(NOISE))
    words = draw(st.permutations([w for w in words if w]))
    compiler = "flags-only" if command == "matrix" and draw(st.booleans()) else draw(COMPILER)
    return Example(command, states, words, compiler, not draw(YES))


def _argv(example: Example, paths: dict[str, Path]) -> list[str]:
    names = {slot: str(path) for slot, path in paths.items()}
    if example.output_is_input:
        names["OUT"] = names["FILE"]
    script = f"script:{names['SCRIPT']}"
    argv: list[str] = [] if example.command == "reduce" else [example.command]
    argv.append(names["CASES"] if example.command == "batch" else names["FILE"])
    for words in example.words:
        argv += [script if w == "SCRIPT" else names.get(w, w) for w in words]
    if example.command == "batch":
        return argv
    return [*argv, "--", *COMPILERS[example.compiler]]


def _outputs(example: Example, argv: list[str], paths: dict[str, Path]) -> tuple[set, set]:
    """(files, directory trees) the command line allows to change."""

    def value(option: str) -> str | None:
        own = argv[: argv.index("--")] if "--" in argv else argv
        return own[own.index(option) + 1] if option in own[:-1] else None

    files: set[str] = set()
    trees: set[str] = set()
    if example.command == "reduce":
        given = value("-o") or value("--output")
        file = paths["FILE"]
        out = Path(given) if given else file.with_name(f"{file.stem}.reduced{file.suffix}")
        for path in (out, out.with_suffix(".cmd"), out.with_name(out.name + ".cmd")):
            files |= {str(path), os.path.realpath(path)}
        for lock in {out.parent / f".{out.name}.lock"}:
            files.add(str(lock))  # must be gone again, checked apart
    for option in ("--emit", "--out", "--llvm-project"):
        where = value(option)
        if where:
            trees |= {where, os.path.realpath(where)}
    protected = {str(paths["FILE"]), os.path.realpath(paths["FILE"])}
    return files - protected, trees - protected


def _exit_path(command: str, code: int, err: str) -> str:
    """The kind of exit: command, code and the error line with names and numbers out."""
    line = next((x for x in err.splitlines() if x.startswith("reduce: error:")), "")
    line = re.sub(r"(/|\./)\S*|'[^']*'|\d+", "_", line)[:70]
    return f"{command} {code} {line}"


@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    # The same examples every run (a floor on exit codes must not flake); a person
    # exploring sets $REDUCER_FUZZ_RANDOM for new ones.
    derandomize=not os.environ.get("REDUCER_FUZZ_RANDOM"),
    suppress_health_check=list(HealthCheck),
)
@given(example=examples())
def _fuzz_one(example: Example, mounts: Mounts, base: Path) -> None:
    _check(example, mounts, base, STATS)


def _check(example: Example, mounts: Mounts, base: Path, stats: Stats | None = None) -> None:
    """Run one example and assert the rules of the module docstring; count it in
    ``stats``."""
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(dir=base / "work"))
    tmpdir = base / "tmp"
    paths: dict[str, Path] = {}
    for slot, name in (
        ("FILE", "in.c"),
        ("OUT", "out.c"),
        ("SCRIPT", "t.sh"),
        ("TESTS", "tests"),
        ("BUILD", "build"),
    ):
        content = SCRIPT if slot == "SCRIPT" else NEEDLE_C
        paths[slot] = _make(root / name, example.states[slot], content, mounts)
    if example.states["SCRIPT"] in ("c", "link-c"):
        (root / "aside-t.sh" if example.states["SCRIPT"] == "link-c" else root / "t.sh").chmod(
            0o755
        )
    _make_cases(root / "cases", example.states["CASES"])
    paths["CASES"] = root / "cases"
    (root / "fake-cc").write_text(FAKE_CC)
    (root / "fake-cc").chmod(0o755)
    (root / "plain-cc").write_text(FAKE_CC)
    (root / "a-dir").mkdir()
    argv = _argv(example, paths)
    watched = [root, *(p for p in (mounts.full, mounts.read_only) if p)]
    before = _snapshot(watched)
    input_bytes = _bytes(paths["FILE"])

    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(root)
    # A hang (a FIFO read, a lock waited for) must fail the example, not the CI job.
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(EXAMPLE_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(cwd)
    error = err.getvalue()
    shown = f"argv: {argv}\nstates: {example.states}\nexit {code}\nstderr:\n{error}"
    assert "Traceback" not in error and "Traceback" not in out.getvalue(), shown
    assert code in DOCUMENTED, shown
    assert _bytes(paths["FILE"]) == input_bytes, shown

    files, trees = _outputs(example, argv, paths)
    after = _snapshot(watched)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    stray = sorted(p for p in changed if not _within(p, files, trees))
    assert not stray, f"changed outside the outputs: {stray}\n{shown}"
    # Not even an output path may turn a node, a directory or a symlink into a file.
    replaced = sorted(
        p
        for p, was in before.items()
        if (was[0] != "file" and (after.get(p) or ("gone",))[0] != was[0])
        or (was[0] in ("node", "link") and after.get(p) != was)
    )
    assert not replaced, f"special files replaced: {replaced}\n{shown}"
    locks = [p for p in after if p.endswith(".lock") and p not in before]
    assert not locks, f"lock files left: {locks}\n{shown}"
    # $TMPDIR: nothing left but a rescued result, and only one the message names.
    for left in tmpdir.iterdir():
        assert left.name.startswith("reducer-rescue-") and str(left) in error, (
            f"left in $TMPDIR: {left}\n{shown}"
        )
        shutil.rmtree(left)
    _remove(root)

    if stats is not None:
        stats.examples += 1
        stats.log.append(f"{code} {example.command} {example.states} {argv}")
        stats.codes[code] += 1
        stats.paths[_exit_path(example.command, code, error)] += 1
        stats.seconds += time.monotonic() - started


class Hung(Exception):
    pass


def _hung(signum: int, frame: object) -> None:
    raise Hung(f"the example ran for more than {EXAMPLE_SECONDS}s")


def _make_cases(path: Path, state: str) -> None:
    if state == "missing":
        return
    if state == "file":
        path.write_text("not a directory\n")
        return
    path.mkdir()
    if state == "empty":
        return
    case = path / "one"
    case.mkdir()
    if state == "broken":
        (case / "case.toml").write_bytes(b"oracle = \xff\n")
        return
    (case / "case.toml").write_text(CASE_TOML)
    os.mkfifo(case / "input.c")  # the case's reduction must refuse it, not hang


def _bytes(path: Path) -> bytes | None:
    """The input's bytes when it is a readable regular file (what must not change)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None


def _remove(root: Path) -> None:
    for directory, dirs, _files in os.walk(root):
        for name in dirs:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(directory, name), 0o755)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where examples make their directories (work/) and the private $TMPDIR (tmp/):
    private copies, rescued results and batch's children go there, where the checks
    see what is left behind."""
    (tmp_path / "work").mkdir()
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.delenv("COLUMNS", raising=False)
    return tmp_path


VALID = {"FILE": "c", "OUT": "missing", "SCRIPT": "c", "TESTS": "missing", "BUILD": "directory"}
GRID = [
    *[("reduce", "OUT", state) for state in STATES],
    *[
        (command, "FILE", state)
        for command in ("reduce", "explain", "matrix", "emit")
        for state in STATES
    ],
    *[("batch", "CASES", state) for state in ("missing", "file", "empty", "broken", "valid")],
]


@pytest.mark.parametrize(("command", "slot", "state"), GRID)
def test_every_path_state_once(
    command: str, slot: str, state: str, mounts: Mounts, base: Path
) -> None:
    """Each state of the input and the output, and each cases directory, on an otherwise
    valid command line: the random search below reaches the rare ones (a device as
    -o) too seldom to be the only guard of the output rule."""
    states = {**VALID, "CASES": "missing", slot: state}
    words: list[tuple[str, ...]] = [("--timeout", "5")]
    if command == "reduce":
        words += [("--oracle", "SCRIPT"), ("-q",), ("-j", "2"), ("-o", "OUT")]
    elif command == "emit":
        words += [("--oracle", "abs32"), ("--out", "TESTS")]
    elif command == "batch":
        words += [("--out", "TESTS"), ("--no-emit",)]
    else:
        words += [("--oracle", "abs32")]
    compiler = {"reduce": "none", "matrix": "flags-only"}.get(command, "fake")
    _check(Example(command, states, words, compiler, False), mounts, base)


def test_the_cli_never_tracebacks_nor_writes_outside_its_outputs(
    mounts: Mounts, base: Path, terminal_summary: list[str]
) -> None:
    _fuzz_one(mounts=mounts, base=base)
    codes = ", ".join(f"{c}: {n}" for c, n in sorted(STATS.codes.items()))
    terminal_summary.append(
        f"CLI fuzz: {STATS.examples} examples in {STATS.seconds:.1f}s, "
        f"{len(STATS.codes)} distinct exit codes ({codes}), "
        f"{len(STATS.paths)} distinct exit paths; {STATS.mounts}"
    )
    report = os.environ.get("REDUCER_FUZZ_REPORT")
    if report:  # every exit path and how often, for a person tuning the strategies
        lines = [f"{n:4d}  {path}" for path, n in sorted(STATS.paths.items())]
        lines += ["", "examples (exit code, command, states, argv):", *STATS.log]
        Path(report).write_text("\n".join(lines) + "\n")
    assert STATS.examples >= min(MAX_EXAMPLES, 100)
    assert len(STATS.codes) >= MIN_EXIT_CODES, STATS.codes

"""Issue 25's smaller findings, each through the CLI: numbers refused up front, --version,
the .cmd line of a '-' file, and the one-line messages for compilers, scripts and build
trees that are not what they seem."""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
from importlib import metadata
from pathlib import Path

import pytest

from reducer.cli import main
from reducer.errors import ExitCode
from reducer.version import CHECKOUT, version_line
from tests.conftest import LARGE_O0, REPRODUCER, SCRIPT_CASE_SOURCE, write_script_case

SOURCE = SCRIPT_CASE_SOURCE


@pytest.fixture
def case(tmp_path: Path) -> Path:
    source = write_script_case(tmp_path)
    fake = tmp_path / "cc"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    (tmp_path / "cases").mkdir()
    return source


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _argv(command: str, case: Path, option: str, value: str) -> list[str]:
    """A whole, otherwise valid command line of ``command`` with ``option value``."""
    where = case.parent
    compiler = ["--", str(where / "cc"), "-c"]
    if command == "reduce":
        script = f"script:{where / 't.sh'}"
        return ["-q", "--oracle", script, option, value, "-o", str(where / "o.c"), str(case)]
    if command in ("explain", "matrix"):
        return [command, option, value, str(case), *compiler]
    if command == "emit":
        out = str(where / "tests")
        return ["emit", "--oracle", "abs32", option, value, "--out", out, str(case), *compiler]
    return ["batch", str(where / "cases"), "--out", str(where / "b"), option, value]


BAD_TIMEOUTS = ["inf", "-inf", "nan", "1e12", "0", "-5", "0.0", "abc", ""]


@pytest.mark.parametrize("command", ["reduce", "explain", "matrix", "emit", "batch"])
@pytest.mark.parametrize("value", BAD_TIMEOUTS)
def test_bad_timeouts_are_usage_errors_up_front(
    case: Path, command: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_argv(command, case, "--timeout", value)) == ExitCode.USAGE
    line = _one_line(capsys.readouterr().err)
    assert "--timeout" in line and "error" in line
    assert not (case.parent / "o.c").exists() and not (case.parent / "tests").exists()


@pytest.mark.parametrize("command", ["reduce", "matrix", "batch"])
@pytest.mark.parametrize("value", ["0", "-3", "x", "1.5"])
def test_bad_job_counts_are_usage_errors_up_front(
    case: Path, command: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_argv(command, case, "-j", value)) == ExitCode.USAGE
    assert "-j" in _one_line(capsys.readouterr().err)


def test_a_long_timeout_within_the_limit_is_taken(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*_argv("reduce", case, "--timeout", "86400"), "--json"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["final_bytes"] > 0


@pytest.mark.compilers
def test_the_cmd_line_of_a_dash_file_compiles_it(
    tmp_path: Path, clang19: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `-weird.reduced.c` after the flags is an option to clang; `./-weird.reduced.c` is a file.
    monkeypatch.chdir(tmp_path)
    Path("-weird.c").write_text("int unused;\n" + REPRODUCER)
    argv = ["-q", "--oracle", "r_x86_64_32s", "./-weird.c", "--", clang19, *LARGE_O0, "-w"]
    assert main(argv) == ExitCode.OK
    words = shlex.split(Path("-weird.reduced.cmd").read_text())
    assert words[-1] == "./-weird.reduced.c"
    compiled = subprocess.run(words, capture_output=True, text=True, timeout=60, check=False)
    assert compiled.returncode == 0, compiled.stderr
    assert Path("-weird.reduced.o").is_file()


def test_version_names_the_package_version_and_the_commit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    head = subprocess.run(
        ["git", "-C", str(CHECKOUT), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.strip()
    for argv in (["--version"], ["emit", "--version"], ["--oracle", "abs32", "--version"]):
        assert main(argv) == ExitCode.OK
        out, err = capsys.readouterr()
        assert err == ""
        match = re.fullmatch(r"reduce (\S+) \(git ([0-9a-f]{12})\)\n", out)
        assert match, out
        assert match.group(1) == metadata.version("reducer") and head.startswith(match.group(2))


def test_version_outside_a_checkout_is_just_the_version(tmp_path: Path) -> None:
    assert version_line(tmp_path) == f"reduce {metadata.version('reducer')}"


# --- item 8: what is wrong, said as it is ----------------------------------------------


def test_a_database_entry_without_directory_is_named(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = case.parent / "compile_commands.json"
    for file in ("in.c", str(case)):
        database.write_text(json.dumps([{"file": file, "command": "clang-19 -c in.c"}]))
        argv = ["-q", "--oracle", "abs32", "-p", str(case.parent), str(case)]
        assert main(argv) == ExitCode.USAGE
        line = _one_line(capsys.readouterr().err)
        assert 'has no "directory"' in line and "no entry" not in line


@pytest.mark.parametrize(
    ("compiler", "expected"),
    [
        ("/nonexistent/clang", "not found: /nonexistent/clang (no such file)"),
        ("./cc-plain", "is not executable"),
        ("./cc-dir", "is a directory"),
        ("no-such-clang-99", "'no-such-clang-99' is not on PATH"),
    ],
)
@pytest.mark.parametrize("command", ["reduce", "explain", "matrix"])
def test_a_compiler_that_cannot_run_says_why(
    case: Path,
    compiler: str,
    expected: str,
    command: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(case.parent)
    Path("cc-plain").write_text("#!/bin/sh\nexit 0\n")  # no x bit
    Path("cc-dir").mkdir()
    words = {
        "reduce": ["-q", "--oracle", "abs32", "-o", "o.c"],
        "explain": ["explain"],
        "matrix": ["matrix", "--cc", compiler],
    }[command]
    assert main([*words, str(case), "--", compiler, "-c"]) == ExitCode.COMPILER
    line = _one_line(capsys.readouterr().err)
    assert expected in line, line
    assert ("not on PATH" in line) == ("/" not in compiler)


@pytest.mark.parametrize(
    ("make", "expected"),
    [("dir", "is a directory"), ("fifo", "is a FIFO"), ("missing", "not found")],
)
def test_a_script_oracle_that_is_not_a_script_says_why(
    case: Path, make: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    script = case.parent / "script"
    if make == "dir":
        script.mkdir()
    elif make == "fifo":
        os.mkfifo(script)
    assert main(["-q", "--oracle", f"script:{script}", str(case)]) == ExitCode.USAGE
    assert expected in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("kind", ["fifo", "chardev"])
def test_an_input_that_is_not_a_regular_file_is_refused_at_once(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # A FIFO used to block reduce forever in read(); /dev/zero would fill the memory.
    source = tmp_path / "in.c"
    if kind == "fifo":
        os.mkfifo(source)
    else:
        os.mknod(source, stat.S_IFCHR | 0o666, os.makedev(1, 5))  # /dev/zero
    for command in ([], ["explain"], ["matrix"]):
        assert main([*command, "--oracle", "abs32", str(source), "--", "cc"]) == ExitCode.INPUT
        assert "not a regular file" in _one_line(capsys.readouterr().err)


@pytest.mark.compilers
@pytest.mark.parametrize("command", ["reduce", "explain", "emit", "matrix"])
def test_compile_errors_name_the_users_file(
    tmp_path: Path,
    clang19: str,
    command: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not the private copy's /tmp/reducer-*/w0/bad.c, which the user cannot open.
    monkeypatch.chdir(tmp_path)
    Path("bad.c").write_text("int x = ;\n")
    words = {
        "reduce": ["-q", "--oracle", "abs32"],
        "explain": ["explain"],
        "emit": ["emit", "--oracle", "abs32", "--out", "tests"],
        "matrix": ["matrix", "--cc", clang19],
    }[command]
    flags = ["-c"] if command == "matrix" else [clang19, "-c"]
    code = main([*words, "bad.c", "--", *flags])
    out, err = capsys.readouterr()
    said = err if command != "matrix" else out
    assert "bad.c:1:9: error: expected expression" in said
    assert "/bad.c" not in said, said
    # matrix tabulates (exit 0 whatever the verdicts); the others refuse the file.
    assert (code == ExitCode.OK) == (command == "matrix")


# --- found by tests/test_cli_fuzz.py -------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (b"oracle = \xff\n", "invalid start byte"),  # not UTF-8: was a UnicodeDecodeError
        (b'flags = ["-c"]\n', "oracle is missing"),  # was a KeyError traceback
        (b'oracle = 3\nreduce_with = "clang-19"\n', "oracle must be a string"),
        (b'oracle = "abs32"\nreduce_with = "cc"\nflags = "-c"\n', "flags must be a list"),
    ],
)
def test_a_broken_case_toml_is_one_line(
    tmp_path: Path, toml: bytes, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cases" / "one").mkdir(parents=True)
    (tmp_path / "cases" / "one" / "case.toml").write_bytes(toml)
    argv = ["batch", str(tmp_path / "cases"), "--out", str(tmp_path / "out")]
    assert main(argv) == ExitCode.INPUT
    assert expected in _one_line(capsys.readouterr().err)


def test_batch_out_that_is_a_file_is_refused_before_any_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cases" / "one").mkdir(parents=True)
    (tmp_path / "cases" / "one" / "case.toml").write_text('oracle = "abs32"\nreduce_with = "cc"\n')
    (tmp_path / "out").write_text("a file\n")
    argv = ["batch", str(tmp_path / "cases"), "--out", str(tmp_path / "out")]
    assert main(argv) == ExitCode.OUTPUT  # was a FileExistsError traceback from mkdir
    assert "cannot write to directory" in _one_line(capsys.readouterr().err)
    assert (tmp_path / "out").read_text() == "a file\n"


def test_a_kbuild_cmd_that_is_a_fifo_is_refused_not_read(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = case.parent / ".in.o.cmd"
    os.mkfifo(fifo)  # reading it would wait for a writer for ever
    argv = ["-q", "--oracle", "abs32", "--kbuild-cmd", str(fifo), str(case)]
    assert main(argv) == ExitCode.USAGE
    assert "not a regular file" in _one_line(capsys.readouterr().err)


def test_batch_exit_codes_are_documented() -> None:
    # batch's "some case failed" was a bare 1, outside the documented set.
    assert ExitCode(1) is ExitCode.CASES_FAILED

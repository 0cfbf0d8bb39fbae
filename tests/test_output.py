"""The output rule (reducer.output): what may be written, with which mode, what a full
disk or a second run does, through the module and through the CLI."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from reducer import output
from reducer.cli import main
from reducer.errors import ExitCode, OutputError
from tests.conftest import (
    LARGE_O0,
    REPRODUCER,
    SCRIPT_CASE_SOURCE,
    disk_full,
    read_only_fs,
    write_script_case,
)

SOURCE = SCRIPT_CASE_SOURCE


@pytest.fixture
def umask() -> Iterator[None]:
    """Each test sets the umask it means; the process's own comes back afterwards."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / kind
    if kind == "chardev":
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # what /dev/full is
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()
    elif kind == "directory":
        path.mkdir()
    return path


SPECIAL = ["chardev", "fifo", "socket", "directory"]


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("through_link", [False, True])
def test_special_files_are_never_written(tmp_path: Path, kind: str, through_link: bool) -> None:
    node = _special(tmp_path, kind)
    before = os.lstat(node)
    path = node
    if through_link:
        path = tmp_path / "link"
        path.symlink_to(node)
    with pytest.raises(OutputError, match="not a regular file") as raised:
        output.write_file(path, "x\n")
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)
    after = os.lstat(node)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (
        before.st_mode,
        before.st_ino,
        before.st_rdev,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({node.name, path.name})


def test_a_link_to_the_pipe_we_write_to_is_refused(tmp_path: Path) -> None:
    # /proc/self/fd/N names no file realpath could follow; stat sees the pipe behind it.
    read_end, write_end = os.pipe()
    try:
        link = tmp_path / "out.c"
        link.symlink_to(f"/proc/self/fd/{write_end}")
        with pytest.raises(OutputError, match="a FIFO"):
            output.write_file(link, "x\n")
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_link_to_a_regular_file_writes_the_file(tmp_path: Path) -> None:
    real = tmp_path / "real.c"
    real.write_text("old\n")
    link = tmp_path / "link.c"
    link.symlink_to(real)
    output.write_file(link, "new\n")
    assert link.is_symlink() and real.read_text() == "new\n"
    dangling = tmp_path / "dangling.c"
    dangling.symlink_to(tmp_path / "later.c")
    output.write_file(dangling, "made\n")
    assert dangling.is_symlink() and (tmp_path / "later.c").read_text() == "made\n"


def test_the_input_is_never_written_under_any_name(tmp_path: Path) -> None:
    source = tmp_path / "in.c"
    source.write_text(SOURCE)
    hard = tmp_path / "hard.c"
    os.link(source, hard)
    soft = tmp_path / "soft.c"
    soft.symlink_to(source)
    for name in (source, hard, soft):
        with pytest.raises(OutputError, match="input file"):
            output.write_file(name, "x\n", protect=[source])
    assert source.read_text() == SOURCE


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077, 0o002])
def test_new_files_follow_the_umask(tmp_path: Path, umask: None, mask: int) -> None:
    os.umask(mask)
    first, second = tmp_path / "a.c", tmp_path / "b.c"
    output.write_files({first: "a\n", second: "b\n"})
    for path in (first, second):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask: None) -> None:
    path = tmp_path / "out.c"
    path.write_text("old\n")
    path.chmod(0o640)
    os.umask(0o077)
    output.write_file(path, "new\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and path.read_text() == "new\n"


def test_disk_full_is_one_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full = tmp_path / "full"
    with disk_full(full, monkeypatch):
        target = full / "out.c"
        with pytest.raises(OutputError) as raised:
            output.write_file(target, "int x;\n" * 4096)
        message = str(raised.value)
        assert message.startswith(f"cannot write {target}: ") and "No space left" in message
        assert "\n" not in message
        assert sorted(p.name for p in full.iterdir()) == [".filler"]  # no temp file left


def test_read_only_filesystem_is_one_output_error(tmp_path: Path) -> None:
    with read_only_fs(tmp_path / "ro") as mounted:
        if not mounted:
            pytest.fail("cannot mount a read-only tmpfs: this test needs root")
        with pytest.raises(OutputError, match="Read-only file system"):
            output.write_file(tmp_path / "ro" / "out.c", "x\n")


def test_several_files_are_written_all_or_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.ll"
    good.write_text("old\n")
    fifo = _special(tmp_path, "fifo")
    with pytest.raises(OutputError):
        output.write_files({good: "new\n", fifo: "x\n"})
    with pytest.raises(OutputError):
        output.write_files({good: "new\n", tmp_path / "missing" / "t.ll": "x\n"})
    assert good.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "good.ll"]


def test_the_lock_refuses_a_second_writer_and_goes_away(tmp_path: Path) -> None:
    target = tmp_path / "out.c"
    lock = tmp_path / ".out.c.lock"
    with output.output_lock(target):
        assert lock.is_file()
        with pytest.raises(OutputError, match="another run is writing"):  # noqa: SIM117
            with output.output_lock(target):
                pass
    assert not lock.exists()
    lock.write_text("")  # left by a run that was killed: not locked, so taken
    with output.output_lock(target):
        pass
    assert not lock.exists()


# --- through the CLI (a script oracle: no compiler needed, a run takes ~0.3 s) ---------


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """An input reduce can shrink with a script oracle, and that script."""
    source = write_script_case(tmp_path)
    return source


def _reduce(source: Path, *argv: str) -> int:
    script = source.parent / "t.sh"
    return main(["-q", "-j1", "--oracle", f"script:{script}", *argv, str(source)])


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("reduce: error: ") and "Traceback" not in err
    return lines[0]


def test_cli_refuses_a_device_node_as_output(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    node = _special(case.parent, "chardev")
    assert _reduce(case, "-o", str(node)) == ExitCode.OUTPUT
    assert "a character device" in _one_error_line(capsys.readouterr().err)
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert not (case.parent / "chardev.cmd").exists()
    assert case.read_text() == SOURCE


def test_cli_refuses_a_link_to_stdout(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = case.parent / "out.c"
    link.symlink_to("/proc/self/fd/1")
    assert _reduce(case, "-o", str(link)) == ExitCode.OUTPUT
    _one_error_line(capsys.readouterr().err)
    assert link.is_symlink()


def test_cli_disk_full_is_exit_6_and_names_the_kept_copy(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    full = case.parent / "full"
    with disk_full(full, monkeypatch):
        target = full / "out.c"
        assert _reduce(case, "-o", str(target)) == ExitCode.OUTPUT
        line = _one_error_line(capsys.readouterr().err)
        assert f"cannot write {target}" in line
        kept = Path(line.rsplit(" is kept in ", 1)[1])
        assert "needle" in kept.read_text()
        shutil.rmtree(kept.parent)
        assert sorted(p.name for p in full.iterdir()) == [".filler"]
    assert case.read_text() == SOURCE


def test_cli_result_follows_the_umask(case: Path, umask: None) -> None:
    os.umask(0o022)
    assert _reduce(case) == ExitCode.OK
    result = case.parent / "in.reduced.c"
    assert stat.S_IMODE(result.stat().st_mode) == 0o644
    assert "needle" in result.read_text()


def test_cli_second_writer_of_one_output_is_refused(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = case.parent / "out.c"
    with output.output_lock(target):  # as another run holding it would
        assert _reduce(case, "-o", str(target)) == ExitCode.OUTPUT
    assert "another run is writing" in _one_error_line(capsys.readouterr().err)
    assert not target.exists()
    assert _reduce(case, "-o", str(target)) == ExitCode.OK  # free again
    assert not (case.parent / ".out.c.lock").exists()


@pytest.mark.compilers
def test_emit_into_the_inputs_directory_never_overwrites_the_input(
    tmp_path: Path, clang19: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The tests are named after FILE (in.c, in.ll): with --emit in FILE's own directory
    # the .c test used to replace the user's input after the reduction.
    source = tmp_path / "in.c"
    source.write_text(REPRODUCER)
    argv = ["-q", "--oracle", "r_x86_64_32s", "--emit", str(tmp_path), str(source)]
    assert main([*argv, "--", clang19, *LARGE_O0]) == ExitCode.OUTPUT
    assert "input file" in _one_error_line(capsys.readouterr().err)
    assert source.read_text() == REPRODUCER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.c"]  # refused before any work


@pytest.mark.parametrize("call", ["write", "fsync", "close", "replace"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO])
def test_every_disk_error_at_every_step_is_one_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str, code: int
) -> None:
    # Only the real tmpfs (above) shows where the kernel reports; this shows that
    # wherever it does, the error is one line naming the path and leaves nothing behind.
    target = tmp_path / "out.c"
    target.write_text("old\n")
    real = getattr(os, call)
    ours = str(tmp_path) + "/"

    def ours_fd(fd: int) -> bool:
        try:
            return os.readlink(f"/proc/self/fd/{fd}").startswith(ours)
        except OSError:
            return False

    def failing(*args: object) -> object:
        first = args[0]
        if (isinstance(first, int) and ours_fd(first)) or str(first).startswith(ours):
            if call == "close":
                real(*args)  # the descriptor goes; the error is what close reported
            raise OSError(code, os.strerror(code))
        return real(*args)

    monkeypatch.setattr(os, call, failing)
    with pytest.raises(OutputError) as raised:
        output.write_file(target, "new\n")
    monkeypatch.undo()
    assert str(raised.value) == f"cannot write {target}: {os.strerror(code)}"
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.c"]

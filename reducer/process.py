"""Running external programs: never through a shell, always with a timeout, and on timeout
the whole process group is killed (compilers fork cc1, scripts fork compilers)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from reducer.errors import CompilerError


@dataclass(frozen=True)
class ProcessResult:
    argv: tuple[str, ...]
    returncode: int | None  # None when the run was killed for taking too long
    stdout: bytes
    stderr: bytes
    elapsed: float

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    def stderr_tail(self, lines: int = 8) -> str:
        """The last lines of stderr on one line (" | " between them): error messages here
        are one line each."""
        text = self.stderr.decode("utf-8", errors="replace").rstrip()
        return " | ".join(text.splitlines()[-lines:])


_PR_SET_CHILD_SUBREAPER = 36
_subreaper_tried = False


def _become_subreaper() -> None:
    """Ask Linux to hand us orphaned descendants (a compiler's killed children) instead of
    PID 1, so we can reap them: in containers PID 1 often reaps nothing and they would
    stay zombies."""
    global _subreaper_tried
    if _subreaper_tried:
        return
    _subreaper_tried = True
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_group(pgid: int) -> None:
    """Collect exited members of the group that were handed to us; never blocks, and
    never touches processes of other groups (other threads' compilers)."""
    while True:
        try:
            pid, _ = os.waitpid(-pgid, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    _reap_group(proc.pid)


def run_program(
    argv: list[str] | tuple[str, ...],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
) -> ProcessResult:
    """Run ``argv`` in a new session so that a timeout can kill it and all its children.

    Raises FileNotFoundError / PermissionError when the program cannot be started at all;
    callers turn that into a user-facing error.
    """
    _become_subreaper()
    started = time.monotonic()
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=env,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(input=stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        # Killed descendants are reparented to us a moment after they die; collect them.
        deadline = time.monotonic() + 1.0
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
            _reap_group(proc.pid)
        return ProcessResult(tuple(argv), None, out, err, time.monotonic() - started)
    except BaseException:
        # KeyboardInterrupt and friends: leave no orphaned compiler behind.
        _kill_group(proc)
        proc.wait()
        raise
    # The leader may have exited while children linger (a script that backgrounds a
    # compiler); they must not outlive the oracle call.
    _kill_group(proc)
    return ProcessResult(tuple(argv), proc.returncode, out, err, time.monotonic() - started)


def run_for_output(
    argv: list[str], output: Path, what: str, *, timeout: float, cwd: Path | None = None
) -> str:
    """Run a tool that must write `output` and return that file's text; a tool that cannot
    start, times out, fails or writes nothing becomes a one-line CompilerError naming `what`."""
    try:
        result = run_program(argv, timeout=timeout, cwd=cwd)
    except OSError as exc:
        raise CompilerError(f"cannot run {argv[0]}: {exc.strerror or exc}") from exc
    if result.timed_out:
        raise CompilerError(f"{what} timed out after {timeout:g}s")
    if result.returncode != 0 or not output.is_file():
        raise CompilerError(f"{what} failed (exit {result.returncode}): {result.stderr_tail(4)}")
    return output.read_text(encoding="utf-8", errors="replace")

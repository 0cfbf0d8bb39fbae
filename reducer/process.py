"""Running external programs: never through a shell, always with a timeout, and on timeout
the whole process group is killed (compilers fork cc1, scripts fork compilers)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reducer.errors import CompilerError


class Cancelled(Exception):
    """The call this program ran for was cancelled: its process group has been killed.

    Raised only inside ``cancellable``; the executor that set it up drops the call.
    """


class CancelScope:
    """One oracle call's cancellation. ``cancel()`` (from any thread) kills the program
    the call is running, process group and all, at once, and keeps it from starting
    another: the engine cancels calls on texts it has left behind, and a compile that
    holds a worker for seconds must not run to its end."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._running: int | None = None  # the process group of the program running now

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            group = self._running
        if group is not None:
            # Only the kill here; the thread running the program reaps it, as after a
            # timeout.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)

    def _started(self, group: int) -> bool:
        """Register a running program; False if the call was cancelled meanwhile."""
        with self._lock:
            if self._cancelled:
                return False
            self._running = group
            return True

    def _ended(self) -> None:
        with self._lock:
            self._running = None


_cancel_state = threading.local()


@contextlib.contextmanager
def cancellable(scope: CancelScope) -> Iterator[None]:
    """Programs this thread runs meanwhile belong to `scope`: once it is cancelled,
    ``run_program`` kills them and raises ``Cancelled``."""
    previous = getattr(_cancel_state, "scope", None)
    _cancel_state.scope = scope
    try:
        yield
    finally:
        _cancel_state.scope = previous


def _cancel_scope() -> CancelScope | None:
    return getattr(_cancel_state, "scope", None)


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


# About 23 days: below 2**31 ms, the most poll() takes.
LONGEST_WAIT = 2_000_000.0


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
    scope = _cancel_scope()
    if scope is not None and scope.cancelled:
        raise Cancelled
    # The wait below polls in milliseconds held in a C int: a derived timeout (emit's
    # llvm-reduce gets 40x --timeout; --timeout 86400 made 3.5e6 s) raised OverflowError.
    timeout = min(timeout, LONGEST_WAIT)
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
        if scope is not None and not scope._started(proc.pid):
            raise Cancelled
        try:
            # communicate() reaps the leader just before the scope forgets the group: a
            # cancel() in that instant signals a group id no longer in use, which Linux
            # would only reuse after handing out every other process id first.
            out, err = proc.communicate(input=stdin, timeout=timeout)
        finally:
            if scope is not None:
                scope._ended()
        if scope is not None and scope.cancelled:
            raise Cancelled
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
        # Cancelled, KeyboardInterrupt and friends: leave no orphaned compiler behind.
        _kill_group(proc)
        proc.wait()
        raise
    # The leader may have exited while children linger (a script that backgrounds a
    # compiler); they must not outlive the oracle call.
    _kill_group(proc)
    return ProcessResult(tuple(argv), proc.returncode, out, err, time.monotonic() - started)


def run_for_output(
    argv: list[str],
    output: Path,
    what: str,
    *,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> str:
    """Run a tool that must write `output` and return that file's text; a tool that cannot
    start, times out, fails or writes nothing becomes a one-line CompilerError naming `what`."""
    try:
        result = run_program(argv, timeout=timeout, cwd=cwd, env=env)
    except OSError as exc:
        raise CompilerError(f"cannot run {argv[0]}: {exc.strerror or exc}") from exc
    if result.timed_out:
        raise CompilerError(f"{what} timed out after {timeout:g}s")
    if result.returncode != 0 or not output.is_file():
        raise CompilerError(f"{what} failed (exit {result.returncode}): {result.stderr_tail(4)}")
    return output.read_text(encoding="utf-8", errors="replace")

"""Timeouts kill the whole process group; interrupts leave the best result on disk."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reducer.process import Cancelled, CancelScope, cancellable, run_program


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); look at its state.
    status = Path(f"/proc/{pid}/stat").read_text().split()[2]
    return status != "Z"


def _wait_until_dead(pid: int) -> None:
    """Give a killed process up to 2.5 s to be gone (its parent reaps it a moment later)."""
    for _ in range(50):
        if not _alive(pid):
            return
        time.sleep(0.05)


def test_timeout_kills_children_too(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    script = f"sleep 60 & echo $! > {pid_file}; wait"
    started = time.monotonic()
    result = run_program(["sh", "-c", script], timeout=1.0)
    assert result.timed_out and result.returncode is None
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    _wait_until_dead(child)
    assert not _alive(child), "the grandchild survived the timeout"


def test_normal_run_returns_output() -> None:
    result = run_program([sys.executable, "-c", "import sys; print('hi'); sys.exit(3)"], timeout=30)
    assert result.returncode == 3 and result.stdout.strip() == b"hi" and not result.timed_out


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_during_a_run_keeps_the_best_result(tmp_path: Path, sig: int, code: int) -> None:
    # The signal must arrive while the reduction is surely running: once an improvement is
    # on disk the test raises a flag, and the oracle's next call announces itself and
    # blocks. Sending the signal at a fixed moment after the first improvement raced the
    # end of the run (clean-clone CI: the whole run took ~1 s after it).
    source = tmp_path / "in.c"
    source.write_text("".join(f"int keep{i};\n" for i in range(200)) + "int needle;\n")
    hold, held = tmp_path / "hold", tmp_path / "held"
    script = tmp_path / "slow.sh"
    script.write_text(
        f"#!/bin/sh\nif [ -e {hold} ]; then touch {held}; sleep 60; fi\n"
        "sleep 0.05\ngrep -q needle in.c\n"
    )
    script.chmod(0o755)
    output = tmp_path / "out.c"
    argv = [sys.executable, "-m", "reducer", "-j1", "--oracle", f"script:{script}"]
    proc = subprocess.Popen(
        [*argv, "-o", str(output), str(source)],
        stderr=subprocess.PIPE,
        text=True,
        # A shell starts background jobs with SIGINT ignored, and Python then leaves it
        # ignored (no KeyboardInterrupt): a suite run as `.ci/run &` must not make this
        # test pass or fail by how it was started.
        preexec_fn=_default_sigint,
    )
    try:
        _wait_for(output, proc)
        hold.touch()
        _wait_for(held, proc)
        started = time.monotonic()
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == code, stderr
    # The blocked oracle call was killed with its process group, not waited for.
    assert time.monotonic() - started < 30
    assert "reduce: stopping" in stderr and f"is in {output}" in stderr, stderr
    assert "Traceback" not in stderr
    assert "needle" in output.read_text()
    assert source.read_text().count("\n") == 201


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert path.exists(), f"{path.name} did not appear (reduce exit code {proc.poll()})"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_after_the_run_is_over_does_not_crash_the_exit(sig: int) -> None:
    # Once main() has returned, the result is complete: a signal during the exit (here from
    # an atexit hook, which runs after the program's own code) must neither kill the
    # process by signal (-2/-15) nor print a traceback; the run's own exit code stands.
    program = (
        "import atexit, os, signal, time\n"
        "import reducer.cli as cli\n"
        "cli.main = lambda argv=None: 3\n"
        f"atexit.register(lambda: (os.kill(os.getpid(), {int(sig)}), time.sleep(0.3)))\n"
        "cli.entry()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_default_sigint,
    )
    assert (result.returncode, result.stderr) == (3, "")


def test_run_for_output_turns_every_failure_into_one_line(tmp_path: Path) -> None:
    from reducer.errors import CompilerError
    from reducer.process import run_for_output

    out = tmp_path / "out.txt"
    writer = [sys.executable, "-c", f"open({str(out)!r}, 'w').write('ok')"]
    assert run_for_output(writer, out, "writer", timeout=30) == "ok"
    out.unlink()
    cases = [
        (["/nonexistent/tool"], 30.0, "cannot run /nonexistent/tool"),
        ([sys.executable, "-c", "import sys; sys.exit(3)"], 30.0, "quitter failed (exit 3)"),
        ([sys.executable, "-c", "pass"], 30.0, "quitter failed (exit 0)"),  # wrote nothing
        ([sys.executable, "-c", "import time; time.sleep(30)"], 0.5, "timed out after 0.5s"),
    ]
    for argv, timeout, message in cases:
        with pytest.raises(CompilerError, match=re.escape(message)):
            run_for_output(argv, out, "quitter", timeout=timeout)


def test_a_cancelled_call_kills_its_program_and_children(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    script = f"sleep 60 & echo $! > {pid_file}; wait"
    stop = CancelScope()
    threading.Timer(0.5, stop.cancel).start()
    started = time.monotonic()
    with cancellable(stop), pytest.raises(Cancelled):
        run_program(["sh", "-c", script], timeout=60.0)
    assert time.monotonic() - started < 2, "the cancel did not stop the running program"
    child = int(pid_file.read_text())
    _wait_until_dead(child)
    assert not _alive(child), "the grandchild survived the cancel"
    # Once cancelled, nothing more starts in that call.
    with cancellable(stop), pytest.raises(Cancelled):
        run_program(["true"], timeout=5.0)


def test_a_cancellable_run_still_times_out_and_passes_input() -> None:
    stop = CancelScope()
    with cancellable(stop):
        result = run_program(["cat"], timeout=5.0, stdin=b"x" * 300_000)
        assert result.returncode == 0 and result.stdout == b"x" * 300_000
        started = time.monotonic()
        assert run_program(["sleep", "30"], timeout=0.3).timed_out
        assert time.monotonic() - started < 5


def test_a_timeout_longer_than_poll_can_wait_still_runs() -> None:
    # emit gives llvm-reduce 40x --timeout: with --timeout 86400 that is 3.5e6 s, more
    # milliseconds than poll() takes (it raised OverflowError; found by test_cli_fuzz).
    result = run_program(["sh", "-c", "echo done"], timeout=86400 * 40)
    assert result.returncode == 0 and result.stdout == b"done\n"

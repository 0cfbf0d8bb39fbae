"""The status line: live on a terminal, plain lines otherwise, nothing with -q."""

from __future__ import annotations

import io

import pytest

from reducer.engine import Progress, Stats
from reducer.progress import Reporter


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def progress(name: str, size: int) -> Progress:
    return Progress(name, size, Stats(oracle_calls=10))


def test_terminal_gets_one_rewritten_status_line() -> None:
    stream = FakeTerminal()
    reporter = Reporter(stream)
    reporter.progress(progress("lines", 900))
    reporter.progress(progress("tokens", 400))
    reporter.message("done")
    output = stream.getvalue()
    assert output.count("\r\033[K") == 3  # each update and the message clear the line
    assert "pass tokens" in output and "size     400 B" in output and "calls 10" in output
    assert output.endswith("done\n") and output.count("\n") == 1


def test_pipe_gets_plain_lines_once_per_pass() -> None:
    stream = io.StringIO()
    reporter = Reporter(stream)
    for size in (900, 800, 700):
        reporter.progress(progress("lines", size))
    reporter.progress(progress("tokens", 400))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in stream.getvalue()
    assert "pass lines" in lines[0] and "pass tokens" in lines[1]


def test_quiet_prints_nothing() -> None:
    stream = FakeTerminal()
    reporter = Reporter(stream, quiet=True)
    reporter.progress(progress("lines", 900))
    reporter.message("summary")
    reporter.finish()
    assert stream.getvalue() == ""


def test_the_live_line_fits_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    # A line longer than the terminal wraps, and "\r\033[K" then clears only its last
    # row: a 50-column terminal kept every update (153 stale rows in one run).
    stream = FakeTerminal()
    reporter = Reporter(stream)
    for columns in (50, 20, 1):
        monkeypatch.setenv("COLUMNS", str(columns))
        reporter.progress(Progress("initializers", 1234567, Stats(oracle_calls=123456)))
        status = stream.getvalue().rsplit("\r\033[K", 1)[1]
        assert 0 < len(status) < columns or (columns == 1 and status == "")
        assert "\n" not in status
    monkeypatch.setenv("COLUMNS", "200")
    reporter.progress(progress("tokens", 400))
    status = stream.getvalue().rsplit("\r\033[K", 1)[1]
    assert status.endswith("/s)") and "pass tokens" in status  # wide enough: all of it

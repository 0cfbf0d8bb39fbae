"""Telling the user what is happening: a live status line on a terminal, occasional plain
lines otherwise, nothing with -q."""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import TextIO

from reducer.engine import Progress


class Reporter:
    def __init__(self, stream: TextIO = sys.stderr, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.live = not quiet and stream.isatty()
        self._last_pass = ""
        self._last_plain = 0.0

    def message(self, text: str) -> None:
        if self.quiet:
            return
        if self.live:
            self.stream.write("\r\033[K")
        self.stream.write(text + "\n")
        self.stream.flush()

    def progress(self, progress: Progress) -> None:
        if self.quiet:
            return
        stats = progress.stats
        rate = stats.oracle_calls / stats.elapsed if stats.elapsed > 0 else 0.0
        line = (
            f"[{stats.elapsed:6.1f}s] pass {progress.pass_name:<10} size {progress.size:>7} B"
            f"  calls {stats.oracle_calls} ({rate:.1f}/s)"
        )
        if self.live:
            # Cut to the terminal: a wrapped line leaves its first rows behind, since
            # "\r\033[K" clears only the row the cursor is on. One column spare, as some
            # terminals wrap as soon as the last one is written.
            self.stream.write("\r\033[K" + line[: max(self._columns() - 1, 0)])
            self.stream.flush()
            return
        now = time.monotonic()
        if progress.pass_name != self._last_pass or now - self._last_plain > 5:
            self._last_pass = progress.pass_name
            self._last_plain = now
            self.stream.write(line + "\n")
            self.stream.flush()

    def _columns(self) -> int:
        """The terminal's width now (it may be resized during a run): $COLUMNS when set,
        as shutil has it, else the size of the terminal we write to (stdout, which
        shutil asks, may be a pipe under --json), else 80."""
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            return shutil.get_terminal_size().columns

    def finish(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()

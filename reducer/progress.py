"""Telling the user what is happening: a live status line on a terminal, occasional plain
lines otherwise, nothing with -q."""

from __future__ import annotations

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
            self.stream.write("\r\033[K" + line)
            self.stream.flush()
            return
        now = time.monotonic()
        if progress.pass_name != self._last_pass or now - self._last_plain > 5:
            self._last_pass = progress.pass_name
            self._last_plain = now
            self.stream.write(line + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()

"""Keep libclang's crash reports off the user's terminal.

libclang recovers from a crash of the front end inside it (clang-19 crashes in Sema on
some invalid candidates: 143 times in one script-oracle reduction of a csmith file), but
first prints a ten-line "libclang: crash detected during parsing: { ... }" block to file
descriptor 2, from C, where no Python setting reaches. The candidate is rejected like any
other that does not parse, so the block says nothing the user needs; a hundred of them
bury the progress lines and the result.

`dropping_libclang_crash_reports()` sends fd 2 through a pipe for the duration: a thread
copies everything to the real stderr, in order, except those blocks, which it counts. A
partial line (progress redrawn with a carriage return) is passed on at once unless it may
be the start of such a block. The compilers the oracles run capture their own stderr, so
they are not affected.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterator

_BLOCK_START = b"libclang: crash detected during parsing: {\n"
_BLOCK_END = b"}\n"
_DRAIN_SECONDS = 2.0  # a leftover child still holding the pipe must not hang the exit


class CrashReports:
    """How many libclang crash reports were dropped so far."""

    def __init__(self) -> None:
        self.count = 0


class _Forwarder:
    def __init__(self, source: int, target: int, reports: CrashReports) -> None:
        self.source, self.target, self.reports = source, target, reports
        self.pending = b""  # an incomplete line that may start a block
        # Blocks open: two parses crashing at once in two threads interleave their lines.
        self.depth = 0

    def run(self) -> None:
        while chunk := os.read(self.source, 65536):
            self.feed(chunk)
        if self.pending and not self.depth:
            self._write(self.pending)

    def feed(self, chunk: bytes) -> None:
        data = self.pending + chunk
        self.pending = b""
        out: list[bytes] = []
        for line in data.splitlines(keepends=True):
            if not line.endswith(b"\n"):  # the last, incomplete piece
                if self.depth or _BLOCK_START.startswith(line):
                    self.pending = line
                else:
                    out.append(line)
            elif line == _BLOCK_START:
                self.depth += 1
                self.reports.count += 1
            elif self.depth:
                if line == _BLOCK_END:
                    self.depth -= 1
            else:
                out.append(line)
        if out:
            self._write(b"".join(out))

    def _write(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            while data:
                data = data[os.write(self.target, data) :]


@contextlib.contextmanager
def dropping_libclang_crash_reports() -> Iterator[CrashReports]:
    reports = CrashReports()
    read_end, write_end = os.pipe()
    real_stderr = os.dup(2)
    forwarder = _Forwarder(read_end, real_stderr, reports)
    thread = threading.Thread(target=forwarder.run, name="stderr-filter", daemon=True)
    thread.start()
    os.dup2(write_end, 2)
    os.close(write_end)
    try:
        yield reports
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
        os.dup2(real_stderr, 2)  # closes the pipe's last write end held by this process
        thread.join(_DRAIN_SECONDS)
        if not thread.is_alive():
            os.close(read_end)
        os.close(real_stderr)

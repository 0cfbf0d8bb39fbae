"""libclang's crash reports are kept off the terminal (reducer/native_stderr.py); every
other byte written to fd 2 reaches it, in order."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reducer import libclang
from reducer.native_stderr import CrashReports, _Forwarder, dropping_libclang_crash_reports

# A clang-19 (and clang-22) front-end crash on invalid code, found by the prefilter in a
# script-oracle reduction of csmith seed 4 and reduced with `reduce --oracle crash`.
CRASHES_LIBCLANG = "a = {{},0x68EFL}\n"

BLOCK = [
    b"libclang: crash detected during parsing: {\n",
    b"  'source_filename' : 'reducer-input.c'\n",
    b"  'options' : 25088,\n",
    b"}\n",
]


class _Collecting(_Forwarder):
    def __init__(self) -> None:
        super().__init__(-1, -1, CrashReports())
        self.out = b""

    def _write(self, data: bytes) -> None:
        self.out += data


def _stream() -> tuple[bytes, bytes]:
    """Ours and libclang's lines, two of its blocks interleaved (two threads crashing at
    once); and what must come out."""
    ours = [b"[   0.2s] pass slice\n", b"\r[   1.0s] redrawn\n", b"reduced in.c\n"]
    mixed = [ours[0], BLOCK[0], BLOCK[1], BLOCK[0], BLOCK[2], BLOCK[3], BLOCK[1]]
    mixed += [BLOCK[2], BLOCK[3], ours[1], *BLOCK, ours[2]]
    return b"".join(mixed), b"".join(ours)


@given(st.lists(st.integers(min_value=0, max_value=400), max_size=12))
def test_blocks_are_dropped_and_the_rest_kept_at_any_chunking(cuts: list[int]) -> None:
    stream, expected = _stream()
    forwarder = _Collecting()
    points = sorted({min(c, len(stream)) for c in cuts} | {0, len(stream)})
    for start, end in itertools.pairwise(points):
        forwarder.feed(stream[start:end])
    assert forwarder.out == expected
    assert forwarder.reports.count == 3


def test_a_partial_line_passes_at_once_unless_it_may_start_a_block() -> None:
    forwarder = _Collecting()
    forwarder.feed(b"\r[   2.0s] pass lines  size 900 B")
    assert forwarder.out == b"\r[   2.0s] pass lines  size 900 B"
    forwarder.feed(b"\nlibclang: crash det")
    assert forwarder.out.endswith(b"900 B\n")  # the prefix is held back, not shown
    forwarder.feed(b"ected during parsing: {\n}\ndone\n")
    assert forwarder.out.endswith(b"900 B\ndone\n") and forwarder.reports.count == 1


@pytest.mark.usefixtures("need_libclang")
def test_a_real_libclang_crash_report_is_dropped(capfd: pytest.CaptureFixture[str]) -> None:
    # Unfiltered, libclang prints its report (the test can fail).
    assert libclang.errors_of(CRASHES_LIBCLANG)[0].startswith("libclang failed to parse")
    assert "libclang: crash detected during parsing" in capfd.readouterr().err
    with dropping_libclang_crash_reports() as reports:
        os.write(2, b"before\n")
        assert libclang.errors_of(CRASHES_LIBCLANG)[0].startswith("libclang failed")
        os.write(2, b"after\n")
    err = capfd.readouterr().err
    assert err == "before\nafter\n" and reports.count == 1
    os.write(2, b"restored\n")  # fd 2 is the terminal's (here: the capture's) again
    assert capfd.readouterr().err == "restored\n"

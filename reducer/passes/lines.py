"""Line-level delta debugging: remove chunks of lines, halving the chunk size."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.passes.base import Candidate
from reducer.passes.schedules import halving


def line_spans(text: str) -> list[tuple[int, int]]:
    """Spans of lines including their newline; blank lines are not units of their own."""
    spans = []
    start = 0
    for line in text.splitlines(keepends=True):
        end = start + len(line)
        if line.strip():
            spans.append((start, end))
        start = end
    return spans


class LinesPass:
    name = "lines"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from halving(text, line_spans, resume)

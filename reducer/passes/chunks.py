"""Delta-debugging style removal of chunks of units (lines, declarations, tokens)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence

from reducer.passes.base import Candidate

Span = tuple[int, int]


def remove_span(text: str, start: int, end: int) -> str:
    return text[:start] + text[end:]


def remove_spans(text: str, spans: Sequence[Span]) -> str:
    """Text without the given non-overlapping spans (in any order)."""
    pieces, position = [], 0
    for start, end in sorted(spans):
        pieces.append(text[position:start])
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def halving_chunk_removals(
    text: str, units_of: Callable[[str], Sequence[Span]], resume: Hashable | None
) -> Iterator[Candidate]:
    """ddmin-like: remove aligned chunks of n/2 units, then n/4, ... down to single units.

    Only the units' own spans are removed, so units need not be contiguous. Within one
    chunk size, chunks are tried from the end of the file to the start: removing a use late
    in the file first lets the earlier definition go next. The resume marker carries the
    chunk size, the position, and the units before it, which the removal did not move, so
    `units_of` (costly on big files) runs once per chunk size, not once per removal.
    """
    if isinstance(resume, tuple):
        size, before, prefix = resume
        units: Sequence[Span] = prefix
    else:
        units = units_of(text)
        size, before = max(1, len(units) // 2), len(units)
    while units:
        for start in reversed(range(0, min(before, len(units)), size)):
            chunk = units[start : start + size]
            # Foldable: the marker holds only units before the chunk.
            marker = (size, start, tuple(units[:start]))
            yield Candidate(remove_spans(text, chunk), marker, foldable=True)
        if size == 1:
            return
        size //= 2
        units = units_of(text)
        before = len(units)


def sliding_removals(
    text: str, units: Sequence[Span], widths: Sequence[int], resume: Hashable | None
) -> Iterator[Candidate]:
    """Remove every run of `width` consecutive units, for each width, from the end backwards.

    Unlike halving chunks this tries every position, so after a fixpoint with width 1 the
    result is 1-minimal with respect to single-unit deletion.
    """
    count = len(units)
    width_index, before = 0, count
    if isinstance(resume, tuple):
        width_index, before = resume
    for index in range(width_index, len(widths)):
        width = widths[index]
        limit = min(before, count - width + 1) if index == width_index else count - width + 1
        for start in reversed(range(0, limit)):
            end = start + width - 1
            # Foldable: units are recomputed on resume, and those before `start` are the same.
            removed = remove_span(text, units[start][0], units[end][1])
            yield Candidate(removed, (index, start), foldable=True)

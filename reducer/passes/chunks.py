"""Spans of a text and their removal: what chunk candidates are made of (the orders in
which they are tried are in reducer.passes.schedules)."""

from __future__ import annotations

from collections.abc import Sequence

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

"""What the libclang-based passes (params, fields) share: a parse they can trust and edits
of comma-separated lists as text spans (the order in which they propose candidates is
reducer.passes.schedules.grouped)."""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence

from reducer import libclang
from reducer.libclang import ParsedUnit, Span
from reducer.passes.base import Candidate


def parse_or_none(text: str, extra_args: Sequence[str]) -> ParsedUnit | None:
    """The parse of `text` if it can be trusted (libclang loads, the code compiles)."""
    try:
        unit = libclang.parse(text, extra_args)
    except libclang.LibclangUnavailable:
        return None
    return unit if unit.ok else None


class ParsedPass:
    """A pass that reads the text's libclang parse (params, fields, values, members): built
    with the compile command's flags, it proposes nothing when the text does not parse
    cleanly, and otherwise what ``from_unit`` makes of the parse."""

    name: str

    def __init__(self, extra_args: Sequence[str] = ()) -> None:
        self.extra_args = tuple(extra_args)  # e.g. the -I/-D flags of the compile command

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        unit = parse_or_none(text, self.extra_args)
        if unit is not None:
            yield from self.from_unit(text, unit, resume)

    def from_unit(
        self, text: str, unit: ParsedUnit, resume: Hashable | None
    ) -> Iterator[Candidate]:
        raise NotImplementedError


def list_item_removals(text: str, items: Sequence[Span], chosen: set[int]) -> list[Span]:
    """Spans removing the chosen items of a comma-separated list and their separators.

    A run of removed items after a kept one takes the comma before it (`a, b` -> `a`); a
    run at the start takes the comma after it (`a, b` -> `b`); all of them leave the
    brackets empty.
    """
    spans = []
    count = len(items)
    index = 0
    while index < count:
        if index not in chosen:
            index += 1
            continue
        last = index
        while last + 1 < count and last + 1 in chosen:
            last += 1
        if index > 0:
            spans.append((items[index - 1][1], items[last][1]))
        elif last + 1 < count:
            spans.append((items[0][0], items[last + 1][0]))
        else:
            spans.append((items[0][0], items[last][1]))
        index = last + 1
    return spans


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """The union of possibly overlapping spans (an argument removed inside another)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def apply_edits(
    text: str, removals: Sequence[Span], insertions: Sequence[tuple[int, str]] = ()
) -> str:
    """`text` with the spans removed and the strings inserted (none inside a removal)."""
    # Sorted by position; at one position insertions (in their given order) go first.
    events = [(at, 0, order, at, new) for order, (at, new) in enumerate(insertions)]
    events += [(start, 1, 0, end, "") for start, end in merge_spans(removals)]
    pieces = []
    position = 0
    for start, _kind, _order, end, new in sorted(events):
        if start < position:
            continue  # an insertion inside a removed span goes with it
        pieces.append(text[position:start])
        pieces.append(new)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)

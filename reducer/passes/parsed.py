"""What the libclang-based passes (params, fields) share: a parse they can trust, edits of
comma-separated lists as text spans, and the order in which they propose candidates."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence

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


def grouped_candidates(
    text: str,
    groups: Sequence[tuple[Hashable, Sequence[int]]],
    build: Callable[[Mapping[int, Sequence[int]]], str],
    resume: Hashable | None,
) -> Iterator[Candidate]:
    """Candidates over units (parameters, fields) grouped by owner (function, struct).

    First everything at once, then group by group from the end of the file: the whole
    group, then each unit, last first. One oracle call can clear the file; otherwise
    each group costs one call when it can go whole. The resume marker names the group
    and the unit accepted: units before it keep their indices, so the pass continues
    with them and then with the earlier groups, never retrying what was rejected.
    Candidates not smaller than the text (a parameter turned local that costs more than
    it saves) are not proposed.
    """
    groups = [(key, tuple(units)) for key, units in groups if units]
    if not groups:
        return
    start, limit = len(groups) - 1, None
    if resume is None:
        if len(groups) > 1:  # with one group, its own all-at-once candidate is this one
            yield from _smaller(text, build(dict(enumerate(u for _, u in groups))), "end")
    elif isinstance(resume, tuple) and len(resume) == 3:
        position, key, limit = resume
        keys = [k for k, _ in groups]
        if position < len(groups) and keys[position] == key:
            start = position
        elif key in keys:
            start = keys.index(key)
        else:
            start, limit = min(position, len(groups)) - 1, None
    for position in range(start, -1, -1):
        key, units = groups[position]
        if limit is None:
            if len(units) > 1:
                yield from _smaller(text, build({position: units}), (position, key, units[0]))
            todo = units
        else:
            todo = tuple(unit for unit in units if unit < limit)
            limit = None
        for unit in reversed(todo):
            yield from _smaller(text, build({position: (unit,)}), (position, key, unit))


def _smaller(text: str, candidate: str, resume: Hashable) -> Iterator[Candidate]:
    if len(candidate) < len(text):
        yield Candidate(candidate, resume)

"""Drop initializers of top-level declarations: `int *p = &q;` becomes `int *p;`, which
may leave `q` unused. Token deletion would need `= & q` (three tokens) at once.

All of them at once first, then halving: csmith's globals carry ~30 KB of array
initializers that nothing needs, and one candidate per declaration, restarting after
each success, made ~40 calls there and tried the rejected ones again after every one.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import match_brackets, scan, top_level_items
from reducer.passes.base import FINE_MAX_BYTES, Candidate
from reducer.passes.chunks import Span, remove_spans
from reducer.passes.schedules import Restart, cuts_then_halving


def initializer_spans(text: str) -> list[Span]:
    """The ` = ...` of every declarator in the top-level declarations that end in ';'
    (from the end of the declarator to the ',' or ';' after the initializer)."""
    spans: list[Span] = []
    for item_start, item_end in top_level_items(text):
        tokens = scan(text[item_start:item_end])
        if not tokens or tokens[0].text == "(" or tokens[-1].text != ";":
            continue  # only declarations ending in ';'
        pairs = match_brackets(tokens)
        index = 0
        while index < len(tokens):
            if tokens[index].text != "=":
                index = pairs.get(index, index) + 1
                continue
            end = index + 1
            while end < len(tokens) and tokens[end].text not in (",", ";"):
                end = pairs.get(end, end) + 1
            if end < len(tokens) and index:
                spans.append((item_start + tokens[index - 1].end, item_start + tokens[end].start))
            index = end
    return spans


class DropInitializersPass:
    """On a text over FINE_MAX_BYTES only the all-at-once cut (one scan, one call): the
    focus cut of tree-sitter's parser.c kept one table, 1.2 MB of initializer, which
    `lines` then took ~130 calls to cut; halving would scan the text again per candidate
    (3.9 MB: 8 s a scan)."""

    name = "initializers"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        big = len(text) > FINE_MAX_BYTES
        if big and not (resume is None or isinstance(resume, Restart)):
            return  # after the cut, nothing more on a big text
        spans = initializer_spans(text)
        cuts = [remove_spans(text, spans)] if len(spans) > 1 or (big and spans) else []

        def units_of(candidate: str) -> list[Span]:
            if len(candidate) > FINE_MAX_BYTES:
                return []
            # Halving asks for this text's units first: they are the spans above.
            return spans if candidate is text else initializer_spans(candidate)

        yield from cuts_then_halving(text, units_of, resume, cuts, again=False)

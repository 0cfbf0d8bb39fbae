"""Inline typedefs: `typedef T name;` goes, and each use of `name` becomes `T`."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, Token, replace_word, scan, top_level_items
from reducer.passes.base import Candidate
from reducer.passes.schedules import restarting


def simple_typedef(tokens: list[Token]) -> tuple[str, int, int] | None:
    """(name, type start, type end) of `typedef TYPE name;` with no brackets in it."""
    if len(tokens) < 4 or tokens[0].text != "typedef" or tokens[-1].text != ";":
        return None
    name = tokens[-2]
    if name.kind is not Kind.WORD:
        return None
    if any(t.text in "()[]{}" for t in tokens[1:-2]):
        return None  # function pointers, arrays, inline aggregates: not worth the risk
    return name.text, tokens[1].start, tokens[-3].end


class InlineTypedefsPass:
    name = "typedefs"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from restarting(self._edits(text))

    @staticmethod
    def _edits(text: str) -> Iterator[str]:
        for item_start, item_end in reversed(top_level_items(text)):
            found = simple_typedef(scan(text[item_start:item_end]))
            if found is None:
                continue
            name, type_start, type_end = found
            type_text = text[item_start + type_start : item_start + type_end]
            without = text[:item_start] + text[item_end:]
            rest = scan(without[item_start:])
            inlined = replace_word(without, rest, name, type_text, item_start)
            if len(inlined) < len(text):
                yield inlined

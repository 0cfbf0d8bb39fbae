"""Drop initializers of top-level declarations: `int *p = &q;` becomes `int *p;`, which
may leave `q` unused. Token deletion would need `= & q` (three tokens) at once."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import match_brackets, scan, top_level_items
from reducer.passes.base import Candidate
from reducer.passes.schedules import restarting


class DropInitializersPass:
    name = "initializers"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from restarting(self._edits(text))

    @staticmethod
    def _edits(text: str) -> Iterator[str]:
        for item_start, item_end in reversed(top_level_items(text)):
            tokens = scan(text[item_start:item_end])
            pairs = match_brackets(tokens)
            if any(t.text == "(" for t in tokens[:1]) or not tokens or tokens[-1].text != ";":
                continue  # only declarations ending in ';'
            index = 0
            while index < len(tokens):
                if tokens[index].text != "=":
                    index = pairs.get(index, index) + 1
                    continue
                end = index + 1
                while end < len(tokens) and tokens[end].text not in (",", ";"):
                    end = pairs.get(end, end) + 1
                if end < len(tokens):
                    start = item_start + tokens[index - 1].end if index else item_start
                    stop = item_start + tokens[end].start
                    yield text[:start] + text[stop:]
                index = end

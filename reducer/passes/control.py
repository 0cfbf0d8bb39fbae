"""Flatten control statements: `for (A; B; C) S` becomes `A; S`, `if/while/switch (E) S`
becomes `E; S` or just `S`, `else` goes. Deleting tokens cannot do this: the parenthesised
header would have to lose pieces at both ends at once."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, match_brackets, tokenize
from reducer.passes.base import Candidate
from reducer.passes.schedules import restarting

KEYWORDS = frozenset({"for", "if", "while", "switch"})


class FlattenControlPass:
    name = "control"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from restarting(self._edits(text))

    @staticmethod
    def _edits(text: str) -> Iterator[str]:
        tokens = tokenize(text)
        pairs = match_brackets(tokens)
        for index in reversed(range(len(tokens) - 1)):
            keyword = tokens[index]
            if keyword.kind is not Kind.WORD or keyword.text not in KEYWORDS:
                continue
            if tokens[index + 1].text != "(" or index + 1 not in pairs:
                continue
            opener, closer = tokens[index + 1], tokens[pairs[index + 1]]
            header = text[opener.end : closer.start]
            before, after = text[: keyword.start], text[closer.end :]
            if keyword.text == "for":
                init = header.split(";", 1)[0].strip()
                yield f"{before}{init}; {after.lstrip()}" if init else before + after
            else:
                yield f"{before}{header.strip()}; {after.lstrip()}"
            yield before + after.lstrip()

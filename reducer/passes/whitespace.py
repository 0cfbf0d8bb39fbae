"""Fold whitespace between tokens: runs with a newline become one newline, others one
space; nothing inside literals, comments or directives changes."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import tokenize
from reducer.passes.base import Candidate
from reducer.passes.schedules import restarting


def fold_whitespace(text: str) -> str:
    tokens = tokenize(text)
    pieces: list[str] = []
    previous_end = None
    for token in tokens:
        if previous_end is not None:
            gap = text[previous_end : token.start]
            if "\n" in gap:
                pieces.append("\n")
            elif gap:
                pieces.append(" ")
        pieces.append(token.text)
        previous_end = token.end
    return "".join(pieces) + ("\n" if tokens else "")


class WhitespacePass:
    name = "whitespace"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        folded = fold_whitespace(text)
        yield from restarting([folded] if len(folded) < len(text) else [])

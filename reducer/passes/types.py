"""Simplify types: `struct tag { ... }`, `struct tag`, `union ...`, `enum ...` become `int`.

Token deletion cannot do this (deleting `struct tag` leaves no type at all); one
replacement often makes a whole aggregate definition unused."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, match_brackets, tokenize
from reducer.passes.base import Candidate

AGGREGATES = frozenset({"struct", "union", "enum"})


class SimplifyTypesPass:
    name = "types"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        tokens = tokenize(text)
        pairs = match_brackets(tokens)
        for index in reversed(range(len(tokens))):
            if tokens[index].text not in AGGREGATES:
                continue
            last = index
            if last + 1 < len(tokens) and tokens[last + 1].kind is Kind.WORD:
                last += 1
            if last + 1 < len(tokens) and tokens[last + 1].text == "{" and last + 1 in pairs:
                last = pairs[last + 1]
            yield Candidate(text[: tokens[index].start] + "int" + text[tokens[last].end :], None)

"""Shorten string literals: empty, then one character. Strings the user needs to read
(the section name the oracle looks at) are passed in as `keep` and stay as they are."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, tokenize
from reducer.passes.base import Candidate
from reducer.passes.schedules import restarting


class ShortenStringsPass:
    name = "strings"

    def __init__(self, keep: frozenset[str] = frozenset()) -> None:
        self.keep = keep

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from restarting(self._edits(text))

    def _edits(self, text: str) -> Iterator[str]:
        for token in reversed(tokenize(text)):
            if token.kind is not Kind.STRING or not token.text.startswith('"'):
                continue
            body = token.text[1:-1]
            if body in self.keep or len(body) < 2:
                continue
            for shorter in ("", body[0] if body[0] != "\\" else "x"):
                yield text[: token.start] + f'"{shorter}"' + text[token.end :]

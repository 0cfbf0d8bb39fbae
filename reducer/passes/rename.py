"""Rename identifiers to one-letter names, longest first.

Names the user will look for stay readable: the symbols the oracle reported (e.g. the
global addressed with the bad relocation) are passed in as `keep`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Hashable, Iterator

from reducer.ctokens import C_KEYWORDS, Kind, replace_word, tokenize
from reducer.passes.base import Candidate
from reducer.passes.schedules import restarting

# Attribute names and arguments must keep their spelling (section, aligned, noinline, ...),
# and so must builtins; anything inside __attribute__((...)) is left alone.
SHORT_NAMES = list(string.ascii_lowercase) + list(string.ascii_uppercase)


def renamable(tokens_text: list[str], keep: frozenset[str]) -> list[str]:
    """Identifiers worth renaming, longest first (ties alphabetically, for determinism)."""
    protected = set(keep) | C_KEYWORDS
    depth = 0
    names: set[str] = set()
    index = 0
    while index < len(tokens_text):
        word = tokens_text[index]
        if word in ("__attribute__", "__attribute", "__asm__", "__asm", "asm", "__declspec"):
            # Skip the parenthesised argument list that follows.
            depth = 0
            index += 1
            while index < len(tokens_text):
                if tokens_text[index] == "(":
                    depth += 1
                elif tokens_text[index] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                index += 1
        elif (
            re.fullmatch(r"[A-Za-z_]\w*", word)
            and not word.startswith("__")
            and word not in protected
            and len(word) > 1
        ):
            names.add(word)
        index += 1
    return sorted(names, key=lambda n: (-len(n), n))


class RenamePass:
    name = "rename"

    def __init__(self, keep: frozenset[str] = frozenset()) -> None:
        self.keep = keep

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from restarting(self._edits(text))

    def _edits(self, text: str) -> Iterator[str]:
        tokens = tokenize(text)
        words = [t.text for t in tokens if t.kind in (Kind.WORD, Kind.PUNCT)]
        used = {t.text for t in tokens if t.kind is Kind.WORD}
        directives = [t.text for t in tokens if t.kind is Kind.DIRECTIVE]
        free = [n for n in SHORT_NAMES if n not in used and n not in C_KEYWORDS]
        if not free:
            return
        for old in renamable(words, self.keep):
            if any(re.search(rf"\b{re.escape(old)}\b", d) for d in directives):
                continue  # a macro mentions it; renaming consistently is not worth the risk
            yield replace_word(text, tokens, old, free[0])

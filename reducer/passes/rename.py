"""Rename identifiers to one-letter names: first every name the text declares at once,
then one name per candidate, longest first.

Names the user will look for stay readable: the symbols the oracle reported (e.g. the
global addressed with the bad relocation) are passed in as `keep`.

The all-at-once candidate is for oracles whose accepted calls are dear: a miscompile
check that passes runs six builds and seven programs, and one rename per name made
rename 14 of the 99 compiled checks on cases/instcombine-fshl-range. Names the text only
uses (`printf` from a header) and `main` (the program's entry, which a run oracle needs)
stay out of it, so it fails only where a rename itself is wrong; then the names go one
by one as before.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Hashable, Iterator

from reducer.ctokens import (
    C_KEYWORDS,
    DECLARATION_WORDS,
    Kind,
    Token,
    replace_word,
    replace_words,
    tokenize,
)
from reducer.passes.base import Candidate
from reducer.passes.schedules import RESTART, Restart, restarting

# Attribute names and arguments must keep their spelling (section, aligned, noinline, ...),
# and so must builtins; anything inside __attribute__((...)) is left alone.
SHORT_NAMES = list(string.ascii_lowercase) + list(string.ascii_uppercase)


# GNU's keywords spelled with two underscores: a name after `unsigned` looks declared.
GNU_KEYWORDS = frozenset(
    {"__int128", "__typeof__", "__typeof", "__restrict", "__restrict__", "__inline",
     "__inline__", "__const", "__const__", "__volatile", "__volatile__", "__signed",
     "__signed__", "__extension__", "__label__", "__auto_type", "__thread", "__alignof__",
     "__alignof", "__complex__", "__real__", "__imag__", "__float128", "__fp16", "__bf16",
     "__func__", "__FUNCTION__", "__PRETTY_FUNCTION__", "__builtin_va_list"}
)  # fmt: skip


def renamable(
    tokens_text: list[str], keep: frozenset[str], declared: frozenset[str] = frozenset()
) -> list[str]:
    """Identifiers worth renaming, longest first (ties alphabetically, for determinism).
    A name with two leading underscores is the implementation's (`__builtin_expect`)
    unless the text declares it (``declared``: Cython's `__Pyx_modinit_type_init_code`,
    which had stayed in itertoolz.c's 165 B result)."""
    protected = set(keep) | C_KEYWORDS | GNU_KEYWORDS
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
            and (not word.startswith("__") or word in declared)
            and word not in protected
            and len(word) > 1
        ):
            names.add(word)
        index += 1
    return sorted(names, key=lambda n: (-len(n), n))


def declared_here(tokens: list[Token]) -> set[str]:
    """Names the text itself declares, by where they stand (pure, a heuristic): right after
    a type keyword, a type name (`T x`) or a `*` (`T *x`). A name the text only uses
    (`printf(...)`, `size_t` from a header) comes after punctuation or a statement keyword;
    a product `a * b` makes `b` look declared, which costs only a failed candidate."""
    names: set[str] = set()
    words = [t for t in tokens if t.kind in (Kind.WORD, Kind.PUNCT)]
    for before, token in itertools.pairwise(words):
        if token.kind is not Kind.WORD or token.text in C_KEYWORDS:
            continue
        if before.kind is Kind.WORD:
            if before.text in DECLARATION_WORDS or before.text not in C_KEYWORDS:
                names.add(token.text)
        elif before.text == "*":
            names.add(token.text)
    return names


class RenamePass:
    name = "rename"

    def __init__(self, keep: frozenset[str] = frozenset()) -> None:
        self.keep = keep

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        tokens = tokenize(text)
        words = [t.text for t in tokens if t.kind in (Kind.WORD, Kind.PUNCT)]
        used = {t.text for t in tokens if t.kind is Kind.WORD}
        directives = [t.text for t in tokens if t.kind is Kind.DIRECTIVE]
        free = [n for n in SHORT_NAMES if n not in used and n not in C_KEYWORDS]
        if not free:
            return
        declared = declared_here(tokens)
        names = [
            name
            for name in renamable(words, self.keep, frozenset(declared))
            # A macro mentions it: renaming consistently is not worth the risk.
            if not any(re.search(rf"\b{re.escape(name)}\b", d) for d in directives)
        ]
        if not isinstance(resume, Restart):
            together = [n for n in names if n in declared and n != "main"]
            if len(together) > 1 and len(together) <= len(free):
                yield Candidate(
                    replace_words(text, tokens, dict(zip(together, free, strict=False))), RESTART
                )
        yield from restarting(replace_word(text, tokens, old, free[0]) for old in names)

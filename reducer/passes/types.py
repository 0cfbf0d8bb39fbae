"""Simplify types.

- `struct tag { ... }`, `struct tag`, `union ...`, `enum ...` become `int`: token deletion
  cannot do this (deleting `struct tag` leaves no type at all), and one replacement often
  makes a whole aggregate definition unused.
- A run of basic type keywords (`unsigned long long`) becomes `int` when that is shorter;
  so does `void` (a function that returns nothing may as well be declared to return int).
- A name used as a type but declared nowhere in the text (`size_t` from a header) becomes
  `int` at every use, so the header can go: tokens cannot do it, and the typedefs pass
  (typedefs.py) sees only typedefs in the text.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import (
    C_KEYWORDS,
    Kind,
    Token,
    match_brackets,
    replace_word,
    scan,
    tokenize,
    top_level_items,
)
from reducer.passes.base import Candidate
from reducer.passes.schedules import restarting
from reducer.passes.typedefs import simple_typedef

AGGREGATES = frozenset({"struct", "union", "enum"})
BASIC_TYPE_WORDS = frozenset(
    {"signed", "unsigned", "char", "short", "int", "long", "float", "double", "_Bool", "void"}
)


# What may come right before a declaration's type.
_DECLARATION_STARTS = frozenset(
    {";", "{", "}", "(", ",", "const", "volatile", "static", "extern", "register", "inline"}
)


def _replace(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def _is_empty_parameter_list(tokens: list[Token], index: int) -> bool:
    return (
        0 < index < len(tokens) - 1
        and tokens[index - 1].text == "("
        and tokens[index + 1].text == ")"
    )


class SimplifyTypesPass:
    name = "types"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from restarting(self._edits(text))

    def _edits(self, text: str) -> Iterator[str]:
        tokens = tokenize(text)
        pairs = match_brackets(tokens)
        yield from self._whole_tags(text, tokens, pairs)
        yield from self._foreign_type_names(text, tokens)
        index = len(tokens) - 1
        while index >= 0:
            token = tokens[index]
            if token.text in AGGREGATES:
                last = index
                if last + 1 < len(tokens) and tokens[last + 1].kind is Kind.WORD:
                    last += 1
                if last + 1 < len(tokens) and tokens[last + 1].text == "{" and last + 1 in pairs:
                    last = pairs[last + 1]
                yield _replace(text, token.start, tokens[last].end, "int")
            elif token.text == "void" and _is_empty_parameter_list(tokens, index):
                pass  # `f(void)` -> `f(int)` changes the arity: never what we want
            elif token.text in BASIC_TYPE_WORDS:
                first = index
                while first > 0 and tokens[first - 1].text in BASIC_TYPE_WORDS:
                    first -= 1
                if tokens[index].end - tokens[first].start > len("int"):
                    yield _replace(text, tokens[first].start, token.end, "int")
                index = first
            index -= 1

    @staticmethod
    def _foreign_type_names(text: str, tokens: list[Token]) -> Iterator[str]:
        """Each name that starts a declaration (`NAME x`, `NAME *x` after `;`, `{`, `}`,
        `(`, `,`, a qualifier or the start) and is not a typedef of this text, replaced
        by int everywhere, in order of first use. A name that is no type only costs
        its one rejected call."""
        typedefs = set()
        for item_start, item_end in top_level_items(text):
            found = simple_typedef(scan(text[item_start:item_end]))
            if found is not None:
                typedefs.add(found[0])
        names: dict[str, None] = {}
        for index, token in enumerate(tokens[:-1]):
            if token.kind is not Kind.WORD or token.text in C_KEYWORDS or token.text in typedefs:
                continue
            previous = index - 1
            while previous >= 0 and tokens[previous].kind is Kind.COMMENT:
                previous -= 1
            # A directive line ends like a ';' (`#include <stddef.h>` then `size_t f(...)`).
            starts = previous < 0 or tokens[previous].kind is Kind.DIRECTIVE
            before = ";" if starts else tokens[previous].text
            after = tokens[index + 1]
            if before not in _DECLARATION_STARTS:
                continue
            if (after.kind is Kind.WORD and after.text not in C_KEYWORDS) or after.text == "*":
                names.setdefault(token.text)
        for name in names:
            if len(name) > len("int"):  # never a larger candidate
                yield replace_word(text, tokens, name, "int")

    @staticmethod
    def _whole_tags(text: str, tokens: list[Token], pairs: dict[int, int]) -> Iterator[str]:
        """Every `struct tag` (with its body) becomes int at once: changing one use at a
        time gives incompatible pointer types, which newer compilers reject."""
        spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for index, token in enumerate(tokens[:-1]):
            following = tokens[index + 1]
            if token.text in AGGREGATES and following.kind is Kind.WORD:
                last = index + 1
                if last + 1 < len(tokens) and tokens[last + 1].text == "{" and last + 1 in pairs:
                    last = pairs[last + 1]
                spans.setdefault((token.text, following.text), []).append(
                    (token.start, tokens[last].end)
                )
        for key in sorted(spans):
            if len(spans[key]) < 2:
                continue
            pieces, position = [], 0
            for start, end in spans[key]:
                pieces.append(text[position:start])
                pieces.append("int")
                position = end
            pieces.append(text[position:])
            yield "".join(pieces)

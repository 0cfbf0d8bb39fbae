"""A forgiving C tokenizer: spans of tokens in any text, never fails.

Reduction passes need token boundaries, bracket matching and top-level structure, but must
cope with half-deleted, ill-formed candidates, so anything unrecognised becomes a
one-character token.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum, auto
from functools import lru_cache
from typing import NamedTuple


class Kind(Enum):
    DIRECTIVE = auto()  # a whole preprocessor line, continuations included
    COMMENT = auto()
    STRING = auto()  # string or character literal
    WORD = auto()  # identifier or keyword
    NUMBER = auto()
    PUNCT = auto()


class Token(NamedTuple):
    # A NamedTuple, not a dataclass: a 30,000-line input has ~800k tokens and building
    # frozen dataclasses dominated tokenizing time.
    kind: Kind
    start: int
    end: int
    text: str


# A backslash-newline inside a literal continues it (lines are spliced before tokens are
# made: Python's docstrings in C, `"...\n\` then the next line).
_TOKEN_RE = re.compile(
    r"""
    (?P<directive>(?:(?<=\n)|^)[ \t]*\#(?:\\\n|[^\n])*)
  | (?P<comment>//[^\n]*|/\*(?:.|\n)*?(?:\*/|\Z))
  | (?P<string>[LuU8]*"(?:\\(?:.|\n)|[^"\\\n])*"?|[LuU]?'(?:\\(?:.|\n)|[^'\\\n])*'?)
  | (?P<word>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<number>\.?[0-9](?:[eEpP][+-]|[A-Za-z0-9_.])*)
  | (?P<punct>\.\.\.|<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||\#\#|[-+*/%&|^!=<>]=|\S)
    """,
    re.VERBOSE,
)
_KINDS = {
    "directive": Kind.DIRECTIVE,
    "comment": Kind.COMMENT,
    "string": Kind.STRING,
    "word": Kind.WORD,
    "number": Kind.NUMBER,
    "punct": Kind.PUNCT,
}


@lru_cache(maxsize=4)
def tokenize(text: str) -> list[Token]:
    """Tokens of a whole text. Cached: several passes look at the same text in turn, and
    on large inputs tokenizing is the costly part of generating candidates. Callers must
    not mutate the returned list. Pieces of a text (an item, a body, a header) go to
    `scan`: through here, each would push a whole text out of the four cached ones."""
    return scan(text)


def scan(text: str) -> list[Token]:
    """Tokens of `text`, not cached (see `tokenize`)."""
    kinds = _KINDS
    directive = Kind.DIRECTIVE
    tokens: list[Token] = []
    append = tokens.append
    # No alternative matches whitespace (a directive may begin with the line's blanks), so
    # finditer steps over it; every other character starts some token.
    for match in _TOKEN_RE.finditer(text):
        kind = kinds[match.lastgroup or "punct"]
        start, end = match.span()
        if kind is directive and text[start] != "#":
            start = text.index("#", start)  # the token starts at '#', not at the blanks
        append(Token(kind, start, end, text[start:end]))
    return tokens


# Keywords (and keyword-like names) that passes must never treat as user identifiers.
C_KEYWORDS = frozenset(
    [
        "auto",
        "break",
        "case",
        "char",
        "const",
        "continue",
        "default",
        "do",
        "double",
        "else",
        "enum",
        "extern",
        "float",
        "for",
        "goto",
        "if",
        "inline",
        "int",
        "long",
        "register",
        "restrict",
        "return",
        "short",
        "signed",
        "sizeof",
        "static",
        "struct",
        "switch",
        "typedef",
        "union",
        "unsigned",
        "void",
        "volatile",
        "while",
        "_Bool",
        "_Complex",
        "_Static_assert",
        "_Alignas",
        "_Alignof",
        "_Atomic",
        "_Generic",
        "_Noreturn",
        "_Thread_local",
        "asm",
        "typeof",
        "bool",
        "true",
        "false",
    ]
)


OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {v: k for k, v in OPENERS.items()}


def match_brackets(tokens: list[Token]) -> dict[int, int]:
    """Map index of each opening bracket to the index of its matching closer.

    Unbalanced brackets are left out rather than guessed.
    """
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.kind is not Kind.PUNCT:
            continue
        if token.text in OPENERS:
            stack.append(index)
        elif token.text in CLOSERS:
            # Pop until the matching opener kind: tolerate stray closers.
            for depth in range(len(stack) - 1, -1, -1):
                if tokens[stack[depth]].text == CLOSERS[token.text]:
                    pairs[stack[depth]] = index
                    del stack[depth:]
                    break
    return pairs


def declarator_name(tokens: list[Token], pairs: dict[int, int], open_paren: int) -> str | None:
    """The name a parameter list at ``open_paren`` belongs to: the word before it, or,
    after a parenthesized declarator, the first non-keyword word inside that group
    (csmith's safe math functions are `static int8_t (safe_add_func_int8_t_s_s)(...)`;
    `int (*handler(int))(char)` is `handler`). None if there is no such word."""
    if open_paren == 0:
        return None
    before = tokens[open_paren - 1]
    if before.kind is Kind.WORD:
        return before.text
    if before.text != ")":
        return None
    group = next((i for i, c in pairs.items() if c == open_paren - 1), None)
    return None if group is None else first_name(tokens[group + 1 : open_paren - 1])


def first_name(tokens: list[Token]) -> str | None:
    """The first word that is not a keyword: the name a declarator declares."""
    return next((t.text for t in tokens if t.kind is Kind.WORD and t.text not in C_KEYWORDS), None)


# Keywords that can begin a declaration or stand in its type (`static const int x`): what
# tells a declaration from a statement by its first word (slice, focus) and a declared name
# by the word before it (rename).
DECLARATION_WORDS = frozenset(
    {
        "auto", "char", "const", "double", "enum", "extern", "float", "int", "long",
        "register", "short", "signed", "static", "struct", "union", "unsigned", "void",
        "volatile", "_Bool",
    }
)  # fmt: skip


def replace_word(text: str, tokens: list[Token], name: str, replacement: str, base: int = 0) -> str:
    """`text` with every identifier token `name` replaced (tokens' offsets are relative to
    text[base:]); string literals, comments and longer identifiers are left alone."""
    return replace_words(text, tokens, {name: replacement}, base)


def replace_words(
    text: str, tokens: list[Token], replacements: Mapping[str, str], base: int = 0
) -> str:
    """`text` with every identifier token named in `replacements` replaced by its value,
    all in one pass (a rename of several names at once: none sees another's result)."""
    pieces: list[str] = []
    position = 0
    for token in tokens:
        if token.kind is Kind.WORD and token.text in replacements:
            pieces.append(text[position : base + token.start])
            pieces.append(replacements[token.text])
            position = base + token.end
    pieces.append(text[position:])
    return "".join(pieces)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def identifiers(text: str) -> frozenset[str]:
    """Every identifier-shaped word in ``text`` (a script, a verdict's reason), by a scan
    that knows nothing of C's literals or comments."""
    return frozenset(_IDENTIFIER.findall(text))


def count_tokens(text: str) -> int:
    """len(tokenize(text)), without building (and caching) the tokens: reduce's summary
    counts the original's, which on a 9 MB input are 2.7 million Token tuples (~450 MB
    kept in tokenize's cache to the end of the run) and took ~4x longer than counting."""
    # One token per match: every alternative of _TOKEN_RE matches at least one character.
    return sum(1 for _ in _TOKEN_RE.finditer(text))


def normalized_size(text: str) -> int:
    """Bytes after folding every whitespace run to one space: the size people compare."""
    return len(re.sub(r"\s+", " ", text).strip().encode("utf-8"))


def top_level_items(text: str) -> list[tuple[int, int]]:
    """Character spans of top-level declarations, function definitions and directives.

    An item ends at a ';' at bracket depth 0, or at a '}' that closes a brace group opened
    at depth 0 unless that group is an initializer or a struct/union/enum body (those run
    on to their ';').

    Cached like tokenize (unused, initializers and dangling ask in turn about the same
    text; matching the brackets of tree-sitter's 1.2 MB table was ~20 ms a time).
    """
    return list(_top_level_items(text))


@lru_cache(maxsize=4)
def _top_level_items(text: str) -> tuple[tuple[int, int], ...]:
    tokens = tokenize(text)
    pairs = match_brackets(tokens)
    items: list[tuple[int, int]] = []
    index = 0
    count = len(tokens)
    item_start: int | None = None
    while index < count:
        token = tokens[index]
        if token.kind is Kind.DIRECTIVE:
            if item_start is None:
                items.append((token.start, token.end))
            index += 1
            continue
        if item_start is None:
            item_start = index
        if token.kind is Kind.PUNCT and token.text == ";":
            items.append((tokens[item_start].start, token.end))
            item_start = None
            index += 1
            continue
        if index in pairs:
            close = pairs[index]
            if token.text == "{" and not _brace_continues(tokens, item_start, index):
                items.append((tokens[item_start].start, tokens[close].end))
                item_start = None
            index = close + 1
            continue
        index += 1
    if item_start is not None:
        items.append((tokens[item_start].start, tokens[-1].end))
    return tuple(items)


_AGGREGATE_KEYWORDS = {"struct", "union", "enum"}


def _brace_continues(tokens: list[Token], item_start: int, brace: int) -> bool:
    """Is this top-level '{' an initializer or aggregate body (item continues to ';')?"""
    previous = tokens[brace - 1] if brace > item_start else None
    if previous is None:
        return False
    if previous.text == "=":
        return True
    if previous.text in _AGGREGATE_KEYWORDS:
        return True
    before = tokens[brace - 2] if brace - 1 > item_start else None
    return previous.kind is Kind.WORD and before is not None and before.text in _AGGREGATE_KEYWORDS

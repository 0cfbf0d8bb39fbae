"""Inline macros: `#define NAME body` goes, and each use of NAME becomes body.

Object-like macros are replaced word for word. Function-like ones (`__section(s)`,
`ARRAY_SIZE(a)`: kernel sources are full of them, and a kept `#define` line costs more
than anything else in a reduced file) are expanded at each call `NAME(args)`: every
parameter in the body is replaced by the argument's text, as the preprocessor does.
Function-like macros whose body stringifies or pastes (`#`, `##`), that take variable
arguments, that another directive mentions (`#if`, `#ifdef`, a second `#define`) or that
are used inside their own arguments are left alone: expanding those as plain text could
change what the file means, not just its size.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, Token, match_brackets, replace_word, scan, tokenize
from reducer.passes.base import Candidate
from reducer.passes.schedules import restarting

_OBJECT_LIKE = re.compile(r"#\s*define\s+([A-Za-z_]\w*)(?:\s+(.*))?\Z", re.DOTALL)
# No space between the name and '(' : that is what makes a macro function-like.
_FUNCTION_LIKE = re.compile(r"#\s*define\s+([A-Za-z_]\w*)\(([^()]*)\)(.*)\Z", re.DOTALL)
_PARAMETER = re.compile(r"[A-Za-z_]\w*\Z")


def _body(raw: str | None) -> str:
    return (raw or "").replace("\\\n", " ").strip()


def _arguments(text: str, tokens: list[Token], open_index: int, close_index: int) -> list[str]:
    """The argument texts of a call whose '(' and ')' are tokens[open_index/close_index]."""
    pairs = match_brackets(tokens)
    arguments: list[str] = []
    start = tokens[open_index].end
    index = open_index + 1
    while index < close_index:
        token = tokens[index]
        if token.text == ",":
            arguments.append(text[start : token.start].strip())
            start = token.end
        index = pairs[index] + 1 if index in pairs else index + 1
    last = text[start : tokens[close_index].start].strip()
    if arguments or last:
        arguments.append(last)
    return arguments


def _substitute(body: str, parameters: list[str], arguments: list[str]) -> str:
    """The body with each parameter word replaced by its argument's text."""
    replacement = dict(zip(parameters, arguments, strict=True))
    pieces: list[str] = []
    position = 0
    for token in scan(body):
        if token.kind is Kind.WORD and token.text in replacement:
            pieces += [body[position : token.start], replacement[token.text]]
            position = token.end
    pieces.append(body[position:])
    return "".join(pieces)


def expand_function_like(
    text: str, start: int, name: str, parameters: list[str], body: str
) -> str | None:
    """text[start:] with every `name(args)` expanded, or None if a use cannot be."""
    rest = text[start:]
    tokens = scan(rest)
    pairs = match_brackets(tokens)
    pieces: list[str] = []
    position = 0
    for index, token in enumerate(tokens):
        if token.kind is Kind.DIRECTIVE and re.search(rf"\b{re.escape(name)}\b", token.text):
            return None
        if token.kind is not Kind.WORD or token.text != name:
            continue
        opener = index + 1
        if opener >= len(tokens) or tokens[opener].text != "(" or opener not in pairs:
            continue  # the bare name is no macro call (a function of the same name)
        closer = pairs[opener]
        if any(t.kind is Kind.WORD and t.text == name for t in tokens[opener:closer]):
            return None  # F(F(x)): the preprocessor expands arguments first; text cannot
        arguments = _arguments(rest, tokens, opener, closer)
        if len(arguments) != len(parameters):
            return None
        pieces += [rest[position : token.start], _substitute(body, parameters, arguments)]
        position = tokens[closer].end
    pieces.append(rest[position:])
    return text[:start] + "".join(pieces)


class InlineMacrosPass:
    name = "macros"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from restarting(self._edits(text))

    def _edits(self, text: str) -> Iterator[str]:
        tokens = tokenize(text)
        for token in tokens:
            if token.kind is not Kind.DIRECTIVE:
                continue
            without_define = text[: token.start] + text[token.end :]
            inlined = self._inline(without_define, token)
            if inlined is not None and len(inlined) < len(text):
                # (a macro used many times grows when inlined)
                yield inlined

    @staticmethod
    def _inline(without_define: str, define: Token) -> str | None:
        if match := _OBJECT_LIKE.match(define.text):
            rest = scan(without_define[define.start :])
            return replace_word(
                without_define, rest, match.group(1), _body(match.group(2)), define.start
            )
        if match := _FUNCTION_LIKE.match(define.text):
            name, body = match.group(1), _body(match.group(3))
            parameters = [p.strip() for p in match.group(2).split(",") if p.strip()]
            if "#" in body or not all(_PARAMETER.match(p) for p in parameters):
                return None  # stringify/paste, or `...`: not plain text substitution
            return expand_function_like(without_define, define.start, name, parameters, body)
        return None

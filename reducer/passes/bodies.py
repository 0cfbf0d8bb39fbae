"""Empty function bodies: first all of them at once except the functions the oracle
pointed at and their callers (one big, often successful cut), then each body on its own,
last first.

Callers of a `static` kept function stay, because a `static` function nobody calls is not
emitted at all."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from functools import lru_cache
from typing import NamedTuple

from reducer.ctokens import Kind, declarator_name, match_brackets, scan, top_level_items
from reducer.passes.base import Candidate
from reducer.passes.chunks import Span
from reducer.passes.schedules import all_then_each


class FunctionBody(NamedTuple):
    name: str
    start: int  # the inside of the braces
    end: int
    is_static: bool  # internal linkage: not emitted unless something uses it


def function_bodies(text: str) -> list[FunctionBody]:
    """Each top-level function definition's body (the inside of its braces)."""
    bodies = []
    for item_start, item_end in top_level_items(text):
        tokens = scan(text[item_start:item_end])
        if not tokens or tokens[-1].text != "}" or tokens[0].kind is Kind.DIRECTIVE:
            continue
        pairs = match_brackets(tokens)
        opener = next((i for i, c in pairs.items() if c == len(tokens) - 1), None)
        if opener is None or opener == 0 or tokens[opener - 1].text != ")":
            continue  # not `... ) { ... }`: a struct body or initializer
        # The function name is the word before the parameter list's '('.
        close_paren = opener - 1
        open_paren = next((i for i, c in pairs.items() if c == close_paren), None)
        name = None if open_paren is None else declarator_name(tokens, pairs, open_paren)
        if name is None:
            continue
        inner_start = item_start + tokens[opener].end
        inner_end = item_start + tokens[-1].start
        is_static = any(t.text == "static" for t in tokens[:open_paren])
        if text[inner_start:inner_end].strip():
            bodies.append(FunctionBody(name, inner_start, inner_end, is_static))
    return bodies


def _with_callers(text: str, bodies: list[FunctionBody], focus: frozenset[str]) -> set[str]:
    """The focus functions plus every function whose body (transitively) mentions a kept
    `static` one: an external function is emitted whether or not anything calls it."""
    static = {body.name for body in bodies if body.is_static}
    words = {
        body.name: {t.text for t in scan(text[body.start : body.end]) if t.kind is Kind.WORD}
        for body in bodies
    }
    kept = set(focus)
    grew = True
    while grew:
        grew = False
        for name, used in words.items():
            if name not in kept and used & kept & static:
                kept.add(name)
                grew = True
    return kept


class EmptyBodiesPass:
    name = "bodies"

    def __init__(self, focus: frozenset[str] = frozenset()) -> None:
        self.focus = focus

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        # The all-at-once candidate and each one after it look at the same bodies.
        bodies = lru_cache(maxsize=1)(function_bodies)

        def every(source: str) -> list[Span]:
            return [(body.start, body.end) for body in bodies(source)]

        def not_kept(source: str) -> list[Span]:
            kept = _with_callers(source, bodies(source), self.focus)
            return [(body.start, body.end) for body in bodies(source) if body.name not in kept]

        # Carried: after emptying one body, those before it did not move, so the pass goes
        # on with them without finding them again.
        yield from all_then_each(text, every, resume, together=not_kept, carry=True)

"""Statement-level delta debugging: halving over the statements of function bodies, the
outermost first, then those nested in what is left (hierarchical delta debugging).

Removing whole statements keeps the braces balanced at every chunk size, where halving
over lines cuts through blocks: on a 39 KB csmith function (a script oracle, so no
DWARF slice) `lines` made 207 compiles and `balanced` 133 more to find the three
statements that matter.

A statement is found by its tokens: it ends at a `;` or at the `}` of a compound
statement, unless an `else` follows (the if's other branch belongs to it) or the braces
are an initializer or an aggregate's body (`= {...}`, `struct S {...} s;`). Bodies
with a preprocessor directive inside are left alone: a statement span could cut an
`#if` from its `#endif`.

Pure: the units depend only on the text.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from functools import lru_cache

from reducer.ctokens import Kind, match_brackets, scan
from reducer.passes.base import Candidate
from reducer.passes.chunks import Span
from reducer.passes.focus import fast_function_bodies
from reducer.passes.schedules import by_level
from reducer.passes.statement_split import split_statements


@lru_cache(maxsize=4)
def statement_levels(text: str) -> tuple[tuple[Span, ...], ...]:
    """The statements of every function body, by nesting level (0: directly in a body),
    each level in text order, each span widened to whole lines where the statement has
    its lines to itself (see _whole_lines)."""
    levels: list[list[Span]] = []
    for body in fast_function_bodies(text):
        tokens = [t for t in scan(text[body.start : body.end]) if t.kind is not Kind.COMMENT]
        pairs = match_brackets(tokens)
        openers = {closed: opened for opened, closed in pairs.items()}
        pending = [(0, 0, len(tokens))]  # (level, low, high) token ranges to split
        found: list[tuple[int, list[Span]]] = []
        well_formed = True
        while pending:
            level, low, high = pending.pop()
            split = split_statements(tokens, pairs, openers, low, high)
            if split is None:
                well_formed = False
                break
            statements, blocks = split
            spans = [
                _whole_lines(text, body.start + tokens[a].start, body.start + tokens[b].end)
                for a, b in statements
            ]
            found.append((level, spans))
            pending.extend((level + 1, opened + 1, closed) for opened, closed in blocks)
        if not well_formed:
            continue
        for level, spans in found:
            while len(levels) <= level:
                levels.append([])
            levels[level].extend(spans)
    return tuple(tuple(sorted(spans)) for spans in levels)


def _whole_lines(text: str, start: int, end: int) -> Span:
    """The span widened over the blanks before it to its line's start and after it
    through its newline, where nothing else is on those sides of the line."""
    before = start
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    if before == 0 or text[before - 1] == "\n":
        start = before
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == "\n":
        end = after + 1
    return (start, end)


def statements_at(text: str, level: int) -> Sequence[Span]:
    levels = statement_levels(text)
    return levels[level] if level < len(levels) else ()


class StatementsPass:
    """Proposes nothing when ``sliced``: the slice pass has already kept only the
    statements the oracle's relocations come from, and halving over those only changes
    which of them survives, for the worse by measurement (csmith seed 1, r_x86_64_32s:
    509 -> 964 calls and 62 -> 99 B, an array initializer left for `tokens`; the
    purgatory case with --keep-names: 118 -> 184 B)."""

    name = "statements"

    def __init__(self, sliced: bool = False) -> None:
        self.sliced = sliced

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        if not self.sliced:
            yield from by_level(text, statements_at, resume)

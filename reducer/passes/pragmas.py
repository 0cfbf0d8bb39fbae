"""Remove pragmas: every pragma line at once, then each `push` with its `pop`.

A push alone or a pop alone does not compile (`#pragma clang attribute push` left
unterminated, a pop with no push), so `lines`, which removes one line at a time, cannot
remove the pair: CRoaring's target regions, kept whole by the focus cut (passes/markers.py),
stayed in the script row's result as `_Pragma(...push)` ... `_Pragma("clang attribute
pop")` around the one function left.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator

from reducer.passes.base import Candidate
from reducer.passes.chunks import Span, remove_spans
from reducer.passes.schedules import cuts_then_halving

# A `#pragma` directive, or a line that is only a `_Pragma(...)`/`__pragma(...)` operator.
_PRAGMA_LINE = re.compile(
    r"^[ \t]*(?:#[ \t]*pragma\b[^\n]*|(?:_Pragma|__pragma)[ \t]*\([^\n]*\)[ \t]*;?[ \t]*)(?:\n|\Z)",
    re.M,
)
_PUSH = re.compile(r"\bpush\b")
_POP = re.compile(r"\bpop\b")


def pragma_lines(text: str) -> list[Span]:
    return [match.span() for match in _PRAGMA_LINE.finditer(text)]


def push_pop_pairs(text: str, lines: list[Span]) -> list[tuple[Span, Span]]:
    """Each push line with the pop that closes it (the nearest open push: pragmas of
    different kinds rarely interleave, and a wrong pair costs one rejected candidate)."""
    pairs: list[tuple[Span, Span]] = []
    open_pushes: list[Span] = []
    for span in lines:
        line = text[span[0] : span[1]]
        if _PUSH.search(line):
            open_pushes.append(span)
        elif _POP.search(line) and open_pushes:
            pairs.append((open_pushes.pop(), span))
    return sorted(pairs)


class RemovePragmasPass:
    name = "pragmas"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        lines = pragma_lines(text)
        cuts = [remove_spans(text, lines)] if lines else []
        cuts += [remove_spans(text, list(pair)) for pair in push_pop_pairs(text, lines)]
        yield from cuts_then_halving(text, lambda _: [], resume, cuts, again=True)

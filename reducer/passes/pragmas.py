"""Remove pragmas: every pragma line at once, then each `push` with its `pop`. A line that
only invokes a pragma-making macro (passes/markers.py: CRoaring's `CROARING_TARGET_AVX2`)
counts as a pragma; it pushes or pops as its macro's expansion does (PragmaMacros).

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
from reducer.passes.markers import NO_PRAGMA_MACROS, PragmaMacros, marker_line
from reducer.passes.schedules import cuts_then_halving

# A `#pragma` directive, or a line that is only a `_Pragma(...)`/`__pragma(...)` operator.
_PRAGMA_LINE = re.compile(
    r"^[ \t]*(?:#[ \t]*pragma\b[^\n]*|(?:_Pragma|__pragma)[ \t]*\([^\n]*\)[ \t]*;?[ \t]*)(?:\n|\Z)",
    re.M,
)
_PUSH = re.compile(r"\bpush\b")
_POP = re.compile(r"\bpop\b")
_LINE_START = re.compile(r"^[ \t]*", re.M)
_NAME = re.compile(r"[A-Za-z_$][\w$]*")


def pragma_lines(text: str, markers: frozenset[str] = frozenset()) -> list[Span]:
    """The pragma lines, and the lines that only invoke one of ``markers``."""
    spans = [match.span() for match in _PRAGMA_LINE.finditer(text)]
    marker = marker_line(markers)
    if marker is not None:
        for start in _LINE_START.finditer(text):
            found = marker.match(text, start.end())
            if found is not None:
                end = found.end() + text.startswith("\n", found.end())
                spans.append((start.start(), end))
    return sorted(set(spans))


def push_pop_pairs(
    text: str, lines: list[Span], macros: PragmaMacros = NO_PRAGMA_MACROS
) -> list[tuple[Span, Span]]:
    """Each push line with the pop that closes it (the nearest open push: pragmas of
    different kinds rarely interleave, and a wrong pair costs one rejected candidate)."""
    pairs: list[tuple[Span, Span]] = []
    open_pushes: list[Span] = []
    for span in lines:
        line = text[span[0] : span[1]]
        first = _NAME.search(line)
        name = first.group() if first is not None else ""
        if name in macros.pushing or (_PUSH.search(line) and name not in macros.popping):
            open_pushes.append(span)
        elif (name in macros.popping or _POP.search(line)) and open_pushes:
            pairs.append((open_pushes.pop(), span))
    return sorted(pairs)


class RemovePragmasPass:
    name = "pragmas"

    def __init__(self, macros: PragmaMacros = NO_PRAGMA_MACROS) -> None:
        self.macros = macros

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        lines = pragma_lines(text, self.macros.names)
        cuts = [remove_spans(text, lines)] if lines else []
        pairs = push_pop_pairs(text, lines, self.macros)
        cuts += [remove_spans(text, list(pair)) for pair in pairs]
        yield from cuts_then_halving(text, lambda _: [], resume, cuts, again=True)

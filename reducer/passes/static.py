"""Drop `static` (and `inline`): all of them at once, then each, last first.

An external function is emitted even when nothing calls it, so afterwards callers can go;
external globals are addressed through their own symbol, which reads better too."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, tokenize
from reducer.passes.base import Candidate
from reducer.passes.chunks import Span
from reducer.passes.schedules import all_then_each

DROPPABLE = frozenset({"static", "inline", "__inline", "__inline__"})


class DropStaticPass:
    name = "static"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from all_then_each(text, droppable_spans, resume)


def droppable_spans(text: str) -> list[Span]:
    return [(t.start, t.end) for t in tokenize(text) if t.kind is Kind.WORD and t.text in DROPPABLE]

"""Drop `static` (and `inline`): all of them at once, then each, last first.

An external function is emitted even when nothing calls it, so afterwards callers can go;
external globals are addressed through their own symbol, which reads better too."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import Kind, tokenize
from reducer.passes.base import Candidate
from reducer.passes.chunks import remove_spans

DROPPABLE = frozenset({"static", "inline", "__inline", "__inline__"})


class DropStaticPass:
    name = "static"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        spans = [
            (t.start, t.end) for t in tokenize(text) if t.kind is Kind.WORD and t.text in DROPPABLE
        ]
        if not spans:
            return
        if resume is None and len(spans) > 1:
            yield Candidate(remove_spans(text, spans), "each")
        for span in reversed(spans):
            yield Candidate(remove_spans(text, [span]), "each")

"""Remove whole top-level declarations, definitions and preprocessor lines.

First, every `#include` line that repeats an earlier one, at once: an amalgamation
(CRoaring's, SQLite's, zstd's) repeats each source file's system includes, ~35 lines
in roaring.c's focus cut, scattered among the items that must stay, where halving
removed them one accepted call at a time (~60 calls at ~0.8 s). A header meant to be
included twice (an X-macro table) makes the cut fail: one call.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import top_level_items
from reducer.passes.base import Candidate
from reducer.passes.chunks import Span, remove_spans
from reducer.passes.includes import INCLUDE_LINE
from reducer.passes.schedules import cuts_then_halving


def repeated_includes(text: str) -> list[Span]:
    """The `#include` lines that name a header an earlier one names."""
    seen: set[tuple[str | None, ...]] = set()
    spans: list[Span] = []
    for match in INCLUDE_LINE.finditer(text):
        header = match.groups()  # ("x.h", None) or (None, "stdio.h")
        if header in seen:
            spans.append(match.span())
        seen.add(header)
    return spans


class TopLevelPass:
    name = "toplevel"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        repeated = repeated_includes(text)
        cuts = [remove_spans(text, repeated)] if repeated else []
        yield from cuts_then_halving(text, top_level_items, resume, cuts, again=False)

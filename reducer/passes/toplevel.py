"""Remove whole top-level declarations, definitions and preprocessor lines."""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.ctokens import top_level_items
from reducer.passes.base import Candidate
from reducer.passes.schedules import halving


class TopLevelPass:
    name = "toplevel"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        yield from halving(text, top_level_items, resume)

"""What the procedure and the speculator both read: a pass's candidates on one text, pulled
lazily and kept (so speculation can look ahead of the procedure on the same stream), and
the windows of a stream free workers may run."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from reducer.passes.base import Candidate


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


@dataclass(frozen=True)
class Entry:
    candidate: Candidate
    key: bytes


class Stream:
    """One pass's candidates for one text, pulled lazily and kept for lookahead. Passes are
    pure, so a stream opened by speculation yields what a fresh one would."""

    def __init__(self, candidates: Iterator[Candidate], text: str) -> None:
        self._candidates = candidates
        self.text = text
        self.entries: list[Entry] = []
        self.exhausted = False

    def get(self, index: int) -> Entry | None:
        while len(self.entries) <= index and not self.exhausted:
            candidate = next(self._candidates, None)
            if candidate is None:
                self.exhausted = True
            elif len(candidate.text) < len(self.text) or candidate.grows:
                # Never accept something larger or equal (unless it says so).
                self.entries.append(Entry(candidate, digest(candidate.text)))
        return self.entries[index] if index < len(self.entries) else None

    def pulled(self, index: int) -> bool:
        """Whether ``get(index)`` would answer without making a candidate."""
        return index < len(self.entries) or self.exhausted


@dataclass(frozen=True)
class Window:
    """Where free workers may speculate: stream[start:stop], past `fence` only while no
    entry before it is known interesting (the procedure would not get that far)."""

    stream: Stream
    start: int
    stop: int
    fence: int


def foldable(candidate: Candidate) -> bool:
    """Tested in batches and merged (see reducer.engine), rather than alone."""
    return candidate.foldable and not candidate.grows

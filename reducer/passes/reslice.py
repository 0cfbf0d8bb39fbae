"""The reslice pass: the slice pass's cut one function at a time, after the first cut.

The slice pass (reducer.passes.slice) tries every offending function's slice at once on the
original. When the oracle rejects that, slicing one function at a time still pays off (the
calls a sliced function no longer makes let its callees go), but on the original each try
compiles the whole input: on a 195 KB csmith program, 16 calls of ~0.3 s, half the
reduction's wall. So the one-at-a-time slices wait until the focus cut has made the text
small, and find their lines there: a function whose body is still the original's, byte for
byte, has its offending lines at the same distance from the body's start.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from reducer.passes.base import Candidate
from reducer.passes.bodies import FunctionBody
from reducer.passes.focus import fast_function_bodies
from reducer.passes.schedules import FromSite
from reducer.passes.slice import slice_functions
from reducer.reloclines import FunctionLines


class ReslicePass:
    """Yields, for each offending function whose body is unchanged since the original,
    last first, its slice without and then with its declarations."""

    name = "reslice"

    def __init__(self, original: str, lines: FunctionLines) -> None:
        self.original = original
        self.lines = lines
        # name -> (the original body's text, the line its inside starts on): computed on
        # first use (the original may be megabytes; most reductions never get here).
        self._bodies: dict[str, tuple[str, int]] | None = None

    def _original_bodies(self) -> dict[str, tuple[str, int]]:
        if self._bodies is None:
            text = self.original
            self._bodies = {
                body.name: (text[body.start : body.end], text.count("\n", 0, body.start))
                for body in fast_function_bodies(text)
                if body.name in self.lines
            }
        return self._bodies

    def _moved_lines(self, text: str, body: FunctionBody) -> frozenset[int] | None:
        """The function's offending lines as they fall in ``text`` (None: its body is no
        longer the original's, so the lines say nothing about it)."""
        original = self._original_bodies().get(body.name)
        if original is None or text[body.start : body.end] != original[0]:
            return None
        shift = text.count("\n", 0, body.start) - original[1]
        return frozenset(line + shift for line in self.lines[body.name])

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        if len(self.lines) < 2:
            return  # one function: the slice pass's one cut was all there is to try
        bodies = fast_function_bodies(text)
        order = [body for body in reversed(bodies) if body.name in self.lines]
        # A slice moves the lines after it, not before: going last first, the functions
        # still to do keep their places (and their resume positions).
        done = resume.site if isinstance(resume, FromSite) else 0
        for position in range(done, len(order)):
            body = order[position]
            moved = self._moved_lines(text, body)
            if moved is None:
                continue
            for keep_declarations in (False, True):
                sliced = slice_functions(text, [body], {body.name: moved}, keep_declarations)
                if sliced is not None:
                    yield Candidate(sliced, FromSite(position + 1))

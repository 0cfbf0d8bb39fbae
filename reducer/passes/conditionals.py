"""`conditionals`: resolve every #if group the way the compiler takes it, as unifdef would
with the right answers.

Real files keep their `#if` structure (sqlite3.c: ~1,800 groups; after the focus cut
still 672 groups and 1,312 #defines, a third of the text), and every kept `#if` keeps the
`#define`s it tests alive for the closure of `focus` and costs the line-based passes one
call per directive. C-Reduce runs unifdef once per macro; here clang answers for all
groups at once: libclang's skipped ranges (reducer.libclang.skipped_ranges) say which
branches the preprocessor did not take, under the command's own -D/-I/-std/--target.

The first candidate resolves every group: the taken branch's lines stay, the other
branches and every conditional directive line go. It means the same to this compile, so
the oracle accepts it unless the real compiler's configuration differs from libclang's
(another release's `__clang_major__`, `-O2`'s `__OPTIMIZE__`, `-mavx2`'s `__AVX2__`);
then halving over the outermost groups finds the ones that can go.

Pure: the candidates depend only on the text and the flags (libclang runs in-process,
cached by text).
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from reducer import libclang
from reducer.passes.base import FINE_MAX_BYTES, Candidate
from reducer.passes.chunks import Span, remove_spans
from reducer.passes.focus import conditional_lines
from reducer.passes.schedules import AFTER_ALL, HALVE, Halve, Halving, halving


@dataclass(frozen=True)
class _Group:
    span: Span  # from the #if line to the end of the #endif line
    directives: tuple[Span, ...]  # its own conditional lines (#if, #elif, #else, #endif)
    dropped: tuple[Span, ...]  # the bodies of the branches not taken (nested groups in them)
    nested: tuple[_Group, ...]  # the groups in its taken branch


class _Skipped:
    """Whether a directive opens or lies inside one of the skipped ranges, by bisection
    (sqlite3.c: ~5,000 conditional lines against 1,760 ranges)."""

    def __init__(self, ranges: Sequence[Span]) -> None:
        ordered = sorted(ranges)
        self.starts = [start for start, _ in ordered]
        self.reach: list[int] = []  # the furthest end of the ranges up to each one
        for _, end in ordered:
            self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def __call__(self, hash_at: int, name_end: int) -> bool:
        """For the directive whose '#' is at `hash_at` and whose name ends at `name_end`
        (a range that ends at its name is closed by it)."""
        index = bisect.bisect_right(self.starts, hash_at) - 1
        return index >= 0 and name_end < self.reach[index]


@dataclass
class _Open:
    """A group being read: its #if line's start, what it has so far, where the current
    branch's body starts if that branch is not taken, and whether one was taken."""

    start: int
    directives: list[Span] = field(default_factory=list)
    dropped: list[Span] = field(default_factory=list)
    nested: list[_Group] = field(default_factory=list)
    skipped_body: int | None = None
    taken: bool = False

    def branch(self, directive: Span, skipped: bool) -> None:
        """A branch starts at `directive` (#if, #elif or #else)."""
        self.directives.append(directive)
        take = not self.taken and not skipped
        self.taken = self.taken or take
        self.skipped_body = None if take else directive[1]

    def close_branch(self, at: int) -> None:
        if self.skipped_body is not None:
            self.dropped.append((self.skipped_body, at))


def _groups(text: str, ranges: Sequence[Span]) -> list[_Group] | None:
    """The outermost #if groups of `text`, each resolved by `ranges`; None when the
    conditionals do not balance (a half-deleted candidate)."""
    skipped_at = _Skipped(ranges)
    stack: list[_Open] = []
    outermost: list[_Group] = []
    for start, end, directive in conditional_lines(text, 0, len(text)):
        hash_at = text.index("#", start)
        name_end = text.index(directive, hash_at) + len(directive)
        skipped = skipped_at(hash_at, name_end)
        if directive.startswith("if"):
            stack.append(_Open(start))
            stack[-1].branch((start, end), skipped)
            continue
        if not stack:
            return None
        group = stack[-1]
        group.close_branch(start)
        if directive != "endif":
            group.branch((start, end), skipped)
            continue
        group.directives.append((start, end))
        stack.pop()
        resolved = _Group(
            (group.start, end), tuple(group.directives), tuple(group.dropped), tuple(group.nested)
        )
        # Inside a skipped body it goes with that body; else it is resolved with its parent.
        if not stack:
            outermost.append(resolved)
        elif stack[-1].skipped_body is None:
            stack[-1].nested.append(resolved)
    return None if stack else outermost


def _removals(groups: Sequence[_Group]) -> list[Span]:
    spans: list[Span] = []
    for group in groups:
        spans += group.directives
        spans += group.dropped
        spans += _removals(group.nested)
    return spans


@lru_cache(maxsize=4)
def _resolved_groups(text: str, parse_flags: tuple[str, ...]) -> tuple[_Group, ...]:
    """The outermost groups of `text`, resolved; cached, since the halving asks for the
    units and then for each chunk of one text."""
    if "#" not in text:
        return ()
    try:
        ranges = libclang.skipped_ranges(text, parse_flags)
    except libclang.LibclangUnavailable:
        return ()
    if ranges is None:
        return ()
    return tuple(_groups(text, ranges) or ())


class ConditionalsPass:
    name = "conditionals"

    def __init__(self, parse_flags: Sequence[str] = ()) -> None:
        self.parse_flags = tuple(parse_flags)

    def _resolved(self, text: str) -> tuple[_Group, ...]:
        return _resolved_groups(text, self.parse_flags)

    def _units(self, text: str) -> list[Span]:
        return [group.span for group in self._resolved(text)]

    def _resolve(self, text: str, chunk: Sequence[Span]) -> str:
        """`text` with the groups at the chunk's spans resolved."""
        wanted = set(chunk)
        groups = [group for group in self._resolved(text) if group.span in wanted]
        return remove_spans(text, sorted(_removals(groups)))

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        if resume is None:
            groups = self._resolved(text)
            if not groups:
                return
            yield Candidate(remove_spans(text, sorted(_removals(groups))), AFTER_ALL)
            if len(groups) == 1:
                return
        inner = resume if isinstance(resume, Halving) else None
        # On a big text each call is seconds: single groups are left to the line passes.
        sizes = HALVE if len(text) <= FINE_MAX_BYTES else Halve(smallest=8)
        yield from halving(text, self._units, inner, sizes, edit=self._resolve)

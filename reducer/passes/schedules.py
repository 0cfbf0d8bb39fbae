"""Schedules: the order of a pass's candidates and where the pass goes on after one is
accepted, written once for every pass.

A pass states its units (spans of the text, or edit sites) and how to make one candidate
from a set of them; a schedule here turns that into the candidate stream and owns the
resume state. The engine hands a candidate's state back, unchanged, with the accepted
text, so a state must say everything the schedule needs to go on: every state is a
frozen, hashable value (the engine keys streams by it), and ``None`` means a new text.

A candidate marked ``foldable`` promises that its state depends only on the text before
the first character its edit changes: the engine may then merge it with its neighbours'
edits and resume from the merged text. The states such candidates carry say up to where
they depend on the text (``depends_through``), so the promise can be checked
(``foldable_promise_holds``) instead of trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from reducer.edits import edit_of
from reducer.passes.base import Candidate
from reducer.passes.chunks import Span, remove_span, remove_spans

# A pass's units: spans of the text, in text order and not overlapping.
UnitsOf = Callable[[str], Sequence[Span]]
# Makes one candidate: the text with the given units edited (removed, by default). It may
# change the text only inside those spans, which is what keeps chunk candidates foldable.
SpanEdit = Callable[[str, Sequence[Span]], str]

# -- resume states ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restart:
    """Start over on the accepted text, exactly as on a new one."""


@dataclass(frozen=True, slots=True)
class AfterAll:
    """An all-at-once candidate was accepted: go on with the per-unit part of the schedule
    (each unit, each group, or halving), from its start."""


@dataclass(frozen=True, slots=True)
class Finished:
    """Nothing is left to try on the accepted text."""


@dataclass(frozen=True, slots=True)
class Narrowed:
    """A cut that kept only part of the text's units was accepted: narrow again on the
    accepted text (keep part of what is left), then go on as after an all-at-once cut."""


RESTART = Restart()
AFTER_ALL = AfterAll()
FINISHED = Finished()
NARROWED = Narrowed()


@dataclass(frozen=True, slots=True)
class EachBefore:
    """Each of ``units`` alone, last first: the units before the accepted one, which its
    edit did not move, so they need not be found again."""

    units: tuple[Span, ...]

    @property
    def depends_through(self) -> int:
        # Units come in text order (UnitsOf), so the last ends last: O(1), which the
        # engine's check of every merged candidate needs on texts of many units.
        return self.units[-1][1] if self.units else 0


@dataclass(frozen=True, slots=True)
class Halving:
    """Chunks of ``size`` units that start before unit ``before``, over ``units`` (the
    units before the accepted chunk, which did not move), then the smaller sizes."""

    size: int
    before: int
    units: tuple[Span, ...]

    @property
    def depends_through(self) -> int:
        return self.units[-1][1] if self.units else 0  # in text order, as above


@dataclass(frozen=True, slots=True)
class AtLevel:
    """Halving over the units of nesting ``level`` (resumed from ``inner``), then over
    those of the deeper levels. As foldable as the halving's own state."""

    level: int
    inner: Halving

    @property
    def depends_through(self) -> int:
        return self.inner.depends_through


@dataclass(frozen=True, slots=True)
class Sliding:
    """Runs of width ``widths[width_index]`` that start before unit ``before``, then the
    next widths. The units are found again on resume; those before ``before`` are the
    same, since they end by ``depends_through``, before the accepted edit."""

    width_index: int
    before: int
    # Not part of the value: two states that resume alike are equal whatever text they
    # were made on.
    depends_through: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class FromSite:
    """Sites from ``site`` on, and at ``site`` its variants from ``variant`` on."""

    site: int
    variant: int = 0


@dataclass(frozen=True, slots=True)
class GroupUnit:
    """In group ``key`` (at ``position`` when its key is ambiguous), the units before
    ``limit``, then the earlier groups."""

    position: int
    key: Hashable
    limit: int


@dataclass(frozen=True, slots=True)
class Inlined:
    """``header`` was inlined at ``offset`` ("": a redundant include of it was removed):
    the sites from ``offset`` on come next, then the earlier ones. ``counts`` says how
    many times each header has been inlined on the way to this text (sorted pairs), so
    the pass's limits need no memory of its own: the engine also asks for the candidates
    after a candidate it only bets on."""

    offset: int
    header: str
    counts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Tried:
    """The keys of the edits proposed on the way to this text: they are not proposed again
    (each costs an oracle call, and one that was rejected mostly stays so)."""

    keys: frozenset[Hashable]


@runtime_checkable
class FoldableState(Protocol):
    """A state a foldable candidate may carry: made from ``text[:depends_through]`` only."""

    @property
    def depends_through(self) -> int: ...


def foldable_promise_holds(base: str, candidate: Candidate) -> bool:
    """Does ``candidate`` (made from ``base``) keep the promise ``foldable`` makes, that its
    resume state depends only on the text before the first character its edit changes?

    The edit is located as the engine locates it, by the common prefix with ``base``, so
    this checks exactly what the engine relies on when it merges. A candidate that is not
    foldable promises nothing; a foldable one whose state cannot say where it depends on
    the text breaks the promise.
    """
    if not candidate.foldable:
        return True
    through = state_depends_through(candidate.resume)
    if through is None:
        return False
    start, _end, _replacement = edit_of(base, candidate.text)
    return through <= start


def state_depends_through(state: Hashable | None) -> int | None:
    """How far into the text a resume state depends on it: 0 for a new start (None or
    RESTART depend on nothing), a foldable state's own answer, None when it cannot say."""
    if state is None or isinstance(state, Restart):
        return 0
    if isinstance(state, FoldableState):
        return state.depends_through
    return None


# -- chunk sizes ----------------------------------------------------------------------------


class ChunkSizes(Protocol):
    """The chunk sizes halving goes through: the first for a number of units, then each
    after the last (None: stop)."""

    def first(self, count: int) -> int | None: ...

    def after(self, size: int) -> int | None: ...


@dataclass(frozen=True, slots=True)
class Halve:
    """n/2, n/4, ... down to single units, or to ``smallest`` units (big texts: each call
    is slow, and finer passes do the rest once the text is small)."""

    smallest: int = 1

    def first(self, count: int) -> int | None:
        size = max(1, count // 2)
        return size if size >= self.smallest else None

    def after(self, size: int) -> int | None:
        smaller = size // 2
        return smaller if size > 1 and smaller >= self.smallest else None


HALVE = Halve()


# -- schedules ------------------------------------------------------------------------------


def restarting(texts: Iterable[str]) -> Iterator[Candidate]:
    """One candidate per edit, in the pass's order; after a success the pass starts over
    on the new text (an edit at one site can enable or disable edits anywhere)."""
    for text in texts:
        yield Candidate(text, RESTART)


def each_once(
    text: str,
    edits: Iterable[tuple[Hashable, Callable[[], str], str]],
    resume: Hashable | None,
    *,
    may_grow: bool = False,
) -> Iterator[Candidate]:
    """One candidate per keyed edit (a key names what it edits in any text, e.g. a
    variable; several edits may share a key, a fallback after its first try), with its
    kind, in the pass's order, each made only when pulled. After a success the pass looks
    at the new text's edits again, leaving out the keys proposed up to the accepted one,
    so an edit rejected once is not retried after every success. With ``may_grow`` an
    edit that does not shrink the text is proposed as one that ``grows``: it is a step the
    other passes then take further."""
    tried = resume.keys if isinstance(resume, Tried) else frozenset()
    proposed = set(tried)
    for key, build, kind in edits:
        if key in tried:
            continue
        proposed.add(key)
        edited = build()
        yield Candidate(
            edited,
            Tried(frozenset(proposed)),
            grows=may_grow and len(edited) >= len(text),
            kind=kind,
        )


def halving(
    text: str,
    units_of: UnitsOf,
    resume: Hashable | None,
    sizes: ChunkSizes = HALVE,
    edit: SpanEdit = remove_spans,
) -> Iterator[Candidate]:
    """ddmin-like: edit aligned chunks of n/2 units, then n/4, ... (as ``sizes`` says).

    Only the units' own spans change, so units need not be contiguous. Within one chunk
    size, chunks are tried from the end of the file to the start: removing a use late in
    the file first lets the earlier definition go next. The state carries the units before
    the chunk, which the edit did not move, so ``units_of`` (costly on big files) runs
    once per chunk size, not once per accepted chunk.
    """
    units: Sequence[Span]
    if isinstance(resume, Halving):
        size: int | None = resume.size
        before, units = resume.before, resume.units
    else:
        units = units_of(text)
        size, before = sizes.first(len(units)), len(units)
    while size is not None:
        # Resumed after the text's first chunk, no chunk of this size is left: the
        # smaller sizes come next. (They used to be skipped, ending the pass, and with
        # folding a batch often ends on the first chunk: on csmith seed 1 the lines pass
        # stopped after 33 of its ~180 calls at 9.6 KB instead of reaching 2.4 KB.)
        for start in reversed(range(0, min(before, len(units)), size)):
            chunk = units[start : start + size]
            # Foldable: the state holds only units before the chunk.
            state = Halving(size, start, tuple(units[:start]))
            yield Candidate(edit(text, chunk), state, foldable=True)
        size = sizes.after(size)
        if size is None:
            return
        units = units_of(text)
        if not units:
            return
        before = len(units)


def cuts_then_halving(
    text: str,
    units_of: UnitsOf,
    resume: Hashable | None,
    cuts: Iterable[str],
    *,
    again: bool,
    sizes: ChunkSizes = HALVE,
) -> Iterator[Candidate]:
    """A pass's big cuts first (its units all at once, or a few chosen sets of them), then
    halving over ``units_of``. After an accepted cut the pass halves over what is left, or
    with ``again`` starts over with the cuts (what one cut removed can make more of the
    text removable at once)."""
    if resume is None or isinstance(resume, Restart):
        state = RESTART if again else AFTER_ALL
        for cut in cuts:
            yield Candidate(cut, state)
    yield from halving(text, units_of, resume if isinstance(resume, Halving) else None, sizes)


# The units at one nesting level of the text (0: outermost), in text order.
UnitsAt = Callable[[str, int], Sequence[Span]]


def by_level(
    text: str, units_at: UnitsAt, resume: Hashable | None, sizes: ChunkSizes = HALVE
) -> Iterator[Candidate]:
    """Hierarchical delta debugging: halving over the outermost units, then over the
    units nested one level deeper in what is left, and so on until a level has none.
    A unit removed whole takes everything nested in it at once, so the deep levels are
    only searched inside what the outer ones had to keep."""
    level, inner = (resume.level, resume.inner) if isinstance(resume, AtLevel) else (0, None)
    while True:

        def units_of(text: str, level: int = level) -> Sequence[Span]:
            return units_at(text, level)

        if inner is None and not units_of(text):
            return  # nothing at this level, so nothing deeper either
        for candidate in halving(text, units_of, inner, sizes):
            assert isinstance(candidate.resume, Halving)
            yield Candidate(
                candidate.text, AtLevel(level, candidate.resume), foldable=candidate.foldable
            )
        level, inner = level + 1, None


def sliding(
    text: str, units: Sequence[Span], widths: Sequence[int], resume: Hashable | None
) -> Iterator[Candidate]:
    """Remove every run of ``width`` consecutive units, for each width, from the end back.

    Unlike halving this tries every position, so after a fixpoint with width 1 the result
    is 1-minimal with respect to single-unit deletion.
    """
    count = len(units)
    width_index, before = 0, count
    if isinstance(resume, Sliding):
        width_index, before = resume.width_index, resume.before
    for index in range(width_index, len(widths)):
        width = widths[index]
        limit = min(before, count - width + 1) if index == width_index else count - width + 1
        for start in reversed(range(0, limit)):
            end = start + width - 1
            removed = remove_span(text, units[start][0], units[end][1])
            # Foldable: on resume the units are found again, and those before `start`
            # are the same.
            depends = units[start - 1][1] if start else 0
            yield Candidate(removed, Sliding(index, start, depends), foldable=True)


def all_then_each(
    text: str,
    units_of: UnitsOf,
    resume: Hashable | None,
    *,
    together: UnitsOf | None = None,
    carry: bool = False,
    edit: SpanEdit = remove_spans,
) -> Iterator[Candidate]:
    """One candidate editing every unit (those of ``together``, if given), then each unit
    alone, last first.

    After the all-at-once candidate, or with ``carry`` false after any, the pass goes on
    with each unit of the new text from the last. With ``carry`` the single-unit
    candidates are foldable: their state carries the units before them, which did not
    move, and the pass goes on with those.
    """
    if isinstance(resume, EachBefore):
        units: Sequence[Span] = resume.units
    else:
        units = units_of(text)
        if resume is None:
            group = units if together is None else together(text)
            if len(group) > 1:
                yield Candidate(edit(text, group), AFTER_ALL)
    for index in reversed(range(len(units))):
        edited = edit(text, [units[index]])
        if carry:
            yield Candidate(edited, EachBefore(tuple(units[:index])), foldable=True)
        else:
            yield Candidate(edited, AFTER_ALL)


def forward_variants(
    sites: Iterable[int],
    variants_of: Callable[[int], Sequence[tuple[str, str]]],
    resume: Hashable | None,
) -> Iterator[Candidate]:
    """For each site (increasing), its variants in order: (kind, text) pairs, the kind
    passed on as the candidate's (``Candidate.kind``).

    Variant 0 of a site must remove the site itself: the next site then has its index, so
    after it the pass goes on at that index from variant 0. After any other variant it goes
    on with the same site's next variant.
    """
    first_site, first_variant = 0, 0
    if isinstance(resume, FromSite):
        first_site, first_variant = resume.site, resume.variant
    for site in sites:
        if site < first_site:
            continue
        for variant, (kind, candidate) in enumerate(variants_of(site)):
            if site == first_site and variant < first_variant:
                continue
            yield Candidate(candidate, FromSite(site, variant + 1 if variant else 0), kind=kind)


def grouped(
    text: str,
    groups: Sequence[tuple[Hashable, Sequence[int]]],
    build: Callable[[Mapping[int, Sequence[int]]], str],
    resume: Hashable | None,
) -> Iterator[Candidate]:
    """Candidates over units (parameters, fields) grouped by owner (function, struct).

    First everything at once, then group by group from the end of the file: the whole
    group, then each unit, last first. One oracle call can clear the file; otherwise each
    group costs one call when it can go whole. ``build`` makes the text for a mapping of
    group position to units. The state names the group and the unit accepted: units
    before it keep their indices, so the pass goes on with them and then with the earlier
    groups, never retrying what was rejected. Candidates not smaller than the text (a
    parameter turned local that costs more than it saves) are not proposed.
    """
    groups = [(key, tuple(units)) for key, units in groups if units]
    if not groups:
        return
    start, limit = len(groups) - 1, None
    if resume is None:
        if len(groups) > 1:  # with one group, its own all-at-once candidate is this one
            everything = build(dict(enumerate(units for _, units in groups)))
            yield from _smaller(text, everything, AFTER_ALL)
    elif isinstance(resume, GroupUnit):
        keys = [key for key, _ in groups]
        limit = resume.limit
        if resume.position < len(groups) and keys[resume.position] == resume.key:
            start = resume.position
        elif resume.key in keys:
            start = keys.index(resume.key)
        else:
            # The group is gone (its last unit was accepted): the one before it is next.
            start, limit = min(resume.position, len(groups)) - 1, None
    for position in range(start, -1, -1):
        key, units = groups[position]
        if limit is None:
            if len(units) > 1:
                whole = build({position: units})
                yield from _smaller(text, whole, GroupUnit(position, key, units[0]))
            todo = units
        else:
            todo = tuple(unit for unit in units if unit < limit)
            limit = None
        for unit in reversed(todo):
            alone = build({position: (unit,)})
            yield from _smaller(text, alone, GroupUnit(position, key, unit))


def _smaller(text: str, candidate: str, resume: Hashable) -> Iterator[Candidate]:
    if len(candidate) < len(text):
        yield Candidate(candidate, resume)

"""The speculator: what free workers do while the procedure (reducer.engine.procedure)
waits on a verdict. Scheduling only, never results.

It is told where the procedure is (``deciding``, ``in_batch``, ``testing_merge``,
``accepted``, the pass and round it runs) and may read the verdict cache, submit calls and
cancel them (reducer.engine.calls); nothing it does writes a verdict or a decision, and the
streams it opens ahead of the procedure are the ones a pure pass would yield anyway.

While the procedure waits on a candidate that is not foldable, free workers walk the tree
of outcomes from it, most likely first (``_walk``). Once the rest of a batch is running,
they bet on its likely outcome (``_bet``: the merge it would test and what the pass yields
after it), and when the pass's candidates run out, they start the following passes
(``_chain``). Once the procedure accepts a text (and when a pass starts), the calls it can
no longer ask about are cancelled (``prune``).
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import itertools
import math
from collections.abc import Callable, Hashable, Iterator, Sequence

from reducer.engine.calls import Calls
from reducer.engine.folding import EditMemo, plan
from reducer.engine.streams import Entry, Stream, Window, digest, foldable
from reducer.passes.base import Candidate, Pass

# Speculate on the next k decisions while the chance that the procedure gets that far,
# (1 - p)^k, is at least this (p: the share of the pass's decisions that changed the text).
# 0.15 against 0.5: 5% faster at 8 workers for 5% more calls (measured once, noisy).
SPECULATION_ODDS = 0.15
# In the tree of outcomes, a foldable candidate is started at this share of its odds: its
# batch is tested whole, so running one member early saves the batch about 1/capacity of a
# call, where a candidate decided alone saves the procedure a whole call when it is on the
# path taken. 0.25 against 1 (csmith seeds 5 and a fresh one, virtual clock): 8 workers
# 68% -> 71%, 16 workers 49% -> 50%, wasted calls 16% -> 12% (0.125: the same as 0.25).
FOLDABLE_PRIORITY = 0.25
# Past this many workers the tree of outcomes keeps nodes down to SPECULATION_ODDS x
# TREE_WORKERS / capacity: more workers can afford less likely outcomes (16 workers: 50.2%
# -> 51.6% on the tuning seeds; 8 and fewer unchanged; the floor down to 4 workers' made 8
# workers worse, 70.4% -> 69.6%).
TREE_WORKERS = 8
# On a text larger than this, deciding what to cancel (``prune``) walks only where an
# earlier walk went, making no candidate: the next passes' candidates on a 9 MB text cost
# seconds each (uvloop's loop.c: 48 of 141 s). On smaller texts the walk makes what it
# needs: cheap there, and without it the virtual clock's 16 workers lost 3 points
# (53.0% -> 49.9%; 8 workers 69.9% -> 68.4%), cancelling calls a fuller walk keeps.
PULL_MAX_CHARS = 1_000_000


def _size_class(removed: int) -> int:
    """Candidates removing about as much, within a factor of four, share a class: a big
    cut fails more often than a small one of the same pass (seven untuned seeds, virtual
    clock: 8 workers 69.9% -> 70.2%, 16 workers 53.0% -> 53.3%, lowest 49.7% -> 50.4%;
    a factor of two: the same means, lower lowest)."""
    return max(0, removed).bit_length() // 2


class _Tally:
    """How often something succeeded, per key (a pass, a pass and a kind of edit)."""

    def __init__(self) -> None:
        self._counts: dict[Hashable, tuple[int, int]] = {}  # key -> (tried, succeeded)

    def add(self, key: Hashable, succeeded: bool) -> None:
        tried, wins = self._counts.get(key, (0, 0))
        self._counts[key] = (tried + 1, wins + succeeded)

    def rate(self, key: Hashable, prior: float = 0.5) -> float:
        """The share that succeeded, drawn towards `prior` as if two more had gone at that
        rate (with 1/2, Laplace's rule: never 0 or 1)."""
        tried, wins = self._counts.get(key, (0, 0))
        return (wins + 2 * prior) / (tried + 2)


@dataclasses.dataclass(frozen=True)
class _Place:
    """Where a node of the tree of outcomes is: candidate `index` of the pass at
    `position` in `passes` (its stream on `text`, None until opened), with the outcome
    of the pass's decision before it (`previous`), where its run of foldable candidates
    began (`run`: batches are cut from there) and, once a member of its batch is known
    interesting, where that batch ends (`batch_end`). `crossed`: the walk is in the next
    round's passes."""

    passes: tuple[Pass, ...]
    crossed: bool
    position: int
    stream: Stream | None
    index: int
    text: str
    previous: bool | None = None
    run: int = 0
    batch_end: int | None = None

    def next_pass(self) -> _Place:
        """The start of the following pass on the same text."""
        return _Place(self.passes, self.crossed, self.position + 1, None, 0, self.text)

    def after_decision(self, index: int, previous: bool) -> _Place:
        """Candidate `index` after a decision alone (a new run of candidates starts)."""
        return dataclasses.replace(self, index=index, previous=previous, run=index, batch_end=None)


class Speculator:
    def __init__(self, calls: Calls, fold_width: int) -> None:
        self.calls = calls
        self.fold_width = fold_width
        self._lookahead: list[Window] = []
        self._record = _Tally()  # pass -> its decisions, and those that changed the text
        self._members = _Tally()  # pass -> its batch members, and the interesting ones
        self._kinds = _Tally()  # (pass, kind) -> its non-foldable decisions, the accepted
        # (pass, kind, the outcome of the pass's decision before it) -> the same: passes
        # whose outcomes alternate (bisection: one half fails, then the other is kept)
        # or come in runs are followed down their likely path.
        self._after = _Tally()
        # The same, per size class of what the candidate removes (``_size_class``).
        self._sized = _Tally()
        self._previous: bool | None = None  # the current pass's last decision, if alone
        self._upcoming: Sequence[Pass] = ()  # the passes reduce() runs next in this round
        self._round_start = ""  # the text this round started on
        # The passes of the round after this one: if this round changes the text, and if not.
        self._next_rounds: tuple[Sequence[Pass], Sequence[Pass]] = ((), ())
        # (id(pass), digest of a text) -> the pass's stream there, opened by speculation;
        # kept while its text is the accepted one or one the current pass may end on.
        self._prepared: dict[tuple[int, bytes], Stream] = {}
        self._spares: dict[tuple[bytes, Hashable], Stream] = {}  # streams opened on a bet
        # Following passes' streams after a candidate the next-pass chain bets on.
        self._continued: dict[tuple[int, bytes, Hashable], Stream] = {}
        self._edits: EditMemo = {}  # the current batch's edits (the procedure's memo)
        self._last_bet: tuple[tuple[bytes, ...], list[Window]] | None = None
        self._prune_due = False  # the text changed: cancel what no window wants
        self._rebet: Callable[[], None] | None = None  # while a batch is being read
        # Deciding a candidate that is not foldable: (the pass, its stream, the index).
        self._tree: tuple[Pass, Stream, int] | None = None

    # -- where the procedure is ---------------------------------------------------------

    def round_started(
        self, text: str, if_changed: Sequence[Pass], if_unchanged: Sequence[Pass]
    ) -> None:
        self._round_start = text
        self._next_rounds = (if_changed, if_unchanged)

    def passes_after(self, upcoming: Sequence[Pass]) -> None:
        """The passes the round runs after the current one."""
        self._upcoming = upcoming

    def pass_started(self, reduction_pass: Pass, text: str) -> Stream | None:
        """A pass starts on `text`: the last pass's bets are over. The stream speculation
        opened for it there, if any."""
        self._prune_due = True  # the last pass's bets and lookahead are over
        self._previous = None
        # What the next-pass chain opened for this pass after a candidate it bet on is now
        # the pass's own stream after that candidate: the tree of outcomes (``_walk``) and
        # the procedure (``take_spare``) look for it among the spares.
        started = id(reduction_pass)
        self._spares = {
            (text_digest, resume): stream
            for (pass_id, text_digest, resume), stream in self._continued.items()
            if pass_id == started
        }
        self._continued.clear()
        return self._prepared.pop((id(reduction_pass), digest(text)), None)

    def deciding(self, reduction_pass: Pass, stream: Stream, index: int) -> None:
        """The procedure decides a candidate that is not foldable: free workers follow the
        tree of outcomes from it."""
        self._lookahead = []
        self._tree = (reduction_pass, stream, index) if self.calls.capacity > 1 else None

    def decided(self, pass_name: str, kind: str | None, changed: bool, removed: int = 0) -> None:
        """One decision of the pass (a candidate alone, with its kind and the characters
        it removes, or a batch)."""
        self._record.add(pass_name, changed)
        if kind:
            self._kinds.add((pass_name, kind), changed)
        if kind is not None:
            self._after.add((pass_name, kind, self._previous), changed)
            self._sized.add((pass_name, kind, self._previous, _size_class(removed)), changed)
        self._previous = changed if kind is not None else None
        if kind is not None and not changed:
            # The tree of outcomes goes on from the next candidate: the calls on this one's
            # success are left behind, as after an accepted text, and free their workers
            # (tuning seeds: 8 workers 70.4% -> 71.9%, 16 workers 51.6% -> 53.2%, wasted
            # calls at 8 workers 13% -> 7%).
            self._prune_due = True

    def batch_started(self, pass_name: str, edits: EditMemo) -> int:
        """A batch of foldable candidates starts; how far past it free workers may go."""
        ahead = self._depth(pass_name)
        self._tree = None
        self._spares.clear()  # bets on the previous batch's outcome
        self._edits = edits
        self._last_bet = None
        return ahead

    def in_batch(
        self,
        reduction_pass: Pass,
        stream: Stream,
        batch: list[Entry],
        position: int,
        wins: list[Entry],
        window: tuple[int, int],
        ahead: int,
    ) -> None:
        """The procedure reads batch member `position` (of stream[window])."""
        start, end = window
        self._lookahead = [Window(stream, start, end + ahead, end)]
        if self.calls.known(batch[position].key) is None and self.calls.capacity > 1:
            self._rebet = functools.partial(
                self._bet, reduction_pass, stream, batch, position, wins, window
            )
            self._rebet()

    def member_read(self, pass_name: str, interesting: bool) -> None:
        self._members.add(pass_name, interesting)
        self._rebet = None

    def harvested(self, needed: bytes) -> None:
        """New verdicts while the procedure waits for `needed`: a better guess of the
        batch's outcome; past TREE_WORKERS workers the tree reaches outcomes unlikely
        enough that a new verdict often leaves them behind, so what no window or tree
        wants now is cancelled at once instead of at the next decision (tuning seeds, 16
        workers: 53.2% -> 54.6%; at 8 workers mixed, so not there)."""
        if self._rebet is not None:
            self._rebet()
        if self.calls.capacity > TREE_WORKERS:
            self.prune(needed)

    def testing_merge(self, after: Stream) -> None:
        """The procedure tests a batch's merge: bet that it is interesting (start on what
        the pass yields after it); the batch is read, bets on its other outcomes are over."""
        width = self.fold_width
        self._lookahead = [Window(after, 0, width + self.calls.capacity, width)]
        self._tree = None
        self._prune_due = True

    def accepted(self, text: str) -> None:
        self._prune_due = True
        # Streams speculated on texts now left behind (memory: on a big input each holds
        # megabyte candidates).
        self._prepared = {k: v for k, v in self._prepared.items() if v.text == text}

    def take_prune_due(self) -> bool:
        """Whether the text changed since the last prune (and so one is due now)."""
        due, self._prune_due = self._prune_due, False
        return due

    def take_spare(self, text: str, resume: Hashable, *, keep_bets: bool) -> Stream | None:
        """The stream a bet opened after accepting `text`, if any. A batch's other spares
        were bets on outcomes that did not happen; the tree of outcomes (``keep_bets``,
        ``_walk``) goes on from the accepted one, so it is kept (until the next batch or
        pass) instead of being opened again."""
        spare = self._spares.pop((digest(text), resume), None)
        if not keep_bets:
            self._spares.clear()
        return spare

    def spare(self, reduction_pass: Pass, text: str, resume: Hashable) -> Stream:
        """The pass's stream after `text` (opened once: the procedure takes it back)."""
        return self._spare(reduction_pass, text, resume)

    def stop(self) -> None:
        """Nothing more to speculate on (the reduction ends)."""
        self._lookahead, self._tree = [], None

    def forget(self) -> None:
        self._upcoming, self._prepared = (), {}

    # -- scheduling ---------------------------------------------------------------------
    def make_room(self) -> None:
        """The procedure needs a call that is not running: if speculation holds every
        worker, cancel the call it started last (the furthest bet) so the needed one
        starts now instead of queueing behind a guess."""
        for future in reversed(list(self.calls.inflight)):
            if not self.calls.full():
                return
            self.calls.cancel(future)

    def pump(self) -> None:
        """Fill free workers from the lookahead, in order; then, for each window that
        reaches the end of its pass's candidates (the pass would end on that text), from
        the next passes' on that text."""
        ends: list[str] = []  # texts the current pass may end on, most likely first
        for lookahead in self._lookahead:
            stop = lookahead.stop
            index = lookahead.start
            ran_out = False  # reached the end of the pass's candidates, none interesting
            won = False  # a candidate in the window is known interesting
            while index < stop and not self.calls.full():
                entry = lookahead.stream.get(index)
                if entry is None:
                    ran_out = True
                    break
                known = self.calls.known(entry.key)
                if known:
                    won = True
                    stop = min(stop, max(lookahead.fence, index + 1))
                elif known is None and not self.calls.running(entry.key):
                    self.calls.submit(entry.key, entry.candidate.text)
                index += 1
            if self.calls.full():
                return
            if not ran_out and not won and index >= stop:
                # The window ends where the pass does (its last batch): the pass ends on
                # this text unless a running candidate is interesting, so the next passes
                # are worth starting too.
                ran_out = lookahead.stream.get(index) is None
            if ran_out and lookahead.stream.text not in ends:
                ends.append(lookahead.stream.text)
        # Speculate that the current pass ends on each of those texts: the passes after it
        # start there, so the round that finds the fixpoint is as parallel as one long pass.
        for text in ends:
            if self._submit_from(self._chain(text)):
                return
        if self._tree is not None:
            self._submit_from(self._walk_tree())

    def _submit_from(self, entries: Iterator[Entry]) -> bool:
        """Start the entries not known or running, in order, while workers are free;
        whether they are all busy now."""
        for entry in entries:
            if self.calls.full():
                return True
            if self.calls.known(entry.key) is None and not self.calls.running(entry.key):
                self.calls.submit(entry.key, entry.candidate.text)
        return self.calls.full()

    def _walk_tree(self, *, pull: bool = True) -> Iterator[Entry]:
        assert self._tree is not None
        reduction_pass, stream, index = self._tree
        return self._walk((reduction_pass,), 0, stream, index, stream.text, pull=pull)

    def _chain(self, text: str, *, pull: bool = True) -> Iterator[Entry]:
        """The candidates the following passes would test if the current pass ends on
        `text`, most likely first (``_walk`` from the start of the next pass)."""
        return self._walk((), 0, None, 0, text, pull=pull)

    def _walk(
        self,
        current: tuple[Pass, ...],
        position: int,
        stream: Stream | None,
        index: int,
        text: str,
        *,
        pull: bool = True,
    ) -> Iterator[Entry]:
        """The candidates the procedure may ask about next, most likely first: a
        best-first walk of the tree of outcomes, from candidate `index` of `stream` (the
        current pass's, when `current` holds it) or from the start of the next pass.

        A node is a place in a pass's candidates, with the odds that the procedure gets
        there. A candidate of unknown verdict is yielded, then branches: it fails (odds x
        (1 - p), the pass's next candidate) or, not foldable, it is accepted (odds x p,
        the pass goes on from its text); p is the success rate of the pass's candidates of
        that kind after a decision with the outcome the path took before (``_rate_after``:
        bisection alternates, most passes fail in runs). A known verdict
        takes its one branch at the same odds. When a pass runs out, the next one starts
        on that node's text: the rest of this round, then the next round's passes (which
        ones depends on whether the round changed the text: ``_round``). A foldable
        candidate does not branch (its batch is tested whole; what it merges is not
        guessed): its pass goes on at the same odds, at most fold_width + capacity deep,
        and one known interesting ends the node at the end of its batch (the procedure
        reads the whole batch); it is started at FOLDABLE_PRIORITY of its
        odds (the nodes are taken by that priority, the branches keep the odds). Nodes
        below SPECULATION_ODDS are dropped (a lower floor past TREE_WORKERS workers). So the current candidate's success and its failure are both speculated on, and
        so are those of the candidates after it, as far as their odds are worth it.

        Without ``pull``, the walk opens no stream and makes no candidate: it goes only
        where an earlier walk went (``prune`` on big texts: PULL_MAX_CHARS).
        """
        counter = itertools.count()  # ties go to the node made first: a fixed order
        depth = self.fold_width + self.calls.capacity
        floor = SPECULATION_ODDS * min(1.0, TREE_WORKERS / self.calls.capacity)
        # (-priority, order made, odds, place): taken by priority, then order.
        frontier: list[tuple[float, int, float, _Place]] = []

        def push(odds: float, place: _Place, priority: float | None = None) -> None:
            rank = -(odds if priority is None else priority)
            heapq.heappush(frontier, (rank, next(counter), odds, place))

        start = self._previous if current else None
        passes = (*current, *self._upcoming)
        push(1.0, _Place(passes, False, position, stream, index, text, start, run=index))
        while frontier:
            rank, _, odds, place = heapq.heappop(frontier)
            priority = -rank
            if place.position == len(place.passes):
                if place.crossed:
                    continue  # the walk goes no further than the next round
                if_changed, if_unchanged = self._next_rounds
                following = if_changed if place.text != self._round_start else if_unchanged
                if following:
                    # The next round's passes start here (position already past this one's).
                    crossing = (*place.passes, *following)
                    push(odds, _Place(crossing, True, place.position, None, 0, place.text))
                continue
            upcoming = place.passes[place.position]
            stream = place.stream
            if stream is None:
                stream = self._opened(upcoming, place.text, pull)
                if stream is None:
                    continue  # never opened: no call came from it
            if place.batch_end is not None and place.index >= place.batch_end:
                continue  # the batch has a win: what its merge yields is not guessed
            if not pull and place.index < depth and not stream.pulled(place.index):
                continue  # never made: no call came from it or from what follows it
            entry = stream.get(place.index) if place.index < depth else None
            if entry is None:  # the pass would change nothing (more): the next one
                push(odds, place.next_pass())
                continue
            here = dataclasses.replace(place, stream=stream)
            known = self.calls.known(entry.key)
            if known is None and foldable(entry.candidate):
                weighted = odds * FOLDABLE_PRIORITY
                if priority > weighted + 1e-12:
                    push(odds, here, weighted)
                    continue
            if known is None:
                yield entry
            if foldable(entry.candidate):
                batch_end = here.batch_end
                if known and batch_end is None:
                    # The procedure still reads the rest of this batch (runs of foldable
                    # candidates are cut into batches of fold_width from their start).
                    width = self.fold_width
                    batch_end = here.run + ((here.index - here.run) // width + 1) * width
                following = dataclasses.replace(
                    here, index=here.index + 1, previous=None, batch_end=batch_end
                )
                push(odds, following, priority)
                continue
            removed = len(place.text) - len(entry.candidate.text)
            p = self._rate_after(upcoming.name, entry.candidate.kind, place.previous, removed)
            if known is not True:
                failed = odds * (1 - p if known is None else 1)
                if failed >= floor:
                    push(failed, here.after_decision(here.index + 1, False))
            if known is not False:
                accepted = odds * (p if known is None else 1)
                if accepted >= floor:
                    candidate = entry.candidate
                    if current and place.position == 0:
                        # The current pass: the stream the procedure restarts on (_restart).
                        after = (
                            self._spare(upcoming, candidate.text, candidate.resume)
                            if pull
                            else self._spares.get((digest(candidate.text), candidate.resume))
                        )
                    else:
                        after = self._continuation(upcoming, candidate.text, candidate.resume, pull)
                    if after is None:
                        continue  # never opened: no call came from it
                    # The pass goes on from the accepted text's first candidate.
                    push(
                        accepted,
                        _Place(
                            place.passes,
                            place.crossed,
                            place.position,
                            after,
                            0,
                            candidate.text,
                            True,
                        ),
                    )

    def _opened(self, reduction_pass: Pass, text: str, pull: bool = True) -> Stream | None:
        """A following pass's stream from its start on `text`, made once (``run_pass``
        takes it when the pass starts there); without ``pull``, only one already made."""
        key = (id(reduction_pass), digest(text))
        stream = self._prepared.get(key)
        if stream is None and pull:
            stream = self._prepared[key] = Stream(reduction_pass.candidates(text, None), text)
        return stream

    def _continuation(
        self, reduction_pass: Pass, text: str, resume: Hashable, pull: bool = True
    ) -> Stream | None:
        """A following pass's stream after a candidate ``_chain`` bets on (kept until the
        next pass starts, so each pump does not make it again); without ``pull``, only
        one already made."""
        key = (id(reduction_pass), digest(text), resume)
        stream = self._continued.get(key)
        if stream is None and pull:
            stream = self._continued[key] = Stream(reduction_pass.candidates(text, resume), text)
        return stream

    def _depth(self, pass_name: str) -> int:
        """How far past the current batch free workers may speculate (scheduling only).

        A call on a text that is then left behind still burns a core (real oracles are
        compilers, on a shared machine) and holds its worker until it ends, so speculate
        only as far as the procedure is, by this pass's record so far, likely enough to
        get: k batches while (1 - p)^k >= SPECULATION_ODDS. A pass that nearly always
        succeeds (emptying bodies) gets none past the current batch, one that rarely
        does (tokens) all free workers. (A candidate that is not foldable is decided with
        the tree of outcomes instead: ``_walk``.)
        """
        p = self._success_rate(pass_name)
        decisions = int(math.log(SPECULATION_ODDS) / math.log(1 - p)) if p < 1 else 0
        return min(self.calls.capacity, decisions * self.fold_width)

    def _success_rate(self, pass_name: str) -> float:
        """The share of the pass's decisions so far that changed the text."""
        return self._record.rate(pass_name)

    def _kind_rate(self, pass_name: str, kind: str) -> float:
        """The success rate of the pass's candidates of this kind (``Candidate.kind``),
        drawn towards the pass's own rate while there are few of them; the pass's rate
        for candidates of no kind."""
        if not kind:
            return self._success_rate(pass_name)
        return self._kinds.rate((pass_name, kind), prior=self._success_rate(pass_name))

    def _rate_after(
        self, pass_name: str, kind: str, previous: bool | None, removed: int = 0
    ) -> float:
        """The success rate of the pass's candidates of this kind after a decision of the
        pass with this outcome (None: the pass's first, or after a batch), drawn towards
        the kind's own rate while there are few of them; then of those that remove about
        as many characters (``_size_class``), drawn towards that."""
        after = self._after.rate(
            (pass_name, kind, previous), prior=self._kind_rate(pass_name, kind)
        )
        return self._sized.rate((pass_name, kind, previous, _size_class(removed)), prior=after)

    def _wanted(self, needed: bytes) -> set[bytes]:
        """The keys the procedure may still ask about before the text changes again: the
        one it waits for, every window's candidates, and the following passes' first
        candidates on the text the last window ends with (what ``_pump`` would start)."""
        wanted = {needed}
        for lookahead in self._lookahead:
            entries = lookahead.stream.entries[lookahead.start : lookahead.stop]
            wanted.update(entry.key for entry in entries)
        if self._tree is not None:
            pull = len(self._tree[1].text) <= PULL_MAX_CHARS
            for entry in itertools.islice(self._walk_tree(pull=pull), 4 * self.calls.capacity):
                wanted.add(entry.key)
        for lookahead in self._lookahead:
            stream = lookahead.stream
            if stream.exhausted and len(stream.entries) <= lookahead.stop:
                # The window reaches the end of the pass: what ``_pump`` starts next.
                chained = self._chain(stream.text, pull=len(stream.text) <= PULL_MAX_CHARS)
                for entry in itertools.islice(chained, 2 * (self.fold_width + self.calls.capacity)):
                    wanted.add(entry.key)
        return wanted

    def prune(self, needed: bytes) -> None:
        """Cancel the calls on texts the procedure has left behind (scheduling only: the
        verdicts it reads do not change, a cancelled text is asked again if needed)."""
        wanted = self._wanted(needed)
        for future, (key, _) in list(self.calls.inflight.items()):
            if key not in wanted:
                self.calls.cancel(future)

    def _spare(self, reduction_pass: Pass, text: str, resume: Hashable) -> Stream:
        key = (digest(text), resume)
        if key not in self._spares:
            self._spares[key] = Stream(reduction_pass.candidates(text, resume), text)
        return self._spares[key]

    def _bet(
        self,
        reduction_pass: Pass,
        stream: Stream,
        batch: list[Entry],
        position: int,
        wins: list[Entry],
        window: tuple[int, int],
    ) -> None:
        """Once the rest of a batch is running, let free workers start on its most likely
        outcome: each pending candidate guessed interesting when the pass mostly succeeds,
        the merge that would then be tested, and the pass's next candidates after it.
        Scheduling only: a wrong guess costs calls, never changes what is accepted."""
        rest = batch[position:]
        if any(self.calls.known(e.key) is None and not self.calls.running(e.key) for e in rest):
            return  # workers still have the batch itself to do
        # Per candidate, not per batch: most batches have a win, few of their candidates.
        likely = self._members.rate(reduction_pass.name) > 0.5
        guess = wins + [e for e in rest if self.calls.known(e.key, likely)]
        if not guess:
            return  # the plain lookahead already goes on past the batch
        keys = tuple(e.key for e in guess)
        if self._last_bet is not None and self._last_bet[0] == keys:
            self._lookahead = self._last_bet[1]
            return
        text, resume, folded = plan(stream.text, batch, guess, self._edits)
        start, end = window
        width = self.fold_width
        bets = [Window(stream, start, end, end)]
        if folded > 1 and self.calls.known(digest(text)) is False:
            # The same merge failed before (a pass that meets the same batch again): the
            # procedure will accept the first of them alone, at once, from the cache.
            text, resume = guess[0].candidate.text, guess[0].candidate.resume
        elif folded > 1:
            merge = Stream(iter([Candidate(text, resume)]), stream.text)
            bets.append(Window(merge, 0, 1, 1))
        after = self._spare(reduction_pass, text, resume)
        bets.append(Window(after, 0, width + self.calls.capacity, width))
        self._lookahead = bets
        self._last_bet = (keys, bets)

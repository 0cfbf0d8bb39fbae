"""The reduction loop: runs passes to a fixpoint, testing candidates through an executor.

Determinism: what the engine accepts is decided by a *sequential* procedure that reads one
verdict at a time, in the order the pass yields candidates; parallelism only prefetches
the verdicts that procedure is about to ask for. Nothing in the procedure depends on
``capacity`` (-j), on the executor, or on which call finishes first, so with a
deterministic oracle -j1 and -jN accept the same texts and produce the same file, and -j1
makes exactly the procedure's calls. -jN only spends extra calls on speculation that
turns out to be on a text that was left behind.

The procedure, per pass:

* a candidate that is not ``foldable`` is tested alone, and the first interesting one (in
  pass order) is accepted, as before;
* ``foldable`` candidates are tested in batches of ``fold_width`` consecutive ones (a
  constant, never -j). All of a batch is tested; the interesting ones are merged in pass
  order, skipping any whose edit overlaps one already taken, and the merge is tested
  (one call, needed only for two or more). If the merge is interesting it is accepted,
  otherwise the first interesting candidate is. So when a pass succeeds often, one batch
  of parallel calls makes several reductions instead of one, and the other calls of the
  window are not thrown away (C-Vise's folding, made independent of the worker count).

Speculation (scheduling only, never results): while the procedure waits on a candidate
that is not foldable, free workers walk the tree of outcomes from it, most likely first:
each candidate fails (the pass's next one) or is accepted (the pass goes on from its
text), with the odds the pass's success rate so far gives, and where a pass ends the next
passes start on that text, into the next round (``_walk``). Once the rest of a batch is
running, they bet on its likely outcome (the merge it would test and what the pass yields
after it), and when the pass's candidates run out, they start the following passes.
Once the procedure accepts a text (and when a pass starts), the calls it can
no longer ask about, those outside every window it may still speculate on, are cancelled:
the executor kills their compilers, so a left-behind compile does not hold a worker to
its end. Only verdicts the procedure would have waited for anyway are ever cached from a
finished call, and a cancelled one is simply asked again if a pass yields its text later,
so cancelling changes calls and time, never results.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import itertools
import math
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field

from reducer.edits import Edit, apply_edits, edit_of, overlaps
from reducer.executors.base import Executor
from reducer.oracles.base import Verdict
from reducer.passes.base import Candidate, Pass
from reducer.passes.schedules import state_depends_through

# By measurement (bench/scaling_bench.py, bench/RESULTS.md 2026-12-02): 16 gave the best
# scaling at 8 workers of 8/16/32 and no more -j1 calls than 1 over eight csmith seeds
# (4584 against 4732; 8 made 19% more, 32 10% fewer but scaled no better).
DEFAULT_FOLD_WIDTH = 16
# Speculate on the next k decisions while the chance that the procedure gets that far,
# (1 - p)^k, is at least this (p: the share of the pass's decisions that changed the text).
# 0.15 against 0.5: 5% faster at 8 workers for 5% more calls (measured once, noisy).
SPECULATION_ODDS = 0.15


@dataclass
class Stats:
    oracle_calls: int = 0
    cache_hits: int = 0
    accepted: int = 0
    per_pass_accepted: dict[str, int] = field(default_factory=dict)
    per_pass_calls: dict[str, int] = field(default_factory=dict)
    # Of the calls, those the parse prefilter answered without a compile.
    prefiltered: int = 0
    per_pass_prefiltered: dict[str, int] = field(default_factory=dict)
    current_pass: str = "initial"
    started: float = field(default_factory=time.monotonic)
    # Calls whose verdict the sequential procedure read (the rest was speculation on a
    # text that was left behind); equal to oracle_calls at -j1.
    used_calls: int = 0
    folds: int = 0  # merges of two or more candidates that were accepted
    fold_failures: int = 0  # merges that were not interesting
    cancelled: int = 0  # speculative calls stopped before their verdict (not in oracle_calls)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


@dataclass(frozen=True)
class Progress:
    pass_name: str
    size: int
    stats: Stats


ImprovementHook = Callable[[str], None]
ProgressHook = Callable[[Progress], None]


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _keeps_promise(candidate: Candidate, edit: Edit) -> bool:
    """Does a foldable candidate's state depend only on the text before its edit (what
    merging it with other edits, or resuming the merge from it, relies on)? Checked where
    the engine merges, so a pass that breaks the promise costs folding, never a result."""
    through = state_depends_through(candidate.resume)
    return through is not None and through <= edit[0]


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


@dataclass(frozen=True)
class _Entry:
    candidate: Candidate
    key: bytes


class _Stream:
    """One pass's candidates for one text, pulled lazily and kept for lookahead."""

    def __init__(self, candidates: Iterator[Candidate], text: str) -> None:
        self._candidates = candidates
        self.text = text
        self.entries: list[_Entry] = []
        self.exhausted = False

    def get(self, index: int) -> _Entry | None:
        while len(self.entries) <= index and not self.exhausted:
            candidate = next(self._candidates, None)
            if candidate is None:
                self.exhausted = True
            elif len(candidate.text) < len(self.text) or candidate.grows:
                # Never accept something larger or equal (unless it says so).
                self.entries.append(_Entry(candidate, _digest(candidate.text)))
        return self.entries[index] if index < len(self.entries) else None


@dataclass(frozen=True)
class _Lookahead:
    """Where free workers may speculate: stream[start:stop], past `fence` only while no
    entry before it is known interesting (the procedure would not get that far)."""

    stream: _Stream
    start: int
    stop: int
    fence: int


class Engine:
    def __init__(
        self,
        executor: Executor,
        on_improvement: ImprovementHook | None = None,
        on_progress: ProgressHook | None = None,
        *,
        fold_width: int = DEFAULT_FOLD_WIDTH,
    ) -> None:
        self.executor = executor
        self.on_improvement = on_improvement or (lambda text: None)
        self.on_progress = on_progress or (lambda progress: None)
        self.fold_width = max(1, fold_width)
        self.stats = Stats()
        self._cache: dict[bytes, bool] = {}
        self._inflight: dict[Future[Verdict], tuple[bytes, str]] = {}
        self._pending: set[bytes] = set()
        self._used: set[bytes] = set()  # keys whose verdict the procedure read
        self._lookahead: list[_Lookahead] = []
        self._record = _Tally()  # pass -> its decisions, and those that changed the text
        self._members = _Tally()  # pass -> its batch members, and the interesting ones
        self._kinds = _Tally()  # (pass, kind) -> its non-foldable decisions, the accepted
        self._upcoming: Sequence[Pass] = ()  # the passes reduce() runs next in this round
        self._round_start = ""  # the text this round started on
        # The passes of the round after this one: if this round changes the text, and if not.
        self._next_rounds: tuple[Sequence[Pass], Sequence[Pass]] = ((), ())
        # (id(pass), digest of a text) -> the pass's stream there, opened by speculation;
        # kept while its text is the accepted one or one the current pass may end on.
        self._prepared: dict[tuple[int, bytes], _Stream] = {}
        self._spares: dict[tuple[bytes, Hashable], _Stream] = {}  # streams opened on a bet
        # Following passes' streams after a candidate the next-pass chain bets on.
        self._continued: dict[tuple[int, bytes, Hashable], _Stream] = {}
        self._edits: dict[bytes, Edit] = {}  # the current batch's edits, by candidate key
        self._last_bet: tuple[tuple[bytes, ...], list[_Lookahead]] | None = None
        self._prune_due = False  # the text changed: cancel what no window wants
        self._rebet: Callable[[], None] | None = None  # while a batch is being read
        # Deciding a candidate that is not foldable: (the pass, its stream, the index).
        self._tree: tuple[Pass, _Stream, int] | None = None
        # Read once per pass: a Dask executor asks its scheduler, which is slow (and, once
        # the scheduler is gone, raises the executor's own one-line error).
        self._capacity = 1

    # -- oracle access -------------------------------------------------------------------

    def test(self, text: str) -> Verdict:
        """One direct oracle call (used for the initial and final checks)."""
        self.stats.oracle_calls += 1
        self.stats.used_calls += 1
        verdict = self.executor.submit(text).result()
        self._cache[_digest(text)] = verdict.interesting
        self._used.add(_digest(text))
        return verdict

    def _submit(self, key: bytes, text: str) -> None:
        self._pending.add(key)
        self._inflight[self.executor.submit(text)] = (key, self.stats.current_pass)

    def _harvest(self) -> int:
        """Collect finished calls into the cache; how many there were."""
        finished = [f for f in self._inflight if f.done()]
        for future in finished:
            key, pass_name = self._inflight.pop(future)
            self._pending.discard(key)
            verdict = future.result()  # an oracle error ends the reduction, as before
            self.stats.oracle_calls += 1
            calls = self.stats.per_pass_calls
            calls[pass_name] = calls.get(pass_name, 0) + 1
            if verdict.prefiltered:
                self.stats.prefiltered += 1
                cheap = self.stats.per_pass_prefiltered
                cheap[pass_name] = cheap.get(pass_name, 0) + 1
            self._cache[key] = verdict.interesting
            if key in self._used:
                self.stats.used_calls += 1
        return len(finished)

    def _make_room(self) -> None:
        """The procedure needs a call that is not running: if speculation holds every
        worker, cancel the call it started last (the furthest bet) so the needed one
        starts now instead of queueing behind a guess."""
        for future in reversed(list(self._inflight)):
            if len(self._inflight) < self._capacity:
                return
            self._cancel(future)

    def _cancel(self, future: Future[Verdict]) -> None:
        """Stop one speculative call and forget it, unless it already finished (then its
        verdict is harvested as usual)."""
        if future.cancel():
            key, _ = self._inflight.pop(future)
            self._pending.discard(key)
            self.stats.cancelled += 1

    def _pump(self) -> None:
        """Fill free workers from the lookahead, in order; then, for each window that
        reaches the end of its pass's candidates (the pass would end on that text), from
        the next passes' on that text."""
        capacity = self._capacity
        ends: list[str] = []  # texts the current pass may end on, most likely first
        for lookahead in self._lookahead:
            stop = lookahead.stop
            index = lookahead.start
            ran_out = False  # reached the end of the pass's candidates, none interesting
            while index < stop and len(self._inflight) < capacity:
                entry = lookahead.stream.get(index)
                if entry is None:
                    ran_out = True
                    break
                known = self._cache.get(entry.key)
                if known:
                    stop = min(stop, max(lookahead.fence, index + 1))
                elif known is None and entry.key not in self._pending:
                    self._submit(entry.key, entry.candidate.text)
                index += 1
            if len(self._inflight) >= capacity:
                return
            if ran_out and lookahead.stream.text not in ends:
                ends.append(lookahead.stream.text)
        # Speculate that the current pass ends on each of those texts: the passes after it
        # start there, so the round that finds the fixpoint is as parallel as one long pass.
        for text in ends:
            if self._submit_from(self._chain(text)):
                return
        if self._tree is not None:
            self._submit_from(self._walk_tree())

    def _submit_from(self, entries: Iterator[_Entry]) -> bool:
        """Start the entries not known or running, in order, while workers are free;
        whether they are all busy now."""
        for entry in entries:
            if len(self._inflight) >= self._capacity:
                return True
            if entry.key not in self._cache and entry.key not in self._pending:
                self._submit(entry.key, entry.candidate.text)
        return len(self._inflight) >= self._capacity

    def _walk_tree(self) -> Iterator[_Entry]:
        assert self._tree is not None
        reduction_pass, stream, index = self._tree
        return self._walk((reduction_pass,), 0, stream, index, stream.text)

    def _chain(self, text: str) -> Iterator[_Entry]:
        """The candidates the following passes would test if the current pass ends on
        `text`, most likely first (``_walk`` from the start of the next pass)."""
        return self._walk((), 0, None, 0, text)

    def _walk(
        self,
        current: tuple[Pass, ...],
        position: int,
        stream: _Stream | None,
        index: int,
        text: str,
    ) -> Iterator[_Entry]:
        """The candidates the procedure may ask about next, most likely first: a
        best-first walk of the tree of outcomes, from candidate `index` of `stream` (the
        current pass's, when `current` holds it) or from the start of the next pass.

        A node is a place in a pass's candidates, with the odds that the procedure gets
        there. A candidate of unknown verdict is yielded, then branches: it fails (odds x
        (1 - p), the pass's next candidate) or, not foldable, it is accepted (odds x p,
        the pass goes on from its text); p is the pass's success rate. A known verdict
        takes its one branch at the same odds. When a pass runs out, the next one starts
        on that node's text: the rest of this round, then the next round's passes (which
        ones depends on whether the round changed the text: ``_round``). A foldable
        candidate does not branch (its batch is tested whole; what it merges is not
        guessed): its pass goes on at the same odds, at most fold_width + capacity deep,
        and one known interesting ends the node. Nodes below SPECULATION_ODDS are dropped.
        So the current candidate's success and its failure are both speculated on, and
        so are those of the candidates after it, as far as their odds are worth it.
        """
        counter = itertools.count()  # ties go to the node made first: a fixed order
        depth = self.fold_width + self._capacity
        Node = tuple[float, int, tuple[Pass, ...], bool, int, _Stream | None, int, str]
        frontier: list[Node] = []

        def push(
            odds: float,
            passes: tuple[Pass, ...],
            crossed: bool,
            position: int,
            stream: _Stream | None,
            index: int,
            text: str,
        ) -> None:
            node = (-odds, next(counter), passes, crossed, position, stream, index, text)
            heapq.heappush(frontier, node)

        push(1.0, (*current, *self._upcoming), False, position, stream, index, text)
        while frontier:
            minus_odds, _, passes, crossed, position, stream, index, text = heapq.heappop(frontier)
            odds = -minus_odds
            if position == len(passes):
                if crossed:
                    continue  # the walk goes no further than the next round
                if_changed, if_unchanged = self._next_rounds
                following = if_changed if text != self._round_start else if_unchanged
                if following:
                    push(odds, (*passes, *following), True, position, None, 0, text)
                continue
            upcoming = passes[position]
            if stream is None:
                stream = self._opened(upcoming, text)
            entry = stream.get(index) if index < depth else None
            if entry is None:  # the pass would change nothing (more): the next one
                push(odds, passes, crossed, position + 1, None, 0, text)
                continue
            known = self._cache.get(entry.key)
            if known is None:
                yield entry
            if self._foldable(entry.candidate):
                if not known:
                    push(odds, passes, crossed, position, stream, index + 1, text)
                continue
            p = self._kind_rate(upcoming.name, entry.candidate.kind)
            if known is not True:
                failed = odds * (1 - p if known is None else 1)
                if failed >= SPECULATION_ODDS:
                    push(failed, passes, crossed, position, stream, index + 1, text)
            if known is not False:
                accepted = odds * (p if known is None else 1)
                if accepted >= SPECULATION_ODDS:
                    candidate = entry.candidate
                    if current and position == 0:
                        # The current pass: the stream the procedure restarts on (_restart).
                        after = self._spare(upcoming, candidate.text, candidate.resume)
                    else:
                        after = self._continuation(upcoming, candidate.text, candidate.resume)
                    push(accepted, passes, crossed, position, after, 0, candidate.text)

    def _opened(self, reduction_pass: Pass, text: str) -> _Stream:
        """A following pass's stream from its start on `text`, made once (``run_pass``
        takes it when the pass starts there)."""
        key = (id(reduction_pass), _digest(text))
        stream = self._prepared.get(key)
        if stream is None:
            stream = self._prepared[key] = _Stream(reduction_pass.candidates(text, None), text)
        return stream

    def _continuation(self, reduction_pass: Pass, text: str, resume: Hashable) -> _Stream:
        """A following pass's stream after a candidate ``_chain`` bets on (kept until the
        next pass starts, so each pump does not make it again)."""
        key = (id(reduction_pass), _digest(text), resume)
        stream = self._continued.get(key)
        if stream is None:
            stream = self._continued[key] = _Stream(reduction_pass.candidates(text, resume), text)
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
        return min(self._capacity, decisions * self.fold_width)

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

    def _verdict(self, entry: _Entry) -> bool:
        """The verdict the procedure needs now; free workers speculate meanwhile."""
        if entry.key in self._used:
            # Read before (a pass yielded this text again): the cache answers. Counted the
            # same at every -j, unlike texts that speculation happened to test first.
            self.stats.cache_hits += 1
            return self._cache[entry.key]
        self._used.add(entry.key)
        if entry.key in self._cache:
            self.stats.used_calls += 1  # a speculative call that turned out to be needed
            return self._cache[entry.key]
        if self._prune_due:
            self._prune_due = False
            self._harvest()  # a call that finished is kept, whatever it was for
            if entry.key in self._cache:
                return self._cache[entry.key]  # counted as used by the harvest
            self._prune(entry.key)
        if entry.key not in self._pending:
            self._make_room()
            self._submit(entry.key, entry.candidate.text)
        while True:
            # Harvest first: a failed call raises here, and a finished one frees its slot.
            harvested = self._harvest()
            if entry.key in self._cache:
                return self._cache[entry.key]
            if harvested and self._rebet is not None:
                self._rebet()  # new verdicts of the batch: a better guess of its outcome
            self._pump()
            wait(list(self._inflight), return_when=FIRST_COMPLETED)

    def _wanted(self, needed: bytes) -> set[bytes]:
        """The keys the procedure may still ask about before the text changes again: the
        one it waits for, every window's candidates, and the following passes' first
        candidates on the text the last window ends with (what ``_pump`` would start)."""
        wanted = {needed}
        for lookahead in self._lookahead:
            entries = lookahead.stream.entries[lookahead.start : lookahead.stop]
            wanted.update(entry.key for entry in entries)
        if self._tree is not None:
            for entry in itertools.islice(self._walk_tree(), 4 * self._capacity):
                wanted.add(entry.key)
        for lookahead in self._lookahead:
            stream = lookahead.stream
            if stream.exhausted and len(stream.entries) <= lookahead.stop:
                # The window reaches the end of the pass: what ``_pump`` starts next.
                chained = self._chain(stream.text)
                for entry in itertools.islice(chained, 2 * (self.fold_width + self._capacity)):
                    wanted.add(entry.key)
        return wanted

    def _prune(self, needed: bytes) -> None:
        """Cancel the calls on texts the procedure has left behind (scheduling only: the
        verdicts it reads do not change, a cancelled text is asked again if needed)."""
        wanted = self._wanted(needed)
        for future, (key, _) in list(self._inflight.items()):
            if key not in wanted:
                self._cancel(future)

    def _settle(self) -> None:
        """At the end, stop the speculation still running (nothing will read it) and let
        what cannot be stopped finish (its verdicts still count)."""
        self._lookahead, self._tree = [], None
        for future in list(self._inflight):
            self._cancel(future)
        while self._inflight:
            wait(list(self._inflight), return_when=FIRST_COMPLETED)
            self._harvest()

    # -- the procedure -------------------------------------------------------------------

    def _accept(self, reduction_pass: Pass, text: str, folded: int) -> None:
        self._prune_due = True
        # Streams speculated on texts now left behind (memory: on a big input each holds
        # megabyte candidates).
        self._prepared = {k: v for k, v in self._prepared.items() if v.text == text}
        self.stats.accepted += folded
        counts = self.stats.per_pass_accepted
        counts[reduction_pass.name] = counts.get(reduction_pass.name, 0) + folded
        self.on_improvement(text)
        self.on_progress(Progress(reduction_pass.name, len(text), self.stats))

    def run_pass(self, reduction_pass: Pass, text: str) -> str:
        self.stats.current_pass = reduction_pass.name
        self._capacity = max(1, self.executor.capacity)
        self._prune_due = True  # the last pass's bets and lookahead are over
        self._spares.clear()
        self._continued.clear()
        prepared = self._prepared.pop((id(reduction_pass), _digest(text)), None)
        if prepared is not None:
            stream = prepared  # speculated while an earlier pass ended
        else:
            stream = _Stream(reduction_pass.candidates(text, None), text)
        name = reduction_pass.name
        index = 0
        self.on_progress(Progress(reduction_pass.name, len(text), self.stats))
        while True:
            head = stream.get(index)
            if head is None:
                return stream.text
            if not self._foldable(head.candidate) or self.fold_width == 1:
                # Free workers follow the tree of outcomes from here (``_walk``).
                self._lookahead = []
                self._tree = (reduction_pass, stream, index) if self._capacity > 1 else None
                index += 1
                interesting = self._verdict(head)
                self._record.add(name, interesting)
                if head.candidate.kind:
                    self._kinds.add((name, head.candidate.kind), interesting)
                if interesting:
                    candidate = head.candidate
                    stream = self._restart(
                        reduction_pass, candidate.text, candidate.resume, keep_bets=True
                    )
                    index = 0
                    self._accept(reduction_pass, stream.text, 1)
                continue
            batch = [head]
            while len(batch) < self.fold_width:
                entry = stream.get(index + len(batch))
                if entry is None or not self._foldable(entry.candidate):
                    break
                batch.append(entry)
            end = index + len(batch)
            ahead = self._depth(name)
            self._tree = None
            self._spares.clear()  # bets on the previous batch's outcome
            self._edits.clear()
            self._last_bet = None
            wins = []
            for position, entry in enumerate(batch):
                self._lookahead = [_Lookahead(stream, index, end + ahead, end)]
                if entry.key not in self._cache and self._capacity > 1:
                    window = (index, end)
                    self._rebet = functools.partial(
                        self._bet, reduction_pass, stream, batch, position, wins, window
                    )
                    self._rebet()
                interesting = self._verdict(entry)
                if interesting:
                    wins.append(entry)
                self._members.add(name, interesting)
                self._rebet = None
            self._record.add(name, bool(wins))
            index = end
            if wins:
                stream = self._fold(reduction_pass, stream, batch, wins)
                index = 0

    @staticmethod
    def _foldable(candidate: Candidate) -> bool:
        return candidate.foldable and not candidate.grows

    def _restart(
        self, reduction_pass: Pass, text: str, resume: Hashable, *, keep_bets: bool = False
    ) -> _Stream:
        """The pass's stream after accepting `text`: the one speculation opened, if any.

        A batch's other spares were bets on outcomes that did not happen; the tree of
        outcomes (``keep_bets``, ``_walk``) goes on from the accepted one, so it is kept
        (until the next batch or pass) instead of being opened again."""
        spare = self._spares.pop((_digest(text), resume), None)
        if not keep_bets:
            self._spares.clear()
        if spare is not None:
            return spare
        return _Stream(reduction_pass.candidates(text, resume), text)

    def _spare(self, reduction_pass: Pass, text: str, resume: Hashable) -> _Stream:
        key = (_digest(text), resume)
        if key not in self._spares:
            self._spares[key] = _Stream(reduction_pass.candidates(text, resume), text)
        return self._spares[key]

    def _plan(
        self, base: str, batch: list[_Entry], wins: list[_Entry]
    ) -> tuple[str, Hashable, int]:
        """What a batch with these interesting candidates leads to: (text, marker, how
        many candidates it folds; two or more must be tested)."""
        taken: list[tuple[Edit, _Entry]] = []
        for entry in wins:
            edit = self._edits.get(entry.key)
            if edit is None:
                edit = self._edits[entry.key] = edit_of(base, entry.candidate.text)
            if taken and not _keeps_promise(entry.candidate, edit):
                continue  # its state may depend on what another edit changes: alone only
            if not any(overlaps(edit, other) for other, _ in taken):
                taken.append((edit, entry))
        # The marker: a foldable candidate's marker depends only on the text before its
        # edit, so the batch's last marker is valid when that edit comes first in the text
        # (passes that walk backwards: the pass goes on after the whole batch); otherwise
        # the marker of the earliest merged edit is (the pass re-walks what follows it).
        lowest = min(edit[0] for edit, _ in taken)
        last = batch[-1]
        if last.key not in self._edits:
            self._edits[last.key] = edit_of(base, last.candidate.text)
        if self._edits[last.key][0] <= lowest and _keeps_promise(
            last.candidate, self._edits[last.key]
        ):
            resume = batch[-1].candidate.resume
        else:
            resume = min(taken, key=lambda pair: pair[0][0])[1].candidate.resume
        if len(taken) == 1:
            return taken[0][1].candidate.text, resume, 1
        return apply_edits(base, [edit for edit, _ in taken]), resume, len(taken)

    def _bet(
        self,
        reduction_pass: Pass,
        stream: _Stream,
        batch: list[_Entry],
        position: int,
        wins: list[_Entry],
        window: tuple[int, int],
    ) -> None:
        """Once the rest of a batch is running, let free workers start on its most likely
        outcome: each pending candidate guessed interesting when the pass mostly succeeds,
        the merge that would then be tested, and the pass's next candidates after it.
        Scheduling only: a wrong guess costs calls, never changes what is accepted."""
        rest = batch[position:]
        if any(e.key not in self._cache and e.key not in self._pending for e in rest):
            return  # workers still have the batch itself to do
        # Per candidate, not per batch: most batches have a win, few of their candidates.
        likely = self._members.rate(reduction_pass.name) > 0.5
        guess = wins + [e for e in rest if self._cache.get(e.key, likely)]
        if not guess:
            return  # the plain lookahead already goes on past the batch
        keys = tuple(e.key for e in guess)
        if self._last_bet is not None and self._last_bet[0] == keys:
            self._lookahead = self._last_bet[1]
            return
        text, resume, folded = self._plan(stream.text, batch, guess)
        start, end = window
        width = self.fold_width
        bets = [_Lookahead(stream, start, end, end)]
        if folded > 1:
            merge = _Stream(iter([Candidate(text, resume)]), stream.text)
            bets.append(_Lookahead(merge, 0, 1, 1))
        after = self._spare(reduction_pass, text, resume)
        bets.append(_Lookahead(after, 0, width + self._capacity, width))
        self._lookahead = bets
        self._last_bet = (keys, bets)

    def _fold(
        self, reduction_pass: Pass, stream: _Stream, batch: list[_Entry], wins: list[_Entry]
    ) -> _Stream:
        """Accept the merge of a batch's interesting candidates, or the first of them."""
        text, resume, folded = self._plan(stream.text, batch, wins)
        if folded == 1:
            next_stream = self._restart(reduction_pass, text, resume)
            self._accept(reduction_pass, text, 1)
            return next_stream
        next_stream = self._spare(reduction_pass, text, resume)
        merge = _Entry(Candidate(text, resume), _digest(text))
        # Bet that the merge is interesting: start on what the pass yields after it.
        width = self.fold_width
        self._lookahead = [_Lookahead(next_stream, 0, width + self._capacity, width)]
        self._tree = None
        # The batch is read: bets on its other outcomes are over.
        self._prune_due = True
        if self._verdict(merge):
            self.stats.folds += 1
            next_stream = self._restart(reduction_pass, text, resume)
            self._accept(reduction_pass, text, folded)
            return next_stream
        self.stats.fold_failures += 1
        first = wins[0].candidate
        next_stream = self._restart(reduction_pass, first.text, first.resume)
        self._accept(reduction_pass, first.text, 1)
        return next_stream

    def reduce(self, text: str, passes: Sequence[Pass], last: Sequence[Pass] = ()) -> str:
        """Run every pass in turn until a whole round changes nothing; then, if there are
        ``last`` passes, one round of those, and when it changes the text the rounds of
        ``passes`` start over (table.PassPlan: the late and unguarded passes)."""
        try:
            while True:
                text = self._rounds(text, passes, last)
                if not last:
                    break
                before = text
                text = self._round(text, last, passes, ())
                if text == before:
                    break
        except BaseException:
            self._lookahead, self._inflight, self._tree = [], {}, None  # the caller closes it
            raise
        else:
            self._settle()
        finally:
            self._upcoming, self._prepared = (), {}
        return text

    def _rounds(self, text: str, passes: Sequence[Pass], last: Sequence[Pass]) -> str:
        while True:
            before = text
            text = self._round(text, passes, passes, last)
            if text == before:
                return text

    def _round(
        self,
        text: str,
        passes: Sequence[Pass],
        if_changed: Sequence[Pass],
        if_unchanged: Sequence[Pass],
    ) -> str:
        """One round of ``passes``; the round after it runs ``if_changed`` when this one
        changes the text and ``if_unchanged`` otherwise (speculation only: the next passes
        to start on a text the current pass may end with, ``_chain``)."""
        self._round_start = text
        self._next_rounds = (if_changed, if_unchanged)
        for position, reduction_pass in enumerate(passes):
            self._upcoming = passes[position + 1 :]
            text = self.run_pass(reduction_pass, text)
        self._upcoming = ()
        return text

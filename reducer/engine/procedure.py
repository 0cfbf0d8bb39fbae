"""The procedure: what a reduction accepts, decided by reading one verdict at a time in the
order the passes yield candidates (see reducer.engine for the contract and the folding).

It owns the decisions, the resume states and the verdicts it reads; it tells the speculator
(reducer.engine.speculator) where it is, and takes back only streams (which a pure pass
yields the same whoever opens them). Nothing it decides reads the speculator's state.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import FIRST_COMPLETED, wait

from reducer.engine.calls import Calls, Progress, Stats
from reducer.engine.folding import EditMemo, plan
from reducer.engine.speculator import Speculator
from reducer.engine.streams import Entry, Stream, digest, foldable
from reducer.executors.base import Executor
from reducer.passes.base import Candidate, Pass
from reducer.verdict import Verdict

# By measurement (bench/scaling_bench.py, bench/RESULTS.md 2026-12-02): 16 gave the best
# scaling at 8 workers of 8/16/32 and no more -j1 calls than 1 over eight csmith seeds
# (4584 against 4732; 8 made 19% more, 32 10% fewer but scaled no better).
DEFAULT_FOLD_WIDTH = 16

ImprovementHook = Callable[[str], None]
ProgressHook = Callable[[Progress], None]


class Engine:
    def __init__(
        self,
        executor: Executor,
        on_improvement: ImprovementHook | None = None,
        on_progress: ProgressHook | None = None,
        *,
        fold_width: int = DEFAULT_FOLD_WIDTH,
    ) -> None:
        self.on_improvement = on_improvement or (lambda text: None)
        self.on_progress = on_progress or (lambda progress: None)
        self.fold_width = max(1, fold_width)
        self.stats = Stats()
        self._calls = Calls(executor, self.stats)
        self._speculator = Speculator(self._calls, self.fold_width)
        self._edits: EditMemo = {}  # the current batch's edits, by candidate key

    @property
    def executor(self) -> Executor:
        return self._calls.executor

    @executor.setter
    def executor(self, executor: Executor) -> None:
        # reduce swaps in the executor with the parse prefilter after the first checks.
        self._calls.executor = executor

    # -- oracle access -------------------------------------------------------------------

    def test(self, text: str) -> Verdict:
        """One direct oracle call (used for the initial and final checks)."""
        return self.record(text, self.executor.submit(text).result())

    def record(self, text: str, verdict: Verdict) -> Verdict:
        """The verdict of a direct call on `text` that the caller made through the
        executor (the original's check, a differential's two toolchains at once), counted
        and cached as ``test`` counts and caches its own."""
        self.stats.oracle_calls += 1
        self.stats.used_calls += 1
        self._calls.cache[digest(text)] = verdict.interesting
        self._calls.used.add(digest(text))
        return verdict

    def _verdict(self, entry: Entry) -> bool:
        """The verdict the procedure needs now; free workers speculate meanwhile."""
        calls, speculator = self._calls, self._speculator
        if entry.key in calls.used:
            # Read before (a pass yielded this text again): the cache answers. Counted the
            # same at every -j, unlike texts that speculation happened to test first.
            self.stats.cache_hits += 1
            return calls.cache[entry.key]
        calls.used.add(entry.key)
        if entry.key in calls.cache:
            self.stats.used_calls += 1  # a speculative call that turned out to be needed
            return calls.cache[entry.key]
        if speculator.take_prune_due():
            calls.harvest()  # a call that finished is kept, whatever it was for
            if entry.key in calls.cache:
                return calls.cache[entry.key]  # counted as used by the harvest
            speculator.prune(entry.key)
        if not calls.running(entry.key):
            speculator.make_room()
            calls.submit(entry.key, entry.candidate.text)
        while True:
            # Harvest first: a failed call raises here, and a finished one frees its slot.
            harvested = calls.harvest()
            if entry.key in calls.cache:
                return calls.cache[entry.key]
            if harvested:
                speculator.harvested(entry.key)
            speculator.pump()
            wait(list(calls.inflight), return_when=FIRST_COMPLETED)

    def _settle(self) -> None:
        """At the end, stop the speculation still running (nothing will read it) and let
        what cannot be stopped finish (its verdicts still count)."""
        self._speculator.stop()
        self._calls.cancel_all()
        while self._calls.inflight:
            wait(list(self._calls.inflight), return_when=FIRST_COMPLETED)
            self._calls.harvest()

    # -- the procedure -------------------------------------------------------------------

    def _accept(self, reduction_pass: Pass, text: str, folded: int) -> None:
        self._speculator.accepted(text)
        self.stats.accepted += folded
        counts = self.stats.per_pass_accepted
        counts[reduction_pass.name] = counts.get(reduction_pass.name, 0) + folded
        self.on_improvement(text)
        self.on_progress(Progress(reduction_pass.name, len(text), self.stats))

    def run_pass(self, reduction_pass: Pass, text: str) -> str:
        self.stats.current_pass = reduction_pass.name
        self._calls.capacity = max(1, self.executor.capacity)
        speculator = self._speculator
        prepared = speculator.pass_started(reduction_pass, text)
        if prepared is not None:
            stream = prepared  # speculated while an earlier pass ended
        else:
            stream = Stream(reduction_pass.candidates(text, None), text)
        name = reduction_pass.name
        index = 0
        self.on_progress(Progress(reduction_pass.name, len(text), self.stats))
        while True:
            head = stream.get(index)
            if head is None:
                return stream.text
            if not foldable(head.candidate) or self.fold_width == 1:
                speculator.deciding(reduction_pass, stream, index)
                index += 1
                interesting = self._verdict(head)
                removed = len(stream.text) - len(head.candidate.text)
                speculator.decided(name, head.candidate.kind, interesting, removed)
                if head.candidate.note:
                    size = len(head.candidate.text.encode())
                    self.stats.notes.append((name, size, interesting, head.candidate.note))
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
                if entry is None or not foldable(entry.candidate):
                    break
                batch.append(entry)
            end = index + len(batch)
            self._edits.clear()
            ahead = speculator.batch_started(name, self._edits)
            wins: list[Entry] = []
            for position, entry in enumerate(batch):
                speculator.in_batch(
                    reduction_pass, stream, batch, position, wins, (index, end), ahead
                )
                interesting = self._verdict(entry)
                if interesting:
                    wins.append(entry)
                speculator.member_read(name, interesting)
            speculator.decided(name, None, bool(wins))
            index = end
            if wins:
                stream = self._fold(reduction_pass, stream, batch, wins)
                index = 0

    def _restart(
        self, reduction_pass: Pass, text: str, resume: Hashable, *, keep_bets: bool = False
    ) -> Stream:
        """The pass's stream after accepting `text`: the one speculation opened, if any."""
        spare = self._speculator.take_spare(text, resume, keep_bets=keep_bets)
        if spare is not None:
            return spare
        return Stream(reduction_pass.candidates(text, resume), text)

    def _fold(
        self, reduction_pass: Pass, stream: Stream, batch: list[Entry], wins: list[Entry]
    ) -> Stream:
        """Accept the merge of a batch's interesting candidates, or the first of them."""
        text, resume, folded = plan(stream.text, batch, wins, self._edits)
        if folded == 1:
            next_stream = self._restart(reduction_pass, text, resume)
            self._accept(reduction_pass, text, 1)
            return next_stream
        self._speculator.testing_merge(self._speculator.spare(reduction_pass, text, resume))
        merge = Entry(Candidate(text, resume), digest(text))
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
            self._speculator.stop()
            self._calls.inflight = {}  # the caller closes the executor
            raise
        else:
            self._settle()
        finally:
            self._speculator.forget()
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
        to start on a text the current pass may end with)."""
        self._speculator.round_started(text, if_changed, if_unchanged)
        for position, reduction_pass in enumerate(passes):
            self._speculator.passes_after(passes[position + 1 :])
            before = len(text)
            text = self.run_pass(reduction_pass, text)
            if len(text) > before:
                # A pass grew the text on purpose (a project header inlined): the round
                # starts over, so the coarse passes at the top of the table cut the new
                # text before the fine ones crawl over it (duktape.c: a 173 KB config
                # header inlined into 11 KB, then `macros` at 13 calls/s and 2.4 GB).
                break
        self._speculator.passes_after(())
        return text

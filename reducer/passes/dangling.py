"""Candidates that cannot compile, told apart without the compiler: a top-level name's
every declaration removed while the rest of the text still mentions it.

For an oracle that needs an object file (a relocation, a section, a symbol, assembly), a
candidate that does not compile is never interesting, and the blind removal passes make
many of them: on csmith seed 1, ``toplevel`` tried 148 chunks of a text whose every item
the one remaining function still used (7 accepted), and ``lines`` and ``balanced`` cut
declarations the same way. The test is by name only, so it can be wrong both ways (a
local variable shadowing a removed global, a macro that declares a name it cannot see):
the pass plan therefore uses it to *postpone* such candidates, never to lose them. The
guarded passes run until the text stops changing; then every pass runs once more
unguarded (``table.build_plan``), so a reduction the guess wrongly skipped is still found.

Why it holds for C: since clang 16 an undeclared identifier and an implicit function
declaration are both errors in C99 and later (older dialects accept the second: there the
guess postpones a valid candidate to the last round, which costs calls, not size).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterator

from reducer.ctokens import C_KEYWORDS, Kind, Token, scan, tokenize, top_level_items
from reducer.edits import edit_of
from reducer.passes.base import Candidate, Pass
from reducer.passes.unused import declared_names

_TAG_WORDS = frozenset({"struct", "union", "enum"})
# Past this many characters of replacement text the check is not worth its tokenizing:
# the candidate is yielded untested (a rename, a multi-span edit).
_MAX_REPLACEMENT = 4096


class TopLevelNames:
    """Where each top-level name of one text is declared and mentioned (token starts)."""

    def __init__(self, text: str) -> None:
        tokens = tokenize(text)
        starts = [t.start for t in tokens]
        declarations: list[tuple[int, str]] = []
        for item_start, item_end in top_level_items(text):
            first = bisect_left(starts, item_start)
            last = bisect_left(starts, item_end)
            item = tokens[first:last]
            for name in declared_names(item) or ():
                where = next((t.start for t in item if t.text == name), None)
                if where is not None:
                    declarations.append((where, name))
        declarations.sort()
        names = {name for _, name in declarations}
        mentions: dict[str, list[int]] = defaultdict(list)
        tags: set[str] = set()
        previous: Token | None = None
        for token in tokens:
            if token.kind is Kind.WORD and token.text in names:
                mentions[token.text].append(token.start)
                # `struct S *p` compiles without S's definition: tags are never guessed.
                if previous is not None and previous.text in _TAG_WORDS:
                    tags.add(token.text)
            if token.kind is not Kind.COMMENT:
                previous = token
        self.text = text
        self._tokens = tokens
        self._starts = starts
        self._declared_at = [where for where, _ in declarations]
        self._declared = declarations
        self._declaration_count = Counter(name for _, name in declarations)
        self._mentions = dict(mentions)
        self._tags = tags

    def leaves_undeclared(self, candidate: str) -> bool:
        """Whether ``candidate`` (this text with one span replaced) removes every
        declaration of a name it still mentions. False when unsure."""
        start, end, _ = edit_of(self.text, candidate)
        # Widen the span to whole tokens, on both texts alike (they share what is outside).
        first = bisect_right(self._starts, start) - 1
        if first >= 0 and self._tokens[first].end > start:
            start = self._tokens[first].start
        last = bisect_left(self._starts, end)
        if last > 0 and self._tokens[last - 1].end > end:
            end = self._tokens[last - 1].end
        grown = len(candidate) - len(self.text)
        replacement = candidate[start : end + grown]
        if len(replacement) > _MAX_REPLACEMENT:
            return False
        low = bisect_left(self._declared_at, start)
        high = bisect_left(self._declared_at, end)
        removed = Counter(name for _, name in self._declared[low:high])
        if not removed:
            return False
        still_said = {t.text for t in scan(replacement) if t.kind is Kind.WORD}
        for name, count in removed.items():
            if name in self._tags or name in C_KEYWORDS:
                continue
            if count < self._declaration_count[name] or name in still_said:
                continue  # declared elsewhere, or the replacement still declares it
            positions = self._mentions[name]
            inside = bisect_left(positions, end) - bisect_left(positions, start)
            if inside < len(positions):
                return True
        return False


class SkipUndeclared:
    """``inner``'s candidates without those that leave a top-level name undeclared."""

    def __init__(self, inner: Pass) -> None:
        self.inner = inner
        self.name = inner.name

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        names: TopLevelNames | None = None
        for candidate in self.inner.candidates(text, resume):
            if names is None:
                names = TopLevelNames(text)  # only once the pass proposes something
            if not names.leaves_undeclared(candidate.text):
                yield candidate

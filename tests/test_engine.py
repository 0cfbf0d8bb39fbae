"""Engine properties with synthetic, in-process oracles (no compiler involved)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reducer.ctokens import tokenize
from reducer.engine import Engine
from reducer.executors.local import LocalPoolExecutor
from reducer.oracles.base import Verdict
from reducer.passes.table import default_passes
from reducer.passes.tokens import TokensPass

Predicate = Callable[[str], bool]


class PredicateOracle:
    """Reads the candidate from disk, like a real oracle, and applies a predicate."""

    name = "predicate"

    def __init__(self, predicate: Predicate) -> None:
        self.predicate = predicate

    def check(self, candidate: Path) -> Verdict:
        text = candidate.read_text(encoding="utf-8")
        return Verdict(self.predicate(text), "synthetic")


def reduce_with(predicate: Predicate, text: str, jobs: int) -> tuple[str, Engine]:
    executor = LocalPoolExecutor(PredicateOracle(predicate), "t.c", jobs)
    try:
        engine = Engine(executor)
        assert engine.test(text).interesting
        return engine.reduce(text, default_passes()), engine
    finally:
        executor.close()


WORDS = ["int", "x", "y", "f", "(", ")", "{", "}", ";", "=", "1", "*", "a", "return", "\n"]


def token_soup() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), min_size=8, max_size=60).map(" ".join)


def needs(*words: str) -> Predicate:
    """Interesting while the words appear as tokens, in this order (a subsequence)."""

    def predicate(text: str) -> bool:
        remaining = iter(t.text for t in tokenize(text))
        return all(any(tok == w for tok in remaining) for w in words)

    return predicate


def needs_balanced_and(word: str) -> Predicate:
    def predicate(text: str) -> bool:
        return word in text and text.count("{") == text.count("}") and text.count("{") >= 1

    return predicate


PREDICATES = st.sampled_from(
    [needs("x"), needs("f", "x"), needs("int", "=", "1"), needs_balanced_and("a"), needs("(", ")")]
)


def single_token_deletions(text: str) -> list[str]:
    return [c.text for c in TokensPass().candidates(text) if len(c.text) < len(text)]


@settings(max_examples=40, deadline=None)
@given(token_soup(), PREDICATES)
def test_result_is_interesting_smaller_and_token_1_minimal(text: str, predicate: Predicate) -> None:
    assume(predicate(text))
    result, _ = reduce_with(predicate, text, jobs=2)
    assert predicate(result)
    assert len(result) <= len(text)
    tokens = tokenize(result)
    for index in range(len(tokens)):
        without = result[: tokens[index].start] + result[tokens[index].end :]
        assert not predicate(without), f"token {tokens[index].text!r} of {result!r} is removable"


@settings(max_examples=25, deadline=None)
@given(token_soup(), PREDICATES)
def test_one_and_two_jobs_give_the_same_file(text: str, predicate: Predicate) -> None:
    assume(predicate(text))
    one, _ = reduce_with(predicate, text, jobs=1)
    two, _ = reduce_with(predicate, text, jobs=2)
    assert one == two


def test_cache_skips_repeated_candidates() -> None:
    text = "int x ; int y ; int z ;\n" * 4
    _, engine = reduce_with(needs("x", "z"), text, jobs=1)
    assert engine.stats.cache_hits > 0
    assert engine.stats.accepted > 0


def test_reduces_to_the_essential_tokens() -> None:
    text = "int a = 1;\nint f(int x) { return x; }\nint b;\n"
    result, _ = reduce_with(needs("f", "x"), text, jobs=2)
    assert [t.text for t in tokenize(result)] == ["f", "x"]


class _Recording:
    """A pass that proposes one fixed edit and records the texts it was run on."""

    def __init__(self, name: str, edit: Callable[[str], str | None], seen: list[str]) -> None:
        self.name = name
        self._edit = edit
        self._seen = seen

    def candidates(self, text: str, resume: object = None):  # type: ignore[no-untyped-def]
        from reducer.passes.base import Candidate

        self._seen.append(f"{self.name}:{text}")
        new = self._edit(text)
        if new is not None and new != text:
            yield Candidate(new, None, grows=len(new) > len(text))


def test_a_pass_that_grows_the_text_starts_the_round_over() -> None:
    # `includes` inlines a header; the passes after it must not crawl over the grown text
    # before the coarse ones at the top of the table have cut it.
    seen: list[str] = []
    coarse = _Recording("coarse", lambda t: t.replace(" junk", ""), seen)
    grow_once = _Recording(
        "grow", lambda t: None if "grown" in t else t.replace("x", "x grown junk"), seen
    )
    fine = _Recording("fine", lambda t: None, seen)
    executor = LocalPoolExecutor(PredicateOracle(lambda t: "x" in t), "t.c", 1)
    try:
        engine = Engine(executor)
        result = engine.reduce("x", [coarse, grow_once, fine])
    finally:
        executor.close()
    assert result == "x grown"
    # After the growth, `fine` never saw the junk: `coarse` ran first.
    assert not any(entry.startswith("fine:") and "junk" in entry for entry in seen), seen
    assert "coarse:x grown junk" in seen

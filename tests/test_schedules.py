"""The shared schedules: candidate order, resume states, and the foldable promise."""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from reducer.passes.base import Candidate
from reducer.passes.chunks import Span
from reducer.passes.lines import line_spans
from reducer.passes.schedules import (
    AFTER_ALL,
    RESTART,
    EachBefore,
    FromSite,
    GroupUnit,
    Halve,
    Halving,
    Sliding,
    all_then_each,
    cuts_then_halving,
    foldable_promise_holds,
    forward_variants,
    grouped,
    halving,
    restarting,
    sliding,
)
from tests.passcheck import reduce_under


def letters(text: str) -> list[Span]:
    return [(index, index + 1) for index in range(len(text))]


def texts(candidates: Iterator[Candidate]) -> list[str]:
    return [candidate.text for candidate in candidates]


# -- restarting ---------------------------------------------------------------------------


def test_restarting_keeps_the_order_and_starts_over_after_each() -> None:
    candidates = list(restarting(["b", "a", "c"]))
    assert texts(iter(candidates)) == ["b", "a", "c"]
    assert all(c.resume == RESTART and not c.foldable for c in candidates)


# -- halving --------------------------------------------------------------------------------


def test_halving_goes_from_half_to_single_units_from_the_end() -> None:
    assert texts(halving("abcdefgh", letters, None)) == [
        *("abcd", "efgh"),  # size 4
        *("abcdef", "abcdgh", "abefgh", "cdefgh"),  # size 2
        *("abcdefg", "abcdefh", "abcdegh", "abcdfgh"),  # size 1
        *("abcefgh", "abdefgh", "acdefgh", "bcdefgh"),
    ]


def test_halving_resumes_before_the_accepted_chunk_with_the_units_it_kept() -> None:
    first = list(halving("abcdefgh", letters, None))
    accepted = first[3]  # size 2, removes "ef"
    assert accepted.text == "abcdgh"
    assert accepted.resume == Halving(2, 4, ((0, 1), (1, 2), (2, 3), (3, 4)))
    computed: list[str] = []

    def counted(text: str) -> list[Span]:
        computed.append(text)
        return letters(text)

    resumed = texts(halving(accepted.text, counted, accepted.resume))
    assert resumed[:2] == ["abgh", "cdgh"]  # size 2 before "ef": "cd", then "ab"
    assert resumed[2:] == ["abcdg", "abcdh", "abcgh", "abdgh", "acdgh", "bcdgh"]
    assert computed == ["abcdgh"]  # once, for size 1: the kept units served size 2


def test_halving_after_the_first_chunk_goes_on_with_smaller_chunks() -> None:
    # Accepting the text's first chunk leaves no chunk of that size before it, but the
    # smaller sizes are still to do (they used to be skipped: the pass ended there, and a
    # folded batch ending on the first chunk cut the lines pass short).
    accepted = next(c for c in halving("abcd", letters, None) if c.text == "cd")
    assert texts(halving(accepted.text, letters, accepted.resume)) == ["c", "d"]
    # After the first single unit there is no smaller size: the pass ends.
    first_unit = next(c for c in halving("ab", letters, None) if c.text == "b")
    assert list(halving(first_unit.text, letters, first_unit.resume)) == []


def test_halving_stops_at_the_smallest_chunk_size() -> None:
    sizes = Halve(smallest=2)
    candidates = list(halving("abcdefgh", letters, None, sizes))
    assert [c.resume.size for c in candidates] == [4, 4, 2, 2, 2, 2]  # type: ignore[attr-defined]
    assert list(halving("abc", letters, None, Halve(smallest=2))) == []


def test_cuts_come_first_then_halving() -> None:
    def cut() -> Iterator[str]:
        yield "x"

    again = list(cuts_then_halving("abcd", letters, None, cut(), again=True))
    assert again[0] == Candidate("x", RESTART)
    assert texts(iter(again[1:])) == texts(halving("abcd", letters, None))
    once = list(cuts_then_halving("abcd", letters, None, cut(), again=False))
    assert once[0] == Candidate("x", AFTER_ALL)
    # After a cut: no cut again, halving from the start.
    after = cuts_then_halving("abcd", letters, AFTER_ALL, cut(), again=False)
    assert texts(after) == texts(halving("abcd", letters, None))


# -- sliding --------------------------------------------------------------------------------


def test_sliding_tries_every_run_per_width_from_the_end() -> None:
    candidates = list(sliding("abc", letters("abc"), (2, 1), None))
    assert texts(iter(candidates)) == ["a", "c", "ab", "ac", "bc"]
    assert [c.resume for c in candidates] == [
        Sliding(0, 1),
        Sliding(0, 0),
        Sliding(1, 2),
        Sliding(1, 1),
        Sliding(1, 0),
    ]
    accepted = candidates[3]  # width 1, removes "b"
    assert texts(sliding(accepted.text, letters(accepted.text), (2, 1), accepted.resume)) == ["c"]


class _Letters:
    """A pass removing single characters (sliding at width 1)."""

    name = "letters"

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        return sliding(text, letters(text), (1,), resume)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abxy", max_size=14), st.sampled_from(["ab", "xy", "aa", "ya"]))
def test_sliding_at_width_one_reaches_a_one_minimal_text(noise: str, needle: str) -> None:
    def interesting(text: str) -> bool:
        # Not monotonic: an even number of x, and the needle's letters in order.
        rest = iter(text)
        return text.count("x") % 2 == 0 and all(letter in rest for letter in needle)

    source = needle + noise + "xx"
    if not interesting(source):
        return
    result = reduce_under(_Letters(), source, interesting)
    assert interesting(result)
    for index in range(len(result)):
        assert not interesting(result[:index] + result[index + 1 :]), (result, index)


# -- all then each --------------------------------------------------------------------------


def test_all_then_each_without_carry_restarts_the_singles() -> None:
    candidates = list(all_then_each("abc", letters, None))
    assert texts(iter(candidates)) == ["", "ab", "ac", "bc"]
    assert {c.resume for c in candidates} == {AFTER_ALL}
    assert not any(c.foldable for c in candidates)
    # Once something was accepted, only the singles, from the last unit of the new text.
    assert texts(all_then_each("ac", letters, AFTER_ALL)) == ["a", "c"]


def test_all_then_each_with_carry_goes_on_with_the_units_before() -> None:
    def odd(text: str) -> list[Span]:
        return letters(text)[1::2]

    candidates = list(all_then_each("abcd", letters, None, together=odd, carry=True))
    assert texts(iter(candidates)) == ["ac", "abc", "abd", "acd", "bcd"]
    accepted = candidates[2]  # removes "c"
    assert accepted.foldable and accepted.resume == EachBefore(((0, 1), (1, 2)))

    def unused(text: str) -> list[Span]:
        raise AssertionError("the carried units are enough")

    assert texts(all_then_each(accepted.text, unused, accepted.resume, carry=True)) == [
        "ad",
        "bd",
    ]


def test_all_then_each_proposes_no_all_at_once_for_a_single_unit() -> None:
    assert texts(all_then_each("abc", letters, None, together=lambda t: [(0, 1)])) == [
        "ab",
        "ac",
        "bc",
    ]


# -- sites with variants, groups ----------------------------------------------------------


def test_forward_variants_resume_rules() -> None:
    def variants(site: int) -> list[tuple[str, str]]:
        return [("gone", f"{site}-gone"), ("a", f"{site}-a"), ("b", f"{site}-b")]

    candidates = list(forward_variants([1, 3], variants, None))
    assert texts(iter(candidates)) == ["1-gone", "1-a", "1-b", "3-gone", "3-a", "3-b"]
    assert [c.kind for c in candidates[:3]] == ["gone", "a", "b"]  # the pass's labels
    # Removing a site: the next one now has its index, from its first variant on.
    assert candidates[0].resume == FromSite(1, 0)
    # Any other variant: that site's next variant.
    assert candidates[1].resume == FromSite(1, 2)
    assert texts(forward_variants([1, 3], variants, FromSite(1, 2))) == [
        "1-b",
        "3-gone",
        "3-a",
        "3-b",
    ]
    assert texts(forward_variants([1, 3], variants, FromSite(2))) == ["3-gone", "3-a", "3-b"]


def _build(edits: Mapping[int, Sequence[int]]) -> str:
    # Group g holds units named g0, g1, ...: the text lists what is left.
    groups = {"f": 2, "g": 3}
    return " ".join(
        f"{key}{unit}"
        for position, (key, count) in enumerate(groups.items())
        for unit in range(count)
        if unit not in edits.get(position, ())
    )


def test_grouped_all_then_each_group_then_each_unit() -> None:
    text = _build({})
    candidates = list(grouped(text, [("f", (0, 1)), ("g", (0, 1, 2))], _build, None))
    assert texts(iter(candidates)) == [
        "",
        "f0 f1",
        "f0 f1 g0 g1",
        "f0 f1 g0 g2",
        "f0 f1 g1 g2",
        "g0 g1 g2",
        "f0 g0 g1 g2",
        "f1 g0 g1 g2",
    ]
    assert candidates[0].resume == AFTER_ALL
    assert candidates[3].resume == GroupUnit(1, "g", 1)
    resumed = grouped(text, [("f", (0, 1)), ("g", (0, 1, 2))], _build, GroupUnit(1, "g", 1))
    assert texts(resumed) == ["f0 f1 g1 g2", "g0 g1 g2", "f0 g0 g1 g2", "f1 g0 g1 g2"]


# -- the foldable promise -------------------------------------------------------------------

SOURCES = [
    "int a;\nint b;\n\nint c(void) { return 1; }\nint d;\n",
    "x\ny\nz\n",
    "a\n\nb\nb\nb\nc\n",
    "",
]


def _foldable_candidates(text: str) -> Iterator[Candidate]:
    yield from halving(text, line_spans, None)
    yield from sliding(text, letters(text), (3, 2, 1), None)
    yield from all_then_each(text, line_spans, None, carry=True)


def test_every_foldable_candidate_of_the_schedules_keeps_the_promise() -> None:
    seen = 0
    for text in SOURCES:
        for candidate in _foldable_candidates(text):
            assert foldable_promise_holds(text, candidate), (text, candidate)
            seen += candidate.foldable
    assert seen > 50


def test_a_broken_promise_is_caught() -> None:
    text = "abcd"
    # The edit changes the first character, but the state holds units up to offset 3.
    broken = Candidate("bcd", Halving(1, 3, ((0, 1), (1, 2), (2, 3))), foldable=True)
    assert not foldable_promise_holds(text, broken)
    assert not foldable_promise_holds(text, Candidate("abd", Sliding(0, 2, 3), foldable=True))
    # A foldable candidate whose state cannot say what it depends on breaks it too.
    assert not foldable_promise_holds(text, Candidate("abc", (0, 3), foldable=True))
    # Nothing promised, nothing broken.
    assert foldable_promise_holds(text, Candidate("bcd", (0, 3)))
    assert foldable_promise_holds(text, Candidate("abc", Halving(1, 3, ((0, 1),)), foldable=True))


# -- halving resumed yields candidates of the new text only -------------------------------

LINES = st.lists(st.text(alphabet="abc", min_size=1, max_size=3), unique=True, max_size=12)


def _text_of(lines: list[str], blanks: list[int]) -> str:
    # Blank lines between some units: units need not be contiguous.
    gaps = blanks or [0]
    return "".join(line + "\n" * (1 + gaps[i % len(gaps)]) for i, line in enumerate(lines))


def _is_unit_removal(candidate: str, text: str) -> bool:
    """Is ``candidate`` ``text`` with some of its (distinct) non-blank lines removed?"""
    kept = [line for line in candidate.split("\n") if line]
    rest = iter(line for line in text.split("\n") if line)
    return len(candidate) < len(text) and all(line in rest for line in kept)


@settings(max_examples=80, deadline=None)
@given(LINES, st.lists(st.integers(0, 2), max_size=4), st.data())
def test_halving_resumed_after_any_candidate_yields_only_candidates_of_the_new_text(
    lines: list[str], blanks: list[int], data: st.DataObject
) -> None:
    text = _text_of(lines, blanks)
    candidates = list(halving(text, line_spans, None))
    if not candidates:
        return
    accepted = data.draw(st.sampled_from(candidates))
    for candidate in halving(accepted.text, line_spans, accepted.resume):
        assert _is_unit_removal(candidate.text, accepted.text), (accepted.text, candidate.text)
        assert foldable_promise_holds(accepted.text, candidate)

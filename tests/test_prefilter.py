"""The parse prefilter (reducer/oracles/prefilter.py): what libclang cannot parse never
reaches the oracle; everything else does, unchanged; no prefilter when libclang rejects
the original."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from reducer import libclang
from reducer.oracles.prefilter import PROBE_TAIL, ParsesFirst, guard, rejects_invalid_code
from reducer.verdict import Verdict
from tests.conftest import LARGE_O0, REPRODUCER


class Counting:
    """A fake oracle: every text is interesting; counts the calls that reach it."""

    name = "counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def check(self, candidate: Path) -> Verdict:
        self.seen.append(candidate.read_text())
        return Verdict(True, "reached the oracle")

    def describe(self) -> str:
        return "counts"


def _check(oracle: ParsesFirst, text: str, directory: Path) -> Verdict:
    candidate = directory / "t.c"
    candidate.write_text(text)
    return oracle.check(candidate)


@pytest.mark.usefixtures("need_libclang")
def test_an_unparsable_candidate_is_rejected_without_the_oracle(tmp_path: Path) -> None:
    inner = Counting()
    oracle = ParsesFirst(inner, ())
    verdict = _check(oracle, "int a; void f(void) { a = ; }\n", tmp_path)
    assert not verdict.interesting and verdict.compile_failed and verdict.prefiltered
    assert "expected expression" in verdict.reason
    assert inner.seen == []
    # An undeclared name is an error of the front end (Sema), not only of the grammar.
    assert not _check(oracle, "void f(void) { g = 1; }\n", tmp_path).interesting
    assert inner.seen == []


@pytest.mark.usefixtures("need_libclang")
def test_a_parsable_candidate_goes_to_the_oracle(tmp_path: Path) -> None:
    inner = Counting()
    oracle = ParsesFirst(inner, ())
    # Warnings are not errors: a missing return still compiles.
    verdict = _check(oracle, REPRODUCER, tmp_path)
    assert verdict.reason == "reached the oracle" and not verdict.prefiltered
    assert _check(oracle, "int f(void) { }\n", tmp_path).interesting
    assert inner.seen == [REPRODUCER, "int f(void) { }\n"]


@pytest.mark.usefixtures("need_libclang")
def test_the_compile_flags_are_the_parse_flags(tmp_path: Path) -> None:
    inner = Counting()
    text = "int a = N;\n"
    assert not _check(ParsesFirst(inner, ()), text, tmp_path).interesting
    assert _check(ParsesFirst(inner, ("-DN=1",)), text, tmp_path).interesting


@pytest.mark.usefixtures("need_libclang")
def test_big_texts_skip_the_parse(tmp_path: Path) -> None:
    inner = Counting()
    broken = "int a = ;\n"
    assert _check(ParsesFirst(inner, (), max_bytes=len(broken) - 1), broken, tmp_path).interesting
    assert inner.seen == [broken]


@pytest.mark.usefixtures("need_libclang")
def test_no_prefilter_when_libclang_rejects_the_original() -> None:
    inner = Counting()
    wrapped, note = guard(inner, REPRODUCER, tuple(LARGE_O0))
    assert isinstance(wrapped, ParsesFirst) and wrapped.inner is inner
    assert note.startswith("parse prefilter:")
    # e.g. a header libclang does not find, or a dialect it does not accept
    original = '#include "not-there.h"\nint x;\n'
    same, note = guard(inner, original, ())
    assert same is inner
    assert note.startswith("no parse prefilter: libclang rejects the original")
    assert "not-there.h" in note


def test_it_pickles_for_the_cluster_executor() -> None:
    wrapped = ParsesFirst(Counting(), ("-DN=1",))
    copy = pickle.loads(pickle.dumps(wrapped))
    assert copy.parse_flags == ("-DN=1",) and copy.name == "counting"


@pytest.mark.parametrize(
    ("verdict", "needs"),
    [
        (Verdict(False, "exit 1"), True),  # e.g. a script that compiles and reads the object
        (Verdict(True, "still warns"), False),  # e.g. a script that greps for a warning
        (Verdict(False, "timed out", timed_out=True), False),  # says nothing either way
    ],
)
def test_the_oracle_is_asked_about_the_original_with_a_syntax_error(
    verdict: Verdict, needs: bool
) -> None:
    asked: list[str] = []

    def check(text: str) -> Verdict:
        asked.append(text)
        return verdict

    assert rejects_invalid_code(REPRODUCER, check) is needs
    assert asked == [REPRODUCER + PROBE_TAIL]


@pytest.mark.usefixtures("need_libclang")
def test_the_probe_is_a_syntax_error_after_valid_code() -> None:
    assert libclang.errors_of(REPRODUCER, tuple(LARGE_O0)) == ()
    errors = libclang.errors_of(REPRODUCER + PROBE_TAIL, tuple(LARGE_O0))
    assert len(errors) == 1 and "expected expression" in errors[0]

"""The parse prefilter (reducer/oracles/prefilter.py): what libclang cannot parse never
reaches the oracle; everything else does, unchanged; no prefilter when libclang rejects
the original."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from reducer.oracles.prefilter import ParsesFirst, guard
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

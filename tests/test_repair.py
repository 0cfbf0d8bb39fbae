"""Repairing the focus cut from libclang's errors (issue 26 §2): which names the messages
say are missing, the bounded repair loop, the focus pass's repaired first cut, and the
engine's log of noted candidates with their verdicts (--json `notes`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer import libclang
from reducer.engine import Engine
from reducer.executors.local import LocalPoolExecutor
from reducer.oracles.base import Verdict
from reducer.passes.base import Candidate
from reducer.passes.focus import FocusPass
from reducer.passes.repair import MAX_REPAIRS, missing_names, repair

# Two levels of token pasting: the closure over identifiers cannot see that
# `FINAL(ntile)` names `ntileFinal` (sqlite3.c's window functions have this shape).
PASTED = """#define CAT(a, b) a##b
#define FINAL(n) CAT(n, Final)
struct big { int x[100]; };
int ntileFinal(int i) { return i * 3; }
int unrelated(void) { struct big b = {0}; return b.x[1] + 7; }
int focus_fn(int i) { return FINAL(ntile)(i) + 1; }
"""


def test_missing_names_come_from_the_messages_that_name_an_undeclared_thing() -> None:
    errors = [
        "use of undeclared identifier 'count'",
        "unknown type name 'u8'",
        "call to undeclared function 'helper'; ISO C99 and later do not support implicit "
        "function declarations",
        "variable has incomplete type 'struct node'",
        "incomplete definition of type 'struct list'",
        "use of undeclared identifier 'count'",  # once
        "expected ';' after expression",  # names nothing missing
    ]
    assert missing_names(errors) == ("count", "u8", "helper", "node", "list")


def test_the_messages_are_libclangs_own(need_libclang: None) -> None:
    broken = "u8 g;\nint f(void) { int y = count; helper(); struct node n; return y; }\n"
    errors = libclang.errors_of(broken)
    assert set(missing_names(errors)) == {"u8", "count", "helper", "node"}, errors


def test_repair_keeps_what_the_errors_name_until_the_cut_parses() -> None:
    # A cut keeps each name in `keep`; a name's use needs its declaration, which needs
    # the next name: three rounds of errors, each naming one more.
    chain = {"a": "b", "b": "c", "c": None}

    def make_cut(keep: frozenset[str]) -> str:
        return " ".join(sorted(keep))

    def errors_of(cut: str) -> list[str]:
        kept = set(cut.split())
        return [
            f"use of undeclared identifier '{needed}'"
            for name in sorted(kept)
            if (needed := chain.get(name)) is not None and needed not in kept
        ]

    made = repair(make_cut, frozenset({"a"}), lambda name: True, errors_of)
    assert made.keep == {"a", "b", "c"} and made.added == ("b", "c")
    assert made.describe().startswith("repaired: kept b, c (libclang: use of undeclared")
    # A name the text does not declare is never added: no repair, no note.
    none = repair(make_cut, frozenset({"a"}), lambda name: False, errors_of)
    assert none.keep == {"a"} and none.added == () and none.describe() == ""


def test_repair_stops_after_max_repairs() -> None:
    calls: list[frozenset[str]] = []

    def make_cut(keep: frozenset[str]) -> str:
        calls.append(keep)
        return str(len(keep))

    def errors_of(cut: str) -> list[str]:
        return [f"use of undeclared identifier 'n{cut}'"]  # always one more

    made = repair(make_cut, frozenset(), lambda name: True, errors_of)
    assert len(made.added) == MAX_REPAIRS and len(calls) == MAX_REPAIRS + 1


def test_the_focus_cut_is_repaired_before_the_oracle_sees_it(need_libclang: None) -> None:
    plain = next(FocusPass(frozenset({"focus_fn"})).candidates(PASTED))
    assert "ntileFinal" not in plain.text and plain.note == "cut"  # the closure missed it
    assert libclang.errors_of(plain.text)
    repaired = next(FocusPass(frozenset({"focus_fn"}), parse_flags=()).candidates(PASTED))
    assert "int ntileFinal(int i)" in repaired.text and "unrelated" not in repaired.text
    assert libclang.errors_of(repaired.text) == ()
    assert repaired.note.startswith("repaired: kept ntileFinal (libclang: call to undeclared")
    # Without a focus there is nothing to repair towards (the narrowing leads).
    assert FocusPass(frozenset(), parse_flags=())._errors_of is None


class _NotedPass:
    name = "noted"

    def candidates(self, text: str, resume: object = None):  # type: ignore[no-untyped-def]
        if resume is None:
            yield Candidate(text.replace("a", ""), "done", note="first try")
            yield Candidate(text.replace("b", ""), "done", note="second try")


class _WantsA:
    name = "wants-a"

    def check(self, candidate: Path) -> Verdict:
        return Verdict("a" in candidate.read_text(), "synthetic")


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_engine_logs_noted_candidates_with_their_verdicts(jobs: int) -> None:
    executor = LocalPoolExecutor(_WantsA(), "t.c", jobs)
    try:
        engine = Engine(executor)
        assert engine.reduce("a b c", [_NotedPass()]) == "a  c"  # type: ignore[list-item]
    finally:
        executor.close()
    # In order, the same at every -j; the second round (on "a  c") confirms the fixpoint.
    assert engine.stats.notes == [
        ("noted", 4, False, "first try"),
        ("noted", 4, True, "second try"),
        ("noted", 3, False, "first try"),
    ]

"""The guess that a candidate cannot compile (passes/dangling.py), the pass plan that
postpones such candidates, and the engine's last round that still tries them."""

from __future__ import annotations

import subprocess
from collections.abc import Hashable, Iterator
from pathlib import Path

import pytest

from reducer.engine import Engine
from reducer.executors.local import LocalPoolExecutor
from reducer.passes.base import Candidate
from reducer.passes.dangling import SkipUndeclared, TopLevelNames
from reducer.passes.lines import LinesPass
from reducer.passes.table import PASS_TABLE, PassContext, build_plan
from reducer.passes.toplevel import TopLevelPass
from tests.test_engine import PredicateOracle

SOURCE = """\
typedef int T;
int g;
int unused_global;
int f(int);
struct S { int a; };
struct S *p;
int f(int x) { return x + g; }
T h(void) { return f(1); }
"""


def without(text: str, removed: str) -> str:
    assert text.count(removed) == 1
    return text.replace(removed, "")


@pytest.mark.parametrize(
    ("removed", "undeclared"),
    [
        ("int g;\n", True),  # f still reads g
        ("typedef int T;\n", True),  # h's return type
        ("int unused_global;\n", False),  # nothing mentions it
        ("int f(int);\n", False),  # the definition still declares f
        ("struct S { int a; };\n", False),  # `struct S *p` compiles without it
        ("int f(int x) { return x + g; }\n", False),  # the prototype still declares f
        ("T h(void) { return f(1); }\n", False),  # removes mentions, declares only h
        ("g;\n", True),  # a partial cut: `int ` is left, g's declaration is gone
    ],
)
def test_a_removal_is_guessed_to_leave_a_name_undeclared(removed: str, undeclared: bool) -> None:
    assert TopLevelNames(SOURCE).leaves_undeclared(without(SOURCE, removed)) is undeclared


def test_a_name_and_every_mention_removed_together_is_not_undeclared() -> None:
    text = "int g;\nint f(void) { return g; }\nint k;\n"
    assert not TopLevelNames(text).leaves_undeclared("int k;\n")
    assert TopLevelNames(text).leaves_undeclared("int f(void) { return g; }\nint k;\n")


def test_a_replacement_that_still_names_it_is_not_guessed() -> None:
    text = "int g;\nint f(void) { return g; }\n"
    # The edit rewrites g's declaration (a rename would); the replacement names g: unsure.
    assert not TopLevelNames(text).leaves_undeclared("long g;\nint f(void) { return g; }\n")


class _Listed:
    name = "listed"

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        for number, candidate in enumerate(self.texts):
            yield Candidate(candidate, number)


def test_skip_undeclared_drops_only_the_guessed_candidates() -> None:
    keep_g = without(SOURCE, "int unused_global;\n")
    drop_g = without(SOURCE, "int g;\n")
    filtered = SkipUndeclared(_Listed([drop_g, keep_g]))
    assert filtered.name == "listed"
    assert [c.text for c in filtered.candidates(SOURCE)] == [keep_g]


def _compiles(clang: str, text: str, directory: Path) -> bool:
    source = directory / "c.c"
    source.write_text(text)
    argv = [clang, "-fsyntax-only", "-std=gnu11", "-w", str(source)]
    return subprocess.run(argv, capture_output=True, timeout=60).returncode == 0


def test_every_guessed_candidate_really_fails_to_compile(clang19: str, tmp_path: Path) -> None:
    """The soundness the plan relies on, against the compiler: of every candidate the
    toplevel and lines passes make on a valid file, those guessed undeclared do not
    compile. (Some unguessed ones fail too: the guess is about names only.)"""
    assert _compiles(clang19, SOURCE, tmp_path)
    names = TopLevelNames(SOURCE)
    guessed = [
        c.text
        for reduction_pass in (TopLevelPass(), LinesPass())
        for c in reduction_pass.candidates(SOURCE)
        if names.leaves_undeclared(c.text)
    ]
    assert len(guessed) >= 4, guessed  # the guess has something to say here
    compiled = [text for text in guessed if _compiles(clang19, text, tmp_path)]
    assert compiled == []


def test_the_plan_postpones_guarded_candidates_and_late_passes() -> None:
    guarded = {e.name for e in PASS_TABLE if e.guarded}
    late = {e.name for e in PASS_TABLE if e.late}
    assert {"toplevel", "lines"} <= guarded and late == {"balanced", "expressions", "tokens"}

    plan = build_plan(PassContext(needs_valid_code=True), skip=("slice",))
    assert [p.name for p in plan.last] == [e.name for e in PASS_TABLE if e.name != "slice"]
    assert [p.name for p in plan.main] == [p.name for p in plan.last if p.name not in late]
    assert all(isinstance(p, SkipUndeclared) == (p.name in guarded) for p in plan.main)
    assert not any(isinstance(p, SkipUndeclared) for p in plan.last)

    # A crash or diagnostic oracle may need invalid code: nothing is postponed then.
    plain = build_plan(PassContext(needs_valid_code=False), skip=("slice",))
    assert not any(isinstance(p, SkipUndeclared) for p in plain.main)


class _Drop:
    """Removes one given word (a pass that knows one edit)."""

    def __init__(self, name: str, word: str, log: list[str]) -> None:
        self.name, self.word, self.log = name, word, log

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        self.log.append(f"{self.name}:{text}")
        if self.word in text.split():
            yield Candidate(" ".join(w for w in text.split() if w != self.word), None)


def test_the_last_round_runs_once_main_is_done_and_main_resumes_after_it() -> None:
    log: list[str] = []
    # `a` may only go once `b` has (the oracle), and only the last round removes `b`.
    oracle = PredicateOracle(lambda t: "a" in t.split() or "b" not in t.split())
    executor = LocalPoolExecutor(oracle, "t.c", 1)
    try:
        engine = Engine(executor)
        main = [_Drop("drop-a", "a", log)]
        last = [_Drop("drop-b", "b", log), *main]
        assert engine.reduce("a b c", main, last) == "c"
    finally:
        executor.close()
    # main until nothing changes (a cannot go while b is there); the last round: b goes
    # (the pass resumed on the new text), then a; main again on the changed text, and the
    # last round once more, which changes nothing.
    assert log == [
        "drop-a:a b c",
        *("drop-b:a b c", "drop-b:a c", "drop-a:a c", "drop-a:c"),
        "drop-a:c",
        *("drop-b:c", "drop-a:c"),
    ]

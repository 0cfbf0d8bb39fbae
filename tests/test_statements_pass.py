"""The statements pass: halving over the statements of function bodies, by nesting level."""

from __future__ import annotations

from reducer.passes.schedules import AtLevel, by_level, foldable_promise_holds
from reducer.passes.statements import StatementsPass, statement_levels, statements_at
from tests.passcheck import reduce_under

BODY = """int g(int);
struct P { int x; };
int f(int n) {
    int a[2] = {1, 2};
    struct S { int y; } s;
    struct P p = (struct P){3};
    if (n) { g(1); } else if (n > 2) { g(2); } else g(3);
    do { g(4); } while (n--);
    for (int i = 0; i < n; i++) {
        if (i) g(i);
        { g(5); }
    }
    return a[0] + s.y + p.x;
}
"""


def _texts(text: str, spans: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> list[str]:
    return [text[start:end].strip() for start, end in spans]


def test_statements_by_level() -> None:
    levels = statement_levels(BODY)
    assert _texts(BODY, levels[0]) == [
        "int a[2] = {1, 2};",
        "struct S { int y; } s;",
        "struct P p = (struct P){3};",
        "if (n) { g(1); } else if (n > 2) { g(2); } else g(3);",
        "do { g(4); } while (n--);",
        "for (int i = 0; i < n; i++) {\n        if (i) g(i);\n        { g(5); }\n    }",
        "return a[0] + s.y + p.x;",
    ]
    # Inside the if's and the do's braces, the for's body; then the block inside it.
    assert _texts(BODY, levels[1]) == ["g(1);", "g(2);", "g(4);", "if (i) g(i);", "{ g(5); }"]
    assert _texts(BODY, levels[2]) == ["g(5);"]
    assert len(levels) == 3
    # A span is its whole lines, so removing a statement leaves no blank line behind.
    start, end = levels[0][0]
    assert BODY[start - 1] == "\n" and BODY[start:].startswith("    int a[2]")
    assert BODY[end - 1] == "\n"


def test_a_body_with_a_directive_inside_is_left_alone() -> None:
    text = "int f(void) {\n  int a = 1;\n#if X\n  a = 2;\n#endif\n  return a;\n}\n"
    assert statement_levels(text) == ()
    assert list(StatementsPass().candidates(text)) == []


def test_the_pass_keeps_the_statement_that_matters_and_what_it_needs() -> None:
    lines = "".join(f"    g({i});\n" for i in range(40))
    text = "int g(int);\nint h(void) {\n    int x = 7;\n" + lines + "    g(x + 100);\n}\n"

    def interesting(candidate: str) -> bool:
        # The bug needs `g(x + 100)`, so x's declaration must stay too.
        return "g(x + 100);" in candidate and "int x = 7;" in candidate

    result = reduce_under(StatementsPass(), text, interesting)
    assert result == "int g(int);\nint h(void) {\n    int x = 7;\n    g(x + 100);\n}\n"


def test_after_a_slice_the_pass_proposes_nothing() -> None:
    assert list(StatementsPass(sliced=True).candidates(BODY)) == []
    assert list(StatementsPass().candidates(BODY))


def test_every_candidate_keeps_its_foldable_promise_and_resumes_at_its_level() -> None:
    for candidate in by_level(BODY, statements_at, None):
        assert isinstance(candidate.resume, AtLevel)
        assert foldable_promise_holds(BODY, candidate)
    # Resumed at level 1, nothing of level 0 is proposed again.
    level1 = [c for c in by_level(BODY, statements_at, None) if c.resume.level == 1]
    first = level1[0]
    resumed = list(by_level(first.text, statements_at, first.resume))
    assert resumed and all(c.resume.level >= 1 for c in resumed)

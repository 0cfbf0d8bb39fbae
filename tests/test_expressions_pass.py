"""The expressions pass: an operand with its operator, an initializer element with its comma."""

from __future__ import annotations

from reducer.passes.expressions import ExpressionsPass, expression_edits
from reducer.passes.schedules import foldable_promise_holds
from tests.passcheck import reduce_under


def _removed(text: str) -> dict[str, str]:
    return {
        text[start:end]: kind
        for (start, end), (kind, replacement) in expression_edits(text).items()
        if not replacement
    }


def test_a_conditional_becomes_either_arm_or_its_condition() -> None:
    text = "long f(void) { return 9223372036854775807L ? lrint(b()) : c(); }\n"
    texts = {c.kind: c.text for c in ExpressionsPass().candidates(text)}
    assert texts == {
        "then": "long f(void) { return lrint(b()); }\n",
        "else": "long f(void) { return c(); }\n",
        "condition": "long f(void) { return 9223372036854775807L; }\n",
    }


def test_nested_conditionals_and_operators_in_the_arms() -> None:
    text = "int g(int x) { return x > 1 ? x + 2 : x ? 4 : 5; }\n"
    edits = {text[a:b]: (kind, new) for (a, b), (kind, new) in expression_edits(text).items()}
    assert edits["x > 1 ? x + 2 : x ? 4 : 5"] == ("then", "x + 2")
    assert edits["x > 1 ? x + 2 : "] == ("else", "")
    assert edits[" ? x + 2 : x ? 4 : 5"] == ("condition", "")
    assert edits["x ? 4 : 5"] == ("then", "4")  # the else arm is a conditional of its own
    assert edits[" + 2"] == ("operand", "")


def test_operands_follow_precedence() -> None:
    edits = _removed("int *b = p + sizeof(x) / sizeof(x);\n")
    # `/` binds tighter: the right operand of `+` is the whole quotient.
    assert edits == {
        "p + ": "left",
        " + sizeof(x) / sizeof(x)": "operand",
        "sizeof(x) / ": "left",
        " / sizeof(x)": "operand",
    }


def test_unary_operators_and_calls_are_part_of_their_operand() -> None:
    edits = _removed("int f(void) { return a * -b + c(1, 2) && !d; }\n")
    assert " * -b" in edits and "a * -b + c(1, 2) && " in edits and " && !d" in edits
    assert "1, " not in edits  # call arguments are the params pass's
    # Unary operators are not binary ones: nothing removes `-` or `!` alone.
    assert all(not text.strip().startswith(("-", "!")) for text in edits)


def test_initializer_elements_go_with_their_comma() -> None:
    edits = _removed("int *g[][2] = {{1, 2}, {&d, &h}};\nstruct S s = {1};\n")
    assert edits == {
        "{1, 2}, ": "element",
        ", {&d, &h}": "element",
        "1, ": "element",
        ", 2": "element",
        "&d, ": "element",
        ", &h": "element",
    }  # a lone element ({1}) stays


def test_the_pass_reduces_an_expression_to_what_matters() -> None:
    text = "int *p; int x;\nint *f(void) { return p + sizeof(x) / sizeof(x) * 3 - 1; }\n"

    def interesting(candidate: str) -> bool:
        return "return p" in candidate and candidate.count("(") == candidate.count(")")

    result = reduce_under(ExpressionsPass(), text, interesting)
    assert result == "int *p; int x;\nint *f(void) { return p; }\n"


def test_every_candidate_keeps_its_foldable_promise() -> None:
    text = (
        "int a[] = {1, 2, 3};\nint f(int x) { return x * 2 + x / 3 - (x << 1); }\n"
        "int g(int y) { return y ? y + 1 : 2; }\n"
    )
    edits = expression_edits(text)
    candidates = list(ExpressionsPass().candidates(text))
    assert len(candidates) == len(edits) >= 11
    for (start, _end), candidate in zip(reversed(edits), candidates, strict=True):
        assert foldable_promise_holds(text, candidate)
        # Resumed, the pass proposes exactly the edits that end before the accepted one,
        # at the same offsets (they did not move).
        expected = [
            candidate.text[:a] + edits[a, b][1] + candidate.text[b:]
            for a, b in reversed(edits)
            if b <= start
        ]
        resumed = ExpressionsPass().candidates(candidate.text, candidate.resume)
        assert [after.text for after in resumed] == expected

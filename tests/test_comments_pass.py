"""The comments pass: every comment at once, literals and line continuations untouched."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reducer.ctokens import Kind, tokenize
from reducer.passes.comments import CommentsPass, strip_comments


def test_comments_go_in_one_candidate() -> None:
    text = "/* header */\nint a; // trailing\n/* two\n   lines */\nint b;\n"
    candidates = list(CommentsPass().candidates(text))
    # Whole-line comments leave no blank line behind.
    assert [c.text for c in candidates] == [" \nint a;  \nint b;\n"]
    assert list(CommentsPass().candidates("int a;\n")) == []


def test_tokens_stay_apart_and_literals_stay() -> None:
    assert strip_comments("int a/**/b;") == "int a b;"
    text = 'char *s = "/* not a comment */", c = \'/\'; // yes\n'
    assert strip_comments(text) == 'char *s = "/* not a comment */", c = \'/\';  \n'


def test_a_continued_macro_does_not_swallow_the_next_line() -> None:
    text = "#define A 1 \\\n  // part of the macro's line\nint b;\n"
    stripped = strip_comments(text)
    assert stripped.splitlines()[-1] == "int b;"
    assert stripped.count("\n") == 3  # the continued (now blank) line stays a line


def test_a_line_comment_continued_by_a_backslash_goes_whole() -> None:
    assert strip_comments("// one \\\n two\nint x;\n") == " \nint x;\n"


_PIECES = st.sampled_from(
    ["int", " ", "\n", "a", ";", "/* c */", "// d\n", '"s/*x*/"', "'/'", "{", "}", "x1", "\\\n"]
)


@given(st.lists(_PIECES, max_size=30))
def test_the_code_tokens_are_what_they_were(pieces: list[str]) -> None:
    text = "".join(pieces)
    def code(t: str) -> list[str]:
        return [tok.text for tok in tokenize(t) if tok.kind is not Kind.COMMENT]

    assert code(strip_comments(text)) == code(text)

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reducer.ctokens import (
    Kind,
    count_tokens,
    match_brackets,
    normalized_size,
    tokenize,
    top_level_items,
)


def texts(source: str) -> list[str]:
    return [t.text for t in tokenize(source)]


def test_tokens_of_a_small_function() -> None:
    assert texts("int f(int x){return x+=1;}") == [
        "int",
        "f",
        "(",
        "int",
        "x",
        ")",
        "{",
        "return",
        "x",
        "+=",
        "1",
        ";",
        "}",
    ]


def test_literals_comments_and_directives_are_single_tokens() -> None:
    source = '#define A(x) \\\n  x\nchar *s = "a; }"; /* { */ // ;\n'
    tokens = tokenize(source)
    assert tokens[0].kind is Kind.DIRECTIVE and tokens[0].text == "#define A(x) \\\n  x"
    assert '"a; }"' in texts(source)
    assert [t.kind for t in tokens][-2:] == [Kind.COMMENT, Kind.COMMENT]


def test_brackets_match_and_strays_are_tolerated() -> None:
    tokens = tokenize("f(a[1]) } { x")
    pairs = match_brackets(tokens)
    assert pairs == {1: 6, 3: 5}


def test_top_level_items_split_functions_structs_and_initialisers() -> None:
    source = (
        "#include <x.h>\n"
        "struct S { int a; } s = { 1 };\n"
        "int f(void) { return 0; }\n"
        "enum E { X };\n"
        "int g[2] = {1, 2}, h;\n"
    )
    items = [source[s:e] for s, e in top_level_items(source)]
    assert items == [
        "#include <x.h>",
        "struct S { int a; } s = { 1 };",
        "int f(void) { return 0; }",
        "enum E { X };",
        "int g[2] = {1, 2}, h;",
    ]


def test_normalized_size_folds_whitespace() -> None:
    assert normalized_size("  int\n\n  a ;\n") == len("int a ;")


@given(st.text())
def test_tokens_cover_all_non_space_text_in_order(source: str) -> None:
    tokens = tokenize(source)
    position = 0
    for token in tokens:
        assert token.start >= position and token.end > token.start
        assert source[position : token.start].strip() == ""
        assert source[token.start : token.end] == token.text
        position = token.end
    assert source[position:].strip() == ""


C_PIECES = st.sampled_from(
    [
        "int",
        " ",
        "\n",
        "#define X 1\n",
        "  # if 0\\\n x\n",
        "/* c */",
        "//x\n",
        '"s\\""',
        "'c'",
        "0x1p+3",
        ".5e-2",
        "->",
        "...",
        "<<=",
        "{",
        "}",
        "(",
        ")",
        ";",
        "$a",
        'L"w"',
        "@",
        "\\",
    ]
)


@given(st.one_of(st.text(), st.lists(C_PIECES).map("".join)))
def test_count_tokens_is_the_number_of_tokens(source: str) -> None:
    assert count_tokens(source) == len(tokenize(source))


def test_declarator_name_sees_through_parenthesized_declarators() -> None:
    from reducer.ctokens import declarator_name, match_brackets, scan

    for header, name in (
        ("static int f(int a)", "f"),
        ("static int8_t (safe_add_func_int8_t_s_s)(int8_t a, int8_t b)", "safe_add_func_int8_t_s_s"),
        ("int (*handler(int sig))(char)", "handler"),
        ("int (*)(char)", None),
    ):
        tokens = scan(header)
        pairs = match_brackets(tokens)
        last_open = max(i for i, c in pairs.items() if c == len(tokens) - 1)
        assert declarator_name(tokens, pairs, last_open) == name, header


def test_a_backslash_newline_continues_a_string_literal() -> None:
    # Python's docstrings in C (mrab-regex): `"...\n\` + newline + `");`. Read as an
    # unterminated string, the rest of the file was tokenized inside out.
    text = 'DOC(a,\n"first line\\n\\\n");\nint c;\n'
    tokens = tokenize(text)
    strings = [t.text for t in tokens if t.kind is Kind.STRING]
    assert strings == ['"first line\\n\\\n"']
    assert [t.text for t in tokens][-3:] == ["int", "c", ";"]

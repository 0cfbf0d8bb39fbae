"""The values pass: a variable that only ever holds its constant initializer becomes that
value at every use, and its declaration goes."""

from __future__ import annotations

import pytest

from reducer import libclang
from reducer.passes.schedules import Tried
from reducer.passes.values import ReplaceValuesPass

pytestmark = pytest.mark.usefixtures("need_libclang")


def texts(source: str) -> list[str]:
    return [candidate.text for candidate in ReplaceValuesPass().candidates(source)]


def test_a_local_becomes_its_value_and_its_declaration_goes() -> None:
    source = "int d[2];\nint f(void) { int i = 0; return d[i] + d[i + 1]; }\n"
    assert texts(source) == ["int d[2];\nint f(void) {  return d[0] + d[0 + 1]; }\n"]


def test_negative_char_float_and_enum_values() -> None:
    source = (
        "enum E { A = 7 };\nint n = -3; char c = 'x'; double w = 2.5;\n"
        "int f(void) { enum E e = A; return n * c + w + e; }\n"
    )
    found = texts(source)
    assert any("return (-3) * c + w + e;" in text and "int n" not in text for text in found)
    assert any("return n * 'x' + w + e;" in text and "char c" not in text for text in found)
    assert any("return n * c + 2.5 + e;" in text and "double w" not in text for text in found)
    assert any("return n * c + w + A;" in text and "enum E e" not in text for text in found)
    assert len(found) == 4
    for text in found:
        assert libclang.parse(text).ok, text


@pytest.mark.parametrize(
    "body",
    [
        "x = 2; return x;",
        "x += 2; return x;",
        "x++; return x;",
        "--x; return x;",
        "(x) = 3; return x;",
        "int *p = &x; return *p;",
        "return *&(x);",
    ],
)
def test_a_written_or_address_taken_variable_stays(body: str) -> None:
    assert texts(f"int f(void) {{ int x = 1; {body} }}\n") == []


def test_a_bitwise_and_is_not_an_address() -> None:
    assert texts("int f(int a) { int x = 1; return a & x; }\n") == [
        "int f(int a) {  return a & 1; }\n"
    ]


@pytest.mark.parametrize(
    "source",
    [
        "int f(void) { volatile int x = 1; return x; }\n",  # volatile
        "int f(void) { int x[1] = {1}; return x[0]; }\n",  # an array
        "int f(int a) { int x = a; return x; }\n",  # not a constant
        "int f(void) { int x = 1 + 2; return x; }\n",  # not one literal
        "int f(void) { int x = 1, y = 2; return x + y; }\n",  # one of several declarators
        "int x = 1;\nint f(void) { int x = 2; return x; }\n",  # shadowed
        "#define X x\nint f(void) { int x = 1; return X; }\n",  # used from a macro
        "extern int x;\nint f(void) { return x; }\n",  # defined elsewhere
        "int f(void) { int x; return x; }\n",  # an uninitialized local
    ],
)
def test_skipped(source: str) -> None:
    assert texts(source) == []


def test_a_for_init_keeps_its_semicolon() -> None:
    source = "int f(void) { for (int k = 2; ;) if (k) break; return 0; }\n"
    assert texts(source) == ["int f(void) { for (; ;) if (2) break; return 0; }\n"]


def test_a_global_without_initializer_is_zero_after_the_written_values() -> None:
    source = "int g;\nint h = 5;\nint f(void) { return g + h; }\n"
    assert texts(source) == [
        "int g;\n\nint f(void) { return g + 5; }\n",
        "\nint h = 5;\nint f(void) { return 0 + h; }\n",
    ]


def test_largest_gain_first_and_each_proposed_once() -> None:
    source = "int a = 1;\nint long_name = 2;\nint f(void) { return a + long_name * long_name; }\n"
    candidates = list(ReplaceValuesPass().candidates(source))
    assert [c.text for c in candidates] == [
        "int a = 1;\n\nint f(void) { return a + 2 * 2; }\n",
        "\nint long_name = 2;\nint f(void) { return 1 + long_name * long_name; }\n",
    ]
    # Once the first is accepted, only the other is left to try; after the second, nothing.
    first, second = candidates
    assert [c.text for c in ReplaceValuesPass().candidates(first.text, first.resume)] == [
        "\n\nint f(void) { return 1 + 2 * 2; }\n"
    ]
    assert isinstance(second.resume, Tried)
    assert list(ReplaceValuesPass().candidates(second.text, second.resume)) == []


def test_code_that_does_not_compile_gets_nothing() -> None:
    assert texts("int f(void) { int i = 0; return i + undeclared; }\n") == []

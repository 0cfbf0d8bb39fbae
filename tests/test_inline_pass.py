"""The inline pass: small functions inlined into their callers, the definition gone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reducer.passes.inline import InlineFunctionsPass, inline_candidates
from reducer.passes.schedules import Tried


def texts(source: str, keep: frozenset[str] = frozenset()) -> list[str]:
    return [text for _, _, text in inline_candidates(source, keep)]


def squeezed(text: str) -> str:
    return " ".join(text.split())


RETURNS = """int a;
int d(int value) { return value < 0; }
int g(int n) { return d(n) + d(n - 1); }
"""


def test_a_lone_return_is_inlined_at_every_call_and_its_definition_goes() -> None:
    plain, casts = texts(RETURNS)
    assert squeezed(plain) == "int a; int g(int n) { return (n < 0) + ((n - 1) < 0); }"
    assert squeezed(casts) == (
        "int a; int g(int n) { return ((int)(((int)(n)) < 0)) + ((int)(((int)(n - 1)) < 0)); }"
    )


def test_no_candidate_is_larger_than_the_text() -> None:
    source = "int d(int v) { return v; }\nint g(int n) { return d(n) + d(1) + d(2); }\n"
    (plain,) = texts(source)  # with casts, three calls cost more than the definition
    assert squeezed(plain) == "int g(int n) { return n + 1 + 2; }"


def test_the_fallback_keeps_a_char_parameters_truncation() -> None:
    source = "int t(char c) { return c + 1; }\nint main(void) { return t(300); }\n"
    kinds = [(name, kind) for name, kind, _ in inline_candidates(source)]
    assert kinds == [("t", "expression"), ("t", "casts")]
    assert "((char)(300))" in texts(source)[1]
    assert "(300 + 1)" in texts(source)[0]


def test_an_empty_body_becomes_an_empty_block_and_odd_shapes_do_not_raise() -> None:
    source = "void nothing(int v) {}\nint main(void) { nothing(1); return 0; }\n"
    (text,) = texts(source)
    assert squeezed(text) == "int main(void) { { int v = 1; } return 0; }"
    for odd in ["int f() {}", "f(", "int f(int) { return; }", "} int f(x) { a: }", "{ f(); }"]:
        inline_candidates(odd)


def test_a_register_parameter_is_no_part_of_the_cast() -> None:
    source = "int twice(register int v) { return v + v; }\nint main(void) { return twice(4); }\n"
    assert "((int)(4))" in texts(source)[1]


def test_several_parameters_an_argument_used_twice_and_nested_parentheses() -> None:
    source = (
        "int mix(int x, int y) { return (x * (y + x)) - y; }\n"
        "int use(int p, int q) { return mix(p + 1, (q)); }\n"
    )
    plain = texts(source)[0]
    assert (
        squeezed(plain) == "int use(int p, int q) { return (((p + 1) * ((q) + (p + 1))) - (q)); }"
    )


def test_a_call_inside_another_calls_argument() -> None:
    source = "int inc(int v) { return v + 1; }\nint f(int n) { return inc(inc(n) * 2); }\n"
    plain = texts(source)[0]
    assert squeezed(plain) == "int f(int n) { return (((n + 1) * 2) + 1); }"


def test_prototypes_go_with_the_definition_and_no_parameters_need_no_arguments() -> None:
    source = (
        "int e(void);\nint a;\nint g(void) { return e() - 2; }\nint e(void) { return a ? 0 : 1; }\n"
    )
    (plain, casts) = texts(source)
    assert squeezed(plain) == "int a; int g(void) { return (a ? 0 : 1) - 2; }"
    assert squeezed(casts) == "int a; int g(void) { return ((int)(a ? 0 : 1)) - 2; }"


def test_a_void_function_called_as_a_statement_becomes_a_block() -> None:
    source = (
        "int c;\nvoid journal(char p, int q) { c = p; c += q; }\n"
        "int main(void) { if (c) c++; else journal(300, 1); return c; }\n"
    )
    (name, kind, text) = inline_candidates(source)[0]
    assert (name, kind) == ("journal", "block")
    assert squeezed(text) == (
        "int c; int main(void) { if (c) c++; else { char p = 300; int q = 1; c = p; c += q; }"
        " return c; }"
    )


def test_a_parameter_an_argument_names_is_renamed_in_the_block() -> None:
    source = "int c;\nvoid j(int p) { c = p + 1; }\nvoid f(int p) { j(p * 2); }\n"
    (text,) = texts(source)
    assert squeezed(text) == "int c; void f(int p) { { int p_ = p * 2; c = p_ + 1; } }"


@pytest.mark.parametrize(
    "source",
    [
        # a body of statements used as a value
        "int c;\nint j(int p) { c = p; }\nint main(void) { return j(1); }\n",
        # address taken
        "int d(int v) { return v; }\nint (*fp)(int) = d;\nint main(void) { return d(1); }\n",
        # variadic
        "int d(int v, ...) { return v; }\nint main(void) { return d(1, 2); }\n",
        # a static local
        "void s(void) { static int n; n++; }\nint main(void) { s(); return 0; }\n",
        # a label and a goto
        "void s(int n) { again: if (n--) goto again; }\nint main(void) { s(2); return 0; }\n",
        # a directive in the body
        "void s(int n) {\n#ifdef X\n n++;\n#endif\n}\nint main(void) { s(2); return 0; }\n",
        # recursion
        "int r(int n) { return n ? r(n - 1) : 0; }\nint main(void) { return r(3); }\n",
        # called from a macro
        "int d(int v) { return v; }\n#define D(x) d(x)\nint main(void) { return D(1); }\n",
        # a statement call in a ternary's operand is no statement
        "int c;\nvoid j(int p) { c = p; }\nint main(void) { c ? j(1) : j(2); return 0; }\n",
        # the wrong number of arguments (an old-style call)
        "int d(int v) { return v; }\nint main(void) { return d(1, 2); }\n",
        # a return among other statements
        "int d(int v) { v++; return v; }\nint main(void) { return d(1); }\n",
        # a call in a for header's condition is no statement
        "int c;\nvoid j(int p) { c = p; }\nint main(void) { for (; j(1); ) ; return 0; }\n",
        # a member of the same name
        "struct S { int d; } s;\nint d(int v) { return v; }\nint main(void) { return d(s.d); }\n",
        # unused: removing it is the toplevel pass's job
        "int d(int v) { return v; }\nint main(void) { return 0; }\n",
    ],
)
def test_what_cannot_be_inlined_as_text_is_left_alone(source: str) -> None:
    assert texts(source) == []


def test_main_and_the_oracles_names_are_left_alone() -> None:
    source = "int d(int v) { return v; }\nint main(void) { return d(1); }\n"
    assert texts(source, keep=frozenset({"d"})) == []
    assert len(texts(source)) == 2
    assert all("int main" in text for text in texts(source))


def test_the_largest_saving_comes_first_and_the_state_skips_the_rejected() -> None:
    source = (
        "int a;\nint small(int v) { return v; }\n"
        "int big(int value, int other) { return value * other + value - other; }\n"
        "int main(void) { return small(a) + big(a, 2) + small(2); }\n"
    )
    reduction_pass = InlineFunctionsPass()
    candidates = list(reduction_pass.candidates(source))
    order = [(c.kind, c.resume) for c in candidates]
    assert [kind for kind, _ in order] == ["expression", "casts", "expression", "casts"]
    assert "big(" not in candidates[0].text and "small(" in candidates[0].text
    # big's two were rejected first (small's own key goes with its candidates: accepted,
    # small is gone from the text)
    assert order[2][1] == Tried(frozenset({"big", "small"}))
    # Accepting small's, the pass does not propose big's again.
    assert list(reduction_pass.candidates(candidates[2].text, candidates[2].resume)) == []


CORPUS = [
    RETURNS,
    "int c;\nvoid j(char p) { c = p; }\nint t(char c) { return c + 1; }\n"
    "int main(void) { j(t(3)); for (;;) { j(c); break; } return t(c); }\n",
    "struct S { int x; };\nint get(struct S *s) { return s->x; }\n"
    "int main(void) { struct S s = {1}; return get(&s) + get((&s)); }\n",
    "int inc(int v) { return v + 1; }\nint f(int n) { return inc(inc(n) * 2); }\n"
    "void k(int a, int b) { f(a); f(b); }\nint main(void) { k(1, 2); return f(3); }\n",
]


@pytest.mark.skipif(shutil.which("clang-22") is None, reason="needs clang-22")
@pytest.mark.parametrize("source", CORPUS)
def test_every_candidate_still_compiles(source: str, tmp_path: Path) -> None:
    candidates = texts(source)
    assert candidates
    for number, text in enumerate(candidates):
        path = tmp_path / f"c{number}.c"
        path.write_text(text)
        result = subprocess.run(
            ["clang-22", "-fno-crash-diagnostics", "-fsyntax-only", "-Werror=implicit", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
        assert result.returncode == 0, (text, result.stderr)

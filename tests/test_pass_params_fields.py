"""The libclang-based passes: parameters with their arguments, unreferenced fields."""

from __future__ import annotations

import subprocess
from collections.abc import Hashable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reducer import libclang
from reducer.passes.fields import RemoveFieldsPass
from reducer.passes.params import RemoveParametersPass
from reducer.passes.parsed import apply_edits, list_item_removals
from reducer.passes.schedules import GroupUnit

pytestmark = pytest.mark.usefixtures("need_libclang")


def texts(reduction_pass: object, source: str, resume: Hashable | None = None) -> list[str]:
    return [c.text for c in reduction_pass.candidates(source, resume)]  # type: ignore[attr-defined]


def test_list_item_removal_takes_the_right_commas() -> None:
    text = "(a, b, c)"
    items = [(1, 2), (4, 5), (7, 8)]

    def without(*chosen: int) -> str:
        return apply_edits(text, list_item_removals(text, items, set(chosen)))

    assert without(0) == "(b, c)"
    assert without(1) == "(a, c)"
    assert without(2) == "(a, b)"
    assert without(0, 1) == "(c)"
    assert without(0, 2) == "(b)"
    assert without(0, 1, 2) == "()"


def test_parameter_and_arguments_go_together() -> None:
    source = (
        "int f(int a, int b);\n"
        "int f(int a, int b) { return b; }\n"
        "int main(void) { return f(1, 2) + f(3, 4); }\n"
    )
    # One function: all its parameters, then each from the last; `b` is used, so it
    # becomes a local of the body; `main` keeps its parameters.
    assert texts(RemoveParametersPass(), source) == [
        "int f();\nint f() {int b; return b; }\nint main(void) { return f() + f(); }\n",
        "int f(int a);\nint f(int a) {int b; return b; }\nint main(void) { return f(1) + f(3); }\n",
        "int f(int b);\nint f(int b) { return b; }\nint main(void) { return f(2) + f(4); }\n",
    ]


def test_all_functions_first_then_each_from_the_end() -> None:
    source = "int f(int a) { return 0; }\nint g(int x, int y) { return f(x) + y; }\n"
    assert texts(RemoveParametersPass(), source) == [
        "int f() { return 0; }\nint g() {int x;int y; return f() + y; }\n",
        "int f(int a) { return 0; }\nint g(int x) {int y; return f(x) + y; }\n",
        "int f(int a) { return 0; }\nint g(int y) {int x; return f(x) + y; }\n",
        "int f() { return 0; }\nint g(int x, int y) { return f() + y; }\n",
    ]
    # g's candidate that removes nothing smaller (`int g() {int x;int y; ...`) is not
    # proposed: a local costs more than the parameter it replaces.


def test_resume_continues_with_earlier_parameters_then_earlier_functions() -> None:
    source = "int f(int a) { return 0; }\nint g(int x, int y, int z) { return f(1); }\n"
    candidates = list(RemoveParametersPass().candidates(source))
    # Accepting "remove z" (the last parameter of g) resumes with y, x, then f.
    remove_z = next(c for c in candidates if "g(int x, int y)" in c.text)
    assert remove_z.resume == GroupUnit(1, "g", 2)
    after = texts(RemoveParametersPass(), remove_z.text, remove_z.resume)
    assert after == [
        "int f(int a) { return 0; }\nint g(int x) { return f(1); }\n",
        "int f(int a) { return 0; }\nint g(int y) { return f(1); }\n",
        "int f() { return 0; }\nint g(int x, int y) { return f(); }\n",
    ]
    # Once g has no parameter left it is no longer listed: resume at the function before.
    emptied = "int f(int a) { return 0; }\nint g() { return f(1); }\n"
    assert texts(RemoveParametersPass(), emptied, GroupUnit(1, "g", 0)) == [
        "int f() { return 0; }\nint g() { return f(); }\n"
    ]


def test_unsafe_functions_are_left_alone() -> None:
    skipped = [
        "int f(int a);\nint (*p)(int) = f;\nint g(void) { return f(1); }\n",  # address taken
        "#define CALL f(1)\nint f(int a);\nint g(void) { return CALL; }\n",  # call in a macro
        "#define DEF(n) int n(void) { return f(1); }\nint f(int a);\nDEF(g)\n",  # ditto
        "int f(a) int a; { return 0; }\nint g(void) { return f(1); }\n",  # K&R definition
        "int f(int a, ...);\nint g(void) { return f(1, 2); }\n",  # `...` needs one before it
        "int main(int argc, char **argv) { return 0; }\n",
        "double fabs(double x);\ndouble g(void) { return fabs(-1.0); }\n",  # a builtin
        "int printf(const char *f, int n, ...) __attribute__((format(printf, 1, 3)));\n",
        "int f(int a) { return a; }\n",  # the local would cost more than it saves
        "int f(int a) { return 1 }\n",  # does not compile: no trust in the parse
    ]
    for source in skipped:
        assert texts(RemoveParametersPass(), source) == [], source
    variadic = "int f(int a, int b, ...);\nint g(void) { return f(1, 2, 3); }\n"
    assert texts(RemoveParametersPass(), variadic) == [
        "int f(int b, ...);\nint g(void) { return f(2, 3); }\n"
    ]


def test_array_parameters_become_pointer_locals() -> None:
    source = "int f(char *v[], int n) { return v[n] != 0; }\nint g(void) { return f(0, 1); }\n"
    assert texts(RemoveParametersPass(), source)[-1] == (
        "int f(int n) {char *(*v); return v[n] != 0; }\nint g(void) { return f(1); }\n"
    )


def test_unreferenced_fields_go_with_their_initializers() -> None:
    source = (
        "struct S { int a; int b; int c; };\n"
        "struct S s = {1, 2, 3}, t[1] = {{4, 5}};\n"
        "int f(void) { return s.b; }\n"
    )
    assert texts(RemoveFieldsPass(), source) == [
        "struct S {  int b;  };\nstruct S s = {2}, t[1] = {{5}};\nint f(void) { return s.b; }\n",
        "struct S { int a; int b;  };\n"
        "struct S s = {1, 2}, t[1] = {{4, 5}};\nint f(void) { return s.b; }\n",
        "struct S {  int b; int c; };\n"
        "struct S s = {2, 3}, t[1] = {{5}};\nint f(void) { return s.b; }\n",
    ]


def test_fields_in_one_declaration_and_several_records() -> None:
    source = (
        "struct S { int a, *b, c; };\nunion U { int i; };\nint f(struct S *p) { return p->c; }\n"
    )
    assert texts(RemoveFieldsPass(), source) == [
        "struct S { int c; };\nunion U {  };\nint f(struct S *p) { return p->c; }\n",
        "struct S { int a, *b, c; };\nunion U {  };\nint f(struct S *p) { return p->c; }\n",
        "struct S { int c; };\nunion U { int i; };\nint f(struct S *p) { return p->c; }\n",
        "struct S { int a, c; };\nunion U { int i; };\nint f(struct S *p) { return p->c; }\n",
        "struct S { int *b, c; };\nunion U { int i; };\nint f(struct S *p) { return p->c; }\n",
    ]


def test_fields_resume_and_unsafe_initializers() -> None:
    source = "struct S { int a; int b; int c; };\nint f(struct S *p) { return p->b; }\n"
    candidates = list(RemoveFieldsPass().candidates(source))
    remove_c = candidates[1]
    assert remove_c.text == "struct S { int a; int b;  };\nint f(struct S *p) { return p->b; }\n"
    assert texts(RemoveFieldsPass(), remove_c.text, remove_c.resume) == [
        "struct S {  int b;  };\nint f(struct S *p) { return p->b; }\n"
    ]
    # Designated and brace-elided lists are left as they are (the oracle judges those).
    designated = "struct S { int a; int b; } s = { .b = 1, 2 };\n"
    assert "{ .b = 1, 2 }" in texts(RemoveFieldsPass(), designated)[0]
    elided = "struct S { int a[2]; int b; } s = { 1, 2, 3 };\n"
    assert texts(RemoveFieldsPass(), elided)[0].endswith("s = { 1, 2, 3 };\n")
    # Referenced only by a designator or offsetof: not removed.
    used = "#include <stddef.h>\nstruct S { int a; int b; } s = { .a = 1 };\nint n = offsetof(struct S, b);\n"
    assert texts(RemoveFieldsPass(), used) == []


def test_unnamed_records_resume_by_position_and_location() -> None:
    source = "struct { int a; int b; } x;\nstruct { int c; int d; } y;\nint f(void) { return x.b + y.d; }\n"
    candidates = list(RemoveFieldsPass().candidates(source))
    assert [c.text for c in candidates] == [
        source.replace("int a;", "").replace("int c;", ""),
        source.replace("int c;", ""),
        source.replace("int a;", ""),
    ]
    remove_c = candidates[1]
    assert texts(RemoveFieldsPass(), remove_c.text, remove_c.resume) == [
        remove_c.text.replace("int a;", "")
    ]


def test_passes_yield_nothing_without_libclang(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(text: str, extra_args: object = ()) -> None:
        raise libclang.LibclangUnavailable("no libclang")

    monkeypatch.setattr(libclang, "parse", unavailable)
    assert texts(RemoveParametersPass(), "int f(int a);\n") == []
    assert texts(RemoveFieldsPass(), "struct S { int a; };\n") == []


def test_parameter_removal_still_compiles_with_clang(clang19: str) -> None:
    source = (
        "#include <stddef.h>\n"
        "struct buf { char *data; size_t len; };\n"
        "static int sum(const struct buf *b, size_t from, int scale[2]) {\n"
        "  int total = 0;\n"
        "  for (size_t i = from; i < b->len; i++) total += b->data[i] * scale[0];\n"
        "  return total;\n"
        "}\n"
        "int run(struct buf *b) { int k[2] = {1, 2}; return sum(b, 1, k) + sum(b, 0, k); }\n"
    )
    candidates = texts(RemoveParametersPass(), source)
    assert candidates
    for candidate in candidates:
        result = subprocess.run(
            [clang19, "-fsyntax-only", "-x", "c", "-"],
            input=candidate,
            text=True,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, (candidate, result.stderr)


@st.composite
def programs(draw: st.DrawFn) -> str:
    """Valid C: a struct with some fields used, a function with some parameters used,
    positional initializers, a prototype and calls."""
    types = ["int", "long", "char"]
    field_count = draw(st.integers(1, 5))
    lines, previous = [], None
    for index in range(field_count):
        base = draw(st.sampled_from(types))
        pointer = "*" if draw(st.booleans()) else ""
        if base == previous and draw(st.booleans()):
            lines[-1] = lines[-1][:-1] + f", {pointer}f{index};"
        else:
            lines.append(f"{base} {pointer}f{index};")
        previous = base
    used_fields = draw(st.sets(st.integers(0, field_count - 1)))
    initialized = draw(st.integers(0, field_count))
    init = ", ".join("0" for _ in range(initialized))
    param_count = draw(st.integers(1, 4))
    params = ", ".join(f"{draw(st.sampled_from(types))} p{i}" for i in range(param_count))
    used_params = draw(st.sets(st.integers(0, param_count - 1)))
    uses = " + ".join(
        [f"(g.f{i} != 0)" for i in sorted(used_fields)] + [f"p{i}" for i in sorted(used_params)]
    )
    calls = " + ".join(
        "fn(" + ", ".join(str(draw(st.integers(0, 9))) for _ in range(param_count)) + ")"
        for _ in range(draw(st.integers(0, 3)))
    )
    prototype = f"int fn({params});\n" if draw(st.booleans()) else ""
    return (
        f"struct S {{ {' '.join(lines)} }};\n"
        f"struct S g = {{{init}}};\n"
        f"{prototype}"
        f"int fn({params}) {{ return {uses or '0'}; }}\n"
        f"int caller(void) {{ return {calls or '0'}; }}\n"
    )


@settings(max_examples=60, deadline=None)
@given(programs())
def test_candidates_are_smaller_and_still_compile(source: str) -> None:
    assert libclang.parse(source).ok, source
    for reduction_pass in (RemoveParametersPass(), RemoveFieldsPass()):
        for candidate in reduction_pass.candidates(source):
            assert len(candidate.text) < len(source)
            assert libclang.parse(candidate.text).ok, (source, candidate.text)

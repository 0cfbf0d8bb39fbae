"""The members pass: every access of one struct field reads a new global instead."""

from __future__ import annotations

import pytest

from reducer import libclang
from reducer.passes.members import MembersToGlobalsPass

pytestmark = pytest.mark.usefixtures("need_libclang")


def texts(source: str) -> list[str]:
    return [candidate.text for candidate in MembersToGlobalsPass().candidates(source)]


def test_an_arrow_access_reads_a_global_named_like_the_field() -> None:
    source = "struct c {\nint b;\n};\nint a(struct c *d) {\nreturn 1000.0L / (1u << d->b);\n}\n"
    (candidate,) = MembersToGlobalsPass().candidates(source)
    assert candidate.text == (
        "struct c {\nint b;\n};\nint b;\nint a(struct c *d) {\nreturn 1000.0L / (1u << b);\n}\n"
    )
    assert candidate.grows  # one byte longer: the params and types passes go on from it
    assert libclang.parse(candidate.text).ok


def test_dot_accesses_in_several_functions_share_one_global_before_the_first() -> None:
    source = (
        "struct e { char *h; int c; };\nstruct e d[1];\n"
        "int f(int i) { return d[i].c; }\nint g(void) { return d[0].c + 1; }\n"
    )
    assert texts(source) == [
        "struct e { char *h; int c; };\nstruct e d[1];\n"
        "int c;\nint f(int i) { return c; }\nint g(void) { return c + 1; }\n"
    ]


def test_a_taken_name_gets_a_fresh_one_and_a_bit_field_loses_its_width() -> None:
    source = "struct s { unsigned w : 3; };\nint w;\nint f(struct s *p) { return p->w + w; }\n"
    (text,) = texts(source)
    assert text == (
        "struct s { unsigned w : 3; };\nint w;\n"
        "unsigned w1;\nint f(struct s *p) { return w1 + w; }\n"
    )
    assert libclang.parse(text).ok


def test_an_array_field_keeps_its_declarator() -> None:
    source = "struct s { int a[3]; };\nint f(struct s *p) { return p->a[1]; }\n"
    assert texts(source) == [
        "struct s { int a[3]; };\nint a[3];\nint f(struct s *p) { return a[1]; }\n"
    ]


def test_the_field_saving_most_goes_first() -> None:
    source = "struct s { int x; int y; };\nint f(struct s *p) { return p->x + p->y * p->y; }\n"
    found = texts(source)
    assert len(found) == 2
    assert "return p->x + y * y;" in found[0] and "return x + p->y * p->y;" in found[1]


@pytest.mark.parametrize(
    "source",
    [
        # the object is a call
        "struct s { int x; };\nstruct s *n(void);\nint f(void) { return n()->x; }\n",
        # the object changes something
        "struct s { int x; };\nint f(struct s *p) { return (p++)->x; }\n",
        # several declarators share the type
        "struct s { int x, y; };\nint f(struct s *p) { return p->y; }\n",
        # the field's type is defined in place
        "struct s { struct t { int v; } in; };\nint f(struct s *p) { return sizeof(p->in); }\n",
        # one access inside another of the same field
        "struct n { struct n *next; };\nint f(struct n *p) { return p->next->next != 0; }\n",
        # an access from a macro
        "struct s { int x; };\n#define X(p) (p)->x\nint f(struct s *p) { return X(p); }\n",
        # a record local to the function
        "int f(void) { struct s { int x; } v = {1}; return v.x; }\n",
    ],
)
def test_skipped(source: str) -> None:
    assert texts(source) == []


def test_designators_stay_and_do_not_count_as_accesses() -> None:
    source = "struct s { int x; };\nstruct s v = { .x = 1 };\nint f(void) { return v.x; }\n"
    assert texts(source) == [
        "struct s { int x; };\nstruct s v = { .x = 1 };\nint x;\nint f(void) { return x; }\n"
    ]


def test_each_field_is_proposed_once() -> None:
    source = "struct s { int x; int y; };\nint f(struct s *p) { return p->x + p->y; }\n"
    first, second = MembersToGlobalsPass().candidates(source)
    assert first.text == (
        "struct s { int x; int y; };\nint x;\nint f(struct s *p) { return x + p->y; }\n"
    )
    again = [c.text for c in MembersToGlobalsPass().candidates(first.text, first.resume)]
    assert again == [
        "struct s { int x; int y; };\nint x;\nint y;\nint f(struct s *p) { return x + y; }\n"
    ]
    assert list(MembersToGlobalsPass().candidates(second.text, second.resume)) == []


@pytest.mark.parametrize(
    ("objects", "declaration"),
    [
        ("struct d c[] = { 5, 6, 5, 7 };", "int b = 5;"),  # braces elided: every other value
        ("struct d c[] = { {-2, 1}, {-2} };", "int b = -2;"),  # a list per object
        ("struct d c = { 'a' };", "int b = 'a';"),
        ('struct d c[] = { "ab", 3 };', 'char *b = "ab";'),  # a NULL %s would be UB
        ("struct d c[] = { {5}, {6} };", "int b;"),  # they disagree
        ("struct d c = { .b = 5 };", "int b;"),  # designated
        ("struct d c = { 1 + 2 };", "int b;"),  # not one literal
    ],
)
def test_the_global_starts_with_the_value_the_initializers_agree_on(
    objects: str, declaration: str
) -> None:
    field = "char *b" if declaration.startswith("char") else "int b"
    source = f"struct d {{ {field}; int x; }};\n{objects}\nint f(struct d *g) {{ return !g->b; }}\n"
    (text,) = texts(source)
    assert text == source.replace("int f", f"{declaration}\nint f").replace("g->b", "b")
    assert libclang.parse(text).ok

"""Each pass as a pure function: text in, candidates out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reducer.passes.balanced import BalancedPass
from reducer.passes.bodies import EmptyBodiesPass
from reducer.passes.control import FlattenControlPass
from reducer.passes.initializers import DropInitializersPass
from reducer.passes.lines import LinesPass, line_spans
from reducer.passes.rename import RenamePass
from reducer.passes.schedules import Halving, Sliding, halving, sliding
from reducer.passes.static import DropStaticPass
from reducer.passes.strings import ShortenStringsPass
from reducer.passes.table import default_passes
from reducer.passes.tokens import TokensPass
from reducer.passes.toplevel import TopLevelPass
from reducer.passes.typedefs import InlineTypedefsPass
from reducer.passes.types import SimplifyTypesPass
from reducer.passes.unused import UnusedDeclarationsPass
from reducer.passes.whitespace import WhitespacePass, fold_whitespace
from tests.passcheck import reduce_under

# INPUT, INTERESTING, RESULT: each pass reduced to a fixpoint through the engine.
OUTCOMES = [
    pytest.param(
        TopLevelPass(),
        "int a;\nint f(void) { return a; }\nint b;\n",
        lambda t: "return a" in t,
        "\nint f(void) { return a; }\n\n",
        id="toplevel",
    ),
    pytest.param(
        LinesPass(),
        "".join(f"l{i}\n" for i in range(8)),
        lambda t: "l2" in t and "l5" in t,
        "l2\nl5\n",
        id="lines",
    ),
    pytest.param(
        BalancedPass(),
        "int f(int x){if (x) {g(x);} return (x+1);}",
        lambda t: "g(x)" in t,
        "int f{if  {g(x);} return ;}",
        id="balanced",
    ),
    pytest.param(TokensPass(), "a b c d e", lambda t: "b" in t and "d" in t, " b  d ", id="tokens"),
    pytest.param(
        FlattenControlPass(),
        "void f(int x){ for (int i=0;i<x;i++) { if (x>2) g(i); } }",
        lambda t: "g(i)" in t,
        "void f(int x){ int i=0; { x>2; g(i); } }",
        id="control",
    ),
    pytest.param(
        DropInitializersPass(),
        "int q;\nint *p = &q;\nint r = 3;\n",
        lambda t: "int *p" in t,
        "int q;\nint *p;\nint r;\n",
        id="initializers",
    ),
    pytest.param(
        UnusedDeclarationsPass(),
        "int unused1;\nstatic int helper(void);\nint keep(void) { return 1; }\n",
        lambda t: "keep" in t,
        "\n\nint keep(void) { return 1; }\n",
        id="unused",
    ),
    pytest.param(
        EmptyBodiesPass(frozenset({"bad"})),
        "int other(int y) { return y * 2; }\nint bad(void) { return 7; }\n",
        lambda t: "return 7" in t,
        "int other(int y) {}\nint bad(void) { return 7; }\n",
        id="bodies",
    ),
    pytest.param(
        DropStaticPass(),
        "static inline int f(void) { return 1; }\nstatic int g;\n",
        lambda t: "f(void)" in t,
        "  int f(void) { return 1; }\n int g;\n",
        id="static",
    ),
    pytest.param(
        RenamePass(frozenset({"keep_me"})),
        "int long_name; int keep_me(int parameter) { return long_name + parameter; }",
        lambda t: "keep_me" in t and re.search(r"return \w+ \+ \w+", t) is not None,
        "int a; int keep_me(int b) { return a + b; }",
        id="rename",
    ),
    pytest.param(
        SimplifyTypesPass(),
        "struct s { int x; } v;\nunsigned long long w;\nvoid f(void);\n",
        lambda t: "v;" in t and "w;" in t,
        "int v;\nint w;\nint f(void);\n",
        id="types",
    ),
    pytest.param(
        InlineTypedefsPass(),
        "typedef unsigned long ulong;\nulong v;\n",
        lambda t: "v;" in t and "unsigned long" in t,
        "\nunsigned long v;\n",
        id="typedefs",
    ),
    pytest.param(
        ShortenStringsPass(frozenset({".keep"})),
        'const char *a = "hello world"; const char *b = ".keep";',
        lambda t: '".keep"' in t,
        'const char *a = ""; const char *b = ".keep";',
        id="strings",
    ),
]


@pytest.mark.parametrize(("reduction_pass", "source", "interesting", "result"), OUTCOMES)
def test_pass_outcome(reduction_pass, source: str, interesting, result: str) -> None:
    assert reduce_under(reduction_pass, source, interesting) == result


def texts(reduction_pass, source: str, resume=None) -> list[str]:
    return [c.text for c in reduction_pass.candidates(source, resume)]


def test_line_spans_skip_blank_lines() -> None:
    assert line_spans("a\n\n  \nb") == [(0, 2), (6, 7)]


def test_halving_resume_continues_before_the_removed_chunk() -> None:
    units = [(i, i + 1) for i in range(8)]
    text = "abcdefgh"
    computed: list[str] = []

    def units_of(source: str) -> list[tuple[int, int]]:
        computed.append(source)
        return units[: len(source)]

    resumed = [c.text for c in halving(text, units_of, Halving(2, 4, tuple(units[:4])))]
    # Size-2 chunks before position 4 first (2-3, then 0-1), then size 1 over all.
    assert resumed[:2] == ["abefgh", "cdefgh"]
    assert resumed[2] == "abcdefg"
    # The units were computed once, for the next chunk size, not for the resumed one.
    assert computed == [text]


def test_sliding_resume_skips_tried_positions() -> None:
    units = [(0, 1), (1, 2), (2, 3)]
    assert [c.text for c in sliding("abc", units, (1,), Sliding(0, 2))] == ["ac", "bc"]


def test_whitespace_keeps_literals_and_line_structure() -> None:
    source = '#define X  1\nint   a =\n\n\n  "x   y";\n'
    assert fold_whitespace(source) == '#define X  1\nint a =\n"x   y";\n'
    assert texts(WhitespacePass(), fold_whitespace(source)) == []


C_WORDS = [
    "typedef",
    "struct",
    "static",
    "#define A x y z\n",
    "A",
    "unsigned long",
    "int",
    "f",
    "x",
    "(",
    ")",
    "{",
    "}",
    ";",
    "=",
    "*",
    '"str"',
    "\n",
    "union",
    "u",
    "main",
]


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="ab;{}()[] \n\"'#/*x", max_size=60),
        st.lists(st.sampled_from(C_WORDS), max_size=40).map(" ".join),
    )
)
def test_no_pass_proposes_a_larger_candidate(source: str) -> None:
    for reduction_pass in default_passes(frozenset({"x"}), frozenset({"f"})):
        for candidate in reduction_pass.candidates(source):
            assert len(candidate.text) <= len(source)


def test_macro_inlining_replaces_uses_and_drops_the_define() -> None:
    from reducer.passes.macros import InlineMacrosPass

    source = '#define SEC __attribute__((section("s")))\nint a SEC;\nint SECOND;\n'
    assert texts(InlineMacrosPass(), source) == [
        '\nint a __attribute__((section("s")));\nint SECOND;\n'
    ]


def test_function_like_macros_are_expanded_at_each_call() -> None:
    from reducer.passes.macros import InlineMacrosPass

    source = (
        "#define __section(s) __attribute__((section(s)))\n"
        "#define SIZE(a, n) (sizeof(a) * (n))\n"
        'int r[4] __section(".kexec-purgatory");\n'
        "long f(void) { return SIZE(r, g(1, 2)) + SIZE(r,); }\n"
    )
    assert texts(InlineMacrosPass(), source) == [
        "\n#define SIZE(a, n) (sizeof(a) * (n))\n"
        'int r[4] __attribute__((section(".kexec-purgatory")));\n'
        "long f(void) { return SIZE(r, g(1, 2)) + SIZE(r,); }\n",
        "#define __section(s) __attribute__((section(s)))\n\n"
        'int r[4] __section(".kexec-purgatory");\n'
        "long f(void) { return (sizeof(r) * (g(1, 2))) + (sizeof(r) * ()); }\n",
    ]
    # Left alone: stringify/paste, variadic, used by another directive, used in its own
    # arguments, called with the wrong number of arguments.
    for unsafe in (
        "#define S(x) #x\nchar *p = S(abc);\n",
        "#define P(x) a##x\nint P(1);\n",
        "#define V(...) __VA_ARGS__\nint V(a);\n",
        "#define F(x) x\n#if defined(F)\nint F(1);\n#endif\n",
        "#define F(x) (x + 1)\nint a = F(F(1));\n",
        "#define F(x, y) x\nint a = F(1);\n",
    ):
        assert texts(InlineMacrosPass(), unsafe) == [], unsafe
    # A bare name is no call: it stays (and a candidate without the define is smaller).
    assert texts(InlineMacrosPass(), "#define F(x) x\nint (*p)(int) = F;\nint b = F(2);\n") == [
        "\nint (*p)(int) = F;\nint b = 2;\n"
    ]


def test_rename_shortens_longest_first_and_keeps_protected_names() -> None:
    from reducer.passes.rename import RenamePass

    source = (
        'int counter; int purgatory_regions[2] __attribute__((section(".x")));\n'
        "int get(void) { return counter + *purgatory_regions; }\n"
    )
    candidates = texts(RenamePass(frozenset({"purgatory_regions"})), source)
    assert candidates == [
        source.replace("counter", "a").replace("get", "b"),  # every declared name at once
        source.replace("counter", "a"),
        source.replace("get", "a"),
    ]


def test_rename_all_at_once_leaves_out_main_and_names_the_text_only_uses() -> None:
    from reducer.ctokens import tokenize
    from reducer.passes.rename import RenamePass, declared_here

    source = (
        "#include <stdio.h>\nstruct box { int width; };\n"
        "int area(struct box *shape) { return shape->width * shape->width; }\n"
        'int main(void) { struct box one = {2}; printf("%d\\n", area(&one)); }\n'
    )
    assert declared_here(tokenize(source)) == {"box", "width", "area", "shape", "main", "one"}
    first = texts(RenamePass(), source)[0]
    assert first == (
        "#include <stdio.h>\nstruct d { int b; };\n"
        "int c(struct d *a) { return a->b * a->b; }\n"
        'int main(void) { struct d e = {2}; printf("%d\\n", c(&e)); }\n'
    )


def test_rename_takes_a_declared_name_with_two_underscores_and_leaves_the_builtins() -> None:
    from reducer.passes.rename import RenamePass

    source = (
        "int __pyx_table;\n"
        "int __Pyx_init(void) { unsigned __int128 q = 0; __builtin_trap(); return __pyx_table; }\n"
    )
    first = texts(RenamePass(), source)[0]
    assert first == source.replace("__pyx_table", "a").replace("__Pyx_init", "b")
    assert "__builtin_trap" in first and "__int128" in first


def test_rename_all_at_once_is_not_proposed_again_after_a_restart() -> None:
    from reducer.passes.rename import RenamePass
    from reducer.passes.schedules import RESTART

    source = "int counter; int total(void) { return counter; }\n"
    after_restart = [c.text for c in RenamePass().candidates(source, RESTART)]
    assert after_restart == [source.replace("counter", "a"), source.replace("total", "a")]


def test_rename_leaves_names_used_in_directives_alone() -> None:
    from reducer.passes.rename import RenamePass

    assert texts(RenamePass(), "#define X value\nint value;\n") == []


def test_bodies_empties_all_but_focus_then_each() -> None:
    from reducer.passes.bodies import EmptyBodiesPass, function_bodies

    source = (
        "struct s { int a; } v = { 1 };\n"
        "int g(int x) { return x; }\n"
        "int h(void) { return g(1); }\n"
        "int f(void) { return h(); }\n"
    )
    # A static focus function keeps its callers' bodies (else it would not be emitted).
    static = (
        "static int f(void) { return 1; }\nint m(void) { return f(); }\n"
        "int g1(void) { return 2; }\nint g2(void) { return 3; }\n"
    )
    big_cut = static.replace("{ return 2; }", "{}").replace("{ return 3; }", "{}")
    assert texts(EmptyBodiesPass(frozenset({"f"})), static)[0] == big_cut
    external = static.replace("static ", "")
    assert texts(EmptyBodiesPass(frozenset({"f"})), external)[0] == external.replace(
        "{ return f(); }", "{}"
    ).replace("{ return 2; }", "{}").replace("{ return 3; }", "{}")
    assert [body.name for body in function_bodies(source)] == ["g", "h", "f"]
    candidates = texts(EmptyBodiesPass(frozenset({"f"})), source)
    assert candidates[0] == source.replace("{ return x; }", "{}").replace("{ return g(1); }", "{}")
    assert candidates[1:] == [
        source.replace("{ return h(); }", "{}"),
        source.replace("{ return g(1); }", "{}"),
        source.replace("{ return x; }", "{}"),
    ]
    assert texts(EmptyBodiesPass(), "int f(void) {}\n") == []


def test_types_pass_turns_aggregates_into_int() -> None:
    from reducer.passes.types import SimplifyTypesPass

    source = "struct s { int a; } x; union u *p;\n"
    assert texts(SimplifyTypesPass(), source) == [
        "struct s { int a; } x; int *p;\n",
        "int x; union u *p;\n",
    ]
    assert texts(SimplifyTypesPass(), "unsigned long x; int y;") == ["int x; int y;"]
    both = "struct b {} r[]; struct b *e = r;"
    assert texts(SimplifyTypesPass(), both)[0] == "int r[]; int *e = r;"


def test_types_pass_turns_void_into_int_but_not_an_empty_parameter_list() -> None:
    from reducer.passes.types import SimplifyTypesPass

    source = "void f(void) { void *p; }"
    assert texts(SimplifyTypesPass(), source) == [
        "void f(void) { int *p; }",
        "int f(void) { void *p; }",
    ]


def test_types_pass_turns_a_type_name_from_a_header_into_int() -> None:
    from reducer.passes.types import SimplifyTypesPass

    # size_t is declared in the header only: every use becomes int, so the header can
    # go; `return p - s` and the text's own typedef `u` are not types to guess.
    source = "#include <stddef.h>\ntypedef int u;\nsize_t f(size_t *s, u n) { return p - s; }"
    assert texts(SimplifyTypesPass(), source) == [
        "#include <stddef.h>\ntypedef int u;\nint f(int *s, u n) { return p - s; }"
    ]


def test_a_type_name_right_after_a_directive_starts_a_declaration() -> None:
    from reducer.passes.types import SimplifyTypesPass

    # The first declaration after `#include` (its only use) was not seen as one: the
    # strlen case kept `#include <stddef.h>` for `size_t a(char *s)`.
    source = "#include <stddef.h>\nsize_t a(char *s) { return 0; }\n"
    assert texts(SimplifyTypesPass(), source)[0] == (
        "#include <stddef.h>\nint a(char *s) { return 0; }\n"
    )


def test_typedefs_are_inlined_last_first() -> None:
    from reducer.passes.typedefs import InlineTypedefsPass

    source = "typedef unsigned u;\ntypedef u v;\nv x; u y;\n"
    assert texts(InlineTypedefsPass(), source) == [
        "typedef unsigned u;\n\nu x; u y;\n",
        "\ntypedef unsigned v;\nv x; unsigned y;\n",
    ]
    assert texts(InlineTypedefsPass(), "typedef int (*fp)(int);\nfp f;\n") == []


def test_strings_are_shortened_except_kept_ones() -> None:
    from reducer.passes.strings import ShortenStringsPass

    source = 'int a __attribute__((section(".kexec"))); char *s = "hello";'
    assert texts(ShortenStringsPass(frozenset({".kexec"})), source) == [
        'int a __attribute__((section(".kexec"))); char *s = "";',
        'int a __attribute__((section(".kexec"))); char *s = "h";',
    ]


def test_drop_static_all_then_each() -> None:
    from reducer.passes.static import DropStaticPass

    source = "static int a; static inline int f(void) { return a; }\n"
    assert texts(DropStaticPass(), source) == [
        " int a;   int f(void) { return a; }\n",
        "static int a; static  int f(void) { return a; }\n",
        "static int a;  inline int f(void) { return a; }\n",
        " int a; static inline int f(void) { return a; }\n",
    ]


def test_declared_names_of_common_declarations() -> None:
    from reducer.ctokens import tokenize
    from reducer.passes.unused import declared_names

    def names(source: str) -> set[str] | None:
        return declared_names(tokenize(source))

    assert names("static const uint16_t ***g_2088 = &g_2089;") == {"g_2088"}
    assert names("int a = b, c[2] = {d};") == {"a", "c"}
    assert names("static int8_t (safe_x)(int8_t a) { return a; }") == {"safe_x"}
    assert names("struct S0 { int a; };") == {"S0"}
    assert names("struct S0 g_5 = {1};") == {"g_5"}
    assert names("typedef unsigned int u32;") == {"u32"}
    assert names("enum E { X, Y };") == {"E", "X", "Y"}
    # A typedef'd enum declares its enumerators, not the words of their values.
    assert names("typedef enum { A = (1 << B), C = f(x, y) } E;") == {"A", "C", "E"}
    # A parenthesized declarator declares the name inside, not the type before it
    # (Python's headers: `typedef PySendResult (*sendfunc)(...)` was {"PySendResult"}).
    assert names("int (*fp)(int);") == {"fp"}
    assert names("typedef PySendResult (*sendfunc)(PyObject *o);") == {"sendfunc"}
    assert names("T (*handlers[4])(int);") == {"handlers"}
    assert names("typedef int (*a)(int), (*b)(int);") is None  # unsure: never removed
    assert names("#define X 1") is None
    # A leading macro invocation or attribute is not a function's declarator (CRoaring's
    # `ALIGNED(0x1000) static const uint8_t shuffle_mask16[] = {...}` was {"ALIGNED"}).
    assert names("ALIGNED(0x1000) static const uint8_t table[] = {1, 2};") == {"table"}
    assert names("__attribute__((aligned(64))) int buffer[8];") == {"buffer"}
    assert names("f(a) __attribute__((noreturn));") == {"f"}
    assert names("DECLARE(x) int g(void);") == {"g"}


def test_unused_declarations_go_together_prototype_and_definition() -> None:
    from reducer.passes.unused import UnusedDeclarationsPass

    source = (
        "int g(void);\n"
        "int used;\n"
        "int g(void) { return 1; }\n"
        "int unused_var;\n"
        "int f(void) { return used; }\n"
    )
    candidates = texts(UnusedDeclarationsPass(frozenset({"f"})), source)
    assert candidates[0] == "\nint used;\n\n\nint f(void) { return used; }\n"
    # Then halving over the three unused items if the big cut fails.
    assert (
        candidates[1]
        == "int g(void);\nint used;\nint g(void) { return 1; }\n\nint f(void) { return used; }\n"
    )


def test_control_statements_flatten() -> None:
    from reducer.passes.control import FlattenControlPass

    assert texts(FlattenControlPass(), "for (c = a; ; ) {}") == ["c = a; {}", "{}"]
    assert texts(FlattenControlPass(), "if (x > 1) y();") == ["x > 1; y();", "y();"]


def test_balanced_drops_initializers_and_nested_block_braces() -> None:
    assert "int s ;" in texts(BalancedPass(), "int s = {};")
    assert "f(){  int x;  }" in texts(BalancedPass(), "f(){ { int x; } }")


def test_top_level_initializers_are_dropped() -> None:
    from reducer.passes.initializers import DropInitializersPass

    source = "int f;\nint *c = &f, d[2] = {1, 2};\nint g(void) { int x = 1; return x; }\n"
    # All at once, then one at a time from the end (halving over two).
    assert texts(DropInitializersPass(), source) == [
        "int f;\nint *c, d[2];\nint g(void) { int x = 1; return x; }\n",
        "int f;\nint *c = &f, d[2];\nint g(void) { int x = 1; return x; }\n",
        "int f;\nint *c, d[2] = {1, 2};\nint g(void) { int x = 1; return x; }\n",
    ]


def test_the_pass_table_drives_the_readme_and_skip_pass() -> None:
    from reducer.cli import build_parser
    from reducer.commands import load_commands
    from reducer.passes.table import PASS_NAMES, PassContext, build_passes, markdown
    from tests.conftest import REPO

    assert markdown() in (REPO / "README.md").read_text()
    passes = build_passes(PassContext(), skip=("tokens", "slice"))
    assert [p.name for p in passes] == [n for n in PASS_NAMES if n not in ("tokens", "slice")]
    help_text = build_parser("reduce", load_commands()["reduce"]).format_help()
    assert all(name in help_text for name in PASS_NAMES)


def test_initializers_on_a_big_text_is_one_cut_and_no_halving() -> None:
    # tree-sitter's parser.c: the focus cut kept one table with 1.2 MB of initializer.
    from reducer.passes.base import FINE_MAX_BYTES

    table = "static const short table[] = {" + ", ".join(["7"] * (FINE_MAX_BYTES // 3)) + "};\n"
    text = "int x = 1;\n" + table + "const void *f(void) { return table; }\n"
    assert len(text) > FINE_MAX_BYTES
    candidates = list(DropInitializersPass().candidates(text))
    assert [c.text for c in candidates] == [
        "int x;\nstatic const short table[];\nconst void *f(void) { return table; }\n"
    ]
    # one initializer alone is cut too, and after an accepted cut nothing more comes
    alone = table + "const void *f(void) { return table; }\n"
    (cut,) = DropInitializersPass().candidates(alone)
    assert "= {" not in cut.text
    assert list(DropInitializersPass().candidates(text, cut.resume)) == []


def test_a_big_items_facts_are_kept_by_digest_not_by_its_text() -> None:
    # issue 26 §3: a big item (tree-sitter's 1.2 MB table) is scanned once per run, and
    # the cache holds no copy of it.
    from reducer.passes import unused

    item = "static const short table[] = {" + ", ".join(["7"] * 3000) + "};"
    first = unused._item_facts(item)
    again = unused._item_facts("".join(list(item)))  # an equal text, another object
    assert again is first and first == unused._scan_item(item)
    assert first[1] == frozenset({"table"})
    assert all(isinstance(key, bytes) and len(key) == 16 for key in unused._big_item_facts)


def test_pragmas_go_all_at_once_then_a_push_with_its_pop() -> None:
    from reducer.passes.pragmas import RemovePragmasPass

    text = (
        '#pragma GCC diagnostic push\n_Pragma("clang attribute push(x)")\nint f(void);\n'
        '_Pragma("clang attribute pop")\n#pragma GCC diagnostic pop\n#pragma once\n'
    )
    candidates = [c.text for c in RemovePragmasPass().candidates(text)]
    assert candidates[0] == "int f(void);\n"
    # the outer pair, then the inner one; never a push without its pop
    assert candidates[1:] == [
        '_Pragma("clang attribute push(x)")\nint f(void);\n_Pragma("clang attribute pop")\n'
        "#pragma once\n",
        "#pragma GCC diagnostic push\nint f(void);\n#pragma GCC diagnostic pop\n#pragma once\n",
    ]
    assert list(RemovePragmasPass().candidates("int pop; int push;\n")) == []


def test_toplevel_removes_every_repeated_include_at_once_first() -> None:
    text = (
        '#include <stdio.h>\nint a;\n#include <stdio.h>\n#include "x.h"\nint b;\n'
        '#include "x.h" /* again */\n#include <stdint.h>\n'
    )
    first = next(iter(TopLevelPass().candidates(text)))
    assert first.text == '#include <stdio.h>\nint a;\n#include "x.h"\nint b;\n#include <stdint.h>\n'
    # nothing repeated: straight to the halving over the items
    from reducer.ctokens import top_level_items

    plain = "int a;\nint b;\n"
    assert [c.text for c in TopLevelPass().candidates(plain)] == [
        c.text for c in halving(plain, top_level_items, None)
    ]

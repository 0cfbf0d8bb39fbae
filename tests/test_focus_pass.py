"""The focus pass (one big cut on big inputs) and the size guard on fine passes."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from reducer.passes.bodies import EmptyBodiesPass
from reducer.passes.chunks import remove_spans
from reducer.passes.focus import (
    CHAIN_DEPTH,
    MIN_CHUNK,
    NARROWING,
    FocusPass,
    body_statements,
    conditional_lines,
    keep_conditionals,
    narrowing_groups,
    narrowing_parts,
    removable_spans,
)
from reducer.passes.table import FINE_MAX_BYTES, PASS_TABLE, PassContext, SizeGuard, build_passes
from reducer.passes.tokens import TokensPass
from tests.passcheck import reduce_under

SOURCE = """#define N 16
typedef int T;
struct S { T a; };
struct U { int b; };
int unused_global;
int purgatory[N] __attribute__((section(".kexec-purgatory")));
static int helper(struct S *s);
int other(int x) { return x + unused_global; }
static int helper(struct S *s) { return s->a + other(1); }
void bug(void **p) { struct S s; helper(&s); *p = purgatory; }
"""

# The focus function must stay whole, and everything it names must still be declared.
NEEDED = ("*p = purgatory;", "helper(&s)", "int purgatory[N]", "struct S {", "typedef int T;")


def _compiles_enough(text: str) -> bool:
    return all(piece in text for piece in NEEDED) and "#define N 16" in text


def test_focus_keeps_the_closure_and_drops_the_rest_in_one_call() -> None:
    calls: list[str] = []

    def interesting(text: str) -> bool:
        calls.append(text)
        return _compiles_enough(text)

    result = reduce_under(FocusPass(frozenset({"bug"})), SOURCE, interesting)
    # Unreached items go (struct U, unused_global, other); reached functions keep their
    # header with an empty body (helper, so the call still compiles).
    assert "struct U" not in result and "unused_global" not in result
    assert "other" not in result
    assert "static int helper(struct S *s) {}" in result
    assert "static int helper(struct S *s);" in result
    assert calls[1] == result  # the first candidate was the whole cut


def test_focus_falls_back_to_emptying_bodies_then_halves() -> None:
    # The closure misses a need (here: `other` must stay declared): the first cut is
    # rejected, the bodies-only one is accepted.
    def interesting(text: str) -> bool:
        return _compiles_enough(text) and "int other(int x)" in text

    result = reduce_under(FocusPass(frozenset({"bug"})), SOURCE, interesting)
    assert "int other(int x) {}" in result
    assert "static int helper(struct S *s) {}" in result
    assert "*p = purgatory;" in result


def test_focus_halves_over_many_functions_when_the_cuts_are_rejected() -> None:
    functions = "".join(f"int f{i}(void) {{ return {i}; }}\n" for i in range(64))
    text = functions + "void bug(void) { f3(); }\n"

    # Rejects any text where f40's body is gone: the all-at-once cuts fail, halves work.
    def interesting(text: str) -> bool:
        return "return 40;" in text and "void bug(void) { f3(); }" in text

    result = reduce_under(FocusPass(frozenset({"bug"})), text, interesting)
    assert "return 40;" in result
    # Halving stops at MIN_CHUNK spans: most bodies are gone, a few neighbours remain.
    remaining = sum(f"return {i};" in result for i in range(64))
    assert 1 <= remaining <= MIN_CHUNK


def test_without_focus_all_bodies_go_at_once_after_the_narrowing() -> None:
    text = "int a(void) { return 1; }\nint b(void) { return 2; }\nint c(void) { return 3; }\n"
    candidates = list(FocusPass().candidates(text))
    everything = "int a(void) {}\nint b(void) {}\nint c(void) {}\n"
    position = [c.text for c in candidates].index(everything)
    # The narrowing first: a, b, c alone, then the second half (b and c).
    assert [c.kind for c in candidates[:position]] == [NARROWING] * position == [NARROWING] * 4
    kept = [[f"return {i};" in c.text for i in (1, 2, 3)] for c in candidates[:position]]
    assert kept == [[True, False, False], [False, True, False], [False, False, True],
                    [False, True, True]]  # fmt: skip


def test_static_callers_of_a_static_focus_stay_whole() -> None:
    # A static function nobody calls is not emitted: its caller keeps its body.
    text = (
        "int g;\n"
        "static void bug(void) { g = 1; }\n"
        "void caller(void) { bug(); }\n"
        "void other(void) { g = 2; }\n"
    )
    # (After the cut that makes it external and drops the callers.)
    external, kept_static = [c.text for c in FocusPass(frozenset({"bug"})).candidates(text)][:2]
    assert "caller" not in external and "\nvoid bug(void) { g = 1; }" in external
    assert "void caller(void) { bug(); }" in kept_static and "static void bug" in kept_static
    assert "other" not in kept_static and "int g;" in kept_static


def test_focus_keeps_macros_the_kept_code_uses() -> None:
    text = "int x;\nint y;\n#define USE_X (x + 1)\nint bug(void) { return USE_X; }\n"
    spans = removable_spans(text, frozenset({"bug"}), frozenset())
    removed = [text[start:end] for start, end in spans]
    assert removed == ["int y;"]


def test_focus_is_deterministic() -> None:
    first = [c.text for c in FocusPass(frozenset({"bug"})).candidates(SOURCE)]
    second = [c.text for c in FocusPass(frozenset({"bug"})).candidates(SOURCE)]
    assert first == second
    # A warm memo (the same pass object) gives the same candidates as a cold one.
    warm = FocusPass(frozenset({"bug"}))
    list(warm.candidates(SOURCE))
    assert [c.text for c in warm.candidates(SOURCE)] == first


def test_size_guard_silences_fine_passes_on_big_texts() -> None:
    big = "int a; " * (FINE_MAX_BYTES // 7 + 10)
    guarded = SizeGuard(TokensPass(), FINE_MAX_BYTES)
    assert guarded.name == "tokens"
    assert next(guarded.candidates(big), None) is None
    small = "int a; int b;"
    assert [c.text for c in guarded.candidates(small)] == [
        c.text for c in TokensPass().candidates(small)
    ]


def test_the_table_guards_the_fine_passes_and_runs_focus_right_after_slice() -> None:
    names = [entry.name for entry in PASS_TABLE]
    # The comments go first in one call (half of a real file), then the #if groups the
    # compile does not take (each would keep the #defines it tests), then the cut.
    assert names[:4] == ["slice", "comments", "conditionals", "focus"]
    guarded = {entry.name for entry in PASS_TABLE if entry.max_bytes is not None}
    assert {"static", "bodies", "tokens", "balanced", "rename", "strings"} <= guarded
    assert not guarded & {"slice", "comments", "focus", "unused", "toplevel", "lines"}
    big = "".join(f"int f{i}(void) {{ return 1; }}\n" for i in range(FINE_MAX_BYTES // 20))
    by_name = {p.name: p for p in build_passes(PassContext(focus=frozenset({"f1"})))}
    assert next(by_name["bodies"].candidates(big), None) is None
    assert next(by_name["focus"].candidates(big), None) is not None


def test_bodies_is_still_the_fine_pass_on_small_texts() -> None:
    text = "int a(void) { return 1; }\nint b(void) { return 2; }\n"
    by_name = {p.name: p for p in build_passes(PassContext())}
    assert [c.text for c in by_name["bodies"].candidates(text)] == [
        c.text for c in EmptyBodiesPass().candidates(text)
    ]


def test_focus_keeps_the_macros_an_if_tests() -> None:
    text = (
        "#define FOO 3\n#define BAR 4\nint x;\n#if FOO > 2\nint bug(void) { return x; }\n#endif\n"
    )
    spans = removable_spans(text, frozenset({"bug"}), frozenset())
    assert [text[start:end] for start, end in spans] == ["#define BAR 4"]


def test_fast_function_bodies_agree_with_function_bodies() -> None:
    from reducer.passes.bodies import function_bodies
    from reducer.passes.focus import fast_function_bodies

    text = SOURCE + "struct V { int a; } v = { 1 };\nint (k)(void) { return 0; }\nint e(void) {}\n"
    assert fast_function_bodies(text) == function_bodies(text)


def test_with_several_focus_functions_the_smallest_emitted_one_goes_first_alone() -> None:
    source = (
        "int g;\n"
        "int big(void) { g = 1; g = 2; g = 3; return g; }\n"
        # Smallest, but static and called by nobody: alone it would not be emitted.
        "static int dead(void) { return 0; }\n"
        "int small(void) { return g; }\n"
        "int other(void) { return 1; }\n"
    )
    focus = frozenset({"big", "dead", "small"})
    first, second = [c.text for c in FocusPass(focus).candidates(source)][:2]
    assert "int small(void) { return g; }" in first and "int g;" in first
    assert "big" not in first and "dead" not in first and "other" not in first
    # Then all of them, as before.
    assert "int big(void) { g = 1;" in second and "int small(void) { return g; }" in second
    # With one focus function there is no single-function candidate to add.
    assert next(c.text for c in FocusPass(frozenset({"small"})).candidates(source)) == first


def _program(count: int) -> str:
    prototypes = "".join(f"static int f{i}(void);\n" for i in range(count))
    definitions = "".join(f"static int f{i}(void) {{ return {i}; }}\n" for i in range(count))
    calls = " ".join(f"f{i}();" for i in range(count))
    return prototypes + definitions + f"int main(void) {{ {calls} return 0; }}\n"


def test_without_focus_bisection_keeps_the_one_function_that_matters() -> None:
    # A script oracle names no function: the bug is in f11's body, which must be emitted
    # (external, or static and called from main's body).
    calls: list[str] = []

    def interesting(text: str) -> bool:
        calls.append(text)
        emitted = "static int f11" not in text or "f11();" in text
        return "int f11(void) { return 11; }" in text and emitted

    result = reduce_under(FocusPass(), _program(32), interesting)
    assert "int f11(void) { return 11; }" in result
    assert "static int f11" not in result  # it was emitted by dropping `static`
    assert sum(f"return {i};" in result for i in range(32)) == 1
    assert "main" not in result
    # f11 is in the second quarter of 33 functions, then of 8 (f10, f11), then in the
    # second half: 2 + 2 + 2 candidates, and one more that finds nothing left to cut
    # (halves took 10; the cut of all bodies now comes after the narrowing).
    assert len(calls) - 1 == 7


def test_bisection_keeps_the_callers_when_the_oracle_needs_static() -> None:
    def interesting(text: str) -> bool:
        return "static int f5(void) { return 5; }" in text and "f5();" in text

    result = reduce_under(FocusPass(), _program(16), interesting)
    assert "static int f5(void) { return 5; }" in result and "f5();" in result
    # main stays whole (it calls f5; its own `return 0;` is f0's too), the other
    # functions lose their bodies or go.
    assert sum(f"return {i};" in result for i in range(1, 16)) == 1


def test_bisection_drops_storage_in_headers_and_prototypes_not_in_parameters() -> None:
    text = (
        "static inline int f(int a[static 4]);\n"
        "static inline int f(int a[static 4]) { return a[0]; }\n"
        "int g(void) { return 1; }\n"
    )
    first_half = next(c.text for c in FocusPass().candidates(text))
    assert first_half == "int f(int a[static 4]);\nint f(int a[static 4]) { return a[0]; }\n\n"


def test_with_a_focus_there_is_no_bisection() -> None:
    text = _program(8).replace("return 3;", "return 3 + bug();") + "int bug(void) { return 0; }\n"
    candidates = [c.text for c in FocusPass(frozenset({"bug"})).candidates(text)]
    # Only the bisection drops `static`.
    assert candidates and not any(re.search(r"^int f\d", c, re.MULTILINE) for c in candidates)


# Shapes measured on sqlite3.c (the amalgamation of better-sqlite3 on npm), written anew.
BRANCHED_BODY = """\
int keep;
static int before(int x) {
#if USE_WINCE
  while (x) {
#else
  while (x > 1) {
#endif
    x--;
  }
  return x;
}
int bug(void) { return keep; }
int after(void) { return 2; }
"""


def test_braces_count_in_the_first_branch_of_a_conditional_only() -> None:
    # Counting both `while (...) {` lines, the body of `before` never closed and swallowed
    # `bug` and `after`: the focus function was not found and the cut kept nothing out.
    first = next(FocusPass(frozenset({"bug"})).candidates(BRANCHED_BODY)).text
    assert "int bug(void) { return keep; }" in first
    assert "after" not in first and "x--" not in first


def test_cplusplus_only_braces_do_not_count() -> None:
    text = (
        '#ifdef __cplusplus\nextern "C" {\n#endif\n'
        "int keep;\nint drop;\nint bug(void) { return keep; }\n"
        "#ifdef __cplusplus\n}\n#endif\n"
    )
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert "int drop;" not in first and "int keep;" in first
    assert first.count("#ifdef __cplusplus") == 2 and first.count("#endif") == 2


def test_a_cut_never_leaves_a_conditional_unmatched() -> None:
    # The #if opens inside one declaration's span and closes in another's (the item scan
    # cannot see it as structure): the spans lose their conditional lines, not the file.
    text = "int keep;\nint a\n#if X\n = 1;\nint b\n#endif\n;\nint bug(void) { return keep; }\n"
    spans = keep_conditionals(text, removable_spans(text, frozenset({"bug"}), frozenset()))
    cut = remove_spans(text, spans)
    assert cut.count("#if X") == 1 and cut.count("#endif") == 1
    assert re.search(r"^#if X$", cut, re.M) and re.search(r"^#endif$", cut, re.M)
    # A continued #if line goes with its continuation.
    text = "int a\n#if A || \\\n  B\n ;\n#endif\n"
    kept = remove_spans(text, keep_conditionals(text, [(0, len(text) - 7)]))
    assert "#if A || \\\n  B\n" in kept


def test_conditional_lines_of_a_span_come_from_one_scan_of_the_text() -> None:
    # One scan of the whole text answers every span (uvloop's loop.c asked 37K times):
    # the same lines a scan of the span alone finds, cut at its end; a directive inside
    # a comment or a string is none.
    text = (
        '#if A\nint a;\n/* #if not\n#endif not */\n#ifdef B\nchar *s = "\\n#if no";\n'
        "#else\nint b;\n#endif\n#elif C \\\n && D\nint c;\n#endif"
    )
    whole = conditional_lines(text, 0, len(text))
    assert [directive for _, _, directive in whole] == [
        "if",
        "ifdef",
        "else",
        "endif",
        "elif",
        "endif",
    ]
    assert text[whole[4][0] : whole[4][1]] == "#elif C \\\n && D\n"
    assert whole[-1][1] == len(text)  # the last line has no newline
    for start in (0, text.index("#ifdef"), text.index("int b")):
        for end in (text.index("#else") + 3, text.index("int c"), len(text)):
            assert conditional_lines(text, start, end) == [
                (line_start, min(line_end, end), directive)
                for line_start, line_end, directive in whole
                if start <= line_start < end
            ]


def test_a_macro_that_means_static_makes_callers_stay() -> None:
    text = (
        "# define PRIVATE static\n"
        "int g;\n"
        "PRIVATE void bug(void) { g = 1; }\n"
        "void caller(void) { bug(); }\n"
        "void other(void) { g = 2; }\n"
    )
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert "void caller(void) { bug(); }" in first and "g = 2" not in first


def test_a_directive_after_a_comment_is_an_item_of_its_own() -> None:
    text = "/* licence */\n#define UNUSED 1\nint keep;\nint bug(void) { return keep; }\n"
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert "UNUSED" not in first and "int keep;" in first


def test_a_static_focus_only_a_table_holds_is_made_external() -> None:
    # duktape's builtins: `DUK_INTERNAL` is `static` in a header the text does not have,
    # and only a function-pointer table names the function, so no kept caller makes it
    # emitted: a cut without its storage macro (definition and prototype) follows.
    text = (
        "DUK_INTERNAL_DECL int builtin(int x);\n"
        "int regions[4];\n"
        "int other(void) { return 2; }\n"
        "DUK_INTERNAL int builtin(int x) { return regions[x]; }\n"
        "static int (*const table[])(int) = { builtin };\n"
    )
    texts = [c.text for c in FocusPass(frozenset({"builtin"})).candidates(text)]
    external = [t for t in texts if "\nint builtin(int x) {" in t]
    assert external, texts[:3]
    assert "int builtin(int x);" in external[0] and "DUK_INTERNAL" not in external[0]
    assert "other" not in external[0] and "int regions[4];" in external[0]


def test_directives_after_a_cplusplus_only_extern_c_start_items() -> None:
    # zstd.c: `extern "C" {` under `#if defined (__cplusplus)` belongs to no item; the
    # macros defined after it were swallowed into the next declaration and cut with it.
    text = (
        '#if defined (__cplusplus)\nextern "C" {\n#endif\n'
        "#define MEM_STATIC static\n#define UNUSED_MACRO 1\n"
        "int regions[4];\nMEM_STATIC int helper(void) { return 1; }\n"
        "int bug(void) { return regions[helper()]; }\n"
    )
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert "#define MEM_STATIC static" in first and "UNUSED_MACRO" not in first
    assert "int bug(void)" in first


def test_conditional_groups_a_cut_empties_go_with_it() -> None:
    # sqlite3.c: ~850 #if groups hold nothing after the cut, and each keeps the #define
    # of every macro it tests alive.
    from reducer.passes.focus import drop_empty_conditionals

    text = (
        "#if A\n#ifdef B\n\n#endif\n#else\n#endif\nint x;\n"
        "#if C\nint y;\n#endif\n#if D \\\n  || E\n#endif\n"
    )
    assert drop_empty_conditionals(text) == "int x;\n#if C\nint y;\n#endif\n"
    assert drop_empty_conditionals("#ifdef X\n#define Y 1\n#endif\n") == (
        "#ifdef X\n#define Y 1\n#endif\n"
    )
    source = "#ifdef FEATURE\nint unused_helper(void) { return 1; }\n#endif\n" + SOURCE
    first = next(FocusPass(frozenset({"bug"})).candidates(source)).text
    assert "FEATURE" not in first


def test_x_macro_invocations_keep_the_macro_they_use() -> None:
    # zstd.c's cpuid table: `C(sse3, 0)` lines end no item (no ';' or '{'); they were
    # swallowed with the directives after them, and `#define C`, which only they use,
    # was cut: the first cut did not compile.
    text = (
        "#define X(n) int f_##n(void) { return 1; }\n#define C(n) X(n)\n"
        "  C(a)\n  C(b) /* two */\n#undef C\n#define UNUSED_MACRO 1\n"
        "int keep;\nint unused;\nint bug(void) { return keep + f_a(); }\n"
    )
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert "#define C(n) X(n)\n  C(a)\n  C(b)" in first and "#define X(n)" in first
    assert "UNUSED_MACRO" not in first and "int unused;" not in first


def test_a_directive_inside_a_declaration_does_not_split_it() -> None:
    # Only whole invocation lines become an item: a parameter list split by #if stays
    # one declaration, removed or kept whole.
    text = "int unused(\n#if X\n  int a\n#else\n  long a\n#endif\n);\nint bug(void) { return 1; }\n"
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert "unused" not in first and "int a" not in first and "long a" not in first
    assert "int bug(void) { return 1; }" in first


def test_a_directive_takes_the_comment_that_opens_on_its_line() -> None:
    text = (
        "#define UNUSED_A 4\n#define UNUSED_B 3  /* a comment\n  * over lines\n  */\n"
        "int keep;\nint bug(void) { return keep; }\n"
    )
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert "UNUSED" not in first and "over lines" not in first and "*/" not in first
    assert "int bug(void) { return keep; }" in first


def test_a_macro_declaration_statement_is_unsure() -> None:
    # Python's `PyDoc_STRVAR(name, "...");` declares `name` inside the macro: the item was
    # read as declaring PyDoc_STRVAR, and the doc string the method table names was cut.
    text = (
        '#define DOC(name, s) static const char name[] = s\nDOC(doc_f, "f(x)");\n'
        "int unused;\nconst char *bug(void) { return doc_f; }\n"
    )
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert 'DOC(doc_f, "f(x)");' in first and "#define DOC" in first
    assert "unused" not in first


def test_a_static_focus_is_first_tried_external_without_its_callers() -> None:
    # Generated code (Cython): every function static, the callers chain up to one that
    # names everything; keeping them kept 402 KB of cytoolz's 1.5 MB.
    text = (
        "int everything;\nstatic int bug(void) { return 1; }\n"
        "static int init(void) { return bug() + everything; }\n"
        "int module(void) { return init(); }\n"
    )
    texts = [c.text for c in FocusPass(frozenset({"bug"})).candidates(text)]
    assert "everything" not in texts[0] and "init" not in texts[0]
    assert "int bug(void) { return 1; }" in texts[0] and "static" not in texts[0]
    # With its callers kept nothing would go: no other cut.
    assert len(texts) == 1


def test_an_invocation_over_several_lines_is_one_unsure_item() -> None:
    # msgspec's `PyDoc_STRVAR(Raw__doc__,\n"Raw(msg=\"\", /)\n" ...);`: the parentheses
    # close lines later, past a string holding parentheses of its own.
    text = (
        "#define DOC(name, s) static const char name[] = s\n"
        'DOC(doc_f,\n"f(x)\\n"\n"--)\\n");\n'
        "int unused;\nconst char *bug(void) { return doc_f; }\n"
    )
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert 'DOC(doc_f,\n"f(x)\\n"\n"--)\\n");' in first and "unused" not in first
    # An unclosed call split by a directive is no invocation: it stays one declaration.
    split = "int unused = F(1,\n#if X\n 2\n#endif\n);\nint bug(void) { return 1; }\n"
    assert "unused" not in next(FocusPass(frozenset({"bug"})).candidates(split)).text


def test_an_inlined_callee_is_kept_whole_when_the_focus_alone_fails() -> None:
    # msgspec: the oracle names the function the code ended up in (json_encode_str); the
    # relocation came from an always-inline helper whose body the first cuts emptied.
    text = (
        "#define INLINE __attribute__((always_inline)) inline\n"
        "int table[4];\nint unused;\n"
        "static INLINE int helper(int i) { return table[i]; }\n"
        "static int other(int i) { return unused + i; }\n"
        "static int bug(int i) { return helper(i) + other(i); }\n"
        "int caller(void) { return bug(1); }\n"
    )
    texts = [c.text for c in FocusPass(frozenset({"bug"})).candidates(text)]
    with_helper = [t for t in texts if "return table[i];" in t]
    assert with_helper, texts
    # First the inline callees only, the focus made external and its caller left out.
    assert "return unused + i;" not in with_helper[0] and "caller" not in with_helper[0]
    assert "\nint bug(int i)" in with_helper[0]
    assert any("return unused + i;" in t and "return table[i];" in t for t in texts)


def test_a_macro_only_a_header_reads_stays_with_its_include_in_the_narrowing() -> None:
    # duktape.c: `#define DUK_COMPILING_DUKTAPE` before `#include "duktape.h"`, whose #if
    # then defines the macros the code calls; nothing in the text mentions it after the
    # comments pass. A macro the text itself uses, one that names something, or one after
    # the last include, is followed (or cut) as before.
    text = (
        "#define COMPILING_LIB\n"
        "#define UNUSED_BEFORE 1\n"
        "#define USED_BEFORE 2\n"
        "#define ALIAS_BEFORE other_name\n"
        "int not_needed = UNUSED_BEFORE;\n"
        '#include "lib.h"\n'
        "#define UNUSED_AFTER\n"
        "int bug(void) { return USED_BEFORE; }\n"
        "int other(void) { return 2; }\n"
    )
    first_half = next(c.text for c in FocusPass().candidates(text))
    assert "#define COMPILING_LIB" in first_half and "#define USED_BEFORE 2" in first_half
    assert "UNUSED_BEFORE" not in first_half and "UNUSED_AFTER" not in first_half
    assert "ALIAS_BEFORE" not in first_half  # not a flag: it names something
    assert "int bug(void) { return USED_BEFORE; }" in first_half and "other" not in first_half
    # Without an include after it, an unused flag goes.
    without = text.replace('#include "lib.h"\n', "")
    assert "COMPILING_LIB" not in next(c.text for c in FocusPass().candidates(without))
    # A focus cut (it has fallbacks) does not keep them: on sqlite3.c and zstd.c they
    # cost it 3-5 KB.
    assert "COMPILING_LIB" not in next(FocusPass(frozenset({"bug"})).candidates(text)).text


def test_bisection_drops_a_storage_macro_from_a_header() -> None:
    # duktape's builtins: `DUK_INTERNAL` (static, in a header) on a function only a table
    # names: the half that holds it must make it external to be emitted at all.
    text = (
        "LIB_INTERNAL_DECL int builtin(int x);\n"
        "LIB_INTERNAL int builtin(int x) { return x + 1; }\n"
        "static int (*const table[])(int) = { builtin };\n"
        "int other(void) { return 2; }\n"
    )
    halves = [c.text for c in FocusPass().candidates(text)][0:2]
    assert "int builtin(int x);\nint builtin(int x) { return x + 1; }\n" in halves[0]
    assert "LIB_INTERNAL" not in halves[0] and "other" not in halves[0]


def test_names_made_by_token_pasting_are_followed() -> None:
    # sqlite3.c's window functions: `WINDOWFUNCX(name, ...)` expands to
    # `name ## StepFunc, name ## FinalizeFunc`, so the functions (and the #define that
    # stands for one of them) are named nowhere in the text.
    text = (
        "#define FUNCS(name) { name ## Step, name ## Final }\n"
        "#define rankFinal rankValue\n"
        "static void rankStep(void) {}\n"
        "static void rankValue(void) {}\n"
        "static void otherStep(void) {}\n"
        "void bug(void) { static void (*const table[])(void) = FUNCS(rank); }\n"
    )
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert "static void rankStep(void) {}" in first and "#define rankFinal rankValue" in first
    assert "static void rankValue(void) {}" in first and "otherStep" not in first


def test_a_typedef_enum_declares_its_enumerators() -> None:
    # zstd.c's `typedef enum { HUF_flags_bmi2 = (1 << 0), ... } HUF_flags_e;`: a kept
    # function that uses only an enumerator still needs the typedef.
    text = (
        "typedef enum { FLAG_A = (1 << 0), FLAG_B = sizeof(int) } flags_e;\n"
        "int unused;\n"
        "int bug(int f) { return f & FLAG_B; }\n"
    )
    first = next(FocusPass(frozenset({"bug"})).candidates(text)).text
    assert "typedef enum" in first and "unused" not in first


def test_a_storage_macro_after_static_goes_with_it() -> None:
    # uvloop's loop.c (Cython 3): `static CYTHON_INLINE PyObject *f(...)`, CYTHON_INLINE
    # being `__inline__`. The cut dropped `static` and kept the macro: a C99 inline
    # definition, never emitted, so the planted bug was gone from the cut.
    text = (
        "#define MY_INLINE __inline__ __attribute__ ((__unused__))\n"
        "int regions[4];\n"
        "static MY_INLINE int *helper(int x);\n"
        "int other(void) { return 2; }\n"
        "static MY_INLINE int *helper(int x) { return &regions[x]; }\n"
    )
    first = next(FocusPass(frozenset({"helper"})).candidates(text)).text
    assert "\nint *helper(int x) {" in first and "\nint *helper(int x);" in first, first
    assert "other" not in first and "int regions[4];" in first


def test_a_type_macro_is_not_taken_for_storage() -> None:
    # itertoolz.c: CYTHON_INLINE went at one narrowing, then PY_UINT64_T (a type) at the
    # next, and the prototype no longer compiled.
    text = (
        "CYTHON_INLINE PY_UINT64_T version(void *obj);\n"
        "PY_UINT64_T version(void *obj) { return 1; }\n"
        "int other(void) { return 2; }\n"
    )
    halves = [c.text for c in FocusPass().candidates(text)][0:2]
    assert halves[0].startswith("PY_UINT64_T version(void *obj);\nPY_UINT64_T version(")


def test_the_one_function_left_is_narrowed_by_its_statements() -> None:
    # itertoolz.c: the module-init function left by the bisection names every type
    # object; the bug is in one statement. Labels stay in every half, declarations while
    # a kept statement names them, and what only the dropped statements named goes.
    statements = "".join(f"  use(&type{i});\n" for i in range(8))
    text = (
        "int use(void *p);\n"
        + "".join(f"struct T type{i};\n" for i in range(8))
        + "struct T { int a; };\n"
        + "int init(void) {\n  int status = 0;\n"
        + statements.replace("use(&type5);", "bug(&type5);")
        + "  if (status) goto error;\n  return 0;\nerror:;\n  return -1;\n}\n"
    )

    def interesting(candidate: str) -> bool:
        # compiles (as far as this test knows) and keeps the bug
        needed = ("bug(&type5);", "struct T type5;", "error:;")
        return (
            all(piece in candidate for piece in needed)
            and ("goto error" not in candidate or "error:;" in candidate)
            and ("(status)" not in candidate or "int status = 0;" in candidate)
        )

    result = reduce_under(FocusPass(), text, interesting)
    assert "bug(&type5);" in result and "error:;" in result
    assert "use(&type" not in result and "type4" not in result and "type6" not in result
    # the declaration went with the only statement that named it
    assert "status" not in result


def test_body_statements_keep_declarations_and_labels() -> None:
    from reducer.passes.focus import body_statements

    body = " int a = 1; T *p; f(a); if (a) { g(); } else h(); done: return a; x = 2;"
    split = body_statements(body, 0, len(body))
    assert split is not None
    droppable, staying = ([body[s:e] for s, e in spans] for spans in split)
    assert staying == ["int a = 1;", "T *p;", "done: return a;"]
    assert droppable == ["f(a);", "if (a) { g(); } else h();", "x = 2;"]
    assert body_statements(" #if X\n f();\n#endif\n", 0, 19) is None


def test_narrowing_parts_halve_what_the_parts_before_left() -> None:
    assert narrowing_parts([]) == narrowing_parts([5]) == []
    assert narrowing_parts([1, 1]) == [(0, 1), (1, 2)]
    assert narrowing_parts([1, 1, 1]) == [(0, 1), (1, 2), (2, 3), (1, 3)]
    assert narrowing_parts([1] * 64) == [(0, 32), (32, 48), (48, 56), (56, 60), (60, 64), (32, 64)]
    # By size: a big unit is a part of its own, and the halves add up closest to half.
    assert narrowing_parts([1, 1, 100, 1, 1]) == [(0, 2), (2, 3), (3, 4), (4, 5), (2, 5)]
    assert narrowing_parts([100, 1, 1, 1]) == [(0, 1), (1, 2), (2, 3), (3, 4), (1, 4)]
    assert narrowing_parts([3, 1, 1, 1, 2]) == [(0, 2), (2, 4), (4, 5), (2, 5)]
    for count in range(2, 120):
        for weights in ([1] * count, [1 + (i * 7919) % 97 for i in range(count)]):
            parts = narrowing_parts(weights)
            second = (parts[0][1], count)
            chain = parts[:-1] if parts[-1] == second and len(parts) > 2 else parts
            # The chain covers every unit once, each part at least one unit; the rest
            # after the first part comes last unless the chain ends with it.
            assert chain[0][0] == 0 and chain[-1][1] == count and second in parts
            assert all(a[1] == b[0] for a, b in itertools.pairwise(chain))
            assert all(end > start for start, end in chain)
            assert len(chain) <= CHAIN_DEPTH + 1


def test_narrowing_groups_end_with_the_halves_and_their_callers() -> None:
    names = [f"f{i}" for i in range(9)]
    groups = narrowing_groups(names)
    assert [sorted(g) for g, _ in groups[:3]] == [names[:4], names[4:6], names[6:7]]
    assert [callers for _, callers in groups] == [False] * 6 + [True] * 2
    assert groups[-2][0] == frozenset(names[:4]) and groups[-1][0] == frozenset(names[4:])
    assert narrowing_groups(["only"]) == []
    # By size, the parts; by count, the halves with callers.
    sized = narrowing_groups(["a", "b", "main"], [10, 10, 50])
    assert [sorted(g) for g, callers in sized if not callers] == [["a", "b"], ["main"]]
    assert [sorted(g) for g, callers in sized if callers] == [["a"], ["b", "main"]]


def test_the_body_narrowing_keeps_half_of_the_statements_first() -> None:
    statements = "".join(f"  g{i}();\n" for i in range(12))
    text = "".join(f"void g{i}(void);\n" for i in range(12))
    text += "void f(void) {\n" + statements + "}\n"
    first, second = [c.text for c in FocusPass().candidates(text)][:2]
    assert [f"g{i}();" in first for i in range(12)] == [True] * 6 + [False] * 6
    assert "void g7(void);" not in first and "void g0(void);" in first
    assert [f"g{i}();" in second for i in range(12)] == [False] * 6 + [True] * 3 + [False] * 3


def test_the_narrowing_keeps_what_the_oracles_words_point_at_first() -> None:
    # regex.c with a script that greps for the planted table: the function that uses it
    # is the file's last, the halves' worst case; the hint finds it in one call, then
    # the statement that uses it in one more.
    text = "int table[3];\n" + "".join(f"void g{i}(void);\n" for i in range(12))
    text += "".join(f"void f{i}(void) {{ g{i}(); }}\n" for i in range(10))
    statements = "".join(f"  g{i}();\n" for i in range(12)).replace("g9();", "table[1] = 2;")
    text += "void last(void) {\n  int status = 0;\n" + statements + "}\n"
    script_words = frozenset({"grep", "R_X86_64_32S", "table", "kexec", "purgatory"})
    first = next(iter(FocusPass(hints=script_words).candidates(text)))
    assert first.kind == NARROWING
    assert "void last(void)" in first.text and "table[1] = 2;" in first.text
    assert "f0" not in first.text and "f9" not in first.text and "g0();" in first.text
    second = next(iter(FocusPass(hints=script_words).candidates(first.text)))
    body = second.text[second.text.index("void last") :]
    assert "table[1] = 2;" in body and "g0();" not in body
    assert "int status" not in body  # no kept statement names it
    # A function the words name (a crash's "on function '@f3'") comes before those that
    # mention a word.
    named = next(iter(FocusPass(hints=frozenset({"f3", "table"})).candidates(text)))
    assert "void f3(void) { g3(); }" in named.text and "void last" not in named.text


def test_hints_that_point_at_nothing_or_everything_change_no_candidate() -> None:
    text = "int t;\n" + "".join(f"void f{i}(void) {{ t = {i}; }}\n" for i in range(6))
    plain = [c.text for c in FocusPass().candidates(text)]
    for hints in (frozenset({"grep", "clang"}), frozenset({"t"}), frozenset()):
        assert [c.text for c in FocusPass(hints=hints).candidates(text)] == plain
    # With a focus the oracle leads: the hints are not looked at.
    focused = [c.text for c in FocusPass(frozenset({"f2"})).candidates(text)]
    hinted = FocusPass(frozenset({"f2"}), hints=frozenset({"f5"})).candidates(text)
    assert [c.text for c in hinted] == focused


def test_the_rarest_hint_leads_and_a_common_one_is_not_a_part() -> None:
    # sqlite3.c with a script that greps for `hexdigits` and compiles `sqlite3.c`: the
    # file's name is a type there, named by hundreds of functions.
    text = "struct db { int n; };\nconst char hexdigits[16];\n"
    text += "".join(f"int f{i}(struct db *p) {{ return p->n + {i}; }}\n" for i in range(16))
    text += "int hex(void) { return hexdigits[1]; }\nint g(void) { return 2; }\n"
    hints = frozenset({"db", "hexdigits", "grep"})
    parts = [c.text for c in FocusPass(hints=hints).candidates(text)][:2]
    assert "int hex(void)" in parts[0] and "int f0" not in parts[0]
    # `db` is in 16 of 18 functions: not a part of its own, the halves come next.
    assert "int hex(void)" not in parts[1]


def _tables_and_their_language(entries: int) -> str:
    tables = "".join(
        f"static const unsigned short table{i}[] = {{{', '.join(['1'] * entries)}}};\n"
        for i in range(12)
    )
    return (
        "typedef struct { const unsigned short *t[12]; } Language;\n"
        + tables
        + 'int target[4] __attribute__((section(".kexec-purgatory")));\n'
        + "const Language *language(void) {\n"
        + "  { const void *volatile probe = target; (void)probe; }\n"
        + "  static const Language it = {{"
        + ", ".join(f"table{i}" for i in range(12))
        + "}};\n  return &it;\n}\n"
    )


def test_a_focus_function_that_reaches_most_of_a_big_text_is_narrowed_first() -> None:
    # tree-sitter's parser.c: the function the oracle names declares a static struct
    # pointing at every table of the 3.9 MB file; its focus cut kept 96% of it. The
    # narrowing keeps one of its statements, and only what that one reaches, first.
    text = _tables_and_their_language(6000)
    assert len(text) > FINE_MAX_BYTES

    def interesting(candidate: str) -> bool:  # the bug, and it compiles (as far as known)
        return (
            "probe = target;" in candidate
            and "int target[4]" in candidate
            and ("&it;" not in candidate or "Language it" in candidate)
        )

    first = next(iter(FocusPass(frozenset({"language"})).candidates(text)))
    assert first.kind == NARROWING and interesting(first.text)
    assert "table3" not in first.text and "Language it" not in first.text
    assert len(first.text) < 500
    # the same function in a small text: the `statements` pass narrows it, not focus
    small = FocusPass(frozenset({"language"})).candidates(_tables_and_their_language(4))
    assert all(candidate.kind != NARROWING for candidate in small)


def test_a_big_cut_that_is_mostly_a_kept_tables_data_is_tried_without_it_first() -> None:
    # tree-sitter's parser.c again: the narrowing keeps the one planted table, 1.2 MB of
    # numbers; the function needs its address, so the cut without the data comes first,
    # and the cut with it right after (for an oracle that reads the data).
    numbers = ", ".join(str(i % 251) for i in range(FINE_MAX_BYTES // 4))
    text = (
        "typedef unsigned short u16;\n"
        f'static const u16 table[] __attribute__((section(".kexec-purgatory"))) = {{{numbers}}};\n'
        "static const int small[] = {1, 2, 3};\n"
        "int other(void) { return 4; }\n"
        "const void *f(int i) { return &table[i] + small[i]; }\n"
    )
    assert len(text) > FINE_MAX_BYTES
    candidates = FocusPass(frozenset({"f"})).candidates(text)
    light, heavy = next(candidates), next(candidates)
    assert 'static const u16 table[] __attribute__((section(".kexec-purgatory")));' in light.text
    assert "small[] = {1, 2, 3};" in light.text and "other" not in light.text
    assert len(light.text) < 400
    assert heavy.text.replace(f" = {{{numbers}}}", "") == light.text
    # a cut whose data is small is not doubled
    small_text = text.replace(numbers, "1, 2")
    first = next(FocusPass(frozenset({"f"})).candidates(small_text))
    assert "{1, 2}" in first.text


def test_a_declaration_stays_for_a_statement_that_names_it_through_a_macro() -> None:
    from reducer.passes.focus import _items, _macro_words, _unneeded_declarations

    # Cython's __PYX_ERR(...) sets the function's own __pyx_lineno: the statement does
    # not spell the local, the macro does.
    text = (
        "#define ERR(n) { lineno = n; goto bad; }\n"
        "int f(void) {\n  int lineno = 0;\n  int unused = 1;\n  int other = 2;\n"
        "  if (g()) ERR(3);\n  return other;\nbad:;\n  return -1;\n}\n"
    )
    body_start = text.index("{\n  int") + 1
    statements = body_statements(text, body_start, text.rindex("}"))
    assert statements is not None
    droppable, staying = statements
    kept = [span for span in droppable if "ERR(3)" in text[span[0] : span[1]]]
    unneeded = _unneeded_declarations(text, staying, kept, _macro_words(_items(text)))
    assert [text[start:end] for start, end in unneeded] == ["int other = 2;", "int unused = 1;"]


_BRACE_TEXT_PIECES = [
    "{", "}", " ", "\n", "x", "/", "a / b", "'}'", '"{"', '"\\"}"', "/* } */", "// }\n",
    "\n#if A\n", "\n  #else\n", "\n# endif\n", "\n#ifdef __cplusplus\n", "#", "\n#define X {\n",
    "'\\''", "\\\n",
]  # fmt: skip


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_BRACE_TEXT_PIECES), max_size=40), st.data())
def test_closing_brace_agrees_with_the_plain_scan(pieces: list[str], data: st.DataObject) -> None:
    # _closing_brace finds braces with a one-character pattern and gives only the rest
    # to the full pattern; it must end where scanning with the full pattern alone does.
    from reducer.passes.focus import _INNER_RE, _BraceDepth, _closing_brace

    text = "".join(pieces)
    opens = [index for index, char in enumerate(text) if char == "{"]
    if not opens:
        return
    opened = data.draw(st.sampled_from(opens))
    depth, position, expected = _BraceDepth(), opened + 1, len(text)
    while (match := _INNER_RE.search(text, position)) is not None:
        position = match.end()
        if match.lastgroup == "punct" and depth.punct(match.group()):
            expected = position
            break
        if match.lastgroup == "directive":
            depth.directive(match.group())
    assert _closing_brace(text, opened) == expected


def test_closing_brace_sees_an_indented_directive() -> None:
    from reducer.passes.focus import _closing_brace

    # sqlite3.c's `while( ... ){` once per branch: only the first branch counts
    text = "f() {\n#if A\n  if (a) {\n  #else\n  if (b) {\n  #endif\n  }\n}\nint after;"
    assert text[_closing_brace(text, text.index("{")) :] == "\nint after;"

"""The libclang binding: what it extracts and that spans are str indices into the text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reducer import libclang
from reducer.libclang import parse

pytestmark = pytest.mark.usefixtures("need_libclang")


def spelled(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def test_spans_are_str_indices_after_multibyte_text() -> None:
    source = "/* größe: ≤ 4 KiB — ünïcödé */\nint add(int left, long right) { return left; }\n"
    unit = parse(source)
    assert unit.ok
    (function,) = unit.functions
    assert function.name == "add"
    assert function.is_definition and not function.is_variadic
    assert spelled(source, function.extent) == "int add(int left, long right) { return left; }"
    assert [spelled(source, p.extent) for p in function.params] == ["int left", "long right"]
    assert [p.name for p in function.params] == ["left", "right"]
    assert spelled(source, function.body) == "{ return left; }"
    assert function.location == source.index("add")
    # `left` is used, `right` is not.
    assert unit.is_referenced(function.params[0].location)
    assert not unit.is_referenced(function.params[1].location)


def test_calls_with_callee_and_argument_spans() -> None:
    source = (
        "int g(int a, int b);\n"
        "int (*fp)(int, int) = g;\n"
        "int h(int x) { return g(x + 1, (int)2L) + fp(x, x); }\n"
    )
    unit = parse(source)
    direct, indirect = unit.calls
    assert direct.callee == "g"
    assert [spelled(source, arg) for arg in direct.args] == ["x + 1", "(int)2L"]
    assert spelled(source, direct.extent) == "g(x + 1, (int)2L)"
    assert direct.location == source.index("g(x")
    assert indirect.callee is None  # through a pointer: no function to edit
    # g is used twice: once as a callee, once for its address.
    uses = [ref.location for ref in unit.decl_refs if ref.is_function and ref.name == "g"]
    assert uses == [source.index("g;"), source.index("g(x")]


def test_macros_and_headers_have_no_spans() -> None:
    source = (
        "#include <stddef.h>\n"
        "#define TWICE(v) g((v), (v))\n"
        "#define ONE 1\n"
        "int g(size_t a, int b);\n"
        "int h(int x) { return TWICE(x) + g(x, ONE); }\n"
    )
    unit = parse(source)
    assert unit.ok
    in_macro, with_macro_argument = unit.calls
    assert in_macro.callee == "g" and in_macro.extent is None and in_macro.location is None
    assert in_macro.args == (None, None)
    assert with_macro_argument.extent is not None
    assert [spelled(source, arg) for arg in with_macro_argument.args] == ["x", None]
    (g,) = [f for f in unit.functions if f.name == "g"]
    assert spelled(source, g.params[0].extent) == "size_t a"
    # Nothing of stddef.h is walked; its typedefs are simply not listed.
    assert [f.name for f in unit.functions] == ["g", "h"]


def test_code_expanded_from_a_macro_is_walked() -> None:
    source = (
        "struct S { int a; int b; };\n"
        "int g(int x);\n"
        "#define GETTER(name, field) int name(struct S *s) { return g(s->field); }\n"
        "GETTER(get_b, b)\n"
    )
    unit = parse(source)
    assert unit.ok
    (call,) = unit.calls
    assert call.callee == "g" and call.location is None  # seen, though not editable
    (record,) = unit.records
    assert [unit.is_referenced(field.location) for field in record.fields] == [False, True]


def test_header_functions_are_listed_without_spans() -> None:
    unit = parse("#include <stdlib.h>\nint f(void) { return abs(-1); }\n")
    assert unit.ok
    header = [f for f in unit.functions if f.name == "abs"]
    assert header and header[0].location is None and header[0].extent is None


def test_builtins_are_marked_by_their_implicit_attributes() -> None:
    source = "double fabs(double x);\nint g(int a) __attribute__((noinline));\nint g(int a);\n"
    functions = {(f.name, f.implicit_attributes) for f in parse(source).functions}
    assert functions == {("fabs", True), ("g", False)}


def test_records_fields_and_member_references() -> None:
    source = (
        "#include <stddef.h>\n"
        "struct S { int a; long b, *c; struct { int x; } in; char s[4]; };\n"
        "union U { int i; float f; };\n"
        "struct S d = { .a = 1 };\n"
        "int f(struct S *p) { return p->in.x + offsetof(struct S, s); }\n"
    )
    unit = parse(source)
    assert unit.ok
    s, anonymous, u = unit.records
    assert (s.kind, s.name, u.kind, u.name, anonymous.name) == ("struct", "S", "union", "U", "")
    assert [field.name for field in s.fields] == ["a", "b", "c", "in", "s"]
    assert [spelled(source, field.extent) for field in s.fields] == [
        "int a",
        "long b",
        "long b, *c",  # declarators sharing a type share its start
        "struct { int x; } in",
        "char s[4]",
    ]
    assert [field.is_aggregate for field in s.fields] == [False, False, False, True, True]
    assert [field.name for field in anonymous.fields] == ["x"]  # listed once, not twice
    used = {
        field.name
        for record in unit.records
        for field in record.fields
        if unit.is_referenced(field.location)
    }
    # `->in`, `.x`, the designator `.a` and offsetof's `s` (inside a macro) all count.
    assert used == {"a", "in", "x", "s"}


def test_initializer_lists_as_written() -> None:
    source = (
        "struct P { int x; int y[2]; };\n"
        'struct Q { struct P p; char s[3]; } q = { { 1, {2, 3} }, "ab" };\n'
        "int a[2] = {4, 5};\n"
    )
    unit = parse(source)
    lists = {spelled(source, init.extent): init for init in unit.init_lists}
    outer = lists['{ { 1, {2, 3} }, "ab" }']
    assert outer.record == source.index("Q {")
    assert [(spelled(source, e.extent), e.is_list, e.is_aggregate) for e in outer.elements] == [
        ("{ 1, {2, 3} }", True, True),
        ('"ab"', False, True),
    ]
    inner = lists["{ 1, {2, 3} }"]
    assert inner.record == source.index("P {")
    assert [spelled(source, e.extent) for e in inner.elements] == ["1", "{2, 3}"]
    # Lists of arrays carry no record and no elements.
    assert lists["{4, 5}"].record is None and lists["{4, 5}"].elements == ()


def test_errors_are_reported_and_the_walk_still_runs() -> None:
    unit = parse("int f(void) { return 1 }\nint g(int a) { return a; }\n")
    assert not unit.ok
    assert any("expected ';'" in message for message in unit.errors)
    assert [f.name for f in unit.functions] == ["f", "g"]
    # C17 has no implicit declarations; clang 16+ makes that an error even with -w.
    assert not parse("int f(void) { return undeclared(); }\n").ok


def test_extra_arguments_reach_the_parser() -> None:
    source = "#ifndef OK\n#error not configured\n#endif\nint f(int a);\n"
    assert parse(source).errors == ("not configured",)
    assert parse(source, ["-DOK"]).ok


def test_parses_are_cached_by_text_and_arguments() -> None:
    source = "int cached(int a);\n"
    assert parse(source) is parse(source)
    assert parse(source) is not parse(source, ["-DX"])


def test_an_error_in_the_visitor_is_raised_after_the_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, cursor: object, parent: object) -> None:
        raise ValueError("boom")

    monkeypatch.setitem(libclang._Collector.handlers, libclang.FUNCTION_DECL, broken)
    with pytest.raises(ValueError, match="boom"):
        parse("int never_cached_before(int a);\n")


def test_missing_library_is_one_clear_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDUCER_LIBCLANG", "/nonexistent/libclang.so")
    monkeypatch.setattr(libclang, "_library", None)
    monkeypatch.setattr(libclang, "_load_error", None)
    with pytest.raises(libclang.LibclangUnavailable) as raised:
        libclang.load()
    assert "\n" not in str(raised.value)
    assert "REDUCER_LIBCLANG=/nonexistent/libclang.so" in str(raised.value)
    assert not libclang.available()  # remembered, not retried


def test_errors_of_reparsing_agrees_with_a_fresh_parse_as_the_headers_change() -> None:
    # errors_of keeps one unit per thread and reparses it (the headers become a
    # precompiled preamble); whatever the order of texts, it must say what a fresh parse says.
    texts = [
        '#include <stdio.h>\nint f(void) { return printf("x"); }\n',
        "#include <stdio.h>\nint f(void) { return undeclared; }\n",
        '#include <stdio.h>\n#include <string.h>\nint f(void) { return (int)strlen(""); }\n',
        '#include <string.h>\nint f(void) { return printf("x"); }\n',
        "int f(void) { return 0; }\n",
        '#include <stdio.h>\nint f(void) { return printf("x"); }\n',
        # what follows the includes changes, the includes and what comes before them not
        "/* c */\n#define N 2\n#include <stdio.h>\n#define M N\nint f(void) { return M; }\n",
        "#define N 2\n\n#include <stdio.h>\n#define M N\nint f(void) { return Q; }\n",
        "#define N 3\n#include <stdio.h>\n#undef N\nint f(void) { return N; }\n",
        "#if 1\n#include <stdio.h>\n#endif\nint f(void) { return printf(1); }\n",
    ]
    library = libclang.load()
    for text in texts:
        data = text.encode()
        with libclang._translation_unit(library, data, ()) as (unit, _):
            fresh = libclang._errors(library, unit)
        assert libclang.errors_of(text) == fresh, text
    assert libclang.errors_of(texts[1]) == ("use of undeclared identifier 'undeclared'",)


def test_parse_through_the_reparsed_unit_agrees_with_a_fresh_parse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # parse() of a text that starts with #include lines goes through the thread's
    # reparsed unit, parsed as its preamble + rest: every span must still be an index
    # into the text itself, after multibyte characters before and after the includes.
    texts = [
        "// größe ≤ 4\n#include <stdio.h>\n\n#define N 2 /* ünï */\n"
        "struct S { int a, b; };\nstatic int g = N;\nint f(struct S *s, int u) {\n"
        '  const char *t = "ü"; struct S v = {1, 2};\n  return printf(t) + s->a + g + v.b;\n}\n',
        "#include <string.h>\n#include <stdio.h>\nint h(int x);\n"
        'int k(void) { return h((int)strlen("é")); }\n',
        "#include <stdio.h>\nint broken(void) { return undeclared; }\n",
    ]
    walked: list[bytes] = []
    original_walk = libclang._Reparsed.walk

    def counted(self: libclang._Reparsed, data: bytes, visit: Any) -> Any:
        walked.append(data)
        return original_walk(self, data, visit)

    monkeypatch.setattr(libclang._Reparsed, "walk", counted)
    library = libclang.load()
    for text in texts:
        data = text.encode()
        with libclang._translation_unit(library, data, ()) as (unit, name):
            fresh = libclang._walk(library, unit, name, text, libclang._Offsets(text, data))
        assert parse(text) == fresh, text
    assert len(walked) == len(texts)  # each took the reparsed path
    assert parse(texts[0]).functions[-1].name == "f"
    assert parse(texts[2]).errors == ("use of undeclared identifier 'undeclared'",)


def test_errors_of_leaves_nothing_in_the_temporary_directory(tmp_path: Path) -> None:
    script = (
        "from reducer import libclang; print(libclang.errors_of('#include <stdio.h>\\nint x;\\n'))"
    )
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    finished = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert finished.stdout.strip() == "()"
    assert list(tmp_path.iterdir()) == []


def test_release_units_removes_every_threads_parser_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A command run in-process (tests, notebooks) must leave TMPDIR as it found it: the
    # CLI calls release_units when a command ends, for the units of all its threads.
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    text = "#include <stdio.h>\nint f(void) { return undeclared; }\n"
    expected = ("use of undeclared identifier 'undeclared'",)
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(libclang.errors_of, text).result() == expected
        assert libclang.errors_of(text, ("-DX",)) == expected
        assert len(list(tmp_path.iterdir())) == 2  # the pool's thread's and this thread's
        libclang.release_units()
        assert list(tmp_path.iterdir()) == []
        # a released thread parses again, afresh, with the right answer
        assert pool.submit(libclang.errors_of, text).result() == expected
    libclang.release_units()
    assert list(tmp_path.iterdir()) == []


def test_the_preamble_is_the_leading_directives_through_the_last_include() -> None:
    # libclang reuses a preamble only while it is byte for byte the same: comments and
    # blank lines among the leading directives are left out, and a declaration ends it
    # right after the includes, so edits to what follows them keep it.
    text = '/* licence */\n#define CLEAN\n\n#include <a.h>\n// x\n#include "b.h"\n#define M 1\nint a;\n'
    preamble, rest = libclang.preamble_and_rest(text)
    assert preamble == '#define CLEAN\n#include <a.h>\n#include "b.h"\n' + libclang.PREAMBLE_BOUND
    assert rest == "\n#define M 1\nint a;\n"
    edited = text.replace("/* licence */", "").replace("M 1", "M 2").replace("\n\n", "\n")
    assert libclang.preamble_and_rest(edited)[0] == preamble
    # no leading includes, or an #if before them: nothing is moved
    for text in ("int a;\n#include <a.h>\n", "#ifndef G\n#include <a.h>\n#endif\n"):
        assert libclang.preamble_and_rest(text) == ("", text)

"""Oracle-guided slicing: DWARF lines of the bad relocations, and the statement cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.compiler import CompileCommand
from reducer.oracles import OracleSpec
from reducer.passes.reslice import ReslicePass
from reducer.passes.slice import SlicePass, slice_function
from reducer.reloclines import offending_lines
from tests.conftest import LARGE_O0

SOURCE = """\
struct region { unsigned long start, len; };
struct region regions[4] __attribute__((section(".kexec-purgatory")));
void update(const void *p, unsigned long n);
int verify(void)
{
\tstruct region *p, *end;
\tint unused = 3;
\tend = regions + 4;
\tfor (p = regions; p < end; p++) {
\t\tint inner = 1;
\t\tupdate((void *)p->start, p->len + inner);
\t}
\treturn unused;
}
"""


def test_slice_keeps_only_the_statements_on_the_lines() -> None:
    sliced = slice_function(SOURCE, "verify", frozenset({8}))
    assert sliced is not None
    body = sliced[sliced.index("int verify(void)") :]
    assert body == "int verify(void)\n{\nend = regions + 4;\n}\n"


def test_slice_with_declarations_flattens_nested_ones_once() -> None:
    sliced = slice_function(SOURCE, "verify", frozenset({8, 9}), keep_declarations=True)
    assert sliced is not None
    body = sliced[sliced.index("{\n", sliced.index("int verify")) :]
    assert body.splitlines()[1:5] == [
        "struct region *p, *end;",
        "int unused = 3;",
        "end = regions + 4;",
        "for (p = regions; p < end; p++) {",
    ]
    assert "int inner = 1;" in body  # the loop body comes whole with its statement


def test_slicing_all_functions_at_once_equals_one_at_a_time_last_first() -> None:
    second = SOURCE.replace("verify", "check").replace("regions + 4", "regions + 2")
    text = SOURCE + second
    offset = SOURCE.count("\n")
    lines = {"verify": frozenset({8}), "check": frozenset({offset + 8, offset + 9})}
    slicer = SlicePass(text, lines)
    together = [c.text for c in slicer.candidates(text)]
    for keep, cut in zip((False, True), together[:2], strict=True):
        one_by_one = slice_function(text, "check", lines["check"], keep)
        assert one_by_one is not None
        one_by_one = slice_function(one_by_one, "verify", lines["verify"], keep)
        assert cut == one_by_one
    assert "end = regions + 2;" in together[0] and "int unused" not in together[0]
    assert len(together) == 2  # one function at a time is the reslice pass's


def test_reslice_one_function_at_a_time_last_first_where_its_body_is_unchanged() -> None:
    second = SOURCE.replace("verify", "check").replace("regions + 4", "regions + 2")
    offset = SOURCE.count("\n")
    lines = {"verify": frozenset({8}), "check": frozenset({offset + 8, offset + 9})}
    original = SOURCE + second
    # As after the first cut: a declaration gone and two lines added above both functions.
    text = "int added;\n\n" + original.replace("void update(const void *p, unsigned long n);\n", "")
    reslicer = ReslicePass(original, lines)
    cuts = list(reslicer.candidates(text))
    assert len(cuts) == 4  # last first, each without and with its declarations
    for keep, cut in zip((False, True), cuts[:2], strict=True):
        # check's lines, found where check now is: the same cut as on the original
        expected = slice_function(original, "check", lines["check"], keep)
        assert expected is not None
        moved = "int added;\n\n" + expected.replace(
            "void update(const void *p, unsigned long n);\n", ""
        )
        assert cut.text == moved
        assert "int verify(void)\n{\n\tstruct" in cut.text  # verify untouched
    assert "int check(void)\n{\n\tstruct" in cuts[2].text  # then verify, check untouched
    assert "end = regions + 4;\n}" in cuts[2].text
    # resumed after check: only verify's
    assert [c.text for c in reslicer.candidates(text, cuts[0].resume)] == [c.text for c in cuts[2:]]
    # a body changed since the original says nothing about its lines
    changed = text.replace("int unused = 3;", "int unused = 4;", 1)
    assert len(list(reslicer.candidates(changed))) == 2
    # one offending function: the slice pass's cut was all there was
    assert list(ReslicePass(SOURCE, {"verify": frozenset({8})}).candidates(SOURCE)) == []


def test_slice_pass_only_acts_on_the_original() -> None:
    slicer = SlicePass(SOURCE, {"verify": frozenset({8})})
    assert len(list(slicer.candidates(SOURCE))) == 2
    assert list(slicer.candidates(SOURCE + "\n")) == []
    assert slice_function(SOURCE, "nonexistent", frozenset({8})) is None


@pytest.mark.compilers
def test_offending_lines_from_a_debug_side_compile(tmp_path: Path, clang19: str) -> None:
    command = CompileCommand.from_user([clang19, *LARGE_O0])
    candidate = tmp_path / "v.c"
    candidate.write_text(SOURCE)
    verdict = OracleSpec("r_x86_64_32s").build(command).check(candidate)
    assert verdict.interesting
    lines = offending_lines(command, SOURCE, "v.c", verdict.relocations)
    assert lines == {"verify": frozenset({8, 9})}
    # The cut built from them is still interesting.
    slicer = SlicePass(SOURCE, lines)
    results = []
    for cut in slicer.candidates(SOURCE):
        candidate.write_text(cut.text)
        results.append(OracleSpec("r_x86_64_32s").build(command).check(candidate))
    assert any(v.interesting for v in results)


def test_a_big_focus_function_is_sliced_whatever_the_file_size() -> None:
    # The -g side compile is skipped over SLICE_MAX_BYTES unless the oracle's functions
    # are big (Cython's module init: only the slice shrinks it at once).
    from reducer.commands.reduce import SLICE_FOCUS_BYTES, focus_bytes

    big = (
        "int f(void) {\n"
        + "  g();\n" * (SLICE_FOCUS_BYTES // 7 + 1)
        + "}\nint h(void) { return 1; }\n"
    )
    assert focus_bytes(big, frozenset({"f"})) >= SLICE_FOCUS_BYTES
    assert focus_bytes(big, frozenset({"h"})) < 20
    assert focus_bytes(big, frozenset()) == 0

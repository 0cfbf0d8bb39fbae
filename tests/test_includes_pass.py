"""The header-inlining pass (reducer.passes.includes): which includes it inlines, what it
rewrites in the inlined text, and that it ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from reducer.passes.includes import InlineIncludesPass


@pytest.fixture
def project(tmp_path: Path) -> Path:
    files = {
        "src/local.h": "#ifndef LOCAL_H\n#define LOCAL_H\nint local;\n#endif\n",
        "include/lib/a.h": '#ifndef A_H\n#define A_H\n#include "b.h"\nint a;\n#endif\n',
        "include/lib/b.h": '#ifndef B_H\n#define B_H\n#include "a.h"\nint b;\n#endif\n',
        "include/once.h": "#pragma once\nstruct once { int x; };\n",
        "include/list.h": "X(one)\nX(two)\n",
        "include/next.h": "#include_next <next.h>\n",
        "sys/sys.h": "int sys;\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def make_pass(project: Path) -> InlineIncludesPass:
    return InlineIncludesPass(
        ["-iquote", str(project / "src"), f"-I{project / 'include'}", "-isystem",
         str(project / "sys")]
    )


def first(p: InlineIncludesPass, text: str) -> str:
    return next(iter(p.candidates(text))).text


def test_quoted_include_from_the_source_directory(project: Path) -> None:
    candidate = next(iter(make_pass(project).candidates('#include "local.h"\nint main;\n')))
    assert candidate.text == "#ifndef LOCAL_H\n#define LOCAL_H\nint local;\n#endif\nint main;\n"
    assert candidate.grows


def test_angle_include_under_minus_i_and_its_local_include_made_absolute(project: Path) -> None:
    text = first(make_pass(project), "#include <lib/a.h>\n")
    assert f'#include "{project}/include/lib/b.h"' in text
    assert "int a;" in text


def test_system_headers_and_unknown_ones_stay(project: Path) -> None:
    p = make_pass(project)
    assert list(p.candidates("#include <sys.h>\n#include <stdio.h>\n#include <next.h>\n")) == []


def test_headers_of_an_installation_prefix_stay(tmp_path: Path) -> None:
    # A pyenv/conda-style Python: <prefix>/{bin,lib,include/python3.11/Python.h}; its
    # headers are an installed library's, like /usr/include's. The same layout without
    # `bin` (a project's own include/ next to its lib/) is the project's, and inlined.
    for prefix, installed in (("python", True), ("project", False)):
        headers = tmp_path / prefix / "include" / "python3.11"
        headers.mkdir(parents=True)
        (headers / "Python.h").write_text("typedef struct _object PyObject;\n")
        (tmp_path / prefix / "lib").mkdir()
        if installed:
            (tmp_path / prefix / "bin").mkdir()
        candidates = list(InlineIncludesPass([f"-I{headers}"]).candidates("#include <Python.h>\n"))
        if installed:
            assert candidates == [], prefix
        else:
            assert [c.text for c in candidates] == ["typedef struct _object PyObject;\n"], prefix


def test_a_cycle_of_guarded_headers_ends(project: Path) -> None:
    """Accept every candidate, as an oracle that likes everything would: it must stop."""
    p = make_pass(project)
    text, resume = "#include <lib/a.h>\nint main;\n", None
    for _ in range(50):
        candidate = next(iter(p.candidates(text, resume)), None)
        if candidate is None:
            break
        text, resume = candidate.text, candidate.resume
    else:
        pytest.fail("the pass kept proposing candidates")
    assert "#include" not in text
    assert text.count("int a;") == 1 and text.count("int b;") == 1


def test_pragma_once_header_inlined_once_with_its_later_includes(project: Path) -> None:
    text = first(make_pass(project), '#include "once.h"\nint x;\n#include <once.h>\n')
    assert text == "struct once { int x; };\nint x;\n"


def test_unguarded_header_is_inlined_at_each_include(project: Path) -> None:
    p = make_pass(project)
    text, resume = "#define X(n) int n;\n#include <list.h>\n#undef X\n#include <list.h>\n", None
    for _ in range(5):
        candidate = next(iter(p.candidates(text, resume)), None)
        if candidate is None:
            break
        text, resume = candidate.text, candidate.resume
    assert text == "#define X(n) int n;\nX(one)\nX(two)\n#undef X\nX(one)\nX(two)\n"


def test_asking_for_the_candidates_after_a_bet_changes_nothing(project: Path) -> None:
    # The engine opens the stream after a candidate it only bets on (speculation); a pass
    # that counted that as an inlining proposed a removal of the next include of a.h
    # instead of inlining it, and the result changed with the worker count.
    p = make_pass(project)
    text = "#include <lib/a.h>\nint main;\n"
    before = [c.text for c in p.candidates(text, None)]
    bet = next(iter(p.candidates(text, None)))
    list(p.candidates(bet.text, bet.resume))  # the stream after the bet, read to its end
    assert [c.text for c in p.candidates(text, None)] == before


def test_a_guard_defined_in_an_earlier_round_makes_the_include_a_removal(project: Path) -> None:
    # A new round starts with no counts: the guard's #define in the text says a.h is in.
    text = "#define A_H\nint a;\n#include <lib/a.h>\n"
    assert first(make_pass(project), text) == "#define A_H\nint a;\n"

"""The `conditionals` pass: #if groups resolved as the compiler takes them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from reducer import libclang
from reducer.passes.conditionals import ConditionalsPass
from reducer.passes.schedules import Halving

pytestmark = pytest.mark.skipif(
    not libclang.available(), reason="LIBCLANG MISSING: install the Debian package libclang1-19"
)

NESTED = (
    "int a;\n"
    "#if 0\nint b;\n#elif 1\nint c;\n"
    "#ifdef X\nint x;\n#else\nint not_x;\n#endif\n"
    "#else\nint d;\n#if 1\nint in_dropped;\n#endif\n#endif\n"
    "#ifdef FOO\n#endif\n"
    "#define Y 1\n#if Y\nint y;\n#endif\n"
    "#if defined(Y) \\\n  && !defined(Z)\nint continued;\n#endif\n"
)


def first(text: str, flags: tuple[str, ...] = ()) -> str:
    return next(ConditionalsPass(flags).candidates(text)).text


def test_every_group_is_resolved_at_once() -> None:
    assert first(NESTED) == (
        "int a;\nint c;\nint not_x;\n#define Y 1\nint y;\nint continued;\n"
    )


def test_the_command_s_macros_decide() -> None:
    assert "int x;\n" in first(NESTED, ("-DX",)) and "not_x" not in first(NESTED, ("-DX",))
    with_z = first(NESTED, ("-DZ",))
    assert "continued" not in with_z and "int y;" in with_z


def test_then_halving_over_the_outermost_groups() -> None:
    candidates = list(ConditionalsPass().candidates(NESTED))
    assert len(candidates) > 2
    assert all(isinstance(c.resume, Halving) for c in candidates[1:])
    # Each later candidate resolves some groups and leaves the others whole.
    assert any("#ifdef FOO" in c.text and "int not_x;\n" in c.text for c in candidates[1:])


def test_unbalanced_or_plain_text_gives_nothing() -> None:
    assert list(ConditionalsPass().candidates("int a;\n#if 1\nint b;\n")) == []
    assert list(ConditionalsPass().candidates("int a;\nint b;\n")) == []
    assert list(ConditionalsPass().candidates("int a;\n#endif\n")) == []


def test_directives_in_comments_and_strings_are_not_groups() -> None:
    text = 'const char *s = "\\n#if 0";\n/*\n#if 0\n*/\n#if 0\nint gone;\n#endif\nint kept;\n'
    assert first(text) == 'const char *s = "\\n#if 0";\n/*\n#if 0\n*/\nint kept;\n'


@pytest.mark.skipif(shutil.which("clang-19") is None, reason="CLANG-19 MISSING")
def test_the_resolved_text_preprocesses_the_same(tmp_path: Path) -> None:
    # What the compiler sees does not change: the point of resolving by clang's answer.
    text = NESTED + "#include <stddef.h>\n#ifdef __x86_64__\nsize_t w;\n#else\nint w;\n#endif\n"

    def preprocessed(source: str, name: str) -> str:
        path = tmp_path / name
        path.write_text(source)
        argv = ["clang-19", "-E", "-P", "-fno-crash-diagnostics", "--target=x86_64-linux-gnu"]
        result = subprocess.run(
            [*argv, str(path)], capture_output=True, text=True, timeout=60, check=True
        )
        return "\n".join(line for line in result.stdout.splitlines() if line.strip())

    resolved = first(text, ("--target=x86_64-linux-gnu",))
    assert "#if" not in resolved and "size_t w;" in resolved and "int w;" not in resolved
    assert preprocessed(resolved, "resolved.c") == preprocessed(text, "original.c")

"""The clang/test/CodeGen test: ``%clang_cc1`` with the cc1 flags that matter, the object
piped to ``llvm-readobj -r``, and the relocation checks.

The flags start as every cc1 unit the driver passed that could matter (see
reducer.emit.driver); each is then dropped if the test still reproduces without it (the
affected clang still shows the behaviour and the fixed one, when known, still does not).
``-triple`` and the optimisation level always stay: a clang test names its target, and the
level documents which code generator is involved.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence

from reducer.emit.header import Header, join_sections
from reducer.emit.reloc_checks import RelocExpectation, check_lines

Unit = tuple[str, ...]
REQUIRES_X86 = "x86-registered-target"  # every clang test here compiles for x86


def always_kept(unit: Unit) -> bool:
    return unit[0] == "-triple" or (unit[0].startswith("-O") and len(unit) == 1)


def minimize_units(units: Sequence[Unit], reproduces: Callable[[list[Unit]], bool]) -> list[Unit]:
    """Greedy one-at-a-time removal in order; ``reproduces(units)`` must hold for the input."""
    kept = list(units)
    index = 0
    while index < len(kept):
        unit = kept[index]
        if always_kept(unit):
            index += 1
            continue
        trial = kept[:index] + kept[index + 1 :]
        if reproduces(trial):
            kept = trial
        else:
            index += 1
    return kept


def flatten(units: Sequence[Unit]) -> list[str]:
    return [token for unit in units for token in unit]


def cc1_prefix(clang: str, resource_include: str | None) -> tuple[str, ...]:
    """What lit's %clang_cc1 expands to for ``clang`` (as in LLVM's own clang test suite)."""
    prefix: tuple[str, ...] = (clang, "-cc1")
    if resource_include:
        prefix += ("-internal-isystem", resource_include)
    return (*prefix, "-nostdsysteminc")


def quote_unit(unit: Unit) -> str:
    return " ".join(shlex.quote(token) for token in unit)


def c_test_run(units: Sequence[Unit]) -> str:
    """The clang-reloc test's RUN command."""
    flags = " ".join(quote_unit(u) for u in units)
    return f"%clang_cc1 {flags} -emit-obj -o - %s | llvm-readobj -r - | FileCheck %s"


def render_c_test(
    header: Header,
    expectation: RelocExpectation,
    description: Sequence[str],
    source_text: str,
) -> str:
    """The clang-reloc test under ``header`` (its RUN line is ``c_test_run``'s)."""
    # clang's own tests check IR, not objects (clang/test/CodeGen/codemodels.c): this one
    # guards the whole pipeline for the nightly; the .ll test is what goes upstream.
    about = [
        *description,
        "Downstream regression test (object checks): the bug is in the backend, "
        "upstream gets the .ll test.",
    ]
    return join_sections(
        header.lines(),
        [*header.comments(about), *check_lines(expectation, "CHECK", "//")],
        source_text.strip("\n").splitlines(),
    )

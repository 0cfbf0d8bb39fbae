"""Standalone reproducers: an upstream test may include no system header (clang's tests
run ``%clang_cc1`` without the system's include paths), so a reduced file that still
``#include``s one is rewritten before emission as the compile command's preprocessor sees
it, and the declarations it does not use are reduced away under the same oracle (the
differential with the fixed compiler when there is one): what stays is what the code uses,
written out (``int snprintf(char *restrict, unsigned long, const char *restrict, ...)``).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, replace

from reducer import libclang
from reducer.emit.reproducer import FIXED_LABEL, Reproducer
from reducer.engine import Engine
from reducer.errors import CompilerError, NotInterestingError
from reducer.executors.local import LocalPoolExecutor
from reducer.inputs import in_user_terms
from reducer.oracles.prefilter import ParsesFirst
from reducer.passes.table import PASS_NAMES, PassContext, build_plan
from reducer.scratch import with_candidate

# `#include <...>` (a system header); project headers ("...") are the reduction's
# business (the includes pass inlines them).
_SYSTEM_INCLUDE = re.compile(r"^[ \t]*#[ \t]*include[ \t]*<[^>\n]+>", re.MULTILINE)
# What removes declarations the code does not use: those nothing names, then whole items
# by halving, each candidate first parsed by libclang (a removed declaration the code still
# calls would otherwise pass for a diagnostic or crash oracle, as an implicit declaration).
# Where libclang does not parse the preprocessed file cleanly, only the first.
PASSES = ("unused", "toplevel")
SAFE_PASSES = ("unused",)
DEFAULT_JOBS = os.cpu_count() or 1


def system_includes(text: str) -> list[str]:
    return [m.group(0).strip() for m in _SYSTEM_INCLUDE.finditer(text)]


def squeeze_blank_lines(text: str) -> str:
    """At most one blank line in a row, none at the start."""
    return re.sub(r"\n(?:[ \t]*\n)+", "\n\n", text).lstrip("\n")


@dataclass(frozen=True)
class Standalone:
    reproducer: Reproducer
    note: str  # what was done, for the emission's notes


def make_standalone(reproducer: Reproducer, jobs: int = DEFAULT_JOBS) -> Standalone | None:
    """The reproducer without system includes, or None when it has none (or its oracle
    does not compile, so the preprocessor's view is not the oracle's to check)."""
    headers = system_includes(reproducer.text)
    if not headers or not reproducer.spec.kind.compiles:
        return None
    compile = reproducer.compile
    try:
        preprocessed = with_candidate(
            reproducer.text, reproducer.file_name, compile.preprocess, prefix="reducer-standalone-"
        )
    except CompilerError as exc:
        # The tests are still emitted; a clang test may then not find the header.
        why = in_user_terms(str(exc), reproducer.source)
        return Standalone(reproducer, f"not made standalone ({', '.join(headers)}): {why}")
    labels = (compile.program, FIXED_LABEL)
    oracle = reproducer.spec.aimed(compile, reproducer.fixed_compile, labels)
    passes = SAFE_PASSES
    try:
        if not libclang.errors_of(preprocessed, compile.parse_flags()):
            oracle = ParsesFirst(oracle, compile.parse_flags(), max_bytes=sys.maxsize)
            passes = PASSES
    except libclang.LibclangUnavailable:
        pass  # only the removal of what nothing names
    executor = LocalPoolExecutor(oracle, reproducer.file_name, jobs)
    engine = Engine(executor)
    try:
        first = engine.test(preprocessed)
        if not first.interesting:
            error = (
                CompilerError if first.compile_failed or first.timed_out else NotInterestingError
            )
            raise error(
                f"{reproducer.source} as its preprocessor sees it (its system headers "
                f"written out, to make the test standalone) is not interesting: {first.reason}"
            )
        skip = [name for name in PASS_NAMES if name not in passes]
        context = PassContext(
            preprocessed,
            parse_flags=compile.parse_flags(),
            needs_valid_code=reproducer.spec.kind.needs_valid_code,
        )
        plan = build_plan(context, skip=skip)
        # The preprocessor's blank lines, and those of the items removed, go (checked).
        final = squeeze_blank_lines(engine.reduce(preprocessed, plan.main, plan.last))
        verdict = engine.test(final)
    finally:
        executor.close()
    if not verdict.interesting:
        raise NotInterestingError(f"the standalone reproducer is flaky: {verdict.reason}")
    made = replace(
        reproducer,
        text=final,
        affected_verdict=verdict.affected(),
        fixed_verdict=verdict.fixed() if reproducer.fixed_compile is not None else None,
    )
    note = (
        f"made standalone: {', '.join(headers)} written out as the declarations the code "
        f"uses ({len(preprocessed)} -> {len(final)} bytes, {engine.stats.oracle_calls} "
        "oracle calls)"
    )
    return Standalone(made, note)

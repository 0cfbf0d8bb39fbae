"""Repairing a big cut from the compiler's own complaint (issue 26 §2).

A first cut keeps what a cheap closure over identifiers says the kept functions need. When
the closure misses a use (a name made by a macro that pastes tokens two levels down, a
declaration hidden behind a macro call), the cut does not compile and every later step falls
back to halving, ~log2(items) calls each a compile of the big text. Instead, the cut is
parsed in-process (libclang, the compiler's own front end, with the command's flags) and
the names its errors say are missing (an undeclared identifier or function, an unknown
type name, an incomplete struct) are kept too, and the cut is made again: up to
MAX_REPAIRS times, before the oracle sees it. No oracle call is spent on a repair: the
oracle still judges the repaired cut like any other candidate.

Pure: the repaired cut depends on the text, the flags and libclang's version only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reducer import libclang

MAX_REPAIRS = 4
# Above this a parse costs about as much as the compile the repair would save.
REPAIR_MAX_BYTES = 2_000_000

# clang's messages that name what the text lacks (C, clang 16-22).
_MISSING = tuple(
    re.compile(pattern)
    for pattern in (
        r"use of undeclared identifier '(\w+)'",
        r"unknown type name '(\w+)'",
        r"call to undeclared (?:library )?function '(\w+)'",
        r"implicit declaration of function '(\w+)'",
        r"incomplete (?:definition of )?type '(?:struct|union|enum) (\w+)'",
        r"has incomplete type '(?:struct|union|enum) (\w+)'",
        r"use of undeclared label '(\w+)'",
    )
)


def missing_names(errors: Iterable[str]) -> tuple[str, ...]:
    """The names clang's error messages say are not declared, in message order (pure)."""
    names: dict[str, None] = {}
    for message in errors:
        for pattern in _MISSING:
            for match in pattern.finditer(message):
                names[match.group(1)] = None
    return tuple(names)


@dataclass(frozen=True)
class Repair:
    """What the repair of one cut did: the names it kept, and the error that named the
    first of them (for the log)."""

    keep: frozenset[str]  # the keep set the repaired cut was made with
    added: tuple[str, ...]  # names kept because an error named them, in order
    first_error: str = ""

    def describe(self) -> str:
        if not self.added:
            return ""
        shown = ", ".join(self.added[:6]) + (", ..." if len(self.added) > 6 else "")
        return f"repaired: kept {shown} (libclang: {self.first_error[:120]})"


ErrorsOf = Callable[[str], Sequence[str]]


def libclang_errors(parse_flags: Sequence[str]) -> ErrorsOf | None:
    """The parse that reads a cut's errors, or None where libclang does not load."""
    if not libclang.available():
        return None
    flags = tuple(parse_flags)
    return lambda text: libclang.errors_of(text, flags)


def repair(
    make_cut: Callable[[frozenset[str]], str | None],
    keep: frozenset[str],
    declared: Callable[[str], bool],
    errors_of: ErrorsOf,
) -> Repair:
    """The keep set that makes ``make_cut``'s cut parse: the names the cut's errors say are
    missing and ``declared`` says the text declares are added, and the cut is made again,
    up to MAX_REPAIRS times, while that adds a name (a name the text does not declare
    cannot be repaired by keeping more of it)."""
    added: list[str] = []
    first_error = ""
    cut = make_cut(keep)
    for _ in range(MAX_REPAIRS):
        if cut is None or len(cut) > REPAIR_MAX_BYTES:
            break
        errors = list(errors_of(cut))
        new = [name for name in missing_names(errors) if name not in keep and declared(name)]
        if not new:
            break
        if not first_error:
            first_error = next((e for e in errors if f"'{new[0]}'" in e), errors[0])
        added += new
        keep = keep | frozenset(new)
        cut = make_cut(keep)
    return Repair(keep, tuple(added), first_error)

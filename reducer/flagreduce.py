"""Shrink a compile command to the flags the bug needs.

A build's command carries dozens of flags (warnings, defines, include paths, kernel
hardening) and a bug report wants the few that matter. ``reduce_flags`` delta-debugs the
words after the program: they are grouped into units a flag cannot be split from
(``-D X``, ``-I dir``, ``-include f``, ``-Xclang x``), then chunks of units are removed,
the whole lot first, halving the chunk down to single units; an ``-O`` level that must
stay is then tried at each lower level (lowest first). Both steps repeat until neither
changes anything, so the result is 1-minimal: no single unit can go.

Never dropped: the program, ``-c`` (without it clang links) and the target
(``--target=``/``-target X``: the bug is for that target, and the default target differs
between machines). Nothing is ever added and nothing reordered, so the result is the
input with units removed and at most an ``-O`` level lowered.

It is pure and deterministic: the same predicate answers give the same result; every
candidate is asked about once (answers are cached), in a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reducer.intake.commandline import SEPARATE_VALUE

Unit = tuple[str, ...]
Predicate = Callable[[tuple[str, ...]], bool]

# -O levels by how much they optimise; lowering tries the levels below, lowest first.
_O_RANK = {
    "-O0": 0,
    "-O1": 1,
    "-O": 1,
    "-Og": 1,
    "-O2": 2,
    "-Os": 2,
    "-Oz": 2,
    "-O3": 3,
    "-O4": 3,
    "-Ofast": 4,
}
_LOWER_LEVELS = ("-O0", "-O1", "-O2", "-O3")


def flag_units(flags: Sequence[str]) -> list[Unit]:
    """``flags`` grouped into units removed together: a flag with its separate value."""
    units: list[Unit] = []
    index = 0
    while index < len(flags):
        word = flags[index]
        if word in SEPARATE_VALUE and index + 1 < len(flags):
            units.append((word, flags[index + 1]))
            index += 2
        else:
            units.append((word,))
            index += 1
    return units


def is_protected(unit: Unit) -> bool:
    """The units reduce_flags never removes by default."""
    head = unit[0]
    return head == "-c" or head == "-target" or head.startswith("--target=")


def reduce_flags(
    argv: Sequence[str],
    interesting: Predicate,
    protected: Callable[[Unit], bool] = is_protected,
) -> tuple[str, ...]:
    """The smallest command found from ``argv`` (program first, assumed interesting) for
    which ``interesting`` holds."""
    if not argv:
        return ()
    program = argv[0]
    units = flag_units(argv[1:])
    answers: dict[tuple[str, ...], bool] = {}

    def words(candidate: Sequence[Unit]) -> tuple[str, ...]:
        return (program, *(word for unit in candidate for word in unit))

    def test(candidate: list[Unit]) -> bool:
        key = words(candidate)
        if key not in answers:
            answers[key] = interesting(key)
        return answers[key]

    answers[words(units)] = True
    while True:
        before = list(units)
        units = _remove_chunks(units, test, protected)
        units = _lower_optimisation(units, test)
        if units == before:
            return words(units)


def _remove_chunks(
    units: list[Unit], test: Callable[[list[Unit]], bool], protected: Callable[[Unit], bool]
) -> list[Unit]:
    """Remove runs of removable units, the longest runs first."""
    removable = [i for i, unit in enumerate(units) if not protected(unit)]
    chunk = len(removable)
    while chunk >= 1:
        start = 0
        while start < len(removable):
            drop = set(removable[start : start + chunk])
            candidate = [unit for i, unit in enumerate(units) if i not in drop]
            if test(candidate):
                # Renumber: the units after the removed run moved down.
                units = candidate
                removable = [i for i, unit in enumerate(units) if not protected(unit)]
            else:
                start += chunk
        chunk //= 2
    return units


def _lower_optimisation(units: list[Unit], test: Callable[[list[Unit]], bool]) -> list[Unit]:
    """Each -O level still there, replaced by the lowest lower level that still works."""
    for index, unit in enumerate(units):
        rank = _O_RANK.get(unit[0]) if len(unit) == 1 else None
        if rank is None:
            continue
        for level in _LOWER_LEVELS:
            if _O_RANK[level] >= rank:
                break
            candidate = [*units[:index], (level,), *units[index + 1 :]]
            if test(candidate):
                units = candidate
                break
    return units

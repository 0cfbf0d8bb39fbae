"""What the relocation test kinds (llc-reloc, clang-reloc) share: which relocations the
test requires and forbids, and the sentence that says so."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.elf import Relocation, reloc_type_name
from reducer.emit.driver import CodegenSettings
from reducer.emit.job import EmitJob
from reducer.emit.mode import Mode
from reducer.emit.reloc_checks import RelocExpectation, good_relocations
from reducer.objects import require_object
from reducer.oracles.base import ForbidsRelocationTypes, capability

R_X86_64_64 = 1


def symbol_list(symbols: Sequence[str]) -> str:
    if len(symbols) == 1:
        return symbols[0]
    return ", ".join(symbols[:-1]) + " and " + symbols[-1]


def _types_text(types: Sequence[int]) -> str:
    return " or ".join(reloc_type_name(t) for t in types)


def describe(settings: CodegenSettings, expectation: RelocExpectation, mode: Mode) -> list[str]:
    model = f"{settings.code_model} code model" if settings.code_model else "default code model"
    context = f"({model}, {settings.relocation_model} relocation model, -O{settings.opt_level})"
    symbols = symbol_list(expectation.symbols)
    good = _types_text(sorted({t for t, _ in expectation.good}))
    if mode is Mode.LOCK_IN:
        return [f"Code addresses {symbols} with {good}, which is correct here", f"{context}."]
    bad = _types_text(sorted(expectation.bad_types))
    if not good:
        return [f"Code must not address {symbols} with {bad}", f"{context}."]
    return [f"Code must address {symbols} with {good},", f"not {bad} {context}."]


def object_relocations(command: CompileCommand, source: Path) -> list[Relocation]:
    return list(require_object(command, source).relocations)


def expectation(
    job: EmitJob,
    affected_command: CompileCommand,
    expected_command: CompileCommand,
    source: Path,
    hits: Sequence[Relocation],
    which: str,
) -> RelocExpectation:
    """The relocations the test requires and forbids. ``expected_command`` builds the
    truth (the fixed toolchain, or the affected one in lock-in mode)."""
    symbols = tuple(sorted({r.symbol for r in hits}))
    counted = capability(job.spec.build(affected_command), ForbidsRelocationTypes).bad_types
    bad_types = frozenset({r.rtype for r in hits}) | counted
    if job.mode is Mode.ASSUMED:
        good = tuple((R_X86_64_64, s) for s in symbols)
    elif job.mode is Mode.LOCK_IN:
        good = good_relocations(hits, symbols)
    else:
        good = good_relocations(object_relocations(expected_command, source), symbols)
    result = RelocExpectation(symbols, bad_types, good, lock_in=job.mode is Mode.LOCK_IN)
    if not result.good:
        job.notes.append(
            f"{which}: the expected toolchain has no code relocation against "
            f"{symbol_list(result.symbols)}; only the wrong ones are checked (CHECK-NOT)"
        )
    return result

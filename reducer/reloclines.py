"""Which source line each relocation comes from: the one lookup behind the slice pass
(``offending_lines``) and explain.

A side compile of the candidate with -g gives the DWARF line table (reducer.sourcemap).
The rule that pairs a relocation of the plain object with one of the debug object: the
i-th relocation with the same (section, type, symbol, addend, function) among those given
is the i-th such one in the debug object. -g does not change code generation, so this is
normally the identity on offsets; pairing by order keeps it right if it ever does not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reducer.compiler import CompileCommand
from reducer.elf import NotAnObject, Relocation, read_object
from reducer.objects import compile_output
from reducer.scratch import with_candidate
from reducer.sourcemap import NoDebugInfo, SourceLocation, build_source_map

DEBUG_FLAGS = ("-g", "-gz=none")

FunctionLines = dict[str, frozenset[int]]  # function -> source lines

_Key = tuple[str, int, str, int, str | None]  # section, type, symbol, addend, function


def _key(r: Relocation) -> _Key:
    return (r.section, r.rtype, r.symbol, r.addend, r.function)


@dataclass(frozen=True)
class RelocationSources:
    by_position: dict[tuple[str, int], SourceLocation] = field(default_factory=dict)
    error: str = ""  # why there are no lines ("" when the side compile worked)

    def of(self, r: Relocation) -> SourceLocation | None:
        return self.by_position.get((r.section, r.offset))


def relocation_sources(
    command: CompileCommand, candidate: Path, relocations: Sequence[Relocation]
) -> RelocationSources:
    """The source location of each of ``relocations`` (of ``candidate`` compiled by
    ``command``), from a -g side compile next to the candidate."""
    try:
        compiled = compile_output(command, candidate, extra=DEBUG_FLAGS)
    except OSError as exc:
        return RelocationSources(error=f"cannot run {command.program}: {exc.strerror or exc}")
    failure = compiled.failure(command)
    if failure is not None:
        return RelocationSources(error=failure.reason)
    assert compiled.output is not None
    try:
        source_map = build_source_map(compiled.output)
        debug = read_object(compiled.output).code_relocations()
    except (NoDebugInfo, NotAnObject) as exc:
        return RelocationSources(error=str(exc))
    in_debug: dict[_Key, list[int]] = defaultdict(list)
    for r in debug:
        in_debug[_key(r)].append(r.offset)
    seen: dict[_Key, int] = defaultdict(int)
    found: dict[tuple[str, int], SourceLocation] = {}
    for r in sorted(relocations, key=lambda r: (r.section, r.offset)):
        key = _key(r)
        index = seen[key]
        seen[key] += 1
        if index < len(in_debug[key]):
            location = source_map.lookup(r.section, in_debug[key][index])
            if location is not None:
                found[(r.section, r.offset)] = location
    return RelocationSources(found)


def offending_lines(
    compile: CompileCommand, text: str, file_name: str, relocations: tuple[Relocation, ...]
) -> FunctionLines:
    """Function -> source lines (in ``file_name``) of the relocations the oracle counted;
    {} when unknown (no -g side compile, no line table)."""
    wanted = [r for r in relocations if r.function]
    if not wanted:
        return {}
    sources = with_candidate(
        text, file_name, lambda source: relocation_sources(compile, source, wanted)
    )
    lines: dict[str, set[int]] = {}
    for reloc in wanted:
        location = sources.of(reloc)
        if location is not None and reloc.function and Path(location.file).name == file_name:
            lines.setdefault(reloc.function, set()).add(location.line)
    return {name: frozenset(found) for name, found in lines.items()}

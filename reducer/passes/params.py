"""Remove a function parameter together with the matching argument at every call site.

Token passes cannot do this: dropping a parameter alone leaves calls with too many
arguments, and dropping one argument alone leaves the call too short, so both must go in
one candidate, which needs to know which call goes to which function. libclang tells.

A parameter the body still uses becomes a local variable of the same declaration
(`int f(int a) { return a; }` -> `int f() {int a; return a; }`), so the body compiles;
the candidate is proposed only if it is still smaller than the text. When the last
parameter goes, `f()` is left (smaller than `f(void)` and still a definition with no
parameters in C17 and C23).

Functions are skipped when anything would make the edit unsafe as text: a declaration in
a header or a macro, a call written in a macro, a use other than as a direct callee
(address taken: a function pointer would then have the wrong type), K&R definitions.

The text edits it shares with the fields pass are in reducer.passes.parsed, the
candidate order in reducer.passes.schedules.grouped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from reducer.libclang import Call, Function, ParsedUnit, Span
from reducer.passes.base import Candidate
from reducer.passes.parsed import ParsedPass, apply_edits, list_item_removals
from reducer.passes.schedules import grouped

# Attributes that name parameters by position (`format(printf, 2, 3)`, `nonnull(1)`):
# removing an earlier parameter would make them point at the wrong one or out of range.
_POSITIONAL_ATTRIBUTE = re.compile(
    r"\b_*(?:format_arg|format|nonnull|alloc_size|alloc_align|access|callback)_*\s*\("
)
# The first array declarator of a parameter: `argv[]`, `a[static 4]`.
_ARRAY_DECLARATOR = re.compile(r"([A-Za-z_$][A-Za-z0-9_$]*)\s*\[[^\]]*\]")


@dataclass(frozen=True)
class Target:
    """A function whose parameters can go, with everything that must change with them."""

    name: str
    decls: tuple[Function, ...]  # the declarations and definition that list parameters
    calls: tuple[Call, ...]
    removable: tuple[int, ...]  # parameter indices


def removable_functions(unit: ParsedUnit) -> list[Target]:
    """Functions whose parameters can be removed as text, in order of first declaration."""
    text = unit.text
    by_name: dict[str, list[Function]] = {}
    for function in unit.functions:
        by_name.setdefault(function.name, []).append(function)
    calls: dict[str, list[Call]] = {}
    for call in unit.calls:
        if call.callee is not None:
            calls.setdefault(call.callee, []).append(call)
    uses: dict[str, list[int | None]] = {}
    for ref in unit.decl_refs:
        if ref.is_function:
            uses.setdefault(ref.name, []).append(ref.location)
    targets = []
    for name, functions in by_name.items():
        if name == "main" or any(f.location is None or f.implicit_attributes for f in functions):
            continue  # main's parameters are fixed; in a header or a macro; a builtin
        if any(_POSITIONAL_ATTRIBUTE.search(_head(text, f)) for f in functions):
            continue
        decls = tuple(f for f in functions if f.params)
        counts = {len(f.params) for f in decls}
        if len(counts) != 1:
            continue  # no parameters, or declarations that disagree (old-style ones)
        count = counts.pop()
        variadic = any(f.is_variadic for f in functions)
        if not all(_is_list(text, [p.extent for p in f.params], variadic) for f in decls):
            continue  # K&R definition, parameters from a macro or a typedef, attributes
        if any(
            f.is_definition
            and f.body is None
            and any(unit.is_referenced(p.location) for p in f.params)
            for f in decls
        ):
            continue  # nowhere to declare a used parameter as a local
        own_calls = tuple(calls.get(name, ()))
        callee_locations = {call.location for call in own_calls}
        if None in callee_locations or any(
            location not in callee_locations for location in uses.get(name, ())
        ):
            continue  # called from a macro, or its address is taken
        if not all(
            (len(call.args) >= count if variadic else len(call.args) == count)
            and _is_list(text, list(call.args), False)
            for call in own_calls
        ):
            continue
        # `f(int a, ...)` cannot lose `a` in C17, and va_start names the last one.
        removable = tuple(range(count - 1 if variadic else count))
        if removable:
            targets.append(Target(name, decls, own_calls, removable))
    return targets


def _head(text: str, function: Function) -> str:
    """A declaration's text without its body: type, name, parameters, attributes."""
    if function.extent is None:
        return ""
    end = function.body[0] if function.body is not None else function.extent[1]
    return text[function.extent[0] : end]


def as_local(declaration: str) -> str:
    """A parameter's declaration as a local variable's: an array parameter is really a
    pointer, and `char *argv[]` is not a complete local, so it becomes `char *(*argv)`."""
    return _ARRAY_DECLARATOR.sub(r"(*\1)", declaration, count=1) + ";"


def remove_parameters(text: str, unit: ParsedUnit, edits: Mapping[Target, Sequence[int]]) -> str:
    """`text` without the given parameters of each target and their arguments."""
    removals: list[Span] = []
    insertions: list[tuple[int, str]] = []
    for target, indices in edits.items():
        chosen = set(indices)
        for function in target.decls:
            spans = [p.extent for p in function.params if p.extent is not None]
            removals += list_item_removals(text, spans, chosen)
            if function.body is not None:
                insertions += [
                    (function.body[0] + 1, as_local(text[param.extent[0] : param.extent[1]]))
                    for index, param in enumerate(function.params)
                    if index in chosen and param.extent and unit.is_referenced(param.location)
                ]
        for call in target.calls:
            spans = [arg for arg in call.args if arg is not None]
            removals += list_item_removals(text, spans, chosen)
    return apply_edits(text, removals, insertions)


class RemoveParametersPass(ParsedPass):
    name = "params"

    def from_unit(
        self, text: str, unit: ParsedUnit, resume: Hashable | None
    ) -> Iterator[Candidate]:
        targets = removable_functions(unit)
        groups = [(target.name, target.removable) for target in targets]

        def build(edits: Mapping[int, Sequence[int]]) -> str:
            return remove_parameters(
                text, unit, {targets[position]: units for position, units in edits.items()}
            )

        yield from grouped(text, groups, build, resume)


# -- is a span list a written `( a, b )` list? -----------------------------------------------


def _skip_space_back(text: str, index: int) -> int:
    while index > 0 and text[index - 1].isspace():
        index -= 1
    return index


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _is_list(text: str, spans: Sequence[Span | None], ellipsis: bool) -> bool:
    """Are the spans the items of one written `( a, b, c )` list?"""
    if not spans:
        return True
    if any(span is None for span in spans):
        return False
    items = [span for span in spans if span is not None]
    before = _skip_space_back(text, items[0][0])
    if before == 0 or text[before - 1] != "(":
        return False
    for (_, end), (start, _) in itertools.pairwise(items):
        if text[end:start].strip() != ",":
            return False
    after = _skip_space(text, items[-1][1])
    return after < len(text) and (text[after] == ")" or (ellipsis and text[after] == ","))

"""Read a struct/union member as a plain global: every `E->f` and `E.f` of one field
becomes a new global of the field's type, `f` (or a fresh name when `f` is taken).

A reduced test often passes a struct around only to read one number from it: once the
accesses read a global, the parameter carrying the pointer goes (the params pass), and
so does the struct (types, unused). The global is declared at top level just before the
first declaration that uses it; its declaration is the field's own (`char *h`,
`int a[3]`, a bit-field without its width). One candidate per field, the accesses that
save the most first; a candidate may be larger than the text (a global's declaration
for one short access), since it is a step the other passes take further.

A field is skipped when an access's object has side effects (a call, an assignment, an
increment: `next()->f` would no longer call `next`), when an access is written in a
macro, when its declaration shares its type with other declarators (`int a, b;`) or
defines a type (`struct { int x; } in;`), and when its record is local to the
declaration of the first access.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass

from reducer.ctokens import Kind, scan, tokenize, top_level_items
from reducer.libclang import Field, MemberRef, ParsedUnit, Record, Span
from reducer.passes.base import Candidate
from reducer.passes.parsed import ParsedPass, apply_edits
from reducer.passes.schedules import each_once

_SIDE_EFFECTS = frozenset(
    {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "++", "--"}
)

# An integer, floating or character literal, maybe negated, or one string literal (a
# `char *` field: without its "" the global is NULL, and printf's %s of NULL is undefined).
_LITERAL = re.compile(r"-?\s*(?:\.?[0-9][0-9A-Za-z_.]*|'(?:[^'\\\n]|\\.)+')|\"(?:[^\"\\\n]|\\.)*\"")


@dataclass(frozen=True)
class Lifted:
    """A field whose accesses can all read a new global."""

    record: Record
    field: Field
    accesses: tuple[Span, ...]  # the whole `E->f` expressions
    declaration: str  # the global's declaration, `;` included
    name: str  # the global's
    at: int  # where the declaration goes (the start of a top-level declaration)

    @property
    def gain(self) -> int:
        saved = sum(end - start - len(self.name) for start, end in self.accesses)
        return saved - len(self.declaration) - 1


def lifted_fields(unit: ParsedUnit) -> list[Lifted]:
    """The fields whose accesses can become a global's, best first."""
    text = unit.text
    tokens = tokenize(text)
    words = {token.text for token in tokens if token.kind is Kind.WORD}
    fields = {f.location for record in unit.records for f in record.fields}
    # Members are a name space of their own: a word after `.`/`->` or naming a field
    # does not take the name from a global.
    ordinary = {
        token.text
        for index, token in enumerate(tokens)
        if token.kind is Kind.WORD
        and token.start not in fields
        and (index == 0 or tokens[index - 1].text not in (".", "->"))
    }
    accesses: dict[int, list[MemberRef]] = {}
    for ref in unit.member_refs:
        if ref.field is not None:
            accesses.setdefault(ref.field, []).append(ref)
    calls = [call.extent for call in unit.calls if call.extent is not None]
    items = top_level_items(text)
    shared = {}
    for record in unit.records:
        for field in record.fields:
            if field.extent is not None:
                shared[field.extent[0]] = shared.get(field.extent[0], 0) + 1
    found = []
    for record in unit.records:
        for field in record.fields:
            refs = [ref for ref in accesses.get(field.location or -1, ()) if ref.access]
            if (
                not refs
                or field.location is None
                or field.extent is None
                or shared[field.extent[0]] != 1
                or any(ref.location is None or ref.access is None for ref in refs)
            ):
                continue
            spans = tuple(sorted(ref.access for ref in refs if ref.access is not None))
            if any(a[1] > b[0] for a, b in itertools.pairwise(spans)):
                continue  # `p->next->next`: one access inside another
            if any(_has_side_effects(text, span, field, calls) for span in spans):
                continue
            item = next((start for start, end in items if start <= spans[0][0] < end), None)
            if item is None or record.extent is None or record.extent[0] >= item:
                continue
            name = _free_name(field.name, ordinary, words)
            declaration = _declaration(text, field, name, _initial_value(unit, record, field))
            if declaration is None:
                continue
            found.append(Lifted(record, field, spans, declaration, name, item))
    return sorted(found, key=lambda lifted: -lifted.gain)


def _has_side_effects(text: str, access: Span, field: Field, calls: Sequence[Span]) -> bool:
    """Does the object of the access `E->f` do anything but name an object?"""
    start, end = access
    if any(start <= call_start and call_end <= end for call_start, call_end in calls):
        return True
    return any(token.text in _SIDE_EFFECTS for token in scan(text[start:end]))


def _free_name(name: str, ordinary: set[str], words: set[str]) -> str:
    """The field's name if it names nothing outside the members, else the first of
    name1, name2, ... that no word of the text is."""
    if name not in ordinary:
        return name
    number = 1
    while f"{name}{number}" in words:
        number += 1
    return f"{name}{number}"


def _initial_value(unit: ParsedUnit, record: Record, field: Field) -> str | None:
    """The value the written initializers of the record's objects give the field, when
    they agree on one literal: `struct d c[] = {5};` starts `c[0].b` at 5, and a global
    that reads as 0 instead may no longer show the bug. None otherwise."""
    named = [f for f in record.fields if f.name]
    if record.kind != "struct" or any(f.is_aggregate for f in named):
        return None  # a flat list of values maps onto scalar fields only
    position = named.index(field)
    text = unit.text
    objects: list[Sequence[Span | None]] = []
    for init in unit.init_lists:
        extents = [element.extent for element in init.elements]
        if init.record == record.location:
            objects.append(extents)
        elif init.array_of == record.location:
            if any(element.is_list for element in init.elements):
                continue  # each `{...}` is a record list of its own
            objects += [extents[at : at + len(named)] for at in range(0, len(extents), len(named))]
    values = set()
    for extents in objects:
        if any(extent is None or text[extent[0]] in ".[" for extent in extents):
            return None  # from a macro, or designated
        if position < len(extents):
            start, end = extents[position]  # type: ignore[misc]
            values.add(text[start:end])
        else:
            values.add("0")
    value = values.pop() if len(values) == 1 else None
    return value if value is not None and _LITERAL.fullmatch(value) else None


def _declaration(text: str, field: Field, name: str, value: str | None) -> str | None:
    """The field's declaration with `name` as its name, without a bit-field width, with
    `value` as its initializer if there is one."""
    assert field.extent is not None and field.location is not None
    start, end = field.extent
    tokens = scan(text[start:end])
    if any(token.text in ("{", ":") for token in tokens):
        # A type defined in place cannot be declared twice; a bit-field's width goes.
        if any(token.text == "{" for token in tokens):
            return None
        colon = next(token for token in tokens if token.text == ":")
        end = start + colon.start
    name_end = field.location + len(field.name)
    if not field.name or not start <= field.location < name_end <= end:
        return None
    initializer = "" if value is None else f" = {value}"
    return f"{text[start : field.location]}{name}{text[name_end:end].rstrip()}{initializer};"


def lift_field(text: str, lifted: Lifted) -> str:
    """`text` with the field's accesses reading the new global."""
    removals = list(lifted.accesses)
    insertions = [(lifted.at, lifted.declaration + "\n")]
    insertions += [(start, lifted.name) for start, _ in lifted.accesses]
    return apply_edits(text, removals, insertions)


class MembersToGlobalsPass(ParsedPass):
    name = "members"

    def from_unit(
        self, text: str, unit: ParsedUnit, resume: Hashable | None
    ) -> Iterator[Candidate]:

        def edit(lifted: Lifted) -> tuple[Hashable, Callable[[], str], str]:
            key = (lifted.record.kind, lifted.record.name, lifted.field.name)
            return key, lambda: lift_field(text, lifted), ""

        edits = (edit(lifted) for lifted in lifted_fields(unit))
        yield from each_once(text, edits, resume, may_grow=True)

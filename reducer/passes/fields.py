"""Remove struct/union fields that nothing refers to.

Generated code (csmith) declares wide structs of which a reduced test uses one or two
fields. A field no member access, designator or offsetof names can go without touching
any expression; what still mentions it by position is a positional initializer, so the
matching element of every such `{...}` list goes in the same candidate when libclang
shows the mapping is plain (no designators, no brace elision, no anonymous members).
Otherwise the list is left as it is and the oracle rejects the candidate if it breaks.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Mapping, Sequence

from reducer.libclang import Field, InitList, ParsedUnit, Record, Span
from reducer.passes.base import Candidate
from reducer.passes.parsed import ParsedPass, apply_edits, list_item_removals
from reducer.passes.schedules import grouped

# Declarator prefix tokens that may stand between a declaration's type and a name.
_DECLARATOR_PREFIX = re.compile(
    r"(?:[*(]|\s|\b(?:const|volatile|restrict|__restrict|__restrict__|_Atomic)\b)*\Z"
)


def unreferenced_fields(unit: ParsedUnit, record: Record) -> tuple[int, ...]:
    """Indices of the record's fields that nothing refers to and that can be removed."""
    if record.location is None or record.extent is None:
        return ()
    return tuple(
        index
        for index, field in enumerate(record.fields)
        if field.extent is not None and not unit.is_referenced(field.location)
    )


def _declaration_end(text: str, position: int) -> int | None:
    """End of the `;` closing the member declaration that goes on at `position`."""
    depth = 0
    for index in range(position, len(text)):
        char = text[index]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and char == ";":
            return index + 1
        elif depth == 0 and char in ",}{":
            return None
    return None


def _field_removals(text: str, fields: Sequence[Field], chosen: set[int]) -> list[Span] | None:
    """Spans removing the chosen fields: whole declarations, or declarators of a list
    like `int a, *b;`. None if some declaration cannot be edited as text."""
    groups: dict[int, list[int]] = {}
    for index, field in enumerate(fields):
        if field.extent is not None:
            groups.setdefault(field.extent[0], []).append(index)
    removals: list[Span] = []
    for start, members in groups.items():
        picked = [index for index in members if index in chosen]
        if not picked:
            continue
        last = max(fields[index].extent[1] for index in members)  # type: ignore[index]
        end = _declaration_end(text, last)
        if end is None:
            return None
        if len(picked) == len(members):
            removals.append((start, end))
            continue
        # Several declarators share the type: each runs from its own start (its name,
        # or the `*`/`(` before it) to where clang's extent for it ends.
        declarators: list[Span] = []
        for position, index in enumerate(members):
            field = fields[index]
            assert field.extent is not None and field.location is not None
            if not field.name:
                return None  # unnamed bit-field: no name to anchor on
            if position == 0:
                prefix = _DECLARATOR_PREFIX.search(text, start, field.location)
                tail = prefix.group() if prefix else ""
                offsets = [tail.find(c) for c in "*(" if c in tail]
                begin = (prefix.start() + min(offsets)) if prefix and offsets else field.location
            else:
                previous = declarators[-1][1]
                comma = text.find(",", previous, field.extent[1])
                if comma < 0 or text[previous:comma].strip():
                    return None
                begin = comma + 1
                while text[begin].isspace():
                    begin += 1
            declarators.append((begin, field.extent[1]))
        chosen_here = {position for position, index in enumerate(members) if index in chosen}
        removals += list_item_removals(text, declarators, chosen_here)
    return removals


def _positional(unit: ParsedUnit, record: Record, init: InitList) -> list[int] | None:
    """For each element of the list, the index of the field it initializes, or None when
    that mapping is not plain."""
    if init.extent is None or any(element.extent is None for element in init.elements):
        return None
    named = [index for index, field in enumerate(record.fields) if field.name]
    if len(init.elements) > (1 if record.kind == "union" else len(named)):
        return None  # brace elision, or an excess element
    text = unit.text
    mapping = []
    for element, index in zip(init.elements, named, strict=False):
        assert element.extent is not None
        if text[element.extent[0]] in ".[":
            return None  # designated: later positional elements follow the designator
        if record.fields[index].is_aggregate and not (element.is_list or element.is_aggregate):
            return None  # a scalar for an aggregate field: braces were elided
        mapping.append(index)
    return mapping


def _has_anonymous_member(unit: ParsedUnit, record: Record) -> bool:
    """Does the record hold a `struct { ... };` member without a name? Its implicit field
    takes a place in positional initializers that the field list does not show."""
    if record.extent is None:
        return True
    start, end = record.extent
    extents = [field.extent for field in record.fields if field.extent is not None]
    for other in unit.records:
        if other is record or other.extent is None:
            continue
        if start < other.extent[0] and other.extent[1] <= end:
            inside_field = any(a <= other.extent[0] and other.extent[1] <= b for a, b in extents)
            if not inside_field:
                return True
    return False


def remove_fields(text: str, unit: ParsedUnit, edits: Mapping[Record, Sequence[int]]) -> str:
    """`text` without the given fields of each record and their positional initializers."""
    removals: list[Span] = []
    for record, indices in edits.items():
        chosen = set(indices)
        spans = _field_removals(text, record.fields, chosen)
        if spans is None:
            continue  # a declaration this cannot edit: its record stays as it is
        removals += spans
        if _has_anonymous_member(unit, record):
            continue
        for init in unit.init_lists:
            if init.record != record.location:
                continue
            mapping = _positional(unit, record, init)
            if mapping is None:
                continue
            elements = [element.extent for element in init.elements if element.extent]
            picked = {position for position, index in enumerate(mapping) if index in chosen}
            removals += list_item_removals(text, elements, picked)
    return apply_edits(text, removals)


class RemoveFieldsPass(ParsedPass):
    name = "fields"

    def from_unit(
        self, text: str, unit: ParsedUnit, resume: Hashable | None
    ) -> Iterator[Candidate]:
        records = [record for record in unit.records if unreferenced_fields(unit, record)]
        # Keyed with the location too, for unnamed records: removing a record's fields and
        # initializer elements only moves text after its name, so the key of the record
        # being resumed and of every record before it stays the same.
        groups = [
            ((record.kind, record.name, record.location), unreferenced_fields(unit, record))
            for record in records
        ]

        def build(edits: Mapping[int, Sequence[int]]) -> str:
            return remove_fields(
                text, unit, {records[position]: units for position, units in edits.items()}
            )

        yield from grouped(text, groups, build, resume)

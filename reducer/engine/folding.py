"""Folding, a pure rule: what a batch of foldable candidates with these interesting members
leads to. The procedure tests and accepts it; the speculator plans the same merge to bet
on its outcome."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from reducer.edits import Edit, apply_edits, edit_of, overlaps
from reducer.engine.streams import Entry
from reducer.passes.base import Candidate
from reducer.passes.schedules import state_depends_through

EditMemo = dict[bytes, Edit]  # a batch's edits by candidate key (the base text is fixed)


def keeps_promise(candidate: Candidate, edit: Edit) -> bool:
    """Does a foldable candidate's state depend only on the text before its edit (what
    merging it with other edits, or resuming the merge from it, relies on)? Checked where
    the engine merges, so a pass that breaks the promise costs folding, never a result."""
    through = state_depends_through(candidate.resume)
    return through is not None and through <= edit[0]


def _edit(edits: EditMemo, base: str, entry: Entry) -> Edit:
    edit = edits.get(entry.key)
    if edit is None:
        edit = edits[entry.key] = edit_of(base, entry.candidate.text)
    return edit


def plan(
    base: str, batch: Sequence[Entry], wins: Sequence[Entry], edits: EditMemo
) -> tuple[str, Hashable, int]:
    """What a batch with these interesting candidates leads to: (text, marker, how many
    candidates it folds; two or more must be tested). ``edits`` memoizes edit_of."""
    taken: list[tuple[Edit, Entry]] = []
    for entry in wins:
        edit = _edit(edits, base, entry)
        if taken and not keeps_promise(entry.candidate, edit):
            continue  # its state may depend on what another edit changes: alone only
        if not any(overlaps(edit, other) for other, _ in taken):
            taken.append((edit, entry))
    # The marker: a foldable candidate's marker depends only on the text before its
    # edit, so the batch's last marker is valid when that edit comes first in the text
    # (passes that walk backwards: the pass goes on after the whole batch); otherwise
    # the marker of the earliest merged edit is (the pass re-walks what follows it).
    lowest = min(edit[0] for edit, _ in taken)
    last = batch[-1]
    last_edit = _edit(edits, base, last)
    if last_edit[0] <= lowest and keeps_promise(last.candidate, last_edit):
        resume = last.candidate.resume
    else:
        resume = min(taken, key=lambda pair: pair[0][0])[1].candidate.resume
    if len(taken) == 1:
        return taken[0][1].candidate.text, resume, 1
    return apply_edits(base, [edit for edit, _ in taken]), resume, len(taken)

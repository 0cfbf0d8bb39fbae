"""``reduce emit --llvm-project DIR [--into FILE] [--diff-only]``: the emitted tests as a
patch to an llvm-project checkout.

The tests are emitted and verified in a temporary directory as usual; then each goes to its
upstream path (a new file), or, with --into, the .ll test's IR is spliced into an existing
llc test (reducer.emit.upstream) whose checks are regenerated for all its RUN lines with the
llc the emitted test was verified as fixed with. The merged file is run with lit like an
emitted test, and we check that the added function's checks tell the affected llc from the
fixed one: an existing file's RUN lines may not use the flags under which the bug shows.
Nothing is written unless all of that holds; the write is atomic.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from reducer.emit import upstream, utc, utc_llc, verify
from reducer.emit.mode import Mode
from reducer.emit.pipeline import EmitReport
from reducer.emit.toolchain import Toolchain
from reducer.errors import CompilerError, UsageError


@dataclass
class Placement:
    files: dict[Path, str]  # absolute target path -> its new text
    diff: str
    notes: list[str] = field(default_factory=list)
    rows: list[verify.Row] = field(default_factory=list)  # lit on the --into result
    distinguishes: bool | None = None  # the added checks differ between affected and fixed

    @property
    def ok(self) -> bool:
        return all(row.ok is not False for row in self.rows) and self.distinguishes is not False


def relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def check_new_targets(root: Path, stem: str, suffixes: list[str]) -> None:
    """Before emitting: refuse to overwrite an upstream test (--into is for that)."""
    for suffix in suffixes:
        path = upstream.upstream_path(root, suffix, stem)
        if path.exists():
            rel = relative(root, path)
            hint = f"use --into {rel} to add to it" if suffix == ".ll" else "choose another"
            raise UsageError(f"{rel} exists already: {hint} (or another --name)")


def place_new(report: EmitReport, root: Path, stem: str) -> Placement:
    files: dict[Path, str] = {}
    diffs: list[str] = []
    notes: list[str] = []
    for path in report.paths:
        text = path.read_text()
        target = upstream.upstream_path(root, path.suffix, stem, text)
        if not target.parent.is_dir():
            # Never create a tree the checkout does not have (an llvm-only checkout).
            notes.append(f"{root} has no {target.parent.relative_to(root)}: {path.name} not added")
            continue
        if target.exists():
            raise UsageError(f"{relative(root, target)} exists already: use --into")
        files[target] = text
        diffs.append(upstream.unified_diff(None, text, relative(root, target)))
    return Placement(files, "".join(diffs), notes)


def _llc_for_into(report: EmitReport) -> Toolchain:
    if report.fixed is not None:
        return report.fixed
    if report.mode is Mode.LOCK_IN and report.affected is not None:
        return report.affected  # today's output is what the test locks in
    raise UsageError(
        "--into regenerates the file's checks with the fixed llc: give --fixed-cc or --fixed-llvm"
    )


def _checks_of(text: str, function: str) -> list[str]:
    """The check lines right after ``function``'s define line."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("define") and utc.ir_function_name(line) == function:
            out = []
            for body in lines[i + 1 :]:
                if not body.lstrip().startswith(";"):
                    break
                out.append(body)
            return out
    return []


def _without_checks(text: str) -> list[str]:
    """What regeneration must leave alone: every line but the NOTE lines, the check lines
    of the RUN lines' prefixes and the lone ``;`` separators of the checks."""
    prefixes = {p for run in utc.llc_run_lines(text) for p in run.prefixes}
    out = []
    for line in text.split("\n"):
        if utc.ADVERT in line or utc.UNUSED_NOTE in line or line.strip() == ";":
            continue
        if line.lstrip().startswith(";") and utc.check_prefix_of(line) in prefixes:
            continue
        out.append(line.rstrip())
    return out


def _lit_rows(
    text: str, name: str, report: EmitReport, timeout: float, crash_is_right: bool
) -> list[verify.Row]:
    """The merged file through lit on the affected and fixed toolchains, like an emitted test."""
    with tempfile.TemporaryDirectory(prefix="reducer-into-") as tmp:
        test = Path(tmp) / name
        test.write_text(text)
        return verify.verification_rows(
            [(test, crash_is_right)],
            report.mode,
            report.affected,
            report.fixed,
            timeout,
            unknown_rows=False,
        )


def place_into(report: EmitReport, root: Path, target: Path, timeout: float) -> Placement:
    rel = relative(root, target)
    try:
        emitted = report.path(".ll")
    except StopIteration:
        raise UsageError("--into needs an .ll test, and this oracle emits none") from None
    existing = target.read_text()
    reduced = emitted.read_text()
    # The emitter's explanation may name its own RUN lines' prefixes; those lines would be
    # wrong in a file that has other RUN lines.
    foreign = {p for run in utc.llc_run_lines(reduced) for p in run.prefixes} - {
        p for run in utc.llc_run_lines(existing) for p in run.prefixes
    }
    merge = upstream.splice(existing, reduced, upstream.description(reduced, foreign))
    toolchain = _llc_for_into(report)
    llc = toolchain.require("llc")
    try:
        regenerated = utc_llc.regenerate_with_llc(merge.text, llc, timeout)
    except utc.UnsupportedTest as exc:
        raise UsageError(f"--into {rel}: cannot regenerate its checks: {exc}") from exc
    except CompilerError as exc:
        raise CompilerError(f"--into {rel}: {exc}") from exc
    text = regenerated.text
    notes = [f"{rel}: {note}" for note in merge.describe()]
    notes.append(
        f"{rel}: added {', '.join(merge.functions)}; checks of all "
        f"{len(utc.llc_run_lines(text))} llc RUN lines regenerated with {toolchain.label}"
    )
    notes.extend(f"{rel}: update_llc_test_checks: {w}" for w in regenerated.warnings)
    if "llvm-readobj" in reduced:
        notes.append(
            f"{rel}: the emitted test's llvm-readobj relocation checks are not carried over "
            "(they need their own RUN line); the asm checks catch the bug"
        )
    if _without_checks(text) != _without_checks(merge.text):
        notes.append(f"{rel}: regenerating changed more than check lines (trailing blanks?)")

    distinguishes: bool | None = None
    if report.mode is not Mode.LOCK_IN and report.affected is not None and report.fixed is not None:
        try:
            affected_text = utc_llc.update_test_with_llc(
                merge.text, report.affected.require("llc"), timeout
            )
        except CompilerError:
            distinguishes = True  # the affected llc fails on it: the crash is the difference
        else:
            distinguishes = any(
                _checks_of(text, f) != _checks_of(affected_text, f) for f in merge.functions
            )
        if not distinguishes:
            notes.append(
                f"{rel}: the added checks are the same with {report.affected.label}: no RUN "
                "line of the file shows the bug (add one with the emitted test's llc flags)"
            )
    crash_is_right = any(row.crash_is_right for row in report.rows if row.test == emitted.name)
    rows = _lit_rows(text, target.name, report, timeout, crash_is_right)
    diff = upstream.unified_diff(existing, text, rel)
    return Placement({target: text}, diff, notes, rows, distinguishes)

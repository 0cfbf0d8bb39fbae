"""Replace an ``#include`` of one of the project's own headers with the header's text.

A file from a build tree includes its project's headers (``#include "purgatory.h"``,
``#include <linux/types.h>`` under ``-I./include``); the declarations the bug needs live
there, out of reach of the other passes, and a result that still includes them only
compiles inside that tree. Inlining them (the inlined text is then reduced like the rest)
makes the result self-contained. Unlike ``--preprocess`` it keeps the file's macros and
conditionals, and headers only go in where the oracle says the result still shows the bug.

Which file a directive names is decided as the candidate's compile will decide it: quoted
includes search the ``-iquote`` directories (the original's directory is one: candidates
compile elsewhere, see CompileCommand.from_user), then ``-I``; angle includes search
``-I``; a file found first in an ``-isystem``/``-idirafter`` directory, in a directory
under a system prefix, or under an installation prefix's ``include`` (``_installed``) is a
system header and stays an include. Inside the inlined text a
quoted include that the header found in its own directory is rewritten to that file's
absolute path, because it is no longer read from there.

Inlining makes the text larger, so these candidates say ``grows``. To end, a guarded
header (``#ifndef X``/``#define X`` or ``#pragma once``) is inlined once: a later include
of it, a no-op, is proposed for removal instead (as is one after a `#define X` in the
text, from an earlier round). An unguarded header (an x-macro list) is inlined at most
``MAX_UNGUARDED`` times in a pass's run. The counts travel in the resume state
(``Inlined.counts``), not in the pass: the engine also asks for the candidates after a
candidate it only bets on, and a pass that learnt from that would change the result with
the worker count.
"""

from __future__ import annotations

import os
import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from reducer.passes.base import Candidate
from reducer.passes.schedules import Inlined

MAX_UNGUARDED = 16
SYSTEM_PREFIXES = ("/usr/", "/lib/", "/lib64/", "/opt/")

# An `#include "x"` (group 1) or `#include <x>` (group 2) line, with its newline.
INCLUDE_LINE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*(?:"([^"\n]+)"|<([^>\n]+)>)[^\n]*\n?', re.M)
_PRAGMA_ONCE = re.compile(r"^[ \t]*#[ \t]*pragma[ \t]+once\b[^\n]*\n?", re.M)
_GUARD = re.compile(
    r"\A(?:\s|//[^\n]*|/\*.*?\*/)*#[ \t]*ifndef[ \t]+(\w+)[^\n]*\n[ \t]*#[ \t]*define[ \t]+(\w+)",
    re.S,
)
_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)", re.M)
_INCLUDE_NEXT = re.compile(r"^[ \t]*#[ \t]*include_next\b", re.M)


@dataclass(frozen=True)
class SearchPath:
    quote: tuple[Path, ...]  # -iquote, in order
    angle: tuple[Path, ...]  # -I, in order
    system: tuple[Path, ...]  # -isystem, -idirafter: found there means not ours

    @classmethod
    def from_flags(cls, flags: Sequence[str]) -> SearchPath:
        """The search path of a compile command's parse flags (paths already absolute)."""
        found: dict[str, list[Path]] = {"-iquote": [], "-I": [], "-isystem": [], "-idirafter": []}
        words = iter(flags)
        for word in words:
            if word in found:
                found[word].append(Path(next(words, "")))
                continue
            # Joined (`-Iinclude`); the long names first, since they too start with `-i`.
            for flag in ("-iquote", "-isystem", "-idirafter", "-I"):
                if word.startswith(flag) and len(word) > len(flag):
                    found[flag].append(Path(word[len(flag) :]))
                    break
        return cls(
            tuple(found["-iquote"]),
            tuple(found["-I"]),
            tuple([*found["-isystem"], *found["-idirafter"]]),
        )

    def resolve(self, name: str, quoted: bool) -> Path | None:
        """The project header ``name`` names, or None (system header, or not found)."""
        if os.path.isabs(name):
            path = Path(name)
            return path if path.is_file() and _ours(path) else None
        ours = [*(self.quote if quoted else ()), *self.angle]
        for directory in ours:
            candidate = directory / name
            if candidate.is_file():
                return candidate if _ours(directory) else None
        return None


def _ours(path: Path) -> bool:
    absolute = path.absolute()
    return not str(absolute).startswith(SYSTEM_PREFIXES) and not _installed(absolute)


def _installed(path: Path) -> bool:
    """Is `path` under the ``include`` directory of an installation prefix: a directory
    that also holds ``bin`` and ``lib`` (a pyenv or conda Python, ~/.local, a Homebrew
    prefix)? Those headers belong to an installed library, like /usr's: a Python
    extension's `#include <Python.h>` from a pyenv Python inlined 500 KB of CPython's
    headers into msgspec.c, then took half of its reduction to cut them again. A project
    tree rarely has all three at its top (the kernel's has no ``bin``)."""
    for parent in path.parents:
        if parent.name == "include":
            prefix = parent.parent
            if (prefix / "bin").is_dir() and (prefix / "lib").is_dir():
                return True
    return False


@dataclass(frozen=True)
class _Directive:
    start: int
    end: int
    header: Path


class InlineIncludesPass:
    name = "includes"

    def __init__(self, parse_flags: Sequence[str] = ()) -> None:
        self.search = SearchPath.from_flags(parse_flags)

    def candidates(self, text: str, resume: Hashable | None = None) -> Iterator[Candidate]:
        offset = 0
        counts: dict[str, int] = {}  # header path -> times inlined on the way to `text`
        if isinstance(resume, Inlined):
            offset = resume.offset
            counts = dict(resume.counts)
        directives = self._directives(text)
        defined = _first_defines(text) if directives else {}
        # From where the last accepted one was (the headers it included come next), then
        # the ones before it.
        ordered = [d for d in directives if d.start >= offset] + [
            d for d in directives if d.start < offset
        ]
        for directive in ordered:
            candidate = self._candidate(text, directive, directives, counts, defined)
            if candidate is not None:
                yield candidate

    def _directives(self, text: str) -> list[_Directive]:
        found = []
        for match in INCLUDE_LINE.finditer(text):
            quoted = match.group(1) is not None
            name = match.group(1) if quoted else match.group(2)
            header = self.search.resolve(name, quoted)
            if header is not None:
                found.append(_Directive(match.start(), match.end(), header))
        return found

    def _candidate(
        self,
        text: str,
        directive: _Directive,
        directives: list[_Directive],
        counts: dict[str, int],
        defined: dict[str, int],
    ) -> Candidate | None:
        key = str(directive.header)
        try:
            header_text = directive.header.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if _INCLUDE_NEXT.search(header_text):
            return None  # #include_next means something else from the main file
        once = bool(_PRAGMA_ONCE.search(header_text))
        guard = _guard_of(header_text)
        times = counts.get(key, 0)
        state = tuple(sorted(counts.items()))
        # A guard #defined before the include: inlined in an earlier round.
        guard_before = guard is not None and defined.get(guard, directive.start) < directive.start
        if (once or guard) and (times >= 1 or guard_before):
            # Already in the text: this include adds nothing, so it can go.
            removed = text[: directive.start] + text[directive.end :]
            return Candidate(removed, Inlined(directive.start, "", state))
        if times >= MAX_UNGUARDED:
            return None
        body = _rewrite_local_includes(_PRAGMA_ONCE.sub("", header_text), directive.header.parent)
        if body and not body.endswith("\n"):
            body += "\n"
        pieces = [text[: directive.start], body]
        position = directive.end
        if once:
            # `#pragma once` does not carry over to the inlined copy, so later includes of
            # the same header would read it again: they go in the same candidate.
            for later in directives:
                if later.start >= directive.end and str(later.header) == key:
                    pieces.append(text[position : later.start])
                    position = later.end
        pieces.append(text[position:])
        after = tuple(sorted({**counts, key: times + 1}.items()))
        return Candidate("".join(pieces), Inlined(directive.start, key, after), grows=True)


def _guard_of(header_text: str) -> str | None:
    """The include guard's macro (``#ifndef X`` then ``#define X`` first), or None."""
    match = _GUARD.match(header_text)
    return match.group(1) if match and match.group(1) == match.group(2) else None


def _first_defines(text: str) -> dict[str, int]:
    """Where each macro is first ``#define``d in `text` (one scan for all the includes)."""
    first: dict[str, int] = {}
    for match in _DEFINE.finditer(text):
        first.setdefault(match.group(1), match.start())
    return first


def _rewrite_local_includes(header_text: str, directory: Path) -> str:
    """Quoted includes the header found next to itself, made absolute."""

    def absolute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None or os.path.isabs(name):
            return match.group(0)
        local = directory / name
        if not local.is_file():
            return match.group(0)
        path = os.path.normpath(local.absolute())
        return match.group(0).replace(f'"{name}"', f'"{path}"', 1)

    return INCLUDE_LINE.sub(absolute, header_text)

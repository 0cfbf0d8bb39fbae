"""Find a file's compile command in a compilation database (``compile_commands.json``,
as written by CMake, Meson, bear or ``scripts/clang-tools/gen_compile_commands.py``).

Each entry has ``directory`` (where the command ran), ``file`` (relative to it) and either
``arguments`` (argv) or ``command`` (one string, split as a POSIX shell would, without
running one). The first entry whose file is the one being reduced wins: a file built twice
with different flags gives the first build's flags, which is what clangd picks too.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

from reducer.errors import UsageError

DATABASE_NAME = "compile_commands.json"


@dataclass(frozen=True)
class FoundCommand:
    """A compile command found in a build tree: its words and where it ran."""

    argv: tuple[str, ...]
    directory: Path
    origin: str  # for messages: "compile_commands.json entry in /b" or the .o.cmd file


def database_in(build_dir: Path) -> Path:
    """``-p BUILD_DIR``'s database; a usage error when there is none."""
    path = build_dir / DATABASE_NAME
    if not path.is_file():
        raise UsageError(f"-p {build_dir}: no {DATABASE_NAME} in that directory")
    return path


def find_database(start: Path) -> Path | None:
    """The nearest compile_commands.json in ``start`` or a parent (auto-detection)."""
    for directory in (start, *start.parents):
        candidate = directory / DATABASE_NAME
        if candidate.is_file():
            return candidate
    return None


def load_entries(path: Path) -> list[dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, list):
        raise UsageError(f"{path}: not a compilation database (expected a JSON list)")
    return [entry for entry in data if isinstance(entry, dict)]


def command_for(path: Path, source: Path) -> FoundCommand | None:
    """The entry of database ``path`` that compiles ``source``, or None."""
    wanted = source.resolve()
    for entry in load_entries(path):
        directory = entry.get("directory")
        file = entry.get("file")
        if not isinstance(file, str):
            continue
        if not isinstance(directory, str):
            # Without it the command's relative paths mean nothing; an entry that names
            # this file (absolute, or relative to the database) is reported, not skipped
            # into "no entry for FILE".
            if (path.parent / file).resolve() == wanted:
                raise UsageError(
                    f'{path}: the entry for {file} has no "directory" (where its command '
                    "ran; the format requires one)"
                )
            continue
        # The spec wants an absolute directory; a relative one is taken from the database.
        where = (path.parent / directory).resolve()
        if (where / file).resolve() != wanted:
            continue
        return FoundCommand(_words(entry, path), where, f"{path}")
    return None


def _words(entry: dict[str, object], path: Path) -> tuple[str, ...]:
    arguments = entry.get("arguments")
    if isinstance(arguments, list) and arguments and all(isinstance(a, str) for a in arguments):
        return tuple(str(a) for a in arguments)
    command = entry.get("command")
    if isinstance(command, str):
        try:
            words = shlex.split(command)
        except ValueError as exc:
            raise UsageError(
                f"{path}: cannot split the command of {entry.get('file')}: {exc}"
            ) from None
        if words:
            return tuple(words)
    raise UsageError(f"{path}: the entry for {entry.get('file')} has no arguments or command")

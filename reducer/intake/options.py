"""Where the compile command comes from, as the CLI says it: ``-- CMD`` (pasted, perhaps
straight from ``make V=1``), ``-p BUILD_DIR`` (its compile_commands.json), ``--kbuild-cmd
PATH`` (a Kbuild ``.o.cmd``), or found next to FILE. Whichever it is, it comes back cleaned
(reducer.intake.commandline) with the directory it ran in, ready for
``CompileCommand.from_user(argv, ..., directory=)``.

Precedence, most explicit first: the words after ``--``; else ``-p``; else
``--kbuild-cmd``; else auto-detection, only for oracles that compile: the nearest
compile_commands.json in FILE's directory or a parent that has an entry for FILE, then
Kbuild's ``.<stem>.o.cmd`` beside FILE.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from reducer.compiler import STYLE_DRIVER, style_of
from reducer.errors import UsageError
from reducer.intake import compdb, kbuild
from reducer.intake.commandline import CleanCommand, clean_flags
from reducer.intake.compdb import FoundCommand


def add_intake_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("compile command from a build tree")
    group.add_argument(
        "-C",
        "--directory",
        type=Path,
        metavar="DIR",
        help="the directory the compile command ran in: relative paths in it (and the "
        "source word) are taken from there (default: the current directory; for "
        "--kbuild-cmd: the kernel tree's top, derived from the .o.cmd's place)",
    )
    group.add_argument(
        "-p",
        dest="build_dir",
        type=Path,
        metavar="BUILD_DIR",
        help="take FILE's compile command from BUILD_DIR/compile_commands.json",
    )
    group.add_argument(
        "--kbuild-cmd",
        dest="kbuild_cmd",
        type=Path,
        metavar="PATH",
        help="take the compile command from a Kbuild .o.cmd file (dir/.name.o.cmd)",
    )


@dataclass(frozen=True)
class Intake:
    """The compile command to use, cleaned, with where it came from and ran."""

    argv: tuple[str, ...]
    directory: Path
    origin: str  # "the command line", a database path, a .o.cmd path
    cleaned: CleanCommand

    def messages(self) -> list[str]:
        lines = []
        if self.origin != COMMAND_LINE:
            lines.append(f"compile command from {self.origin} (ran in {self.directory})")
        if self.cleaned.describe():
            lines.append(self.cleaned.describe())
        return lines


COMMAND_LINE = "the command line"


def resolve_intake(
    args: argparse.Namespace, words: list[str], file: Path, auto_detect: bool = True
) -> Intake | None:
    """The compile command for ``file``: ``words`` (what followed ``--``) or the build
    tree's; None when there is none (the caller decides whether that is an error).
    ``words`` may lack the program (``reduce matrix -- -O0 -c``): cleaning keeps a first
    word that is not a flag or the source as it is."""
    directory: Path | None = getattr(args, "directory", None)
    build_dir: Path | None = getattr(args, "build_dir", None)
    kbuild_cmd: Path | None = getattr(args, "kbuild_cmd", None)
    if directory is not None and not directory.is_dir():
        raise UsageError(f"-C {directory}: not a directory")
    found: FoundCommand | None
    if words:
        found = FoundCommand(tuple(words), (directory or Path.cwd()).absolute(), COMMAND_LINE)
    elif build_dir is not None:
        database = compdb.database_in(build_dir)
        found = compdb.command_for(database, file)
        if found is None:
            raise UsageError(f"{database}: no entry for {file}")
    elif kbuild_cmd is not None:
        found = kbuild.read_cmd_file(kbuild_cmd, directory)
    elif auto_detect:
        found = _detect(file, directory)
    else:
        found = None
    if found is None:
        return None
    driver = not found.argv or style_of(found.argv[0]) == STYLE_DRIVER
    cleaned = clean_flags(list(found.argv), file, found.directory, ensure_c=driver)
    return Intake(cleaned.argv, found.directory, found.origin, cleaned)


def _detect(file: Path, directory: Path | None) -> FoundCommand | None:
    start = file.absolute().parent
    database = compdb.find_database(start)
    while database is not None:
        found = compdb.command_for(database, file)
        if found is not None:
            return found
        # A database higher up may be the build's (a subproject with its own database).
        parent = database.parent.parent
        database = compdb.find_database(parent) if parent != database.parent else None
    cmd_file = kbuild.cmd_file_for(file.absolute())
    if cmd_file.is_file():
        return kbuild.read_cmd_file(cmd_file, directory)
    return None

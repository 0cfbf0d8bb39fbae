"""Read the compile command Kbuild saved for an object (``dir/.name.o.cmd``).

Kbuild writes, next to each object, a makefile fragment whose first line is the command
that built it::

    savedcmd_arch/x86/purgatory/purgatory.o := clang -Wp,-MMD,arch/x86/purgatory/.purgatory.o.d ...

(``cmd_<target> :=`` before Linux 6.2). The command is escaped for make: ``$$`` stands
for ``$`` and ``\\#`` for ``#``; after undoing that it is a POSIX shell word list.

Where it ran: Kbuild runs every compile from the top of the (object) tree, so the paths in
the command and the target are relative to it. The rule here: the ``.o.cmd`` file sits in
the target's directory, so the top is the ``.o.cmd``'s directory with the target's
directory part (``arch/x86/purgatory``) taken off its end. When that does not work (an
absolute target, as external modules have, or a ``.cmd`` file copied elsewhere) the user
says where with ``-C DIR``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path, PurePosixPath

from reducer.errors import UsageError
from reducer.intake.compdb import FoundCommand

_SAVED = re.compile(r"^(?:saved)?cmd_(?P<target>\S+)\s*:=\s*(?P<command>.*)$")


def cmd_file_for(source: Path) -> Path:
    """Where Kbuild keeps the command for ``source``'s object: ``.<stem>.o.cmd`` beside it."""
    return source.parent / f".{source.stem}.o.cmd"


def read_cmd_file(path: Path, top: Path | None = None) -> FoundCommand:
    """The command saved in ``path``; ``top`` (``-C``) overrides the derived directory."""
    if path.exists() and not path.is_file():  # a FIFO would block the read for ever
        raise UsageError(f"--kbuild-cmd {path}: not a regular file")
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise UsageError(f"--kbuild-cmd {path}: cannot read: {exc.strerror or exc}") from None
    for line in text.splitlines():
        match = _SAVED.match(line)
        if match:
            break
    else:
        raise UsageError(f"{path}: no 'savedcmd_<target> :=' (or 'cmd_<target> :=') line")
    target = match.group("target")
    command = match.group("command").replace("$$", "$").replace("\\#", "#")
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise UsageError(f"{path}: cannot split the saved command: {exc}") from None
    if not words:
        raise UsageError(f"{path}: the saved command for {target} is empty")
    directory = top.absolute() if top is not None else _top_directory(path, target)
    return FoundCommand(tuple(words), directory, str(path))


def _top_directory(path: Path, target: str) -> Path:
    """The tree top the saved command ran in, from the target's directory part."""
    parts = PurePosixPath(target).parent.parts
    here = path.absolute().parent
    if PurePosixPath(target).is_absolute():
        raise UsageError(
            f"{path}: the target {target} is absolute, so the directory the command ran in "
            "cannot be derived; give it with -C DIR"
        )
    if parts and tuple(here.parts[-len(parts) :]) != parts:
        raise UsageError(
            f"{path}: it does not sit in its target's directory ({'/'.join(parts)}), so the "
            "directory the command ran in cannot be derived; give it with -C DIR"
        )
    return here.parents[len(parts) - 1] if parts else here

"""Reading the user's input file (writing results is reducer.output's)."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from reducer.errors import InputError, OutputError
from reducer.output import kind_of

# LLVM bitcode, raw or in its wrapper: the one binary input (reducer.intake.ir reads it).
BITCODE_MAGICS = (b"BC\xc0\xde", b"\xde\xc0\x17\x0b")


def read_source(path: Path) -> str:
    """The input as text, or a one-line InputError saying what is wrong with it."""
    data = read_bytes(path)
    if b"\0" in data:
        if data.startswith(BITCODE_MAGICS):
            raise InputError(f"{path} is LLVM bitcode: give it with llc or opt after '--'")
        raise InputError(f"input looks binary (contains NUL bytes): {path}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"input is not valid UTF-8 (byte {exc.start}): {path}; convert it first"
        ) from exc


def read_bytes(path: Path) -> bytes:
    """The input's bytes (not empty), or a one-line InputError saying what is wrong."""
    if not path.exists():
        raise InputError(f"input file not found: {path}")
    if path.is_dir():
        raise InputError(f"input is a directory, not a file: {path}")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; what was opened is
        # checked before any read (a FIFO blocked reduce forever, /dev/zero never ends).
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    with open(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"input is {kind_of(mode)}, not a regular file: {path}")
        try:
            data = handle.read()
        except OSError as exc:
            raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    if not data.strip():
        raise InputError(f"input file is empty: {path}")
    return data


def default_output(input_path: Path, build_tree: Path | None = None) -> Path:
    """FILE.reduced.c next to the input; in the current directory instead when the input
    is in ``build_tree`` (the directory its compile command came from), which is never
    written."""
    # Bitcode is reduced as text: the result is textual IR whatever the input was.
    suffix = ".ll" if input_path.suffix == ".bc" else input_path.suffix or ".c"
    name = f"{input_path.stem}.reduced{suffix}"
    if build_tree is None or not is_inside(input_path, build_tree):
        return input_path.with_name(name)
    here = Path.cwd() / name
    if is_inside(here, build_tree):
        raise OutputError(
            f"{input_path} and the current directory are in the build tree {build_tree}, "
            "which reduce never writes: give -o PATH outside it"
        )
    return here


def is_inside(path: Path, tree: Path) -> bool:
    """Whether ``path`` (followed through symlinks) is ``tree`` or under it."""
    resolved, root = path.resolve(), tree.resolve()
    return resolved == root or root in resolved.parents


def check_outside_build_tree(path: Path, build_tree: Path | None, option: str) -> None:
    """A result, command file or emitted test never goes into the user's build tree."""
    if build_tree is not None and is_inside(path, build_tree):
        raise OutputError(
            f"refusing to write {option} {path}: it is in the build tree {build_tree} "
            "(where the compile command came from); choose a path outside it"
        )


def in_user_terms(message: str, source: Path | str) -> str:
    """``message`` with the private copies of ``source`` (``$TMPDIR/reducer-*/w0/in.c``,
    ``$TMPDIR/reduce-explain-*/in.c``: where candidates and checks are compiled) called
    by the name the user gave it, so a compiler's "in.c:1:9: error" points at a file they
    can open."""
    name = Path(source).name
    if not name:
        return message
    private = (
        re.escape(tempfile.gettempdir().rstrip("/"))
        + r"/reduce[^/\s]*(?:/[^/\s]+)*?/"
        + re.escape(name)
        + r"(?![^\s:'\")\]|,])"
    )
    return re.sub(private, lambda _: str(source), message)

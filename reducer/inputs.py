"""Reading the user's input file and writing results without ever touching the input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from reducer.errors import InputError, OutputError


def read_source(path: Path) -> str:
    """The input as text, or a one-line InputError saying what is wrong with it."""
    if not path.exists():
        raise InputError(f"input file not found: {path}")
    if path.is_dir():
        raise InputError(f"input is a directory, not a file: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    if not data.strip():
        raise InputError(f"input file is empty: {path}")
    if b"\0" in data:
        raise InputError(f"input looks binary (contains NUL bytes): {path}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"input is not valid UTF-8 (byte {exc.start}): {path}; convert it first"
        ) from exc


def default_output(input_path: Path) -> Path:
    return input_path.with_name(f"{input_path.stem}.reduced{input_path.suffix or '.c'}")


def check_output_path(output: Path, input_path: Path) -> None:
    """Fail early (before any compiler runs) if the result could not be saved."""
    if output.resolve() == input_path.resolve():
        raise OutputError(f"refusing to write the result over the input file: {output}")
    if output.is_dir():
        raise OutputError(f"output path is a directory: {output}")
    directory = output.parent
    if not directory.is_dir():
        raise OutputError(f"output directory does not exist: {directory}")
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".reducer-probe-"):
            pass
    except OSError as exc:
        raise OutputError(
            f"output directory is not writable: {directory} ({exc.strerror})"
        ) from exc


def write_atomically(path: Path, text: str) -> None:
    """Write via a unique temp file + rename, so readers (and a concurrent run on the same
    file) only ever see a complete file."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def prepare_output_directory(directory: Path) -> None:
    """Create `directory` if needed and make sure files can be written in it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".reducer-probe-"):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to directory {directory}: {exc.strerror or exc}") from exc

"""Every file reduce writes for the user goes through here: the result (``-o``), its
``.cmd`` line, emitted tests and tests placed in an llvm-project checkout.

The rule, in one place:

* A file is written only to a new path or over an existing regular file. A device node,
  FIFO, socket or directory is refused, and so is a symlink to one of them; a symlink to a
  regular file (or to nothing yet) is followed and its target written, the link kept.
  The user's input (``protect``) is never written, not even through another name.
* Writes are atomic: a temporary file next to the target, then a rename, so a reader
  (or an interrupted run) only ever sees a whole file. Several files are written all
  together or not at all, as far as renames in one directory allow.
* A new file's mode follows the umask (the kernel applies it to the 0666 we ask for, as
  for any tool's output); an existing file keeps its permission bits (and, where we may,
  its owner).
* Any OSError on the way (ENOSPC, EDQUOT, EROFS, EACCES, EIO, ...) is an OutputError:
  exit 6, one line naming the path.
* ``output_lock`` keeps two runs from writing one ``-o`` at once: the second refuses.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from reducer.errors import OutputError

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """What a non-regular file is, for messages ("a FIFO")."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _stat_or_none(path: Path, named: Path, follow: bool = True) -> os.stat_result | None:
    """``path``'s stat (None when it does not exist), or an OutputError naming ``named``."""
    try:
        return os.stat(path, follow_symlinks=follow)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot use {named} as output: {_reason(exc)}") from None


def check_target(path: Path, protect: Iterable[Path] = ()) -> Path:
    """The file to write for ``path`` (its symlinks followed), or an OutputError saying
    why it may not be written. ``protect``: files that must never be written (the input)."""
    link = _stat_or_none(path, path, follow=False)
    target = path
    info = link
    if link is not None and stat.S_ISLNK(link.st_mode):
        # The kernel's view first: a "magic" link such as /proc/self/fd/1 has no path
        # realpath could follow, but stat sees the pipe or terminal behind it.
        info = _stat_or_none(path, path)  # None: a link to a file not made yet (made)
        target = Path(os.path.realpath(path))
    if info is not None and not stat.S_ISREG(info.st_mode):
        via = f" (a symlink to {target})" if target != path else ""
        raise OutputError(
            f"refusing to write {path}{via}: it is {kind_of(info.st_mode)}, not a regular file"
        )
    if target != path:
        behind = _stat_or_none(target, path)
        # The file we would replace must be the one the link shows (a deleted file's
        # /proc/self/fd link has a path that is no longer it).
        if (info is None) != (behind is None) or (
            info is not None and behind is not None and not _same_file(info, behind)
        ):
            raise OutputError(f"refusing to write {path}: cannot tell which file the link names")
    if info is not None:
        for other in protect:
            try:
                kept = os.stat(other)
            except OSError:
                continue
            if _same_file(info, kept):
                raise OutputError(f"refusing to write over the input file {other}: {path}")
    if not target.parent.is_dir():
        raise OutputError(f"output directory does not exist: {target.parent}")
    return target


@dataclass(frozen=True)
class _Pending:
    path: Path  # as the user named it, for messages
    target: Path  # the file to replace
    temp: Path


def _write_temp(target: Path, data: bytes) -> Path:
    """``data`` in a new file next to ``target`` with the mode ``target`` will have."""
    try:
        existing: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        existing = None
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW
    while True:
        temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            # 0666: the kernel takes the umask off, as for any tool's output (mkstemp's
            # 0600 made every result private whatever the user's umask said).
            fd = os.open(temp, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        if existing is not None:
            os.fchmod(fd, stat.S_IMODE(existing.st_mode))
            # Root rewriting a user's file leaves it theirs; anyone else cannot chown, and
            # then the file is simply ours, as after any editor's save.
            with contextlib.suppress(PermissionError):
                os.fchown(fd, existing.st_uid, existing.st_gid)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        # Delayed allocation and quotas report ENOSPC/EDQUOT at fsync or close, not write.
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        temp.unlink(missing_ok=True)
        raise
    try:
        os.close(fd)
    except OSError:
        temp.unlink(missing_ok=True)
        raise
    return temp


def write_files(files: Mapping[Path, str], protect: Iterable[Path] = ()) -> None:
    """Write every file (path -> text) or, on an error, none: all temporary files first,
    then the renames. The one way results reach the user's disk."""
    protect = list(protect)
    targets = {path: check_target(path, protect) for path in files}
    pending: list[_Pending] = []
    current: Path | None = None
    try:
        for path, text in files.items():
            current = path
            data = text.encode("utf-8", "surrogateescape")
            pending.append(_Pending(path, targets[path], _write_temp(targets[path], data)))
        for item in pending:
            current = item.path
            os.replace(item.temp, item.target)
    except OSError as exc:
        for item in pending:
            with contextlib.suppress(OSError):
                item.temp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {current}: {_reason(exc)}") from None


def write_file(path: Path, text: str, protect: Iterable[Path] = ()) -> None:
    """One file by the rule of ``write_files``."""
    write_files({path: text}, protect)


def rescue(text: str, name: str) -> Path | None:
    """Keep ``text`` in a new private directory (the temporary directory, else the home
    directory) when the place the user asked for cannot take it; where, or None."""
    for base in (tempfile.gettempdir(), str(Path.home())):
        try:
            directory = Path(tempfile.mkdtemp(prefix="reducer-rescue-", dir=base))
        except OSError:
            continue
        try:
            write_file(directory / name, text)
        except OutputError:
            with contextlib.suppress(OSError):
                directory.rmdir()
            continue
        return directory / name
    return None


def check_output_path(output: Path, input_path: Path) -> None:
    """Fail early (before any compiler runs) if the result could not be saved."""
    try:
        if output.resolve() == input_path.resolve():
            raise OutputError(f"refusing to write the result over the input file: {output}")
    except (OSError, RuntimeError) as exc:  # a symlink loop
        raise OutputError(f"cannot use {output} as output: {exc}") from None
    target = check_target(output, [input_path])
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".reducer-probe-"):
            pass
    except OSError as exc:
        raise OutputError(
            f"output directory is not writable: {target.parent} ({_reason(exc)})"
        ) from exc


def prepare_output_directory(directory: Path) -> None:
    """Create ``directory`` if needed and make sure files can be written in it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".reducer-probe-"):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to directory {directory}: {_reason(exc)}") from exc


def lock_path(path: Path) -> Path:
    """The lock file of output ``path``: hidden, next to the file it guards."""
    target = check_target(path)
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def output_lock(path: Path) -> Iterator[None]:
    """Hold ``path``'s lock while the body runs, or refuse at once (OutputError) when
    another run holds it. The lock file is removed at the end; a run that is killed
    leaves it, unlocked, for the next run to take."""
    lock = lock_path(path)
    while True:
        try:
            # O_NOFOLLOW: a planted symlink must not make us create or truncate anything.
            fd = os.open(
                lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK, 0o666
            )
        except OSError as exc:
            raise OutputError(f"cannot create the lock file {lock}: {_reason(exc)}") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OutputError(f"the lock file {lock} is not a regular file")
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise OutputError(
                    f"another run is writing {path} (it holds {lock}); wait for it or give "
                    "another -o"
                ) from None
            raise OutputError(f"cannot lock {lock}: {_reason(exc)}") from None
        except OutputError:
            os.close(fd)
            raise
        # The run before us may have removed the file between our open and our lock: the
        # lock is ours only if it is still the file at that name.
        try:
            current = os.stat(lock, follow_symlinks=False)
        except FileNotFoundError:
            current = None
        if current is not None and _same_file(current, os.fstat(fd)):
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(fd)

"""Atomic file writes (a reader sees the old file or the complete new one, never a torn write),
private folders, and guarded reads of regular files."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path


class NotRegularFile(OSError):
    """The path names a device, FIFO, socket, folder or symbolic link where a file was expected."""

    def __init__(self, path: Path, what: str = "not a regular file") -> None:
        super().__init__(errno.EINVAL, what, str(path))


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """The first `limit + 1` bytes of the regular file `path` (more than `limit`: too large).

    Opened without blocking (a FIFO or device never hangs the reader) and checked on the open
    descriptor, so the file read is the file checked. Raises `NotRegularFile` or another `OSError`.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegularFile(Path(path))
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0 and (chunk := os.read(descriptor, left)):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parent, each private to the user (0700)."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)


def check_replaceable(target: Path) -> None:
    """Raise `OSError` unless `target` is absent or a regular file the user may write: a device,
    FIFO, socket, folder or symbolic link is never replaced, nor a read-only file."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise NotRegularFile(target, "a symbolic link, not replaced (give the real path)")
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(target, "not a regular file, not replaced")
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        target, os.W_OK
    ):
        raise PermissionError(errno.EACCES, "read-only file, not replaced", str(target))


def write_atomic(path: Path | str, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically.

    The text goes to a temporary file in the same folder, which is flushed, fsynced and renamed
    over `path` with `os.replace`; the folder is then fsynced so the rename survives a crash. On
    any failure the previous file at `path` is left intact and the temporary file is removed. A
    replaced file keeps its permissions; a new file is private to the user (0600), as case files
    and notes may be. Only a regular, writable file is ever replaced (`check_replaceable`).
    """
    target = Path(path)
    check_replaceable(target)
    replace_file(target, text.encode("utf-8"))


def replace_file(path: Path, content: bytes, *, durable: bool = True) -> None:
    """Write `content` to a temporary file beside `path`, then rename it over `path`: a reader
    sees the old file or the whole new one. `durable`: the file, then the folder, is fsynced so
    the new file survives a crash (a cache, whose torn entry fails its checksum, skips it). On
    any failure the temporary file is removed. A replaced file keeps its permissions; a new file
    is private to the user (0600)."""
    folder = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.chmod in os.supports_fd:
                with contextlib.suppress(FileNotFoundError):
                    os.chmod(handle.fileno(), path.stat().st_mode & 0o7777)
            handle.write(content)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    if durable:
        _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    """Persist a rename in `folder` (a no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

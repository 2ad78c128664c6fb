"""Atomic file writes: a reader sees the old file or the complete new one, never a torn write."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path | str, text: str) -> None:
    """Write `text` (UTF-8) to `path` atomically.

    The text goes to a temporary file in the same folder, which is flushed, fsynced and renamed
    over `path` with `os.replace`; the folder is then fsynced so the rename survives a crash. On
    any failure the previous file at `path` is left intact and the temporary file is removed. A
    replaced file keeps its permissions; a new file is private to the user (0600), as case files
    and notes may be.
    """
    target = Path(path)
    folder = target.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            if os.chmod in os.supports_fd:
                with contextlib.suppress(FileNotFoundError):
                    os.chmod(handle.fileno(), target.stat().st_mode & 0o7777)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
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

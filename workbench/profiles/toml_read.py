"""Read one TOML file defensively: never a traceback, never a hang, one clear problem per failure.

Guards, in order: not a regular file (checked on the opened descriptor, opened without blocking,
so a FIFO or device never hangs the reader), larger than `MAX_BYTES` (never more is read), binary
(NUL bytes), not UTF-8, nesting deeper than `MAX_NESTING` or a dotted key with more parts than that
outside strings and comments (both checked before parsing, so the parser can neither recurse out of
the stack nor spend seconds on one key), TOML syntax, and empty content."""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 1024 * 1024
"""Larger files are refused: no profile comes close to 1 MiB."""

MAX_NESTING = 32
"""Deepest allowed nesting of inline arrays and tables, and most parts in a dotted key (real
profiles use 3)."""

_ALL_BUT_MARKS = bytes(byte for byte in range(256) if byte not in b"[]{}.\n")
"""Deleting these from a file keeps only what the two pre-parse guards look at (one pass)."""
_DOTS_AND_NEWLINES = b".\n"
_BRACKETS = b"[]{}"
_MANY_DOTS = b"." * MAX_NESTING
_ALL_BUT_BRACKETS_AND_NEWLINES = bytes(byte for byte in range(256) if byte not in b"[]{}\n")
_LONG_DOTTED_KEY = re.compile(
    rb"""(?:(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')[ \t]*\.[ \t]*){%d}""" % MAX_NESTING
)
_OPENERS = b"[{"
_NEWLINE = ord("\n")


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """Why a file could not be read as TOML, and where (1-based line, when known)."""

    field: str
    message: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class FileBytes:
    """The bytes of a regular file and the size and modification time of what was read."""

    data: bytes
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class TomlDocument:
    """A parsed TOML file and its text (kept to locate problems later)."""

    text: str
    data: dict[str, Any]


def read_file(path: Path) -> FileBytes | ReadFailure:
    """The bytes of the regular file `path` (at most `MAX_BYTES`), or why they cannot be read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as error:
        return ReadFailure("(file)", f"cannot read: {getattr(error, 'strerror', None) or error}")
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            return ReadFailure("(file)", "not a regular file")
        if info.st_size > MAX_BYTES:
            return ReadFailure("(file)", f"file too large ({info.st_size:,} bytes; limit 1 MiB)")
        chunks: list[bytes] = []
        wanted = info.st_size + 1  # at once when the size is right; then the rest up to the limit
        left = MAX_BYTES + 1
        while left > 0 and (chunk := os.read(descriptor, min(wanted, left))):
            chunks.append(chunk)
            left -= len(chunk)
            wanted = left
    except OSError as error:
        return ReadFailure("(file)", f"cannot read: {error.strerror or error}")
    finally:
        os.close(descriptor)
    return FileBytes(b"".join(chunks), info.st_size, info.st_mtime_ns)


def read_toml(
    path: Path, read: FileBytes | ReadFailure | None = None
) -> TomlDocument | ReadFailure:
    """Parse `path` as TOML (or the bytes already `read` from it), or explain why it cannot be."""
    if read is None:
        read = read_file(path)
    if isinstance(read, ReadFailure):
        return read
    return parse_toml_bytes(read.data)


def parse_toml_bytes(raw: bytes) -> TomlDocument | ReadFailure:
    """Parse the bytes of a TOML file, or explain why they cannot be parsed."""
    if len(raw) > MAX_BYTES:
        return ReadFailure("(file)", f"file too large ({len(raw):,} bytes; limit 1 MiB)")
    nul = raw.find(b"\x00")
    if nul >= 0:
        return ReadFailure(
            "(file)", "binary file (contains NUL bytes)", raw.count(b"\n", 0, nul) + 1
        )
    try:  # as the "utf-8-sig" codec does, without its Python-level wrapper
        text = (raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw).decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return ReadFailure("(file)", f"not UTF-8 text (invalid byte at offset {error.start})", line)
    too_deep, too_long = _structure_too_deep(raw)
    if too_deep is not None or too_long is not None:  # perhaps only inside strings or comments
        too_deep, too_long = _structure_too_deep(_without_strings(raw))
    if too_deep is not None:
        return ReadFailure(
            "(syntax)", f"arrays/tables nested deeper than {MAX_NESTING} levels", too_deep
        )
    if too_long is not None:
        return ReadFailure("(syntax)", f"dotted key with more than {MAX_NESTING} parts", too_long)
    import tomli  # here: a warm (cached) load reads files but parses none

    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        return ReadFailure("(syntax)", f"invalid TOML: {error.msg}", error.lineno)
    except RecursionError:
        return ReadFailure("(syntax)", "arrays/tables nested too deeply to parse")
    if not data:
        return ReadFailure("(file)", "file is empty")
    return TomlDocument(text, data)


def _structure_too_deep(raw: bytes) -> tuple[int | None, int | None]:
    """The lines where nesting gets too deep and where a dotted key gets too long (or None)."""
    marks = raw.translate(None, _ALL_BUT_MARKS)
    return (
        _nesting_too_deep(raw, marks.translate(None, _DOTS_AND_NEWLINES)),
        _dotted_key_too_long(raw, marks.translate(None, _BRACKETS)),
    )


_STRING_OR_COMMENT = re.compile(
    rb'''"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*'''
)
"""TOML strings (multi-line first) and comments."""


def _without_strings(raw: bytes) -> bytes:
    """`raw` with every comment removed, every one-line string emptied (`""`: a quoted key keeps
    its place in a dotted key) and every multi-line string reduced to its newlines."""

    def emptied(match: re.Match[bytes]) -> bytes:
        found = match.group()
        if found.startswith(b"#"):
            return b""
        newlines = found.count(b"\n")
        return b"\n" * newlines if newlines else b'""'

    return _STRING_OR_COMMENT.sub(emptied, raw)


def _nesting_too_deep(raw: bytes, brackets: bytes) -> int | None:
    """The line where bracket nesting first exceeds `MAX_NESTING`, or None (`brackets`: the
    brackets of `raw` alone, in order).

    Counts every bracket, also inside strings and comments (the caller checks again without them
    when this finds too deep a nesting), and tomli's own nesting limit backs it up.
    Fast path: strip innermost pairs of `brackets` (up to two levels per round).
    """
    for _ in range(MAX_NESTING // 2):
        stripped = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if stripped == brackets:
            if brackets.count(b"[") + brackets.count(b"{") <= MAX_NESTING:
                return None
            break
        brackets = stripped
    depth = 0
    line = 1
    for byte in raw.translate(None, _ALL_BUT_BRACKETS_AND_NEWLINES):
        if byte == _NEWLINE:
            line += 1
        elif byte in _OPENERS:
            depth += 1
            if depth > MAX_NESTING:
                return line
        else:
            depth = depth - 1 if depth else 0
    return None


def _dotted_key_too_long(raw: bytes, dots_and_newlines: bytes) -> int | None:
    """The line of a dotted key with more than `MAX_NESTING` parts, or None.

    Fast path: such a key needs a line with that many dots, found from the dots and newlines of
    `raw` alone (`dots_and_newlines`).
    """
    if _MANY_DOTS not in dots_and_newlines:
        return None
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if line.count(b".") >= MAX_NESTING and _LONG_DOTTED_KEY.search(line):
            return number
    return None

"""The profile cache: the validated JSON data and problems of a load whose files are unchanged.

One JSON file per loaded root and file set in the user cache folder
(`platformdirs.user_cache_dir("workbench")`, or `$WORKBENCH_CACHE_DIR`; `WORKBENCH_NO_CACHE=1`
disables it). The key is the code version (`workbench.__version__` and a hash of the source of
validation, of the cache and of every workbench module they import, found from their import
statements, not listed by hand) and, for every file, its path, size, mtime_ns and a blake2b
hash of its bytes. Each file is read once, with the loader's guards (regular file, at most 1 MiB,
never blocking): the hash is taken from the very bytes that a miss validates, so a file changed
during a load can never leave figures under another content's key. A miss writes each validated
record's JSON data (`record_data.to_data`, run only here); a hit rebuilds the records from that
data (`record_data.from_data`), equal to the records a fresh validation builds. An entry is
signed with a keyed checksum (blake2b keyed with a random per-user secret in the cache folder,
0600; the folder is 0700), over its key and its data.
Anything unexpected (no file, garbage, another shape, a checksum or key mismatch, any exception)
is a miss: the files are validated again and the entry rewritten atomically (a temporary file
renamed over it). The cache is never trusted beyond its keyed checksum and its shape.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench import __version__

try:  # hashlib's own BLAKE2, without the OpenSSL library hashlib loads (half a MiB at a start)
    from _blake2 import blake2b
except ImportError:  # an interpreter built without it
    from hashlib import blake2b
from workbench.atomic import make_private_folder, read_regular_file, replace_file
from workbench.profiles import records
from workbench.profiles.file_result import FileResult
from workbench.profiles.library import Problem
from workbench.profiles.record_data import from_data, to_data
from workbench.profiles.toml_read import FileBytes, ReadFailure, read_file
from workbench.record import Record

FORMAT = 1
"""Layout of the cache file; bump when it changes."""

_CODE_ROOTS = ("workbench.profiles.validation", "workbench.profiles.cache")
"""The modules whose results the cache stores: what validation yields, and how its records are
stored and rebuilt. The code version hashes them and every workbench module they import."""
_IMPORTED = re.compile(rb"workbench(?:\.\w+)*(?:[ \t]+import[ \t]+(\([^)]*\)|[^\n]*))?")
"""A workbench module name and, after `from NAME`, what is imported from it."""
_RECORD_TYPES: dict[int, type[Record]] = {
    0: records.CriteriaFile,
    1: records.PresetsFile,
}
_SEVERITIES = ("error", "warning")
KEY_FILE = "key"
"""The per-user secret of the keyed checksum, in the cache folder."""
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""A cache file larger than this is not read (a miss)."""


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is disabled."""
    if os.environ.get("WORKBENCH_NO_CACHE", "") not in ("", "0"):
        return None
    override = os.environ.get("WORKBENCH_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("workbench"))


def _digest(data: bytes, key: bytes = b"") -> str:
    return blake2b(data, digest_size=20, key=key).hexdigest()


def _secret(folder: Path) -> bytes | None:
    """The cache's secret key (created on first use, private to the user); None if unusable."""
    path = folder / KEY_FILE
    try:
        make_private_folder(folder)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(os.urandom(32))  # what secrets.token_bytes reads
        key = read_regular_file(path, 64)
    except OSError:
        return None
    return key if len(key) == 32 else None


_code_version: str | None = None


def code_version() -> str:
    """A hash of the workbench version and of the source of every module whose change can change
    what a load yields (`code_modules`)."""
    global _code_version  # noqa: PLW0603 - computed once per process
    if _code_version is None:
        parts = [__version__.encode(), str(FORMAT).encode()]
        for module, source in code_modules().items():
            parts.extend((module.encode(), source))
        _code_version = _digest(b"\0".join(parts))
    return _code_version


def code_modules() -> dict[str, bytes]:
    """The source of `_CODE_ROOTS` and of every workbench module they import, directly or not
    (found from the import statements of the package's own files, those inside functions too),
    by module name."""
    top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    found: dict[str, bytes] = {}
    packages: dict[str, bool] = {}
    todo: list[tuple[str, list[str]]] = [(root, []) for root in _CODE_ROOTS]
    while todo:
        module, names = todo.pop()
        base = f"{top}/{module.replace('.', '/')}"
        package = packages.get(module)
        if package is None:
            package = packages[module] = os.path.isdir(base)
        if package:  # names imported from a package may be its modules
            todo.extend((f"{module}.{name}", []) for name in names)
        if module in found:
            continue
        path = f"{base}/__init__.py" if package else f"{base}.py"
        try:
            with open(path, "rb") as handle:
                found[module] = handle.read()
        except FileNotFoundError:
            continue  # a name imported from a package that is not one of its modules
        todo.extend(_imports(found[module]))
    return dict(sorted(found.items()))


def _imports(source: bytes) -> list[tuple[str, list[str]]]:
    """The workbench modules a module's source imports, each with the names imported from it."""
    modules = []
    for match in _IMPORTED.finditer(source):
        start = match.start()
        after_from = source[start - 5 : start] == b"from "
        if not (after_from or source[start - 7 : start] == b"import "):
            continue  # a mention, not an import
        names = match.group(1) if after_from else None
        modules.append(
            (
                match.group(0).split()[0].decode(),
                [name.decode() for name in re.findall(rb"\w+", names or b"")],
            )
        )
    return modules


def _fingerprint(path: Path) -> tuple[list[Any], FileBytes | ReadFailure]:
    """[path, size, mtime_ns, hash] of a file (size None when it cannot be read) and what was
    read (the bytes a miss validates)."""
    read = read_file(path)
    if isinstance(read, ReadFailure):
        return [str(path), None, None, read.message], read
    return [str(path), read.size, read.mtime_ns, _digest(read.data)], read


@dataclass(slots=True)
class Entry:
    """The cache entry of one load: where it lives and the key today's files give."""

    file: Path
    key: dict[str, Any]
    paths: list[Path]
    contents: dict[Path, FileBytes | ReadFailure]
    secret: bytes

    @property
    def texts(self) -> list[str | None]:
        return [_text(self.contents[path]) for path in self.paths]

    def _checksum(self, payload: bytes) -> str:
        return _digest(json.dumps(self.key).encode() + b"\n" + payload, self.secret)

    def read(self) -> tuple[FileResult, FileResult, list[FileResult]] | None:
        """The cached results when the entry exists, is intact and has today's key; else None."""
        try:
            raw = read_regular_file(self.file, MAX_ENTRY_BYTES)
            header, _, payload = raw.partition(b"\n")
            head = json.loads(header)
            if not isinstance(head, dict) or head.get("key") != self.key:
                return None
            if head.get("checksum") != self._checksum(payload):
                return None
            stored = json.loads(payload)
            return self._results(stored)
        except Exception:
            return None

    def _results(self, stored: object) -> tuple[FileResult, FileResult, list[FileResult]] | None:
        if not isinstance(stored, list) or len(stored) != len(self.paths):
            return None
        results = [
            _result(index, path, text, item)
            for index, (path, text, item) in enumerate(
                zip(self.paths, self.texts, stored, strict=True)
            )
        ]
        return results[0], results[1], results[2:]

    def write(self, results: tuple[FileResult, FileResult, list[FileResult]]) -> None:
        """Store the results of a full validation (failures to write are ignored)."""
        criteria, presets, profiles = results
        payload = (
            b"[" + b",".join(_stored(result) for result in (criteria, presets, *profiles)) + b"]"
        )
        header = json.dumps({"key": self.key, "checksum": self._checksum(payload)}).encode()
        with contextlib.suppress(OSError):
            make_private_folder(self.file.parent)
            # Not fsynced: after a crash a torn entry fails its checksum and is a miss, so
            # durability is not worth an fsync on every miss.
            replace_file(self.file, header + b"\n" + payload, durable=False)


def _stored(result: FileResult) -> bytes:
    """One file's entry as JSON: its data (the records' JSON on a miss), clean, problems."""
    problems = [[p.path, p.line, p.field, p.message, p.severity] for p in result.problems]
    data = result.data
    if data is None and result.record is not None:
        data = to_data(result.record)  # a miss: the freshly validated record's data
    entry = {"data": data, "clean": result.clean, "problems": problems}
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()


def _result(index: int, path: Path, text: str | None, item: object) -> FileResult:
    if not isinstance(item, dict) or set(item) != {"data", "clean", "problems"}:
        raise ValueError("cache entry of the wrong shape")
    data, clean, stored_problems = item["data"], item["clean"], item["problems"]
    if not isinstance(clean, bool) or not isinstance(stored_problems, list):
        raise ValueError("cache entry of the wrong shape")
    problems = []
    for problem in stored_problems:
        where, line, field, message, severity = problem
        if not (
            isinstance(where, str)
            and (line is None or (isinstance(line, int) and not isinstance(line, bool)))
            and isinstance(field, str)
            and isinstance(message, str)
            and severity in _SEVERITIES
        ):
            raise ValueError("cache problem of the wrong shape")
        problems.append(
            Problem(path=where, line=line, field=field, message=message, severity=severity)
        )
    record = None
    if data is not None:
        if not isinstance(data, dict):
            raise ValueError("cache data of the wrong shape")
        record = from_data(_RECORD_TYPES.get(index, records.Profile), data)
    return FileResult(path, data, record, clean, problems, None, text)


def _text(read: FileBytes | ReadFailure) -> str | None:
    if isinstance(read, ReadFailure):
        return None
    try:
        return read.data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def entry(root: Path, paths: list[Path]) -> Entry | None:
    """The cache entry for loading `paths` under `root` (None when the cache is disabled, or when a
    file name is not UTF-8: such a load is always validated)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        names = json.dumps([str(root), *(str(path) for path in paths)]).encode()
        for path in (root, *paths):
            str(path).encode("utf-8")
    except UnicodeEncodeError:
        return None
    secret = _secret(folder)
    if secret is None:
        return None
    fingerprints: list[list[Any]] = []
    contents: dict[Path, FileBytes | ReadFailure] = {}
    for path in paths:
        fingerprint, read = _fingerprint(path)
        fingerprints.append(fingerprint)
        contents[path] = read
    key = {"version": code_version(), "files": fingerprints}
    return Entry(folder / f"profiles-{_digest(names)}.json", key, paths, contents, secret)

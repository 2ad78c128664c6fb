"""Map key paths of a TOML document back to source lines, for precise problem messages.

`KeyLines(text).line_of(loc)` gives the line of the key (or array element) at `loc`, a path of dict
keys and list indices as pydantic reports it, e.g. `("measurements", "pml", "strata", 0, "low")`.
When the exact path is absent (a missing key), the line of its nearest present ancestor is returned.

The scanner understands tables `[a.b]`, arrays of tables `[[a]]`, dotted keys, quoted keys, inline
tables, (multi-line) arrays and all string forms. It never raises: on text that is not valid TOML it
records what it can. It runs only when a file has a problem, so it favours clarity over speed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

Loc = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?')
_LITERAL_STRING = re.compile(r"'[^'\n]*'?")
_ML_BASIC_STRING = re.compile(r'"""(?:[^\\]|\\.)*?"""(?!")|"""(?:[^\\]|\\.)*', re.DOTALL)
_ML_LITERAL_STRING = re.compile(r"'''.*?'''(?!')|'''.*", re.DOTALL)
_SCALAR = re.compile(r"[^,\]}\n#\s]+(?:[ T][0-9][^,\]}\n#\s]*)?")
_SPACE = re.compile(r"[ \t]*")

MAX_KEY_DEPTH = 64
"""Prefixes of longer dotted keys are not indexed (keeps pathological keys linear in cost)."""


class KeyLines:
    """Lazily built index from key paths to 1-based line numbers of one TOML text."""

    def __init__(self, text: str) -> None:
        self._text = text

    @cached_property
    def _index(self) -> dict[Loc, int]:
        return _Scanner(self._text).scan()

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Line of `loc`, else of its longest present prefix; None when nothing matches."""
        index = self._index
        path = tuple(loc)
        while path:
            line = index.get(path)
            if line is not None:
                return line
            path = path[:-1]
        return None


class _Scanner:
    """A forgiving single-pass TOML scanner that records where every key and element starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.index: dict[Loc, int] = {}
        self.array_tables: dict[Loc, int] = {}

    # ------------------------------------------------------------------ helpers

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def advance_to(self, end: int) -> None:
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def skip_space(self) -> None:
        self.pos = _SPACE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def skip_blank(self) -> None:
        """Skip spaces, newlines and comments."""
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char in " \t\r":
                self.pos += 1
            elif char == "\n":
                self.pos += 1
                self.line += 1
            elif char == "#":
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end

    def record(self, path: Loc, line: int) -> None:
        self.index.setdefault(path, line)

    # ------------------------------------------------------------------ document

    def scan(self) -> dict[Loc, int]:
        table: Loc = ()
        while True:
            self.skip_blank()
            if self.pos >= len(self.text):
                return self.index
            start = self.pos
            if self.peek(2) == "[[":
                table = self.header(array=True)
            elif self.peek() == "[":
                table = self.header(array=False)
            else:
                self.key_value(table)
            if self.pos == start:  # unrecognised character: skip the rest of the line
                self.skip_line()

    def header(self, *, array: bool) -> Loc:
        line = self.line
        self.pos += 2 if array else 1
        keys = self.dotted_key()
        self.skip_space()
        closing = "]]" if array else "]"
        if self.peek(len(closing)) == closing:
            self.pos += len(closing)
        self.skip_line()
        if not keys:
            return ()
        for depth in range(1, min(len(keys), MAX_KEY_DEPTH)):
            self.record(self.resolve(keys[:depth]), line)  # implicitly created super-tables
        path = (*self.resolve(keys[:-1]), keys[-1])
        self.record(path, line)
        if array:
            index = self.array_tables.get(path, -1) + 1
            self.array_tables[path] = index
            path = (*path, index)
            self.record(path, line)
        return path

    def resolve(self, keys: Sequence[str]) -> Loc:
        """Absolute path of header keys, entering the latest element of arrays of tables."""
        path: Loc = ()
        for key in keys:
            path = (*path, key)
            if path in self.array_tables:
                path = (*path, self.array_tables[path])
        return path

    def key_value(self, table: Loc) -> None:
        line = self.line
        keys = self.dotted_key()
        if not keys:
            return
        for depth in range(1, min(len(keys), MAX_KEY_DEPTH) + 1):
            self.record((*table, *keys[:depth]), line)
        self.skip_space()
        if self.peek() == "=":
            self.pos += 1
            self.value((*table, *keys))
        self.skip_line()

    def dotted_key(self) -> list[str]:
        keys: list[str] = []
        while True:
            self.skip_space()
            key = self.key()
            if key is None:
                return keys
            keys.append(key)
            self.skip_space()
            if self.peek() != ".":
                return keys
            self.pos += 1

    def key(self) -> str | None:
        char = self.peek()
        if char == '"':
            match = _BASIC_STRING.match(self.text, self.pos)
        elif char == "'":
            match = _LITERAL_STRING.match(self.text, self.pos)
        else:
            match = _BARE_KEY.match(self.text, self.pos)
        if match is None:
            return None
        self.pos = match.end()
        raw = match.group()
        if char == "'":
            return raw[1:-1]
        if char == '"':
            return _decode_basic(raw)
        return raw

    # ------------------------------------------------------------------ values

    def value(self, path: Loc) -> None:
        self.skip_space()
        char = self.peek()
        if char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            self.string_or_scalar()

    def string_or_scalar(self) -> None:
        head = self.peek(3)
        if head == '"""':
            pattern = _ML_BASIC_STRING
        elif head == "'''":
            pattern = _ML_LITERAL_STRING
        elif head[:1] == '"':
            pattern = _BASIC_STRING
        elif head[:1] == "'":
            pattern = _LITERAL_STRING
        else:
            pattern = _SCALAR
        match = pattern.match(self.text, self.pos)
        if match is not None:
            self.advance_to(match.end())

    def array(self, path: Loc) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip_blank()
            char = self.peek()
            if char in ("]", ""):
                self.pos += len(char)
                return
            if char == ",":
                self.pos += 1
                index += 1
                continue
            start = self.pos
            self.record((*path, index), self.line)
            self.value((*path, index))
            if self.pos == start:
                return

    def inline_table(self, path: Loc) -> None:
        self.pos += 1
        while True:
            self.skip_blank()
            char = self.peek()
            if char in ("}", ""):
                self.pos += len(char)
                return
            if char == ",":
                self.pos += 1
                continue
            line = self.line
            keys = self.dotted_key()
            if not keys:
                return
            for depth in range(1, min(len(keys), MAX_KEY_DEPTH) + 1):
                self.record((*path, *keys[:depth]), line)
            self.skip_space()
            if self.peek() != "=":
                return
            self.pos += 1
            start = self.pos
            self.value((*path, *keys))
            if self.pos == start:
                return


def _decode_basic(raw: str) -> str:
    """The value of a quoted basic-string key (escapes decoded by tomli itself)."""
    inner = raw[1:-1] if len(raw) > 1 and raw.endswith('"') else raw[1:]
    if "\\" not in inner:
        return inner
    import tomli  # only keys with escapes need it (none are bundled): not imported at start-up

    try:
        decoded = tomli.loads(f"k = {raw}")["k"]
    except tomli.TOMLDecodeError:
        return inner
    return decoded if isinstance(decoded, str) else inner

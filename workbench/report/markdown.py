"""Markdown escaping: profile text appears literally in a note, never as Markdown or HTML."""

from __future__ import annotations

import re

from workbench.text import clean_line

_SPECIAL = re.compile(r"([\\`*_\[\]<|~])")
_ENTITY = re.compile(r"&(#?\w+;)")
_BLOCK_START = re.compile(r"^(?=#{1,6}(?:\s|$)|[+-](?:\s|$)|>|[=-]+$)")
"""A heading, bullet, quote or setext underline would start here: a backslash goes in front."""
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def inline(text: str) -> str:
    """`text` on one line, control characters removed, Markdown and HTML characters escaped.

    Safe anywhere in a line, including a table cell and the start of a line (no heading, list or
    quote can begin).
    """
    escaped = _ENTITY.sub(r"\\&\1", _SPECIAL.sub(r"\\\1", clean_line(text)))
    return _ORDERED_START.sub(r"\1\\\2", _BLOCK_START.sub("\\\\", escaped, count=1))

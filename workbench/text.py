"""Text made safe to show in a terminal, a note or an export: no control, bidi, zero-width or tag
characters, nothing interpreted.

Every text from a file, a file name or the user that reaches a terminal, CSV, Markdown, HTML or
JSON passes through `clean` (or `clean_line`) and is then shown as plain text (never as markup), so
a note containing `[bold]`, `[link=...]` or an escape sequence appears literally, minus those
characters.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0/C1 controls but tab and newline (ESC, CR, BEL…), DEL
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks and overrides
    "\u180e\u200b-\u200d\u2060-\u2064\ufeff"  # zero-width characters
    "\U000e0000-\U000e007f]"  # tag characters
)
"""What `clean` removes: controls but tab and newline, DEL, bidi, zero-width and tag characters."""
_SURROGATE = re.compile("[\ud800-\udfff]")
"""Lone surrogates (an undecodable byte of a file name): shown as U+FFFD."""

_WHITESPACE_RUN = re.compile(r"\s+")


def clean(text: str) -> str:
    """`text` without the characters `_CONTROL` lists; tabs become spaces, lone surrogates U+FFFD;
    newlines and all else are kept."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text)).replace("\t", " ")


def clean_line(text: str) -> str:
    """`clean(text)` folded onto one line: every run of whitespace becomes one space."""
    return _WHITESPACE_RUN.sub(" ", clean(text)).strip()


PARAPHRASE_MARK = "paraphrase"
"""Label text that starts with this word (any case) is a paraphrase, never a quotation."""


def label_quote(text: str) -> str:
    """Label wording as shown: in quotation marks when quoted from the label; a paraphrase (text
    starting with "paraphrase") as it stands, never inside quotation marks."""
    if text.lstrip().casefold().startswith(PARAPHRASE_MARK):
        return text
    return f"“{text}”"

"""Profile text made safe to show in a terminal or a note: no control characters, nothing
interpreted.

Renderers pass profile text through `clean` and then show it as plain text (never as markup), so a
note containing `[bold]`, `[link=...]` or an escape sequence appears literally, minus the control
characters.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0/C1 controls except tab and newline (ESC, CR, BEL, …), DEL and the bidirectional overrides."""

_WHITESPACE_RUN = re.compile(r"\s+")


def clean(text: str) -> str:
    """`text` without control characters; tabs become spaces; newlines and all else are kept."""
    return _CONTROL.sub("", text).replace("\t", " ")


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

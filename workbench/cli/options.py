"""Option value types shared by the sub-commands: whole numbers within bounds, checked by argparse
(a bad value is a one-line usage error, exit status 2)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type`: a whole number from `low` to `high` (short decimal text only)."""

    def parse(raw: str) -> int:
        text = raw.strip()
        if len(text) > 20 or not text.lstrip("+-").isdigit():
            raise argparse.ArgumentTypeError(f"{_short(raw)!r} is not a whole number")
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not within {low:,}-{high:,}")
        return value

    parse.__name__ = "whole number"
    return parse


def _short(raw: str) -> str:
    from workbench.text import clean_line

    shown = clean_line(raw)
    return shown if len(shown) <= 40 else shown[:37] + "..."

"""The text sanitizer shared by the app and the reports: control characters out, rest literal."""

from __future__ import annotations

from workbench.text import clean, clean_line


def test_control_characters_are_removed_and_markup_kept() -> None:
    raw = "\x1b[31m[bold]red[/bold]\x1b[0m [link=https://x.org]x[/link]\r\x07\x9b"
    assert clean(raw) == "[31m[bold]red[/bold][0m [link=https://x.org]x[/link]"


def test_bidirectional_overrides_are_removed() -> None:
    assert clean("abc\u202edcba\u2066x\u2069") == "abcdcbax"


def test_newlines_stay_and_tabs_become_spaces() -> None:
    assert clean("a\tb\nc") == "a b\nc"


def test_clean_line_folds_whitespace_onto_one_line() -> None:
    assert clean_line("  first\n  second\t third \r") == "first second third"


def test_ordinary_unicode_is_untouched() -> None:
    text = "anti-JCV ≤0.9 · Lemtrada® — “quoted” µg ≥ 1,000 ‰"
    assert clean(text) == text
    assert clean_line(text) == text

"""The text sanitizer shared by the app and the reports: control characters out, rest literal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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


_STYLES = ["bold", "dim", "italic", "red", "bold reverse #4e79a7", "#f28e2b"]


@st.composite
def _styled_lines(draw: st.DrawFn) -> tuple[str, str, list[tuple[int, int, str]]]:
    """A line, a base style and spans within it (overlapping ones too)."""
    plain = draw(st.text(alphabet="ab █▓░·→…é", max_size=30))
    bound = st.integers(0, len(plain))
    pairs = draw(st.lists(st.tuples(bound, bound, st.sampled_from(_STYLES)), max_size=8))
    return (
        plain,
        draw(st.sampled_from(["", "bold", "dim"])),
        [(min(a, b), max(a, b), style) for a, b, style in pairs],
    )


@given(_styled_lines())
def test_line_segments_draw_what_rich_draws(
    line: tuple[str, str, list[tuple[int, int, str]]],
) -> None:
    plain, base, spans = line
    from rich.console import Console
    from rich.segment import Segment
    from rich.text import Span, Text

    from workbench.app.widgets.lines_view import line_segments

    text = Text(plain, style=base, spans=[Span(a, b, style) for a, b, style in spans])
    console = Console(width=80, color_system="truecolor")

    def cells(segments: list[Segment]) -> list[tuple[str, object]]:
        """Character by character with its style: equal however the segments are cut."""
        return [(c, s.style) for s in segments for c in s.text]

    assert cells(line_segments(text, console)) == cells(list(text.render(console)))

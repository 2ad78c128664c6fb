"""Label wording: quoted when quoted from the label, never when it is a paraphrase."""

from workbench.text import label_quote


def test_quoted_label_text_gets_quotation_marks() -> None:
    assert label_quote("Relapsing forms of MS") == "“Relapsing forms of MS”"


def test_a_paraphrase_is_never_inside_quotation_marks() -> None:
    for text in ("paraphrase (SmPC 4.1): highly active RRMS", "Paraphrase: highly active RRMS"):
        assert label_quote(text) == text

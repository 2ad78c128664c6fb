"""The activity facts at the edges (issue 23): CLI options and saved cases (version 3, reading
version 2 files without loss); the case panel's inline errors are in test_case_entry."""

from __future__ import annotations

import pytest

from workbench.cli.main import main
from workbench.session import CASE_VERSION, case_document, parse_case


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--relapses-12m", "-1"], "--relapses-12m: Input should be greater than or equal to 0"),
        (["--gd-lesions", "-3"], "--gd-lesions: Input should be greater than or equal to 0"),
        (["--relapses-24m", "two"], "argument --relapses-24m: invalid int value: 'two'"),
        (["--new-t2-12m", "1.5"], "argument --new-t2-12m: invalid int value: '1.5'"),
    ],
)
def test_a_bad_count_is_a_clear_cli_error(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["compare", "--format", "json", *argv])
    except SystemExit as stop:
        code = int(stop.code or 0)
    assert code == 2
    assert message in capsys.readouterr().err


def test_the_cli_facts_reach_the_activity(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--region", "eu", "--current-dmt", "none", "--relapses-12m", "2", "--gd-lesions", "1"]
    assert main(["compare", "--format", "markdown", "--drugs", "natalizumab", *argv]) == 0
    note = capsys.readouterr().out
    assert "| Relapses, last 12 months | 2 |" in note
    assert "Disease activity: rapidly-evolving-severe (derived from the facts)" in note


V2 = b"""format = "workbench-case"
version = 2
drugs = ["natalizumab"]

[importance]
pml = 5.0

[context]
region = "eu"
activity = "highly-active"
current_dmt = "fingolimod"
months_on_current = 14
conception_planned_in_months = "not-planned"
"""


def test_a_version_2_case_reads_without_loss_and_saves_as_version_3() -> None:
    loaded = parse_case(V2, None).case
    context = loaded.context
    assert (context.activity, context.current_dmt, context.months_on_current) == (
        "highly-active",
        "fingolimod",
        14,
    )
    assert context.conception_planned_in_months == "not-planned"
    assert context.relapses_12m is None
    assert context.activity_on_current is None
    document = case_document(loaded)
    assert document["version"] == CASE_VERSION == 3
    assert document["context"]["activity"] == "highly-active"


def test_saved_facts_round_trip() -> None:
    text = V2.replace(b"version = 2", b"version = 3") + (
        b"relapses_12m = 1\ngd_lesions = 3\nactivity_on_current = true\n"
    )
    context = parse_case(text, None).case.context
    assert (context.relapses_12m, context.gd_lesions, context.activity_on_current) == (1, 3, True)

"""`workbench compare --swing`: swing weighting from the command line."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from workbench.cli import cmd_compare
from workbench.cli.main import build_parser

PROFILES = ["--profiles", str(FIXTURES / "engine"), "--format", "json"]


def compare(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cmd_compare.run(build_parser("compare").parse_args(["compare", *argv]))
    out, err = capsys.readouterr()
    return code, out, err


def test_swing_ratings_become_weights_proportional_to_the_ratings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = compare([*PROFILES, "--swing", "efficacy=100", "--swing", "harm=60"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["weights"] == {"efficacy": 0.625, "harm": 0.375, "wait": 0.0}
    assert data["importance"] == {"efficacy": 10.0, "harm": 6.0, "wait": 0.0}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--swing", "harm=60"], "the most important swing must be rated 100"),
        (["--swing", "harm=140"], "swing rating of harm must be between 0 and 100"),
        (["--swing", "nope=100"], "unknown concern 'nope' in --swing; valid: efficacy, harm, wait"),
        (["--swing", "harm"], "--swing expects CONCERN=0..100"),
        (["--swing", "harm=100", "--weight", "wait=3"], "--swing replaces --preset and --weight"),
        (["--swing", "harm=100", "--preset", "even"], "--swing replaces --preset and --weight"),
    ],
)
def test_bad_swing_input_is_one_clear_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = compare([*PROFILES, *argv], capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1

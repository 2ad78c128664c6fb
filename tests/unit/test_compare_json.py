"""`workbench compare --format json`: the documented JSON contract and the option errors."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import TESTS

from workbench.cli import cmd_compare
from workbench.cli.main import build_parser

FIXTURES = TESTS / "fixtures" / "engine"
BASE = ["--profiles", str(FIXTURES), "--preset", "even"]


def _parse(argv: list[str]) -> argparse.Namespace:
    return build_parser("compare").parse_args(["compare", *argv])


def compare(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cmd_compare.run(_parse(argv))
    out, err = capsys.readouterr()
    return code, out, err


def compare_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = compare([*BASE, *argv], capsys)
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


def _floats(node: Any) -> list[float]:
    if isinstance(node, float):
        return [node]
    if isinstance(node, dict):
        return [x for value in node.values() for x in _floats(value)]
    if isinstance(node, list):
        return [x for value in node for x in _floats(value)]
    return []


def test_contract(capsys: pytest.CaptureFixture[str]) -> None:
    data = compare_json(["--jcv", "negative"], capsys)
    assert set(data) == {
        "weights",
        "importance",
        "context",
        "policy",
        "rank_mode",
        "drugs",
        "sensitivity",
        "sources",
        "stopping",
        "activity",
        "not_relevant",
        "preset",
    }
    assert data["preset"] == {
        "id": "even",
        "label": "Even",
        "source": "a teaching device without a source (not a published preference study)",
        "teaching": True,
    }
    assert data["not_relevant"] == {}
    assert data["weights"] == {"efficacy": 0.333333, "harm": 0.333333, "wait": 0.333333}
    assert data["importance"] == {"efficacy": 5.0, "harm": 5.0, "wait": 5.0}
    assert data["context"]["jcv_status"] == "negative"
    assert data["context"]["prior_dmts"] is None
    assert "missing data never decides a rank" in data["policy"]
    assert [d["id"] for d in data["drugs"]] == ["beta", "alpha", "gamma"]
    assert [d["rank"] for d in data["drugs"]] == [1, 2, 3]
    beta, alpha, gamma = data["drugs"]
    assert {"id", "name", "rank", "score", "score_range", "complete", "criteria", "reservation"} | {
        "flags",
        "monitoring",
    } <= set(beta)
    assert "acceptability" not in beta
    assert (beta["score"], beta["score_range"], beta["complete"]) == (0.8, [0.8, 0.8], True)
    harm = alpha["criteria"]["harm"]
    assert {k: harm[k] for k in ("value", "low", "high", "unit", "status", "stratum")} == {
        "value": 0.5,
        "low": 0.5,
        "high": 0.5,
        "unit": "per 1,000",
        "status": "measured",
        "stratum": "Negative",
    }
    assert (harm["value_score"], harm["contribution"], harm["strength"]) == (0.875, 0.291667, "low")
    assert harm["sources"] == ["alpha-registry"]
    assert (gamma["score"], gamma["complete"]) == (None, False)
    assert gamma["score_range"] == [0.433333, 0.766667]
    assert gamma["criteria"]["harm"]["status"] == "no-data"
    assert gamma["criteria"]["harm"]["value"] is None
    assert alpha["reservation"]["eu"] == {
        "restricted": True,
        "wording": "Highly active disease or at least two prior DMTs (fixture).",
        "patient_meets": None,
        "sources": ["alpha-label"],
    }
    assert {"level": "info", "code": "infusion", "sources": ["alpha-label"]}.items() <= next(
        f for f in alpha["flags"] if f["code"] == "infusion"
    ).items()
    assert [m["test"] for m in alpha["monitoring"]] == ["Blood count", "EU-only check"]
    assert data["sensitivity"][0] == {
        "concern": "efficacy",
        "current": 0.333333,
        "low": 0.0,
        "high": 0.407407,
        "top_drug": "beta",
    }
    assert data["sources"]["beta"] == {"beta-label": "Beta fixture label, 2024."}
    assert all(round(x, 6) == x for x in _floats(data))


def test_values_are_context_adjusted(capsys: pytest.CaptureFixture[str]) -> None:
    data = compare_json(["--region", "us", "--jcv", "positive", "--jcv-index", "2.0"], capsys)
    alpha = next(d for d in data["drugs"] if d["id"] == "alpha")
    assert alpha["criteria"]["wait"]["value"] == 6.0
    assert alpha["criteria"]["harm"]["value"] == 8.0
    unknown = compare_json(["--drugs", "alpha"], capsys)["drugs"][0]
    assert unknown["criteria"]["harm"]["status"] == "stratum-range"
    assert (unknown["criteria"]["harm"]["low"], unknown["criteria"]["harm"]["high"]) == (0.5, 8.0)
    assert unknown["score"] is None


def test_weights_override_the_preset(capsys: pytest.CaptureFixture[str]) -> None:
    data = compare_json(["--weight", "efficacy=10", "--weight", "wait=0"], capsys)
    assert data["importance"] == {"efficacy": 10.0, "harm": 5.0, "wait": 0.0}
    assert data["weights"] == {"efficacy": 0.666667, "harm": 0.333333, "wait": 0.0}


def test_context_options(capsys: pytest.CaptureFixture[str]) -> None:
    data = compare_json(
        [
            "--course=rrms",
            "--activity=highly-active",
            "--prior-dmts=2",
            "--no-prior-immunosuppressant",
            "--current-dmt=alpha",
            "--months-on-current=30",
            "--horizon-months=24",
            "--autoimmune-history",
            "--autoimmune-types=thyroid,itp",
            "--lymphocytes=0.4",
            "--lymphopenia-months=8",
            "--igg-low",
            "--natalizumab-dosing=extended",
            "--hbsag=negative",
            "--tb-screen=not-done",
            "--no-live-vaccine-recent",
            "--comorbidities=none",
            "--breastfeeding=no",
            "--no-pregnancy-planned",
            "--age=40",
        ],
        capsys,
    )
    assert data["context"] == {
        "region": "eu",
        "course": "rrms",
        "activity": "highly-active",
        "prior_dmts": 2,
        "prior_immunosuppressant": False,
        "jcv_status": "unknown",
        "jcv_index": None,
        "current_dmt": "alpha",
        "months_on_current": 30,
        "horizon_months": 24,
        "autoimmune_history": True,
        "previous_dmts": None,
        "adequate_course": None,
        "sex": "unknown",
        "conception_planned_in_months": "not-planned",
        "age": 40,
        "autoimmune_types": ["thyroid", "itp"],
        "comorbidities": [],
        "lymphocytes": 0.4,
        "lymphopenia_months": 8,
        "igg_below_lln": True,
        "natalizumab_dosing": "extended",
        "hbsag": "negative",
        "anti_hbc": None,
        "vzv_igg": None,
        "tb_screen": "not-done",
        "hiv": None,
        "live_vaccine_recent": False,
        "breastfeeding": "no",
        "relapses_12m": None,
        "relapses_24m": None,
        "new_t2_12m": None,
        "gd_lesions": None,
        "t2_lesions": None,
        "activity_on_current": None,
        "derived": {"prior_dmts": 2, "prior_dmts_at_least": 1, "prior_immunosuppressant": False},
    }
    alpha = next(d for d in data["drugs"] if d["id"] == "alpha")
    assert alpha["reservation"]["eu"]["patient_meets"] is True
    assert {"code": "autoimmune", "level": "warning"}.items() <= alpha["flags"][0].items()


def test_smaa(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--smaa", "300", "--seed", "5", "--smaa-weights", "around", "--smaa-spread", "1"]
    data = compare_json(argv, capsys)
    smaa = {k: v for k, v in data["smaa"].items() if k != "most_probable_first"}
    assert smaa == {"iterations": 300, "seed": 5, "weight_mode": "around", "spread": 1.0}
    assert data["smaa"]["most_probable_first"] in {d["id"] for d in data["drugs"]}
    for d in data["drugs"]:
        assert list(d["acceptability"]) == ["1", "2", "3"]
        assert sum(d["acceptability"].values()) == pytest.approx(1.0, abs=1e-5)
        assert d["confidence"] is None or 0.0 <= d["confidence"] <= 1.0
    for rank in ("1", "2", "3"):
        assert sum(d["acceptability"][rank] for d in data["drugs"]) == pytest.approx(1.0, abs=1e-5)
    assert compare_json(argv, capsys) == data
    default = compare_json(["--smaa"], capsys)["smaa"]
    default.pop("most_probable_first")
    assert default == {"iterations": 10_000, "seed": 0, "weight_mode": "around", "spread": 2.0}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--drugs", "alpha,zeta"], "unknown drug id(s) zeta; valid: alpha, beta, gamma"),
        (["--drugs", ","], "--drugs needs at least one drug id"),
        (
            ["--weight", "relapses=3"],
            "unknown concern 'relapses' in --weight; valid: efficacy, harm, wait",
        ),
        (["--weight", "efficacy"], "--weight expects CONCERN=0..10, got 'efficacy'"),
        (["--weight", "efficacy=high"], "--weight efficacy: 'high' is not a number 0..10"),
        (["--weight", "efficacy=12"], "importance of efficacy must be between 0 and 10, got 12"),
        (
            ["--weight", "efficacy=0", "--weight", "harm=0", "--weight", "wait=0"],
            "every importance is 0: give at least one concern an importance above 0",
        ),
        (["--preset", "nope"], "unknown preset 'nope'; valid: even, efficacy-first, harm-only"),
        (["--age", "130"], "--age: Input should be less than or equal to 120"),
        (["--smaa", "0"], "--smaa: SMAA needs at least 1 iteration, got 0"),
    ],
)
def test_errors_are_one_line_with_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = compare([*BASE, *argv], capsys)
    assert (code, out) == (2, "")
    assert err == f"workbench compare: error: {message}\n"


@pytest.mark.parametrize("option", ["--region", "--jcv", "--course", "--activity", "--format"])
def test_bad_choices_name_the_valid_ones(option: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _parse([option, "bogus"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'bogus' (choose from" in capsys.readouterr().err


def test_profiles_with_errors_are_skipped_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("criteria.toml", "presets.toml", "beta.toml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "broken.toml").write_text('id = "broken"\nname = 3\n', encoding="utf-8")
    code, out, err = compare(["--profiles", str(tmp_path), "--preset", "even"], capsys)
    assert code == 0
    assert [d["id"] for d in json.loads(out)["drugs"]] == ["beta"]
    assert "broken.toml" in err


def test_bundled_profiles_and_default_preset(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "--drugs",
        "natalizumab,teriflunomide",
        "--jcv",
        "negative",
        "--current-dmt",
        "natalizumab",
        "--months-on-current",
        "6",
    ]
    code, out, _ = compare(argv, capsys)
    assert code == 0
    data = json.loads(out)
    assert {d["id"] for d in data["drugs"]} == {"natalizumab", "teriflunomide"}
    # the default rule of presets.toml: activity not given, so the neurologists' "other" preset
    assert data["preset"]["id"] == "uk-neurologists-other"
    assert "Kumar" in data["preset"]["source"]
    natalizumab = next(d for d in data["drugs"] if d["id"] == "natalizumab")
    assert natalizumab["criteria"]["pml"]["status"] == "measured"
    assert set(natalizumab["reservation"]) == {"eu", "us"}

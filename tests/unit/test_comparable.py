"""Issue 24: comparable figures per concern (reference kinds, equivalence classes), switching
rules declared once per class, the cells filled, and the rank range of a drug with missing data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from workbench.engine.context import PatientContext
from workbench.engine.evaluate import evaluate
from workbench.engine.result import DrugResult, Result
from workbench.profiles.library import Library
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.profiles.vocabulary import STRENGTHS
from workbench.report.coverage import coverage
from workbench.report.wording import rank_range

SEED_CONCERNS = ("disease_activity", "secondary_autoimmunity", "pml", "other_infections")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(bundled_profiles_dir(), use_cache=False)


def _drug(result: Result, drug_id: str) -> DrugResult:
    return next(d for d in result.drugs if d.id == drug_id)


def _balanced(library: Library) -> dict[str, float]:
    return dict(library.preset("balanced").importance)


# --------------------------------------------------------------------------- equivalences


def test_diroximel_serious_infections_are_dimethyl_fumarates_class_figure(library: Library) -> None:
    result = evaluate(library, None, _balanced(library), PatientContext())
    drf = _drug(result, "diroximel-fumarate").criteria["other_infections"]
    dmf = _drug(result, "dimethyl-fumarate").criteria["other_infections"]
    assert drf.value == dmf.value
    assert drf.evidence.basis == "class"
    assert drf.evidence.extrapolated_from == "dimethyl-fumarate"
    assert STRENGTHS.index(drf.strength or "high") > STRENGTHS.index(dmf.strength or "high")
    note = drf.note or ""
    assert "same active moiety" in note
    assert "not comparable" in note
    assert "EVOLVE-MS-1" in note  # its own single-arm figure stays, as supporting evidence
    cited = result.sources["diroximel-fumarate"]
    assert all(source in cited for source in drf.sources)


def test_default_view_does_not_rank_diroximel_ahead_of_dimethyl_fumarate(library: Library) -> None:
    result = evaluate(library, None, _balanced(library), PatientContext())
    drf = _drug(result, "diroximel-fumarate")
    dmf = _drug(result, "dimethyl-fumarate")
    assert drf.rank >= dmf.rank
    assert result.drugs[0].id != "diroximel-fumarate"


def test_equivalent_fills_only_missing_or_non_comparable_cells(library: Library) -> None:
    drf = library.profile("diroximel-fumarate")
    dmf = library.profile("dimethyl-fumarate")
    for concern in SEED_CONCERNS:
        assert drf.measurements[concern].extrapolated_from == "dimethyl-fumarate"
        assert drf.measurements[concern].kind == dmf.measurements[concern].kind


def test_ocrelizumab_vs_interferon_sc_agrees_with_opera(library: Library) -> None:
    # the trial populations: immunoglobulins normal at the start (the IgG modifier does not apply)
    context = PatientContext(igg_below_lln=False)
    result = evaluate(library, None, _balanced(library), context)
    ocr = _drug(result, "ocrelizumab").criteria["other_infections"]
    ifn = _drug(result, "interferon-beta-1a-sc").criteria["other_infections"]
    assert ocr.value is not None
    assert ifn.value is not None
    assert ocr.value < ifn.value  # OPERA: 1.3% vs 2.9%
    assert (ocr.value_score or 0) > (ifn.value_score or 0)


# --------------------------------------------------------------------------- validate warnings


def _copy(tmp_path: Path, *ids: str) -> Path:
    root = tmp_path / "profiles"
    root.mkdir()
    for name in ("criteria", "presets", *ids):
        shutil.copy(bundled_profiles_dir() / f"{name}.toml", root / f"{name}.toml")
    return root


def _warnings(library: Library) -> list[str]:
    return [p.message for p in library.warnings]


def _checked(root: Path) -> Library:
    return load_library(root, use_cache=False, comparability=True)


def test_head_to_head_scored_from_different_sources_warns(tmp_path: Path) -> None:
    root = _copy(tmp_path, "ocrelizumab", "interferon-beta-1a-sc")
    assert not any("head-to-head" in w for w in _warnings(_checked(root)))
    path = root / "interferon-beta-1a-sc.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('trial = "OPERA I+II"', 'trial = "PRISMS"'), encoding="utf-8")
    found = [w for w in _warnings(_checked(root)) if "head-to-head" in w]
    assert len(found) == 2, found  # each side of OPERA


def test_scored_figure_not_of_reference_kind_warns(tmp_path: Path) -> None:
    root = _copy(tmp_path, "ocrelizumab")
    path = root / "ocrelizumab.toml"
    text = path.read_text(encoding="utf-8")
    # the OPERA arm demoted to another kind while the all-exposure pool is relabelled reference
    text = text.replace('kind = "randomised-arm"\ntrial', 'kind = "other"\ntrial', 1)
    text = text.replace('kind = "all-exposure-event-rate"', 'kind = "randomised-arm"')
    path.write_text(text, encoding="utf-8")
    found = [w for w in _warnings(_checked(root)) if "reference kind" in w]
    assert len(found) == 1, found
    assert not any("reference kind" in w for w in _warnings(load_library(root, use_cache=False)))


def test_a_supporting_figure_of_a_preferred_basis_warns(tmp_path: Path) -> None:
    root = _copy(tmp_path, "ocrelizumab")
    path = root / "ocrelizumab.toml"
    text = path.read_text(encoding="utf-8")
    # both of another kind: then the basis order decides (pooled-trials before registry)
    text = text.replace('kind = "randomised-arm"\ntrial', 'kind = "other"\ntrial', 1)
    text = text.replace(
        'basis = "pooled-trials"\nkind = "other"', 'basis = "registry"\nkind = "other"', 1
    )
    path.write_text(text, encoding="utf-8")
    found = [w for w in _warnings(_checked(root)) if "preferred basis" in w]
    assert len(found) == 1, _warnings(_checked(root))


def test_an_equivalence_to_a_missing_profile_warns_and_borrows_nothing(tmp_path: Path) -> None:
    root = _copy(tmp_path, "diroximel-fumarate")
    library = load_library(root, use_cache=False)
    assert any("dimethyl-fumarate" in w for w in _warnings(library))
    assert "pml" not in library.profile("diroximel-fumarate").measurements


# --------------------------------------------------------------------------- switching by class


def test_every_candidate_after_natalizumab_carries_a_switching_line(library: Library) -> None:
    context = PatientContext(current_dmt="natalizumab", months_on_current=30)
    result = evaluate(library, None, _balanced(library), context)
    for drug in result.drugs:
        if drug.continuing:
            continue
        codes = {f.code for f in drug.flags}
        assert "switch-carry-over-pml" in codes or "switch-no-data" in codes, drug.id
        line = next(f for f in drug.flags if f.code == "switch-carry-over-pml")
        assert line.text.startswith("After Natalizumab:")
        assert all(s in result.sources[drug.id] for s in line.sources)


def test_a_successor_own_rule_wins_over_the_class_rule(library: Library) -> None:
    context = PatientContext(current_dmt="natalizumab", months_on_current=30)
    result = evaluate(library, ["ocrelizumab", "ofatumumab"], _balanced(library), context)
    ocr = [f for f in _drug(result, "ocrelizumab").flags if f.code == "switch-carry-over-pml"]
    ofa = [f for f in _drug(result, "ofatumumab").flags if f.code == "switch-carry-over-pml"]
    assert len(ocr) == 1
    assert "150,000 ocrelizumab-treated" in ocr[0].text
    assert len(ofa) == 1
    assert "17 FDA cases" in ofa[0].text
    assert any(f.code == "switch-interval" for f in _drug(result, "ofatumumab").flags)


def test_a_class_rule_applies_to_a_new_profile_of_that_class(tmp_path: Path) -> None:
    root = _copy(tmp_path, "fingolimod", "ocrelizumab")
    text = (root / "fingolimod.toml").read_text(encoding="utf-8")
    text = text.replace('id = "fingolimod"', 'id = "new-s1p"', 1)
    text = re.sub(r"\[\[switching\.on_starting\]\].*?(?=\n\[\[sources|\Z)", "", text, flags=re.S)
    (root / "new-s1p.toml").write_text(text, encoding="utf-8")
    library = load_library(root, use_cache=False)
    assert "new-s1p" in {p.id for p in library.profiles}, library.problems
    # after natalizumab: the S1P interval rule and the carry-over rule reach the new drug
    after_ntz = evaluate(
        library, ["new-s1p"], {"pml": 5.0}, PatientContext(current_dmt="natalizumab")
    )
    codes = {f.code for f in _drug(after_ntz, "new-s1p").flags}
    assert {"switch-carry-over-pml", "switch-interval", "switch-mri-before"} <= codes
    # from the new S1P drug to a cell-depleting one: the class rule on stopping S1P modulators
    from_new = evaluate(
        library, ["ocrelizumab"], {"pml": 5.0}, PatientContext(current_dmt="new-s1p")
    )
    codes = {f.code for f in _drug(from_new, "ocrelizumab").flags}
    assert "switch-interval-after-s1p" in codes
    assert "switch-lymphocyte-recovery-check" in codes


def test_no_switching_data_line_for_a_switch_no_rule_names(tmp_path: Path) -> None:
    root = _copy(tmp_path, "glatiramer-acetate", "interferon-beta-1b")
    library = load_library(root, use_cache=False)
    result = evaluate(
        library,
        ["interferon-beta-1b"],
        {"pml": 5.0},
        PatientContext(current_dmt="glatiramer-acetate"),
    )
    flags = [f for f in _drug(result, "interferon-beta-1b").flags if f.code == "switch-no-data"]
    assert len(flags) == 1
    assert "no switching data for this drug" in flags[0].text


# --------------------------------------------------------------------------- filled cells


def test_coverage_and_seed_cells_complete_or_explained(library: Library) -> None:
    grid = coverage(library)
    assert grid.filled / grid.total >= 0.9
    for profile in library.profiles:
        for concern in SEED_CONCERNS:
            assert concern in profile.measurements or concern in profile.no_data, (
                profile.id,
                concern,
            )
    assert all(reason for _, _, reason in grid.gaps)


def test_recalled_figures_are_never_above_low(library: Library) -> None:
    recalled = re.compile(r"\[K\]|mark K|recalled", re.IGNORECASE)
    for profile in library.profiles:
        for concern, m in profile.measurements.items():
            if m.basis == "class":
                continue  # the origin's own measurement is checked
            # the scored figure's own wording (notes may discuss other, recalled figures)
            words = f"{m.follow_up}"
            if recalled.search(words):
                assert m.strength in ("low", "very-low"), (profile.id, concern)


def test_recalled_tables_and_label_pools_stay_low(library: Library) -> None:
    strata = library.profile("natalizumab").measurements["pml"].strata or ()
    eu = [s for s in strata if s.label.endswith("(EU table)")]
    assert len(eu) == 24
    assert {s.strength for s in eu} == {"low"}
    assert library.profile("dimethyl-fumarate").measurements["other_infections"].strength == "low"
    borrowed = library.profile("diroximel-fumarate").measurements["other_infections"]
    assert borrowed.strength == "very-low"


def test_rituximab_relapse_evidence_is_kept_off_label(library: Library) -> None:
    rtx = library.profile("rituximab")
    assert rtx.off_label
    m = rtx.measurements["disease_activity"]
    assert m.trial == "HERMES"
    assert m.strength == "low"


# --------------------------------------------------------------------------- rank range


def _with_pml(tmp_path: Path, value: float) -> Library:
    root = tmp_path / f"pml-{value:g}"
    shutil.copytree(bundled_profiles_dir(), root)
    path = root / "alemtuzumab.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\n[no_data.pml]")
    text = text[:start] + (
        f'\n[measurements.pml]\nvalue = {value}\nunit = "cases per 1,000 patient-years"\n'
        'basis = "postmarketing"\nfollow_up = "test figure"\nstrength = "low"\n'
        'source_ids = ["sharma-2023"]\n'
    )
    path.write_text(text, encoding="utf-8")
    return load_library(root, use_cache=False)


@pytest.mark.parametrize("mode", ["tiers", "all-together"])
def test_rank_range_bounds_the_rank_at_either_end_of_the_scale(
    library: Library, tmp_path: Path, mode: str
) -> None:
    importance = {"disease_activity": 6.0, "pml": 8.0, "secondary_autoimmunity": 3.0}
    context = PatientContext(region="eu")
    result = evaluate(library, None, importance, context, rank_mode=mode)  # type: ignore[arg-type]
    alem = _drug(result, "alemtuzumab")
    assert not alem.ranked
    assert alem.rank_range is not None
    best, worst = alem.rank_range
    assert best <= worst
    assert rank_range(alem).startswith(f"could rank #{best}")
    criterion = library.criterion("pml")
    for end, expected in ((criterion.best, best), (criterion.worst, worst)):
        filled = _with_pml(tmp_path, end)
        again = evaluate(filled, None, importance, context, rank_mode=mode)  # type: ignore[arg-type]
        assert _drug(again, "alemtuzumab").ranked
        assert _drug(again, "alemtuzumab").rank == expected
        assert best <= _drug(again, "alemtuzumab").rank <= worst


def test_rank_range_is_in_json_and_words(library: Library) -> None:
    from workbench.report.json_export import result_to_dict

    result = evaluate(library, None, {"pml": 5.0}, PatientContext())
    data = result_to_dict(result)
    rows = {d["id"]: d for d in data["drugs"]}
    assert rows["alemtuzumab"]["rank_range"] is not None
    assert rows["ocrelizumab"]["rank_range"] is None
    assert "PML risk no data" in rank_range(_drug(result, "alemtuzumab"))

"""Clinical sanity at the follow-up visit (issue 23), on the bundled profiles: escalation when the
current drug fails, stepping down after a high-efficacy drug, a switch to the same active moiety,
the labels' active-disease conditions. Guideline rules are flags: they never move a drug."""

from __future__ import annotations

import pytest

from workbench.engine.context import PatientContext, PreviousDmt
from workbench.engine.evaluate import evaluate, prepare
from workbench.engine.result import DrugResult, Result
from workbench.profiles.library import Library
from workbench.profiles.loader import load_library
from workbench.profiles.paths import bundled_profiles_dir
from workbench.report import wording
from workbench.report.casenote import render_case_note
from workbench.report.csv_export import render_csv
from workbench.report.json_export import result_to_dict
from workbench.report.table import render_table

ESCALATE = "guideline-ectrims-escalate-from-platform"
AAN = "guideline-aan-switch-after-suboptimal-response"
STEP_DOWN = "guideline-ectrims-after-high-efficacy"
SAME_DRUG = "guideline-same-active-moiety-after-activity"
ACTIVE_CONDITION = "indication-condition"


@pytest.fixture(scope="module")
def bundled() -> Library:
    return load_library(bundled_profiles_dir())


def codes(drug: DrugResult) -> dict[str, bool]:
    """Flag code → whether it holds (True) or is undecided (False)."""
    return {f.code: f.undecided is None for f in drug.flags}


def by_id(result: Result) -> dict[str, DrugResult]:
    return {d.id: d for d in result.drugs}


def run(library: Library, drugs: list[str] | None, context: PatientContext) -> Result:
    return evaluate(library, drugs, {c.id: 5.0 for c in library.criteria}, context)


# Relapse on glatiramer acetate after 18 months (US), as in the issue.
GA_RELAPSE = PatientContext(
    region="us",
    course="rrms",
    current_dmt="glatiramer-acetate",
    months_on_current=18,
    previous_dmts=(),
    relapses_12m=1,
    activity_on_current=True,
)
GA_CANDIDATES = ["interferon-beta-1a-sc", "ocrelizumab", "natalizumab", "teriflunomide"]


def test_relapse_on_glatiramer_flags_continuing_and_a_lateral_switch(bundled: Library) -> None:
    drugs = by_id(run(bundled, GA_CANDIDATES, GA_RELAPSE))
    assert codes(drugs["glatiramer-acetate"])[ESCALATE] is True
    assert codes(drugs["glatiramer-acetate"])[AAN] is True
    assert codes(drugs["interferon-beta-1a-sc"])[ESCALATE] is True
    assert codes(drugs["teriflunomide"])[ESCALATE] is True  # platform too
    for escalation in ("ocrelizumab", "natalizumab"):
        assert not any(c.startswith("guideline-") for c in codes(drugs[escalation]))
    flag = next(f for f in drugs["glatiramer-acetate"].flags if f.code == ESCALATE)
    assert flag.text.startswith("Disease activity on Glatiramer acetate (ECTRIMS/EAN 2018")
    assert "“Offer a more efficacious drug" in flag.text  # quoted: the guideline's own words
    assert "montalban-2018" in flag.sources


def test_guideline_rules_never_move_a_drug(bundled: Library) -> None:
    with_rules = run(bundled, GA_CANDIDATES, GA_RELAPSE)
    without = run(bundled.replace(guidelines=()), GA_CANDIDATES, GA_RELAPSE)
    assert [(d.id, d.rank, d.eligibility.tier) for d in with_rules.drugs] == [
        (d.id, d.rank, d.eligibility.tier) for d in without.drugs
    ]
    assert [d.score_range for d in with_rules.drugs] == [d.score_range for d in without.drugs]


def test_relapse_in_the_first_months_is_not_yet_failure(bundled: Library) -> None:
    early = GA_RELAPSE.replace(months_on_current=3)  # glatiramer's onset time is 6 months
    drugs = by_id(run(bundled, GA_CANDIDATES, early))
    assert ESCALATE not in codes(drugs["glatiramer-acetate"])
    assert AAN not in codes(drugs["glatiramer-acetate"])


def test_the_rules_fired_are_stated_in_every_output(bundled: Library) -> None:
    import datetime as dt

    result = run(bundled, GA_CANDIDATES, GA_RELAPSE)
    fired = wording.rules_fired(result)
    # the drugs a rule fired on, in display order (which the evidence decides)
    assert fired[0].startswith("ectrims-escalate-from-platform: ")
    assert "Glatiramer acetate (continue)" in fired[0]
    note = render_case_note(result, today=dt.date(2026, 12, 7))
    assert "## Disease activity and guideline rules" in note
    assert "suboptimal response (AAN): **met**" in note
    assert "Guideline rules raised (flags, never a change of rank)" in note
    table = render_table(result, width=160)
    assert "Guideline rules raised (flags, never a change of rank)" in table
    assert "Disease activity: unknown, active or highly-active" in table
    data = result_to_dict(result)
    assert data["activity"]["summary"].startswith("Disease activity: unknown")
    verdicts = {d["id"]: d["verdict"] for d in data["activity"]["definitions"]}
    assert verdicts["aan-suboptimal-response"] == "met"
    glatiramer = next(d for d in data["drugs"] if d["id"] == "glatiramer-acetate")
    assert ESCALATE in {f["code"] for f in glatiramer["flags"]}
    csv = render_csv(result)
    assert f"warning:{ESCALATE}" in csv
    assert "suboptimal response (AAN) met by" in csv


def test_the_flags_cell_counts_the_guideline_warnings(bundled: Library) -> None:
    drugs = by_id(run(bundled, GA_CANDIDATES, GA_RELAPSE))
    without = by_id(run(bundled.replace(guidelines=()), GA_CANDIDATES, GA_RELAPSE))
    assert wording.flag_counts(drugs["glatiramer-acetate"].flags) != wording.flag_counts(
        without["glatiramer-acetate"].flags
    )


def test_dimethyl_to_diroximel_fumarate_is_no_change_of_drug(bundled: Library) -> None:
    context = PatientContext(
        region="eu",
        course="rrms",
        current_dmt="dimethyl-fumarate",
        months_on_current=14,
        previous_dmts=(),
        relapses_12m=2,
        gd_lesions=3,
        activity_on_current=True,
    )
    drugs = by_id(run(bundled, ["diroximel-fumarate", "ocrelizumab", "cladribine"], context))
    assert codes(drugs["diroximel-fumarate"])[SAME_DRUG] is True
    flag = next(f for f in drugs["diroximel-fumarate"].flags if f.code == SAME_DRUG)
    assert "Same drug as Dimethyl fumarate in effect" in flag.text
    assert SAME_DRUG not in codes(drugs["ocrelizumab"])
    assert SAME_DRUG not in codes(drugs["cladribine"])


def test_the_same_moiety_flag_also_follows_an_explicit_activity(bundled: Library) -> None:
    context = PatientContext(
        region="eu",
        activity="highly-active",
        current_dmt="dimethyl-fumarate",
        activity_on_current=True,
    )
    drugs = by_id(run(bundled, ["diroximel-fumarate"], context))
    assert codes(drugs["diroximel-fumarate"])[SAME_DRUG] is True


def test_stopping_natalizumab_flags_platform_successors_not_anti_cd20(bundled: Library) -> None:
    context = PatientContext(
        region="eu",
        course="rrms",
        current_dmt="none",
        previous_dmts=(PreviousDmt(drug="natalizumab", months_since_stop=2, months_on=30),),
    )
    drugs = by_id(run(bundled, None, context))
    for platform in ("glatiramer-acetate", "interferon-beta-1a-sc", "teriflunomide"):
        assert codes(drugs[platform])[STEP_DOWN] is True, platform
    assert codes(drugs["dimethyl-fumarate"])[STEP_DOWN] is True
    for high in ("ocrelizumab", "ofatumumab", "ublituximab", "alemtuzumab", "cladribine"):
        assert STEP_DOWN not in codes(drugs[high]), high
    assert STEP_DOWN not in codes(drugs["natalizumab"])  # restarting it is no step down
    flag = next(f for f in drugs["teriflunomide"].flags if f.code == STEP_DOWN)
    assert flag.text.startswith("Stepping down from Natalizumab, a high-efficacy drug")


def test_switching_away_from_natalizumab_now_is_a_step_down_too(bundled: Library) -> None:
    context = PatientContext(region="eu", current_dmt="natalizumab", previous_dmts=())
    drugs = by_id(run(bundled, ["glatiramer-acetate", "ocrelizumab"], context))
    assert codes(drugs["glatiramer-acetate"])[STEP_DOWN] is True
    assert STEP_DOWN not in codes(drugs["ocrelizumab"])
    assert STEP_DOWN not in codes(drugs["natalizumab"])  # continuing it


def test_step_down_fades_and_an_unknown_stop_date_leaves_it_open(bundled: Library) -> None:
    long_ago = PatientContext(
        current_dmt="none", previous_dmts=(PreviousDmt(drug="natalizumab", months_since_stop=36),)
    )
    assert STEP_DOWN not in codes(by_id(run(bundled, ["teriflunomide"], long_ago))["teriflunomide"])
    unknown = long_ago.replace(previous_dmts=(PreviousDmt(drug="natalizumab"),))
    teriflunomide = by_id(run(bundled, ["teriflunomide"], unknown))["teriflunomide"]
    assert codes(teriflunomide)[STEP_DOWN] is False  # undecided, shown and marked


EU_ACTIVE_CONDITION = ["ocrelizumab", "ofatumumab", "ublituximab", "ozanimod", "ponesimod"]
EU_NO_CONDITION = ["teriflunomide", "dimethyl-fumarate", "glatiramer-acetate"]


def test_eu_inactive_rrms_puts_the_active_disease_indications_outside_the_label(
    bundled: Library,
) -> None:
    context = PatientContext(region="eu", course="rrms", activity="inactive")
    drugs = by_id(run(bundled, EU_ACTIVE_CONDITION + EU_NO_CONDITION, context))
    for drug in EU_ACTIVE_CONDITION:
        assert drugs[drug].eligibility.tier == "outside-label", drug
        assert codes(drugs[drug])[ACTIVE_CONDITION] is True
        assert any(
            "active disease" in r or "condition" in r for r in drugs[drug].eligibility.reasons
        )
    for drug in EU_NO_CONDITION:
        assert drugs[drug].eligibility.tier == "eligible", drug


def test_inactive_by_the_facts_counts_like_inactive_given(bundled: Library) -> None:
    context = PatientContext(region="eu", course="rrms", relapses_12m=0, new_t2_12m=0, gd_lesions=0)
    assert by_id(run(bundled, ["ocrelizumab"], context))["ocrelizumab"].eligibility.tier == (
        "outside-label"
    )


def test_unknown_activity_marks_the_active_disease_indications_possible_same_tier(
    bundled: Library,
) -> None:
    unknown = by_id(run(bundled, EU_ACTIVE_CONDITION, PatientContext(region="eu", course="rrms")))
    active = by_id(
        run(
            bundled,
            EU_ACTIVE_CONDITION,
            PatientContext(region="eu", course="rrms", activity="active"),
        )
    )
    for drug in EU_ACTIVE_CONDITION:
        assert unknown[drug].eligibility.tier == active[drug].eligibility.tier == "eligible"
        assert any("may be outside the label" in p for p in unknown[drug].eligibility.possible)
        assert codes(unknown[drug])[ACTIVE_CONDITION] is False
        assert ACTIVE_CONDITION not in codes(active[drug])


def test_us_labels_set_no_activity_condition(bundled: Library) -> None:
    context = PatientContext(region="us", course="rrms", activity="inactive")
    drugs = by_id(run(bundled, EU_ACTIVE_CONDITION, context))
    assert {d.eligibility.tier for d in drugs.values()} == {"eligible"}


def test_continuing_a_drug_in_inactive_disease_stays_inside_the_label(bundled: Library) -> None:
    context = PatientContext(
        region="eu", course="rrms", activity="inactive", current_dmt="ocrelizumab"
    )
    ocrelizumab = by_id(run(bundled, [], context))["ocrelizumab"]
    assert ocrelizumab.eligibility.tier == "eligible"
    assert codes(ocrelizumab)["indication-continuing"] is True


def test_interferon_beta_1b_asks_for_two_relapses_in_two_years_in_the_eu(
    bundled: Library,
) -> None:
    one = PatientContext(region="eu", course="rrms", relapses_24m=1)
    assert by_id(run(bundled, ["interferon-beta-1b"], one))[
        "interferon-beta-1b"
    ].eligibility.tier == ("outside-label")
    two = one.replace(relapses_24m=2)
    assert by_id(run(bundled, ["interferon-beta-1b"], two))[
        "interferon-beta-1b"
    ].eligibility.tier == ("eligible")


def test_every_profile_has_a_sourced_efficacy_category_and_onset(bundled: Library) -> None:
    for profile in bundled.profiles:
        sources = {s.id for s in profile.sources}
        assert profile.efficacy_category is not None, profile.id
        assert profile.efficacy_category.source in sources
        if profile.id != "no-treatment":  # nothing to wait for
            assert profile.onset is not None
            assert set(profile.onset.source_ids) <= sources
    categories = {
        p.id: p.efficacy_category.category for p in bundled.profiles if p.efficacy_category
    }
    assert categories["natalizumab"] == categories["ocrelizumab"] == "high"
    assert categories["glatiramer-acetate"] == categories["interferon-beta-1b"] == "platform"
    disputed = {
        p.id for p in bundled.profiles if p.efficacy_category and p.efficacy_category.disputed
    }
    assert {"fingolimod", "dimethyl-fumarate"} <= disputed


def test_prepare_stays_cheap_with_the_rules(bundled: Library) -> None:
    # not a timing test: the rules add flags, never a second pass over the drugs
    prepared = prepare(bundled, None, GA_RELAPSE)
    assert len(prepared.drugs) == len(bundled.profiles)


NO_DMT = "no-treatment"


@pytest.mark.parametrize(
    "context",
    [
        PatientContext(region="eu", course="rrms"),
        PatientContext(region="us", course="ppms", activity="inactive"),
        PatientContext(region="eu", course="rrms", sex="female", conception_planned_in_months=0),
        PatientContext(
            region="eu", course="rrms", autoimmune_history=True, jcv_status="positive", age=70
        ),
        PatientContext(
            region="eu",
            current_dmt="none",
            previous_dmts=(PreviousDmt(drug="alemtuzumab", months_since_stop=2, months_on=12),),
        ),
    ],
)
def test_no_dmt_is_never_contraindicated_nor_restricted(
    bundled: Library, context: PatientContext
) -> None:
    no_dmt = by_id(run(bundled, [NO_DMT, "ocrelizumab"], context))[NO_DMT]
    assert no_dmt.eligibility.tier == "eligible"
    assert no_dmt.eligibility.possible == ()
    assert all(f.level != "contraindication" for f in no_dmt.flags)
    assert all(not status.restricted for status in no_dmt.reservation.values())


def test_no_dmt_is_the_baseline_of_every_comparison(bundled: Library) -> None:
    profile = bundled.profile(NO_DMT)
    assert profile.measurements["disease_activity"].value == 0.0
    assert profile.switching.counts_as_dmt is False
    drug = by_id(run(bundled, [NO_DMT], PatientContext()))[NO_DMT]
    assert drug.criteria["disease_activity"].value == 0.0
    assert drug.criteria["pml"].status == "no-data"  # never a guessed zero
    assert drug.criteria["family_planning"].value == 0.0
    # its risk figures are the comparators the drug profiles already cite
    natalizumab = bundled.profile("natalizumab").measurements
    comparator = natalizumab["other_infections"].comparator
    assert comparator is not None
    assert profile.measurements["other_infections"].events == comparator.events
    autoimmunity = natalizumab["secondary_autoimmunity"].comparator
    assert autoimmunity is not None
    assert profile.measurements["secondary_autoimmunity"].value == autoimmunity.value


def test_no_dmt_is_the_one_eligible_choice_for_non_active_spms_in_the_eu(bundled: Library) -> None:
    context = PatientContext(region="eu", course="non-active-spms")
    eligible = [d.id for d in run(bundled, None, context).drugs if d.eligibility.tier == "eligible"]
    assert eligible == [NO_DMT]


def test_no_dmt_after_natalizumab_is_a_step_down_and_no_prior_dmt(bundled: Library) -> None:
    context = PatientContext(
        region="eu",
        current_dmt="none",
        previous_dmts=(PreviousDmt(drug="natalizumab", months_since_stop=1, months_on=24),),
    )
    prepared = prepare(bundled, [NO_DMT], context)
    assert prepared.derived is not None
    assert prepared.derived.prior_dmts_min == 1  # natalizumab counts, no DMT would not
    assert STEP_DOWN in codes(by_id(run(bundled, [NO_DMT], context))[NO_DMT])
    on_no_dmt = context.replace(
        previous_dmts=(PreviousDmt(drug=NO_DMT, months_since_stop=1, months_on=24),)
    )
    derived = prepare(bundled, [NO_DMT], on_no_dmt).derived
    assert derived is not None
    assert derived.prior_dmts == 0 or derived.prior_dmts_min in (None, 0)

"""JSON export of an engine `Result` (`workbench compare --format json`): a stable contract.

Top level: `weights`, `importance`, `context`, `policy`, `drugs` (ordered by rank), `sensitivity`,
`sources`, and with SMAA `smaa`. Floats are rounded to 6 decimals. See the README section "json".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workbench.text import clean

if TYPE_CHECKING:  # annotations only: importing this module stays cheap for the CLI parser
    from workbench.engine.result import (
        AppliedModifier,
        CheckResult,
        CriterionResult,
        Cumulative,
        DrugResult,
        Flag,
        MonitoringItem,
        ReservationStatus,
        Result,
        WeightInterval,
    )

DIGITS = 6

Json = dict[str, Any]


def _round(x: float | None) -> float | None:
    if x is None:
        return None
    rounded = round(x, DIGITS)
    return 0.0 if rounded == 0 else rounded


def _criterion(c: CriterionResult) -> Json:
    return {
        "value": _round(c.value),
        "low": _round(c.low),
        "high": _round(c.high),
        "unit": c.unit,
        "status": c.status,
        "stratum": c.stratum,
        "value_score": _round(c.value_score),
        "score_low": _round(c.score_low),
        "score_high": _round(c.score_high),
        "weight": _round(c.weight),
        "contribution": _round(c.contribution),
        "strength": c.strength,
        "sources": list(c.sources),
        "clamped": c.clamped,
        **_evidence(c),
    }


def _evidence(c: CriterionResult) -> Json:
    ev = c.evidence
    comparator = ev.comparator
    difference = ev.difference
    return {
        "interval_kind": ev.interval_kind,
        "basis": ev.basis,
        "extrapolated_from": ev.extrapolated_from,
        "events": ev.events,
        "patients": ev.patients,
        "patient_years": _round(ev.patient_years),
        "follow_up_years": _round(ev.follow_up_years),
        "per_year": c.per_year,
        "converted": ev.converted,
        "averaged_months": None if ev.averaged_months is None else list(ev.averaged_months),
        "data_cut": ev.data_cut,
        "comparator": None
        if comparator is None
        else {
            "label": comparator.label,
            "value": _round(comparator.value),
            "low": _round(comparator.low),
            "high": _round(comparator.high),
            "interval_kind": comparator.interval_kind,
            "sources": list(comparator.sources),
        },
        "difference": None
        if difference is None
        else {
            "value": _round(difference.value),
            "low": _round(difference.low),
            "high": _round(difference.high),
        },
        "extrapolated_beyond_month": ev.extrapolated_beyond,
        "cumulative": _cumulative(ev.cumulative),
        "confirmation_weeks": ev.confirmation_weeks,
        "other_confirmations": [
            {
                "weeks": o.weeks,
                "hazard_ratio": o.hazard_ratio,
                "hr_ci_low": o.hr_ci_low,
                "hr_ci_high": o.hr_ci_high,
            }
            for o in ev.other_confirmations
        ],
        "modifiers": [_modifier(m) for m in ev.modifiers],
    }


def _modifier(m: AppliedModifier) -> Json:
    return {
        "label": m.label,
        "ratio": _round(m.ratio),
        "low": _round(m.low),
        "high": _round(m.high),
        "interval_kind": m.interval_kind,
        "applies": m.applies,
        "undecided": m.undecided,
        "basis": m.basis,
        "strength": m.strength,
        "sources": list(m.sources),
        "note": m.note,
    }


def _check(c: CheckResult) -> Json:
    return {
        "item": c.item,
        "kind": c.kind,
        "status": c.status,
        "text": c.text,
        "strength": c.strength,
        "sources": list(c.sources),
        "note": c.note,
    }


def _cumulative(c: Cumulative | None) -> Json | None:
    if c is None:
        return None
    return {
        "value": _round(c.value),
        "low": _round(c.low),
        "high": _round(c.high),
        "per": _round(c.per),
        "months": c.months,
        "method": c.method,
    }


def _reservation(r: ReservationStatus) -> Json:
    return {
        "restricted": r.restricted,
        "wording": r.wording,
        "patient_meets": r.patient_meets,
        "sources": list(r.sources),
    }


def _flag(f: Flag) -> Json:
    return {
        "level": f.level,
        "code": f.code,
        "text": f.text,
        "sources": list(f.sources),
        "undecided": f.undecided,
    }


def _monitoring(m: MonitoringItem) -> Json:
    return {
        "test": m.test,
        "frequency": m.frequency,
        "duration": m.duration,
        "sources": list(m.sources),
        "months": [_round(x) for x in m.months],
    }


def _weights(weights: Mapping[str, float] | None) -> Json | None:
    return None if weights is None else {k: _round(v) for k, v in weights.items()}


def _drug(d: DrugResult) -> Json:
    out: Json = {
        "id": d.id,
        "name": d.name,
        "continue": d.continuing,
        "drug_class": d.drug_class,
        "routes": list(d.routes),
        "off_label": d.off_label,
        "last_reviewed": d.last_reviewed,
        "rank": d.rank,
        "score": _round(d.score),
        "score_range": [_round(d.score_range[0]), _round(d.score_range[1])],
        "complete": d.complete,
        "ranked": d.ranked,
        "unranked_because": list(d.unranked_because),
        "rank_range": None if d.rank_range is None else list(d.rank_range),
        "eligibility": {
            "tier": d.eligibility.tier,
            "reasons": list(d.eligibility.reasons),
            "possible": list(d.eligibility.possible),
        },
        "criteria": {cid: _criterion(c) for cid, c in d.criteria.items()},
        "reservation": {region: _reservation(r) for region, r in d.reservation.items()},
        "flags": [_flag(f) for f in d.flags],
        "monitoring": [_monitoring(m) for m in d.monitoring],
        "before_starting": [_check(c) for c in d.before_starting],
        "monitoring_plan": None
        if d.monitoring_plan is None
        else {
            "regimen": d.monitoring_plan.regimen,
            "last_dose_month": _round(d.monitoring_plan.last_dose_month),
            "end_month": _round(d.monitoring_plan.end_month),
            "months_on": d.months_on,
        },
    }
    if d.acceptability is not None:
        out["acceptability"] = {str(r + 1): _round(p) for r, p in enumerate(d.acceptability)}
        out["central_weights"] = _weights(d.central_weights)
        out["confidence"] = _round(d.confidence)
        out["p_first"] = _round(d.p_first)
        out["expected_rank"] = _round(d.expected_rank)
        out["smaa_cumulative"] = {
            concern: [_round(low), _round(high)]
            for concern, (low, high) in (d.smaa_cumulative or {}).items()
        }
    return out


def _interval(s: WeightInterval) -> Json:
    return {
        "concern": s.concern,
        "current": _round(s.current),
        "low": _round(s.low),
        "high": _round(s.high),
        "top_drug": s.top_drug,
    }


def _derived(result: Result) -> Json:
    """Prior DMTs and prior immunosuppressant as evaluated (given, or from the history)."""
    derived = result.derived or result.context
    return {
        "prior_dmts": derived.prior_dmts,
        "prior_dmts_at_least": derived.prior_dmts_min,
        "prior_immunosuppressant": derived.prior_immunosuppressant,
    }


def _activity(result: Result) -> Json | None:
    """Disease activity from the facts: the summary in words, each definition's verdict."""
    activity = result.activity
    if activity is None:
        return None
    return {
        "summary": activity.summary,
        "given": activity.given,
        "possible": list(activity.possible),
        "conflict": activity.conflict,
        "definitions": [
            {
                "id": f.id,
                "label": f.label,
                "kind": f.kind,
                "establishes": f.establishes,
                "verdict": f.verdict,
                "facts": f.facts,
                "missing": list(f.missing),
                "open_reason": f.open_reason,
                "wording": f.wording,
                "paraphrase": f.paraphrase,
                "counting": f.counting,
                "sources": list(f.sources),
            }
            for f in activity.findings
        ],
    }


def result_to_dict(result: Result) -> Json:
    """The result as plain JSON-compatible data (the documented contract)."""
    from workbench.engine.context import context_data

    out: Json = {
        "weights": _weights(result.weights),
        "importance": _weights(result.importance),
        "context": {
            **context_data(result.context),
            "horizon_months": result.horizon_months,
            "derived": _derived(result),
        },
        "stopping": None
        if result.stopping is None
        else {
            "drug": result.stopping.drug,
            "name": result.stopping.name,
            "flags": [_flag(f) for f in result.stopping.flags],
        },
        "activity": _activity(result),
        "policy": result.policy,
        "not_relevant": dict(result.not_relevant or {}),
        "preset": None
        if result.preset is None
        else {
            "id": result.preset.id,
            "label": result.preset.label,
            "source": result.preset.source,
            "teaching": result.preset.teaching,
        },
        "rank_mode": result.rank_mode,
        "drugs": [_drug(d) for d in result.drugs],
        "sensitivity": [_interval(s) for s in result.sensitivity],
        "sources": {drug: dict(sources) for drug, sources in result.sources.items()},
    }
    if result.smaa is not None:
        out["smaa"] = {
            "iterations": result.smaa.iterations,
            "seed": result.smaa.seed,
            "weight_mode": result.smaa.weight_mode,
            "spread": result.smaa.spread,
            "most_probable_first": result.most_probable_first,
        }
    return out


def render_json(result: Result) -> str:
    """The result as indented JSON text (UTF-8, ending with a newline)."""
    return json.dumps(cleaned(result_to_dict(result)), indent=2, ensure_ascii=False) + "\n"


def cleaned(node: object) -> object:
    """`node` with every string (keys too) passed through `clean` (`workbench.text`)."""
    if isinstance(node, str):
        return clean(node)
    if isinstance(node, dict):
        return {clean(str(key)): cleaned(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return [cleaned(item) for item in node]
    return node

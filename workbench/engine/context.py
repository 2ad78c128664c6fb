"""The patient context: what is known about the case. `None` always means "unknown", never "no".

Candidates are compared as treatments started now, except the current DMT, which continues from
`months_on_current`; risks are averaged over the next `horizon_months` of treatment.

Every field is declared once, here: its type and unknown value (the annotation and default), its
allowed range (a `Bounds` marker) and, in a `Declared` marker, its label, help text, what it
changes, how its values read and (where it is not derived from the name) its CLI option; a saved
case keys it by its name. The CLI options, the app's case panel, the help screen, the case note
rows, the saved-case file and the validation of values from outside are all built from these
declarations (`context_fields()`).

The context is a plain immutable record (`workbench.record.Record`): building one checks nothing,
so start-up needs no pydantic. Values from outside (CLI options, case files, the case panel) go
through `workbench.engine.context_validation.validate_context`, whose pydantic validation is built
from the declarations below on first use (with `workbench.record_validation`, like the profile
formats'); that module imports this one, never the other way round.

This module deliberately has no `from __future__ import annotations`: the annotations are evaluated
when the classes are made (a few microseconds each), so the markers in them are plain objects that
`context_fields()` and the validator read without evaluating any string.

There are deliberately no identifier fields (no name, birth date or record number).
"""

from typing import Annotated, Literal

from workbench.profiles.records import Slug
from workbench.profiles.vocabulary import (
    ACTIVITIES,
    AUTOIMMUNE_TYPES,
    BREASTFEEDING,
    COMORBIDITIES,
    COURSES,
    JCV_STATUSES,
    NATALIZUMAB_DOSING,
    REGIONS,
    SEXES,
    TEST_RESULTS,
    Activity,
    AutoimmuneType,
    Breastfeeding,
    Comorbidity,
    ConceptionPlan,
    Course,
    JcvStatus,
    NatalizumabDosing,
    Region,
    Sex,
    TestResult,
)
from workbench.record import Bounds, Record

FieldKind = Literal[
    "choice", "yes-no", "multi", "integer", "number", "drug", "history", "conception"
]
"""How a field is entered: from a list, yes/no/unknown, several of a list (none, or unknown), a
whole number, a number, a profile id (or none), a treatment history (`ID[:MONTHS]` items), or a
conception plan (months, not planned)."""


class Declared(Record):
    """Everything the renderers need to know about one context field, beside its type."""

    kind: FieldKind
    label: str
    """Shown in the case panel and the case note."""
    help: str
    """CLI help and the case panel's tooltip."""
    option: str = ""
    """The CLI option where it is not `--` and the field's name in hyphens (`--jcv`); read it as
    `ContextField.declared.option`, which is always filled in. A saved case's `[context]` table
    keys each field by its name."""
    choices: tuple[str, ...] = ()
    """For `choice` and `multi` fields: the values (an "unknown" literal included where it is
    one)."""
    words: tuple[tuple[str, str], ...] = ()
    """For `choice` fields: how a value reads where its words differ from it (`rrms` → RRMS)."""
    unknown: str = "unknown"
    """How the field reads when the case leaves it out ("default": the engine uses its own)."""
    from_history: bool = False
    """Left unknown, the engine derives it from the treatment history (shown as derived)."""
    effect: str = ""
    """What the value changes in the comparison, beside `help` (the help screen's case fields)."""


NO_CURRENT_DMT = "none"
"""The `current_dmt` value for "on no DMT now"."""
MONTHS = Bounds(low=0, high=600)
COUNT = Bounds(low=0, high=50)
"""A count of relapses."""
LESIONS = Bounds(low=0, high=500)
"""A count of MRI lesions."""


class PreviousDmt(Record):
    """A treatment taken before (a profile id, or a non-DMT immunosuppressant of criteria.toml)."""

    drug: Slug
    """A profile id or an id of criteria.toml's other treatments."""
    months_since_stop: Annotated[int | None, MONTHS] = None
    """None = unknown."""
    months_on: Annotated[int | None, MONTHS] = None
    """Months taken; None = unknown."""


Conception = Annotated[int, MONTHS] | ConceptionPlan
"""Conception planned in this many months, 'planned' (timing unknown) or 'not-planned'."""


class PatientContext(Record):
    """The case under review. Immutable; derive a changed copy with `replace(...)`."""

    region: Annotated[
        Region,
        Declared(
            kind="choice",
            label="Region (label)",
            help="label region",
            effect="whose labels apply: reservations, contraindications, pregnancy wording",
            words=(("eu", "EU (SmPC)"), ("us", "US (prescribing information)")),
            choices=REGIONS,
        ),
    ] = "eu"
    course: Annotated[
        Course | None,
        Declared(
            kind="choice",
            label="Disease course",
            help="disease course",
            effect="checked against each drug's indication; picks the benefit figures of that "
            "course",
            words=(
                ("cis", "CIS"),
                ("rrms", "RRMS"),
                ("active-spms", "active SPMS"),
                ("non-active-spms", "non-active SPMS"),
                ("ppms", "PPMS"),
            ),
            choices=COURSES,
        ),
    ] = None
    activity: Annotated[
        Activity | None,
        Declared(
            kind="choice",
            label="Disease activity",
            help="disease activity",
            effect="'highly active' opens the reserved drugs; given here, it overrides the one "
            "the relapse and MRI facts give (a conflict is shown)",
            words=(
                ("highly-active", "highly active"),
                ("rapidly-evolving-severe", "rapidly evolving severe"),
            ),
            choices=ACTIVITIES,
        ),
    ] = None
    current_dmt: Annotated[
        str | None,
        Declared(
            kind="drug",
            label="Current DMT",
            help="the DMT the patient is on now (a profile id, or 'none'); it is compared as "
            "'continue', from its exposure so far",
            effect="washout, rebound and switching flags when it stops",
        ),
    ] = None
    """Profile id of the current DMT; 'none' for none; None = unknown."""
    months_on_current: Annotated[
        int | None,
        MONTHS,
        Declared(
            kind="integer",
            label="Months on current DMT",
            help="months on the current DMT so far",
            effect="counts towards exposure-dependent risks",
        ),
    ] = None
    previous_dmts: Annotated[
        tuple[PreviousDmt, ...] | None,
        Declared(
            kind="history",
            label="Previous DMTs",
            help="treatments stopped before the current one: ID, or ID:MONTHS since stopping, or "
            "ID:MONTHS:ON with the months taken (e.g. natalizumab:2:30,mitoxantrone); 'none' "
            "for none",
            effect="carry-over and switching flags; prior DMTs are counted from them",
        ),
    ] = None
    """Earlier treatments; () = none; None = unknown."""
    adequate_course: Annotated[
        bool | None,
        Declared(
            kind="yes-no",
            label="Full and adequate course",
            help="a full and adequate course of the current (or last) DMT was given (EU "
            "reservations)",
        ),
    ] = None
    prior_dmts: Annotated[
        int | None,
        Bounds(low=0, high=20),
        Declared(
            kind="integer",
            label="Prior DMTs",
            help="number of DMTs taken so far, the current one included (default: counted from "
            "the current and previous DMTs)",
            effect="some reservations need at least one",
            from_history=True,
        ),
    ] = None
    prior_immunosuppressant: Annotated[
        bool | None,
        Declared(
            kind="yes-no",
            label="Prior immunosuppressant",
            help="prior immunosuppressant use (default: from the current and previous treatments)",
            effect="a PML risk factor where a profile's strata say so",
            from_history=True,
        ),
    ] = None
    jcv_status: Annotated[
        JcvStatus,
        Declared(
            kind="choice",
            label="Anti-JCV antibodies",
            help="anti-JCV antibody status (default: unknown)",
            option="--jcv",
            effect="picks the PML risk strata of the profiles that have them",
            choices=JCV_STATUSES,
        ),
    ] = "unknown"
    jcv_index: Annotated[
        float | None,
        Bounds(low=0, high=10),
        Declared(
            kind="number",
            label="Anti-JCV index",
            help="anti-JCV antibody index",
            effect="picks the PML risk strata by index; empty = unknown",
        ),
    ] = None
    horizon_months: Annotated[
        int | None,
        Bounds(low=1, high=240),
        Declared(
            kind="integer",
            label="Treatment horizon (months)",
            help="treatment period being planned, over which risks are averaged (default: "
            "criteria.toml's horizon_months)",
            unknown="default",
        ),
    ] = None
    """Treatment period being planned; None = the default."""
    autoimmune_history: Annotated[
        bool | None,
        Declared(
            kind="yes-no",
            label="Autoimmune disease besides MS",
            help="autoimmune disease other than MS in the history",
            effect="cautions for some drugs",
        ),
    ] = None
    sex: Annotated[
        Sex,
        Declared(
            kind="choice",
            label="Sex",
            help="sex (default: unknown)",
            effect="decides which contraception and conception wording applies",
            choices=SEXES,
        ),
    ] = "unknown"
    conception_planned_in_months: Annotated[
        Conception | None,
        Declared(
            kind="conception",
            label="Conception planned in (months)",
            help="conception planned in N months (0 = now); --pregnancy-planned: planned, timing "
            "unknown; --no-pregnancy-planned: not planned",
            option="--conception-in-months",
            effect="the pregnancy wait and its flags",
        ),
    ] = None
    """Months until a planned conception; None = unknown."""
    age: Annotated[
        int | None,
        Bounds(low=0, high=120),
        Declared(
            kind="integer",
            label="Age",
            help="age in years",
            effect="some labels restrict by age",
        ),
    ] = None
    breastfeeding: Annotated[
        Breastfeeding | None,
        Declared(
            kind="choice",
            label="Breastfeeding",
            help="breastfeeding now, planned, or no",
            effect="each label's breastfeeding statement",
            choices=BREASTFEEDING,
        ),
    ] = None
    autoimmune_types: Annotated[
        tuple[AutoimmuneType, ...] | None,
        Declared(
            kind="multi",
            label="Autoimmune disease by type",
            help="autoimmune diseases besides MS, comma-separated: thyroid, itp (immune "
            "thrombocytopenia), nephropathy (incl. anti-GBM disease), ibd, psoriasis, other; "
            "'none' for none",
            choices=AUTOIMMUNE_TYPES,
        ),
    ] = None
    """Types of autoimmune disease besides MS; () = none; None = unknown."""
    comorbidities: Annotated[
        tuple[Comorbidity, ...] | None,
        Declared(
            kind="multi",
            label="Label-relevant comorbidities",
            help="comma-separated: conduction-bradycardia, recent-mi-stroke, "
            "macular-oedema-diabetes, active-malignancy, hepatic-impairment, renal-impairment, "
            "cyp2c9-3-3; 'none' for none",
            choices=COMORBIDITIES,
        ),
    ] = None
    """Label-relevant comorbidities; () = none; None = unknown."""
    lymphocytes: Annotated[
        float | None,
        Bounds(low=0, high=50),
        Declared(
            kind="number",
            label="Lymphocytes (10^9/L)",
            help="absolute lymphocyte count, x 10^9/L (e.g. 0.4)",
            effect="label stop rules and PML modifiers",
        ),
    ] = None
    lymphopenia_months: Annotated[
        int | None,
        MONTHS,
        Declared(
            kind="integer",
            label="Months lymphocytes < 0.5",
            help="months the lymphocyte count has stayed below 0.5 x 10^9/L (0: not below)",
        ),
    ] = None
    igg_below_lln: Annotated[
        bool | None,
        Declared(
            kind="yes-no",
            label="IgG below lower limit",
            help="serum IgG below the lower limit of normal",
            option="--igg-low",
            effect="serious-infection modifiers",
        ),
    ] = None
    natalizumab_dosing: Annotated[
        NatalizumabDosing,
        Declared(
            kind="choice",
            label="Natalizumab dosing",
            help="natalizumab dosing interval planned or given: standard (every 4 weeks, the "
            "label's) or extended (about every 6 weeks)",
            choices=NATALIZUMAB_DOSING,
        ),
    ] = "standard"
    hbsag: Annotated[
        TestResult | None,
        Declared(
            kind="choice",
            label="HBsAg",
            help="hepatitis B surface antigen: positive, negative or not-done",
            choices=TEST_RESULTS,
        ),
    ] = None
    anti_hbc: Annotated[
        TestResult | None,
        Declared(
            kind="choice",
            label="Anti-HBc",
            help="hepatitis B core antibody: positive, negative or not-done",
            choices=TEST_RESULTS,
        ),
    ] = None
    vzv_igg: Annotated[
        TestResult | None,
        Declared(
            kind="choice",
            label="VZV IgG",
            help="varicella-zoster IgG: positive, negative or not-done",
            choices=TEST_RESULTS,
        ),
    ] = None
    tb_screen: Annotated[
        TestResult | None,
        Declared(
            kind="choice",
            label="TB screen",
            help="tuberculosis screening (IGRA or skin test): positive, negative or not-done",
            choices=TEST_RESULTS,
        ),
    ] = None
    hiv: Annotated[
        TestResult | None,
        Declared(
            kind="choice",
            label="HIV test",
            help="HIV test: positive, negative or not-done",
            choices=TEST_RESULTS,
        ),
    ] = None
    live_vaccine_recent: Annotated[
        bool | None,
        Declared(
            kind="yes-no",
            label="Live vaccine, last 6 weeks",
            help="a live or live-attenuated vaccine within the last 4-6 weeks",
        ),
    ] = None

    relapses_12m: Annotated[
        int | None,
        COUNT,
        Declared(
            kind="integer",
            label="Relapses, last 12 months",
            help="relapses in the last 12 months (facts for the activity definitions)",
            effect="with the MRI facts, the activity definitions of criteria.toml are applied",
        ),
    ] = None
    relapses_24m: Annotated[
        int | None,
        COUNT,
        Declared(
            kind="integer",
            label="Relapses, last 24 months",
            help="relapses in the last 24 months (those of the last 12 included)",
            effect="the activity definitions (some ask for 2 relapses in 2 years)",
        ),
    ] = None
    new_t2_12m: Annotated[
        int | None,
        LESIONS,
        Declared(
            kind="integer",
            label="New/enlarging T2 lesions, 12 months",
            help="new or enlarging T2 lesions in the last 12 months (against a recent MRI)",
            effect="the activity definitions",
        ),
    ] = None
    gd_lesions: Annotated[
        int | None,
        LESIONS,
        Declared(
            kind="integer",
            label="Gd-enhancing lesions, last MRI",
            help="gadolinium-enhancing lesions on the last MRI",
            effect="the activity definitions",
        ),
    ] = None
    t2_lesions: Annotated[
        int | None,
        LESIONS,
        Declared(
            kind="integer",
            label="T2 lesions in all, last MRI",
            help="T2 lesions in all on the last MRI (lesion load)",
            effect="the activity definitions",
        ),
    ] = None
    activity_on_current: Annotated[
        bool | None,
        Declared(
            kind="yes-no",
            label="Activity on the current DMT",
            help="the relapses or new lesions happened while on the current DMT (judged against "
            "its onset time: the profile's months before it can be judged)",
            effect="counts as failure once the months on it reach the drug's onset time",
        ),
    ] = None

    prior_dmts_min: int | None = None
    """Derived, not entered (no `Declared` marker: never saved, shown in JSON or validated): the
    DMTs the history shows at least (when the count is unknown)."""
    activity_range: tuple[Activity, ...] | None = None
    """Derived: the activity levels the facts leave possible (when `activity` is unknown)."""
    after_onset: bool | None = None
    """Derived: the activity happened on the current DMT after its onset time."""
    definitions_met: tuple[str, ...] = ()
    """Derived: the ids of the activity definitions the facts meet."""
    definitions_open: tuple[str, ...] = ()
    """Derived: the ids of the definitions the facts leave undecided."""

    @property
    def any_autoimmune(self) -> bool | None:
        """Autoimmune disease besides MS at all: the yes/no answer, else from the types."""
        if self.autoimmune_history is not None:
            return self.autoimmune_history
        return None if self.autoimmune_types is None else bool(self.autoimmune_types)

    @property
    def conception_planned(self) -> bool | None:
        """Whether a conception is planned at any time (None: unknown)."""
        plan = self.conception_planned_in_months
        return None if plan is None else plan != "not-planned"


class ContextField(Record):
    """One declared context field: its name, declaration, default and numeric bounds."""

    name: str
    declared: Declared
    default: object
    low: float | None
    high: float | None


def context_fields() -> tuple[ContextField, ...]:
    """Every context field in declaration order (the order of the panel, the note and the CLI)."""
    return _FIELDS


def _declared_fields() -> tuple[ContextField, ...]:
    fields: list[ContextField] = []
    for name, annotation in PatientContext.__annotations__.items():
        markers = getattr(annotation, "__metadata__", ())
        declared = next((m for m in markers if isinstance(m, Declared)), None)
        if declared is None:  # derived by the engine, not entered
            continue
        if not declared.option:
            declared = declared.replace(option="--" + name.replace("_", "-"))
        bounds = next((m for m in markers if isinstance(m, Bounds)), None)
        fields.append(
            ContextField(
                name=name,
                declared=declared,
                default=getattr(PatientContext, name),
                low=None if bounds is None or bounds.low is None else float(bounds.low),
                high=None if bounds is None or bounds.high is None else float(bounds.high),
            )
        )
    return tuple(fields)


_FIELDS = _declared_fields()
_BY_NAME = {f.name: f for f in _FIELDS}


def context_field(name: str) -> ContextField:
    """The declared context field `name` (KeyError for an undeclared one)."""
    return _BY_NAME[name]


def context_data(context: PatientContext, *, keep_unknown: bool = True) -> dict[str, object]:
    """The declared fields as plain data, in declaration order: what the JSON output and a saved
    case hold (previous DMTs as a list of tables). `keep_unknown=False` leaves out the unknown
    (None) values, inside the previous DMTs too. `validate_context` reads it back."""
    data: dict[str, object] = {}
    for field in _FIELDS:
        value = getattr(context, field.name)
        if isinstance(value, tuple):  # previous DMTs as tables; a multi-valued field's values
            value = [
                {k: v for k, v in item.as_dict().items() if keep_unknown or v is not None}
                if isinstance(item, Record)
                else item
                for item in value
            ]
        if keep_unknown or value is not None:
            data[field.name] = value
    return data


def parse_multi(text: str, choices: tuple[str, ...]) -> tuple[str, ...]:
    """A multi-valued field typed as text: `a, b` is ('a', 'b'), 'none' is (); raises ValueError
    naming the valid values for anything else."""
    items = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    if items == ("none",):
        return ()
    wrong = [item for item in items if item not in choices]
    if wrong or not items:
        shown = wrong[0] if wrong else text
        raise ValueError(f"unknown value {shown!r}; valid: {', '.join((*choices, 'none'))}")
    return items


class ContextError(ValueError):
    """A context value from outside is not allowed; `str()` is `field: what is allowed`."""

    def __init__(self, field: str, message: str, problems: int = 1) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        """The context field at fault (the first, when several are)."""
        self.message = message
        """What is wrong with its value, in words (`Input should be less than or equal to 120`)."""
        self.problems = problems
        """How many problems the values have in all."""

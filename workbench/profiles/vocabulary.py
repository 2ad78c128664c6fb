"""Controlled vocabularies shared by the profile format, the patient context and the CLI."""

from typing import Literal, get_args

Region = Literal["eu", "us"]
Course = Literal["cis", "rrms", "active-spms", "non-active-spms", "ppms"]
Activity = Literal["inactive", "active", "highly-active", "rapidly-evolving-severe"]
JcvStatus = Literal["unknown", "negative", "positive"]
Sex = Literal["unknown", "female", "male"]
AutoimmuneType = Literal["thyroid", "itp", "nephropathy", "ibd", "psoriasis", "other"]
"""Autoimmune disease besides MS, by type: thyroid, immune thrombocytopenia, nephropathy (incl.
anti-GBM disease), inflammatory bowel disease, psoriasis, other."""
Breastfeeding = Literal["now", "planned", "no"]
TestResult = Literal["positive", "negative", "not-done"]
"""A screening test: its result, or not done yet (unknown: the case does not say)."""
NatalizumabDosing = Literal["standard", "extended"]
Comorbidity = Literal[
    "conduction-bradycardia",
    "recent-mi-stroke",
    "macular-oedema-diabetes",
    "active-malignancy",
    "hepatic-impairment",
    "renal-impairment",
    "cyp2c9-3-3",
]
"""Comorbidities labels condition: cardiac conduction disorder or bradycardia, recent myocardial
infarction or stroke, macular oedema or diabetes, active malignancy, hepatic or renal impairment,
the CYP2C9*3/*3 genotype."""
CheckStatus = Literal["done", "due", "blocks", "unknown"]
"""A pre-treatment check decided against the case: done; due (still to do); blocks the start;
unknown (the case does not say)."""
ConceptionPlan = Literal["not-planned", "planned"]
"""A conception plan without a number of months: not planned, or planned with the timing unknown."""
ConceptionState = Literal["planned", "not-planned", "unknown"]
"""A conception plan as a condition matches it: planned (with or without a timing), not planned,
or unknown."""
SwitchKind = Literal[
    "rebound",
    "pml-surveillance",
    "elimination",
    "immune-recovery",
    "carry-over-pml",
    "interval",
    "check",
]
"""What a switching rule is about: after stopping a drug (rebound, PML surveillance, elimination,
immune recovery) or when starting one after another (carry-over PML, interval, checks)."""
IntervalReason = Literal["contraception", "washout"]
EquivalenceKind = Literal["same-active-moiety", "biosimilar", "other-route"]
"""How two profiles share an active moiety (`[[equivalences]]`)."""
Direction = Literal["benefit", "risk"]
Strength = Literal["high", "moderate", "low", "very-low"]
Route = Literal["iv", "sc", "im", "oral"]
SourceKind = Literal[
    "trial",
    "label",
    "regulator",
    "meta-analysis",
    "observational",
    "review",
    "case-report",
    "guideline",
]
FlagLevel = Literal["contraindication", "warning", "info"]
EfficacyLevel = Literal["none", "platform", "moderate", "high"]
"""A drug's efficacy category as guidelines group drugs, lowest first ("none": no
disease-modifying treatment, the no-treatment baseline)."""
Basis = Literal["trial-arm", "pooled-trials", "registry", "postmarketing", "label", "class"]
"""Where a figure comes from: one trial arm; several trials pooled (incl. long-term extensions); a
registry or cohort; post-marketing cases over estimated exposure; the label itself; or class
evidence extrapolated from another drug or a named class."""
IntervalKind = Literal["ci95", "published-range", "strata", "none"]
"""What a figure's bounds are: a 95% confidence interval (published, or exact from counts); the
spread of published figures; the span of several strata the case leaves possible; or no bounds."""

IMPORTANCE_MIN = 0.0
IMPORTANCE_MAX = 10.0
"""The importance scale of a concern, in whole points on the sliders: 0 (ignored) to 10. Presets,
saved cases, `--weight`, the sliders and SMAA's spread all use it."""
IMPORTANCE_SCALE = f"{IMPORTANCE_MIN:g}–{IMPORTANCE_MAX:g}"
"""The scale in words (`0–10`)."""

REGIONS: tuple[Region, ...] = get_args(Region)
COURSES: tuple[Course, ...] = get_args(Course)
ACTIVITIES: tuple[Activity, ...] = get_args(Activity)
JCV_STATUSES: tuple[JcvStatus, ...] = get_args(JcvStatus)
SEXES: tuple[Sex, ...] = get_args(Sex)
AUTOIMMUNE_TYPES: tuple[AutoimmuneType, ...] = get_args(AutoimmuneType)
BREASTFEEDING: tuple[Breastfeeding, ...] = get_args(Breastfeeding)
TEST_RESULTS: tuple[TestResult, ...] = get_args(TestResult)
NATALIZUMAB_DOSING: tuple[NatalizumabDosing, ...] = get_args(NatalizumabDosing)
COMORBIDITIES: tuple[Comorbidity, ...] = get_args(Comorbidity)
CHECK_STATUSES: tuple[CheckStatus, ...] = get_args(CheckStatus)
STRENGTHS: tuple[Strength, ...] = get_args(Strength)
FLAG_LEVELS: tuple[FlagLevel, ...] = get_args(FlagLevel)
EFFICACY_LEVELS: tuple[EfficacyLevel, ...] = get_args(EfficacyLevel)
BASES: tuple[Basis, ...] = get_args(Basis)
INTERVAL_KINDS: tuple[IntervalKind, ...] = get_args(IntervalKind)

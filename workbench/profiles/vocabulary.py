"""Controlled vocabularies shared by the profile format, the patient context and the CLI."""

from typing import Literal, get_args

Region = Literal["eu", "us"]
Course = Literal["cis", "rrms", "active-spms", "non-active-spms", "ppms"]
Activity = Literal["inactive", "active", "highly-active", "rapidly-evolving-severe"]
JcvStatus = Literal["unknown", "negative", "positive"]
Sex = Literal["unknown", "female", "male"]
ConceptionPlan = Literal["not-planned", "planned"]
"""A conception plan without a number of months: not planned, or planned with the timing unknown."""
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

REGIONS: tuple[Region, ...] = get_args(Region)
COURSES: tuple[Course, ...] = get_args(Course)
ACTIVITIES: tuple[Activity, ...] = get_args(Activity)
JCV_STATUSES: tuple[JcvStatus, ...] = get_args(JcvStatus)
SEXES: tuple[Sex, ...] = get_args(Sex)
STRENGTHS: tuple[Strength, ...] = get_args(Strength)
FLAG_LEVELS: tuple[FlagLevel, ...] = get_args(FlagLevel)
EFFICACY_LEVELS: tuple[EfficacyLevel, ...] = get_args(EfficacyLevel)
BASES: tuple[Basis, ...] = get_args(Basis)
INTERVAL_KINDS: tuple[IntervalKind, ...] = get_args(IntervalKind)

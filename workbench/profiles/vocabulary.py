"""Controlled vocabularies shared by the profile format, the patient context and the CLI."""

from typing import Literal, get_args

Region = Literal["eu", "us"]
Course = Literal["cis", "rrms", "active-spms", "non-active-spms", "ppms"]
Activity = Literal["inactive", "active", "highly-active", "rapidly-evolving-severe"]
JcvStatus = Literal["unknown", "negative", "positive"]
Direction = Literal["benefit", "risk"]
Strength = Literal["high", "moderate", "low", "very-low"]
Route = Literal["iv", "sc", "im", "oral"]
SourceKind = Literal[
    "trial", "label", "regulator", "meta-analysis", "observational", "review", "case-report"
]
FlagLevel = Literal["contraindication", "warning", "info"]

REGIONS: tuple[Region, ...] = get_args(Region)
COURSES: tuple[Course, ...] = get_args(Course)
ACTIVITIES: tuple[Activity, ...] = get_args(Activity)
JCV_STATUSES: tuple[JcvStatus, ...] = get_args(JcvStatus)
STRENGTHS: tuple[Strength, ...] = get_args(Strength)
FLAG_LEVELS: tuple[FlagLevel, ...] = get_args(FlagLevel)

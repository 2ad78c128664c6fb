"""The patient context: what is known about the case. `None` always means "unknown", never "no".

Candidates are compared as treatments started now, except the current DMT, which continues from
`months_on_current`; risks are averaged over the next `horizon_months` of treatment.

Every field is declared once, here: its type and unknown value (the annotation and default) and,
in a `Declared` marker, its label, help text, CLI option and saved-case key. The CLI options, the
app's case panel, the case note rows and the saved-case file are all built from these declarations
(`context_fields()`).

There are deliberately no identifier fields (no name, birth date or record number).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.profiles.vocabulary import (
    ACTIVITIES,
    COURSES,
    JCV_STATUSES,
    REGIONS,
    SEXES,
    Activity,
    ConceptionPlan,
    Course,
    JcvStatus,
    Region,
    Sex,
)

FieldKind = Literal["choice", "yes-no", "integer", "number", "drug", "history", "conception"]
"""How a field is entered: from a list, yes/no/unknown, a whole number, a number, a profile id (or
none), a treatment history (`ID[:MONTHS]` items), or a conception plan (months, not planned)."""


@dataclass(frozen=True, slots=True)
class Declared:
    """Everything the renderers need to know about one context field, beside its type."""

    kind: FieldKind
    label: str
    """Shown in the case panel and the case note."""
    help: str
    """CLI help and the case panel's tooltip."""
    option: str
    """The CLI option (`--jcv`)."""
    session_key: str
    """The key in a saved case's `[context]` table."""
    choices: tuple[str, ...] = ()
    """For `choice` fields: the values (an "unknown" literal included where it is one)."""


NO_CURRENT_DMT = "none"
"""The `current_dmt` value for "on no DMT now"."""


class PreviousDmt(BaseModel):
    """A treatment taken before (a profile id, or a non-DMT immunosuppressant of criteria.toml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    drug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    months_since_stop: int | None = Field(None, ge=0, le=600, description="None = unknown.")
    months_on: int | None = Field(None, ge=0, le=600, description="Months taken; None = unknown.")


Conception = Annotated[int, Field(ge=0, le=600)] | ConceptionPlan
"""Conception planned in this many months, 'planned' (timing unknown) or 'not-planned'."""


class PatientContext(BaseModel):
    """The case under review. Immutable; derive a changed copy with `model_copy(update=...)`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: Annotated[
        Region,
        Declared("choice", "Region (label)", "label region", "--region", "region", REGIONS),
    ] = "eu"
    course: Annotated[
        Course | None,
        Declared("choice", "Disease course", "disease course", "--course", "course", COURSES),
    ] = None
    activity: Annotated[
        Activity | None,
        Declared(
            "choice", "Disease activity", "disease activity", "--activity", "activity", ACTIVITIES
        ),
    ] = None
    current_dmt: Annotated[
        str | None,
        Declared(
            "drug",
            "Current DMT",
            "the DMT the patient is on now (a profile id, or 'none'); it is compared as "
            "'continue', from its exposure so far",
            "--current-dmt",
            "current_dmt",
        ),
    ] = Field(None, description="Profile id of the current DMT; 'none' for none; None = unknown.")
    months_on_current: Annotated[
        int | None,
        Declared(
            "integer",
            "Months on current DMT",
            "months on the current DMT so far",
            "--months-on-current",
            "months_on_current",
        ),
    ] = Field(None, ge=0, le=600)
    previous_dmts: Annotated[
        tuple[PreviousDmt, ...] | None,
        Declared(
            "history",
            "Previous DMTs",
            "treatments stopped before the current one: ID, or ID:MONTHS since stopping, or "
            "ID:MONTHS:ON with the months taken (e.g. natalizumab:2:30,mitoxantrone); 'none' "
            "for none",
            "--previous-dmts",
            "previous_dmts",
        ),
    ] = Field(None, description="Earlier treatments; () = none; None = unknown.")
    adequate_course: Annotated[
        bool | None,
        Declared(
            "yes-no",
            "Full and adequate course",
            "a full and adequate course of the current (or last) DMT was given (EU reservations)",
            "--adequate-course",
            "adequate_course",
        ),
    ] = None
    prior_dmts: Annotated[
        int | None,
        Declared(
            "integer",
            "Prior DMTs",
            "number of DMTs taken so far, the current one included (default: counted from the "
            "current and previous DMTs)",
            "--prior-dmts",
            "prior_dmts",
        ),
    ] = Field(None, ge=0, le=20)
    prior_immunosuppressant: Annotated[
        bool | None,
        Declared(
            "yes-no",
            "Prior immunosuppressant",
            "prior immunosuppressant use (default: from the current and previous treatments)",
            "--prior-immunosuppressant",
            "prior_immunosuppressant",
        ),
    ] = None
    jcv_status: Annotated[
        JcvStatus,
        Declared(
            "choice",
            "Anti-JCV antibodies",
            "anti-JCV antibody status (default: unknown)",
            "--jcv",
            "jcv_status",
            JCV_STATUSES,
        ),
    ] = "unknown"
    jcv_index: Annotated[
        float | None,
        Declared("number", "Anti-JCV index", "anti-JCV antibody index", "--jcv-index", "jcv_index"),
    ] = Field(None, ge=0, le=10)
    horizon_months: Annotated[
        int | None,
        Declared(
            "integer",
            "Treatment horizon (months)",
            "treatment period being planned, over which risks are averaged (default: "
            "criteria.toml's horizon_months)",
            "--horizon-months",
            "horizon_months",
        ),
    ] = Field(None, ge=1, le=240, description="Treatment period being planned; None = the default.")
    autoimmune_history: Annotated[
        bool | None,
        Declared(
            "yes-no",
            "Autoimmune disease besides MS",
            "autoimmune disease other than MS in the history",
            "--autoimmune-history",
            "autoimmune_history",
        ),
    ] = None
    sex: Annotated[
        Sex,
        Declared("choice", "Sex", "sex (default: unknown)", "--sex", "sex", SEXES),
    ] = "unknown"
    conception_planned_in_months: Annotated[
        Conception | None,
        Declared(
            "conception",
            "Conception planned in (months)",
            "conception planned in N months (0 = now); --pregnancy-planned: planned, timing "
            "unknown; --no-pregnancy-planned: not planned",
            "--conception-in-months",
            "conception_planned_in_months",
        ),
    ] = Field(None, description="Months until a planned conception; None = unknown.")
    age: Annotated[int | None, Declared("integer", "Age", "age in years", "--age", "age")] = Field(
        None, ge=0, le=120
    )

    prior_dmts_min: int | None = Field(None, exclude=True, ge=0)
    """Derived, not entered: the DMTs the history shows at least (when the count is unknown)."""

    @property
    def conception_planned(self) -> bool | None:
        """Whether a conception is planned at any time (None: unknown)."""
        plan = self.conception_planned_in_months
        return None if plan is None else plan != "not-planned"


@dataclass(frozen=True, slots=True)
class ContextField:
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
    for name, info in PatientContext.model_fields.items():
        declared = next((m for m in info.metadata if isinstance(m, Declared)), None)
        if declared is None:  # derived by the engine, not entered
            continue
        low = next((float(m.ge) for m in info.metadata if hasattr(m, "ge")), None)
        high = next((float(m.le) for m in info.metadata if hasattr(m, "le")), None)
        fields.append(ContextField(name, declared, info.default, low, high))
    return tuple(fields)


_FIELDS = _declared_fields()

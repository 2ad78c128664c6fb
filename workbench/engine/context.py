"""The patient context: what is known about the case. `None` always means "unknown", never "no".

Candidates are compared as treatments started now, except the current DMT, which continues from
`months_on_current`; risks are averaged over the next `horizon_months` of treatment.

There are deliberately no identifier fields (no name, birth date or record number).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from workbench.profiles.vocabulary import Activity, Course, JcvStatus, Region


class PatientContext(BaseModel):
    """The case under review. Immutable; derive a changed copy with `model_copy(update=...)`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: Region = "eu"
    course: Course | None = None
    activity: Activity | None = None
    prior_dmts: int | None = Field(None, ge=0, le=20)
    prior_immunosuppressant: bool | None = None
    jcv_status: JcvStatus = "unknown"
    jcv_index: float | None = Field(None, ge=0, le=10)
    current_dmt: str | None = Field(
        None, description="Profile id of the current DMT; 'none' for none; None = unknown."
    )
    months_on_current: int | None = Field(None, ge=0, le=600)
    horizon_months: int | None = Field(
        None, ge=1, le=240, description="Treatment period being planned; None = the default."
    )
    autoimmune_history: bool | None = None
    pregnancy_planned: bool | None = None
    age: int | None = Field(None, ge=0, le=120)


NO_CURRENT_DMT = "none"
"""The `current_dmt` value for "on no DMT now"."""

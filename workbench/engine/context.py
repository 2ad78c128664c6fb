"""The patient context: what is known about the case. `None` always means "unknown", never "no".

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
    months_on_natalizumab: int | None = Field(None, ge=0, le=600)
    autoimmune_history: bool | None = None
    pregnancy_planned: bool | None = None
    age: int | None = Field(None, ge=0, le=120)

"""What the app shows: the library, the chosen drugs, the importances, the case — and its Result.

Kept free of textual so it can be driven and measured without a terminal. The context-dependent
work (`prepare`) runs only when the drugs, the case or the library change; a weight change only
re-`score`s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from workbench.engine.context import PatientContext
from workbench.engine.evaluate import Prepared, prepare, score
from workbench.engine.result import RankMode, Result
from workbench.engine.smaa_settings import SmaaSettings
from workbench.engine.weights import (
    WeightError,
    default_preset,
    preset_importance,
)
from workbench.profiles.library import Library
from workbench.profiles.vocabulary import IMPORTANCE_MAX, IMPORTANCE_MIN

if TYPE_CHECKING:  # saving and opening cases is not needed to start
    from workbench.session import Case


CUSTOM = "custom"
"""The preset choice standing for the user's own importances."""


class Workbench:
    """Mutable view state around the immutable engine: every change leaves a fresh `result`."""

    def __init__(
        self,
        library: Library,
        *,
        selected: Iterable[str] | None = None,
        importance: Mapping[str, float] | None = None,
        context: PatientContext | None = None,
        preset_id: str | None = None,
    ) -> None:
        self.library = library
        self.context = context or PatientContext()
        known = {p.id for p in library.profiles}
        chosen = known if selected is None else set(selected) & known
        self.selected: tuple[str, ...] = self._in_library_order(chosen)
        self.missing_picks: frozenset[str] = frozenset()
        """Picked drugs whose profiles are not loaded now (their files broke): picked again when a
        reload brings them back."""
        if importance is None:
            preset_id = preset_id or default_preset(library, self.context)
            importance = self._preset_or_equal(preset_id)
        self.importance: dict[str, float] = {
            c.id: float(importance.get(c.id, 0.0)) for c in library.criteria
        }
        self.preset_id = self._matching_preset()
        self.custom_importance: dict[str, float] | None = None
        """The last custom importances left for a preset (`apply_preset(CUSTOM)` brings them
        back)."""
        self.rank_mode: RankMode = "tiers"
        """tiers: eligible drugs first, then outside the label, then contraindicated;
        all-together: one ranking (for teaching)."""
        self.smaa_settings = SmaaSettings()
        """How SMAA samples, for the table's P(first) row and the sensitivity view alike."""
        self.prepared: Prepared = prepare(library, self.selected, self.context)
        self.result: Result | None = self._score(self.prepared, self.importance)
        self._smaa: tuple[Prepared, dict[str, float], Result] | None = None

    @property
    def weights(self) -> Mapping[str, float]:
        """The current weights (importances normalised); empty without a result."""
        return {} if self.result is None else self.result.weights

    def keep_smaa(
        self, prepared: Prepared, importance: Mapping[str, float], result: Result
    ) -> None:
        """Remember an SMAA run (the sensitivity view's) of `prepared` with `importance`."""
        if result.rank_mode == self.rank_mode:
            self._smaa = (prepared, dict(importance), result)

    @property
    def smaa(self) -> Result | None:
        """The last SMAA run if it was of the comparison shown now (same drugs, case, library and
        importances), else None."""
        if self._smaa is None:
            return None
        prepared, importance, result = self._smaa
        if (
            prepared is self.prepared
            and importance == self.importance
            and result.rank_mode == self.rank_mode
        ):
            return result
        return None

    def _preset_or_equal(self, preset_id: str | None) -> dict[str, float]:
        """The preset's importances, or every concern at mid-scale without a usable preset."""
        if preset_id is not None:
            try:
                return preset_importance(self.library, preset_id)
            except WeightError:
                pass
        return {c.id: IMPORTANCE_MAX / 2 for c in self.library.criteria}

    def _score(self, prepared: Prepared, importance: Mapping[str, float]) -> Result | None:
        """The engine's Result, or None when no concern is loaded (criteria file with errors)."""
        if not self.library.criteria:
            return None
        return score(prepared, importance, rank_mode=self.rank_mode)

    def set_rank_mode(self, rank_mode: RankMode) -> Result | None:
        """Rank within eligibility tiers, or everything together."""
        self.rank_mode = rank_mode
        self.result = self._score(self.prepared, self.importance)
        return self.result

    def run_smaa(self, prepared: Prepared, importance: Mapping[str, float]) -> Result:
        """SMAA of `prepared` with `importance` and the current settings (for a worker thread)."""
        return score(prepared, importance, self.smaa_settings, rank_mode=self.rank_mode)

    def _in_library_order(self, chosen: Iterable[str]) -> tuple[str, ...]:
        wanted = set(chosen)
        return tuple(p.id for p in self.library.profiles if p.id in wanted)

    def _reprepare(self) -> Result | None:
        self.prepared = prepare(self.library, self.selected, self.context)
        self.result = self._score(self.prepared, self.importance)
        return self.result

    def toggle(self, drug_id: str) -> Result | None:
        """Pick the drug if it is not compared yet, otherwise drop it."""
        chosen = set(self.selected)
        chosen.symmetric_difference_update({drug_id})
        return self.set_selected(chosen)

    def set_selected(
        self, drug_ids: Iterable[str], *, forget_missing: bool = False
    ) -> Result | None:
        """Compare exactly these drugs (unknown ids are ignored), in library order.
        `forget_missing` also drops the picks whose profiles are not loaded now."""
        self.selected = self._in_library_order(drug_ids)
        if forget_missing:
            self.missing_picks = frozenset()
        return self._reprepare()

    def pick_all(self) -> Result | None:
        """Compare every loaded drug."""
        return self.set_selected(p.id for p in self.library.profiles)

    def pick_none(self) -> Result | None:
        """Compare no drug (and forget the picks of drugs not loaded now)."""
        return self.set_selected((), forget_missing=True)

    def set_importance(self, concern_id: str, value: float) -> Result | None:
        """Change one concern's importance (clamped to the scale); `WeightError` if all become 0."""
        value = min(max(float(value), IMPORTANCE_MIN), IMPORTANCE_MAX)
        importance = {**self.importance, concern_id: value}
        self.result = self._score(self.prepared, importance)
        self.importance = importance
        self.preset_id = self._matching_preset()
        return self.result

    def apply_preset(self, preset_id: str) -> Result | None:
        """Take the importances of a preset; `CUSTOM`: the custom importances left for a preset
        (kept, so a preset tried is never the end of them)."""
        if preset_id == CUSTOM:
            if self.custom_importance is None:
                return self.result
            importance = dict(self.custom_importance)
        else:
            if self.preset_id is None:
                self.custom_importance = dict(self.importance)
            importance = preset_importance(self.library, preset_id)
        self.result = self._score(self.prepared, importance)
        self.importance = importance
        self.preset_id = self._matching_preset() if preset_id == CUSTOM else preset_id
        return self.result

    def set_context(self, context: PatientContext) -> Result | None:
        """Change the case: the measurements, reservations and flags are recomputed."""
        self.context = context
        return self._reprepare()

    def replace_library(self, library: Library) -> Result | None:
        """Swap in a reloaded library, keeping the weights, the case and the picks: drugs picked
        before (or before their files broke) are picked again when loaded; new drugs are picked
        when every drug was; picked drugs no longer loaded are kept in `missing_picks`."""
        before = {p.id for p in self.library.profiles}
        every = bool(before) and set(self.selected) >= before
        wanted = set(self.selected) | self.missing_picks
        known = {p.id for p in library.profiles}
        if every:
            wanted |= known - before
        self.missing_picks = frozenset(wanted - known)
        self.library = library
        importance = {c.id: self.importance.get(c.id, 0.0) for c in library.criteria}
        if not any(importance.values()):
            importance = self._preset_or_equal(default_preset(library, self.context))
        self.importance = importance
        self.selected = self._in_library_order(wanted)
        self.preset_id = self._matching_preset()
        return self._reprepare()

    def to_case(self) -> Case:
        """The current comparison as a saveable case (no patient identifiers exist to include)."""
        from workbench.session import Case

        return Case(
            drugs=list(self.selected),
            importance=dict(self.importance),
            preset=self.preset_id,
            context=self.context,
        )

    def apply_case(self, case: Case) -> Result | None:
        """Take an opened case's drugs, importances and context. Raises `WeightError` (state kept)
        when the case gives every concern importance 0."""
        importance = {c.id: float(case.importance.get(c.id, 0.0)) for c in self.library.criteria}
        selected = self._in_library_order(case.drugs)
        prepared = prepare(self.library, selected, case.context)
        result = self._score(prepared, importance)
        self.selected, self.importance, self.context = selected, importance, case.context
        self.prepared, self.result = prepared, result
        self.preset_id = self._matching_preset()
        return result

    def _matching_preset(self) -> str | None:
        for preset in self.library.presets:
            try:
                if preset_importance(self.library, preset.id) == self.importance:
                    return preset.id
            except WeightError:
                continue
        return None

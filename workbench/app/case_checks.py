"""Checks of a case that need no widget: facts that contradict each other, and the mark that
flags a field needing attention (the header counts them before the case panel is built)."""

from __future__ import annotations

from workbench.engine.context import NO_CURRENT_DMT, PatientContext

ATTENTION_MARK = "⚠"
"""Marks a case entry that needs attention (with words beside it, for NO_COLOR terminals)."""


def contradictions(context: PatientContext) -> list[tuple[str, str]]:
    """(field, words) for facts of the case that contradict each other; the engine still reads
    each field as given, but the clinician should look again."""
    found: list[tuple[str, str]] = []
    if context.jcv_index is not None and context.jcv_status != "positive":
        found.append(("jcv_index", f"an index with anti-JCV status {context.jcv_status}"))
    current = context.current_dmt
    if context.months_on_current is not None and current in (None, NO_CURRENT_DMT):
        state = "none" if current == NO_CURRENT_DMT else "unknown"
        found.append(("months_on_current", f"months on a current DMT that is {state}"))
    previous = {p.drug for p in context.previous_dmts or ()}
    if current is not None and current in previous:
        found.append(("previous_dmts", f"{current} is both current and previous"))
    if context.sex == "male" and context.breastfeeding in ("now", "planned"):
        found.append(("breastfeeding", f"breastfeeding {context.breastfeeding} for a man"))
    if context.autoimmune_history is False and context.autoimmune_types:
        found.append(("autoimmune_types", "types given with no autoimmune disease"))
    return found

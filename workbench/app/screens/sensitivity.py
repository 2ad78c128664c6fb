"""The sensitivity view: one-way weight intervals at once, SMAA from a worker thread."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from workbench.app.smaa_tables import (
    acceptability_table,
    central_weights_table,
    one_way_table,
    smaa_settings_line,
)
from workbench.app.state import Workbench
from workbench.engine.evaluate import Prepared, score
from workbench.engine.result import WEIGHT_MODES, Result
from workbench.engine.smaa_settings import SmaaSettings
from workbench.profiles.vocabulary import IMPORTANCE_MAX
from workbench.report.charts import acceptability_lines
from workbench.report.smaa_words import EXPLAIN, FIXED_CENTRAL


class SensitivityScreen(Screen[None]):
    """How robust the ranking is to the weights and to the uncertainty of the measurements."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,v", "app.pop_screen", "Back"),
        Binding("w", "weight_mode", "Weight sampling"),
        Binding("plus,equals_sign", "spread(1)", "Wider spread", show=False),
        Binding("minus", "spread(-1)", "Narrower spread", show=False),
    ]

    def __init__(self, workbench: Workbench, result: Result) -> None:
        super().__init__(id="sensitivity")
        self.workbench = workbench
        self.result = result
        self.settings = workbench.smaa_settings
        self.smaa: Result | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Sensitivity of the ranking", style="bold"), classes="screen-title")
        with VerticalScroll(id="sensitivity-body"):
            yield Static(classes="section-title", id="smaa-title")
            yield Static(id="smaa-settings")
            yield Static(
                Text("\n".join(EXPLAIN[k] for k in ("acceptability", "confidence")), style="dim"),
                id="smaa-explain",
            )
            yield Static(id="acceptability")
            yield Static(id="rank-chart")
            yield Static(
                Text("Central weights (when each drug ranks first)", style="bold"),
                classes="section-title",
            )
            yield Static(Text(EXPLAIN["central"], style="dim"), id="central-explain")
            yield Static(id="central-weights")
            yield Static(
                Text("One-way: each concern's weight, the others rescaled", style="bold"),
                classes="section-title",
            )
            yield Static(id="one-way")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#one-way", Static).update(one_way_table(self.result))
        self.query_one("#sensitivity-body").focus()
        self._start()

    def _start(self) -> None:
        self.workbench.smaa_settings = self.settings  # the table's P(first) row follows
        self.query_one("#smaa-title", Static).update(
            Text("Rank acceptability (SMAA) — computing …", style="bold")
        )
        self.compute(self.workbench.prepared, dict(self.workbench.importance), self.settings)

    @work(exclusive=True, thread=True, group="smaa")
    def compute(
        self, prepared: Prepared, importance: Mapping[str, float], settings: SmaaSettings
    ) -> None:
        """Run SMAA off the UI thread; a newer run makes this one's result be dropped. The result
        is kept on the workbench, so the case note (e) includes it while the case is unchanged."""
        worker = get_current_worker()
        try:
            result = score(prepared, importance, settings, rank_mode=self.workbench.rank_mode)
        except Exception as error:
            message = f"SMAA failed: {error}"
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_error, message)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._keep, prepared, importance, result)

    def _keep(self, prepared: Prepared, importance: Mapping[str, float], result: Result) -> None:
        self.workbench.keep_smaa(prepared, importance, result)
        self._show(result)

    def on_resize(self) -> None:
        if self.smaa is not None:
            self._show(self.smaa)

    def _show(self, result: Result) -> None:
        self.smaa = result
        self.query_one("#smaa-title", Static).update(
            Text("Rank acceptability (SMAA): share of samples giving each rank", style="bold")
        )
        self.query_one("#smaa-settings", Static).update(smaa_settings_line(result))
        self.query_one("#acceptability", Static).update(
            acceptability_table(result, self.size.width - 4)
        )
        chart = acceptability_lines(result, self.size.width - 4)
        self.query_one("#rank-chart", Static).update(
            Text("\n").join([Text("Ranks as stacked bars", style="bold"), *chart])
        )
        fixed = result.smaa is not None and result.smaa.weight_mode == "fixed"
        self.query_one("#central-explain", Static).update(
            Text(f"{FIXED_CENTRAL} Press w for sampled weights." if fixed else EXPLAIN["central"])
        )
        central = self.query_one("#central-weights", Static)
        central.display = not fixed
        if not fixed:
            central.update(central_weights_table(result))

    def _show_error(self, message: str) -> None:
        self.query_one("#smaa-title", Static).update(Text(message, style="bold"))

    def action_weight_mode(self) -> None:
        """Cycle how SMAA samples the weights, and run it again."""
        mode = WEIGHT_MODES[(WEIGHT_MODES.index(self.settings.weight_mode) + 1) % len(WEIGHT_MODES)]
        self.settings = replace(self.settings, weight_mode=mode)
        self._start()

    def action_spread(self, step: int) -> None:
        """Widen or narrow the ± importance points around the user's weights."""
        spread = min(max(self.settings.spread + step, 1.0), IMPORTANCE_MAX)
        if spread != self.settings.spread:
            self.settings = replace(self.settings, weight_mode="around", spread=spread)
            self._start()

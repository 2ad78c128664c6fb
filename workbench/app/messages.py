"""Messages about one drug, posted by the widgets that show drugs (table, list, picker)."""

from __future__ import annotations

from textual.message import Message


class DrugMessage(Message):
    """Something happened to one drug: its id."""

    def __init__(self, drug_id: str) -> None:
        super().__init__()
        self.drug_id = drug_id

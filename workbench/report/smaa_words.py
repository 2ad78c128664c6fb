"""What the SMAA results mean, one line each: shared by the sensitivity view and the case note."""

from __future__ import annotations

EXPLAIN: dict[str, str] = {
    "acceptability": "Rank acceptability: the share of samples (weights and measurements drawn "
    "within their uncertainty) in which the drug takes each rank.",
    "central": "Central weights: the average weights of the samples in which the drug ranks "
    "first, i.e. the preferences that favour it.",
    "confidence": "Confidence: how often the drug ranks first with the weights fixed at its "
    "central weights, only the measurements varying.",
}
FIXED_CENTRAL = (
    "Central weights are not shown: with the weights fixed at yours, every drug's central weights "
    "are your weights."
)
"""Said instead of the central weights table when SMAA ran with fixed weights."""

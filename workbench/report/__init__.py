"""Report layer: renders an engine result as a case note, JSON, CSV or a table (never textual)."""

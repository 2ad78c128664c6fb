"""Profiles layer: the data formats (schema), their loader and validation. Never imports textual."""

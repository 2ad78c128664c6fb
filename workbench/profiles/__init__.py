"""Profiles layer: the data formats (schema), their loaders and validation. Never imports textual."""

"""Where the bundled data lives: the repository's `profiles/` directory next to the package."""

from __future__ import annotations

from pathlib import Path


def bundled_profiles_dir() -> Path:
    """The bundled profiles directory (`profiles/` beside the `workbench` package)."""
    return Path(__file__).resolve().parents[2] / "profiles"

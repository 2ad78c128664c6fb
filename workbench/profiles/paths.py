"""Where the bundled data lives, and what is wrong with a profiles folder that cannot be used.

The profiles are edited in the repository's top-level `profiles/`; `workbench/bundled_profiles` is a
symbolic link to it, so the build ships them as package data (one copy in the repository) and the
installed app, editable or not, reads them beside its modules (a wheel installs them as files).
"""

from __future__ import annotations

from pathlib import Path

_REINSTALL = (
    "reinstall workbench (`pip install --force-reinstall workbench`; in a checkout, "
    "`git restore profiles workbench/bundled_profiles`)"
)
_LAYOUT = "give a folder holding criteria.toml, presets.toml and one <drug-id>.toml per therapy"


def bundled_profiles_dir() -> Path:
    """The bundled profiles directory (package data `workbench/bundled_profiles`)."""
    return (Path(__file__).parent.parent / "bundled_profiles").resolve()


def profiles_dir_problem(root: Path) -> str | None:
    """Why the profiles folder `root` cannot be used (missing, or without any `.toml` file) and
    how to fix it; None when it can. A `.toml` path is a file, left to the loader to judge."""
    from workbench.text import clean_line

    shown = clean_line(str(root))
    shown = shown if len(shown) <= 200 else shown[:100] + "…" + shown[-99:]
    try:
        if root.suffix.lower() == ".toml" or (
            root.is_dir() and next(root.glob("*.toml"), None) is not None
        ):
            return None
        state = "holds no .toml files" if root.is_dir() else "does not exist"
        fix = _REINSTALL if root.resolve() == bundled_profiles_dir() else _LAYOUT
    except (OSError, ValueError) as error:
        return f"profiles folder {shown}: {getattr(error, 'strerror', None) or error}"
    return f"profiles folder {shown} {state}: {fix}"

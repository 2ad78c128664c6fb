"""Import boundaries of the commands (complements `test_layers.py`, which covers the domain
packages and `workbench validate`): `compare` in every format never imports textual, numpy is
imported only when SMAA runs, and the probe itself sees both imports where they belong.

Each case runs the command in a fresh interpreter and reports which heavy packages got imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROBE = textwrap.dedent(
    """
    import contextlib, io, json, sys

    from workbench.cli.main import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(sys.argv[1:])
    heavy = ("textual", "numpy")
    print(json.dumps({"code": code, "imported": [name for name in heavy if name in sys.modules]}))
    """
)


def imported_by(*argv: str) -> list[str]:
    """The heavy packages imported by running `workbench ARGV` (which must exit 0)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["code"] == 0
    return list(report["imported"])


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["list"],
        ["schema"],
        ["compare", "--format", "json"],
        ["compare", "--format", "csv"],
        ["compare", "--format", "markdown"],
        ["compare", "--format", "table"],
    ],
    ids=" ".join,
)
def test_command_imports_neither_textual_nor_numpy(argv: list[str]) -> None:
    assert imported_by(*argv) == []


def test_compare_with_smaa_imports_numpy_but_not_textual() -> None:
    assert imported_by("compare", "--format", "json", "--smaa", "100") == ["numpy"]


def test_screenshot_imports_textual(tmp_path: Path) -> None:
    assert "textual" in imported_by("screenshot", f"{tmp_path}/shot.svg")

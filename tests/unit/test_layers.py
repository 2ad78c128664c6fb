"""Layering: the domain layers and `workbench validate` never import textual.

Runs in a fresh interpreter so that modules imported by other tests cannot hide an import.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

DOMAIN_PACKAGES = ("workbench.profiles", "workbench.engine", "workbench.report")

PROBE = textwrap.dedent(
    f"""
    import contextlib, importlib, io, pkgutil, sys

    imported = []
    for package_name in {DOMAIN_PACKAGES!r}:
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, package_name + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
    if importlib.util.find_spec("workbench.session") is not None:
        importlib.import_module("workbench.session")
        imported.append("workbench.session")
    assert "workbench.profiles.loader" in imported, imported
    assert "textual" not in sys.modules, "a domain module imports textual"

    from workbench.cli.main import main

    with contextlib.redirect_stdout(io.StringIO()):
        main(["validate"])
    assert "textual" not in sys.modules, "workbench validate imports textual"
    print(len(imported))
    """
)


def test_domain_layers_and_validate_do_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= 5

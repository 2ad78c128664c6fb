"""The CLI parser: only the invoked sub-command's module is imported; every command is listed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.cli.main import COMMANDS, _command, main


def _imported_commands(code: str) -> list[str]:
    script = f"import sys\n{code}\nprint(sorted(m for m in sys.modules if '.cli.cmd_' in m))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return [name.strip("' ") for name in result.stdout.strip("[]\n").split(",") if name.strip()]


def test_a_sub_command_imports_only_its_module() -> None:
    code = "from workbench.cli.main import build_parser; build_parser('validate')"
    assert _imported_commands(code) == ["workbench.cli.cmd_validate"]


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name, summary in COMMANDS.items():
        assert name in out
        assert summary in " ".join(out.split())


def test_the_invoked_command_is_the_first_argument() -> None:
    assert _command([]) == "app"
    assert _command(["compare", "--drugs", "x"]) == "compare"
    assert _command(["--help"]) is None  # every command's arguments: `--help` lists them all
    assert _command(["bogus"]) is None

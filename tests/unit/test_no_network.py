"""No network, ever: every CLI command and the app run with network sockets made to fail.

Subprocesses get a `sitecustomize.py` (first on PYTHONPATH) that makes creating an internet socket,
connecting and resolving names raise, and log each attempt; every command must still exit 0 with
output, and the log must stay empty. Local AF_UNIX socket pairs stay allowed: asyncio's event loop
(used by Textual) wakes itself up through one. The app is driven in process with the same guard.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbench.app.factory import create_app

GUARD = textwrap.dedent(
    '''
    """Test guard: refuse (and log) every attempt to reach the network."""
    import os
    import socket

    _LOG = os.environ["WORKBENCH_NETWORK_LOG"]
    _Socket = socket.socket


    def _refuse(what):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(what + "\\n")
        raise OSError("network access attempted: " + what)


    class GuardedSocket(_Socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if family != socket.AF_UNIX:
                _refuse(f"socket({family!r}, {type!r})")
            super().__init__(family, type, proto, fileno)


    socket.socket = GuardedSocket
    socket.create_connection = lambda *a, **k: _refuse(f"create_connection{a!r}")
    socket.getaddrinfo = lambda *a, **k: _refuse(f"getaddrinfo{a!r}")
    socket.gethostbyname = lambda *a, **k: _refuse(f"gethostbyname{a!r}")
    '''
)

CLI = [sys.executable, "-m", "workbench.cli.main"]

COMMANDS: dict[str, list[str]] = {
    "validate": ["validate"],
    "list": ["list"],
    "schema": ["schema"],
    "compare-table": ["compare", "--format", "table"],
    "compare-markdown": ["compare", "--format", "markdown"],
    "compare-json": ["compare", "--format", "json", "--smaa", "200"],
    "compare-csv": ["compare", "--format", "csv"],
}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """The environment for guarded subprocesses, and the attempts log (created empty)."""
    folder = tmp_path_factory.mktemp("no-network")
    (folder / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = folder / "attempts.log"
    log.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")])),
        "WORKBENCH_NETWORK_LOG": str(log),
        "WORKBENCH_HOME": str(folder / "home"),
    }
    return env, log


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_guard_is_active(guarded: tuple[dict[str, str], Path]) -> None:
    env, log = guarded
    probe = (
        "import socket\n"
        "for call in (lambda: socket.socket(), lambda: socket.create_connection(('127.0.0.1', 9)),"
        " lambda: socket.getaddrinfo('localhost', 80)):\n"
        "    try:\n"
        "        call()\n"
        "    except OSError:\n"
        "        print('refused')\n"
        "socket.socketpair()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["refused"] * 3
    assert len(log.read_text(encoding="utf-8").splitlines()) == 3
    log.write_text("", encoding="utf-8")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_cli_command_runs_without_network(guarded: tuple[dict[str, str], Path], name: str) -> None:
    env, log = guarded
    result = run(env, *COMMANDS[name])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert log.read_text(encoding="utf-8") == ""


def test_screenshot_runs_without_network(
    guarded: tuple[dict[str, str], Path], tmp_path: Path
) -> None:
    env, log = guarded
    target = tmp_path / "shot.svg"
    result = run(env, "screenshot", str(target), "--press", "x,i")
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8").startswith("<svg")
    assert log.read_text(encoding="utf-8") == ""


async def test_app_runs_without_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    attempts: list[str] = []

    class GuardedSocket(socket.socket):
        def __init__(
            self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None
        ) -> None:
            if family != socket.AF_UNIX:
                attempts.append(f"socket({family}, {type})")
                raise OSError("network access attempted")
            super().__init__(family, type, proto, fileno)

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(repr(args))
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path))
    app = create_app(cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x", "i", "escape", "w", "tab", "right", "c", "e", "question_mark")
        await pilot.press("escape", "v")
        await app.workers.wait_for_complete()
        await pilot.press("escape", "ctrl+p", *"Pick", "escape")
        await pilot.pause()
        assert app.is_running
    assert list((tmp_path / "notes").glob("*.md"))
    assert attempts == []

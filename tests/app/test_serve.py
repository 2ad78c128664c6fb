"""`workbench serve`: the page and everything it loads come from the server, and its websocket
answers and streams the app (one app process per session)."""

from __future__ import annotations

import asyncio
import re
import sys
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from workbench.cli.cmd_serve import app_argv, offline_page
from workbench.cli.main import main

ASSET = re.compile(r"""(?:href|src)="([^"]+)"|url\(["']?([^"')]+)""")
APP_TIMEOUT = 30.0
"""Seconds the app may take to start in its process and draw the drug names."""


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_page_template_loads_nothing_from_outside() -> None:
    page = offline_page()
    assert "fonts.googleapis.com" not in page
    assert "{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf" in page


def test_each_session_runs_this_python_s_workbench_app(tmp_path: Path) -> None:
    folder = tmp_path / "my profiles"
    assert app_argv(None) == [sys.executable, "-P", "-m", "workbench.cli.main", "app", "--served"]
    assert app_argv(folder)[-2:] == ["--profiles", str(folder.resolve())]
    assert app_argv(None, folder)[-2:] == ["--cases", str(folder.resolve())]


def test_profiles_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--profiles", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err == f"workbench serve: {tmp_path / 'none'}: not a directory\n"


@pytest.mark.slow
def test_page_and_all_its_assets_come_from_the_server(served: str) -> None:
    status, body = _get(served + "/")
    page = body.decode()
    assert status == 200
    assert f'data-session-websocket-url="ws://{served.removeprefix("http://")}/ws"' in page
    assets = [first or second for first, second in ASSET.findall(page)]
    assert len(assets) >= 4  # stylesheet, font, script, background image
    for asset in assets:
        assert asset.startswith(served + "/static/"), asset
        assert _get(asset)[0] == 200, asset


@pytest.mark.slow
async def test_websocket_answers_ping_and_streams_the_app(served: str) -> None:
    url = served.replace("http://", "ws://") + "/ws?width=160&height=50"
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url, origin=served) as websocket,
    ):
        await websocket.send_json(["ping", "probe"])
        ponged = False
        screen = b""
        async with asyncio.timeout(APP_TIMEOUT):
            while not ponged or b"Natalizumab" not in screen:
                message = await websocket.receive()
                if message.type == aiohttp.WSMsgType.TEXT:
                    ponged = ponged or message.json() == ["pong", "probe"]
                elif message.type == aiohttp.WSMsgType.BINARY:
                    screen += message.data
                else:
                    pytest.fail(f"websocket closed before the app drew its table: {message}")
    assert b"20/20 drugs" in screen

"""`workbench serve` in a teaching room, over 127.0.0.1 only and bounded in time: the access token,
the Host and Origin checks, the session limit, the reaping of every app process (early-closed tabs,
server stop, killed server), downloads instead of host files, and malformed browser messages."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from serving import ServeFactory, Server, app_processes

from workbench.cli import cmd_serve
from workbench.cli.main import main

pytestmark = pytest.mark.slow
APP_TIMEOUT = 30.0
"""Seconds an app may take to start and draw the drug names."""
REAP_TIMEOUT = 15.0
"""Seconds every app process of closed sessions may take to be gone (2 cores, shared)."""


def _status(url: str, headers: dict[str, str] | None = None) -> int:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def _ws(server: Server) -> str:
    return server.url.replace("http://", "ws://") + "/ws?width=120&height=40"


async def _wait_for_screen(websocket: aiohttp.ClientWebSocketResponse, text: bytes) -> None:
    screen = b""
    async with asyncio.timeout(APP_TIMEOUT):
        while text not in screen:
            message = await websocket.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                screen += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                pytest.fail(f"websocket closed before the app drew: {message}")


@asynccontextmanager
async def _session(
    server: Server,
) -> AsyncIterator[tuple[aiohttp.ClientSession, aiohttp.ClientWebSocketResponse]]:
    """A client session and a websocket whose app has drawn the drug table."""
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(_ws(server), origin=server.url) as websocket,
    ):
        await _wait_for_screen(websocket, b"Natalizumab")
        yield client, websocket


def _wait_until_no_apps(server_pid: int, timeout: float = REAP_TIMEOUT) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := app_processes(server_pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


async def _handshake_status(url: str, origin: str | None = None) -> int:
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, origin=origin):
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


# --------------------------------------------------------------------------- access


def test_other_hosts_need_the_token_and_are_warned_about(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Any address but loopback: a random token and a warning (checked without listening)."""
    seen: dict[str, object] = {}

    class Recorder:
        def __init__(self, argv: list[str], **options: object) -> None:
            seen.update(options)

        def serve(self) -> None:
            seen["served"] = True

    monkeypatch.setattr("workbench.cli.teaching_server.TeachingServer", Recorder)
    assert main(["serve", "--host", "0.0.0.0", "--max-sessions", "3"]) == 0
    assert seen["served"] is True
    assert isinstance(seen["token"], str)
    assert len(seen["token"]) >= 24
    assert seen["max_sessions"] == 3
    assert "WARNING" in capsys.readouterr().err
    assert main(["serve"]) == 0
    assert seen["token"] is None  # loopback: Origin and Host checks, no token
    assert capsys.readouterr().err == ""


def test_default_session_limit_follows_memory() -> None:
    limit = cmd_serve.default_max_sessions()
    available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert 1 <= limit <= cmd_serve.MAX_SESSIONS_CAP
    assert limit * cmd_serve.SESSION_MEMORY <= max(available, cmd_serve.SESSION_MEMORY)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "70000 is not within 1-65,535"),
        (["--max-sessions", "0"], "0 is not within"),
        (["--host", "nonexistent.invalid", "--port", "1"], "--host nonexistent.invalid"),
    ],
)
def test_bad_serve_options_are_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(["serve", *args]))
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1, err


def test_token_is_checked_on_the_page_and_the_websocket(serve: ServeFactory) -> None:
    server = serve("--token")
    assert server.token is not None
    assert _status(server.url + "/") == 403
    assert _status(server.url + "/?token=wrong") == 403
    assert _status(server.url + "/ws") == 403

    async def session() -> None:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies of an IP address host, as browsers keep
        async with aiohttp.ClientSession(cookie_jar=jar) as client:
            async with client.get(server.url + f"/?token={server.token}") as page:
                assert page.status == 200  # redirected to / with the cookie
                assert "data-session-websocket-url" in await page.text()
            async with client.ws_connect(_ws(server), origin=server.url) as websocket:
                await _wait_for_screen(websocket, b"Natalizumab")
        assert await _handshake_status(_ws(server), origin=server.url) == 403  # no cookie

    asyncio.run(session())


def test_other_origins_and_host_names_are_refused(serve: ServeFactory) -> None:
    server = serve()
    host = server.url.removeprefix("http://")
    assert _status(server.url + "/") == 200
    # a DNS-rebinding page: its own host name, resolved to 127.0.0.1
    assert _status(server.url + "/", {"Host": f"evil.example:{host.rsplit(':')[1]}"}) == 403

    async def handshakes() -> list[int]:
        return [
            await _handshake_status(_ws(server), origin="http://evil.example"),
            await _handshake_status(_ws(server), origin=f"http://{host}.evil.example"),
            await _handshake_status(_ws(server)),  # no Origin at all
        ]

    assert asyncio.run(handshakes()) == [403, 403, 403]
    assert app_processes(server.process.pid) == []


# --------------------------------------------------------------------------- sessions


def test_session_limit(serve: ServeFactory) -> None:
    server = serve("--max-sessions", "1")

    async def sessions() -> None:
        async with aiohttp.ClientSession() as client:
            async with client.ws_connect(_ws(server), origin=server.url) as first:
                await _wait_for_screen(first, b"Natalizumab")
                assert await _handshake_status(_ws(server), origin=server.url) == 503
            assert _wait_until_no_apps(server.process.pid) == []
            async with client.ws_connect(_ws(server), origin=server.url) as again:
                await _wait_for_screen(again, b"Natalizumab")

    asyncio.run(sessions())


def test_twenty_early_closed_tabs_leave_no_process(serve: ServeFactory) -> None:
    server = serve()
    seen: set[int] = set()

    async def tab(delay: float) -> None:
        async with (
            aiohttp.ClientSession() as client,
            client.ws_connect(_ws(server), origin=server.url),
        ):
            await asyncio.sleep(delay)
            seen.update(app_processes(server.process.pid))

    async def tabs() -> None:
        await asyncio.gather(*(tab(0.1 + 0.01 * (n % 10)) for n in range(20)))

    asyncio.run(tabs())
    assert len(seen) >= 10  # the apps were started (each tab saw its own, mostly)
    assert _wait_until_no_apps(server.process.pid) == []
    assert server.process.poll() is None


def _with_sessions(server: Server, count: int, then: Callable[[], None]) -> None:
    """Open `count` sessions, wait until each app drew, then call `then` with them still open."""

    async def run() -> None:
        async with aiohttp.ClientSession() as client:
            sockets = []
            for _ in range(count):
                websocket = await client.ws_connect(_ws(server), origin=server.url)
                sockets.append(websocket)
                await _wait_for_screen(websocket, b"Natalizumab")
            assert len(app_processes(server.process.pid)) == count
            then()

    asyncio.run(run())


def test_ctrl_c_stops_within_two_seconds_and_leaves_no_process(serve: ServeFactory) -> None:
    server = serve()
    took: list[float] = []

    def interrupt() -> None:
        os.kill(server.process.pid, signal.SIGINT)
        stopping = time.monotonic()
        server.process.wait(timeout=10)
        took.append(time.monotonic() - stopping)

    _with_sessions(server, 2, interrupt)
    assert took[0] < 2.0
    assert _wait_until_no_apps(server.process.pid, timeout=1.0) == []


def test_a_killed_server_takes_its_apps_with_it(serve: ServeFactory) -> None:
    server = serve()

    def kill() -> None:
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)

    _with_sessions(server, 2, kill)
    assert _wait_until_no_apps(server.process.pid, timeout=5.0) == []


def test_malformed_messages_are_ignored(serve: ServeFactory) -> None:
    server = serve()

    async def session() -> None:
        async with _session(server) as (_, websocket):
            for bad in ("not json", "{}", "[]", "[1, 2]", '["resize", {"width": 1e9}]'):
                await websocket.send_str(bad)
            await websocket.send_json(["resize", {"width": 10**9, "height": -5}])
            await websocket.send_json(["ping", "still-there"])
            async with asyncio.timeout(APP_TIMEOUT):
                while True:
                    message = await websocket.receive()
                    if message.type == aiohttp.WSMsgType.TEXT:
                        if message.json() == ["pong", "still-there"]:
                            break
                    elif message.type != aiohttp.WSMsgType.BINARY:
                        pytest.fail(f"session ended: {message}")

    asyncio.run(session())


# --------------------------------------------------------------------------- no host files


def test_case_note_is_a_download_and_touches_no_host_file(
    serve: ServeFactory, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    server = serve(env={"WORKBENCH_HOME": str(home)})

    async def session() -> str:
        async with _session(server) as (client, websocket):
            await websocket.send_json(["stdin", "e"])
            async with asyncio.timeout(APP_TIMEOUT):
                while True:
                    message = await websocket.receive()
                    if message.type == aiohttp.WSMsgType.TEXT:
                        kind, key = message.json()
                        if kind == "deliver_file_start":
                            break
            async with client.get(f"{server.url}/download/{key}") as download:
                assert download.status == 200
                assert "case-note-" in download.headers["Content-Disposition"]
                return await download.text()

    note = asyncio.run(session())
    assert "Natalizumab" in note
    assert not home.exists()


def test_cases_folder_must_exist(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["serve", "--cases", str(tmp_path / "none")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_serve_command_accepts_its_options() -> None:
    from workbench.cli.main import build_parser

    args = build_parser("serve").parse_args(["serve", "--token", "--max-sessions", "5"])
    assert isinstance(args, argparse.Namespace)
    assert args.token is True
    assert args.max_sessions == 5

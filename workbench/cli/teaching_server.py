"""The server behind `workbench serve`: textual-serve's, made safe for a teaching room.

- **Access token.** On any address but loopback (or with `--token`) every request except the
  static files needs the access token: `/?token=T` once (the address printed at start), then an
  HttpOnly, SameSite=Strict cookie that the page, its websocket and its downloads carry.
- **Host and Origin.** Without a token only the loopback names and the served host are answered
  (a DNS-rebinding page names its own host); the websocket's Origin must be the page's own origin,
  so a page from anywhere else cannot open a session.
- **Sessions.** At most `max_sessions` apps at once. Each app runs in its own process group that
  is killed when its socket closes, however early, and when the server stops; an app whose server
  is killed dies with it (`workbench app --served` asks the kernel for that).
- **Stop.** Ctrl+C or SIGTERM closes every socket and kills every app at once: the server is gone
  within `STOP_SECONDS`.
- **Messages.** Browser messages are checked before use (a malformed one is ignored) and terminal
  sizes are clamped.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import shlex
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server, to_int

log = logging.getLogger("workbench-serve")

PARENT_ENV = "WORKBENCH_SERVE_PID"
"""Set in each app's environment to the server's pid: the app dies with that process."""
TOKEN_COOKIE = "workbench_token"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
STOP_SECONDS = 2.0
"""Ctrl+C to exit, with sessions open, at most."""
QUIT_GRACE = 0.5
"""Seconds an app gets to quit on its own when its socket closes, before its group is killed."""
KILL_GRACE = 0.5
"""Seconds between SIGTERM and SIGKILL to an app's process group."""
MAX_MESSAGE_BYTES = 64 * 1024
"""A browser message larger than this closes the session (keys and resizes are a few bytes)."""
SIZE_LIMITS = ((20, 400), (10, 200))
"""Terminal width and height the browser may ask for (columns, rows)."""


def is_loopback(host: str) -> bool:
    return host.strip("[]") in LOOPBACK_HOSTS or host.startswith("127.")


def _host_name(host: str) -> str:
    """The host name of a Host header value (`name:port`, `[v6]:port`), lower case."""
    return (urlsplit(f"//{host}").hostname or "").lower()


def _kill_group(pid: int, sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


class AppProcess(AppService):
    """One browser session's app: started without a shell in its own process group, and always
    killed (with anything it started) when the session ends."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[object]],
        download_manager: DownloadManager,
    ) -> None:
        super().__init__(
            shlex.join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,  # type: ignore[arg-type]  # its result is never used
            download_manager=download_manager,
        )
        self.argv = tuple(argv)
        self._stopped = False

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        environment = self._build_environment(width=width, height=height)
        environment[PARENT_ENV] = str(os.getpid())
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the app to quit; kill its process group when it has not within `QUIT_GRACE`."""
        if self._stopped:
            return
        self._stopped = True
        process = self._process
        with suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if process is not None:
            if process.returncode is None:
                with suppress(Exception):
                    await asyncio.wait_for(self.send_meta({"type": "quit"}), QUIT_GRACE)
            await self._reap(process)
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, KILL_GRACE)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()
            self._task = None

    @staticmethod
    async def _reap(process: asyncio.subprocess.Process) -> None:
        for signal_, grace in ((None, QUIT_GRACE), (signal.SIGTERM, KILL_GRACE)):
            if signal_ is not None:
                _kill_group(process.pid, signal_)
            with suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), grace)
        _kill_group(process.pid, signal.SIGKILL)  # the app, or anything left in its group
        await process.wait()

    def kill(self) -> None:
        """Kill the process group now (the server is stopping)."""
        if self._process is not None:
            _kill_group(self._process.pid, signal.SIGKILL)


class TeachingServer(Server):
    """textual-serve's server with the access rules of this module."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        host: str,
        port: int,
        public_url: str | None,
        templates_path: Path,
        token: str | None,
        max_sessions: int,
    ) -> None:
        super().__init__(
            shlex.join(argv),
            host=host,
            port=port,
            title="workbench",
            public_url=public_url,
            templates_path=templates_path,
        )
        self.argv = tuple(argv)
        self.token = token
        self.max_sessions = max_sessions
        self.sessions: set[AppProcess] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        served = {_host_name(host), _host_name(urlsplit(self.public_url).netloc)}
        self.hosts = frozenset(served | LOOPBACK_HOSTS) - {""}

    # ------------------------------------------------------------------ access

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    @web.middleware
    async def _guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """Host, token and (websocket) Origin checks before any handler but the static files'."""
        if self.token is None and _host_name(request.host) not in self.hosts:
            raise web.HTTPForbidden(text="This server does not answer to that host name.\n")
        if request.path.startswith("/static/"):
            return await handler(request)
        if request.path == "/ws" and not self._same_origin(request):
            raise web.HTTPForbidden(text="Cross-origin sessions are refused.\n")
        if self.token is not None:
            given = request.query.get("token")
            if given is not None and request.path == "/" and self._token_ok(given):
                response = web.HTTPFound("/")
                response.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="Strict", path="/")
                raise response
            if not self._token_ok(request.cookies.get(TOKEN_COOKIE, "")):
                raise web.HTTPForbidden(
                    text="An access token is needed: open the address printed when the "
                    "server started.\n"
                )
        return await handler(request)

    def _token_ok(self, given: str) -> bool:
        assert self.token is not None
        return hmac.compare_digest(given.encode(), self.token.encode())

    def _same_origin(self, request: web.Request) -> bool:
        """The websocket's Origin is the origin the page was served from."""
        origin = request.headers.get("Origin")
        if not origin:
            return False
        allowed = {f"http://{request.host}", f"https://{request.host}"}
        public = urlsplit(self.public_url)
        allowed.add(f"{public.scheme}://{public.netloc}")
        return origin.lower() in {item.lower() for item in allowed}

    # ------------------------------------------------------------------ sessions

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if len(self.sessions) >= self.max_sessions:
            raise web.HTTPServiceUnavailable(
                text=f"The room is full ({self.max_sessions} sessions); try again later.\n"
            )
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        (low_w, high_w), (low_h, high_h) = SIZE_LIMITS
        width = min(max(to_int(request.query.get("width", "80"), 80), low_w), high_w)
        height = min(max(to_int(request.query.get("height", "24"), 24), low_h), high_h)
        service = AppProcess(
            self.argv,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions.add(service)  # counted before any await: a burst cannot pass the limit
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except Exception as error:  # one session's failure never stops the server
            log.warning("session ended: %s", error)
        finally:
            self.sockets.discard(websocket)
            try:
                await asyncio.shield(service.stop())
            finally:
                self.sessions.discard(service)
        return websocket

    async def _process_messages(
        self, websocket: web.WebSocketResponse, app_service: AppService
    ) -> None:
        """Pass the browser's keys, resizes, focus and pings on; ignore anything malformed."""
        (low_w, high_w), (low_h, high_h) = SIZE_LIMITS
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not (isinstance(envelope, list) and envelope and isinstance(envelope[0], str)):
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width, height = data.get("width"), data.get("height")
                if type(width) is int and type(height) is int:
                    await app_service.set_terminal_size(
                        min(max(width, low_w), high_w), min(max(height, low_h), high_h)
                    )
            elif kind == "ping" and isinstance(data, str | int | float):
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    # ------------------------------------------------------------------ start and stop

    async def on_startup(self, app: web.Application) -> None:
        """Print the address once (with the token when there is one)."""
        address = self.public_url + (f"/?token={self.token}" if self.token else "/")
        print(f"workbench serve: open {address}", flush=True)
        print(f"Up to {self.max_sessions} sessions. Press Ctrl+C to stop.", flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every socket and kill every app: handlers then end at once."""
        for service in list(self.sessions):
            if service.pid is not None:
                _kill_group(service.pid, signal.SIGTERM)
        for websocket in list(self.sockets):
            with suppress(Exception):
                await asyncio.wait_for(
                    websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping"), 0.2
                )
        await asyncio.sleep(0.1)
        self.kill_all()

    def kill_all(self) -> None:
        for service in list(self.sessions):
            service.kill()

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM; every app is killed on the way out, whatever happens."""
        self.debug = debug
        logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
        loop = asyncio.new_event_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_exit)
        try:
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=None,
                shutdown_timeout=STOP_SECONDS / 2,
                access_log=None,
            )
        finally:
            self.kill_all()

    def request_exit(self) -> None:
        raise GracefulExit()

"""Shared fixtures and helpers of every kind of test (unit, app, snapshots, clinical): the test
data folders, `TODAY` (the date the tests run at), `make_app` (the app as the Pilot tests start
it), the golden and bundled comparisons several tests render; `serve` starts `workbench serve` on
free loopback ports for one test; `served` is the URL of one such server with the default options.
Every test also gets its own profile cache folder."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from serving import ServeFactory, Server, app_processes

if TYPE_CHECKING:
    from workbench.app.app import WorkbenchApp
    from workbench.engine.result import Result

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
"""Made-up profile folders: `engine/`, `evidence/`, `profiles/valid/` …"""
GOLDEN = TESTS / "golden"
"""The golden fixture (`profiles/`, `case.toml`) and the outputs rendered from it."""
GOLDEN_DATE = dt.date(2026, 1, 2)
TODAY = dt.date(2026, 12, 1)
"""The date every test runs at (review-date warnings, pregnancy and monitoring dates)."""


def make_app(
    profiles: Path | None = None, selected: list[str] | None = None, **options: Any
) -> WorkbenchApp:
    """The app as a Pilot test starts it: no cursor blink (steady screens), dated `TODAY`.
    (Textual is imported here, not when the domain tests are collected.)"""
    from workbench.app.factory import create_app

    return create_app(profiles, cursor_blink=False, selected=selected, today=TODAY, **options)


def golden_result(*, smaa: bool = True) -> Result:
    """The golden fixture profiles evaluated for the golden case, with the golden outputs' SMAA
    (500 iterations, seed 7, around ±2) unless `smaa` is False."""
    from workbench.engine.evaluate import evaluate
    from workbench.engine.smaa_settings import SmaaSettings
    from workbench.profiles.loader import load_library
    from workbench.session import load_case

    library = load_library(GOLDEN / "profiles")
    case = load_case(GOLDEN / "case.toml", [p.id for p in library.profiles]).case
    settings = SmaaSettings(iterations=500, seed=7, weight_mode="around", spread=2.0)
    return evaluate(library, case.drugs, case.importance, case.context, settings if smaa else None)


def bundled_result() -> Result:
    """Five bundled drugs for an anti-JCV-positive patient on natalizumab, with SMAA."""
    from workbench.engine.context import PatientContext
    from workbench.engine.evaluate import evaluate
    from workbench.engine.smaa_settings import SmaaSettings
    from workbench.profiles.loader import load_library
    from workbench.profiles.paths import bundled_profiles_dir

    library = load_library(bundled_profiles_dir())
    context = PatientContext(jcv_status="positive", jcv_index=1.2, current_dmt="natalizumab")
    ids = ["natalizumab", "ocrelizumab", "alemtuzumab", "fingolimod", "cladribine"]
    settings = SmaaSettings(iterations=500, seed=3, weight_mode="around", spread=2.0)
    return evaluate(
        library,
        ids,
        {"pml": 8, "disease_activity": 7, "secondary_autoimmunity": 5},
        context,
        settings,
    )


START_TIMEOUT = 30.0
"""Seconds `workbench serve` may take to listen before the test fails."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[ServeFactory]:
    """Start `workbench serve ARGS` on a free 127.0.0.1 port (this checkout's code, `env` added
    to the environment); every server is stopped afterwards with every app it started (its own
    process group, and the apps' groups)."""
    started: list[Server] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Server:
        port = _free_port()
        log = tmp_path / f"serve-{len(started)}.log"
        paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **(env or {})}
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "workbench.cli.main", "serve", "--port", str(port), *args],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=environment,
                start_new_session=True,
            )
        server = Server(f"http://127.0.0.1:{port}", process, log, None)
        started.append(server)
        deadline = time.monotonic() + START_TIMEOUT
        while not _listening(port) or "open http" not in server.output():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"workbench serve did not start:\n{server.output()}")
            time.sleep(0.1)
        if found := re.search(r"\?token=([A-Za-z0-9_-]+)", server.output()):
            server.token = found.group(1)
        return server

    try:
        yield start
    finally:
        for server in started:
            _stop(server.process)


@pytest.fixture
def served(serve: ServeFactory) -> str:
    """The URL of `workbench serve` on 127.0.0.1 (this checkout's code)."""
    return serve().url


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group; then SIGKILL to whatever is left of it and of its
    apps (a test may have killed the server)."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=5)
    for pid in app_processes(process.pid):
        with suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


@pytest.fixture(autouse=True)
def _own_profile_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own profile cache folder (never ~/.cache, never shared)."""
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path_factory.mktemp("profile-cache")))
    monkeypatch.delenv("WORKBENCH_NO_CACHE", raising=False)

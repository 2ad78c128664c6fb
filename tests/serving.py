"""What the serve tests share: a running server and the app processes it started."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    """A running `workbench serve`: its URL (with the access token when it printed one), process
    and log."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    token: str | None

    def output(self) -> str:
        return self.log.read_text(errors="replace")


ServeFactory = Callable[..., Server]


def app_processes(server_pid: int) -> list[int]:
    """The pids of the app processes `workbench serve` with pid `server_pid` started that are
    still alive (found by the server pid in their environment, also after the server is gone)."""
    marker = f"WORKBENCH_SERVE_PID={server_pid}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found

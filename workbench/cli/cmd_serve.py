"""`workbench serve`: the app in web browsers, one app process per browser session (textual-serve).

Each browser session runs its own `workbench app --served` process: it reaches no file of the host
by a path the user types (case notes and saved cases are downloads; cases open from the read-only
`--cases` folder). The server (`workbench.cli.teaching_server`) binds 127.0.0.1 unless told
otherwise, asks for an access token on any other address, refuses sessions from pages of other
origins, limits the sessions and kills every app when its socket closes or the server stops. The
page is textual-serve's own, with its one outside reference (a web-font stylesheet) replaced by the
font file textual-serve ships, so the browser loads nothing from outside the server.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import sys
import tempfile
from importlib import resources
from pathlib import Path

from workbench.cli.options import bounded_int
from workbench.cli.profiles_option import add_profiles_option, profiles_arg_ok

PAGE = "app_index.html"
"""textual-serve's page template."""
_WEB_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>")
_LOCAL_FONT = (
    "<style>@font-face { font-family: 'Roboto Mono'; "
    "src: url('{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf'); }</style>"
)
_OUTSIDE_REFERENCE = re.compile(
    r"""(?:href|src)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//"""
)
SESSION_MEMORY = 100 * 1024 * 1024
"""Memory one session's app needs, with headroom (measured: 76-89 MB resident, 59-72 MB PSS)."""
MAX_SESSIONS_CAP = 100
"""The default session limit never exceeds this, however large the machine."""


def register(parser: argparse.ArgumentParser) -> None:
    """The arguments of the sub-command (main adds its parser with its one-line help)."""
    parser.description = (
        "Serve the workbench to web browsers: every browser tab gets its own app, which can read "
        "no file of this machine by path (notes and cases are downloads). Nothing is fetched "
        "from outside this server. Stop with Ctrl+C."
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1; any other address requires the access "
        "token printed at start and is warned about)",
    )
    parser.add_argument(
        "--port",
        type=bounded_int(1, 65535),
        default=8000,
        help="port to listen on, 1-65535 (default: 8000)",
    )
    parser.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="the address browsers use to reach this server, when not http://HOST:PORT",
    )
    parser.add_argument(
        "--token",
        action="store_true",
        help="require the access token on 127.0.0.1 too (a machine with other users)",
    )
    parser.add_argument(
        "--max-sessions",
        type=bounded_int(1, 10_000),
        default=None,
        metavar="N",
        help="most browser sessions at once (default: sized to this machine's free memory, "
        f"about {SESSION_MEMORY // 2**20} MB each, at most {MAX_SESSIONS_CAP})",
    )
    parser.add_argument(
        "--cases",
        type=Path,
        default=None,
        metavar="DIR",
        help="a folder of teaching cases the sessions may open (read only)",
    )
    add_profiles_option(parser)


def default_max_sessions() -> int:
    """Half the memory available now, in sessions of `SESSION_MEMORY` (1 to `MAX_SESSIONS_CAP`)."""
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 8
    return max(1, min(MAX_SESSIONS_CAP, available // 2 // SESSION_MEMORY))


def run(args: argparse.Namespace) -> int:
    profiles: Path | None = args.profiles
    if not profiles_arg_ok("serve", profiles):
        return 2
    cases: Path | None = args.cases
    if cases is not None and not cases.is_dir():
        print(f"workbench serve: --cases {_shown(cases)}: not a directory", file=sys.stderr)
        return 2
    try:
        socket.getaddrinfo(args.host, args.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or error
        print(f"workbench serve: --host {_shown(args.host)}: {reason}", file=sys.stderr)
        return 2
    from workbench.cli.teaching_server import TeachingServer, is_loopback

    token = None
    if args.token or not is_loopback(args.host):
        token = secrets.token_urlsafe(24)
    if not is_loopback(args.host):
        print(
            f"workbench serve: WARNING: listening on {_shown(args.host)}, not 127.0.0.1: anyone "
            "who can reach this address and has the access token below can use the app.",
            file=sys.stderr,
        )
    max_sessions = args.max_sessions or default_max_sessions()
    with tempfile.TemporaryDirectory(prefix="workbench-serve-") as templates:
        (Path(templates) / PAGE).write_text(offline_page(), encoding="utf-8")
        server = TeachingServer(
            app_argv(profiles, cases),
            host=args.host,
            port=args.port,
            public_url=args.public_url,
            templates_path=Path(templates),
            token=token,
            max_sessions=max_sessions,
        )
        try:
            server.serve()
        except OSError as error:
            print(
                f"workbench serve: cannot listen on {_shown(args.host)}:{args.port}: "
                f"{error.strerror or error}",
                file=sys.stderr,
            )
            return 1
    return 0


def _shown(value: object) -> str:
    from workbench.text import clean_line

    return clean_line(str(value))


def app_argv(profiles: Path | None, cases: Path | None = None) -> list[str]:
    """The command textual-serve runs per browser session (no shell): this Python's
    `workbench app --served` (`-P`: never a `workbench/` folder of the working directory)."""
    argv = [sys.executable, "-P", "-m", "workbench.cli.main", "app", "--served"]
    if profiles is not None:
        argv += ["--profiles", str(profiles.resolve())]
    if cases is not None:
        argv += ["--cases", str(cases.resolve())]
    return argv


def offline_page() -> str:
    """textual-serve's page template with the web-font stylesheet replaced by its bundled font.

    Raises `RuntimeError` if the page still refers to anything outside the server (a newer
    textual-serve may have added a reference this function does not know).
    """
    template = (resources.files("textual_serve") / "templates" / PAGE).read_text(encoding="utf-8")
    page = _WEB_FONT_LINK.sub(_LOCAL_FONT, template)
    if found := _OUTSIDE_REFERENCE.search(page):
        raise RuntimeError(f"textual-serve's {PAGE} loads {found.group()!r}… from outside")
    return page

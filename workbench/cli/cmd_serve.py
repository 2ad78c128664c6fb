"""`workbench serve`: the app in web browsers, one app process per browser session (textual-serve).

Each browser session runs its own `workbench app` process. The page is textual-serve's own, with its
one outside reference (a web-font stylesheet) replaced by the font file textual-serve ships, so the
browser loads nothing from outside the server.
"""

from __future__ import annotations

import argparse
import re
import shlex
import sys
import tempfile
from importlib import resources
from pathlib import Path

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


def register(parser: argparse.ArgumentParser) -> None:
    """The arguments of the sub-command (main adds its parser with its one-line help)."""
    parser.description = (
        "Serve the workbench to web browsers: every browser tab gets its own app. "
        "Nothing is fetched from outside this server. Stop with Ctrl+C."
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="the address browsers use to reach this server, when not http://HOST:PORT",
    )
    add_profiles_option(parser)


def run(args: argparse.Namespace) -> int:
    profiles: Path | None = args.profiles
    if not profiles_arg_ok("serve", profiles):
        return 2
    from textual_serve.server import Server

    with tempfile.TemporaryDirectory(prefix="workbench-serve-") as templates:
        (Path(templates) / PAGE).write_text(offline_page(), encoding="utf-8")
        server = Server(
            app_command(profiles),
            host=args.host,
            port=args.port,
            title="workbench",
            public_url=args.public_url,
            templates_path=templates,
        )
        server.serve()
    return 0


def app_command(profiles: Path | None) -> str:
    """The shell command textual-serve runs per browser session: this Python's `workbench app`,
    the app factory of the terminal (`-P`: never a `workbench/` folder of the working directory)."""
    argv = [sys.executable, "-P", "-m", "workbench.cli.main", "app"]
    if profiles is not None:
        argv += ["--profiles", str(profiles.resolve())]
    return shlex.join(argv)


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

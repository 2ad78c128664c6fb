"""A real browser (Debian's chromium driven by playwright) opens `workbench serve` and shows the
drugs on screen, loading nothing from outside the server.

xterm.js draws the terminal on a canvas, so the test reads what it shows from xterm's own screen
buffer: the served `textual.js` is handed to the page with one addition that exposes its terminal
object as `window.workbenchTerminal`. What the browser showed is written to `browser-screen.txt`
(and a picture to `browser.png`) in the test's temporary folder and printed (`pytest -s`).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import TODAY, bundled_result
from serving import ServeFactory, app_processes

if TYPE_CHECKING:
    from playwright.sync_api import Route

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip(
        "no chromium on PATH (Debian: apt-get install chromium; .ci/run installs it)",
        allow_module_level=True,
    )

pytestmark = pytest.mark.slow
OPEN_TERMINAL = "this.terminal.open(e),"
"""Where textual.js attaches xterm to the page; the test exposes the terminal right after it."""
SCREEN = """() => {
    const terminal = window.workbenchTerminal;
    if (!terminal) return "";
    const buffer = terminal.buffer.active;
    const rows = [];
    for (let y = 0; y < terminal.rows; y++) {
        rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? "");
    }
    return rows.join("\\n");
}"""
"""JavaScript: the rows xterm shows, as text."""
DRUGS = ("Natalizumab", "Ocrelizumab", "Alemtuzumab", "Glatiramer acetate")
TIMEOUT_MS = 60_000


def test_browser_shows_the_drug_names(served: str, tmp_path: Path) -> None:
    outside: list[str] = []

    def route(route: Route) -> None:
        url = route.request.url
        if not url.startswith(served + "/"):
            outside.append(url)
            route.abort()
        elif url.endswith("/static/js/textual.js"):
            response = route.fetch()
            script = response.text()
            assert script.count(OPEN_TERMINAL) == 1, "textual.js changed: update OPEN_TERMINAL"
            exposed = OPEN_TERMINAL + "window.workbenchTerminal=this.terminal,"
            route.fulfill(response=response, body=script.replace(OPEN_TERMINAL, exposed))
        else:
            route.continue_()

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.route("**/*", route)
            page.goto(served + "/")
            page.wait_for_function(f"() => ({SCREEN})().includes({DRUGS[0]!r})", timeout=TIMEOUT_MS)
            page.wait_for_function(
                f"() => ({SCREEN})().includes({DRUGS[-1]!r})", timeout=TIMEOUT_MS
            )
            screen: str = page.evaluate(SCREEN)
            page.screenshot(path=tmp_path / "browser.png")
            # the pictures in the browser too: the forest view (F), back, the bars (B)
            page.focus(".xterm-helper-textarea")
            page.keyboard.press("Shift+F")
            page.wait_for_function(
                f"() => ({SCREEN})().includes('Forest plots')", timeout=TIMEOUT_MS
            )
            forest: str = page.evaluate(SCREEN)
            page.keyboard.press("Escape")
            # back on the table before the next key: an escape followed at once by a key
            # reads as alt+key in a terminal
            page.wait_for_function(
                f"() => !({SCREEN})().includes('Forest plots')", timeout=TIMEOUT_MS
            )
            page.keyboard.press("Shift+B")
            page.wait_for_function(
                f"() => ({SCREEN})().includes('Contributions to the total')", timeout=TIMEOUT_MS
            )
            bars: str = page.evaluate(SCREEN)
            page.screenshot(path=tmp_path / "browser-pictures.png")
        finally:
            browser.close()
    (tmp_path / "browser-screen.txt").write_text(screen, encoding="utf-8")
    print(f"browser screen ({tmp_path / 'browser-screen.txt'}):\n{screen}")
    for drug in DRUGS:
        assert drug in screen
    assert "20/20 drugs" in screen
    assert "Forest plots" in forest
    assert "●" in forest
    assert "R Relapse reduction" in bars
    assert outside == []


A4_WIDTH_PX = 794
"""210 mm at 96 px per inch: the page to share must fit it without a horizontal scrollbar."""


def test_page_to_share_fits_a4_and_loads_nothing(tmp_path: Path) -> None:

    from workbench.report.html_page import render_page

    page_file = tmp_path / "page.html"
    page_file.write_text(render_page(bundled_result(), today=TODAY), "utf-8")
    requested: list[str] = []

    def route(route: Route) -> None:
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": A4_WIDTH_PX, "height": 1123})
            page.route("**/*", route)
            page.goto(page_file.as_uri())
            overflow = page.evaluate("document.documentElement.scrollWidth")
            pictures = page.evaluate("document.querySelectorAll('svg').length")
            page.screenshot(path=tmp_path / "page-a4.png", full_page=True)
            page.pdf(path=tmp_path / "page.pdf", format="A4")
        finally:
            browser.close()
    print(f"page at A4 width: {tmp_path / 'page-a4.png'}")
    assert requested == [page_file.as_uri()]
    assert overflow <= A4_WIDTH_PX
    assert pictures > 5
    assert (tmp_path / "page.pdf").stat().st_size > 10_000


ATTACK = """<!doctype html><script>
window.outcome = new Promise((resolve) => {
    const socket = new WebSocket(%r + "/ws?width=80&height=24");
    socket.onopen = () => resolve("opened");
    socket.onmessage = () => resolve("opened");
    socket.onerror = () => resolve("refused");
    socket.onclose = () => resolve("refused");
});
</script>"""
"""A page of another origin that tries to open a session on the workbench server."""


def test_a_page_from_another_origin_cannot_open_a_session(serve: ServeFactory) -> None:
    server = serve()
    websocket_base = server.url.replace("http://", "ws://")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page()
            page.route(
                "http://evil.test/**",
                lambda route: route.fulfill(
                    status=200, content_type="text/html", body=ATTACK % websocket_base
                ),
            )
            page.goto("http://evil.test/")
            outcome = page.evaluate("() => window.outcome")
        finally:
            browser.close()
    assert outcome == "refused"
    assert app_processes(server.process.pid) == []
    assert server.process.poll() is None

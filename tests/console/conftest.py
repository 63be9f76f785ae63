"""The console tests' set-up: a real server (`mandates serve`, uvicorn) on a free port of 127.0.0.1,
with its own SQLite file holding the demo data, today frozen at 2024-05-10; and Debian's Chromium
driven by Playwright, headless. No browser is ever downloaded: tests/setup_browser.sh installs
Debian's `chromium` package when it is missing (`make test` runs it).

Screenshots of every screen go to tests/console/screenshots/ (not committed). `Console.check` holds a
screen to what issue 13 asks of every screen: no code or rule ID in its text, and no serious or critical
violation found by axe-core (npm, pinned in tests/console/axe/package-lock.json, installed by `make install`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from config.settings import ROOT
from tests.serving import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
TODAY = "2024-05-10"
AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RAW = re.compile(r"\bR-[A-Z]+-\d+\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")  # a rule ID (R-XXX-n) or a code (UPPER_SNAKE)
# axe-core's run on the whole page: its serious and critical violations, each with the elements at fault.
AXE_RUN = """async () => {
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}"""


def raw_codes(text: str) -> list[str]:
    """The rule IDs and enum codes in a text a person reads (there should be none)."""
    return RAW.findall(text)


def _environment(tmp: Path) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MANDATES_DATABASE_URL", "MANDATES_PRODUCTION")
    }
    env.update(
        MANDATES_DATABASE_URL=f"sqlite://{tmp / 'console.sqlite3'}",
        MANDATES_CLOCK=TODAY,
        MANDATES_DATA_DIR=str(tmp / "data"),
    )
    return env


@pytest.fixture(scope="module")
def server_env(tmp_path_factory) -> dict:
    """The environment of the module's server: a test runs `mandates` commands on the same database with it
    (e.g. `mandates deliver` to a local e-Box sink)."""
    return _environment(tmp_path_factory.mktemp("console"))


@pytest.fixture(scope="module")
def server(server_env, request):
    """The base URL of a server with the demo data (`mandates demo`), for one test module; a module's
    SEED names a module run after the demo with the same environment, to add data of its own."""
    env = server_env
    tmp = Path(env["MANDATES_DATA_DIR"]).parent
    subprocess.run(
        [sys.executable, "-m", "config.cli", "demo"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120
    )
    seed = getattr(request.module, "SEED", None)
    if seed:
        subprocess.run([sys.executable, "-m", seed], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    log = (tmp / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "config.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the server did not start: {(tmp / 'server.log').read_text()}")
        time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is missing: run tests/setup_browser.sh (make test does)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


class Console:
    """One browser tab on the console, with the steps the tests share."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        page.set_default_timeout(15000)

    def open(self, route: str = "/") -> None:
        self.page.goto(f"{self.base}/console/#{route}")
        self.ready(route.split("?")[0])

    def ready(self, path: str) -> None:
        """Waits until the screen of `path` has rendered."""
        self.page.wait_for_function("path => document.body.dataset.ready === path", arg=path)

    def go(self, route: str) -> None:
        """Opens a screen by its address (again, when it is the current one)."""
        self.page.evaluate(
            """route => {
                document.body.dataset.ready = '';
                if (location.hash === '#' + route) window.dispatchEvent(new HashChangeEvent('hashchange'));
                else location.hash = route;
            }""",
            route,
        )
        self.ready(route.split("?")[0])

    def follow(self, target, path: str, *, prefix: bool = False) -> None:
        """Clicks `target` (a selector or a locator), which leads to another screen, and waits for the
        screen of `path` (`prefix`: of any path starting with it, e.g. "/mandate/")."""
        self.page.evaluate("() => { document.body.dataset.ready = 'leaving'; }")
        if isinstance(target, str):
            self.page.click(target)
        else:
            target.click()
        if prefix:
            self.page.wait_for_function("path => document.body.dataset.ready.startsWith(path)", arg=path)
        else:
            self.ready(path)

    def sign_in(self, persona: str) -> None:
        """Signs out whoever was signed in, then in as a demo persona (the development sign-in)."""
        self.page.goto(f"{self.base}/console/#/signin")
        self.page.evaluate("() => sessionStorage.clear()")
        self.page.reload()
        self.ready("/signin")
        self.page.click(f"button[data-persona='{persona}']")
        self.ready("/")

    def check(self, name: str) -> None:
        """The screen on display as a person meets it: no rule ID or code in its text, no serious or critical
        axe-core violation; then its screenshot."""
        text = self.page.locator("body").inner_text()
        assert not raw_codes(text), (name, raw_codes(text))
        if not AXE.is_file():
            pytest.fail("axe-core is missing: run `make install` (npm ci in tests/console/axe)")
        if self.page.evaluate("() => typeof window.axe") == "undefined":
            # Through the DevTools protocol, not a script tag: the page's Content-Security-Policy stays on.
            self.page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = self.page.evaluate(AXE_RUN)
        assert violations == [], (name, violations)
        self.shot(name)

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def block(self, status: str) -> dict:
        """A dashboard block: its colour and count."""
        element = self.page.locator(f".block[data-status='{status}']")
        return {
            "colour": element.get_attribute("data-colour"),
            "count": int(element.get_attribute("data-count")),
            "text": element.inner_text(),
        }


@pytest.fixture
def console(server, browser):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="en-GB")
    yield Console(context.new_page(), server)
    context.close()


@pytest.fixture
def phone(server, browser):
    context = browser.new_context(
        viewport=PHONE, accept_downloads=True, locale="en-GB", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield Console(context.new_page(), server)
    context.close()

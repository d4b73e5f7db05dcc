"""Headless chromium for tests: the system browser driven by Playwright, and local servers.

Playwright's own browser download is not used; the Debian ``chromium`` package is
(``apt-get install -y chromium``). Tests that need it skip with ``requires_chromium`` when it is
missing. ``serve`` starts a server in its own process group and always stops it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.conftest import HANG

CHROMIUM = Path(os.environ.get("COMMSIM_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run")
requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: install it with 'apt-get install -y chromium' (CI does)")


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = HANG, proc: subprocess.Popen | None = None) -> None:
    """Poll ``url`` until it answers with HTTP 200.

    Raises:
        RuntimeError: the server process ended, or ``timeout`` seconds passed.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def serve(cmd: Sequence[str], url: str, env: dict[str, str] | None = None,
          log: Path | None = None, timeout: float = HANG) -> Iterator[subprocess.Popen]:
    """Start ``cmd`` in a new process group, wait until ``url`` answers, and kill the group at
    the end whatever happens."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(list(cmd), env={**os.environ, **(env or {})}, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(url, timeout, proc)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        if log:
            out.close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless system chromium driven by Playwright (one per test module is plenty)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, width: int = 1400, height: int = 1000) -> tuple[object, list[str]]:
    """A page of ``browser`` and the list its console errors and uncaught exceptions go to."""
    errors: list[str] = []
    page = browser.new_page(viewport={"width": width, "height": height})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


@contextlib.contextmanager
def chromium_page(width: int = 1400, height: int = 1000) -> Iterator[tuple[object, list[str]]]:
    """A page in its own headless chromium, and the list its console errors go to."""
    with chromium() as browser:
        yield new_page(browser, width, height)


def screenshot_file(html: Path, png: Path, width: int = 1200, height: int = 1100,
                    wait_for: str | None = None) -> list[str]:
    """Open a local HTML file in chromium, save a screenshot, return the console errors."""
    png.parent.mkdir(parents=True, exist_ok=True)
    with chromium_page(width, height) as (page, errors):
        page.goto(html.resolve().as_uri())
        if wait_for:
            page.wait_for_selector(wait_for, timeout=HANG * 1000)
        page.screenshot(path=str(png), full_page=True)
    return errors


def screenshot_dir() -> Path:
    """Where browser tests save screenshots: docs/img when COMMSIM_UPDATE_SCREENSHOTS=1 (to
    refresh the pictures in the docs), else a temporary folder, so a test run changes no tracked
    file."""
    if os.environ.get("COMMSIM_UPDATE_SCREENSHOTS") == "1":
        folder = Path(__file__).resolve().parents[1] / "docs" / "img"
    else:
        folder = Path(tempfile.gettempdir()) / "commsim-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

"""The browser app: its levers and presets, its model and network view, the ``viz`` command, and
the app itself served by Solara and driven in headless chromium (screenshots in docs/img)."""

from __future__ import annotations

import re
import sys
import time

import click
import numpy as np
import pytest
from click.testing import CliRunner

from sim.errors import UserError
from sim.lessons.commands import viz_command, viz_invocation
from sim.params import info
from sim.viz import APP_PATH
from sim.viz.controls import (
    CONTROLS,
    LESSON_ENV,
    VizModel,
    initial_values,
    model_params,
    preset_from_env,
)
from sim.viz.network import draw_group, group_snapshot
from tests.browser import (
    chromium,
    free_port,
    new_page,
    requires_chromium,
    screenshot_dir,
    serve,
)
from tests.conftest import HANG

IMG = screenshot_dir()


def test_controls_start_at_the_baseline_defaults():
    """Without a preset every slider and switch starts at the parameter's default."""
    params = model_params({})
    for c in CONTROLS:
        assert params[c.key]["value"] == info(c.key)["default"], c.key
    assert params["seed"]["type"] == "SliderInt"


def test_lesson_preset_opens_on_the_treatment_arm():
    """A lesson named in the environment presets its intervention; keys without a slider are
    passed as fixed values."""
    name, preset = preset_from_env({LESSON_ENV: "campaign"})
    params = model_params(preset)
    assert name == "campaign"
    assert params["shills"]["value"] == 2 and params["checkin"]["value"] is True
    assert params["n_groups"] == 10  # fixed: no slider for it
    assert preset_from_env({}) == (None, {})


def test_unknown_lesson_in_the_environment_is_a_user_error():
    """A misspelt lesson name fails with the closest name suggested."""
    with pytest.raises(UserError, match="did you mean 'shills'"):
        preset_from_env({LESSON_ENV: "shils"})


def test_viz_model_takes_slider_values_of_either_number_type():
    """Sliders may give 100.0 for an int or 0 for a float; the model converts and runs."""
    model = VizModel(seed=3, group_size=100.0, entry_fee=0, shills=1.0, checkin=1)
    for _ in range(3):
        model.step()
    p = model.resolved_params()
    assert (p["group_size"], p["entry_fee"], p["shills"], p["checkin"]) == (100, 0.0, 1, True)
    assert model.day == 3 and model.run_seed == 3


def test_network_layout_keeps_each_member_in_place():
    """A member drawn on day 5 is in the same place on day 20; the view counts members and ties
    as the model does."""
    model = VizModel(**initial_values(model_params({})))
    for _ in range(5):
        model.step()
    draw_group(model, 0)
    before = dict(model.positions)
    for _ in range(15):
        model.step()
    snap = group_snapshot(model, 0)
    assert all(model.positions[uid] == xy for uid, xy in before.items())
    assert len(snap["xy"]) == len(model.members_in(0))
    assert len(snap["ties"]) == len(model.ties_in(0))
    assert np.all(np.abs(snap["xy"]) <= 2.0)
    assert draw_group(model, 0).axes


def test_viz_invocation_serves_the_app_with_solara():
    """`viz` runs `python -m solara run sim/viz/app.py` on the host and port asked, offline."""
    cmd, env = viz_invocation("shills", "127.0.0.1", 9999, open_browser=False)
    assert cmd[:4] == [sys.executable, "-m", "solara", "run"] and cmd[4] == str(APP_PATH)
    assert cmd[cmd.index("--port") + 1] == "9999" and "--no-open" in cmd
    assert "--no-check-version" in cmd
    assert env[LESSON_ENV] == "shills"
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"


def test_viz_command_refuses_an_unknown_lesson():
    """`viz --lesson` with an unknown name raises UserError before starting a server."""
    group = click.Group(commands={"viz": viz_command})
    result = CliRunner().invoke(group, ["viz", "--lesson", "shils", "--no-browser"])
    assert isinstance(result.exception, UserError)
    assert "did you mean 'shills'" in str(result.exception)


# -- the app in a real browser --------------------------------------------------------------------

def _server_cmd(port: int) -> list[str]:
    cmd, _ = viz_invocation(None, "127.0.0.1", port, open_browser=False)
    return cmd


@pytest.fixture(scope="module")
def browser():
    """One headless chromium for the module's browser tests."""
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def app(browser, tmp_path_factory):
    """The app served on a free port, open in headless chromium (server killed at the end)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path_factory.mktemp("viz") / "server.log"
    env = {LESSON_ENV: "", "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    with serve(_server_cmd(port), url, env=env, log=log):
        page, errors = new_page(browser)
        page.goto(url)
        page.get_by_role("button", name="Step").wait_for(timeout=HANG * 1000)
        page.locator("#commsim-about").wait_for(timeout=HANG * 1000)
        yield page, errors
        page.close()


def _chart_sources(page) -> list[str]:
    # Solara sends each matplotlib PNG as a new blob: URL, so a redrawn chart has a new src
    page.wait_for_function("document.querySelectorAll('img[src^=\"blob:\"]').length >= 3",
                           timeout=HANG * 1000)
    return page.eval_on_selector_all("img[src^='blob:']", "els => els.map(e => e.src)")


def _wait_for_step(page, n: int) -> None:
    page.get_by_text(f"Day: {n}", exact=True).wait_for(timeout=HANG * 1000)


@requires_chromium
def test_app_loads_on_the_baseline_without_console_errors(app):
    """The page shows the controls, the charts, the network and the baseline parameters, and the
    browser logs no errors."""
    page, errors = app
    about = page.locator("#commsim-about").inner_text()
    assert "baseline" in about and "shills=0" in about
    assert len(_chart_sources(page)) >= 3
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / "viz_baseline.png"), full_page=True)
    assert errors == []


@requires_chromium
def test_app_step_changes_the_charts(app):
    """Pressing Step advances the day and redraws the charts and the network."""
    page, errors = app
    before = _chart_sources(page)
    for n in range(1, 13):
        page.get_by_role("button", name="Step").click()
        _wait_for_step(page, n)
    page.wait_for_function("document.querySelector('#commsim-about').innerText"
                           ".includes('Day 12')", timeout=HANG * 1000)
    time.sleep(0.5)  # the last images arrive just after the step counter
    after = _chart_sources(page)
    assert len(after) == len(before)
    assert all(a != b for a, b in zip(after, before))
    page.screenshot(path=str(IMG / "viz_day12.png"), full_page=True)
    assert errors == []


@requires_chromium
def test_app_slider_changes_a_parameter(app):
    """Moving the shills slider and pressing Reset rebuilds the run with the new value."""
    page, errors = app
    shills = page.get_by_role("slider", name=re.compile(r"^shills"))
    shills.focus()
    shills.press("ArrowRight")
    shills.press("ArrowRight")
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("document.querySelector('#commsim-params').innerText"
                           ".includes('shills=2')", timeout=HANG * 1000)
    assert "Day 0" in page.locator("#commsim-about").inner_text()
    assert errors == []


@requires_chromium
def test_app_opens_on_a_lesson_preset(browser, tmp_path):
    """`viz --lesson shills` opens on the lesson's intervention arm and names the lesson."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {LESSON_ENV: "shills", "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    with serve(_server_cmd(port), url, env=env, log=tmp_path / "server.log"):
        page, errors = new_page(browser)
        page.goto(url)
        page.locator("#commsim-about").wait_for(timeout=HANG * 1000)
        about = page.locator("#commsim-about").inner_text()
        assert "lesson shills" in about and "shills=2" in about
        for n in range(1, 8):
            page.get_by_role("button", name="Step").click()
            _wait_for_step(page, n)
        time.sleep(0.5)
        page.screenshot(path=str(IMG / "viz_lesson_shills.png"), full_page=True)
        page.close()
        assert errors == []


@requires_chromium
def test_app_speaks_in_days_and_plain_words(app):
    """Days, not steps; no 'Page 0' tab; every slider shows its value."""
    page, errors = app
    text = page.locator("body").inner_text()
    assert re.search(r"\bDay: \d+", text) and not re.search(r"\bStep: \d+", text)
    assert not page.get_by_text("Page 0", exact=False).is_visible()
    sliders = page.get_by_role("slider").count()
    shown = page.locator(".v-slider__thumb-label").evaluate_all(
        "els => els.filter(e => getComputedStyle(e.parentElement).display !== 'none')"
        ".map(e => e.innerText.trim())")
    assert sliders >= 10 and len(shown) == sliders and all(shown), shown
    assert errors == []

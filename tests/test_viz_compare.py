"""The two-arm classroom app (``commsim viz --compare A B``): its arms, the common random numbers
of the two runs, the bands of many seeds, the command, and the page in headless chromium
(screenshots in docs/img with COMMSIM_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import json
import re

import click
import numpy as np
import pytest
from click.testing import CliRunner

from sim.errors import UserError
from sim.lessons.commands import viz_command, viz_invocation
from sim.params import info
from sim.scenarios import load_scenario
from sim.viz import COMPARE_APP_PATH
from sim.viz.compare import (
    COMPARE_ENV,
    DEFAULT_DAYS,
    QUANTILES,
    arms_from_env,
    crn_sentence,
    days_of,
    first_difference,
    lesson_arms,
    lever_start,
    parse_arm,
    run_bands,
    run_pair,
    run_single,
    shown_outcomes,
    what_differs,
)
from sim.viz.controls import LESSON_ENV
from tests.browser import chromium, free_port, new_page, requires_chromium, screenshot_dir, serve
from tests.conftest import HANG

IMG = screenshot_dir()
LATE_SHILLS = "shills=2,shills_start=30"


def test_arms_come_from_scenarios_or_assignments():
    """A scenario name gives its overrides and days; key=value pairs (commas or spaces) give
    theirs, and the run lasts the longer scenario's days, else the default."""
    assert parse_arm("shills").overrides["shills"] == 2
    assert parse_arm("baseline").overrides == {}
    arm = parse_arm("shills=2, shills_start=30")
    assert arm.overrides == {"shills": 2, "shills_start": 30}
    assert days_of(arm, arm) == DEFAULT_DAYS
    assert days_of(arm, parse_arm("baseline")) == load_scenario("baseline").days


@pytest.mark.parametrize("text, words", [
    ("shils", "shils"), ("shillz=2", "unknown parameter 'shillz'"),
    ("shills=many", "shills"), ("", "expected a scenario name"),
])
def test_a_bad_arm_is_a_user_error(text, words):
    """A misspelt scenario, an unknown parameter or a bad value fails with words naming it."""
    with pytest.raises(UserError, match=re.escape(words)):
        parse_arm(text)


def test_the_two_runs_share_their_random_numbers_until_the_lever_starts():
    """Common random numbers: shills that start on day 30 leave days 0-29 identical to the run
    without them on the same seed, and change the run after that."""
    a, b = parse_arm("baseline"), parse_arm(LATE_SHILLS)
    assert lever_start(a, b) == 30
    single = run_single(a, b, seed=4, days=45)
    parted = first_difference(single["A"], single["B"])
    assert parted is not None and 30 <= parted < 45
    cols = ["messages", "members", "mean_trust"]
    early = single["A"].day < 30
    assert np.array_equal(single["A"].loc[early, cols], single["B"].loc[early, cols])


def test_paired_differences_are_zero_on_every_seed_until_the_lever_starts():
    """Over many seeds, B minus A on the same seed is exactly 0 on every day before shills that
    start on day 30 (the whole band, not just its median), and not after."""
    bands = run_bands(parse_arm("baseline"), parse_arm(LATE_SHILLS), days=45, replicates=8)
    diff = bands["B-A"]["messages"]
    assert (diff.loc[:29] == 0).all().all()
    assert (diff.loc[30:, 0.9] > 0).any()


def test_identical_arms_never_part():
    """The same arm twice (the default group size set explicitly) gives the same run: no day
    differs, and the screen says so."""
    default = info("group_size")["default"]
    pair = run_pair(parse_arm("baseline"), parse_arm(f"group_size={default}"), seed=2, days=10,
                    replicates=2)
    assert pair.parted is None
    assert "identical on all 10 days" in crn_sentence(pair)
    assert what_differs(pair.a, pair.b).startswith("nothing")


def test_lever_start_follows_the_arm_where_the_lever_is_on():
    """Shills withdrawn on day 30 part from shills for ever on day 30; a difference outside any
    lever (the group size) acts from the launch and has no start."""
    assert lever_start(parse_arm("shills"), parse_arm("shills_first_month")) == 30
    assert lever_start(parse_arm("baseline"), parse_arm("group_size=60")) is None
    assert lever_start(*lesson_arms("red_packets")[:2]) == 0
    a, b, _ = lesson_arms("red_packets", "offline events", "3 leaders")
    assert (a.name, b.name) == ("offline events", "3 leaders")
    assert lesson_arms("red_packets", "no such arm")[0].name == "nothing"


def test_title_says_what_differs_in_words_and_units():
    """The title names each differing parameter in words with both values and their unit."""
    a, b, days = lesson_arms("commercial_cadence")
    title = what_differs(a, b)
    assert "days between commercial posts" in title
    assert "7 days in A" in title and "1 day in B" in title
    assert days == 180
    late = what_differs(parse_arm("baseline"), parse_arm(LATE_SHILLS))
    assert "day 0 in A" in late and "day 30 in B" in late


def test_bands_are_ordered_quantiles_of_the_seeds():
    """Per day and outcome, the 10% line is at most the median, which is at most the 90% line,
    and the band is not a single line (the seeds differ)."""
    bands = run_bands(parse_arm("baseline"), parse_arm("shills"), days=20, replicates=6)
    for arm in ("A", "B"):
        msgs = bands[arm]["messages"]
        assert list(msgs.columns) == list(QUANTILES) and len(msgs) == 20
        assert (msgs[0.1] <= msgs[0.5]).all() and (msgs[0.5] <= msgs[0.9]).all()
        assert (msgs[0.9] > msgs[0.1]).any()


def test_money_is_drawn_only_when_an_arm_earns_or_spends():
    """Revenue and cost charts appear for the profit lesson's arms, not for shills alone."""
    a, b, _ = lesson_arms("profit")
    assert {"revenue", "cost"} <= set(shown_outcomes(run_pair(a, b, 0, 30, 3)))
    quiet = run_pair(parse_arm("baseline"), parse_arm("shills"), 0, 30, 3)
    assert "revenue" not in shown_outcomes(quiet) and "messages" in shown_outcomes(quiet)


def test_compare_invocation_serves_the_two_arm_app():
    """`viz --compare A B` serves compare_app.py with the arms in the environment; the app reads
    them back."""
    cmd, env = viz_invocation(None, "127.0.0.1", 9999, False, ("baseline", LATE_SHILLS))
    assert cmd[4] == str(COMPARE_APP_PATH)
    a, b = arms_from_env({COMPARE_ENV: env[COMPARE_ENV]})
    assert (a.name, b.overrides) == ("baseline", {"shills": 2, "shills_start": 30})
    assert arms_from_env({}) is None
    _, plain = viz_invocation(None, "127.0.0.1", 9999, False)
    assert plain[COMPARE_ENV] == ""


def test_compare_command_refuses_bad_arms_before_serving():
    """An unknown scenario, or --compare with --lesson, fails before a server starts."""
    group = click.Group(commands={"viz": viz_command})
    bad = CliRunner().invoke(group, ["viz", "--compare", "baseline", "shils", "--no-browser"])
    assert isinstance(bad.exception, UserError) and "shils" in str(bad.exception)
    both = CliRunner().invoke(group, ["viz", "--lesson", "shills", "--compare", "baseline",
                                      "shills", "--no-browser"])
    assert isinstance(both.exception, UserError) and "choose one" in str(both.exception)


# -- the app in a real browser --------------------------------------------------------------------

@pytest.fixture(scope="module")
def compare_page(tmp_path_factory):
    """The two-arm app on baseline vs shills from day 30, open in headless chromium."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    cmd, _ = viz_invocation(None, "127.0.0.1", port, False, ("baseline", LATE_SHILLS))
    env = {COMPARE_ENV: json.dumps(["baseline", LATE_SHILLS]), LESSON_ENV: "",
           "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    log = tmp_path_factory.mktemp("compare") / "server.log"
    with chromium() as browser, serve(cmd, url, env=env, log=log):
        page, errors = new_page(browser, 1300, 2500)
        page.goto(url)
        page.locator("#commsim-crn").wait_for(timeout=HANG * 1000)
        yield page, errors
        page.close()


def _images(page, n: int) -> list[str]:
    page.wait_for_function(f"document.querySelectorAll('img[src^=\"blob:\"]').length >= {n}",
                           timeout=HANG * 1000)
    return page.eval_on_selector_all("img[src^='blob:']", "els => els.map(e => e.src)")


@requires_chromium
def test_compare_page_shows_both_arms_and_where_they_part(compare_page):
    """The title says what differs, the page says the runs are identical until the lever
    starts, draws a chart per outcome, and logs no errors."""
    page, errors = compare_page
    title = page.locator("#commsim-title").inner_text()
    assert "shill accounts per group" in title and "none in A, 2 accounts/group in B" in title
    crn = page.locator("#commsim-crn").inner_text()
    parted = int(re.search(r"first differ on day (\d+)", crn).group(1))
    assert parted >= 30 and "acts from day 30" in crn
    assert len(_images(page, 6)) >= 6  # a chart per outcome, and B minus A
    assert "B minus A on the same seed" in page.locator("#commsim-difference").inner_text()
    page.wait_for_timeout(500)  # a settle for the picture only: nothing below depends on it
    page.screenshot(path=str(IMG / "viz_compare.png"), full_page=True)
    assert errors == []


@requires_chromium
def test_compare_page_speaks_in_days_and_shows_slider_values(compare_page):
    """Days, not steps; every slider shows its value; the day table has a unit on each row."""
    page, errors = compare_page
    text = page.locator("body").inner_text()
    assert not re.search(r"\bstep", text, re.IGNORECASE)
    sliders = page.get_by_role("slider").count()
    shown = page.locator(".v-slider__thumb-label").evaluate_all("els => els.map(e => "
                                                                 "e.innerText.trim())")
    assert sliders == 2 and len(shown) == 2 and all(shown), shown
    rows = page.locator("#commsim-day-table tr").all_inner_texts()[1:]
    assert rows and all(re.search(r"\(.+\)", r) for r in rows), rows
    assert errors == []


@requires_chromium
def test_seed_slider_reruns_both_arms_on_the_new_seed(compare_page):
    """Moving the seed slider runs both arms again on the new seed, still paired."""
    page, errors = compare_page
    seed = page.get_by_role("slider", name=re.compile("seed"))
    seed.focus()
    seed.press("ArrowRight")
    page.wait_for_function("document.querySelector('#commsim-crn').innerText"
                           ".includes('seed 1 ')", timeout=HANG * 1000)
    crn = page.locator("#commsim-crn").inner_text()
    assert int(re.search(r"first differ on day (\d+)", crn).group(1)) >= 30
    assert errors == []


@requires_chromium
def test_lesson_picker_loads_the_lessons_two_arms(compare_page):
    """Choosing a lesson loads its reference and intervention arms and names the lesson."""
    page, errors = compare_page
    before = _images(page, 4)
    page.locator(".v-select").first.click()
    page.get_by_role("option", name="red_packets", exact=True).click()
    page.wait_for_function("document.querySelector('#commsim-title').innerText"
                           ".includes('red packets')", timeout=HANG * 1000)
    title = page.locator("#commsim-title").inner_text()
    assert "none in A, 7 days in B" in title
    # the page redraws in parts: the lesson's card arrives after the title
    page.get_by_text("Lesson red_packets").wait_for(timeout=HANG * 1000)
    page.locator('#commsim-day-table[data-arms="nothing | weekly red packets"]').wait_for(
        timeout=HANG * 1000)
    page.wait_for_function("old => { const now = [...document.querySelectorAll("
                           "'img[src^=\"blob:\"]')].map(e => e.src); return now.length >= 4 "
                           "&& now.every(s => !old.includes(s)); }", arg=before,
                           timeout=HANG * 1000)
    page.wait_for_timeout(500)  # a settle for the picture only
    page.screenshot(path=str(IMG / "viz_compare_lesson.png"), full_page=True)
    assert errors == []


@requires_chromium
def test_a_lesson_with_more_arms_lets_the_learner_pick_two(compare_page):
    """In a lesson of three arms, arm A can be set to any of them; the title follows."""
    page, errors = compare_page
    page.locator(".v-select").first.click()
    page.get_by_role("option", name="commercial_cadence", exact=True).click()
    page.wait_for_function("document.querySelector('#commsim-title').innerText"
                           ".includes('7 days in A, 1 day in B')", timeout=HANG * 1000)
    page.locator(".v-select").nth(1).click()
    page.get_by_role("option", name="no selling", exact=True).click()
    page.wait_for_function("document.querySelector('#commsim-title').innerText"
                           ".includes('none in A, 1 day in B')", timeout=HANG * 1000)
    assert errors == []


def test_the_docs_compare_and_lesson_commands_name_real_arms_and_parameters():
    """Every `commsim viz --compare A B` in the README and the teaching page names arms that
    load, and every `commsim lesson NAME --set k=v` there names a lesson and valid values, so a
    renamed scenario, lesson or parameter fails here before a class meets it."""
    from pathlib import Path

    from sim.lessons.overrides import parse_assignments
    from sim.lessons.runner import get_lesson

    root = Path(__file__).resolve().parents[1]
    text = "\n".join((root / f).read_text(encoding="utf-8")
                     for f in ("README.md", "docs/teaching.md"))
    compares = [(a, b) for a, b in re.findall(r"commsim viz --compare (\S+) ([^\s`]+)", text)
                if (a, b) != ("A", "B")]  # "A B" is the placeholder of the prose
    assert len(compares) >= 3
    for a, b in compares:
        parse_arm(a), parse_arm(b)
    lessons = re.findall(r"commsim lesson (\w+)((?: --set [^\s`]+)*)", text)
    assert any(sets for _, sets in lessons)
    for name, sets in lessons:
        get_lesson(name)
        parse_assignments(re.findall(r"--set ([^\s`]+)", sets), source=f"lesson {name}")

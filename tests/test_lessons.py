"""The lessons: each runs with its default replicates on three disjoint seed blocks, and its
verdict and the direction of its main effect are asserted on every block, so a model change that
breaks a lesson fails here, and so does a verdict that only one block of seeds gives
(benchmarks/seed_blocks.py prints the whole lesson x block table). Also the bootstrap
helper, the verdict rule, ``--set`` handling, the text and HTML output and the click commands."""

from __future__ import annotations

import re

import click
import numpy as np
import pytest
from click.testing import CliRunner

from sim.errors import UserError
from sim.lessons import (
    LESSONS,
    get_lesson,
    real_rooms,
    render_text,
    run_lesson,
    to_html,
    write_html,
)
from sim.lessons.commands import lesson_command, lessons_command
from sim.lessons.core import NOT_SUPPORTED, PARTLY, SUPPORTED, Check, Estimate, interval, verdict
from sim.lessons.overrides import parse_assignments
from sim.lessons.runner import simulate
from sim.params import resolve
from tests.browser import chromium, new_page, requires_chromium
from tests.conftest import HANG

# lesson -> (verdict printed with the default replicates on every block, sign of the main effect);
# a set of verdicts where the verdict depends on the block of seeds since issue 12's defaults (a
# finding, in the lesson's note: sim/lessons/real_rooms.py); a sign of 0 where there is no
# effect to find (the interval holds zero on every block)
EXPECTED = {
    "silence_law": (SUPPORTED, +1),
    "shills": (SUPPORTED, +1),
    "owner": ({PARTLY, SUPPORTED}, +1),
    "survey_split": (SUPPORTED, +1),
    "content": (SUPPORTED, +1),
    "thresholds": ({SUPPORTED, NOT_SUPPORTED}, -1),
    "moderation": ({SUPPORTED, PARTLY}, +1),
    "group_size": ({PARTLY, NOT_SUPPORTED}, -1),
    "know_trust_interact": (SUPPORTED, +1),
    "similarity": (PARTLY, +1),
    "commercial_cadence": ({PARTLY, NOT_SUPPORTED}, -1),
    "rituals": (SUPPORTED, +1),
    "red_packets": (SUPPORTED, -1),
    "referral": (SUPPORTED, +1),
    "campaign": (NOT_SUPPORTED, +1),
    "profit": (SUPPORTED, +1),
    "playbook_limits": (NOT_SUPPORTED, +1),
    "poaching": (SUPPORTED, +1),
    "group_mute": ({SUPPORTED, PARTLY}, -1),
    "checkin_removal": (NOT_SUPPORTED, -1),
    "channel": (NOT_SUPPORTED, -1),
    "endorsement": (PARTLY, +1),
    "private_domain": (PARTLY, +1),
    "know_members": (NOT_SUPPORTED, 0),
    "rivals": (SUPPORTED, -1),
    "own_groups": (SUPPORTED, -1),
    "repeat_purchase": ({PARTLY, NOT_SUPPORTED}, +1),
    "selling_tolerance": (NOT_SUPPORTED, -1),
    "serve_first": ({NOT_SUPPORTED, SUPPORTED}, -1),
    "budget": (SUPPORTED, -1),
}
# Disjoint blocks (no lesson runs 1000 replicates): block 0 is what `commsim lesson` prints.
BLOCKS = (0, 1000, 2000)


@pytest.fixture(scope="module")
def results():
    """Every lesson run once with its default replicates (the numbers `commsim lesson` prints)."""
    return {name: run_lesson(name) for name in LESSONS}


@pytest.fixture(scope="module")
def blocks(results):
    """Every lesson run on every block with its default replicates (block 0 is ``results``)."""
    return {(name, b): results[name] if b == 0 else run_lesson(name, first_seed=b)
            for name in LESSONS for b in BLOCKS}


def test_registry_holds_the_expected_lessons_in_principle_order():
    """Each lesson has an expected verdict here; names are the registry keys."""
    assert list(LESSONS) == list(EXPECTED)
    assert all(lesson.name == name for name, lesson in LESSONS.items())


def test_lessons_cover_the_required_principles():
    """P1, P2, P4, P5, P7, P8, P9 and P12 to P20 each have a lesson."""
    covered = set()
    for lesson in LESSONS.values():
        for lo, hi in re.findall(r"P(\d+)(?:-P(\d+))?", lesson.principle):
            covered |= set(range(int(lo), int(hi or lo) + 1))
    assert {1, 2, 4, 5, 7, 8, 9, *range(12, 21)} <= covered


@pytest.mark.parametrize("block", BLOCKS)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_lesson_verdict_and_direction_of_effect(blocks, report, name, block):
    """On each seed block the lesson gives its expected verdict and its main effect has the
    expected sign, with the 95% interval on that side of zero; where the verdict depends on the
    block (a set of verdicts), one of them, with the mean of the expected sign and the
    lesson's note saying so; where there is no effect (sign 0), an interval holding zero."""
    result = blocks[name, block]
    expected, sign = EXPECTED[name]
    effect = result.effect
    report(f"{name}, seeds from {block}: {result.verdict}; {result.analysis.effect_label} "
           f"{effect.text('+.4g')}")
    if isinstance(expected, set):
        assert result.verdict in expected, "\n".join(result.reasons)
        assert real_rooms.note(name) in result.analysis.notes  # the lesson says so
        assert effect.mean * sign > 0
    else:
        assert result.verdict == expected, "\n".join(result.reasons)
        if sign == 0:
            assert not effect.above() and not effect.below()
        else:
            assert effect.above() if sign > 0 else effect.below()


@pytest.mark.parametrize("name", list(EXPECTED))
def test_lesson_draws_a_figure(results, name):
    """The lesson's figure holds data and its main effect is a number (its speed is measured in
    benchmarks/seed_blocks.py, not asserted: the suite runs on busy machines)."""
    result = results[name]
    assert result.figure.data and all(len(t.y) > 0 for t in result.figure.data)
    assert np.isfinite(result.effect.mean)


def test_arms_run_the_same_seeds_as_the_reference():
    """Every arm runs seeds first..first+n-1 in order, so differences are paired by seed."""
    lesson = get_lesson("shills")
    runs = simulate(lesson, lesson.design(), 3, first_seed=1000)
    for arm in lesson.arms:
        assert runs.runs.loc[runs.runs.arm == arm, "seed"].tolist() == [1000, 1001, 1002]
    same = runs.values("no shills", "joined") - runs.values("2 shills", "joined")
    assert np.all(same == 0)  # shills do not change who joins: common random numbers


def test_interval_is_a_reproducible_bootstrap_of_the_mean():
    """The interval holds the mean, is the same every call, narrows with more seeds and ignores
    NaN; no finite value gives NaN."""
    rng = np.random.default_rng(1)
    small, big = rng.normal(1, 1, 10), rng.normal(1, 1, 1000)
    m, lo, hi = interval(small)
    assert lo < m < hi and interval(small) == (m, lo, hi)
    assert interval(big)[2] - interval(big)[1] < hi - lo
    assert interval([1.0, np.nan, 3.0])[0] == 2.0
    assert all(np.isnan(interval([np.nan])))
    assert Estimate.of([1.0, 2.0, 3.0]).above(0.5) and not Estimate.of([1.0, 2.0]).below(0)


def test_verdict_follows_the_stated_rule():
    """All checks pass: supported; an essential one fails or none pass: not supported; else
    partly supported."""
    ok, bad = Check("a", True, ""), Check("b", False, "")
    assert verdict([ok, ok]) == SUPPORTED
    assert verdict([ok, bad]) == PARTLY
    assert verdict([bad, bad]) == NOT_SUPPORTED
    assert verdict([ok, Check("e", False, "", essential=True)]) == NOT_SUPPORTED


def test_set_on_a_lever_changes_only_the_intervention_arm():
    """A key an arm sets changes the treatment arm; any other key changes every arm."""
    lesson = get_lesson("shills")
    design = lesson.design({"shills": 3, "group_size": 100})
    assert design["2 shills"]["shills"] == 3 and design["4 shills"]["shills"] == 4
    assert design["8 shills"]["shills"] == 8
    assert all(arm["group_size"] == 100 for arm in design.values())


def test_set_values_are_converted_to_the_parameters_types():
    """`--set` strings become ints, floats, booleans and choices; mistakes are UserErrors."""
    got = parse_assignments(["shills=2", "entry_fee=99", "checkin=yes",
                             "troublemaker_policy=private"])
    assert got == {"shills": 2, "entry_fee": 99.0, "checkin": True,
                   "troublemaker_policy": "private"}
    assert isinstance(got["entry_fee"], float)
    for bad, message in [("shills", "key=value"), ("shils=2", "did you mean 'shills'"),
                         ("shills=1.5", "whole number"), ("checkin=maybe", "true or false"),
                         ("troublemaker_policy=loud", "one of")]:
        with pytest.raises(UserError, match=message):
            parse_assignments([bad])


def test_run_lesson_refuses_unknown_names_bad_values_and_too_few_replicates():
    """User mistakes raise UserError naming what was wrong."""
    with pytest.raises(UserError, match="did you mean 'shills'"):
        run_lesson("shils")
    with pytest.raises(UserError, match="from 0 to 50"):
        run_lesson("shills", {"shills": 100}, replicates=2)
    with pytest.raises(UserError, match="at least 2"):
        run_lesson("shills", replicates=1)


def test_every_try_next_is_a_valid_set_for_its_lesson():
    """Each 'what to try next' line is a key=value that parses and builds valid arms."""
    for lesson in LESSONS.values():
        overrides = parse_assignments([lesson.try_next[0]])
        for name, arm in lesson.design(overrides).items():
            resolve(arm, source=f"{lesson.name}/{name}")


def test_text_names_claim_finding_intervals_verdict_and_next_step(results):
    """The terminal text holds the claim, 95% intervals, the verdict with its checks and the
    command to try next."""
    text = render_text(results["shills"])
    assert "Claim:" in text and "马甲" in text
    assert "95% CI" in text and "Verdict: SUPPORTED" in text
    assert "pass (essential):" in text
    assert "commsim lesson shills --set shill_exposure=0.02" in text


def test_html_page_is_self_contained(results, tmp_path):
    """The HTML page embeds plotly.js and loads nothing from the network."""
    path = write_html(results["content"], tmp_path / "sub" / "content.html")
    page = path.read_text(encoding="utf-8")
    assert "Plotly.newPlot" in page and "Verdict: supported" in page
    assert not re.search(r"<script[^>]+src=", page)


def test_lesson_set_marks_the_changed_arm():
    """A --set on the intervention names the arm by its new value, not by its old name."""
    text = render_text(run_lesson("red_packets", {"red_packet_every": "30"}, replicates=3))
    assert "red_packet_every=30 (your --set, in place of weekly red packets)" in text


def test_a_changed_fee_is_not_labelled_99_yuan():
    """`lesson thresholds --set entry_fee=49`: every arm label that was "99 yuan" says 49."""
    result = run_lesson("thresholds", {"entry_fee": "49"}, replicates=2)
    text = render_text(result)
    assert "entry_fee=49 (your --set, in place of 99 yuan)" in text
    finding = " ".join(result.analysis.finding)
    assert "entry_fee=49" in finding and "join (99 yuan)" not in finding


def _cli():
    return click.Group(commands={"lessons": lessons_command, "lesson": lesson_command})


def test_lessons_command_lists_every_lesson():
    """`commsim lessons` prints each name with its principle."""
    out = CliRunner().invoke(_cli(), ["lessons"]).output
    for name, lesson in LESSONS.items():
        assert re.search(rf"^{name}\s+{re.escape(lesson.principle)}\s", out, re.M)


def test_lesson_command_prints_the_lesson_and_writes_html(tmp_path):
    """`commsim lesson NAME --set --replicates --html` prints the lesson and writes the page."""
    page = tmp_path / "shills.html"
    result = CliRunner().invoke(_cli(), ["lesson", "shills", "--set", "shill_exposure=0.02",
                                         "--replicates", "4", "--html", str(page)])
    assert result.exit_code == 0, result.output
    assert "4 seeds" in result.output and "Verdict:" in result.output
    assert page.exists() and "Plotly.newPlot" in page.read_text(encoding="utf-8")


def test_lesson_command_errors_are_user_errors():
    """An unknown lesson or a bad --set raises UserError (the CLI turns it into exit code 2)."""
    for args, message in [(["lesson", "silence"], "did you mean 'silence_law'"),
                          (["lesson", "shills", "--set", "shills"], "key=value")]:
        result = CliRunner().invoke(_cli(), args)
        assert isinstance(result.exception, UserError) and message in str(result.exception)


DOC_LESSONS = ("silence_law", "shills", "group_size", "commercial_cadence", "campaign", "profit")


@requires_chromium
def test_lesson_pages_render_in_chromium(results, tmp_path):
    """The lesson pages used in docs/teaching.md draw their plot offline without console errors;
    their screenshots are saved (to docs/img with COMMSIM_UPDATE_SCREENSHOTS=1)."""
    from tests.test_viz import IMG

    IMG.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        for name in DOC_LESSONS:
            html = tmp_path / f"{name}.html"
            html.write_text(to_html(results[name]), encoding="utf-8")
            page, errors = new_page(browser, 1200, 900)
            page.goto(html.as_uri())
            page.wait_for_selector(".main-svg", timeout=HANG * 1000)
            page.locator("#plot").screenshot(path=str(IMG / f"lesson_{name}.png"))
            assert errors == [], name
            page.close()

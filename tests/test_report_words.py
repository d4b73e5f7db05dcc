"""The report in a browser speaks plain words: every axis and subplot title says what it shows
without bare code names, and no legend sits under the plotly toolbar. Saves a screenshot."""

from __future__ import annotations

import re

import pytest

from sim.experiments import load_experiment
from sim.report.html import write_report
from sim.report.results import open_results
from sim.sweep import run_experiment
from tests.browser import chromium, new_page, requires_chromium, screenshot_dir

SWEEP = """
name = "words"
description = "Free or 99 yuan, with and without a daily digest."
scenarios = ["baseline", "daily_digest"]
replicates = 4
days = 40
seed = 2
[vary]
entry_fee = [0.0, 99.0]
"""
# per figure: its legend's box, its toolbar's box, and every title drawn in it
FIGURES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(el => {
  const box = s => { const e = el.querySelector(s); if (!e) return null;
                     const r = e.getBoundingClientRect();
                     return [r.left, r.top, r.right, r.bottom]; };
  return {id: el.id, legend: box('.legend'), toolbar: box('.modebar'),
          titles: Array.from(el.querySelectorAll('.g-xtitle, .g-ytitle, .annotation-text'))
                       .map(t => t.textContent)};
})"""
CODE_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # members_final, ever_spoken_share_d14


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("words")
    (folder / "words.toml").write_text(SWEEP, encoding="utf-8")
    results = run_experiment(load_experiment(folder / "words.toml"), folder / "res", ["test"],
                             progress=False).path
    html = folder / "report.html"
    write_report(open_results(results), html)
    return html


@requires_chromium
def test_report_titles_are_words_and_legends_are_clear_of_the_toolbar(report_page):
    with chromium() as browser:
        page, errors = new_page(browser, 1300, 1000)
        page.goto(report_page.as_uri())
        page.wait_for_selector(".js-plotly-plot .modebar", state="attached", timeout=30_000)
        figures = page.evaluate(FIGURES_JS)
        assert len(figures) >= 6
        for fig in figures:
            if fig["legend"] and fig["toolbar"]:
                assert not overlap(fig["legend"], fig["toolbar"]), fig["id"]
            for title in fig["titles"]:
                for name in CODE_NAME.findall(title):
                    # a code name is allowed only where the user types it: a parameter axis
                    # with its unit, e.g. "entry_fee (yuan)"
                    assert re.search(rf"{name} \(\S", title), (fig["id"], title)
        page.screenshot(path=str(screenshot_dir() / "report.png"), full_page=False)
        assert errors == []

"""The HTML report: built from real sweeps, opened in headless chromium where every figure must
draw its data with no console error and no network request; PNG export; unfinished folders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import main
from sim.executors import make_chunks, run_chunk
from sim.experiments import load_experiment
from sim.report.html import build, write_report
from sim.report.results import open_results
from sim.store import ResultStore, labels_table
from sim.sweep import run_experiment
from tests.browser import CHROMIUM, chromium, new_page, requires_chromium
from tests.conftest import HANG

FACTORIAL = """
name = "tiny_report"
description = "Two scenarios at two fees."
scenarios = ["baseline", "daily_digest"]
replicates = 4
days = 30
seed = 5
[vary]
entry_fee = [0.0, 9.0]
"""
MORRIS = """
name = "tiny_morris_report"
scenarios = ["baseline"]
method = "morris"
samples = 3
replicates = 2
days = 30
seed = 6
[vary.shills]
low = 0
high = 4
[vary.owner_answer_share]
low = 0.0
high = 1.0
"""
# per figure: points per trace as plotly computed them, and the marks it drew in the SVG
FIGURES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(el => ({
  id: el.id,
  traces: el.data.length,
  points: el.calcdata.map(cd => cd.length),
  drawn: el.querySelectorAll('g.trace, .heatmaplayer image').length
}))"""


def sweep(tmp_path_factory, name: str, text: str) -> Path:
    folder = tmp_path_factory.mktemp(name)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return run_experiment(load_experiment(path), folder / "res", ["commsim", "sweep", name],
                          progress=False).path


@pytest.fixture(scope="module")
def factorial(tmp_path_factory) -> Path:
    """2 scenarios x 2 fees x 4 replicates of 30 days."""
    return sweep(tmp_path_factory, "factorial", FACTORIAL)


@pytest.fixture(scope="module")
def morris(tmp_path_factory) -> Path:
    """A Morris design over shills and the owner's answer share, 3 trajectories."""
    return sweep(tmp_path_factory, "morris", MORRIS)


def test_report_command_writes_a_self_contained_html_file(factorial):
    """`commsim report` writes report.html with plotly.js inline and no external resource."""
    done = subprocess.run([sys.executable, "-m", "sim", "report", str(factorial)],
                          capture_output=True, text=True, timeout=HANG)
    assert done.returncode == 0, done.stderr
    assert "7 figures" in done.stdout and "Written:" in done.stdout
    text = (factorial / "report.html").read_text(encoding="utf-8")
    assert len(text) > 3_000_000  # plotly.js itself is inside
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?https?:", text)
    for words in ("Activity over time", "Effects against the baseline", "What the effects cost",
                  "Response curves", "How these results were made", "commsim sweep factorial",
                  "numpy", "Resolved parameters of <b>daily_digest</b>"):
        assert words in text


def test_report_of_a_sensitivity_sweep_shows_indices_response_and_heatmap(morris):
    """A Morris sweep: sensitivity bars, response curves and a two-way heatmap; no forest."""
    report = build(open_results(morris))
    keys = [p.key for p in report.panels]
    assert {"sensitivity", "response", "heatmap", "participation"} <= set(keys)
    assert "forest" not in keys and any("No effects against a baseline" in n
                                        for n in report.notes)
    for panel in report.panels:
        assert panel.caption and panel.title and panel.figure.data


@requires_chromium
def test_every_figure_of_the_report_renders_with_data_in_chromium(factorial, morris, tmp_path):
    """Both reports open offline in chromium: each figure drawn, with points; no console error."""
    pages = []
    for folder in (factorial, morris):
        report, _ = write_report(open_results(folder), tmp_path / f"{folder.parent.name}.html")
        pages.append((tmp_path / f"{folder.parent.name}.html", len(report.panels)))
    with chromium() as browser:
        for html, expected in pages:
            page, errors = new_page(browser)
            requests: list[str] = []
            page.on("request", lambda r, seen=requests: seen.append(r.url))
            page.goto(html.as_uri())
            page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length == "
                                   f"{expected}", timeout=HANG * 1000)
            figures = page.evaluate(FIGURES_JS)
            assert len(figures) == expected >= 6
            for figure in figures:
                assert figure["traces"] > 0 and figure["drawn"] > 0, figure
                assert min(figure["points"]) > 0, figure
            assert errors == []
            assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
            page.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (kaleido draws with it)")
def test_png_option_writes_one_image_per_figure(factorial, tmp_path):
    """--png: one PNG per figure, drawn by kaleido with the system chromium."""
    pytest.importorskip("kaleido", reason="kaleido is not installed: pip install 'kaleido>=1'")
    report, pngs = write_report(open_results(factorial), tmp_path / "r.html", tmp_path / "png")
    assert [p.name for p in pngs] == [f"{p.key}.png" for p in report.panels]
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_report_of_an_interrupted_sweep_needs_partial_and_then_says_so(tmp_path, capsys):
    """Without --partial: exit 2 naming what is missing; with it: a report marked unfinished."""
    path = tmp_path / "tiny_report.toml"
    path.write_text(FACTORIAL, encoding="utf-8")
    e = load_experiment(path)
    store = ResultStore.create(tmp_path / "cut", e, ["test"])
    specs = e.run_specs()
    chunks = make_chunks([s.run_id for s in specs], [s.params for s in specs],
                         [s.seed for s in specs], e.days, e.replicates)
    for cid in (0, 2):  # baseline and daily_digest, both free; the 9-yuan runs never finished
        store.save_chunk(run_chunk(chunks[cid]), labels_table(specs, list(e.vary)), None)
    store.mark("interrupted")
    assert main(["report", str(store.path)]) == 2
    err = capsys.readouterr().err
    assert "unfinished sweep (interrupted): 8 of 16 runs" in err and "--resume" in err
    assert "missing: baseline, entry_fee=9 (4 of 4 replicates)" in err
    report = build(open_results(store.path, partial=True))
    assert report.notes[0].startswith("Unfinished sweep") and report.effects is not None
    assert set(report.effects["setting"]) == {"daily_digest, entry_fee=0"}


def test_report_rejects_a_missing_folder(tmp_path, capsys):
    """No such folder: exit 2 with a one-line message."""
    assert main(["report", str(tmp_path / "nowhere"), "-o", str(tmp_path / "r.html")]) == 2
    assert "no such results folder" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()

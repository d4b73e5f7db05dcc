"""The report: every figure of a results folder in one HTML file that needs no network, and the
same figures as PNG files (kaleido, with the system's Chromium)."""

from __future__ import annotations

import contextlib
import html
import json
import os
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from sim.errors import UserError
from sim.report.compare import compare
from sim.report.figures import (
    Panel,
    cost_effect,
    forest,
    lifetimes,
    participation,
    run_groups,
    time_course,
)
from sim.report.results import Results, fmt_value
from sim.report.sensitivity import METHODS, analyse
from sim.report.sweeps import heatmaps, response_curves, sensitivity_figure

SENSITIVITY_CSV = "sensitivity.csv"
PNG_WIDTH = 1100
CHROMIUM = Path("/usr/bin/chromium")
CSS = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 1180px; margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
p.caption { color: #444; max-width: 60em; } .note { background: #fff6e0; padding: 0.6em 1em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
td, th { border: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } code { font-size: 0.95em; }
"""


@dataclass
class Report:
    """What a report holds: its figures, the comparison and the notes on what was left out."""

    results: Results
    panels: list[Panel]
    effects: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)


def _sensitivity(results: Results, notes: list[str]) -> pd.DataFrame | None:
    saved = results.path / SENSITIVITY_CSV
    if saved.is_file():
        return pd.read_csv(saved)
    e = results.experiment
    if e.get("method") not in METHODS or e.get("sampler"):
        return None
    try:
        table, left_out = analyse(results)
    except UserError as err:
        notes.append(f"Sensitivity indices: not computed ({err}).")
        return None
    notes.extend(f"Sensitivity indices: {n}." for n in left_out)
    return table


def build(results: Results, progress: bool | None = None) -> Report:
    """Compute the comparison, the indices (when the design allows) and every figure.

    Args:
        results: the results folder.
        progress: show the steps on stderr (default: when stderr is a terminal).
    """
    from tqdm import tqdm

    notes = [f"Unfinished sweep: this report shows only the runs that are there. {results.missing}."
             ] if results.missing else []
    effects = None
    order = [name for name, _ in run_groups(results)[0]]
    made: list[Panel | None] = []

    def effects_step() -> None:
        nonlocal effects
        try:
            effects = compare(results)
        except UserError as err:
            notes.append(f"No effects against a baseline: {err}.")

    steps = [
        ("effects against the baseline", effects_step),
        ("activity over time", lambda: made.append(time_course(
            results, "messages", "Activity over time", "messages per day",
            "Messages members post each day (shills' posts and spam excluded)."))),
        ("members who have spoken", lambda: made.append(time_course(
            results, "ever_spoken_share", "Members who have spoken so far",
            "% of present members",
            "Share of the members present that day who have posted at least once: "
            "how far participation spreads beyond the few who start talking."))),
        ("how long groups stay active", lambda: made.append(lifetimes(results))),
        ("participation", lambda: made.append(participation(results))),
        ("forest plot", lambda: made.append(forest(effects, order)
                                            if effects is not None else None)),
        ("cost against effect", lambda: made.append(cost_effect(effects, order)
                                                    if effects is not None else None)),
        ("response curves", lambda: made.append(response_curves(results))),
        ("heatmaps", lambda: made.append(heatmaps(results))),
        ("sensitivity", lambda: made.append(sensitivity_figure(_sensitivity(results, notes)))),
    ]
    with tqdm(steps, desc="report", unit="step", leave=False,
              disable=None if progress is None else not progress) as bar:
        for what, step in bar:
            bar.set_postfix_str(what)
            step()
    effects_forest = made[4]
    if effects is not None and effects_forest is None:
        notes.append(f"Forest plot left out: {effects['setting'].nunique()} settings are too many "
                     "to read one by one; see the response curves and compare.csv.")
    return Report(results, [p for p in made if p is not None], effects, notes)


def _table(rows: list[tuple[str, str]]) -> str:
    return "<table>" + "".join(f"<tr><th>{html.escape(k)}</th><td>{v}</td></tr>"
                               for k, v in rows) + "</table>"


def _code(value: object) -> str:
    return f"<code>{html.escape(json.dumps(value) if not isinstance(value, str) else value)}</code>"


def manifest_html(results: Results) -> str:
    """The manifest as tables: command, experiment, versions and each scenario's parameters."""
    m, e = results.manifest, results.experiment
    command = " ".join(m.get("command") or [])
    rows = [("command", _code(command)), ("status", html.escape(str(m.get("status")))),
            ("started / finished", html.escape(f"{m.get('started')} / {m.get('finished')}")),
            ("runs", f"{len(results.runs)} of {m.get('n_runs')}"),
            ("git commit", html.escape(str(m.get("git_commit"))))]
    for key in ("name", "path", "scenarios", "baseline", "vary", "sampler", "samples", "method",
                "replicates", "days", "seed", "outcomes"):
        rows.append((f"experiment.{key}", _code(e.get(key))))
    rows.append(("design points", f"{len(results.points)} (full list in manifest.json)"))
    versions = ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items())
    rows.append(("versions", html.escape(versions)))
    parts = [_table(rows)]
    for name, scenario in (m.get("scenarios") or {}).items():
        overrides = scenario.get("overrides") or {}
        params = scenario.get("params") or {}
        cells = "".join(
            f"<tr><td>{'<b>' if k in overrides else ''}{html.escape(k)}"
            f"{'</b> *' if k in overrides else ''}</td><td class=num>"
            f"{html.escape(fmt_value(v))}</td></tr>" for k, v in params.items())
        parts.append(f"<details><summary>Resolved parameters of <b>{html.escape(name)}</b> "
                     f"({len(overrides)} overrides marked *; varied parameters take the design's "
                     f"values)</summary><table>{cells}</table></details>")
    return "\n".join(parts)


def effects_html(effects: pd.DataFrame) -> str:
    """The comparison table, folded."""
    shown = effects[["setting", "reference", "label", "baseline_mean", "scenario_mean",
                     "difference", "ci_low", "ci_high", "pairs", "crosses_zero"]]
    body = shown.to_html(index=False, float_format=lambda v: f"{v:.4g}", na_rep="-",
                         border=0, classes="effects")
    return f"<details><summary>The comparison as a table (as in compare.csv)</summary>{body}" \
           "</details>"


def render(report: Report) -> str:
    """The whole page, plotly.js included once, no external resources."""
    r = report.results
    e = r.experiment
    title = f"commsim report: {e.get('name') or r.path.name}"
    toc = "".join(f"<li><a href='#{p.key}'>{html.escape(p.title)}</a></li>" for p in report.panels)
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p>{html.escape(' '.join((e.get('description') or '').split()))}</p>",
            f"<p>{len(r.runs)} runs: {len(r.scenarios)} scenario(s) x {len(r.points)} design "
            f"point(s) x {e.get('replicates')} replicates of {r.days} days; master seed "
            f"{e.get('seed')}; baseline <b>{html.escape(r.baseline)}</b>.</p>",
            *(f"<p class=note>{html.escape(n)}</p>" for n in report.notes),
            f"<ul>{toc}<li><a href='#manifest'>How these results were made</a></li></ul>"]
    for panel in report.panels:
        div = pio.to_html(panel.figure, full_html=False, include_plotlyjs=False,
                          config={"displaylogo": False, "responsive": True},
                          div_id=f"fig-{panel.key}")
        body += [f"<h2 id='{panel.key}'>{html.escape(panel.title)}</h2>",
                 f"<p class=caption>{html.escape(panel.caption)}</p>", div]
        if panel.key == "forest" and report.effects is not None:
            body.append(effects_html(report.effects))
    from sim.facts.render import report_section  # only folders run with --record have it

    body += report_section(r.path, r.scenarios)
    body += ["<h2 id='manifest'>How these results were made</h2>", manifest_html(r)]
    # what include_plotlyjs=True embeds, once for all figures: the page works offline
    plotly_js = ("<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
                 f"<script charset=utf-8>{get_plotlyjs()}</script>")
    return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>"
            f"{html.escape(title)}</title><style>{CSS}</style>{plotly_js}</head><body>"
            + "\n".join(body) + "</body></html>\n")


@contextlib.contextmanager
def _browser_for_kaleido() -> Iterator[None]:
    """Point kaleido at the system Chromium unless BROWSER_PATH already says where one is."""
    found = os.environ.get("COMMSIM_CHROMIUM") or (str(CHROMIUM) if CHROMIUM.exists() else None)
    if "BROWSER_PATH" in os.environ or not found:
        yield
        return
    os.environ["BROWSER_PATH"] = found
    try:
        yield
    finally:
        os.environ.pop("BROWSER_PATH", None)


def titled(panel: Panel, width: int = PNG_WIDTH) -> go.Figure:
    """The panel's figure with its title and caption drawn above it: a PNG travels alone, so it
    must say what it shows (the HTML page prints them as text instead)."""
    lines = textwrap.wrap(panel.caption, width // 7)
    caption = "<br>".join(html.escape(line) for line in lines)
    fig = go.Figure(panel.figure)
    top = 36 + 17 * len(lines)
    margin = fig.layout.margin
    fig.update_layout(
        title=dict(text=f"<b>{html.escape(panel.title)}</b><br><span style='font-size:12px;"
                        f"color:#444'>{caption}</span>", x=0.01, xanchor="left", y=1.0,
                   yref="container", yanchor="top", pad=dict(t=14), font=dict(size=17)),
        margin=dict(t=(margin.t or 60) + top), height=(fig.layout.height or 450) + top)
    return fig


def write_pngs(panels: list[Panel], folder: Path) -> list[Path]:
    """Each figure as ``folder/<key>.png`` (kaleido, one browser for all of them).

    Raises:
        UserError: kaleido is missing, or it found no Chrome or Chromium to draw with.
    """
    try:
        import kaleido  # noqa: F401 - plotly imports it by name when writing images
    except ImportError:
        raise UserError("--png needs the kaleido package: pip install 'kaleido>=1' (it draws "
                        "with Chrome or Chromium, e.g. apt-get install chromium)") from None
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{p.key}.png" for p in panels]
    figures = [titled(p) for p in panels]
    with _browser_for_kaleido():
        try:
            pio.write_images(figures, paths, width=PNG_WIDTH,
                             height=[f.layout.height for f in figures])
        except (RuntimeError, ValueError, OSError) as err:
            raise UserError(f"--png: kaleido could not draw the figures ({err}); set "
                            "BROWSER_PATH to a Chrome or Chromium executable") from None
    return paths


def write_report(results: Results, out: Path, png: Path | None = None, force: bool = True
                 ) -> tuple[Report, list[Path]]:
    """Build the report of ``results``, write it to ``out`` and, with ``png``, the PNG files.

    Without ``force`` no PNG file that exists is replaced (checked before anything is written).
    """
    from sim.files import atomic_write, refuse_existing

    report = build(results)
    if png is not None and not force:
        for panel in report.panels:
            refuse_existing(png / f"{panel.key}.png", "--png")
    atomic_write(out, render(report), "-o")
    return report, write_pngs(report.panels, png) if png else []

"""The answer of ``commsim ask`` as one self-contained HTML page (plotly.js inside, no network):
the verdict, the share of groups still active day by day (Kaplan-Meier) under each option, the
chance still active on the horizon day with its interval, the tables and the assumptions."""

from __future__ import annotations

import html
from pathlib import Path

from sim.ask.core import Answer
from sim.ask.text import assumptions, difference_rows, group_line, option_rows, verdict

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def survival_figure(answer: Answer):
    """Share of groups still active on each day, per option, with 95% bands."""
    import plotly.graph_objects as go

    from sim.report.figures import add_survival_curve, rgba

    fig = go.Figure()
    for i, arm in enumerate(answer.arms):
        c = COLORS[i % len(COLORS)]
        add_survival_curve(fig, arm.curve, arm.option.label, c, rgba(c, 0.15))
    h = answer.question.horizon
    fig.add_vline(x=h, line={"dash": "dot", "color": "#555"},
                  annotation_text=f"day {h}", annotation_position="top left")
    fig.update_layout(xaxis_title="day", yaxis_title="share of groups still active",
                      yaxis={"range": [0, 1.02], "tickformat": ".0%"}, height=430,
                      margin={"l": 70, "r": 20, "t": 60, "b": 60}, template="plotly_white",
                      legend={"orientation": "h", "y": 1.12, "x": 0})
    return fig


def active_figure(answer: Answer):
    """The chance still active on the horizon day, per option, with 95% intervals."""
    import plotly.graph_objects as go

    arms = answer.arms
    fig = go.Figure(go.Bar(
        x=[a.option.label for a in arms], y=[a.active.share for a in arms],
        marker_color=[COLORS[i % len(COLORS)] for i in range(len(arms))],
        error_y={"type": "data", "symmetric": False,
                 "array": [a.active.high - a.active.share for a in arms],
                 "arrayminus": [a.active.share - a.active.low for a in arms]},
        text=[f"{a.active.share:.0%}" for a in arms], textposition="inside",
        insidetextanchor="middle", textfont={"size": 16},
        hovertemplate="%{x}: %{y:.0%}"))
    fig.update_layout(yaxis={"range": [0, 1.05], "tickformat": ".0%",
                             "title": f"chance still active on day {answer.question.horizon}"},
                      height=360, margin={"l": 70, "r": 20, "t": 30, "b": 60},
                      template="plotly_white")
    return fig


def _table(head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(
        f"<td{' class=num' if j else ''}>{html.escape(c)}</td>" for j, c in enumerate(r))
        + "</tr>" for r in rows)
    return f"<table><tr>{cells}</tr>{body}</table>"


def render(answer: Answer) -> str:
    """The page as HTML text."""
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    from sim.report.html import CSS

    q = answer.question
    title = f"Which option keeps the group active past day {q.horizon}?"
    options = "".join(f"<li><b>{html.escape(o.label)}</b>: {html.escape(o.describe())}</li>"
                      for o in q.options)
    body = [f"<h1>{html.escape(title)}</h1>",
            f"<p>Your group: {html.escape(group_line(answer))}; runs of {q.days} days, master "
            f"seed {q.seed}.</p><ul>{options}</ul>",
            "<h2>Answer</h2>", *(f"<p>{html.escape(v)}</p>" for v in verdict(answer)),
            "<h2>Share of groups still active, day by day</h2>",
            "<p class=caption>Kaplan-Meier curve of group lifetime (days until the group falls "
            "silent) under each option, with its 95% band; the dotted line is the day you asked "
            "about. Groups still active when the runs end are censored there.</p>",
            pio.to_html(survival_figure(answer), full_html=False, include_plotlyjs=False,
                        div_id="fig-survival", config={"displaylogo": False}),
            f"<h2>Chance still active on day {q.horizon}</h2>",
            pio.to_html(active_figure(answer), full_html=False, include_plotlyjs=False,
                        div_id="fig-active", config={"displaylogo": False}),
            "<h2>Per option (95% intervals)</h2>",
            _table(["", *(a.option.label for a in answer.arms)],
                   [[label, *cells] for label, cells in option_rows(answer)])]
    for d in answer.differences:
        body += [f"<h2>Head to head: {html.escape(d.label)} minus {html.escape(d.reference)}</h2>",
                 f"<p class=caption>Paired by seed over {answer.replicates} pairs; '~' marks an "
                 "interval that includes zero.</p>",
                 _table(["", "difference (95% interval)", ""],
                        [[label, text, "~" if zero else ""]
                         for label, text, zero in difference_rows(d, q.horizon)])]
    body += ["<h2>What the model assumes</h2>",
             *(f"<p class=note>{html.escape(v)}</p>" for v in assumptions(answer))]
    plotly_js = ("<script>window.PlotlyConfig = {MathJaxConfig: 'local'};</script>"
                 f"<script charset=utf-8>{get_plotlyjs()}</script>")
    return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>"
            f"{html.escape(title)}</title><style>{CSS}</style>{plotly_js}</head><body>"
            + "\n".join(body) + "</body></html>\n")


def write_page(answer: Answer, path: Path) -> Path:
    """Write the page to ``path`` (its folder is made if missing), all at once."""
    from sim.files import atomic_write

    return atomic_write(path, render(answer), "--html")

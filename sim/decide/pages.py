"""The report pages of ``commsim optimize`` and ``commsim discover``: self-contained HTML (plotly
included once, no network), one figure per question with a caption saying what to read."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from sim.decide.optimize import Optimised

CSS = """
body { font-family: Helvetica, Arial, sans-serif; max-width: 1180px; margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.45; }
h2 { margin-top: 2em; border-bottom: 1px solid #ddd; } p.caption { color: #444; max-width: 60em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
td, th { border: 1px solid #ddd; padding: 0.2em 0.6em; text-align: left; }
.note { background: #fff6e0; padding: 0.6em 1em; }
"""


def _page(title: str, parts: list[tuple[str, str, object | str]]) -> str:
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    body = [f"<h1>{html.escape(title)}</h1>"]
    for heading, caption, content in parts:
        body.append(f"<h2>{html.escape(heading)}</h2><p class=caption>{html.escape(caption)}</p>")
        if isinstance(content, str):
            body.append(content)
        else:
            body.append(pio.to_html(content, full_html=False, include_plotlyjs=False,
                                    config={"displaylogo": False, "responsive": True}))
    script = f"<script charset=utf-8>{get_plotlyjs()}</script>"
    return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{html.escape(title)}"
            f"</title><style>{CSS}</style>{script}</head><body>" + "\n".join(body)
            + "</body></html>\n")


def _style(fig, height: int = 480):
    fig.update_layout(template="plotly_white", height=height,
                      font=dict(family="Helvetica, Arial, sans-serif", size=13),
                      margin=dict(l=70, r=30, t=60, b=60))
    return fig


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, float_format=lambda v: f"{v:,.4g}", na_rep="-", border=0)


# -- optimize -------------------------------------------------------------------------------------

def front_figure(result: Optimised):
    """Every candidate (cost against the first objective), the feasible front and the plans."""
    import plotly.graph_objects as go

    p, t = result.problem, result.trials
    o = p.objectives[0]
    col = f"obj_{o.name}"
    fig = go.Figure()
    for ok, name, style in ((True, "within budget", dict(color="rgba(90,90,90,0.45)", size=6)),
                            (False, "over budget (never returned)",
                             dict(color="rgba(214,39,40,0.5)", size=6, symbol="x"))):
        part = t[t["feasible"] == ok]
        fig.add_trace(go.Scatter(x=part["cost_mean"], y=part[col], mode="markers", name=name,
                                 marker=style))
    f = result.front
    fig.add_trace(go.Scatter(x=f["cost_mean"], y=f[col], mode="lines+markers",
                             name="Pareto front (search seeds)", line=dict(color="#1f77b4"),
                             line_shape="hv"))
    s = result.rescored.scores
    for name in result.rescored.names:
        cost = s[(s.plan == name) & (s.outcome == "cost")]["mean"].iloc[0]
        value = s[(s.plan == name) & (s.outcome == o.name)]["mean"].iloc[0]
        fig.add_trace(go.Scatter(x=[cost], y=[value], mode="markers+text", text=[name],
                                 textposition="top center", showlegend=name == "start",
                                 name="re-scored on fresh seeds" if name == "start" else name,
                                 marker=dict(color="#ff7f0e", size=11, symbol="diamond")))
    fig.add_vline(x=p.budget, line_dash="dash", annotation_text=f"budget {p.budget:,.0f} yuan")
    fig.update_xaxes(title="mean cost over the horizon (yuan)")
    fig.update_yaxes(title=f"{o.label} (mean over runs)")
    return _style(fig)


def courses_figure(result: Optimised, column: str = "active_members"):
    """The mean of a daily column for the start and each plan, on the fresh seeds."""
    import plotly.graph_objects as go

    d, names = result.rescored.daily, result.rescored.names
    fig = go.Figure()
    for i, name in enumerate(names):
        part = d[d["candidate"] == i]
        fig.add_trace(go.Scatter(x=part["day"], y=part[column], mode="lines", name=name,
                                 line=dict(width=3 if name == "start" else 2,
                                           dash="dot" if name == "start" else "solid")))
    fig.update_xaxes(title="day")
    fig.update_yaxes(title=column.replace("_", " ") + " (mean over runs)")
    return _style(fig, 420)


def contributions_figure(result: Optimised):
    """What each lever adds to its plan on the first objective, with 95% intervals."""
    import plotly.graph_objects as go

    o = result.problem.objectives[0]
    c = result.rescored.contributions
    c = c[c["outcome"] == o.name]
    if c.empty:
        return None
    labels = [f"{r.plan}: {r.lever}" for r in c.itertuples()]
    fig = go.Figure(go.Bar(
        x=c["contribution"], y=labels, orientation="h",
        error_x=dict(type="data", array=c["high"] - c["contribution"],
                     arrayminus=c["contribution"] - c["low"])))
    fig.update_xaxes(title=f"change in {o.label} when the lever is added to the rest of the plan")
    fig.update_yaxes(autorange="reversed")
    return _style(fig, max(300, 28 * len(labels) + 120))


def optimize_page(result: Optimised) -> str:
    """The whole page of an optimisation."""
    p, r = result.problem, result.rescored
    o = p.objectives[0]
    feasible = int(result.trials["feasible"].sum())
    intro = (f"<p>Group: scenario <b>{html.escape(p.scenario.name)}</b>"
             f"{' with ' + html.escape(str(p.world)) if p.world else ''}; budget "
             f"{p.budget:,.0f} yuan over {p.days} days; objectives: "
             f"{html.escape(', '.join(x.text for x in p.objectives))} and min cost; levers: "
             f"{html.escape('; '.join(lv.describe() for lv in p.levers))}.</p>"
             f"<p>{len(result.trials)} candidates ({p.sampler} sampler, seed {p.seed}) on the "
             f"same {p.replicates} seeds each; {feasible} stayed within the budget in every run; "
             f"{len(result.front)} on the front; {len(r.names) - 1} plans re-scored on "
             f"{p.fresh_replicates} fresh seeds.</p>")
    notes = "".join(f"<p class=note>Dropped: {html.escape(d)}.</p>" for d in r.dropped)
    shown = r.scores.copy()
    parts = [("The problem", "", intro + notes),
             ("Cost against effect: the front",
              "Each grey dot is a candidate plan (mean over the search seeds); red crosses spent "
              "more than the budget in at least one run and are never returned. The blue steps "
              "are the Pareto front: no other plan within budget is both cheaper and better. "
              "Orange diamonds are the chosen plans re-scored on fresh seeds (the search seeds "
              "flatter the plans they picked).", front_figure(result)),
             ("The plans on fresh seeds",
              "Mean of each outcome over the fresh seeds; vs_start is the paired difference "
              "from the group without a plan, vs_previous from the next-cheaper plan, each with "
              "a 95% bootstrap interval (low, high).", _table(shown)),
             ("Time courses of the plans",
              "Members who posted each day, mean over the fresh seeds.",
              courses_figure(result))]
    contrib = contributions_figure(result)
    if contrib is not None:
        parts.append(("What each lever contributes",
                      f"For each plan and each lever it moves: {o.label} of the plan minus the "
                      "same plan with that lever back at its start value (paired over the fresh "
                      "seeds, 95% interval). Levers whose interval crosses zero add nothing "
                      "clear: a cheaper plan would drop them.", contrib))
    return _page(f"commsim optimize: {p.name}", parts)

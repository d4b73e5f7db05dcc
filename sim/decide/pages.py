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


# -- discover -------------------------------------------------------------------------------------

def tradeoff_figure(d):
    """PRIM's peeling trajectory: coverage against density, the chosen box marked."""
    import plotly.graph_objects as go

    t = d.trajectory
    fig = go.Figure(go.Scatter(x=t["coverage"], y=t["density"], mode="lines+markers",
                               marker=dict(color=t["res_dim"], colorscale="Viridis",
                                           showscale=True,
                                           colorbar=dict(title="inputs<br>restricted")),
                               text=[f"step {i}" for i in t.index], name="peeling steps"))
    fig.add_trace(go.Scatter(x=[d.box.coverage], y=[d.box.density], mode="markers+text",
                             text=["chosen box"], textposition="top right",
                             marker=dict(size=14, color="#d62728", symbol="diamond"),
                             name="chosen box"))
    fig.update_xaxes(title="coverage: share of the runs meeting the condition inside the box",
                     range=[0, 1.02])
    fig.update_yaxes(title="density: share of the runs in the box meeting it", range=[0, 1.02])
    _style(fig, 460)
    fig.update_layout(legend=dict(orientation="h", y=1.12, x=0))
    return fig


def limits_figure(d):
    """Each input's range, and the box's limits on it (with the bootstrap's spread)."""
    import plotly.graph_objects as go

    names = [lim.name for lim in d.box.limits]
    if not names:
        return None
    fig = go.Figure()
    stab = d.stability.set_index("input") if len(d.stability) else None
    for i, lim in enumerate(d.box.limits):
        if lim.categories is not None:
            continue
        span = lim.full_high - lim.full_low or 1.0
        lo = (lim.low if lim.low is not None else lim.full_low)
        hi = (lim.high if lim.high is not None else lim.full_high)
        fig.add_trace(go.Scatter(x=[0, 1], y=[i, i], mode="lines", showlegend=i == 0,
                                 line=dict(color="#ccc", width=10), name="range swept"))
        fig.add_trace(go.Scatter(x=[(lo - lim.full_low) / span, (hi - lim.full_low) / span],
                                 y=[i, i], mode="lines+text", showlegend=i == 0,
                                 text=[f"{lo:.3g}", f"{hi:.3g}"], textposition="top center",
                                 line=dict(color="#1f77b4", width=10), name="the box"))
        if stab is not None and lim.name in stab.index:
            row = stab.loc[lim.name]
            for a, b, which in ((row["low_p05"], row["low_p95"], lim.low),
                                (row["high_p05"], row["high_p95"], lim.high)):
                if which is not None and a == a:
                    fig.add_trace(go.Scatter(
                        x=[(a - lim.full_low) / span, (b - lim.full_low) / span], y=[i - 0.2] * 2,
                        mode="lines", line=dict(color="#d62728", width=3), showlegend=False,
                        name="bootstrap 5-95%"))
    fig.update_yaxes(tickvals=list(range(len(names))), ticktext=names, autorange="reversed")
    fig.update_xaxes(title="position in the range swept (0 = lowest, 1 = highest); red: where "
                           "the limit falls in 90% of bootstrap resamples", range=[-0.05, 1.05])
    return _style(fig, 140 + 60 * len(names))


def scatter_figure(d):
    """The runs on the two most important inputs, coloured by the condition, with the box."""
    import plotly.graph_objects as go

    a, b = (d.important(2) + [None])[:2]
    if b is None:
        return None
    fig = go.Figure()
    for value, name, colour in ((False, "does not meet it", "rgba(120,120,120,0.45)"),
                                (True, "meets the condition", "rgba(214,39,40,0.75)")):
        mask = d.y == value
        fig.add_trace(go.Scatter(x=d.x.loc[mask, a], y=d.x.loc[mask, b], mode="markers",
                                 name=name, marker=dict(color=colour, size=6)))
    lims = {lim.name: lim for lim in d.box.limits}

    def edge(name: str) -> tuple[float, float]:
        lim = lims.get(name)
        lo, hi = float(d.x[name].min()), float(d.x[name].max())
        if lim is None or lim.categories is not None:
            return lo, hi
        return (lim.low if lim.low is not None else lo), (lim.high if lim.high is not None else hi)

    (x0, x1), (y0, y1) = edge(a), edge(b)
    fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, line=dict(color="#1f77b4", width=3))
    fig.update_xaxes(title=a)
    fig.update_yaxes(title=b)
    return _style(fig, 520)


def discover_page(d, folder: str) -> str:
    """The whole page of a discovery."""
    intro = (f"<p><b>{html.escape(d.rule_text())}</b></p><p>{d.runs} runs of {folder} "
             f"({d.points} design points); the condition <code>{html.escape(d.condition.text)}"
             "</code> is judged run by run, so density is the chance that a run inside the box "
             "meets it (replicate noise included). Stability: the box found again on "
             f"{int(d.stability['resamples'].max()) if len(d.stability) else 0} bootstrap "
             "resamples of the design points (replicates kept together).</p>")
    parts = [("The rule", "", intro),
             ("Trade-off: coverage against density",
              "Each point is a step of PRIM's peeling: the box shrinks, so it holds fewer of the "
              "runs that meet the condition (coverage) but a larger share of its runs meet it "
              "(density). The chosen box covers at least the minimum share (--min-coverage) and, "
              "among the boxes within 2 points of the densest such box, covers most.",
              tradeoff_figure(d))]
    lim = limits_figure(d)
    if lim is not None:
        parts.append(("The box's limits", "Blue: the box on each restricted input, within the "
                      "range the sweep covered; red: how far each limit moves between bootstrap "
                      "resamples. A limit that moves across most of the range is not to be "
                      "trusted.", lim))
    sc = scatter_figure(d)
    if sc is not None:
        parts.append(("The runs on the two most important inputs",
                      "Each run on the two inputs the box restricts most surely; red runs meet "
                      "the condition; the blue rectangle is the box on these two inputs (other "
                      "inputs' limits apply too).", sc))
    parts.append(("Tables", "The box's inputs with the library's quasi-p-values, and the "
                  "bootstrap's stability.", _table(pd.DataFrame([
                      {"input": x.name, "limit": x.text(), "quasi-p-value": x.qp}
                      for x in d.box.limits])) + _table(d.stability)))
    if d.cart is not None and len(d.cart):
        parts.append(("Second view: CART", "The leaves of a classification tree (ema-workbench's "
                      "CART) as boxes, densest first: where it agrees with PRIM, the rule is "
                      "not an artefact of peeling.", _table(d.cart.head(8))))
    return _page(f"commsim discover: {d.condition.text}", parts)

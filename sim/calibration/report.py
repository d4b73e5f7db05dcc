"""What a calibration and a measurement show: text tables for the terminal, and HTML pages.

The pages are self-contained (plotly's script is inlined once), so they open offline and can be
sent as one file. Plotly is imported only when a page is made.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.fit import Calibration
from sim.calibration.targets import noise_floor

BAND = (10, 90)  # percentiles of the replicate band
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
BUSIEST_SHOWN = 8  # groups drawn at first in the measure page; the rest are one click away
MEASURE_COLUMNS = ["group", "first_day", "last_day", "days", "members_joined", "posters",
                   "messages", "peak_day", "time_to_silence", "ever_spoken_share",
                   "top10_share", "gini", "churned"]


# -- text ---------------------------------------------------------------------------------------

def parameter_table(cal: Calibration) -> pd.DataFrame:
    """One row per fitted parameter: base value, fitted value, restarts' range, verdict."""
    ident = cal.identifiability()
    return pd.DataFrame([{
        "parameter": d.name, "base": cal.base_values[d.name], "fitted": cal.best[d.name],
        "restarts_min": ident[d.name]["min"], "restarts_max": ident[d.name]["max"],
        "verdict": "identified" if ident[d.name]["identified"] else
                   f"not identified: {ident[d.name]['why']}"} for d in cal.dims])


def group_table(cal: Calibration) -> pd.DataFrame:
    """One row per group: the observed targets, the fitted and the base scenario's (run means),
    and the losses; ``floor`` is the loss a perfect model would still score (noise)."""
    rows = []
    for obs, sim, base, parts, base_parts in zip(cal.observed, cal.sims, cal.base_sims,
                                                 cal.parts, cal.base_parts):
        rows.append({
            "group": obs.group, "days": obs.days, "members": obs.members,
            "simulated_members": float(sim.joined.mean()),
            "ever_spoken": obs.ever_spoken_share, "ever_spoken_fit": sim.ever_spoken_share.mean(),
            "ever_spoken_base": base.ever_spoken_share.mean(),
            "top10": obs.top10_share, "top10_fit": sim.top10_share.mean(),
            "gini": obs.gini, "gini_fit": sim.gini.mean(),
            "msgs_per_member": obs.messages_per_member,
            # a log without joins shows messages per poster: compared as such (targets.py)
            "msgs_per_member_fit": (sim.messages_per_member if obs.joins_known
                                    else sim.messages_per_poster).mean(),
            "msgs_per_member_base": (base.messages_per_member if obs.joins_known
                                     else base.messages_per_poster).mean(),
            "curve_gap": parts["curve"], "loss": parts["loss"], "loss_base": base_parts["loss"],
            "floor": noise_floor(obs, sim)})
    return pd.DataFrame(rows)


def summary_text(cal: Calibration, base_name: str, arrivals: str, max_days: int) -> str:
    """The calibration's result as text for the terminal."""
    s = cal.settings
    groups = ", ".join(o.group for o in cal.observed)
    capped = [o.group for o in cal.observed if o.span > o.days]
    lines = [
        f"calibrated {base_name} to {groups} (arrivals: {arrivals}; "
        f"{cal.accepted:.3f} of invitations accepted)",
        f"{s.restarts} restart(s) x {s.trials} trials x {s.replicates} replicates, seed "
        f"{s.seed}: {cal.runs_simulated} runs in {cal.seconds:.0f} s",
    ]
    if capped:
        lines.append(f"windows capped at {max_days} days for: {', '.join(capped)}")
    lines += ["", parameter_table(cal).to_string(index=False, float_format=_fmt), ""]
    lines.append(f"loss on fresh seeds: fitted {cal.fresh_loss:.4f}, {base_name} "
                 f"{cal.base_loss:.4f} (on the fitting seeds: {cal.fit_loss:.4f}); restarts' "
                 f"best on fresh seeds: {', '.join(f'{x:.4f}' for x in cal.fresh_losses)}")
    table = group_table(cal)[["group", "days", "members", "simulated_members", "ever_spoken",
                              "ever_spoken_fit", "top10", "top10_fit", "gini", "gini_fit",
                              "msgs_per_member", "msgs_per_member_fit", "curve_gap", "loss",
                              "loss_base", "floor"]]
    lines += ["", table.to_string(index=False, float_format=_fmt)]
    return "\n".join(lines)


def measure_text(groups: pd.DataFrame) -> str:
    """The table of :func:`sim.measure.measure`'s groups, busiest first, pooled row last."""
    real = groups.iloc[:-1].sort_values("messages", ascending=False)
    table = pd.concat([real, groups.iloc[-1:]])[MEASURE_COLUMNS]
    return table.to_string(index=False, float_format=_fmt)


def _fmt(x: float) -> str:
    return f"{x:.4g}"


# -- HTML ---------------------------------------------------------------------------------------

def _page(title: str, body: list[str]) -> str:
    style = ("body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;"
             "padding:0 1em;color:#222}table{border-collapse:collapse;font-size:0.9em}"
             "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
             "th{background:#f3f3f3}.wide{overflow-x:auto}")
    return (f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{style}</style></head><body>\n<h1>{html.escape(title)}</h1>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _table(frame: pd.DataFrame) -> str:
    return f"<div class='wide'>{frame.to_html(index=False, float_format=_fmt)}</div>"


def _figure_html(fig: Any, first: bool) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=True if first else False)


def calibration_html(cal: Calibration, title: str, provenance: str) -> str:
    """The fit as one page: observed and simulated weekly curves with replicate bands, the
    targets per group, the parameters with their spread, the loss profiles and the search."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    n = len(cal.observed)
    cols = min(n, 3)
    rows = -(-n // cols)
    curves = make_subplots(rows=rows, cols=cols, subplot_titles=[o.group for o in cal.observed])
    for k, (obs, sim, base) in enumerate(zip(cal.observed, cal.sims, cal.base_sims)):
        r, c = k // cols + 1, k % cols + 1
        week = np.arange(obs.weeks)
        lo, hi = np.percentile(sim.curves, BAND, axis=0)
        show = k == 0
        curves.add_trace(go.Scatter(x=np.r_[week, week[::-1]], y=np.r_[hi, lo[::-1]],
                                    fill="toself", line={"width": 0},
                                    fillcolor="rgba(31,119,180,0.2)", name="fitted: 10-90%",
                                    legendgroup="band", showlegend=show), row=r, col=c)
        curves.add_trace(go.Scatter(x=week, y=sim.curves.mean(axis=0), name="fitted: mean",
                                    line={"color": "#1f77b4"}, legendgroup="fit",
                                    showlegend=show), row=r, col=c)
        curves.add_trace(go.Scatter(x=week, y=base.curves.mean(axis=0), name="base: mean",
                                    line={"color": "#888", "dash": "dash"}, legendgroup="base",
                                    showlegend=show), row=r, col=c)
        curves.add_trace(go.Scatter(x=week, y=obs.curve, name="observed", mode="lines+markers",
                                    line={"color": "black"}, marker={"size": 4},
                                    legendgroup="obs", showlegend=show), row=r, col=c)
    curves.update_xaxes(title_text="week")
    curves.update_yaxes(title_text="messages / busiest week", range=[0, 1.05])
    curves.update_layout(height=300 * rows + 80, title="Weekly activity, normalised by the "
                         "busiest week (simulated on fresh seeds)")
    body = [f"<p>{html.escape(provenance)}</p>", _figure_html(curves, True),
            "<h2>Targets per group</h2>",
            _table(group_table(cal)),
            "<p><code>floor</code>: the loss a simulated replicate of the fitted model scores "
            "against the other replicates, i.e. what noise alone costs.</p>",
            "<h2>Fitted parameters</h2>",
            _table(parameter_table(cal)),
            f"<p>Loss on fresh seeds: fitted {cal.fresh_loss:.4f}, base {cal.base_loss:.4f}."
            "</p>", _figure_html(_profiles(cal, go, make_subplots), False),
            _figure_html(_history(cal, go), False)]
    return _page(title, body)


def _profiles(cal: Calibration, go: Any, make_subplots: Any) -> Any:
    fig = make_subplots(rows=1, cols=len(cal.dims), subplot_titles=[d.name for d in cal.dims])
    for k, dim in enumerate(cal.dims):
        values, losses = cal.profiles[dim.name]
        fig.add_trace(go.Scatter(x=values, y=losses, mode="lines+markers", showlegend=False,
                                 line={"color": "#1f77b4"}), row=1, col=k + 1)
        fig.add_trace(go.Scatter(x=[cal.best[dim.name]], y=[cal.fit_loss], mode="markers",
                                 marker={"color": "red", "size": 9}, showlegend=False),
                      row=1, col=k + 1)
        fig.update_xaxes(type="log" if dim.log else "linear", row=1, col=k + 1)
    fig.update_yaxes(title_text="loss", col=1)
    fig.update_layout(height=330, title="Loss along each parameter, the others at the fit "
                      "(red: the fit; a flat profile means the data cannot pin the parameter)")
    return fig


def _history(cal: Calibration, go: Any) -> Any:
    fig = go.Figure()
    for k, restart in enumerate(cal.restarts):
        color = COLORS[k % len(COLORS)]
        fig.add_trace(go.Scatter(y=restart.losses, mode="markers",
                                 marker={"size": 4, "color": color}, legendgroup=str(k),
                                 name=f"restart {k + 1} (sampler seed {restart.sampler_seed})"))
        fig.add_trace(go.Scatter(y=np.minimum.accumulate(restart.losses), mode="lines",
                                 line={"color": color}, legendgroup=str(k), showlegend=False))
    fig.update_layout(height=350, title="The search: loss of each trial (fitting seeds)",
                      xaxis_title="trial", yaxis_title="loss")
    return fig


def measure_html(measured: dict[str, pd.DataFrame], title: str) -> str:
    """Weekly messages and active members of every group, and the outcomes table."""
    import plotly.graph_objects as go

    weekly = measured["weekly"]
    groups = measured["groups"]
    order = groups.iloc[:-1].sort_values("messages", ascending=False)["group"].tolist()
    figs = []
    for column, label in (("messages", "messages a week"),
                          ("active_members", "members who posted in the week")):
        fig = go.Figure()
        for k, name in enumerate(order):
            rows = weekly[weekly["group"] == name]
            fig.add_trace(go.Scatter(x=pd.to_datetime(rows["date"]), y=rows[column], name=name,
                                     mode="lines",
                                     visible=True if k < BUSIEST_SHOWN else "legendonly"))
        fig.update_layout(height=450, title=f"{label} (click a group in the legend to show or "
                          "hide it)", yaxis_title=label)
        figs.append(fig)
    body = [f"<p>{len(order)} groups; the {min(BUSIEST_SHOWN, len(order))} busiest are shown at "
            "first.</p>", _figure_html(figs[0], True), _figure_html(figs[1], False),
            "<h2>Outcomes per group</h2>",
            _table(groups[MEASURE_COLUMNS])]
    return _page(title, body)

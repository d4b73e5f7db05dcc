"""Figures of a results folder: activity over time, who speaks, effects and what they cost.

Each function returns a :class:`Panel` (a plotly figure with its title and a caption saying what
to read from it), or None when the folder holds nothing it could show.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from sim import labels
from sim.report.compare import label
from sim.report.results import Results

MAX_LINES = 8  # settings drawn one by one; above this, one line per scenario (points pooled)
MAX_FOREST = 24  # settings in a forest plot; a sampled design has too many to read
BAND = (0.1, 0.5, 0.9)
COLORS = qualitative.Plotly
FONT = dict(family="Helvetica, Arial, sans-serif", size=13)


@dataclass
class Panel:
    """One figure of the report: an anchor name, a title, a caption and the figure."""

    key: str
    title: str
    caption: str
    figure: go.Figure


def rgba(hex_colour: str, alpha: float = 1.0) -> str:
    """``#rrggbb`` as rgba with ``alpha``."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[k:k + 2], 16) for k in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def color(i: int, alpha: float = 1.0) -> str:
    """The i-th colour of the palette, as rgba with ``alpha``."""
    return rgba(COLORS[i % len(COLORS)], alpha)


def add_survival_curve(fig: go.Figure, curve, name: str, line: str, band: str,
                       legendgroup: str | None = None) -> None:
    """A Kaplan-Meier curve (``sim.survival.kaplan_meier``'s days, share, low, high) as a step
    line with its 95% band; hovering says the share still active on that day."""
    days, share, low, high = curve
    fig.add_trace(go.Scatter(x=list(days) + list(days)[::-1], y=list(high) + list(low)[::-1],
                             fill="toself", fillcolor=band, line=dict(width=0),
                             hoverinfo="skip", showlegend=False, legendgroup=legendgroup))
    fig.add_trace(go.Scatter(x=days, y=share, mode="lines",
                             line=dict(color=line, shape="hv", width=2), name=name,
                             legendgroup=legendgroup,
                             hovertemplate="day %{x}: %{y:.0%} still active"))


def _legend_lines(fig: go.Figure, width: int = 1100) -> int:
    """Lines a horizontal legend of the figure's named traces takes (about 8 px a character)."""
    names = {t.name for t in fig.data if t.name and t.showlegend is not False}
    if not names:
        return 0
    chars = sum(len(n) + 6 for n in names)
    return -(-chars * 8 // (width - 100))


def style(fig: go.Figure, height: int) -> go.Figure:
    """The common look: white, readable font, fixed height, and the legend below the plots,
    where the plotly toolbar (top right) cannot cover it."""
    lines = _legend_lines(fig)
    bottom = 60 + 26 * lines + (20 if lines else 0)
    fig.update_layout(template="plotly_white", font=FONT, height=height + bottom - 60,
                      margin=dict(l=70, r=30, t=60, b=bottom),
                      legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.0,
                                  x=0, xanchor="left"))
    return fig


def percent_axis(fig: go.Figure, **where) -> None:
    """An axis of 0-1 shares shown as percentages."""
    fig.update_yaxes(tickformat=".0%", **where)


def param_axis(name: str) -> str:
    """An axis title for a parameter: its code name (what --set takes) and its unit."""
    from sim.params import PARAM_NAMES, info

    return f"{name} ({info(name)['unit']})" if name in PARAM_NAMES else name


def run_groups(results: Results) -> tuple[list[tuple[str, pd.Index]], bool]:
    """(label, run ids) per setting, or per scenario when there are more than MAX_LINES settings.

    Returns:
        The groups, and whether design points were pooled within each scenario.
    """
    runs = results.runs
    cells = runs.groupby(["scenario", "point"], sort=False)["run_id"]
    if cells.ngroups <= MAX_LINES:
        return [(results.cell_label(s, p), pd.Index(ids)) for (s, p), ids in cells], False
    return [(s, pd.Index(ids)) for s, ids in runs.groupby("scenario", sort=False)["run_id"]], True


def _band(fig: go.Figure, x, q: pd.DataFrame, name: str, i: int, row=None, col=None,
          showlegend: bool = True) -> None:
    """A median line with a shaded 10-90% band."""
    where = dict(row=row, col=col) if row else {}
    fig.add_trace(go.Scatter(x=x, y=q[BAND[2]], mode="lines", line=dict(width=0),
                             legendgroup=name, showlegend=False, hoverinfo="skip"), **where)
    fig.add_trace(go.Scatter(x=x, y=q[BAND[0]], mode="lines", line=dict(width=0),
                             fill="tonexty", fillcolor=color(i, 0.18), legendgroup=name,
                             showlegend=False, hoverinfo="skip"), **where)
    fig.add_trace(go.Scatter(x=x, y=q[BAND[1]], mode="lines+markers" if len(x) < 15 else "lines",
                             line=dict(color=color(i), width=2), name=name, legendgroup=name,
                             showlegend=showlegend), **where)


def time_course(results: Results, column: str, title: str, unit: str, what: str) -> Panel | None:
    """A daily outcome over time per setting: median across replicates and 10-90% band."""
    from sim.report.daily import day_quantiles

    groups, pooled = run_groups(results)
    bands = day_quantiles(results, column, [ids for _, ids in groups], BAND)
    if bands is None:
        return None
    fig = go.Figure()
    for i, ((name, _), q) in enumerate(zip(groups, bands, strict=True)):
        _band(fig, q.index + 1, q, name, i)
    fig.update_xaxes(title_text="day since launch")
    fig.update_yaxes(title_text=unit, rangemode="tozero")
    if labels.label(column).share:
        percent_axis(fig)
    caption = (f"{what} Line: median across replicates; band: 10% to 90% of replicates, i.e. "
               "the range of typical groups, not the uncertainty of the median.")
    if pooled:
        caption += (" There are too many settings to draw one by one, so each line pools all "
                    "design points of a scenario (the band then includes the parameters' effect).")
    return Panel(f"daily-{column}", title, caption, style(fig, 430))


def participation(results: Results) -> Panel | None:
    """Lorenz curves through the points the runs record, and the Gini coefficient per setting."""
    need = {"lurker_share", "top10_share", "gini"}
    if not need <= set(results.runs):
        return None
    groups, pooled = run_groups(results)
    runs = results.runs.set_index("run_id")
    fig = make_subplots(1, 2, horizontal_spacing=0.26,  # room for the settings' names
                        subplot_titles=("Lorenz curve of messages per member",
                                        "Gini coefficient of messages per member"))
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="equal participation",
                             line=dict(color="grey", dash="dot")), row=1, col=1)
    for i, (name, ids) in enumerate(groups):
        r = runs.loc[ids]
        silent, top = float(r["lurker_share"].median()), float(r["top10_share"].median())
        xy = sorted([(0.0, 0.0), (silent, 0.0), (0.9, 1.0 - top), (1.0, 1.0)])
        fig.add_trace(go.Scatter(x=[p[0] for p in xy], y=[p[1] for p in xy], mode="lines+markers",
                                 line=dict(color=color(i)), name=name, legendgroup=name),
                      row=1, col=1)
        g = r["gini"].quantile(list(BAND))
        fig.add_trace(go.Scatter(x=[g[BAND[1]]], y=[name], mode="markers",
                                 marker=dict(color=color(i), size=10), legendgroup=name,
                                 showlegend=False,
                                 error_x=dict(type="data", array=[g[BAND[2]] - g[BAND[1]]],
                                              arrayminus=[g[BAND[1]] - g[BAND[0]]])),
                      row=1, col=2)
    fig.update_xaxes(title_text="share of members who ever joined, least active first",
                     range=[0, 1], row=1, col=1)
    fig.update_yaxes(title_text="share of all messages", range=[0, 1], row=1, col=1)
    fig.update_xaxes(title_text="Gini (0 = all post equally, 1 = one member posts all)",
                     range=[0, 1], row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=2)
    caption = ("Messages per member are not stored, so each curve is drawn through the points the "
               "runs record: the share who never posted (flat start) and the share of messages "
               "by the top 10% of members (the point at 0.9); medians across replicates. The true "
               "curve lies on or below these straight pieces. Right: median Gini with 10-90% of "
               "replicates. The further a curve sags below the diagonal, the more a few members "
               "carry the group.")
    if pooled:
        caption += " Design points are pooled within each scenario."
    return Panel("participation", "Who speaks: the participation distribution", caption,
                 style(fig, 460))


def lifetimes(results: Results) -> Panel | None:
    """Kaplan-Meier curves of group lifetime per setting (the share of groups still active on
    each day, with a 95% band), and the share still active on day 30/60/90/180 in the legend."""
    from sim.survival import kaplan_meier, median_lifetime, share_active

    runs = results.runs
    if not {"lifetime", "lifetime_censored"} <= set(runs):
        return None
    groups, pooled = run_groups(results)
    by_id = runs.set_index("run_id")
    fig = go.Figure()
    for i, (name, ids) in enumerate(groups):
        r = by_id.loc[ids]
        censored = r["lifetime_censored"].to_numpy(bool)
        curve = kaplan_meier(r["lifetime"], censored)
        median = median_lifetime(r["lifetime"], censored)
        shown = [f"day {d}: {share_active(r[f'active_day_{d}']).share:.0%}"
                 for d in (30, 90, 180) if f"active_day_{d}" in r
                 and r[f"active_day_{d}"].notna().any()]
        legend = f"{name} (median {median.text().split(' (')[0]}; {', '.join(shown)})"
        add_survival_curve(fig, curve, legend, color(i), color(i, 0.15), legendgroup=name)
    fig.update_xaxes(title_text="day since launch", range=[0, results.days])
    fig.update_yaxes(title_text="share of groups still active", range=[0, 1.02],
                     tickformat=".0%")
    caption = ("Kaplan-Meier curve of group lifetime (lifelines): the share of groups (runs) "
               "still active, i.e. not yet silent (the 7-day mean of messages above 20% of its "
               "peak), on each day, with its 95% band. Groups still active at the end of the run "
               "are censored there. The legend gives the median lifetime and the share still "
               "active on days 30, 90 and 180.")
    if pooled:
        caption += " Design points are pooled within each scenario."
    return Panel("lifetime", "How long groups stay active", caption, style(fig, 460))


def _grid(n: int) -> tuple[int, int]:
    cols = 1 if n == 1 else 2
    return -(-n // cols), cols


def _colour_index(settings: list[str], order: list[str] | None) -> dict[str, int]:
    """Colour of each setting: its place in ``order`` (the time courses' lines) when listed."""
    order = order or []
    return {s: order.index(s) if s in order else len(order) + i for i, s in enumerate(settings)}


def forest(table: pd.DataFrame, order: list[str] | None = None) -> Panel | None:
    """Each setting's effect on each outcome with its interval, one small plot per outcome.

    Args:
        table: the output of :func:`sim.report.compare.compare`.
        order: labels of the settings in the time courses, so a setting keeps its colour.
    """
    settings = list(dict.fromkeys(table["setting"]))
    if table.empty or len(settings) > MAX_FOREST:
        return None
    outcomes = list(dict.fromkeys(table["outcome"]))
    hue = _colour_index(settings, order)
    rows, cols = _grid(len(outcomes))
    fig = make_subplots(rows, cols, subplot_titles=[label(o) for o in outcomes],
                        shared_yaxes=True, horizontal_spacing=0.08,
                        vertical_spacing=min(0.3 / rows + 0.02, 0.12))
    for k, outcome in enumerate(outcomes):
        r, c = k // cols + 1, k % cols + 1
        t = table[table["outcome"] == outcome].set_index("setting").reindex(settings)
        for name, row in t.iterrows():
            i, hollow = hue[name], bool(row["crosses_zero"])
            fig.add_trace(go.Scatter(
                x=[row["difference"]], y=[name], mode="markers", showlegend=False,
                marker=dict(size=9, color="white" if hollow else color(i),
                            line=dict(color=color(i), width=2)),
                error_x=dict(type="data", array=[row["ci_high"] - row["difference"]],
                             arrayminus=[row["difference"] - row["ci_low"]], color=color(i)),
                hovertemplate=f"{name}<br>%{{x:.3g}} [{row['ci_low']:.3g}, {row['ci_high']:.3g}]"
                              f"<br>{row['pairs']} pairs<extra></extra>"), row=r, col=c)
        fig.add_vline(x=0, line=dict(color="grey", dash="dot"), row=r, col=c)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="difference from the reference", row=rows)
    n = int(table["pairs"].max())
    caption = (f"Dot: mean difference from the reference ({table['reference'].iloc[0]}) over up "
               f"to {n} pairs of runs with the same seed; bar: 95% bootstrap interval; hollow "
               "dot: the interval includes zero, so the data cannot tell the direction. Time to "
               "silence counts a never-silent run as the run length; return on extra cost is "
               "(extra revenue - extra cost) / extra cost.")
    height = 120 + rows * (70 + 26 * len(settings))
    return Panel("forest", "Effects against the baseline, with 95% intervals", caption,
                 style(fig, height))


def cost_effect(table: pd.DataFrame, order: list[str] | None = None,
                outcomes: tuple[str, ...] = ("total_messages", "time_to_silence")
                ) -> Panel | None:
    """Extra cost against effect per setting, with both intervals (colours as in ``order``)."""
    have = set(table["outcome"]) if not table.empty else set()
    shown = [o for o in outcomes if o in have]
    if "cost" not in have or not shown:
        return None
    cost = table[table["outcome"] == "cost"].set_index("setting")
    fig = make_subplots(1, len(shown), subplot_titles=[label(o) for o in shown],
                        horizontal_spacing=0.1)
    # one colour per setting when they are few enough to name, else one per scenario
    by = "setting" if cost.shape[0] <= MAX_LINES else "scenario"
    for k, outcome in enumerate(shown):
        eff = table[table["outcome"] == outcome].set_index("setting")
        groups = list(dict.fromkeys(eff[by] if by == "scenario" else eff.index))
        hue = _colour_index(groups, order if by == "setting" else None)
        for group in groups:
            j = hue[group]
            names = [s for s in eff.index if (s if by == "setting" else eff.loc[s, by]) == group]
            x, y = cost.loc[names], eff.loc[names]
            fig.add_trace(go.Scatter(
                x=x["difference"], y=y["difference"], mode="markers", text=names,
                hovertemplate="%{text}<br>extra cost %{x:.4g}<br>effect %{y:.4g}<extra></extra>",
                name=group, legendgroup=group, showlegend=k == 0,
                marker=dict(size=10, color=color(j)),
                error_x=dict(type="data", array=x["ci_high"] - x["difference"],
                             arrayminus=x["difference"] - x["ci_low"], color=color(j, 0.5)),
                error_y=dict(type="data", array=y["ci_high"] - y["difference"],
                             arrayminus=y["difference"] - y["ci_low"], color=color(j, 0.5))),
                row=1, col=k + 1)
        fig.add_hline(y=0, line=dict(color="grey", dash="dot"), row=1, col=k + 1)
        fig.update_xaxes(title_text="extra cost over the run (yuan)", row=1, col=k + 1)
        unit = "days" if outcome == "time_to_silence" else "messages"
        fig.update_yaxes(title_text=f"effect ({unit})", row=1, col=k + 1)
    caption = ("Each point is a setting: how much more it costs than the reference (x) against "
               "what it changes (y), both with 95% paired bootstrap intervals. Up and to the left "
               "is cheap and effective; points on the dotted line buy nothing.")
    return Panel("cost", "What the effects cost", caption, style(fig, 470))

"""The plot shapes the lessons share: daily lines per arm, and estimates with their intervals."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim.lessons.core import Estimate, Runs

COLORS = ("#636363", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
SMOOTH = 7  # days in the trailing mean of daily lines (as in time to silence)


def arm_color(runs: Runs, arm: str) -> str:
    """A stable colour per arm (the reference, listed first, is grey)."""
    return COLORS[list(runs.arms).index(arm) % len(COLORS)]


def daily_lines(runs: Runs, col: str, arms: Sequence[str] | None = None,
                labels: dict[str, str] | None = None, smooth: int = SMOOTH) -> list[go.Scatter]:
    """One line per arm: the mean over seeds of a daily column, as a trailing ``smooth``-day mean.
    """
    traces = []
    for arm in arms or list(runs.arms):
        s = runs.series(arm, col)
        y = s.rolling(smooth, min_periods=1).mean() if smooth > 1 else s
        traces.append(go.Scatter(x=s.index.to_numpy(), y=y.to_numpy(), mode="lines",
                                 name=(labels or {}).get(arm, runs.label(arm)),
                                 line={"color": arm_color(runs, arm), "width": 2},
                                 legendgroup=arm))
    return traces


def estimate_bars(estimates: dict[str, Estimate], colors: Sequence[str] | None = None,
                  scale: float = 1.0, name: str = "") -> go.Bar:
    """Bars of estimates with their 95% intervals as error bars."""
    means = np.array([e.mean for e in estimates.values()]) * scale
    lo = np.array([e.lo for e in estimates.values()]) * scale
    hi = np.array([e.hi for e in estimates.values()]) * scale
    return go.Bar(x=[str(k) for k in estimates], y=means, name=name, showlegend=False,
                  marker={"color": list(colors) if colors else COLORS[1]},
                  error_y={"type": "data", "symmetric": False, "array": hi - means,
                           "arrayminus": means - lo, "color": "#333"})


def panels(left_title: str, left: Sequence[go.BaseTraceType], right_title: str,
           right: Sequence[go.BaseTraceType], left_y: str = "", right_y: str = "",
           left_x: str = "day") -> go.Figure:
    """A two-panel figure: usually daily lines on the left, estimates on the right."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=(left_title, right_title),
                        column_widths=[0.58, 0.42], horizontal_spacing=0.1)
    seen: set[str] = set()
    for col, traces in ((1, left), (2, right)):
        for t in traces:
            if t.name in seen:  # one legend entry per arm
                t.showlegend = False
            seen.add(t.name)
            fig.add_trace(t, row=1, col=col)
    fig.update_xaxes(title_text=left_x, row=1, col=1)
    fig.update_yaxes(title_text=left_y, row=1, col=1)
    fig.update_yaxes(title_text=right_y, row=1, col=2)
    fig.update_layout(template="plotly_white", width=1100, height=460,
                      margin={"t": 80, "l": 60, "r": 30, "b": 60},
                      legend={"orientation": "h", "y": -0.18})
    return fig


def zero_line(fig: go.Figure, col: int = 2) -> go.Figure:
    """A thin line at 0 in one panel (for differences)."""
    fig.add_hline(y=0, line={"color": "#999", "width": 1}, row=1, col=col)
    return fig


def messages_and_trust(runs: Runs) -> go.Figure:
    """Members' messages a day (7-day mean) and mean trust, every arm: the figure of the lessons
    whose lever works through talk and trust (owner, group_mute)."""
    return panels("members' messages a day (7-day mean)", daily_lines(runs, "messages"),
                  "mean trust", daily_lines(runs, "mean_trust", smooth=1),
                  "messages", "trust (0-1)")


def arm_bars(runs: Runs, estimates: dict[str, Estimate], scale: float = 1.0) -> go.Bar:
    """Bars of one estimate per arm (keyed by arm), each labelled and coloured as its arm."""
    return estimate_bars({runs.label(arm): est for arm, est in estimates.items()},
                         [arm_color(runs, arm) for arm in estimates], scale)


def members_and_final(runs: Runs, estimates: dict[str, Estimate]) -> go.Figure:
    """Members present each day, and each arm's estimate of the members at the end (keyed by
    arm): the figure of the lessons about who stays (poaching, checkin_removal)."""
    return panels("members present", daily_lines(runs, "members", smooth=1),
                  f"members at day {runs.days}", [arm_bars(runs, estimates)],
                  "members", "members")

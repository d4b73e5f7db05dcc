"""P4, the survey split (用户调研): most members say little, a few engage deeply."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Lesson, Numbers, Runs
from sim.metrics import RARELY_MAX

REF = "baseline"
# the article's ranges: no suggestion / chat a little / engage deeply
RANGES = {"rarely_share": (0.70, 0.80), "sometimes_share": (0.10, 0.20),
          "a_lot_share": (0.05, 0.10)}
LABELS = {"rarely_share": "rarely or never", "sometimes_share": "sometimes",
          "a_lot_share": "a lot"}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    est = {col: n.put(col, d.mean(REF, col)) for col in RANGES}
    # the article's ranges are a practitioner's survey, so the model agrees with one when its
    # interval overlaps it (the model is rejected only when the whole interval lies outside)
    checks = [Check(f"the '{LABELS[c]}' share's interval overlaps the article's "
                    f"{lo:.0%}-{hi:.0%}", est[c].lo <= hi and est[c].hi >= lo,
                    est[c].text(".1%"), essential=(c == "rarely_share"))
              for c, (lo, hi) in RANGES.items()]
    finding = [
        f"Over the first quarter, members post rarely or never (at most {RARELY_MAX} "
        f"messages): {est['rarely_share'].text('.1%')}; sometimes: "
        f"{est['sometimes_share'].text('.1%')}; a lot: {est['a_lot_share'].text('.1%')}.",
        "The article's survey: 70-80% no suggestion, 10-20% chat a little, 5-10% engage "
        "deeply.",
    ]
    return Analysis(est["rarely_share"], "share posting rarely or never in the quarter", checks,
                    finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {LABELS[c]: a.numbers.estimates[c] for c in RANGES}
    mid = [(lo + hi) / 2 * 100 for lo, hi in RANGES.values()]
    half = [(hi - lo) / 2 * 100 for lo, hi in RANGES.values()]
    article = go.Bar(x=list(est), y=mid, name="article (range)", marker={"color": "#bbb"},
                     error_y={"type": "data", "array": half, "color": "#777"})
    model = plots.estimate_bars(est, [plots.COLORS[1]] * 3, 100, name="model")
    model.showlegend = True
    counts = d.runs[d.runs.arm == REF][["rarely_share", "sometimes_share", "a_lot_share"]]
    hist = [go.Box(y=counts[c] * 100, name=LABELS[c], marker={"color": plots.COLORS[2]},
                   showlegend=False) for c in RANGES]
    fig = plots.panels("spread over seeds (% of members)", hist,
                       "model vs article (% of members)", [article, model], "% of members",
                       "% of members", left_x="")
    fig.update_layout(barmode="group")
    return fig


LESSON = Lesson(
    name="survey_split", principle="P4", title="The survey split (用户调研)",
    claim="Talk to each member before inviting them (nickname-role-industry-city) and survey "
          "them: of those surveyed 70-80% give no suggestion, 10-20% chat a little and 5-10% "
          "engage deeply. A group's members split the same way.",
    arms={REF: {}}, reference=REF, treatment=REF, analyze=analyze, plot=plot,
    try_next=("activity_sigma=1.5", "members less unequal by nature: how much of the split "
              "is the people and how much the group?"),
    days=90, replicates=40)

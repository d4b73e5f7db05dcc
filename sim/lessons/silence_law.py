"""P1, the three-month silence law (3个月沉寂定律): unmanaged groups peak early and fall silent."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

REF, OPS = "unmanaged", "operated"
ARMS = {
    REF: {},
    # activate and retain (促活、留存): daily content, a check-in ritual, an answering owner
    OPS: {"content_every": 1, "checkin": True, "owner_answer_share": 0.9, "owner_mentions": 3.0},
}
WINDOW = (60, 120)  # "about three months", in days


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    peak = d.values(REF, "peak_day")
    silence = d.values(REF, "time_to_silence")  # NaN when not silent by the last day
    silent = d.values(REF, "silent")
    n["peak_day_median"] = float(np.median(peak))
    n["silence_median"] = float(np.nanmedian(np.where(silent > 0, silence, np.inf)))
    share = n.put("silent_share", Estimate.of(silent))
    ops_silent = n.put("silent_share_operated", d.mean(OPS, "silent"))
    kept = n.put("retention_d90_gain", d.diff(OPS, REF, "retention_d90"))
    base_kept = n.put("retention_d90_unmanaged", d.mean(REF, "retention_d90"))
    lo, hi = WINDOW
    checks = [
        Check("an unmanaged group peaks within its first 4 weeks (median peak day <= 28)",
              n["peak_day_median"] <= 28, f"median peak on day {n['peak_day_median']:.0f}"),
        Check(f"it falls silent in about three months (median time to silence {lo}-{hi} days; "
              "silence = 7-day mean below 20% of its peak for good)",
              lo <= n["silence_median"] <= hi, f"median {n['silence_median']:.0f} days",
              essential=True),
        Check(f"most unmanaged groups fall silent within {d.days} days (share silent: interval "
              "above 80%)", share.above(0.8), share.text(".0%")),
        Check("operating the group (content, check-in, an answering owner) keeps more activity "
              "at day 90 (interval above 0)", kept.above(), kept.pp()),
    ]
    finding = [
        f"Unmanaged, a group peaks on day {n['peak_day_median']:.0f} (median) and falls silent "
        f"after a median {n['silence_median']:.0f} days; {share.text('.0%')} of runs are "
        f"silent within {d.days} days.",
        f"At day 90 it keeps {base_kept.text('.0%')} of its peak activity.",
        f"{d.label(OPS).capitalize()}, it keeps {kept.pp()} more of its peak at day 90, and "
        f"{ops_silent.text('.0%')} of operated runs fall silent within {d.days} days.",
    ]
    return Analysis(kept, "activity kept at day 90, operated - unmanaged", checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    traces = plots.daily_lines(d, "messages")
    silence = a.numbers["silence_median"]
    fig = plots.panels("members' messages a day (7-day mean)", traces,
                       "share of runs silent by the last day",
                       [plots.estimate_bars({d.label(REF): a.numbers.estimates["silent_share"],
                                             d.label(OPS): a.numbers.estimates[
                                                 "silent_share_operated"]},
                                            [plots.arm_color(d, REF), plots.arm_color(d, OPS)],
                                            100)],
                       "messages", "% of runs")
    if np.isfinite(silence):
        fig.add_vline(x=silence, line={"dash": "dot", "color": "#636363"}, row=1, col=1,
                      annotation_text=f"median silence, day {silence:.0f}")
    fig.add_vrect(x0=WINDOW[0], x1=WINDOW[1], fillcolor="#bbb", opacity=0.15, line_width=0,
                  row=1, col=1, annotation_text="~3 months", annotation_position="top left")
    return fig


LESSON = Lesson(
    name="silence_law", principle="P1", title="The three-month silence law (3个月沉寂定律)",
    claim="Most groups are lively at first and fall silent within about three months; so the "
          "operator must recruit, activate, retain and convert (拉新、促活、留存、转化).",
    arms=ARMS, reference=REF, treatment=OPS, analyze=analyze, plot=plot,
    try_next=("attention_decay=0.0125", "members' attention fades half as fast: does the law "
              "still hold, and after how long?"),
    days=180, replicates=120)

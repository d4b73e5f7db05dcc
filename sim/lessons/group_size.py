"""P12, group size and the small-group effect (小群效应): big groups are loose and silent."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

SIZES = (50, 100, 200, 350, 500)
ARMS = {f"{s} invited": {"group_size": s} for s in SIZES}
REF, BIG, MID = "200 invited", "500 invited", "350 invited"


def sizes(d: Runs) -> dict[str, int]:
    """People invited per arm as run (a --set may change the biggest), smallest first."""
    size = {a: d.param(a, "group_size") for a in ARMS}
    return dict(sorted(size.items(), key=lambda kv: kv[1]))


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    size = sizes(d)
    spoken = {a: n.put(f"spoken_d90_{a}", d.mean(a, "ever_spoken_share_d90")) for a in size}
    engaged = {a: n.put(f"engaged_{a}", d.mean(a, "engaged_members")) for a in size}
    big = d.label(BIG)
    drop = n.put("spoken_d90_big_vs_200", d.diff(BIG, REF, "ever_spoken_share_d90"))
    loose = n.put("ties_big_vs_200", d.diff(BIG, REF, "tie_density"))
    e = {a: d.values(a, "engaged_members") for a in size}
    # engaged members gained per extra invitee: the two smallest sizes against the two biggest
    (s1, s2), (b1, b2) = list(size)[:2], list(size)[-2:]
    gain_big = (e[b2] - e[b1]) / max(size[b2] - size[b1], 1)
    gain_small = (e[s2] - e[s1]) / max(size[s2] - size[s1], 1)
    level = n.put("engaged_gain_big_minus_half_small", Estimate.of(gain_big - 0.5 * gain_small))
    optimum = n.put("engaged_350_vs_200", d.diff(MID, REF, "engaged_members"))
    means = [spoken[a].mean for a in size]
    falls = all(x > y for x, y in zip(means, means[1:]))
    checks = [
        Check(f"the share who spoke by day 90 falls at every step up in size, and {big} vs "
              f"{REF} is lower (interval below 0)", falls and drop.below(), drop.pp(),
              essential=True),
        Check(f"big groups are loose: tie density at {big} vs {REF} is lower (interval below 0)",
              loose.below(), loose.text("+.4f")),
        Check(f"engaged members level off: an extra invitee from {size[b1]} to {size[b2]} adds "
              f"less than half of what one adds from {size[s1]} to {size[s2]} (interval below 0)",
              level.below(), level.text("+.3f")),
        Check(f"150-200 is best: a {MID} group has no more engaged members than a {REF} group "
              "(interval not above 0)", not optimum.above(), optimum.text("+.1f")),
    ]
    finding = [
        "Share who spoke by day 90: " + ", ".join(f"{spoken[a].mean:.0%} ({d.label(a)})"
                                                  for a in size)
        + f"; {big} vs {REF}, paired: {drop.pp()}.",
        "Engaged members (3+ messages in the quarter): "
        + ", ".join(f"{engaged[a].mean:.0f}" for a in size)
        + f"; {MID} vs {REF}: {optimum.text('+.1f')}.",
        f"Tie density {big} vs {REF}: {loose.text('+.4f')}.",
    ]
    notes = []
    if optimum.above():
        notes.append("Where the model parts from the article: engaged members keep growing past "
                     "200, only more slowly; the model has diminishing returns to size, not an "
                     "optimum at 150-200. Splitting big groups (size_cap) is how it gains.")
    return Analysis(drop, f"share spoken by day 90, {big} - {REF}", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = a.numbers.estimates
    size = sizes(d)
    x = list(size.values())
    spoken = [est[f"spoken_d90_{arm}"].mean * 100 for arm in size]
    engaged = [est[f"engaged_{arm}"] for arm in size]
    left = [go.Scatter(x=x, y=spoken, mode="lines+markers", name="% spoke by day 90",
                       line={"color": plots.COLORS[1]})]
    right = [go.Scatter(x=x, y=[e.mean for e in engaged], mode="lines+markers",
                        name="engaged members", line={"color": plots.COLORS[2]},
                        error_y={"type": "data", "symmetric": False,
                                 "array": np.array([e.hi - e.mean for e in engaged]),
                                 "arrayminus": np.array([e.mean - e.lo for e in engaged])})]
    fig = plots.panels("share who spoke by day 90", left, "engaged members (3+ messages)",
                       right, "% of members", "members", left_x="people invited")
    fig.update_xaxes(title_text="people invited", row=1, col=2)
    fig.add_vrect(x0=150, x1=200, fillcolor="#2ca02c", opacity=0.12, line_width=0, row=1, col=2,
                  annotation_text="'best' 150-200", annotation_position="top left")
    return fig


LESSON = Lesson(
    name="group_size", principle="P12", title="Group size and the small-group effect (小群效应)",
    claim="At most 350 members per group, 150-200 is best (WeChat and QQ cap groups at 500). "
          "'Big groups are loose and silent, small groups are tight and active' (小群效应).",
    arms=ARMS, reference=REF, treatment=BIG, analyze=analyze, plot=plot,
    try_next=("size_cap=200", "split every group that grows past 200: does size still matter?"),
    days=120, replicates=30)

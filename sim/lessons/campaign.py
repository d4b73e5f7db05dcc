"""P19, a concrete campaign: 10 groups in two weeks, each 200+ members, half of them spoken."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs, rank_corr

REF, CAMPAIGN = "recruiting only", "recruit + activate"
# the article's operator: 10 groups, a few dozen members each after the first posts, then
# recruiting at the friend-add limit of about 20 a day (P18)
WORLD = {"n_groups": 10, "group_size": 50, "recruit_per_day": 20.0}
ARMS = {
    REF: {},
    # activation: 2 shills, a daily check-in, daily knowledge posts, an owner who answers and
    # @-mentions members
    CAMPAIGN: {"shills": 2, "checkin": True, "content_every": 1, "owner_answer_share": 0.9,
               "owner_mentions": 3.0},
}
MEMBERS, SPOKEN = 200, 0.5  # the targets
DEADLINE = 14  # days


def at_deadline(d: Runs, arm: str):
    """Per-group rows on the last day of the campaign, with whether each target is met."""
    g = d.groups[(d.groups.arm == arm) & (d.groups.day == DEADLINE - 1)].copy()
    g["big"] = g.members >= MEMBERS
    g["spoken"] = g.ever_spoken_share >= SPOKEN
    g["both"] = g.big & g.spoken
    return g


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    per_seed = {a: at_deadline(d, a).groupby("seed") for a in ARMS}
    members = {a: n.put(f"members_per_group_{a}", Estimate.of(per_seed[a].members.mean()))
               for a in ARMS}
    spoken = {a: n.put(f"spoken_{a}", Estimate.of(per_seed[a].ever_spoken_share.mean()))
              for a in ARMS}
    groups_ok = n.put("groups_meeting_both", Estimate.of(per_seed[CAMPAIGN].both.mean()))
    big = n.put("groups_big_enough", Estimate.of(per_seed[CAMPAIGN].big.mean()))
    talked = n.put("groups_spoken_enough", Estimate.of(per_seed[CAMPAIGN].spoken.mean()))
    runs_ok = n.put("runs_all_ten", Estimate.of(per_seed[CAMPAIGN].both.all().astype(float)))
    gain = n.put("spoken_gain", Estimate.of(per_seed[CAMPAIGN].ever_spoken_share.mean()
                                            - per_seed[REF].ever_spoken_share.mean()))
    cost = n.put("cost", d.mean(CAMPAIGN, "cost"))
    m, s = members[CAMPAIGN], spoken[CAMPAIGN]
    n_groups = d.param(CAMPAIGN, "n_groups")
    checks = [
        Check(f"the average group has {MEMBERS}+ members on day {DEADLINE} (mean at least "
              f"{MEMBERS})", m.mean >= MEMBERS, m.text(",.0f")),
        Check(f"in the average group at least {SPOKEN:.0%} have spoken by day {DEADLINE}",
              s.mean >= SPOKEN, s.text(".1%")),
        Check(f"the campaign's goal: all {n_groups} groups meet both targets in at least half the "
              "runs", runs_ok.mean >= 0.5, f"{runs_ok.mean:.0%} of runs"),
    ]
    finding = [
        f"Recruiting only: {members[REF].mean:.0f} members a group on day {DEADLINE}, "
        f"{spoken[REF].mean:.0%} spoken.",
        f"{d.label(CAMPAIGN).capitalize()}: {m.text(',.0f')} members a group and {s.text('.1%')} "
        f"spoken (activation adds {gain.pp()}).",
        f"{groups_ok.text('.0%')} of groups meet both targets ({big.mean:.0%} reach "
        f"{MEMBERS} members, {talked.mean:.0%} reach {SPOKEN:.0%} spoken); all {n_groups} at "
        f"once in {runs_ok.mean:.0%} of runs, at a cost of {cost.mean:,.0f} yuan.",
    ]
    pull = n.put("corr_members_spoken", Estimate.of(
        [rank_corr(g.members, g.ever_spoken_share) for _, g in per_seed[CAMPAIGN]]))
    notes = []
    if pull.below():
        notes.append(f"The two targets pull against each other: across a run's groups, size and "
                     f"share spoken rank-correlate by {pull.text('+.2f')}, so the groups that "
                     f"reach {MEMBERS} members are the ones that find {SPOKEN:.0%} hardest.")
    return Analysis(gain, "share spoken by day 14, activation - recruiting only", checks,
                    finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    traces = []
    for arm in ARMS:
        g = at_deadline(d, arm)
        traces.append(go.Scatter(x=g.members, y=g.ever_spoken_share * 100, mode="markers",
                                 name=d.label(arm), marker={"color": plots.arm_color(d, arm),
                                                            "size": 5, "opacity": 0.5}))
    share = [float(at_deadline(d, arm).both.mean()) * 100 for arm in ARMS]
    bars = go.Bar(x=[d.label(arm) for arm in ARMS], y=share, showlegend=False,
                  marker={"color": [plots.arm_color(d, arm) for arm in ARMS]})
    fig = plots.panels(f"each group on day {DEADLINE}", traces,
                       "groups meeting both targets (%)", [bars], "% of members who spoke",
                       "% of groups", left_x="members")
    fig.add_hline(y=SPOKEN * 100, line={"dash": "dot"}, row=1, col=1)
    fig.add_vline(x=MEMBERS, line={"dash": "dot"}, row=1, col=1)
    fig.update_yaxes(range=[0, max(100.0, float(np.max(share)) + 5)], row=1, col=2)
    return fig


LESSON = Lesson(
    name="campaign", principle="P19", title="The 10 x 200 campaign (两周十个群)",
    claim="Build 10 job-seeker groups in two weeks, each with 200+ members, at least 50% of "
          "whom have spoken at least once (覆盖2000流量). After week one each group had only a "
          "few dozen members.",
    arms=ARMS, reference=REF, treatment=CAMPAIGN, analyze=analyze, plot=plot, world=WORLD,
    try_next=("shills=4", "twice the shills: can activation keep up with 20 new members a "
              "day?"),
    days=DEADLINE, replicates=20, record_groups=True)

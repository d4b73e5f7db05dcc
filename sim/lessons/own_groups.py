"""P27, the operator's own groups compete for the same members: a second group for the same
people, or for new people?"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

NEW, SAME = "second group to new people", "second group to the same people"
SAME_FREE = "same people, groups not competing"
SECOND_DAY = 30
WORLD = {"n_groups": 2, "launch_interval": SECOND_DAY, "own_groups_compete": True}
ARMS = {NEW: {"overlap": 0.0}, SAME: {"overlap": 0.5},
        SAME_FREE: {"overlap": 0.5, "own_groups_compete": False}}


def group_members(d: Runs, arm: str, group: int) -> np.ndarray:
    """Members of the operator's ``group``-th group on the last day, one value per seed."""
    g = d.groups[(d.groups.arm == arm) & (d.groups.day == d.days - 1) & (d.groups.group == group)]
    return g.sort_values("seed").members.to_numpy(dtype=float)


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    first = {a: group_members(d, a, 0) for a in ARMS}
    lost = n.put("first_group_members", Estimate.of(first[SAME] - first[NEW]))
    people = {a: d.on_day(a, "people") for a in ARMS}
    reach = n.put("people_reached", Estimate.of(people[SAME] - people[NEW]))
    talk = n.put("messages", d.diff(SAME, NEW, "total_messages"))
    both = n.put("members_both", Estimate.of(d.on_day(SAME, "members") - d.on_day(NEW, "members")))
    rule = n.put("members_competition", Estimate.of(d.on_day(SAME, "members")
                                                     - d.on_day(SAME_FREE, "members")))
    share = d.param(SAME, "overlap")
    k = d.param(SAME, "groups_active")
    checks = [
        Check(f"inviting the same people to a second group on day {SECOND_DAY} costs the first "
              f"group members by day {d.days}, against a second group for new people (interval "
              "below 0)", lost.below(), lost.text("+.1f"), essential=True),
        Check(f"the two groups reach fewer people at day {d.days} (interval below 0)",
              reach.below(), reach.text("+.1f")),
        Check(f"and carry fewer members' messages over {d.days} days (interval below 0)",
              talk.below(), talk.text("+,.0f")),
    ]
    finding = [
        f"With {share:.0%} of the second group's invitations going to people invited to the "
        f"first, and people active in about {k} groups, the first group's members at day "
        f"{d.days} change by {lost.text('+.1f')}, the people the two groups reach by "
        f"{reach.text('+.1f')} and members' messages by {talk.text('+,.0f')}, against a second "
        "group for new people.",
        f"Of the {both.text('+.1f')} members over both groups, the competition between them "
        f"(a member who "
        f"joins the second drops the first or attends it less) accounts for "
        f"{rule.text('+.1f')}; the rest is that a group for the same people finds fewer "
        "new ones: the main price of a second group for one audience is the people it does not "
        "reach, not the members it takes from the first.",
    ]
    return Analysis(lost, f"first group's members at day {d.days}, same people - new people",
                    checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {"first group's members": a.numbers.estimates["first_group_members"],
           "people reached": a.numbers.estimates["people_reached"]}
    fig = plots.panels("people in the operator's groups", plots.daily_lines(d, "people", smooth=1),
                       "same people - new people, at the end", [plots.estimate_bars(est)],
                       "people", "difference")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="own_groups", principle="P27", title="The operator's own groups compete (小群体)",
    claim="People are active in only 4-6 small groups (用户活跃在4-6个小群体中): a second group "
          "for the same audience competes with the first for their attention.",
    arms=ARMS, reference=NEW, treatment=SAME, analyze=analyze, plot=plot,
    try_next=("overlap=0.9", "almost all the second group's invitees from the first: what is "
              "left of the first group?"),
    world=WORLD, days=120, replicates=40, record_groups=True)

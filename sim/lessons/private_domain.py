"""P11, the private domain (私域): members who add the operator as a friend are not lost with the
group; the friend list follows the operator into the next group, and one-to-one chats build trust.
"""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

NONE, FRIENDS, CHATS = "no friend list", "friend list, re-invited", "friend list + chats"
# the first group has gone quiet by day 90 (the silence law, P1) when the operator opens a second
# one; a weekly commercial post measures sales
WORLD = {"n_groups": 2, "launch_interval": 90, "commercial_every": 7}
ARMS = {
    NONE: {},
    FRIENDS: {"friend_share": 0.7, "reinvite_every": 30},
    CHATS: {"friend_share": 0.7, "reinvite_every": 30, "private_chats": 2},
}
SECOND = 90  # the second group's launch day


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    kept = n.put("members_friends", d.diff(FRIENDS, NONE, "members_final"))
    people = n.put("people_friends", Estimate.of(d.on_day(FRIENDS, "people") -
                                                 d.on_day(NONE, "people")))
    late = n.put("messages_second_half_friends", Estimate.of(
        d.window(FRIENDS, "messages", SECOND, d.days) - d.window(NONE, "messages", SECOND, d.days)))
    reinvite_cost = n.put("cost_friends", d.diff(FRIENDS, NONE, "cost"))
    trust = n.put("trust_chats", d.diff(CHATS, FRIENDS, "mean_trust_final"))
    sales = n.put("conversions_chats", d.diff(CHATS, FRIENDS, "conversions"))
    paid = n.put("net_chats", Estimate.of(
        (d.values(CHATS, "revenue") - d.values(FRIENDS, "revenue")) -
        (d.values(CHATS, "cost") - d.values(FRIENDS, "cost"))))
    chats_cost = n.put("cost_chats", d.diff(CHATS, FRIENDS, "cost"))
    share = d.param(FRIENDS, "friend_share")
    checks = [
        Check(f"with {share:.0%} of joiners on the operator's friend list, re-invited one to one, "
              f"the operator holds more members at the end (interval above 0)", kept.above(),
              kept.text("+,.1f"), essential=True),
        Check(f"and the groups talk more after the second group opens on day {SECOND} "
              f"(messages over days {SECOND}-{d.days - 1}, interval above 0)", late.above(),
              late.text("+,.0f")),
        Check(f"{d.param(CHATS, 'private_chats'):g} one-to-one chats a day in each group raise "
              f"members' trust (interval above 0)", trust.above(), trust.text("+.3f")),
        Check("and the chats pay for the operator's time: extra sales revenue minus their cost "
              "above 0", paid.above(), paid.text("+,.0f", unit=" yuan")),
    ]
    finding = [
        f"With {share:.0%} of joiners on the friend list and a one-to-one invitation every "
        f"{d.param(FRIENDS, 'reinvite_every'):g} days, the operator ends with "
        f"{kept.text('+,.1f')} more members (seats in both groups) and "
        f"{people.text('+,.1f')} more distinct people" + (
            ": the friends who follow into the second group are mostly the same people, now in "
            "two groups. " if abs(people.mean) < 0.1 * abs(kept.mean) else ". ") +
        f"Messages over days {SECOND}-"
        f"{d.days - 1} change by {late.text('+,.0f')}; the re-invitations cost "
        f"{reinvite_cost.text(',.0f', unit=' yuan')}.",
        f"{d.param(CHATS, 'private_chats'):g} one-to-one chats a day per group (on top of the "
        f"friend list) change mean trust by {trust.text('+.3f')} and "
        f"buyers by {sales.text('+.2f')}, for {chats_cost.text(',.0f', unit=' yuan')} of "
        f"operator time: net {paid.text('+,.0f', unit=' yuan')}.",
    ]
    return Analysis(kept, "members at the end, friend list - none", checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.panels("members present (all groups)", plots.daily_lines(d, "members", smooth=1),
                        "members' messages a day (7-day mean)", plots.daily_lines(d, "messages"),
                        "members", "messages")


LESSON = Lesson(
    name="private_domain", principle="P11", title="The private domain (私域)",
    claim="Have everyone who joins add you on WeChat (进群的人一定要沉淀到自己的私域流量): "
          "people who only scan the group's QR code are lost when the group dissolves; "
          "friends can be invited again, and talked to one to one.",
    arms=ARMS, reference=NONE, treatment=FRIENDS, analyze=analyze, plot=plot,
    try_next=("fit_width=1.0", "topics matter less (every member fits any group): do the "
              "friends who follow into the second group, on another topic, then add talk?"),
    world=WORLD, days=180, replicates=40)

"""P27, competition between groups for the same members: a rival group launched on day 30."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

REF, RIVAL = "no rival", "a rival from day 30"
POSTS, BOTH = "knowledge posts, no rival", "knowledge posts and a rival"
RIVAL_ON = {"rival_reach": 0.02, "rival_start": 30.0}
POSTS_ON = {"content_every": 2}
ARMS = {REF: {}, RIVAL: RIVAL_ON, POSTS: POSTS_ON, BOTH: {**RIVAL_ON, **POSTS_ON}}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    start = int(d.param(RIVAL, "rival_start"))
    members = {a: d.on_day(a, "members") for a in ARMS}
    talk = {a: d.window(a, "messages", start, d.days) for a in ARMS}
    lost = n.put("members_rival", Estimate.of(members[RIVAL] - members[REF]))
    share = n.put("members_rival_share",
                  Estimate.of((members[RIVAL] - members[REF]) / members[REF]))
    quiet = n.put("messages_rival", Estimate.of(talk[RIVAL] - talk[REF]))
    quiet_share = (talk[RIVAL] - talk[REF]) / talk[REF]
    n.put("messages_rival_share", Estimate.of(quiet_share))
    gap = n.put("talk_minus_members_share", Estimate.of(
        quiet_share - (members[RIVAL] - members[REF]) / members[REF]))
    lost_posts = n.put("members_rival_with_posts", Estimate.of(members[BOTH] - members[POSTS]))
    defended = n.put("members_saved_by_posts", Estimate.of(
        (members[BOTH] - members[POSTS]) - (members[RIVAL] - members[REF])))
    reach = d.param(RIVAL, "rival_reach")
    k = d.param(RIVAL, "groups_active")
    checks = [
        Check(f"a rival that reaches {reach:.0%} of the active members a day from day {start} "
              f"leaves fewer members at day {d.days} (interval below 0)", lost.below(),
              lost.text("+.1f"), essential=True),
        Check(f"it costs a smaller share of members' messages from day {start} on than of "
              "members (it takes those whose attention had faded): share of messages lost - "
              "share of members lost above 0", gap.above(), gap.pp()),
        Check("a group that keeps its members' attention (a knowledge post every "
              f"{d.param(BOTH, 'content_every')} days) loses fewer members to the same rival "
              "(difference of the two losses above 0)", defended.above(), defended.text("+.1f")),
    ]
    finding = [
        f"People are active in about {k} groups; a rival reaching {reach:.0%} of the active "
        f"members a day from day {start} changes the members at day {d.days} by "
        f"{lost.text('+.1f')} ({share.text('+.1f', 100, '%')} of the group) and members' "
        f"messages from day {start} on by {quiet.text('+,.0f')}.",
        f"With a knowledge post every {d.param(BOTH, 'content_every')} days the same rival "
        f"changes the members by {lost_posts.text('+.1f')}: the posts keep "
        f"{defended.text('+.1f')} members the rival would have taken.",
        "Those the rival takes are mostly members whose attention had already faded, so the "
        f"talk changes by {n.estimates['messages_rival_share'].text('+.1f', 100, '%')}, far "
        "less than the membership: a head count overstates what a rival costs.",
    ]
    notes = ["Assumptions: the rival's reach (2% a day) is ours, no article gives one; and the "
             "group a member drops is likelier the one whose attention has faded (2(1 - a)/(k + "
             "1)). The third check rests on that second assumption: it is what lets attention, "
             "and so content, protect a group. --set rival_drop_attention=0 makes people drop "
             "one of their groups at random instead."]
    return Analysis(lost, f"members at day {d.days}, rival - no rival", checks, finding, n,
                    notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.panels("members in the group", plots.daily_lines(d, "members", smooth=1),
                        "members' messages a day (7-day mean)", plots.daily_lines(d, "messages"),
                        "members", "messages")


LESSON = Lesson(
    name="rivals", principle="P27", title="Rival groups compete for the same members",
    claim="People are active in only 4-6 small groups (用户活跃在4-6个小群体中), so a group "
          "competes with every other group its members sit in: a rival group takes attention "
          "and members, and a group that keeps giving its members something holds them.",
    arms=ARMS, reference=REF, treatment=RIVAL, analyze=analyze, plot=plot,
    try_next=("rival_drop_attention=0", "people drop one of their groups at random, "
              "whatever their attention: can knowledge posts still defend the group?"),
    days=120, replicates=40)

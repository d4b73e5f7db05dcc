"""P24, poaching (私加好友, 私拉小群): members who pull others into their own groups, and the
operator's moderation that catches them."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

NONE, POACHED, CAUGHT = "no poachers", "2% poachers", "2% poachers, moderated"
SHARE = 0.02
ARMS = {
    NONE: {},
    POACHED: {"share_poachers": SHARE},
    CAUGHT: {"share_poachers": SHARE, "moderation": 0.2},
}
# no spammers, so that moderation acts on poachers alone and the comparison is about poaching
WORLD = {"share_spammers": 0.0}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    lost = n.put("members_poached_vs_none", d.diff(POACHED, NONE, "members_final"))
    left = n.put("churned_poached_vs_none", d.diff(POACHED, NONE, "churned"))
    muted = n.put("muted_poached_vs_none",
                  Estimate.of(d.on_day(POACHED, "muted") - d.on_day(NONE, "muted")))
    talk = n.put("messages_poached_vs_none", d.diff(POACHED, NONE, "total_messages"))
    saved = n.put("members_caught_vs_poached", d.diff(CAUGHT, POACHED, "members_final"))
    saved_left = n.put("churned_caught_vs_poached", d.diff(CAUGHT, POACHED, "churned"))
    kicked = n.put("kicked_caught", Estimate.of(d.on_day(CAUGHT, "kicked")))
    cost = n.put("cost_caught", d.mean(CAUGHT, "cost"))
    for arm in ARMS:
        n.put(f"members_{arm}", d.mean(arm, "members_final"))
    checks = [
        Check(f"poachers cost the group members: fewer present at day {d.days} than without "
              "them (interval below 0)", lost.below(), lost.text("+.1f"), essential=True),
        Check("more members leave (interval above 0)", left.above(), left.text("+.1f")),
        Check("and more of those who stay mute the group: their talk moved to the splinter group "
              "(interval above 0)", muted.above(), muted.text("+.1f")),
        Check("moderation that catches poachers keeps members: more present at the end than "
              "with poachers left alone (interval above 0)", saved.above(), saved.text("+.1f"),
              essential=True),
    ]
    finding = [
        f"With {SHARE:.0%} of invitees poaching privately (each approaching "
        f"{d.param(POACHED, 'poach_rate'):g} a day, {d.param(POACHED, 'poach_success'):.0%} of "
        "them pulled away), "
        f"the group has {lost.text('+.1f')} members at day {d.days}: {left.text('+.1f')} more "
        f"left and {muted.text('+.1f')} more muted it; members' messages change by "
        f"{talk.text('+,.0f')}.",
        f"Moderation (a daily chance {d.param(CAUGHT, 'moderation'):g} x "
        f"{d.param(CAUGHT, 'poach_visibility'):g} of catching each poacher, "
        f"{kicked.mean:.1f} removed per group) changes the members kept by {saved.text('+.1f')} "
        f"and those who leave by {saved_left.text('+.1f')}, for {cost.mean:,.0f} yuan of "
        "moderator time.",
    ]
    return Analysis(saved, "members at the end, moderated - unmoderated poachers", checks,
                    finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.members_and_final(d, {arm: a.numbers.estimates[f"members_{arm}"]
                                       for arm in ARMS})


LESSON = Lesson(
    name="poaching", principle="P24", title="Poaching: private friending and splinter groups "
    "(私加好友、私拉小群)",
    claim="Some members make trouble: they post ads, privately add other members as friends "
          "and pull them into small groups of their own (私加好友,私拉小群). The operator must "
          "deal with them at once (你就要及时处理), or the group loses its members to them.",
    arms=ARMS, reference=NONE, treatment=CAUGHT, analyze=analyze, plot=plot, world=WORLD,
    try_next=("poach_visibility=0.1", "members seldom report being poached: does moderation "
              "still catch poachers in time?"),
    days=120, replicates=40)

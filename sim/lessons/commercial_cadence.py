"""P15, the cadence of commercial content: selling must never appear every day."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

NONE, WEEKLY, DAILY = "no selling", "weekly", "daily"
ARMS = {NONE: {}, WEEKLY: {"commercial_every": 7}, DAILY: {"commercial_every": 1}}
LATE = 60  # the last days, where the damage to the group shows in the till


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    kept = n.put("retention_d90_daily_vs_weekly", d.diff(DAILY, WEEKLY, "retention_d90"))
    lost = {a: d.values(a, "churned") + d.on_day(a, "muted") for a in ARMS}
    gone = n.put("left_or_muted_daily_vs_weekly", Estimate.of(lost[DAILY] - lost[WEEKLY]))
    revenue = n.put("revenue_daily_vs_weekly", d.diff(DAILY, WEEKLY, "revenue"))
    late = {a: d.on_day(a, "revenue") - d.on_day(a, "revenue", d.days - LATE - 1) for a in ARMS}
    late_diff = n.put("late_revenue_daily_vs_weekly", Estimate.of(late[DAILY] - late[WEEKLY]))
    often = d.label(DAILY)
    for arm in (WEEKLY, DAILY):
        n.put(f"revenue_{arm}", d.mean(arm, "revenue"))
        n.put(f"members_final_{arm}", d.mean(arm, "members_final"))
    checks = [
        Check(f"selling {often} keeps less of the group's activity at day 90 than weekly "
              "(interval below 0)", kept.below(), kept.pp(), essential=True),
        Check(f"selling {often} drives more members to leave or mute by day {d.days} "
              "(interval above 0)", gone.above(), gone.text("+.1f")),
        Check(f"it does not pay: selling {often} earns no more over {d.days} days than weekly "
              "(interval not above 0)", not revenue.above(), revenue.text("+,.0f", unit=" yuan")),
    ]
    finding = [
        f"Commercial posts {often} vs weekly: activity kept at day 90 {kept.pp()}; members who "
        f"left or muted by day {d.days} {gone.text('+.1f')}.",
        f"Revenue over {d.days} days: {n[f'revenue_{WEEKLY}']:,.0f} yuan weekly, "
        f"{n[f'revenue_{DAILY}']:,.0f} yuan {often} (paired difference "
        f"{revenue.text('+,.0f')}); in the last {LATE} days alone the difference is "
        f"{late_diff.text('+,.0f')} yuan.",
        f"Members left at day {d.days}: {n[f'members_final_{WEEKLY}']:.0f} weekly, "
        f"{n[f'members_final_{DAILY}']:.0f} {often}.",
    ]
    tolerance = d.param(WEEKLY, "commercial_tolerance")
    notes = [f"An assumption decides the weekly arm: members are annoyed only by commercial posts "
             f"closer together than {tolerance} days (commercial_tolerance = {tolerance}, a "
             f"guess: P15 says only 'never every day'). Weekly selling sits at that tolerance, so "
             f"here it costs the group nothing: the result depends on the tolerance (try --set "
             f"commercial_tolerance=14), and it does not show that weekly ads are free "
             f"(`commsim lesson selling_tolerance` runs weekly selling at a tolerance of 14 "
             f"days, against no selling)."]
    if revenue.above():
        notes.append(f"Where the model parts from the article: within {d.days} days "
                     f"selling {often} still earns more, because it sells to the group before "
                     "the group leaves; the cost is the group itself"
                     + (", and by the last months it earns less than weekly selling."
                        if late_diff.below() else "."))
    return Analysis(kept, f"activity kept at day 90, {often} - weekly selling", checks, finding,
                    n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.panels("members present", plots.daily_lines(d, "members", smooth=1),
                        "revenue so far (yuan)", plots.daily_lines(d, "revenue", [WEEKLY, DAILY],
                                                                   smooth=1),
                        "members", "yuan", left_x="day")


LESSON = Lesson(
    name="commercial_cadence", principle="P15", title="Cadence of commercial content (商业信息)",
    claim="Content need not be daily, but commercial messages must never appear every day "
          "(商业信息一定不能每天都出现): too much selling gets the account muted or blocked "
          "(屏蔽).",
    arms=ARMS, reference=WEEKLY, treatment=DAILY, analyze=analyze, plot=plot,
    try_next=("commercial_every=3", "sell every third day instead of daily: is there a cadence "
              "that earns more without emptying the group?"),
    days=180, replicates=40)

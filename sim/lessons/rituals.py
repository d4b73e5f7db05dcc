"""P16, habit and rhythm: a fixed daily ritual (打卡, Luoji Siwei's 6:20 voice message)."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

REF, RITUAL, STOPPED = "no ritual", "daily check-in", "check-in, stopped at day 60"
STOP = 60
ARMS = {REF: {}, RITUAL: {"checkin": True}, STOPPED: {"checkin": True, "checkin_end": float(STOP)}}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    early = n.put("spoken_d14_checkin", d.diff(RITUAL, REF, "ever_spoken_share_d14"))
    kept = n.put("retention_d90_checkin", d.diff(RITUAL, REF, "retention_d90"))
    after = n.put("messages_after_stop", Estimate.of(
        d.window(STOPPED, "messages", STOP, d.days) - d.window(REF, "messages", STOP, d.days)))
    base = n.put("spoken_d14_none", d.mean(REF, "ever_spoken_share_d14"))
    cost = n.put("cost_checkin", d.mean(RITUAL, "cost"))
    checks = [
        Check("a daily check-in raises the share of members who spoke by day 14 (interval above "
              "0)", early.above(), early.pp()),
        Check("it keeps more of the group's activity at day 90: a habit (interval above 0)",
              kept.above(), kept.pp(), essential=True),
        Check(f"the habit outlasts the ritual: after it stops on day {STOP}, members still post "
              f"more in days {STOP}-{d.days} than in a group that never had one (interval above "
              "0)", after.above(), after.text("+,.0f")),
    ]
    finding = [
        f"Without a ritual {base.mean:.0%} of members have spoken by day 14; "
        f"{d.label(RITUAL)} adds {early.pp()}.",
        f"Activity kept at day 90: {kept.pp()} with {d.label(RITUAL)}, for {cost.mean:,.0f} "
        "yuan of the operator's time.",
        f"Check-in stopped at day {STOP}: members' messages in days {STOP}-{d.days} against a "
        f"group that never had one: {after.text('+,.0f')}.",
    ]
    return Analysis(kept, "activity kept at day 90, check-in - none", checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {"spoke by day 14": a.numbers.estimates["spoken_d14_checkin"],
           "kept at day 90": a.numbers.estimates["retention_d90_checkin"]}
    fig = plots.panels("members' messages a day (7-day mean)", plots.daily_lines(d, "messages"),
                       "daily check-in vs none",
                       [plots.estimate_bars(est, [plots.COLORS[1]] * 2, 100)],
                       "messages", "percentage points")
    fig.add_vline(x=STOP, line={"dash": "dot", "color": "#999"}, row=1, col=1,
                  annotation_text="ritual stops")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="rituals", principle="P16", title="Habit and rhythm: the daily check-in (打卡)",
    claim="A fixed daily ritual builds habit: Luoji Siwei (罗辑思维) posted a voice message at "
          "about 6:20 every morning; a daily check-in (打卡) does the same in a group.",
    arms=ARMS, reference=REF, treatment=RITUAL, analyze=analyze, plot=plot,
    try_next=("checkin_habit=0.0", "a ritual that builds no habit: how much of the effect is "
              "the habit and how much the daily post itself?"),
    days=120, replicates=80)

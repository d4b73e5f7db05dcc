"""P17, waking sleepers: red packets (红包), offline events and leaders (灵魂人物)."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

REF, RED, EVENTS, LEADERS = "nothing", "weekly red packets", "offline events", "3 leaders"
ARMS = {REF: {}, RED: {"red_packet_every": 7}, EVENTS: {"event_every": 14},
        LEADERS: {"leaders": 3}}
LATE = 90  # from this day on a group is mostly asleep; who wakes it?


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    muted = n.put("muted_red", Estimate.of(d.on_day(RED, "muted") - d.on_day(REF, "muted")))
    late = {a: d.window(a, "messages", LATE, d.days) for a in ARMS}
    wake = {a: n.put(f"late_messages_{a}", Estimate.of(late[a] - late[REF]))
            for a in (RED, EVENTS, LEADERS)}
    total = {a: d.values(a, "total_messages") - d.values(REF, "total_messages")
             for a in (RED, EVENTS, LEADERS)}
    lead = n.put("messages_leaders", Estimate.of(total[LEADERS]))
    per_msg = {a: float(d.values(a, "cost").mean() / max(total[a].mean(), 1e-9))
               for a in (RED, EVENTS, LEADERS)}
    checks = [
        Check(f"{d.label(RED)} wake sleepers: fewer members muted at day {d.days} "
              "(interval below 0)", muted.below(), muted.text("+.1f"), essential=True),
        Check(f"red packets raise members' messages in days {LATE}-{d.days} (interval above 0)",
              wake[RED].above(), wake[RED].text("+,.0f")),
        Check(f"offline events raise members' messages in days {LATE}-{d.days} (interval above "
              "0)", wake[EVENTS].above(), wake[EVENTS].text("+,.0f")),
        Check(f"leaders who give value raise members' messages over {d.days} days (interval "
              "above 0)", lead.above(), lead.text("+,.0f")),
    ]
    finding = [
        f"{d.label(RED).capitalize()} change the muted members at day {d.days} by "
        f"{muted.text('+.1f')}.",
        f"Extra members' messages in days {LATE}-{d.days}: "
        + "; ".join(f"{d.label(a)} {wake[a].text('+,.0f')}" for a in wake) + ".",
        "Operator's cost per extra message over the run: "
        + ", ".join(f"{d.label(a)} {per_msg[a]:.2f} yuan" for a in per_msg) + ".",
    ]
    return Analysis(muted, "muted members at the end, red packets - nothing", checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    arms = (RED, EVENTS, LEADERS)
    est = {arm: a.numbers.estimates[f"late_messages_{arm}"] for arm in arms}
    fig = plots.panels("muted members", plots.daily_lines(d, "muted", smooth=1),
                       f"extra members' messages, days {LATE}-{d.days}",
                       [plots.arm_bars(d, est)],
                       "members muted", "messages vs nothing")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="red_packets", principle="P17", title="Waking sleepers: red packets (红包), events, "
    "leaders",
    claim="Red packets (红包, small cash gifts) wake dormant members (激活沉睡的群友); "
          "self-organised offline events bring them together; and a community needs leaders, "
          "'soul figures' who give value.",
    arms=ARMS, reference=REF, treatment=RED, analyze=analyze, plot=plot,
    try_next=("red_packet_every=30", "one red packet a month instead of weekly: is waking "
              "sleepers about the money or the rhythm?"),
    days=180, replicates=40)

"""P5, content is the core (内容为王): a group that waits for members to chat is an empty shell."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Lesson, Numbers, Runs

REF, EVERY3, DAILY = "no content", "every 3 days", "daily"
ARMS = {REF: {}, EVERY3: {"content_every": 3}, DAILY: {"content_every": 1}}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    kept = {a: n.put(f"retention_d90_gain_{i}", d.diff(a, REF, "retention_d90"))
            for i, a in enumerate((EVERY3, DAILY), 1)}
    msgs = n.put("messages_gain_daily", d.diff(DAILY, REF, "total_messages"))
    silent = n.put("silent_change_daily", d.diff(DAILY, REF, "silent"))
    base = n.put("retention_d90_none", d.mean(REF, "retention_d90"))
    cost = n.put("cost_daily", d.mean(DAILY, "cost"))
    checks = [
        Check("daily knowledge posts keep more activity at day 90 (interval above 0)",
              kept[DAILY].above(), kept[DAILY].pp(), essential=True),
        Check(f"daily posts raise members' messages over {d.days} days (interval above 0)",
              msgs.above(), msgs.text("+,.0f")),
        Check(f"daily posts make fewer groups fall silent within {d.days} days (change in the "
              "share of silent runs: interval below 0)", silent.below(), silent.pp()),
    ]
    finding = [
        f"Without content a group keeps {base.text('.0%')} of its peak activity at day 90.",
        f"Knowledge posts {d.label(EVERY3)} add {kept[EVERY3].pp()} to that; "
        f"{d.label(DAILY)}: {kept[DAILY].pp()}.",
        f"Posts {d.label(DAILY)} add {msgs.text('+,.0f')} members' messages over {d.days} days and "
        f"change the share of groups silent by day {d.days} by {silent.pp()}, for "
        f"{cost.mean:,.0f} yuan of writing.",
    ]
    return Analysis(kept[DAILY], "activity kept at day 90, daily content - none", checks,
                    finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {d.label(EVERY3): a.numbers.estimates["retention_d90_gain_1"],
           d.label(DAILY): a.numbers.estimates["retention_d90_gain_2"]}
    fig = plots.panels("members' messages a day (7-day mean)", plots.daily_lines(d, "messages"),
                       "extra share of peak activity kept at day 90",
                       [plots.estimate_bars(est, [plots.arm_color(d, k) for k in (EVERY3, DAILY)],
                                            100)],
                       "messages", "percentage points vs no content")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="content", principle="P5", title="Content is the core (内容为王)",
    claim="Groups die when they are an empty shell waiting for members to chat. Content keeps "
          "them alive: habit building (daily check-in 打卡, growth levels, best-notes awards) "
          "and knowledge (a daily digest 每日早报, supplementary reading, Q&A).",
    arms=ARMS, reference=REF, treatment=DAILY, analyze=analyze, plot=plot,
    try_next=("owner_depth=0.0", "a shallow owner writes the posts: is it the cadence or the "
              "quality that keeps the group?"),
    days=180, replicates=40)

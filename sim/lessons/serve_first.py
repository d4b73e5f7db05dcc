"""P23, serve before you sell (先服务后索取): a month of content before the first sales post."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

SERVE = 30  # days of service (content only) before the first commercial post
NOW, FIRST = "sell weekly from day 0", f"sell weekly from day {SERVE}"
NOW_DAILY, FIRST_DAILY = "sell daily from day 0", f"sell daily from day {SERVE}"
NOW_EXPECT, FIRST_EXPECT = (f"{NOW}, members expect {SERVE} days of service",
                            f"{FIRST}, members expect {SERVE} days of service")
EXPECT = {"commercial_serve_days": SERVE}  # the assumption under which the advice can win (P23)
ARMS = {
    NOW: {"commercial_every": 7},
    FIRST: {"commercial_every": 7, "commercial_start": float(SERVE)},
    NOW_DAILY: {"commercial_every": 1},
    FIRST_DAILY: {"commercial_every": 1, "commercial_start": float(SERVE)},
    NOW_EXPECT: {"commercial_every": 7, **EXPECT},
    FIRST_EXPECT: {"commercial_every": 7, "commercial_start": float(SERVE), **EXPECT},
}
WORLD = {"content_every": 3}  # the service: the operator's content every three days (P5)


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    start = int(d.param(FIRST, "commercial_start"))
    revenue = n.put("revenue_serve_first_weekly", d.diff(FIRST, NOW, "revenue"))
    revenue_daily = n.put("revenue_serve_first_daily", d.diff(FIRST_DAILY, NOW_DAILY, "revenue"))
    later = {a: d.on_day(a, "revenue") - d.on_day(a, "revenue", start - 1) for a in ARMS}
    after = n.put("revenue_after_start_weekly", Estimate.of(later[FIRST] - later[NOW]))
    talk = {pair: n.put(f"messages_{key}", d.diff(*pair, "total_messages"))
            for key, pair in (("weekly", (FIRST, NOW)), ("daily", (FIRST_DAILY, NOW_DAILY)))}
    kept = n.put("members_final_serve_first_daily", d.diff(FIRST_DAILY, NOW_DAILY,
                                                          "members_final"))
    expect = {col: n.put(f"{col}_serve_first_expected", d.diff(FIRST_EXPECT, NOW_EXPECT, col))
              for col in ("total_messages", "members_final", "revenue")}
    for a in ARMS:
        n.put(f"revenue_{a}", d.mean(a, "revenue"))
        n.put(f"buyers_{a}", d.mean(a, "conversions"))
    daily_talk = talk[FIRST_DAILY, NOW_DAILY]
    checks = [
        Check(f"serving first does not cost sales: {d.days}-day revenue with weekly posts from "
              f"day {start} is not below that from day 0 (interval not below 0)",
              not revenue.below(), revenue.text("+,.0f", unit=" yuan"), essential=True),
        Check(f"a month of service makes the later posts sell better: revenue from day {start} "
              "on is higher when the selling waited (weekly posts, interval above 0)",
              after.above(), after.text("+,.0f", unit=" yuan")),
        Check(f"when the selling is heavy (daily), serving first keeps more of the group's talk "
              f"over {d.days} days (interval above 0)", daily_talk.above(),
              daily_talk.text("+,.0f", unit=" messages")),
        Check(f"if members expect {d.param(NOW_EXPECT, 'commercial_serve_days')} days of service "
              "before any selling (an assumption, commercial_serve_days), serving first keeps "
              f"more of the group's talk over {d.days} days (weekly posts, interval above 0)",
              expect["total_messages"].above(),
              expect["total_messages"].text("+,.0f", unit=" messages")),
    ]
    finding = [
        f"Weekly posts from day {start} instead of day 0: revenue over {d.days} days "
        f"{revenue.text('+,.0f')} yuan ({n[f'buyers_{FIRST}']:.1f} buyers against "
        f"{n[f'buyers_{NOW}']:.1f}); from day {start} on alone {after.text('+,.0f')} yuan; "
        f"members' messages {talk[FIRST, NOW].text('+,.0f')}.",
        f"Daily posts from day {start} instead of day 0: revenue {revenue_daily.text('+,.0f')} "
        f"yuan; messages {daily_talk.text('+,.0f')}; members at day {d.days} "
        f"{kept.text('+.1f')}.",
        f"If members expect {d.param(NOW_EXPECT, 'commercial_serve_days')} days of service "
        f"(every earlier commercial post annoys), weekly posts from day {start} instead of day 0 "
        f"change messages by {expect['total_messages'].text('+,.0f')}, members at day {d.days} "
        f"by {expect['members_final'].text('+.1f')} and revenue by "
        f"{expect['revenue'].text('+,.0f')} yuan.",
        f"Revenue over {d.days} days: " + "; ".join(
            f"{a} {n[f'revenue_{a}']:,.0f} yuan" for a in ARMS) + ".",
    ]
    notes = ["Nothing in the model makes an early commercial post worse than a later one: a "
             "post annoys only when it comes sooner than commercial_tolerance days after the "
             "last, at any age of the group, and buying depends on today's trust and attention, "
             "which selling does not lower at a tolerated cadence. So waiting can only win "
             "where the selling does harm (daily here), and there it wins talk, not money. The "
             "last two arms add the article's reason as an assumption (commercial_serve_days: "
             "every commercial post in a group's first days annoys members); no source gives "
             "its length."]
    return Analysis(revenue, f"revenue over {d.days} days, weekly selling from day {start} - "
                    "from day 0 (yuan)", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.panels("revenue so far (yuan)", plots.daily_lines(d, "revenue", smooth=1),
                        "members' messages a day (7-day mean)", plots.daily_lines(d, "messages"),
                        "yuan", "messages")


LESSON = Lesson(
    name="serve_first", principle="P23", title="Serve before you sell (先服务后索取)",
    claim="Only by starting from members' real needs and serving first, asking later "
          "(先服务后索取), can a community's marketing and management succeed.",
    arms=ARMS, reference=NOW, treatment=FIRST, analyze=analyze, plot=plot, world=WORLD,
    try_next=("commercial_start=60", "two months of service before the first post: how much "
              "revenue does the wait cost?"),
    days=180, replicates=120)

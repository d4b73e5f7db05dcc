"""P10, know every member (ABCD分类法): aim the operator's one-to-one effort at one class."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

NONE, SPREAD, TARGET_A, TARGET_D = "no chats", "spread over all", "A class only", "D class only"
# every joiner is a friend, so the operator can reach anyone one to one; weekly commercial posts
WORLD = {"friend_share": 1.0, "commercial_every": 7}
CHATS = 5  # one-to-one chats a day in the group, the same effort in every arm
ARMS = {
    NONE: {},
    SPREAD: {"private_chats": CHATS},
    TARGET_A: {"private_chats": CHATS, "private_target": "A"},
    TARGET_D: {"private_chats": CHATS, "private_target": "D"},
}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    sales_a = n.put("conversions_a_vs_spread", d.diff(TARGET_A, SPREAD, "conversions"))
    sales_d = n.put("conversions_d_vs_spread", d.diff(TARGET_D, SPREAD, "conversions"))
    sales_spread = n.put("conversions_spread_vs_none", d.diff(SPREAD, NONE, "conversions"))
    talk = n.put("messages_spread_vs_a", d.diff(SPREAD, TARGET_A, "total_messages"))
    talk_a = n.put("messages_a_vs_none", d.diff(TARGET_A, NONE, "total_messages"))
    spoken = n.put("spoken_spread_vs_a", d.diff(SPREAD, TARGET_A, "ever_spoken_share_final"))
    paid = n.put("net_a_vs_none", Estimate.of(
        (d.values(TARGET_A, "revenue") - d.values(NONE, "revenue")) -
        (d.values(TARGET_A, "cost") - d.values(NONE, "cost"))))
    cost = n.put("cost_a", d.mean(TARGET_A, "cost"))
    checks = [
        Check("the same chats aimed at A members (able and willing to buy) sell more than chats "
              "spread over everyone (buyers, interval above 0)", sales_a.above(),
              sales_a.text("+.2f"), essential=True),
        Check("aimed at D members (neither) they sell less than spread (interval below 0)",
              sales_d.below(), sales_d.text("+.2f")),
        Check("spreading raises the group's talk more than targeting: members' messages, spread "
              "- A only (interval above 0)", talk.above(), talk.text("+,.0f")),
        Check("the chats aimed at A pay for the operator's time: extra revenue minus their cost "
              "above 0", paid.above(), paid.text("+,.0f", unit=" yuan")),
    ]
    finding = [
        f"{CHATS} one-to-one chats a day spread over all friends change buyers by "
        f"{sales_spread.text('+.2f')} against no chats; aimed at the A class they add "
        f"{sales_a.text('+.2f')} buyers more than spread, aimed at the D class "
        f"{sales_d.text('+.2f')}.",
        f"Spreading instead of targeting A changes members' messages by {talk.text('+,.0f')} and "
        f"the share who ever spoke by {spoken.pp()} (targeting A alone adds "
        f"{talk_a.text('+,.0f')} messages against no chats)" +
        (": targeting sells, spreading makes talk." if checks[0].passed and checks[2].passed
         else "."),
        f"The targeted chats cost {cost.text(',.0f', unit=' yuan')} over {d.days} days and "
        f"return {paid.text('+,.0f', unit=' yuan')} net of that cost.",
    ]
    return Analysis(sales_a, "buyers, chats aimed at A - spread over all", checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {arm: d.diff(arm, NONE, "conversions") for arm in (SPREAD, TARGET_A, TARGET_D)}
    fig = plots.panels("members' messages a day (7-day mean)", plots.daily_lines(d, "messages"),
                       "extra buyers against no chats", [plots.estimate_bars(est)],
                       "messages", "buyers")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="know_members", principle="P10", title="Know every member (ABCD分类法)",
    claim="Know each member's city, income and intent and sort them into A (able and willing to "
          "buy), B (willing, not able), C (able, not willing) and D (neither), to get the most "
          "out of every friend (榨干每一个用户的价值).",
    arms=ARMS, reference=SPREAD, treatment=TARGET_A, analyze=analyze, plot=plot,
    try_next=("private_target=B", "aim the chats at B members (willing, not able): do they buy?"),
    world=WORLD, days=180, replicates=160)

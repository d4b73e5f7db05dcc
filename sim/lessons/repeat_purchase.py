"""P22, repeat purchase (复购): a group that keeps its buyers sells to them again."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

ONCE, REPEAT = "buy once, group left alone", "buy again, group left alone"
ONCE_KEPT, REPEAT_KEPT = "buy once, content every 3 days", "buy again, content every 3 days"
AGAIN = {"repurchase": 5.0}  # a past buyer buys again at 5x a first buyer's chance, monthly
KEPT = {"content_every": 3}  # the operator's work that keeps the group alive (P5)
ARMS = {ONCE: {}, REPEAT: dict(AGAIN), ONCE_KEPT: dict(KEPT), REPEAT_KEPT: {**KEPT, **AGAIN}}
WORLD = {"commercial_every": 7}  # a commercial post a week, the cadence P15 allows


def repeat_sales(d: Runs, arm: str) -> np.ndarray:
    """Per seed: sales to people who had bought before (revenue over price, minus first buyers).
    Every arm here is free to join, so revenue is product sales only."""
    return d.values(arm, "revenue") / d.param(arm, "product_price") - d.values(arm, "conversions")


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    kept = n.put("revenue_repeat_vs_once_kept", d.diff(REPEAT_KEPT, ONCE_KEPT, "revenue"))
    alone = n.put("revenue_repeat_vs_once_alone", d.diff(REPEAT, ONCE, "revenue"))
    gain = {a: d.values(k, "revenue") - d.values(b, "revenue")
            for a, k, b in ((ONCE, ONCE_KEPT, ONCE), (REPEAT, REPEAT_KEPT, REPEAT))}
    both = n.put("content_gain_repeat_minus_once", Estimate.of(gain[REPEAT] - gain[ONCE]))
    cost = d.values(REPEAT_KEPT, "cost") - d.values(REPEAT, "cost")
    pays = n.put("content_return_per_yuan_repeat",
                 Estimate.of((gain[REPEAT] - cost) / np.maximum(cost, 1e-9)))
    for a in ARMS:
        n.put(f"revenue_{a}", d.mean(a, "revenue"))
        n.put(f"repeat_sales_{a}", Estimate.of(repeat_sales(d, a)))
        n.put(f"buyers_{a}", d.mean(a, "conversions"))
    share = n.put("repeat_share_of_revenue_kept", Estimate.of(
        repeat_sales(d, REPEAT_KEPT) * d.param(REPEAT_KEPT, "product_price")
        / np.maximum(d.values(REPEAT_KEPT, "revenue"), 1e-9)))
    gap, times = d.param(REPEAT_KEPT, "repurchase_gap"), d.param(REPEAT_KEPT, "repurchase")
    checks = [
        Check(f"in a group kept alive (content every {d.param(ONCE_KEPT, 'content_every')} days), "
              f"letting buyers buy again raises revenue over {d.days} days (interval above 0)",
              kept.above(), kept.text("+,.0f", unit=" yuan"), essential=True),
        Check("stickiness is worth more when buyers come back: the content's extra revenue is "
              "larger with repeat purchase than without (interval above 0)", both.above(),
              both.text("+,.0f", unit=" yuan")),
        Check("with repeat purchase the content pays for itself: its extra revenue exceeds its "
              "cost (return per yuan, interval above 0)", pays.above(), pays.text("+.2f")),
    ]
    finding = [
        f"Buyers may buy again {gap} days after a purchase, at {times:g} times a first buyer's "
        f"chance. In a group kept alive that adds {kept.text('+,.0f')} yuan over {d.days} days "
        f"({n[f'repeat_sales_{REPEAT_KEPT}']:.1f} repeat sales on "
        f"{n[f'buyers_{REPEAT_KEPT}']:.1f} buyers; repeat sales are {share.text('.0%')} of its "
        "revenue); in a group left alone it adds "
        f"{alone.text('+,.0f')} yuan, because its members stop reading before they are due "
        "to buy again.",
        f"Revenue over {d.days} days: " + "; ".join(
            f"{a} {n[f'revenue_{a}']:,.0f} yuan" for a in ARMS) + ".",
        f"The content's extra revenue grows by {both.text('+,.0f')} yuan when buyers come back, "
        f"yet against its cost it returns {pays.text('+.2f')} yuan per yuan.",
    ]
    arm = REPEAT_KEPT
    spoke = d.values(arm, "joined") * (1 - d.values(arm, "lurker_share"))
    finding.append(
        f"The funnel (從相識 ... 成交 ... 復購) of {arm}, per group over {d.days} days: "
        f"{d.values(arm, 'invited').mean():,.0f} people invited, "
        f"{d.values(arm, 'joined').mean():,.0f} joined, {spoke.mean():,.0f} ever spoke, "
        f"{n[f'buyers_{arm}']:.1f} bought, {n[f'repeat_sales_{arm}']:.1f} sales to past "
        "buyers. Word of mouth and referral (口碑傳播, 裂變) are the referral lever's (P18), "
        "not in these arms.")
    notes = [f"repurchase = {times:g} and repurchase_gap = {gap} days are assumptions (the "
             "articles name repeat purchase as the aim but give no rate): try --set "
             "repurchase=10 or repurchase_gap=14."]
    return Analysis(kept, "revenue, buy again - buy once, group kept alive (yuan)", checks,
                    finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {arm: a.numbers.estimates[f"repeat_sales_{arm}"] for arm in ARMS}
    return plots.panels("revenue so far (yuan)", plots.daily_lines(d, "revenue", smooth=1),
                        f"sales to past buyers over {d.days} days",
                        [plots.arm_bars(d, est)],
                        "yuan", "sales", left_x="day")


LESSON = Lesson(
    name="repeat_purchase", principle="P22", title="Repeat purchase and the funnel (复购)",
    claim="Communities exist to raise repeat purchase (增加復購): lead people from meeting to "
          "trust, a first sale, word of mouth, referral and buying again (從相識,相知,信任,成交,"
          "口碑傳播,到裂變,復購), turning one sale into long-term lock-in (將一次成交變成長期鎖定) "
          "by making the group sticky (增強粘性).",
    arms=ARMS, reference=ONCE_KEPT, treatment=REPEAT_KEPT, analyze=analyze, plot=plot,
    world=WORLD,
    try_next=("repurchase=10", "buyers ten times as keen to buy again as newcomers: does the "
              "content then pay for itself?"),
    days=180, replicates=40)

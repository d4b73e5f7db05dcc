"""P29, the recruitment channel (渠道): a cheap broad channel or a dear targeted one, same spend."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

REF, BROAD, TARGETED = "no recruiting", "broad channel, 1 yuan", "targeted channel, 5 yuan"
SAME_COUNT = "targeted, as many invitations"
ARMS = {
    REF: {},
    # 5 yuan a day either way: five invitations through a public post or forum, where four in five
    # reached are onlookers from anywhere, or one through the group's own audience
    BROAD: {"recruit_per_day": 5.0, "recruit_cost": 1.0, "channel_broad": 0.8},
    TARGETED: {"recruit_per_day": 1.0, "recruit_cost": 5.0},
    # the targeted channel at the broad one's count: what each invitation is worth
    SAME_COUNT: {"recruit_per_day": 5.0, "recruit_cost": 5.0},
}
WORLD = {"commercial_every": 7}  # a weekly offer, so recruits can be counted in yuan too


def extra(d: Runs, arm: str, col: str) -> np.ndarray:
    """Per seed: the arm's outcome minus that of no recruiting."""
    return d.values(arm, col) - d.values(REF, col)


def per_extra(d: Runs, arm: str, col: str = "engaged_members") -> np.ndarray:
    """Per seed: yuan spent per extra member counted by ``col`` (engaged members: 3+ messages in
    90 days; joined: every recruit who joined); NaN if none."""
    more, spent = extra(d, arm, col), extra(d, arm, "cost")
    return np.where(more > 0, spent / np.where(more > 0, more, 1), np.nan)


def churn_share(d: Runs, arm: str) -> np.ndarray:
    """Per seed: share of the members who joined that left again."""
    return d.values(arm, "churned") / d.values(arm, "joined").clip(min=1)


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    engaged = n.put("engaged_targeted_vs_broad", Estimate.of(
        d.values(TARGETED, "engaged_members") - d.values(BROAD, "engaged_members")))
    spoken = n.put("spoken_d90_targeted_vs_broad",
                   d.diff(TARGETED, BROAD, "ever_spoken_share_d90"))
    churn = n.put("churn_share_targeted_vs_broad",
                  Estimate.of(churn_share(d, TARGETED) - churn_share(d, BROAD)))
    revenue = n.put("revenue_targeted_vs_broad", d.diff(TARGETED, BROAD, "revenue"))
    joined = {a: n.put(f"joined_{a}", Estimate.of(extra(d, a, "joined")))
              for a in (BROAD, TARGETED, SAME_COUNT)}
    more = {a: n.put(f"engaged_{a}", Estimate.of(extra(d, a, "engaged_members")))
            for a in (BROAD, TARGETED, SAME_COUNT)}
    unit = {a: n.put(f"yuan_per_engaged_{a}", Estimate.of(per_extra(d, a)))
            for a in (BROAD, TARGETED)}
    recruit = {a: n.put(f"yuan_per_recruit_{a}", Estimate.of(per_extra(d, a, "joined")))
               for a in (BROAD, TARGETED)}
    # what an invitation is worth: engaged members per invitation, targeted over broad, at the
    # same count of invitations (the dearer channel pays while its price is below this multiple)
    ratio = n.put("worth_per_invitation_ratio", Estimate.of(
        extra(d, SAME_COUNT, "engaged_members") /
        np.where(extra(d, BROAD, "engaged_members") > 0, extra(d, BROAD, "engaged_members"),
                 np.nan)))
    spend = {a: d.param(a, "recruit_per_day") * d.param(a, "recruit_cost") for a in ARMS}
    checks = [
        Check(f"{spend[TARGETED]:g} yuan a day on the targeted channel brings more engaged members "
              f"(3+ messages in 90 days) than {spend[BROAD]:g} yuan a day on the broad one "
              "(targeted - broad: interval above 0)",
              engaged.above(), engaged.text("+.1f"), essential=True),
        Check("a larger share of the group speaks by day 90 (interval above 0)", spoken.above(),
              spoken.pp()),
        Check("fewer of those who join leave again (share who left, targeted - broad: interval "
              "below 0)", churn.below(), churn.pp()),
        Check("it sells more on the weekly offer (revenue, targeted - broad: interval above 0)",
              revenue.above(), revenue.text("+,.0f", unit=" yuan")),
    ]
    finding = [
        f"Over {d.days} days the broad channel ({d.param(BROAD, 'recruit_per_day'):g} "
        f"invitations a day at {d.param(BROAD, 'recruit_cost'):g} yuan: {spend[BROAD]:g} yuan a "
        f"day, {d.param(BROAD, 'channel_broad'):.0%} of those reached onlookers) adds "
        f"{joined[BROAD].text('+,.0f')} members and {more[BROAD].text('+.1f')} engaged members; "
        f"the targeted one ({d.param(TARGETED, 'recruit_per_day'):g} a day at "
        f"{d.param(TARGETED, 'recruit_cost'):g} yuan: {spend[TARGETED]:g} yuan a day) adds "
        f"{joined[TARGETED].text('+,.0f')} and {more[TARGETED].text('+.1f')}.",
        f"Yuan per recruit who joined: {recruit[BROAD].text('.2f')} broad, "
        f"{recruit[TARGETED].text('.2f')} targeted; per extra engaged member: "
        f"{unit[BROAD].text('.1f')} broad, {unit[TARGETED].text('.1f')} targeted. "
        "Targeted - broad: engaged members "
        f"{engaged.text('+.1f')}, share who spoke by day 90 {spoken.pp()}, share who left "
        f"{churn.pp()}, revenue {revenue.text('+,.0f', unit=' yuan')}.",
        f"Invitation for invitation the targeted channel is worth {ratio.text('.2f')} times the "
        f"broad one in engaged members ({more[SAME_COUNT].text('+.1f')} at "
        f"{d.param(SAME_COUNT, 'recruit_per_day'):g} a day): it pays while it costs less than "
        "that multiple of the broad channel's price.",
    ]
    price = d.param(TARGETED, "recruit_cost") / max(d.param(BROAD, "recruit_cost"), 1e-9)
    notes = [f"Precise traffic makes a better group (more of it speaks), not a bigger core: at "
             f"{price:.3g} times the price per invitation, volume wins on engaged members."
             if engaged.below() else
             "The dearer, targeted channel is worth its price here."]
    return Analysis(engaged, "engaged members, targeted - broad channel",
                    checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    arms = (BROAD, TARGETED)
    est = {arm: a.numbers.estimates[f"yuan_per_engaged_{arm}"] for arm in arms}
    return plots.panels("share of members who have spoken",
                        plots.daily_lines(d, "ever_spoken_share", smooth=1),
                        "yuan per extra engaged member",
                        [plots.arm_bars(d, est)],
                        "share (0-1)", "yuan")


LESSON = Lesson(
    name="channel", principle="P29", title="The recruitment channel (渠道)",
    claim="Traffic without precision does not pay: without a bar, whoever sees the group comes "
          "to watch (凑热闹), the users who come are imprecise (不精准), contrary to the goal; "
          "operators lack precise traffic (精准流量), not traffic. Spend on a targeted channel, "
          "not on a cheap broad one.",
    arms=ARMS, reference=REF, treatment=TARGETED, analyze=analyze, plot=plot,
    try_next=("recruit_per_day=3", "triple the targeted channel's budget (15 yuan a day against "
              "the broad one's 5): does precision catch up with volume?"),
    world=WORLD, days=120, replicates=40)

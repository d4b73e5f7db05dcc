"""P18, recruitment limits and referral (裂变): members' shares beat the operator's friend-adds."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

REF, REFERRAL, ADDS = "no recruiting", "members share", "operator adds 20 a day"
ARMS = {REF: {}, REFERRAL: {"referral_rate": 0.02}, ADDS: {"recruit_per_day": 20.0}}


def cost_per_member(d: Runs, arm: str) -> np.ndarray:
    """Per seed: extra yuan spent per extra member who joined, against no recruiting."""
    extra = d.values(arm, "joined") - d.values(REF, "joined")
    spent = d.values(arm, "cost") - d.values(REF, "cost")
    return np.where(extra > 0, spent / np.where(extra > 0, extra, 1), np.nan)


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    joined = n.put("joined_referral", d.diff(REFERRAL, REF, "joined"))
    engaged = n.put("engaged_referral", d.diff(REFERRAL, REF, "engaged_members"))
    adds_joined = n.put("joined_adds", d.diff(ADDS, REF, "joined"))
    unit = {a: n.put(f"cost_per_member_{a}", Estimate.of(cost_per_member(d, a)))
            for a in (REFERRAL, ADDS)}
    cheaper = n.put("cost_per_member_referral_vs_adds", Estimate.of(
        cost_per_member(d, REFERRAL) - cost_per_member(d, ADDS)))
    spoken = n.put("spoken_d90_referral", d.diff(REFERRAL, REF, "ever_spoken_share_d90"))
    checks = [
        Check("members' shares bring new members (extra joined: interval above 0)",
              joined.above(), joined.text("+,.0f"), essential=True),
        Check("they grow the core: more engaged members (interval above 0)", engaged.above(),
              engaged.text("+.1f")),
        Check("a member brought by a share costs less than one the operator adds as a friend "
              "(interval below 0)", cheaper.below(), cheaper.text("+.2f", unit=" yuan")),
    ]
    finding = [
        f"With {d.param(REFERRAL, 'referral_rate'):.0%} of attentive members sharing a day "
        f"({d.param(REFERRAL, 'referral_shares')} invitations a share), {joined.text('+,.0f')} "
        f"more people join in {d.days} days; the operator adding "
        f"{d.param(ADDS, 'recruit_per_day'):.0f} strangers a day brings "
        f"{adds_joined.text('+,.0f')}.",
        f"Cost per extra member: {unit[REFERRAL].text('.2f')} yuan by referral, "
        f"{unit[ADDS].text('.2f')} yuan by friend-adds.",
        f"Referral adds {engaged.text('+.1f')} engaged members; the share who spoke by day 90 "
        f"changes by {spoken.pp()}.",
    ]
    notes = []
    if spoken.below():
        notes.append("Growth dilutes: referred newcomers fit the topic less well than the first "
                     "invitees, so a smaller share of the bigger group speaks.")
    return Analysis(joined, "extra members joined, referral - none", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    arms = (REFERRAL, ADDS)
    est = {arm: a.numbers.estimates[f"cost_per_member_{arm}"] for arm in arms}
    return plots.panels("members present", plots.daily_lines(d, "members", smooth=1),
                        "yuan per extra member",
                        [plots.arm_bars(d, est)],
                        "members", "yuan")


LESSON = Lesson(
    name="referral", principle="P18", title="Recruitment limits and referral (裂变)",
    claim="A WeChat account can add about 20 friends a day. Sharing in small groups is strong: "
          "in one campaign 21k users sent 46k gifts (2.2 each) and brought 5,000 new users; "
          "people share 2-3 times into small groups against 1.6 times into a public feed.",
    arms=ARMS, reference=REF, treatment=REFERRAL, analyze=analyze, plot=plot,
    try_next=("referral_reward=20", "pay 20 yuan per referred member instead of 5: still "
              "cheaper than adding friends yourself?"),
    days=120, replicates=40)

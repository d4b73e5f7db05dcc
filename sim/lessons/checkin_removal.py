"""P26, check in or be removed (打卡踢人): 小茗同学's group in seeds/003."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

CHECKIN, DAILY, WEEKLY, OBEDIENT = ("check-in, nobody removed", "removed after a day without",
                                    "removed after a week without",
                                    "removed after a day, members comply 30x")
COMPLY = 30.0
ARMS = {
    CHECKIN: {"checkin": True},
    DAILY: {"checkin": True, "checkin_kick_days": 1},
    WEEKLY: {"checkin": True, "checkin_kick_days": 7},
    OBEDIENT: {"checkin": True, "checkin_kick_days": 1, "checkin_kick_comply": COMPLY},
}


def _last(d: Runs, arm: str, col: str) -> np.ndarray:
    """A daily column on the last day, per run of ``arm``."""
    return d.on_day(arm, col)


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    members = {a: n.put(f"members_{a}", Estimate.of(_last(d, a, "members"))) for a in ARMS}
    kept = n.put("members_daily_vs_checkin", Estimate.of(
        _last(d, DAILY, "members") - _last(d, CHECKIN, "members")))
    share = n.put("members_kept_share_daily", Estimate.of(
        _last(d, DAILY, "members") / np.maximum(_last(d, CHECKIN, "members"), 1)))
    spam = n.put("ads_daily_vs_checkin", Estimate.of(
        d.window(DAILY, "spam_messages", 0, d.days) - d.window(CHECKIN, "spam_messages", 0,
                                                                d.days)))
    talk_weekly = n.put("messages_weekly_vs_checkin", d.diff(WEEKLY, CHECKIN, "total_messages"))
    obedient = n.put("members_obedient_vs_daily", Estimate.of(
        _last(d, OBEDIENT, "members") - _last(d, DAILY, "members")))
    active = n.put("active_share_obedient", Estimate.of(
        _last(d, OBEDIENT, "active_members") / np.maximum(_last(d, OBEDIENT, "members"), 1)))
    comply = d.param(DAILY, "checkin_kick_comply")
    checks = [
        Check("removal clears out spammers, who never check in: fewer ads (interval below 0)",
              spam.below(), spam.text("+,.0f")),
        Check(f"the group survives the daily rule: at day {d.days} it keeps at least half the "
              "members of the same check-in without removal (interval above 0.5)",
              share.above(0.5), share.text(".0%"), essential=True),
        Check("a gentler rule (removal after a week without a check-in) raises members' "
              "messages, check-ins included (interval above 0)", talk_weekly.above(),
              talk_weekly.text("+,.0f")),
    ]
    finding = [
        f"With members checking in {comply:g}x as often under the threat, removing those who "
        f"skip a day leaves {members[DAILY].text(',.1f')} members at day {d.days}, against "
        f"{members[CHECKIN].text(',.1f')} when nobody is removed ({kept.text('+,.1f')}); ads "
        f"change by {spam.text('+,.0f')}.",
        f"Removal after a week without a check-in keeps {members[WEEKLY].text(',.1f')} members "
        f"and changes members' messages by {talk_weekly.text('+,.0f')}.",
        f"The article's orderly check-in group needs members who almost always comply: at "
        f"{COMPLY:g}x, {members[OBEDIENT].text(',.1f')} members stay "
        f"({obedient.text('+,.1f')} against {comply:g}x) and {active.text('.0%')} of them post "
        "on the last day.",
    ]
    return Analysis(kept, "members at the end, daily removal - no removal", checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.members_and_final(d, {arm: a.numbers.estimates[f"members_{arm}"]
                                       for arm in ARMS})


LESSON = Lesson(
    name="checkin_removal", principle="P26",
    title="Check in or be removed (打卡踢人)",
    claim="小茗同学 posts a notice: every member writes two hundred characters a day and checks "
          "in, and whoever does not is removed (每天写两百字并在群内打卡,未打卡者将移出群聊). The "
          "lively chat group becomes an orderly check-in group (井然有序的打卡群).",
    arms=ARMS, reference=CHECKIN, treatment=DAILY, analyze=analyze, plot=plot,
    try_next=("checkin_kick_comply=30", "members who almost always check in when told: does "
              "the daily rule then keep the group?"),
    days=120, replicates=40)

"""P15 again: is a weekly commercial post free, or is that the 7-day tolerance speaking?

The ``commercial_cadence`` lesson finds that weekly selling costs the group nothing. That rests on
one assumed number, ``commercial_tolerance`` = 7 (a commercial post closer than 7 days after the
last annoys members). This lesson runs the same weekly selling under a stricter tolerance, and a
fortnightly cadence at that tolerance, against no selling.
"""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

STRICT = 14  # days: members who tolerate a commercial post only every two weeks
NONE = "no selling"
WEEKLY_7 = "weekly, tolerance 7 days"
WEEKLY_STRICT = f"weekly, tolerance {STRICT} days"
FORTNIGHTLY_STRICT = f"every {STRICT} days, tolerance {STRICT} days"
ARMS = {
    NONE: {},
    WEEKLY_7: {"commercial_every": 7, "commercial_tolerance": 7},
    WEEKLY_STRICT: {"commercial_every": 7, "commercial_tolerance": STRICT},
    FORTNIGHTLY_STRICT: {"commercial_every": STRICT, "commercial_tolerance": STRICT},
}
SELLING = (WEEKLY_7, WEEKLY_STRICT, FORTNIGHTLY_STRICT)


def free(e: Estimate) -> bool:
    """No loss of members: the interval reaches 0 or lies above it."""
    return not e.below()


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    lost = {a: n.put(f"members_final_{a}_vs_none", d.diff(a, NONE, "members_final"))
            for a in SELLING}
    talk = {a: n.put(f"messages_{a}_vs_none", d.diff(a, NONE, "total_messages"))
            for a in SELLING}
    for a in ARMS:
        n.put(f"revenue_{a}", d.mean(a, "revenue"))
        n.put(f"members_final_{a}", d.mean(a, "members_final"))
    more = n.put("revenue_weekly_vs_fortnightly_strict",
                 d.diff(WEEKLY_STRICT, FORTNIGHTLY_STRICT, "revenue"))
    t7, ts = (d.param(a, "commercial_tolerance") for a in (WEEKLY_7, WEEKLY_STRICT))
    checks = [
        Check(f"with the tolerance at {t7} days (the default) weekly selling leaves as many "
              f"members at day {d.days} as no selling (interval not below 0)", free(lost[WEEKLY_7]),
              lost[WEEKLY_7].text("+.1f", unit=" members")),
        Check(f"the finding survives a stricter tolerance: at {ts} days weekly selling still "
              "leaves as many members as no selling (interval not below 0)",
              free(lost[WEEKLY_STRICT]), lost[WEEKLY_STRICT].text("+.1f", unit=" members"),
              essential=True),
        Check(f"at {ts} days, selling every {ts} days is free again: as many members as no "
              "selling (interval not below 0)", free(lost[FORTNIGHTLY_STRICT]),
              lost[FORTNIGHTLY_STRICT].text("+.1f", unit=" members")),
    ]
    finding = [f"Members at day {d.days} against no selling ({n[f'members_final_{NONE}']:.0f} "
               "members): " + "; ".join(f"{a} {lost[a].text('+.1f')}" for a in SELLING) + ".",
               f"Members' messages over {d.days} days against no selling: "
               + "; ".join(f"{a} {talk[a].text('+,.0f')}" for a in SELLING) + ".",
               f"Revenue over {d.days} days: " + "; ".join(
                   f"{a} {n[f'revenue_{a}']:,.0f} yuan" for a in SELLING)
               + f"; weekly minus every {ts} days at the stricter tolerance "
               f"{more.text('+,.0f')} yuan."]
    notes = ["The annoyance rule is a cliff: a post closer than the tolerance annoys, one at or "
             "beyond it does not, so any cadence at the tolerance is free and any faster one "
             "costs members. Whether weekly ads are free is then the tolerance, an unmeasured "
             "number (P15 says only 'never every day'), not a result: measure members' leaving "
             "and muting after commercial posts at several cadences before trusting either."]
    return Analysis(lost[WEEKLY_STRICT], f"members at day {d.days}, weekly selling at tolerance "
                    f"{ts} days - no selling", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {arm: a.numbers.estimates[f"members_final_{arm}_vs_none"] for arm in SELLING}
    fig = plots.panels("members present", plots.daily_lines(d, "members", smooth=1),
                       f"members at day {d.days}, minus no selling",
                       [plots.arm_bars(d, est)],
                       "members", "members")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="selling_tolerance", principle="P15",
    title="Is a weekly ad free? The tolerance behind the cadence (商业信息)",
    claim="The commercial_cadence lesson's reading: a commercial post once a week costs the group "
          "nothing, so sell weekly but never every day (商业信息一定不能每天都出现). That "
          "reading assumes members tolerate a commercial post every 7 days.",
    arms=ARMS, reference=NONE, treatment=WEEKLY_STRICT, analyze=analyze, plot=plot,
    try_next=("commercial_tolerance=8", "members who are annoyed by a post 7 days after the last:"
              " does weekly selling then cost as much as at 14?"),
    days=180, replicates=40)

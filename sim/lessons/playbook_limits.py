"""Where the playbook fails: the whole playbook keeps a 200-person group talking, but in a small
group it leaves fewer than ten members posting in most runs, at the same cost.

The world where it fails was found by ``commsim discover`` on the ``playbook_worlds`` sweep (the
playbook over 256 worlds): fewer than 10 members posting on day 90 when about 100 or fewer are
invited. This lesson tests that rule with a paired experiment.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

# the playbook, as in scenarios/playbook.toml (tests/test_decide_lesson.py checks they agree)
PLAYBOOK = {"effort_test": 0.5, "shills": 2, "shills_end": 28.0, "content_every": 1,
            "checkin": True, "commercial_every": 7, "commercial_start": 30.0, "moderation": 0.5,
            "troublemaker_policy": "private", "owner_answer_share": 0.9, "owner_mentions": 3.0,
            "owner_cost": 30.0, "event_every": 30, "leaders": 3, "leaders_start": 14.0,
            "size_cap": 200}
BIG, SMALL = 200, 60
ARMS = {f"no plan, {BIG} invited": {"group_size": BIG},
        f"playbook, {BIG} invited": {**PLAYBOOK, "group_size": BIG},
        f"no plan, {SMALL} invited": {"group_size": SMALL},
        f"playbook, {SMALL} invited": {**PLAYBOOK, "group_size": SMALL}}
REF, PB_BIG = f"no plan, {BIG} invited", f"playbook, {BIG} invited"
NONE_SMALL, PB_SMALL = f"no plan, {SMALL} invited", f"playbook, {SMALL} invited"
CORE = 10  # members posting on day 90: fewer and the group has no core left
KEEPS = 0.8  # the playbook "keeps a group alive" when it keeps a core in 80% of runs


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    fails = {a: (d.values(a, "active_members_d90") < CORE).astype(float) for a in d.arms}
    fail_big = n.put("fail_share_big", Estimate.of(fails[PB_BIG]))
    fail_small = n.put("fail_share_small", Estimate.of(fails[PB_SMALL]))
    worse = n.put("fail_small_minus_big", Estimate.of(fails[PB_SMALL] - fails[PB_BIG]))
    gain_small = n.put("active_d90_small", d.diff(PB_SMALL, NONE_SMALL, "active_members_d90"))
    gain_big = n.put("active_d90_big", d.diff(PB_BIG, REF, "active_members_d90"))
    cost = {a: d.values(a, "cost") for a in (PB_BIG, PB_SMALL)}
    per = {a: n.put(f"yuan_per_speaker_{i}", Estimate.of(
        cost[a] / np.maximum(d.values(a, "active_members_d90"), 1)))
        for i, a in enumerate((PB_BIG, PB_SMALL))}
    small, big = d.label(PB_SMALL), d.label(PB_BIG)
    checks = [
        Check(f"{big}: at least {KEEPS:.0%} of runs keep {CORE} or more members posting on "
              "day 90", fail_big.mean <= 1 - KEEPS, f"{1 - fail_big.mean:.0%} of runs"),
        Check(f"{small}: at least {KEEPS:.0%} of runs keep {CORE} or more members posting on "
              "day 90", fail_small.mean <= 1 - KEEPS, f"{1 - fail_small.mean:.0%} of runs",
              essential=True),
        Check(f"{small}: more members post on day 90 than with no plan (interval above 0)",
              gain_small.above(), f"{gain_small.text('+.1f')} members"),
    ]
    finding = [
        f"With {BIG} invited the playbook keeps {CORE} or more members posting on day 90 in "
        f"{1 - fail_big.mean:.0%} of runs ({gain_big.text('+.1f')} members against no plan).",
        f"With {SMALL} invited it does so in only {1 - fail_small.mean:.0%} of runs: the share "
        f"of runs left without a core rises by {worse.pp()}, although the playbook still adds "
        f"{gain_small.text('+.1f')} members posting against no plan.",
        f"It costs the same in both ({np.mean(cost[PB_SMALL]):,.0f} yuan over {d.days} days), so "
        f"each member still posting costs {per[PB_SMALL].text(',.0f', unit=' yuan')} in the "
        f"small group against {per[PB_BIG].text(',.0f', unit=' yuan')} in the big one.",
    ]
    notes = ["The rule was found, not guessed: `commsim discover` on the playbook_worlds sweep "
             "(the playbook over 256 worlds) names the group's size as the input that decides "
             "it. A plan built for one group is not a law for every group: search a plan for "
             "yours (`commsim optimize`) and ask where it fails (`commsim discover`)."]
    return Analysis(worse, f"change in share of playbook runs with fewer than {CORE} members "
                    f"posting on day 90 ({SMALL} vs {BIG} invited)", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {d.label(PB_BIG): a.numbers.estimates["fail_share_big"],
           d.label(PB_SMALL): a.numbers.estimates["fail_share_small"]}
    fig = plots.panels("members posting a day (7-day mean)",
                       plots.daily_lines(d, "active_members"),
                       f"share of runs with fewer than {CORE} posting on day 90",
                       [plots.estimate_bars(est, [plots.arm_color(d, PB_BIG),
                                                  plots.arm_color(d, PB_SMALL)], 100)],
                       "members", "% of runs")
    return fig


LESSON = Lesson(
    name="playbook_limits", principle="P12, P19",
    title="Where the playbook fails (照搬打法)",
    claim="Follow the playbook (an entry test, shills for the first month, a daily digest and "
          "check-in, weekly selling, moderation, a responsive owner, monthly events, leaders, a "
          "size cap) and any group stays alive: the seeds present their advice as a recipe that "
          "works for every group.",
    arms=ARMS, reference=REF, treatment=PB_SMALL, analyze=analyze, plot=plot,
    try_next=("group_size=100", "at what size does the playbook start to keep a core of ten? "
              "`commsim discover` on playbook_worlds gives the rule"),
    days=90, replicates=40)

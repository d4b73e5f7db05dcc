"""P2, shill accounts (马甲): planted talk from the operator's own accounts activates a group."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

# Shills come in pairs (a newbie who asks, an expert who answers: the default role mix), so every
# arm has the same mix and only the number of pairs varies. With 1, 2 and 4 shills the mix changed
# with the count (one shill is a newbie, the second an expert), and "each extra shill adds less"
# came from that alternation, not from P2's mechanism.
COUNTS = {"no shills": 0, "2 shills": 2, "4 shills": 4, "8 shills": 8}
ARMS = {arm: ({"shills": k} if k else {}) for arm, k in COUNTS.items()}
REF = "no shills"


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    spoken = {a: n.put(f"spoken_d14_shills{k}", d.diff(a, REF, "ever_spoken_share_d14"))
              for a, k in COUNTS.items() if k}
    early = n.put("messages_month1_shills2", Estimate.of(
        d.window("2 shills", "messages", 0, 30) - d.window(REF, "messages", 0, 30)))
    # diminishing returns: the gain per shill from 4 to 8 shills against that of the first pair
    s = {a: d.values(a, "ever_spoken_share_d14") for a in COUNTS}
    k = {a: d.param(a, "shills") for a in COUNTS}  # as run (a --set may change the 2)
    extra = k["8 shills"] - k["4 shills"]
    per_shill = n.put("extra_gain_per_shill", Estimate.of(
        (s["8 shills"] - s["4 shills"]) / (extra if extra > 0 else np.nan)
        - (s["2 shills"] - s[REF]) / (k["2 shills"] or np.nan)))
    trust = n.put("trust_shills2", d.diff("2 shills", REF, "mean_trust_final"))
    base = n.put("spoken_d14_base", d.mean(REF, "ever_spoken_share_d14"))
    two = spoken["2 shills"]
    treat = d.label("2 shills")
    checks = [
        Check(f"{treat}: the share of members who spoke by day 14 rises (interval above 0)",
              two.above(), two.pp(), essential=True),
        Check(f"{treat}: members' messages in the first month rise (interval above 0)",
              early.above(), f"{early.text('+.0f')} messages"),
        Check(f"each extra shill adds less: the gain per shill from {k['4 shills']} to "
              f"{k['8 shills']} is below that of the first {k['2 shills']} (same role mix; "
              "interval below 0)",
              per_shill.below(), per_shill.pp()),
    ]
    finding = [
        f"Without shills {base.mean:.0%} of members have spoken by day 14.",
        "Paired by seed, that share changes by "
        + ", ".join(f"{spoken[a].pp()} with {d.label(a)}" for a in spoken) + ".",
        f"{treat}: {early.text('+.0f')} extra members' messages (shills' own excluded) in the "
        "first month.",
        f"Gain per shill from {k['4 shills']} to {k['8 shills']}, minus the gain per shill of the "
        f"first {k['2 shills']}: {per_shill.pp()}.",
    ]
    risk = ("a clear loss" if trust.below() else "no clear loss" if not trust.above()
            else "a gain")
    notes = [f"The risk of being found out: with {treat} mean trust at the end changes by "
             f"{trust.text('+.3f')}, {risk} (an exposed shill costs every member trust)."]
    return Analysis(two, f"change in share spoken by day 14 ({treat})", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    arms = [arm for arm, k in COUNTS.items() if k]
    est = {d.label(arm): a.numbers.estimates[f"spoken_d14_shills{COUNTS[arm]}"] for arm in arms}
    fig = plots.panels("members' messages a day (7-day mean)", plots.daily_lines(d, "messages"),
                       "change in share spoken by day 14",
                       [plots.estimate_bars(est, [plots.arm_color(d, k) for k in arms], 100)],
                       "messages", "percentage points vs no shills")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="shills", principle="P2", title="Shill accounts (马甲)",
    claim="In a new group most members must be activated before they talk, so the operator runs "
          "extra accounts (马甲): a 'newbie' who asks and an 'expert' who answers, one operator "
          "playing two roles. Planted questions resonate and widen the 'activity radiation' "
          "from owner to core members to active members to lurkers.",
    arms=ARMS, reference=REF, treatment="2 shills", analyze=analyze, plot=plot,
    try_next=("shill_exposure=0.02", "shills found out ten times as often: is the early "
              "activity still worth the lost trust?"),
    days=90, replicates=40)

"""P13, three marks of a good community: members know each other, trust each other, interact."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs, rank_corr

REF, EVENTS = "no events", "offline events"
ARMS = {REF: {}, EVENTS: {"event_every": 14}}
# several groups per run, so that groups can be compared with their siblings of the same run
WORLD = {"n_groups": 8}
SETTLED = 30  # days before groups are compared (the launch rush is over)


def group_correlations(d: Runs, arm: str) -> tuple[np.ndarray, np.ndarray]:
    """Per seed: rank correlation across groups of messages per member after day ``SETTLED``
    with the tie density, and with mean trust, at the last day."""
    g = d.groups[d.groups.arm == arm]
    late = g[g.day >= SETTLED].groupby(["seed", "group"]).agg(
        messages=("messages", "sum"), members=("members", "mean"))
    last = g[g.day == d.days - 1].set_index(["seed", "group"])[["tie_density", "mean_trust"]]
    t = late.join(last).dropna()
    t["rate"] = t.messages / t.members.clip(lower=1)
    ties, trust = [], []
    for _, s in t.groupby(level="seed"):
        ties.append(rank_corr(s.tie_density.to_numpy(), s.rate.to_numpy()))
        trust.append(rank_corr(s.mean_trust.to_numpy(), s.rate.to_numpy()))
    return np.array(ties), np.array(trust)


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    ties_corr, trust_corr = group_correlations(d, REF)
    c_ties = n.put("corr_ties_messages", Estimate.of(ties_corr))
    c_trust = n.put("corr_trust_messages", Estimate.of(trust_corr))
    know = n.put("ties_events", d.diff(EVENTS, REF, "tie_density"))
    trust = n.put("trust_events", d.diff(EVENTS, REF, "mean_trust_final"))
    talk = n.put("messages_events", d.diff(EVENTS, REF, "total_messages"))
    cost = n.put("cost_events", d.mean(EVENTS, "cost"))
    checks = [
        Check("groups whose members know each other (tie density) talk more: rank correlation "
              "across a run's groups (interval above 0)", c_ties.above(), c_ties.text("+.2f"),
              essential=True),
        Check("groups that trust more talk more (interval above 0)", c_trust.above(),
              c_trust.text("+.2f")),
        Check("offline events make members know each other: tie density up (interval above 0)",
              know.above(), know.text("+.4f")),
        Check("offline events raise trust (interval above 0)", trust.above(),
              trust.text("+.3f")),
        Check(f"offline events raise members' messages over {d.days} days (interval above 0)",
              talk.above(), talk.text("+,.0f")),
    ]
    finding = [
        f"Across the {d.param(REF, 'n_groups')} groups of a run, messages per member after day "
        f"{SETTLED} rank-correlate with tie density by {c_ties.text('+.2f')} and with mean "
        f"trust by {c_trust.text('+.2f')}.",
        f"{d.label(EVENTS).capitalize()} (every {d.param(EVENTS, 'event_every')} days) change "
        f"tie density by {know.text('+.4f')}, mean trust by "
        f"{trust.text('+.3f')} and members' messages by {talk.text('+,.0f')}, for "
        f"{cost.mean:,.0f} yuan.",
    ]
    notes = ["A correlation across groups is not a cause: ties in the model form when members "
             "interact, so talk also makes ties. The events arm is the experiment."]
    return Analysis(know, "tie density, events - none", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {"ties ~ talk": a.numbers.estimates["corr_ties_messages"],
           "trust ~ talk": a.numbers.estimates["corr_trust_messages"]}
    fig = plots.panels("tie density (known pairs / possible pairs)",
                       plots.daily_lines(d, "tie_density", smooth=1),
                       "rank correlation with messages per member, across groups",
                       [plots.estimate_bars(est, [plots.COLORS[2], plots.COLORS[3]])],
                       "tie density", "Spearman correlation")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="know_trust_interact", principle="P13", title="Know, trust, interact (认识、信任、互动)",
    claim="A good community has three marks: its members know each other, trust each other and "
          "interact often. In small groups people know each other, trust is high and they are "
          "active; offline events (线下活动) strengthen the bonds.",
    arms=ARMS, reference=REF, treatment=EVENTS, analyze=analyze, plot=plot, world=WORLD,
    try_next=("event_ties=5", "events where each attendee meets five people: do more ties "
              "bring more talk?"),
    days=120, replicates=40, record_groups=True)

"""P3 and P21, the owner's persona (群主人设): answer every question, @-mention, be fun."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Lesson, Numbers, Runs

REF, ATTENTIVE, STIFF = "typical owner", "attentive owner", "stiff owner"
ARMS = {
    REF: {},  # answers 10% of questions, no @-mentions, middling humour
    ATTENTIVE: {"owner_answer_share": 0.9, "owner_mentions": 3.0},
    STIFF: {"owner_humour": 0.0},
}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    trust = n.put("trust_attentive", d.diff(ATTENTIVE, REF, "mean_trust_final"))
    talk = n.put("messages_attentive", d.diff(ATTENTIVE, REF, "total_messages"))
    stiff = n.put("messages_stiff", d.diff(STIFF, REF, "total_messages"))
    spoken = n.put("spoken_d90_attentive", d.diff(ATTENTIVE, REF, "ever_spoken_share_d90"))
    checks = [
        Check("an owner who answers questions and @-mentions members raises trust (interval "
              "above 0)", trust.above(), trust.text("+.3f"), essential=True),
        Check(f"and members' messages over {d.days} days (interval above 0)", talk.above(),
              talk.text("+,.0f")),
        Check("a stiff owner (no humour) scares talk away: fewer messages (interval below 0)",
              stiff.below(), stiff.text("+,.0f")),
    ]
    finding = [
        f"An owner who answers {d.param(ATTENTIVE, 'owner_answer_share'):.0%} of questions and "
        f"@-mentions {d.param(ATTENTIVE, 'owner_mentions'):g} members a day changes mean trust by "
        f"{trust.text('+.3f')}, members' messages by {talk.text('+,.0f')} and the share who "
        f"spoke by day 90 by {spoken.pp()}.",
        f"A stiff owner changes members' messages by {stiff.text('+,.0f')}.",
    ]
    return Analysis(trust, "mean trust at the end, attentive - typical owner", checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.panels("members' messages a day (7-day mean)", plots.daily_lines(d, "messages"),
                        "mean trust", plots.daily_lines(d, "mean_trust", smooth=1),
                        "messages", "trust (0-1)")


LESSON = Lesson(
    name="owner", principle="P3, P21", title="The owner's persona (群主人设)",
    claim="Design the owner's persona: fun, sincere (answer every question, @-mention the asker, "
          "praise good questions) and with some depth. A stiff owner scares talk away. Members "
          "want to feel seen: @-mentioning them by name makes them more willing to talk.",
    arms=ARMS, reference=REF, treatment=ATTENTIVE, analyze=analyze, plot=plot,
    try_next=("owner_mentions=10", "@-mention ten members a day: does being seen keep "
              "raising talk?"),
    days=120, replicates=40)

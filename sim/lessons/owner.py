"""P3 and P21, the owner's persona (群主人设): answer every question, @-mention, be fun."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

REF, ATTENTIVE, STIFF = "typical owner", "attentive owner", "stiff owner"
ARMS = {
    REF: {},  # answers 10% of questions, no @-mentions, middling humour
    ATTENTIVE: {"owner_answer_share": 0.9, "owner_mentions": 3.0},
    STIFF: {"owner_humour": 0.0},
}


def per_speaker(d: Runs, arm: str) -> np.ndarray:
    """Per seed: messages per member who ever posted (members who joined x (1 - lurker share))."""
    speakers = d.values(arm, "joined") * (1.0 - d.values(arm, "lurker_share"))
    return d.values(arm, "total_messages") / np.maximum(speakers, 1.0)


def who_gains(d: Runs, arm: str, ref: str) -> dict[str, np.ndarray]:
    """Per seed: the relative change in messages, split into more speakers and more messages per
    speaker (messages = speakers x messages per speaker), and the part of the (log) gain that
    comes from members who speak talking more."""
    total = d.values(arm, "total_messages") / d.values(ref, "total_messages")
    each = per_speaker(d, arm) / per_speaker(d, ref)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(np.abs(np.log(total)) > 1e-9, np.log(each) / np.log(total), np.nan)
    return {"messages": total - 1.0, "per_speaker": each - 1.0, "speakers": total / each - 1.0,
            "part_per_speaker": part}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    trust = n.put("trust_attentive", d.diff(ATTENTIVE, REF, "mean_trust_final"))
    talk = n.put("messages_attentive", d.diff(ATTENTIVE, REF, "total_messages"))
    stiff = n.put("messages_stiff", d.diff(STIFF, REF, "total_messages"))
    spoken = n.put("spoken_d90_attentive", d.diff(ATTENTIVE, REF, "ever_spoken_share_d90"))
    # who gains the messages (stated before running): those who already speak talk more
    gain = {k: n.put(f"{k}_change_attentive", Estimate.of(v))
            for k, v in who_gains(d, ATTENTIVE, REF).items()}
    top = n.put("top10_share_attentive", d.diff(ATTENTIVE, REF, "top10_share"))
    checks = [
        Check("an owner who answers questions and @-mentions members raises trust (interval "
              "above 0)", trust.above(), trust.text("+.3f"), essential=True),
        Check(f"and members' messages over {d.days} days (interval above 0)", talk.above(),
              talk.text("+,.0f")),
        Check("a stiff owner (no humour) scares talk away: fewer messages (interval below 0)",
              stiff.below(), stiff.text("+,.0f")),
        Check("the attentive owner's extra messages come mostly from members who already speak: "
              "messages per member who ever spoke rise by more than the number of speakers "
              "(more than half of the gain, interval above 0.5), and the top 10% of posters "
              "hold a larger share of all messages (interval above 0)",
              gain["part_per_speaker"].above(0.5) and top.above(),
              f"part of the gain from talking more {gain['part_per_speaker'].text('.2f')}; "
              f"top-10% share {top.pp()}"),
    ]
    finding = [
        f"An owner who answers {d.param(ATTENTIVE, 'owner_answer_share'):.0%} of questions and "
        f"@-mentions {d.param(ATTENTIVE, 'owner_mentions'):g} members a day changes mean trust by "
        f"{trust.text('+.3f')}, members' messages by {talk.text('+,.0f')} and the share who "
        f"spoke by day 90 by {spoken.pp()}.",
        f"A stiff owner changes members' messages by {stiff.text('+,.0f')}.",
        f"Who gains the messages: members' messages change by "
        f"{gain['messages'].text('+.0%')}, the number who ever spoke by "
        f"{gain['speakers'].text('+.0%')} and messages per speaker by "
        f"{gain['per_speaker'].text('+.0%')}; the share of messages by the top 10% of posters "
        f"changes by {top.pp()}. " + (
            "So an attentive owner mostly makes those who already talk talk more (they ask, get "
            "answered, feel seen and post again); few lurkers start, which is why the share who "
            "spoke moves far less than the messages."
            if checks[-1].passed else
            "So the extra messages do not come mainly from those who already talk."),
    ]
    return Analysis(trust, "mean trust at the end, attentive - typical owner", checks, finding, n)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.messages_and_trust(d)


LESSON = Lesson(
    name="owner", principle="P3, P21", title="The owner's persona (群主人设)",
    claim="Design the owner's persona: fun, sincere (answer every question, @-mention the asker, "
          "praise good questions) and with some depth. A stiff owner scares talk away. Members "
          "want to feel seen: @-mentioning them by name makes them more willing to talk.",
    arms=ARMS, reference=REF, treatment=ATTENTIVE, analyze=analyze, plot=plot,
    try_next=("owner_mentions=10", "@-mention ten members a day: does being seen keep "
              "raising talk?"),
    days=120, replicates=40)

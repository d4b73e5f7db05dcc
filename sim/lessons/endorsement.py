"""P30, the owner's authority from endorsement (背书): a known name's backing, at a price a day."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

REF, ENDORSED = "typical owner", "endorsed owner"
ANSWERING, BOTH = "owner answers half", "endorsed owner answers half"
ARMS = {
    REF: {},  # answers 10% of questions, no backing
    ENDORSED: {"endorsement_trust": 0.15},  # newcomers +0.15 trust; answers weigh 2x; 50 yuan/day
    ANSWERING: {"owner_answer_share": 0.5},  # expertise shown by answering (专业能力)
    BOTH: {"owner_answer_share": 0.5, "endorsement_trust": 0.15},
}
WORLD = {"commercial_every": 7}  # a weekly offer, so the backing's price can be set against sales


def churn_share(d: Runs, arm: str) -> np.ndarray:
    """Per seed: share of the members who joined that left again."""
    return d.values(arm, "churned") / d.values(arm, "joined").clip(min=1)


def profit(d: Runs, arm: str) -> np.ndarray:
    """Per seed: revenue minus cost, yuan."""
    return d.values(arm, "revenue") - d.values(arm, "cost")


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    trust = n.put("trust_endorsed", d.diff(ENDORSED, REF, "mean_trust_final"))
    talk = n.put("messages_endorsed", d.diff(ENDORSED, REF, "total_messages"))
    churn = n.put("churn_share_endorsed",
                  Estimate.of(churn_share(d, ENDORSED) - churn_share(d, REF)))
    weight = n.put("trust_endorsed_with_answers_minus_without", Estimate.of(
        (d.values(BOTH, "mean_trust_final") - d.values(ANSWERING, "mean_trust_final")) -
        (d.values(ENDORSED, "mean_trust_final") - d.values(REF, "mean_trust_final"))))
    gain = n.put("profit_endorsed", Estimate.of(profit(d, ENDORSED) - profit(d, REF)))
    revenue = n.put("revenue_endorsed", d.diff(ENDORSED, REF, "revenue"))
    spent = n.put("cost_endorsed", d.diff(ENDORSED, REF, "cost"))
    spoken = n.put("spoken_d90_endorsed", d.diff(ENDORSED, REF, "ever_spoken_share_d90"))
    answers = n.put("trust_answering", d.diff(ANSWERING, REF, "mean_trust_final"))
    checks = [
        Check("an endorsed owner is trusted more: mean trust at the end (interval above 0)",
              trust.above(), trust.text("+.3f"), essential=True),
        Check(f"members talk more: messages over {d.days} days (interval above 0)", talk.above(),
              talk.text("+,.0f")),
        Check("fewer of those who join leave again (share who left: interval below 0)",
              churn.below(), churn.pp()),
        Check("the owner's answers weigh more: the trust the backing adds is larger with an owner "
              "who answers half the questions than with one who answers a tenth (interval above "
              "0)", weight.above(), weight.text("+.4f")),
        Check("it pays for itself on the weekly offer (revenue - cost, endorsed - typical: "
              "interval above 0)", gain.above(), gain.text("+,.0f", unit=" yuan")),
    ]
    finding = [
        f"Backing that adds {d.param(ENDORSED, 'endorsement_trust'):.2f} to newcomers' trust in "
        f"the owner and weighs the owner's answers {d.param(ENDORSED, 'endorsement_weight'):g} "
        f"times changes mean trust at the end by {trust.text('+.3f')}, members' messages by "
        f"{talk.text('+,.0f')}, the share who spoke by day 90 by {spoken.pp()} and the share of "
        f"joiners who left by {churn.pp()}.",
        f"Answering half the questions without backing changes trust by {answers.text('+.3f')}; "
        f"with it, the backing adds {weight.text('+.4f')} more trust than with a typical owner.",
        f"At {d.param(ENDORSED, 'endorsement_cost'):g} yuan a day it costs "
        f"{spent.text(',.0f')} yuan and brings {revenue.text('+,.0f')} yuan of sales: profit "
        f"{gain.text('+,.0f', unit=' yuan')}.",
    ]
    notes = []
    if trust.above() and not gain.above():
        notes.append("Authority works on people, not (here) on the till: the backing raises "
                     f"trust and talk, but a weekly {d.param(REF, 'product_price'):g}-yuan offer "
                     f"to a group of {d.param(REF, 'group_size')} invited does not earn its "
                     "price back within the run.")
    return Analysis(trust, "mean trust at the end, endorsed - typical owner", checks, finding, n,
                    notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    return plots.panels("mean trust", plots.daily_lines(d, "mean_trust", smooth=1),
                        "members' messages a day (7-day mean)", plots.daily_lines(d, "messages"),
                        "trust (0-1)", "messages")


LESSON = Lesson(
    name="endorsement", principle="P30", title="The owner's authority: endorsement (背书)",
    claim="The owner must have the last word, built from the start by expertise or by "
          "endorsement: people look up to someone stronger; when the owner is a known name (大V), "
          "members read what he says and many join the activities he starts.",
    arms=ARMS, reference=REF, treatment=ENDORSED, analyze=analyze, plot=plot,
    try_next=("endorsement_end=30", "buy the backing for the first month only (authority set at "
              "the start): does the trust outlast it, and does it pay then?"),
    world=WORLD, days=120, replicates=40)

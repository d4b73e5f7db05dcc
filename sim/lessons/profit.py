"""P20, economics: profit = traffic x conversion rate x (price - acquisition cost)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from sim.lessons import plots
from sim.lessons.core import Analysis, Check, Estimate, Lesson, Numbers, Runs

FREE, PAID = "free, sells weekly", "199-yuan entry"
# the same traffic and running costs in both: strangers invited at a price each, weekly content
WORLD = {"recruit_per_day": 10.0, "content_every": 7}
ARMS = {FREE: {"commercial_every": 7}, PAID: {"entry_fee": 199.0}}


def formula(d: Runs, arm: str) -> dict[str, np.ndarray]:
    """Per seed: the formula's terms and its profit next to the simulated profit.

    Traffic is everyone invited; buyers are paying members (fee) or product buyers; acquisition
    cost is the recruitment spend per buyer. The formula leaves running costs out.
    """
    groups = d.param(arm, "n_groups")
    launch = d.param(arm, "group_size") * groups
    start, end = d.param(arm, "recruitment_start"), min(d.param(arm, "recruitment_end"), d.days)
    recruited = d.param(arm, "recruit_per_day") * groups * max(0.0, np.ceil(end - start))
    invited = launch + recruited
    fee = d.param(arm, "entry_fee")
    buyers = d.values(arm, "joined") if fee > 0 else d.values(arm, "conversions")
    price = fee if fee > 0 else d.param(arm, "product_price")
    acquisition = d.param(arm, "recruit_cost") * recruited
    conversion = buyers / invited
    cac = acquisition / np.maximum(buyers, 1)
    return {"conversion": conversion, "cac": cac,
            "formula_profit": invited * conversion * (price - cac),
            "profit": d.values(arm, "revenue") - d.values(arm, "cost")}


def analyze(d: Runs) -> Analysis:
    """The lesson's estimates, checks and finding from its runs."""
    n = Numbers()
    f = {a: formula(d, a) for a in ARMS}
    profit = {a: n.put(f"profit_{a}", Estimate.of(f[a]["profit"])) for a in ARMS}
    better = n.put("profit_paid_vs_free", Estimate.of(f[PAID]["profit"] - f[FREE]["profit"]))
    roc = {a: n.put(f"return_on_cost_{a}", d.mean(a, "return_on_cost")) for a in ARMS}
    agree = {a: float(np.mean(np.sign(f[a]["formula_profit"]) == np.sign(f[a]["profit"])))
             for a in ARMS}
    for a in ARMS:
        n[f"conversion_{a}"] = float(f[a]["conversion"].mean())
        n[f"cac_{a}"] = float(f[a]["cac"].mean())
        n[f"sign_agreement_{a}"] = agree[a]
    checks = [
        Check(f"a paid group ({d.label(PAID)}) turns a profit (interval above 0)",
              profit[PAID].above(),
              profit[PAID].text("+,.0f", unit=" yuan"), essential=True),
        Check("it makes more than a free group selling a 199-yuan product weekly (interval above "
              "0)", better.above(), better.text("+,.0f", unit=" yuan")),
        Check("the formula, fed with each run's traffic, conversion, price and acquisition cost, "
              "gets the sign of the simulated profit right in at least 90% of runs of each arm",
              min(agree.values()) >= 0.9, ", ".join(f"{a} {agree[a]:.0%}" for a in ARMS)),
    ]
    finding = [f"{d.label(a)}: conversion {n[f'conversion_{a}']:.1%} of the people invited, "
               f"acquisition cost {n[f'cac_{a}']:,.0f} yuan per buyer, profit "
               f"{profit[a].text('+,.0f')} yuan over {d.days} days, return on cost "
               f"{roc[a].text('+.2f')}." for a in ARMS]
    finding.append(f"Paid minus free, paired by seed: {better.text('+,.0f')} yuan.")
    notes = ["The formula leaves out running costs (here weekly content); the simulated profit "
             "counts them, so it is a little lower than the formula's."]
    return Analysis(better, "profit, paid - free with selling (yuan)", checks, finding, n, notes)


def plot(d: Runs, a: Analysis) -> go.Figure:
    """The lesson's figure."""
    est = {arm: a.numbers.estimates[f"profit_{arm}"] for arm in ARMS}
    left = plots.daily_lines(d, "revenue", smooth=1) + [
        t.update(line={"dash": "dot", "color": t.line.color}, name=f"{t.name} (cost)")
        for t in plots.daily_lines(d, "cost", smooth=1)]
    fig = plots.panels("revenue (solid) and cost (dotted) so far", left,
                       f"profit over {d.days} days",
                       [plots.arm_bars(d, est)],
                       "yuan", "yuan")
    return plots.zero_line(fig)


LESSON = Lesson(
    name="profit", principle="P20", title="The profit formula (利润 = 流量 x 转化率 x (客单价 - "
    "获客成本))",
    claim="A business's profit = traffic x conversion rate x (price - acquisition cost). Yearly "
          "value per follower: ~12 yuan per 100 Weibo fans, ~36.5 yuan per WeChat follower "
          "(+80 via e-commerce); paid community fees run 199-299 yuan.",
    arms=ARMS, reference=FREE, treatment=PAID, analyze=analyze, plot=plot, world=WORLD,
    try_next=("recruit_cost=1", "traffic five times cheaper: does selling in a free group "
              "start to pay?"),
    days=180, replicates=40)

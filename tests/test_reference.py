"""The engine against an independent reference model (sim/reference/), statistically.

The reference states every rule a second time, plainly, as Mesa agents, and shares only the
parameters with the engine; its random numbers come from its own numpy Generator. So the two agree
only in distribution, and they are compared as two samples of independent runs:

- **Settings.** One group of 80 invited people, 60 days, at the defaults and with each lever on
  (``CONFIGS``: 30 settings, every lever of sim/levers plus two groups with overlap, poaching,
  check-in removal, repeat purchase, serving first and issue 12's sparks).
- **Samples.** ``N = 120`` runs of each model per setting (engine seeds 0..119, reference seeds
  10**7 + 0..119: independent).
- **What is compared.** Per run, ``METRICS``: the daily outcomes at fixed days (messages on days 5,
  30 and 59 and in all; members, ever-spoken share, mean trust, active and muted members, churn,
  ties, questions and answers, joiners, kicks, sales, revenue, cost, groups, shill and spam
  messages) and the per-member counts (the share of members who ever joined with 0, 1-2, 3-9 and
  10 or more messages, and the share of messages by the top 10%). Each metric is compared by a
  Welch t-test (means) and a two-sample Kolmogorov-Smirnov test (distributions).
- **Error rate.** Bonferroni over every comparison in the file: ``ALPHA = 0.01 / n_comparisons``,
  so the chance that a correct pair of models fails any comparison here is at most 1%.
- **Power.** With N = 120 per arm and that alpha (about 6e-6), Welch's test detects a difference
  of means of ``MDE_SD = 0.70`` standard deviations of the per-run metric with 80% power (normal
  approximation: ``(z(1 - alpha/2) + z(0.8)) * sqrt(2 / N)``; ``test_the_stated_power_is_computed``
  recomputes it). The KS test rejects when the two empirical distributions differ by more than
  ``D = sqrt(-ln(alpha / 2) / 2) * sqrt(2 / N) = 0.33`` somewhere. The smallest detectable change
  in each metric's own unit is printed per setting (``-s``).
- **The tests of the test.** ``test_a_planted_bug_is_caught`` breaks one rule at a time (in the
  reference: trust never rises, leaving doubled, posting halved, the fee ignored when invitees
  decide, no ties from conversation; in the engine: the trust phase deleted, the leaving phase
  deleted, the poaching and check-in removal phases deleted) and asserts that the same
  comparison, at the same alpha, then rejects.

- **An analytic corner.** With stimulation, fading, leaving, questions and ties switched off,
  members are independent posters whose messages have a known mean and variance; both models must
  land within 4.5 standard deviations of it (``test_independent_posters_post_what_theory_says``).

Bit-for-bit agreement of the engine with itself (a run alone, in a batch, in any order or chunk)
is a different property, tested in tests/test_equivalence.py.
"""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim import engine
from sim.params import resolve
from sim.reference import ReferenceModel, joining, leaving, posting, ties
from sim.reference.agents import Member, Person
from sim.rng import derive_seed

DAYS = 60
GROUP = {"group_size": 80}
N = 120
REFERENCE_SEED = 10**7
CONFIGS: dict[str, dict] = {
    "defaults": {},
    "shills": {"shills": 2},
    "shill_newbies": {"shills": 3, "shill_roles": "newbie"},
    "entry_fee": {"entry_fee": 99.0},
    "effort_test": {"effort_test": 0.6},
    "content": {"content_every": 3},
    "checkin": {"checkin": True},
    "commercial": {"commercial_every": 1},  # daily: enough leaving to see it doubled
    "moderation_public": {"moderation": 0.2, "troublemaker_policy": "public", "fight_rate": 0.1},
    "moderation_private": {"moderation": 0.2, "troublemaker_policy": "private",
                           "fight_rate": 0.1},
    "owner": {"owner_answer_share": 0.5, "owner_mentions": 3.0},
    "red_packets": {"red_packet_every": 5},
    "events": {"event_every": 7},
    "leaders": {"leaders": 3},
    "size_cap": {"size_cap": 30},
    "referral": {"referral_rate": 0.02},
    "recruitment": {"recruit_per_day": 2.5},
    "two_groups": {"n_groups": 2, "overlap": 0.5, "launch_interval": 10},
    "poachers": {"share_poachers": 0.05, "moderation": 0.2},
    "group_mute": {"group_mute": 0.5, "fight_rate": 0.1},
    "checkin_removal": {"checkin": True, "checkin_kick_days": 3},
    "channel": {"recruit_per_day": 5.0, "channel_broad": 0.8},
    "endorsement": {"endorsement_trust": 0.15, "owner_answer_share": 0.5},
    "private_domain": {"n_groups": 2, "launch_interval": 20, "friend_share": 0.8,
                       "reinvite_every": 10, "reinvite_accept": 0.6, "private_chats": 3,
                       "commercial_every": 7},
    "private_target_a": {"friend_share": 1.0, "private_chats": 5, "private_target": "A",
                         "commercial_every": 3},
    "rival": {"rival_reach": 0.04, "rival_start": 10.0, "groups_active": 3},
    "own_groups": {"n_groups": 2, "overlap": 0.8, "launch_interval": 10, "groups_active": 2,
                   "own_groups_compete": True},
    "repurchase": {"commercial_every": 3, "repurchase": 3.0, "repurchase_gap": 10},
    "commercial_serve": {"commercial_every": 7, "commercial_serve_days": 30},
    # issue 12's sparks: interest that fades fast and late arrivals in many early waves
    "sparks": {"interest_days": 5.0, "late_waves": 4, "late_delay": 20.0, "late_share": 0.8},
    # issue 12's fate and burst rules at values far from the defaults, within 60 days
    "fate": {"straggle_share": 0.3, "straggle_delay": 20.0, "straggle_fate": 2.0,
             "vitality_talk": 0.3, "vitality_sigma": 1.0, "burst_half": 0.2, "burst_mean": 4.0},
}
AT = {"messages": (5, 30, 59), "members": (10, 59), "ever_spoken_share": (14, 59),
      "mean_trust": (30, 59), "active_members": (30,), "muted": (59,), "churned": (59,),
      "tie_density": (59,), "joined": (59,), "kicked": (59,), "conversions": (59,),
      "revenue": (59,), "cost": (59,), "groups": (59,), "people": (59,)}
SUMMED = ("messages", "questions", "answered", "shill_messages", "spam_messages")
BINS = ((0, 0), (1, 2), (3, 9), (10, math.inf))
METRICS = ([f"{c}_d{d}" for c, days in AT.items() for d in days] + [f"{c}_all" for c in SUMMED]
           + [f"members_with_{lo}_{hi}" for lo, hi in BINS] + ["top10_share"])
N_COMPARISONS = 2 * len(METRICS) * len(CONFIGS)
ALPHA = 0.01 / N_COMPARISONS
MDE_SD = 0.70


def per_run(daily: pd.DataFrame, messages_per_member: list[np.ndarray]) -> pd.DataFrame:
    """The per-run metrics of ``METRICS`` from a daily table (run, day, ...) and each run's
    messages per member who ever joined."""
    daily = daily.sort_values(["run", "day"])
    runs = sorted(daily.run.unique())
    out = {}
    for col, days in AT.items():
        table = daily.pivot(index="run", columns="day", values=col).loc[runs]
        for d in days:
            out[f"{col}_d{d}"] = table[d].to_numpy(dtype=float)
    for col in SUMMED:
        out[f"{col}_all"] = daily.groupby("run")[col].sum().loc[runs].to_numpy(dtype=float)
    for lo, hi in BINS:
        out[f"members_with_{lo}_{hi}"] = np.array(
            [np.mean((c >= lo) & (c <= hi)) if c.size else 0.0 for c in messages_per_member])
    top = []
    for c in messages_per_member:
        c = np.sort(c)[::-1]
        top.append(c[:math.ceil(0.1 * c.size)].sum() / c.sum() if c.sum() else 0.0)
    out["top10_share"] = np.array(top)
    return pd.DataFrame(out)


def run_engine(configs: dict[str, dict], seeds: range) -> dict[str, pd.DataFrame]:
    """Per-run metrics of the engine, all settings in one batch (engine.step, day by day)."""
    names = [n for n in configs for _ in seeds]
    params = [resolve({**GROUP, **configs[n]}) for n in names]
    state = engine.new_state(params, np.array([derive_seed(s) for n in configs for s in seeds],
                                              dtype=np.uint64))
    days = []
    for day in range(DAYS):
        daily, _ = engine.step(state)
        days.append(pd.DataFrame({"run": np.arange(len(names)), "day": day, **daily}))
    daily = pd.concat(days, ignore_index=True)
    m = state.members
    counts = [m.messages[m.run == r] for r in range(len(names))]
    out = {}
    for i, name in enumerate(configs):
        rows = range(i * len(seeds), (i + 1) * len(seeds))
        out[name] = per_run(daily[daily.run.isin(rows)], [counts[r] for r in rows])
    return out


def run_reference(config: dict, seeds: range) -> pd.DataFrame:
    """Per-run metrics of the reference model."""
    dailies, counts = [], []
    for s in seeds:
        model = ReferenceModel(seed=REFERENCE_SEED + s, **GROUP, **config)
        for _ in range(DAYS):
            model.step()
        dailies.append(model.daily.assign(run=s))
        counts.append(np.array([m.messages for m in model.members()]))
    return per_run(pd.concat(dailies, ignore_index=True), counts)


def compare(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Welch and KS p-values for every metric, and the smallest difference of means detectable."""
    rows = []
    for col in METRICS:
        x, y = a[col].to_numpy(), b[col].to_numpy()
        if np.ptp(x) == 0 and np.ptp(y) == 0:  # constant in both: equal, or plainly different
            p_mean = p_dist = 1.0 if x[0] == y[0] else 0.0
        else:
            p_mean = stats.ttest_ind(x, y, equal_var=False).pvalue
            p_dist = stats.ks_2samp(x, y).pvalue
        sd = math.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2)
        rows.append({"metric": col, "engine": x.mean(), "reference": y.mean(),
                     "detectable": MDE_SD * sd, "p_mean": p_mean, "p_dist": p_dist})
    table = pd.DataFrame(rows).set_index("metric")
    table["p"] = table[["p_mean", "p_dist"]].min(axis=1)
    return table


@pytest.fixture(scope="module")
def engine_runs() -> dict[str, pd.DataFrame]:
    return run_engine(CONFIGS, range(N))


@pytest.fixture(scope="module")
def reference_runs() -> dict[str, pd.DataFrame]:
    return {name: run_reference(config, range(N)) for name, config in CONFIGS.items()}


def test_the_stated_power_is_computed():
    """The docstring's detectable effect is what N and the Bonferroni alpha give."""
    z = stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(0.8)
    assert z * math.sqrt(2 / N) == pytest.approx(MDE_SD, abs=0.005)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_engine_and_reference_agree_in_distribution(name, engine_runs, reference_runs):
    """No metric of the engine's runs differs from the reference's beyond chance (Bonferroni)."""
    table = compare(engine_runs[name], reference_runs[name])
    with pd.option_context("display.width", 160, "display.max_rows", 100):
        print(f"\n{name}: {N} runs each, alpha {ALPHA:.1e}\n",
              table.sort_values("p").head(8).round(4))
    worst = table[table.p < ALPHA]
    assert worst.empty, f"{name}: engine and reference differ:\n{worst.round(4)}"


def _no_rise(attr: str):
    """A property whose value never rises after it is first set (the planted bug)."""
    def get(self):
        return self.__dict__[attr]

    def set_(self, value):
        self.__dict__[attr] = min(value, self.__dict__.get(attr, value))
    return property(get, set_)


def _plant(monkeypatch, bug: str) -> None:
    if bug == "trust never rises":
        monkeypatch.setattr(Member, "trust", _no_rise("_trust"), raising=False)
        monkeypatch.setattr(Person, "trust", _no_rise("_trust"), raising=False)
    elif bug == "leaving doubled":
        rule = leaving.leave_chance
        monkeypatch.setattr(leaving, "leave_chance", lambda *a: 2 * rule(*a))
    elif bug == "posting halved":
        rule = posting.rate
        monkeypatch.setattr(posting, "rate", lambda *a: 0.5 * rule(*a))
    elif bug == "fee ignored by invitees":
        rule = joining.join_chance

        def free(model, inv, fit):
            fee, model.plan.fee = model.plan.fee, 0.0
            try:
                return rule(model, inv, fit)
            finally:
                model.plan.fee = fee
        monkeypatch.setattr(joining, "join_chance", free)
    elif bug == "no ties from conversation":
        monkeypatch.setattr(ties, "talk_in_a_row", lambda *a: None)
    elif bug == "engine without its trust phase":
        monkeypatch.setattr(engine, "PHASES", tuple(ph for ph in engine.PHASES
                                                    if ph.__name__ != "sim.phases.trust"))
    elif bug == "engine without its leaving phase":
        monkeypatch.setattr(engine, "PHASES", tuple(ph for ph in engine.PHASES
                                                    if ph.__name__ != "sim.phases.leaving"))
    elif bug == "engine without poaching":
        monkeypatch.setattr(engine, "PHASES", tuple(ph for ph in engine.PHASES
                                                    if ph.__name__ != "sim.phases.poaching"))
    elif bug == "engine without check-in removal":
        monkeypatch.setattr(engine, "PHASES", tuple(ph for ph in engine.PHASES
                                                    if ph.__name__ != "sim.phases.checkin_removal"))
    else:
        raise ValueError(bug)


PLANTED = {  # bug: the setting where it is compared (its metrics are all compared)
    "trust never rises": "owner",
    "leaving doubled": "commercial",  # at the defaults leaving is rare (it slows with tenure)
    "posting halved": "defaults",
    "fee ignored by invitees": "entry_fee",
    "no ties from conversation": "defaults",
    "engine without its trust phase": "defaults",
    "engine without its leaving phase": "defaults",
    "engine without poaching": "poachers",
    "engine without check-in removal": "checkin_removal",
}


@pytest.mark.parametrize("bug", list(PLANTED))
def test_a_planted_bug_is_caught(bug, monkeypatch, engine_runs, reference_runs):
    """With one rule broken in one model, the comparison rejects at the same alpha."""
    name = PLANTED[bug]
    _plant(monkeypatch, bug)
    if bug.startswith("engine"):  # the engine broken, the reference sound
        table = compare(run_engine({name: CONFIGS[name]}, range(N))[name], reference_runs[name])
    else:
        table = compare(engine_runs[name], run_reference(CONFIGS[name], range(N)))
    with pd.option_context("display.width", 160, "display.float_format", "{:.3g}".format):
        print(f"\n{bug} ({name}):\n", table.sort_values("p").head(5))
    assert (table.p < ALPHA).any(), f"{bug} went unnoticed:\n{table.sort_values('p').head()}"


ENGINE_MODULES = ("sim.phases", "sim.levers", "sim.state", "sim.engine", "sim.rng",
                  "sim.outcomes", "sim.population", "sim.model", "sim.agents", "sim.batch")


def test_the_reference_shares_nothing_but_parameters_with_the_engine():
    """No module of sim/reference imports the engine's code (only sim.params)."""
    for path in Path(__file__).parents[1].joinpath("sim", "reference").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for n in names:
                assert not n.startswith(ENGINE_MODULES), f"{path.name} imports {n}"


# Weakened or removed lever effects in the reference only (a rule that ignores its parameter), to
# measure which lever effects this comparison can see: `python tests/test_reference.py` prints,
# for each, the smallest p-value against the Bonferroni alpha (docs/reference.md quotes the table).
WEAKENED = {
    "defaults": {"seen_boost": 0.0},
    "shills": {"shill_resonance": 0.0},
    "shill_newbies": {"shill_resonance": 0.0},
    "entry_fee": {"fee_commitment_scale": 1e5},
    "effort_test": {"effort_test": 0.3},
    "content": {"content_renewal": 0.0},
    "checkin": {"checkin_habit": 0.0},
    "commercial": {"leave_overload": 0.0},
    "moderation_public": {"troublemaker_policy": "ignore"},
    "moderation_private": {"private_talk_effect": 0.0},
    "owner": {"owner_mentions": 0.0},
    "red_packets": {"red_packet_wake": 0.0},
    "events": {"trust_event": 0.0},
    "leaders": {"leader_boost": 1.0},
    "size_cap": {"size_cap": 0},
    "referral": {"referral_shares": 1.1},
    "recruitment": {"recruit_per_day": 1.25},
    "two_groups": {"overlap": 0.0},
    "poachers": {"poach_success": 0.05},
    "group_mute": {"group_mute_obey": 0.4},
    "checkin_removal": {"checkin_kick_comply": 5.0},
}


def main() -> None:
    engine_side = run_engine(CONFIGS, range(N))
    print(f"{N} runs a side, alpha {ALPHA:.1e}")
    for name, change in WEAKENED.items():
        table = compare(engine_side[name], run_reference({**CONFIGS[name], **change}, range(N)))
        best = table.p.idxmin()
        row = table.loc[best]
        print(f"{name:20s} {str(change):40s} {'caught' if row.p < ALPHA else 'missed':6s} "
              f"p={row.p:.1e} by {best} (engine {row.engine:.3g}, reference {row.reference:.3g})")


if __name__ == "__main__":
    main()


# An analytic corner (house style: test the simulator against theory). With no stimulation, no
# fading, no leaving, no questions, ties, spammers or troublemakers, every member is an independent
# poster with a fixed chance p = 1 - exp(-rate) a day, rate = activity x crowding x fit x (trust in
# group + trust in owner), and posts 1 + G messages, G geometric of mean m; so the messages of D
# days have mean D sum(p (1 + m)) and variance D sum(p (1 + 3m + 2m^2) - p^2 (1 + m)^2).
STILL = {"group_size": 300, "join_delay": 0.0, "social_gain": 0.0, "attention_decay": 0.0,
         "leave_base": 0.0, "mute_base": 0.0, "question_share": 0.0, "tie_rate": 0.0,
         "share_spammers": 0.0, "share_troublemakers": 0.0, "owner_answer_share": 0.0,
         # issue 12's mechanisms off: no late arrivals, one vitality, careers that never end,
         # no pull of talk on attention (each would make posters depend on each other or time)
         "late_share": 0.0, "vitality_sigma": 0.0, "career_stop": 0.0, "talk_pull": 0.0,
         "straggle_share": 0.0, "interest_days": 0.0}
STILL_DAYS = 40


def _expected_messages(activity, fit, trust_sum, size, p) -> tuple[float, float]:
    rate = activity / (1.0 + size / p.crowding_size) * fit * trust_sum
    chance, m = -np.expm1(-rate), p.burst_mean
    if p.burst_half > 0:  # the prolific write more on the days they speak
        m = m * rate / (rate + p.burst_half)
    mean = STILL_DAYS * np.sum(chance * (1 + m))
    var = STILL_DAYS * np.sum(chance * (1 + 3 * m + 2 * m * m) - chance**2 * (1 + m) ** 2)
    return mean, var


@pytest.mark.parametrize("side", ["engine", "reference"])
def test_independent_posters_post_what_theory_says(side):
    """In the still corner, the messages of 40 days are within 4.5 standard deviations of theory
    (a false alarm once in 150,000 runs), for the engine and for the reference alike."""
    p = resolve(STILL)
    if side == "reference":
        model = ReferenceModel(seed=3, **STILL)
        for _ in range(STILL_DAYS):
            model.step()
        seats = model.members()
        said = model.daily.messages.sum()
        activity = np.array([s.person.activity for s in seats])
        fit = np.array([s.fit for s in seats])
        trust = np.array([s.trust_sum() for s in seats])
    else:
        state = engine.new_state([p], np.array([derive_seed(3)], dtype=np.uint64))
        said = sum(int(engine.step(state)[0]["messages"][0]) for _ in range(STILL_DAYS))
        m, pe = state.members, state.people
        activity, fit, trust = m.activity, m.fit, m.trust + pe.trust[m.person]
    mean, var = _expected_messages(activity, fit, trust, len(fit), p)
    z = (said - mean) / math.sqrt(var)
    print(f"\n{side}: {said} messages in {STILL_DAYS} days, theory {mean:.0f} +- {var**0.5:.0f}")
    assert abs(z) < 4.5

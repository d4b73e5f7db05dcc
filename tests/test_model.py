"""The Mesa face (CommunityModel, Member), the parameter tree, invariants and an analytic corner."""

from __future__ import annotations

import math

import mesa
import numpy as np
import pytest

from sim import CommunityModel, Member, resolve, run_batch
from sim.errors import UserError
from sim.params import PARAM_NAMES, info
from sim.state import GONE

EVERY_LEVER = dict(n_groups=3, group_size=150, shills=2, entry_fee=9.0, content_every=2,
                   checkin=True, commercial_every=7, moderation=0.3,
                   troublemaker_policy="private", owner_answer_share=0.6, owner_mentions=2.0,
                   red_packet_every=10, event_every=20, leaders=2, size_cap=120,
                   referral_rate=0.01, recruit_per_day=3.0, overlap=0.3)


@pytest.fixture(scope="module")
def busy_model():
    model = CommunityModel(seed=3, **EVERY_LEVER)
    for _ in range(90):
        model.step()
    return model


def test_every_parameter_has_unit_range_source_and_doc():
    """Each field of the parameter tree states its unit, its source and what it means."""
    for name in PARAM_NAMES:
        meta = info(name)
        assert meta["unit"] and meta["source"] and meta["doc"], name


@pytest.mark.parametrize("overrides, words", [
    ({"shils": 2}, ["unknown parameter 'shils'", "did you mean 'shills'"]),
    ({"shills": -1}, ["'shills' = -1", "whole number from 0 to 50"]),
    ({"entry_fee": "free"}, ["'entry_fee'", "a number from 0"]),
    ({"troublemaker_policy": "shout"}, ["'troublemaker_policy'", "'ignore', 'private'"]),
])
def test_bad_parameters_are_refused_by_name(overrides, words):
    """An unknown key or a bad value is refused naming the key, the value and what is allowed."""
    with pytest.raises(UserError) as err:
        resolve(overrides, source="test.toml")
    assert str(err.value).startswith("test.toml:")
    for w in words:
        assert w in str(err.value)


def test_model_takes_every_parameter_as_a_keyword():
    """CommunityModel(seed=..., **params) accepts the keywords other tools rely on."""
    model = CommunityModel(seed=1, n_groups=2, group_size=50, entry_fee=1.0, shills=1,
                           content_every=3, commercial_every=7)
    assert model.params.n_groups == 2 and model.params.shills == 1
    with pytest.raises(UserError):
        CommunityModel(seed=1, group_szie=50)


def test_batch_run_rows_are_the_engines_runs_of_the_same_seed():
    """mesa.batch_run over a grid gives, row for row, the numbers run_batch gives for the same
    parameters and seed on the day batch_run reports (its "Step": Mesa steps while
    ``steps <= max_steps``, so 21 days for max_steps=20). Was: "cost > 0 with shills", which
    any model that charges anything passes."""
    results = mesa.batch_run(CommunityModel, parameters={"shills": [0, 2], "seed": [1, 2],
                                                         "group_size": 60},
                             max_steps=20, display_progress=False)
    assert len(results) == 4
    columns = ["members", "messages", "ever_spoken_share", "mean_trust", "cost"]
    for row in results:
        daily = run_batch([{"shills": row["shills"], "group_size": 60}], [row["seed"]],
                          row["Step"] + 1)
        day = daily[daily.day == row["Step"]].iloc[0]
        assert [row[c] for c in columns] == [day[c] for c in columns], row


def test_datacollector_has_the_daily_columns_every_day(busy_model):
    """The DataCollector records every required model-level column once per day."""
    frame = busy_model.datacollector.get_model_vars_dataframe()
    required = {"members", "active_members", "messages", "ever_spoken_share", "mean_trust",
                "top10_share", "churned", "revenue", "cost"}
    assert required <= set(frame.columns)
    assert len(frame) == 90
    assert frame[list(required)].notna().all().all()


def test_members_are_mesa_agents_viewing_the_arrays(busy_model):
    """Member is a mesa.Agent; reading and writing its attributes reads and writes the state."""
    members = list(busy_model.agents)
    assert members and all(isinstance(m, Member) and isinstance(m, mesa.Agent) for m in members)
    assert sum(m.messages for m in members) == busy_model.daily.messages.sum()
    member = members[0]
    member.trust = 0.9
    assert busy_model.state.people.trust[member.row] == 0.9
    member.activity = 0.5
    assert busy_model.state.people.activity[member.row] == 0.5
    assert (busy_model.state.members.activity[[s.row for s in member.memberships]] == 0.5).all()
    assert member.abcd in "ABCD" and member.kind in ("ordinary", "spammer", "troublemaker")
    seat = member.memberships[0]
    seat.trust = 0.1
    assert busy_model.state.members.trust[seat.row] == 0.1


def test_some_people_sit_in_several_groups():
    """P12: with overlap, a person can be a member of more than one of the operator's groups."""
    model = CommunityModel(seed=3, n_groups=4, group_size=150, overlap=0.6, topic_spread=0.4)
    for _ in range(20):
        model.step()
    several = [m for m in model.agents if len(m.groups) >= 2]
    assert several
    assert all(len(set(m.groups)) == len(m.groups) for m in several)


def test_invariants_hold_every_day():
    """Counts never go negative, trust and attention stay in [0, 1], and messages and members add
    up across member, group and model levels."""
    model = CommunityModel(seed=11, **EVERY_LEVER)
    st = model.state
    for _ in range(120):
        model.step()
        m = st.members
        today = model.today
        assert np.all((m.trust >= 0) & (m.trust <= 1))
        assert np.all((st.people.trust >= 0) & (st.people.trust <= 1))
        assert np.all((m.attention >= 0) & (m.attention <= 1))
        assert np.all(m.messages >= 0) and np.all(m.degree >= 0)
        groups = model.group_daily[model.group_daily.day == model.day - 1]
        assert groups.messages.sum() == today["messages"] == m.today.sum()
        assert groups.members.sum() == today["members"] == np.sum(m.status != GONE)
        assert today["joined"] - today["churned"] - today["kicked"] == today["members"]
        assert today["active_members"] <= today["members"]
        assert 0 <= today["ever_spoken_share"] <= 1 and 0 <= today["top10_share"] <= 1
        assert m.degree.sum() == 2 * st.ties.n
    assert model.daily.messages.sum() == st.members.messages.sum() == st.people.messages.sum()
    assert np.all(np.diff(model.daily.cost) >= 0) and np.all(np.diff(model.daily.revenue) >= 0)


@pytest.mark.parametrize("half", [0.0, 0.02])
def test_independent_posters_match_the_bernoulli_mean(report, half):
    """Analytic corner: with no stimulation, decay, churn, questions or trust changes, identical
    members are independent Bernoulli posters: messages a day = n (1 - e^(-r)) (1 + burst), the
    burst's mean scaled by r / (r + burst_half) when burst_half is on (the prolific write more on
    the days they speak): at r = 0.0143 and half 0.02, 42% of the flat burst."""
    n, activity, crowd = 200, 0.05, 80.0
    rate = activity / (1 + n / crowd)  # trust 0.5 + 0.5 and fit 1 leave the rate as it is
    burst = 1.0 * (rate / (rate + half) if half else 1.0)
    corner = dict(group_size=n, activity_median=activity, activity_sigma=0.0, burst_mean=1.0,
                  burst_half=half, straggle_share=0.0, interest_days=0.0,
                  social_gain=0.0, attention_decay=0.0, leave_base=0.0, mute_base=0.0,
                  question_share=0.0, share_spammers=0.0, share_troublemakers=0.0,
                  trust_init_sd=0.0, trust_tie=0.0, topic_spread=0.0, join_delay=0.0,
                  accept_base=1.0, crowding_size=crowd, late_share=0.0, vitality_sigma=0.0,
                  career_stop=0.0, talk_pull=0.0)
    model = CommunityModel(seed=5, **corner)
    days = 400
    for _ in range(days):
        model.step()
    daily = model.daily
    assert (daily.members == n).all()
    p = -math.expm1(-rate)
    expected = n * p * (1 + burst)
    # a day's messages: sum of n (Bernoulli x (1 + geometric)) -> variance per member known
    var_one = p * (burst * (1 + burst)) + p * (1 - p) * (1 + burst) ** 2
    se = math.sqrt(n * var_one / days)
    measured = daily.messages.mean()
    report(f"{measured:.3f} messages a day, expected {expected:.3f} (se {se:.3f})")
    assert abs(measured - expected) < 4 * se
    posters = daily.active_members.mean()
    assert abs(posters - n * p) < 4 * math.sqrt(n * p * (1 - p) / days)


def test_similarity_counts_place_cohort_and_interest():
    """P14: similarity is (same city + same cohort + interest closeness) / 3, each counted."""
    from sim.population import similarity

    model = CommunityModel(seed=2, group_size=30, n_cities=1, n_cohorts=1)
    model.step()
    st = model.state
    people = np.arange(min(st.people.n, 10))
    st.people.interest[people] = 0.25
    assert np.allclose(similarity(st, people[:-1], people[1:]), 1.0)  # same in all three
    st.people.interest[people[1:]] = 0.75  # the opposite side of the topic circle
    assert np.allclose(similarity(st, people[:1], people[1:2]), 2 / 3)


def test_compiled_tie_rule_equals_the_array_definition():
    """Ties form when the pair's draw is below tie_rate x similarity, pair for pair."""
    from sim.phases.ties import _formed
    from sim.population import similarity
    from sim.rng import Stream, key_of, stream_base, uniform

    model = CommunityModel(seed=4, group_size=200, n_cities=3, n_cohorts=2)
    for _ in range(3):
        model.step()
    st, m = model.state, model.state.members
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, m.n, 500), rng.integers(0, m.n, 500)
    rate = np.array([0.9])
    compiled = _formed(a, b, m.person, m.run, m.key, st.people.city, st.people.cohort,
                       st.people.interest, rate, stream_base(st.run_keys, Stream.TIE, 3))
    chance = rate[0] * similarity(st, m.person[a], m.person[b])
    arrays = uniform(st.run_keys, m.run[a], key_of(m.key[a], m.key[b]), Stream.TIE, 3) < chance
    assert np.array_equal(compiled, arrays)
    assert 0 < compiled.sum() < compiled.size

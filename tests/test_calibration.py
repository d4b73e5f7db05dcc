"""Calibration (sim.calibration): targets measured alike in data and model, a known answer
recovered, the real Slack channels fitted better than the defaults, and bad choices refused."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sim.batch import run_batch
from sim.calibration.evaluate import acceptance, context_for
from sim.calibration.fit import Settings, calibrate
from sim.calibration.output import scenario_text, write_scenario
from sim.calibration.space import DEFAULT_PARAMS, dimension, parse_params
from sim.calibration.synthetic import simulate_events
from sim.calibration.targets import loss_parts, observe, simulated, take_runs
from sim.errors import UserError
from sim.io import read_events
from sim.params import resolve, to_dict
from sim.scenarios import load_scenario

pytest.importorskip("optuna", reason="calibration needs optuna (pip install optuna)")

# a sample of the shared haskell-jp log (182+ days of `questions`), with its licence note
DATA = Path(__file__).parent / "fixtures" / "data" / "slack-haskell-jp-sample"
TRUTH = {"activity_median": 0.06, "attention_decay": 0.01}
# The calibration machinery is tested on steady groups: everyone answers in the first days and
# talks until attention fades (the model before issue 12). With late arrivals, ending careers and
# bursts, a group's log can end on a quiet day and members keep arriving after the window, which
# `measure`/`calibrate` do not model yet (see docs/validation.md); these tests pin the machinery.
STEADY = {"join_delay": 2.0, "late_share": 0.0, "career_stop": 0.0, "talk_pull": 0.0,
          "vitality_sigma": 0.0, "attention_floor": 0.08, "attention_decay": 0.025,
          "activity_median": 0.02, "burst_mean": 1.0, "crowding_size": 80.0}
# A recovered value within a factor 1.5 of the truth. Origin: set when this test was written,
# for this one truth; issue 16 reports that recovery fails for one of four other truths tried, so
# this shows recovery at one point of the space, not everywhere (docs/calibration.md).
TOLERANCE = 1.5


def test_simulated_events_measure_exactly_like_the_batch():
    """A run written as events and measured by sim.measure gives the batch's own targets."""
    params = {**STEADY, "group_size": 150, "attention_decay": 0.01}
    seeds = [1, 2, 3]
    observed = observe(simulate_events(params, seeds, 120), None, min_messages=1, min_weeks=2)
    sim = simulated(run_batch([params] * 3, seeds, 120, summary=True), 120 // 7)
    for i, obs in enumerate(observed):
        assert obs.days == 120
        assert obs.members == sim.joined[i]
        np.testing.assert_allclose(obs.curve, sim.curves[i])
        assert obs.ever_spoken_share == pytest.approx(sim.ever_spoken_share[i])
        assert obs.top10_share == pytest.approx(sim.top10_share[i])
        assert obs.gini == pytest.approx(sim.gini[i])
        assert obs.messages_per_member == pytest.approx(sim.messages_per_member[i])


def test_loss_is_zero_for_the_same_run_and_grows_with_the_distance_to_it():
    """Scoring a run against itself gives zero in every part (1e-12: float rounding); runs whose
    attention fades faster and faster score worse and worse on the weekly curve. A loss that
    ignored the curve, or compared the wrong weeks, would fail the second part."""
    params = {**STEADY, "group_size": 80}
    obs = observe(simulate_events(params, [5], 60), None, min_messages=1, min_weeks=2)[0]
    sim = simulated(run_batch([params], [5], obs.days, summary=True), obs.weeks)
    assert all(v == pytest.approx(0.0, abs=1e-12) for v in loss_parts(obs, sim).values())
    curve = [loss_parts(obs, simulated(run_batch([{**params, "attention_decay": k}], [5],
                                                 obs.days, summary=True), obs.weeks))["curve"]
             for k in (0.05, 0.1, 0.2)]  # the default is 0.025
    assert 0 < curve[0] < curve[1] < curve[2]


def test_context_invites_enough_people_to_see_the_members_seen():
    """The pilot's acceptance share sets group_size so that runs see the members the data saw."""
    base = to_dict(resolve(STEADY))
    obs = observe(simulate_events({**STEADY, "group_size": 300}, [7], 90), None, min_messages=1,
                  min_weeks=2)[0]
    ctx = context_for(obs, base, acceptance(base))
    sim = simulated(run_batch([{**base, **ctx.overrides()}] * 8, list(range(8)), obs.days,
                              summary=True), obs.weeks)
    assert sim.joined.mean() == pytest.approx(obs.members, rel=0.1)


def test_context_counts_only_the_late_arrivals_who_arrive_within_the_window():
    """With late arrivals (half of the invitees answer after 40 days on average), a 35-day window
    sees only part of them: the context invites more people than the final acceptance share
    alone would ask for, and runs see as many members as the data did. A pilot that stopped
    early (or a context sized by the final share) would see too few; with
    ``arrivals="observed"`` the data times the arrivals and the model's own late ones are off."""
    late = {**STEADY, "late_share": 0.5, "late_delay": 40.0}
    base = to_dict(resolve(late))
    obs = observe(simulate_events({**late, "group_size": 300}, [7], 35), None, min_messages=1,
                  min_weeks=2)[0]
    in_window, eventually = acceptance(base, obs.days), acceptance(base)
    assert in_window < 0.85 * eventually  # about a third of the late ones arrive within 35 days
    ctx = context_for(obs, base, in_window)
    sim = simulated(run_batch([{**base, **ctx.overrides()}] * 8, list(range(8)), obs.days,
                              summary=True), obs.weeks)
    assert sim.joined.mean() == pytest.approx(obs.members, rel=0.1)
    observed = context_for(obs, base, acceptance(base, obs.days, "observed"), "observed")
    assert observed.overrides()["late_share"] == 0.0


def test_calibration_recovers_known_parameters(report):
    """Two parameters behind simulated groups are recovered within a factor 1.5."""
    events = simulate_events({**STEADY, "group_size": 200, **TRUTH}, [101, 102, 103, 104], 150)
    observed = observe(events, None, min_messages=1, min_weeks=2)  # the real-data path
    base = to_dict(resolve(STEADY))
    accepted = acceptance(base)
    contexts = [context_for(o, base, accepted) for o in observed]
    cal = calibrate(observed, contexts, accepted, base,
                    parse_params("activity_median,attention_decay"),
                    Settings(trials=80, replicates=8, restarts=1, seed=0))
    ratios = {k: cal.best[k] / v for k, v in TRUTH.items()}
    report(f"fitted/true {', '.join(f'{k} {r:.2f}' for k, r in ratios.items())}; loss "
           f"{cal.fresh_loss:.3f} vs {cal.base_loss:.3f} at defaults, {cal.seconds:.0f} s")
    for name, ratio in ratios.items():
        assert abs(math.log(ratio)) < math.log(TOLERANCE), (name, ratio)
    assert cal.fresh_loss < cal.base_loss


def test_slack_channel_fit_beats_defaults_and_the_scenario_runs(tmp_path, report):
    """A short fit of one real channel lowers the loss below the defaults' and its scenario
    file loads and runs."""
    events = read_events(DATA / "events.csv", keep_group_names=True, salt="test")  # public
    observed = observe(events, ["questions"], max_days=182)
    base = load_scenario("baseline")
    values = to_dict(base.params)
    accepted = acceptance(values)
    contexts = [context_for(o, values, accepted) for o in observed]
    cal = calibrate(observed, contexts, accepted, values,
                    parse_params("activity_median,activity_sigma,attention_decay"),
                    Settings(trials=48, replicates=4, restarts=1, seed=0))
    report(f"questions, 182 days: loss {cal.fresh_loss:.3f} fitted vs {cal.base_loss:.3f} at "
           f"defaults")
    assert cal.fresh_loss < cal.base_loss
    out = tmp_path / "questions.toml"
    text = scenario_text(cal, out.stem, base, DATA / "events.csv", "0" * 64, 182, "launch", None)
    scenario = write_scenario(text, out)
    assert scenario.chain == ("baseline", "questions")
    assert scenario.days == 182
    assert scenario.overrides["group_size"] == contexts[0].group_size
    runs = run_batch([scenario.params] * 2, [0, 1], 30, summary=True).runs
    assert (runs["joined"] > 0).all()


def test_unknown_parameter_is_refused_with_the_closest_name():
    """A misspelt parameter in --params names the parameter it resembles."""
    with pytest.raises(UserError, match="unknown parameter 'atention_decay'.*did you mean "
                                        "'attention_decay'"):
        parse_params("activity_median,atention_decay")


@pytest.mark.parametrize(("text", "words"), [
    ("group_size", "set from the data"),
    ("shill_roles", "not a number"),
    ("activity_median=0.1", "expected LOW:HIGH"),
    ("activity_median=0.5:0.1", "empty or unbounded"),
    ("activity_median,activity_median", "given twice"),
])
def test_parameters_that_cannot_be_fitted_are_refused(text, words):
    """Parameters fixed by the data, non-numbers, bad ranges and repeats are refused by name."""
    with pytest.raises(UserError, match=words):
        parse_params(text)


def test_search_ranges_map_to_the_unit_interval_and_back():
    """Every default dimension maps its ends to 0 and 1 and round-trips a value inside."""
    for name in DEFAULT_PARAMS:
        dim = dimension(name)
        assert dim.scaled(dim.lo) == pytest.approx(0.0)
        assert dim.scaled(dim.hi) == pytest.approx(1.0)
        assert dim.unscaled(dim.scaled(0.5 * (dim.lo + dim.hi))) == pytest.approx(
            0.5 * (dim.lo + dim.hi))
    assert parse_params("seen_boost=0:2")[0].hi == 2.0


def test_unknown_group_is_refused_with_the_closest_name():
    """An unknown --group names the closest group and lists the busiest ones."""
    events = simulate_events({"group_size": 50}, [1], 30)
    with pytest.raises(UserError, match="unknown group 'sim0'.*did you mean 'sim-0'"):
        observe(events, ["sim0"])


def test_runs_can_be_taken_by_mask():
    """take_runs keeps the runs a mask selects, in every field."""
    sim = simulated(run_batch([{"group_size": 40}] * 3, [0, 1, 2], 21, summary=True), 3)
    kept = take_runs(sim, np.array([True, False, True]))
    assert kept.curves.shape == (2, 3)
    assert list(kept.joined) == [sim.joined[0], sim.joined[2]]

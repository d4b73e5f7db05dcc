"""The facts battery: the definitions on hand-made logs, censoring, logs without joins, the
same definitions on recorded runs, and the command on the shipped samples of real logs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.batch import run_batch
from sim.cli import main
from sim.facts.battery import NO_JOINS, compare, group_facts, summarise
from sim.facts.sources import from_events, from_records, load_source
from sim.io import load_salt
from sim.io.privacy import hash_group

FIXTURES = Path(__file__).parent / "fixtures" / "facts"
T0 = pd.Timestamp("2020-01-06T10:00:00Z")


def log(weekly: dict[str, list[int]], joins: dict[str, int] | None = None) -> pd.DataFrame:
    """Messages by week (each by member m0, m1, ... in turn), one day per week; optional joins."""
    rows = []
    for group, counts in weekly.items():
        for w, c in enumerate(counts):
            for i in range(c):
                rows.append((T0 + pd.Timedelta(days=7 * w, minutes=i), group, f"m{i % 3}",
                             "message"))
        for k in range((joins or {}).get(group, 0)):
            rows.append((T0 + pd.Timedelta(minutes=k), group, f"j{k}", "join"))
    return pd.DataFrame(rows, columns=["time", "group", "member", "event"])


def test_week_facts_follow_their_definitions():
    # a: peak in week 3 (30); the first week under 6 is week 5 (2 weeks later); the last week
    # at 6 or more is week 7 (7 messages), so lasting silence starts after 7 weeks. The log
    # runs 11 weeks because of b.
    ev = log({"a": [5, 10, 30, 8, 2, 0, 7, 0, 0, 0, 0], "b": [20] * 10 + [1]})
    facts = group_facts(from_events(ev, "t"), min_messages=0).set_index("group")
    a = facts.loc["a"]
    assert a["peak_week"] == 3
    assert a["weeks_peak_to_under20"] == 2
    assert a["weeks_to_silence"] == 7
    assert a["active_week4"] == 1 and a["active_week8"] == 0 and a["active_from_week8"] == 0
    assert np.isnan(a["active_week14"])  # not observed that long
    assert a["messages_per_poster"] == pytest.approx(62 / 3)


def test_censored_weeks_are_never_silence():
    ev = log({"a": [10, 10, 10, 10, 10], "b": [10] * 12})
    open_end = group_facts(from_events(ev, "t"), min_messages=0).set_index("group")
    assert open_end.loc["a", "weeks_to_silence"] == 5  # quiet weeks 6-12 are observed
    until = pd.Series({"a": T0 + pd.Timedelta(days=35)})  # observed 5 weeks only
    cut = group_facts(from_events(ev, "t", until), min_messages=0).set_index("group")
    assert cut.loc["a", "weeks_observed"] == 5
    assert np.isnan(cut.loc["a", "weeks_to_silence"])  # no observed week after: censored


def test_quitting_after_k_posts_counts_posters_by_their_last_post():
    rows = [(T0, "g", f"p{i}", "message") for i in range(6)]  # six posters with one post
    rows += [(T0 + pd.Timedelta(days=d), "g", "q", "message") for d in range(3)]  # one with 3
    rows += [(T0 + pd.Timedelta(days=d), "g", "r", "message") for d in range(30)]
    ev = pd.DataFrame(rows, columns=["time", "group", "member", "event"])
    f = group_facts(from_events(ev, "t"), min_messages=0).iloc[0]
    assert f["quit_after_1"] == pytest.approx(6 / 8)
    assert f["quit_after_2"] == 0
    assert f["quit_after_3"] == pytest.approx(1 / 8)


def test_a_log_without_joins_says_so_and_the_other_side_is_measured_alike():
    no_joins = from_events(log({"a": [9, 9, 9], "b": [30, 3, 0, 0]}), "nj")
    with_joins = from_events(log({"a": [9, 9, 9], "b": [30, 3, 0, 0]},
                                 joins={"a": 10, "b": 10}), "wj")
    assert not no_joins.has_joins and with_joins.has_joins
    own = summarise(no_joins, 0).set_index("fact")
    assert own.loc["ever_post_share", "note"] == NO_JOINS
    assert np.isnan(own.loc["ever_post_share", "value"])
    joined = summarise(with_joins, 0).set_index("fact")
    assert joined.loc["ever_post_share", "value"] == 0  # the joiners j0.. never post
    both = compare(with_joins, no_joins, 0).set_index("fact")
    assert both.loc["ever_post_share", "a_note"] == NO_JOINS  # measured as posters only
    assert both.loc["leave_hazard_0_1", "inside"] is None


def test_recorded_runs_give_the_same_facts_as_their_event_log():
    """A run's records and the same run written as an event log must give the same facts."""
    from sim.calibration.synthetic import simulate_events

    # the founding core answers on launch day, so that the log's first event (where a log's
    # group starts) is the launch day the records count weeks from; a log is observed to its
    # last event, so one day more than 10 weeks lets both sides see the same 10 whole weeks
    params, seeds, days = {"group_size": 50, "join_delay": 0.0}, [1, 2, 3, 4, 5, 6], 71
    result = run_batch([params] * len(seeds), seeds, days, record="members,groups")
    sim = from_records(result.records["members"], result.records["groups"], "sim")
    events = simulate_events(params, seeds, days)
    real = from_events(events, "log")
    a = group_facts(sim.posters_only(), 0).drop(columns="group").reset_index(drop=True)
    b = group_facts(real.posters_only(), 0).drop(columns="group").reset_index(drop=True)
    # spammers post ads, not messages, so leaving their accounts out changes no weekly count
    for key in ("peak_week", "weeks_peak_to_under20", "active_week8", "cv26"):
        np.testing.assert_allclose(a[key].to_numpy(float), b[key].to_numpy(float))


def test_shipped_samples_of_the_real_logs(tmp_path, capsys):
    gitter = load_source(FIXTURES / "gitter")
    assert gitter.name == "gitter" and not gitter.has_joins
    assert "groups.csv" in gitter.note
    facts = group_facts(gitter)
    # Ames has 12 messages: under the 20 kept
    assert hash_group(load_salt(), "Ames") not in set(facts["group"])
    by_name = facts.set_index("group")  # the log's group names are stored hashed (privacy)
    late = by_name.loc[hash_group(load_salt(), "Salvador"), "weeks_observed"]
    assert late > by_name.loc[hash_group(load_salt(), "Missoula"), "weeks_observed"]  # to 2016-12
    slack = load_source(FIXTURES / "slack" / "events.csv")
    assert slack.has_joins
    out = tmp_path / "f.json"
    assert main(["facts", str(FIXTURES / "slack"), "--against", str(FIXTURES / "gitter"),
                 "--json", str(out), "--csv", str(tmp_path / "f.csv"),
                 "--html", str(tmp_path / "f.html")]) == 0
    shown = capsys.readouterr().out
    assert "both are measured from posters only" in shown
    data = json.loads(out.read_text())
    assert {s["name"] for s in data["sources"]} == {"slack", "gitter"}
    assert "<table>" in (tmp_path / "f.html").read_text()
    assert main(["facts", str(FIXTURES / "slack"), "--json", str(out)]) == 2
    assert "the file exists" in capsys.readouterr().err


def test_a_results_folder_without_records_is_refused(tmp_path, capsys):
    assert main(["run", "baseline", "--replicates", "1", "--days", "5",
                 "--out", str(tmp_path / "r")]) == 0
    capsys.readouterr()
    assert main(["facts", str(tmp_path / "r")]) == 2
    assert "--record members,groups" in capsys.readouterr().err


def test_leaving_hazard_counts_leaves_over_member_weeks_at_risk():
    rows = [(T0, "g", f"j{k}", "join") for k in range(10)]
    rows += [(T0 + pd.Timedelta(days=3), "g", f"j{k}", "leave") for k in range(2)]
    rows += [(T0 + pd.Timedelta(days=d), "g", "j9", "message") for d in range(0, 70, 7)]
    source = from_events(pd.DataFrame(rows, columns=["time", "group", "member", "event"]), "t")
    facts = summarise(source, 0).set_index("fact")
    at_risk = 2 * 3 / 7 + 8 * 1.0  # member-weeks in the first week after joining
    assert facts.loc["leave_hazard_0_1", "value"] == pytest.approx(2 / at_risk)
    assert facts.loc["leave_hazard_1_4", "value"] == 0
    assert facts.loc["ever_post_share", "value"] == pytest.approx(0.1)


def test_a_folder_of_several_scenarios_needs_one_named(tmp_path, capsys):
    exp = tmp_path / "two.toml"
    exp.write_text('name = "two"\nscenarios = ["baseline", "shills"]\nreplicates = 2\n'
                   'days = 21\nrecord = ["members", "groups"]\n', encoding="utf-8")
    out = tmp_path / "two"
    assert main(["sweep", str(exp), "--workers", "1", "--quiet", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["facts", str(out), "--min-messages", "0"]) == 2
    assert "choose one with --scenario" in capsys.readouterr().err
    assert main(["facts", str(out), "--scenario", "shills", "--min-messages", "0"]) == 0
    assert "two:shills: simulated runs, 2 groups" in capsys.readouterr().out


def test_the_report_of_a_recorded_folder_has_a_facts_section(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["run", "baseline", "--replicates", "3", "--days", "30", "--record",
                 "members,groups", "--out", str(out)]) == 0
    assert main(["report", str(out), "-o", str(tmp_path / "r.html")]) == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "How the groups live and die" in page
    assert "Gini coefficient of messages among posters" in page
    plain = tmp_path / "p"
    assert main(["run", "baseline", "--replicates", "2", "--days", "10", "--out", str(plain)]) == 0
    assert main(["report", str(plain), "-o", str(tmp_path / "p.html")]) == 0
    assert "How the groups live and die" not in (tmp_path / "p.html").read_text(encoding="utf-8")

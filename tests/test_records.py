"""Opt-in per-member and per-group records (--record members,groups): they agree with the daily
table they summarise, change no other result, and reach the results folder through the chunks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.batch import run_batch
from sim.cli import main
from sim.errors import UserError
from sim.experiments import load_experiment
from sim.records import parse_records
from sim.sweep import run_experiment

PARAMS = [{"group_size": 60}, {"group_size": 40, "n_groups": 2, "shills": 1}]
SEEDS = [3, 4]
DAYS = 40


@pytest.fixture(scope="module")
def recorded():
    return run_batch(PARAMS, SEEDS, DAYS, record="members,groups")


def test_recording_changes_no_other_result(recorded):
    plain = run_batch(PARAMS, SEEDS, DAYS, summary=True)
    pd.testing.assert_frame_equal(plain.daily, recorded.daily)
    pd.testing.assert_frame_equal(plain.runs, recorded.runs)
    assert plain.records is None


def test_groups_add_up_to_the_daily_table(recorded):
    groups = recorded.records["groups"]
    daily = recorded.daily.set_index(["run", "day"])
    summed = groups.groupby(["run", "day"])[["members", "messages", "posters"]].sum()
    assert (summed["messages"] == daily["messages"]).all()
    assert (summed["members"] == daily["members"]).all()
    assert (summed["posters"] == daily["active_members"]).all()
    assert set(groups.loc[groups["run"] == 1, "group"]) == {0, 1}


def test_members_agree_with_their_messages_and_days(recorded):
    everyone = recorded.records["members"]
    m = everyone[everyone["member"] >= 0]
    daily = recorded.daily
    per_run = m.groupby("run")["messages"].sum()
    assert list(per_run) == list(daily.groupby("run")["messages"].sum())
    posted = m["messages"] > 0
    assert m.loc[posted, "first_post_day"].notna().all()
    assert m.loc[~posted, "first_post_day"].isna().all()
    assert (m.loc[posted, "first_post_day"] >= m.loc[posted, "joined_day"]).all()
    assert (m.loc[posted, "last_post_day"] >= m.loc[posted, "first_post_day"]).all()
    left = m["left_day"].notna()
    last = daily.groupby("run").last()
    assert list(m[left].groupby("run").size().reindex([0, 1], fill_value=0)) == list(
        last["churned"] + last["kicked"])
    assert list(m[~left].groupby("run").size()) == list(last["members"])
    assert set(m["kind"]) <= {"member", "spammer", "troublemaker"}
    assert set(everyone.loc[everyone["member"] < 0, "kind"]) <= {"owner", "shill"}


def test_operator_accounts_carry_the_operators_posts():
    params = {"group_size": 60, "shills": 2, "shill_rate": 2.0, "shill_exposure": 0.03,
              "content_every": 3, "commercial_every": 7}
    result = run_batch([params, {**params, "shills": 0}], [5, 5], 60, record="members")
    m = result.records["members"]
    shills = m[m["kind"] == "shill"]
    per_run = shills.groupby("run")["messages"].sum().reindex([0, 1], fill_value=0)
    assert list(per_run) == list(result.daily.groupby("run")["shill_messages"].sum())
    assert len(shills[shills["run"] == 0]) == 2 and per_run[1] == 0
    owner = m[m["kind"] == "owner"]
    assert list(owner["member"]) == [-1, -1]
    assert (owner["messages"] == 20 + 9).all()  # a post every 3rd day and a sale every 7th


def test_record_names_are_checked():
    assert parse_records("groups,members", "x") == ("members", "groups")
    with pytest.raises(UserError, match="unknown record 'member'.*did you mean 'members'"):
        parse_records("member", "--record")


def test_experiment_files_record_into_the_folder(tmp_path):
    path = tmp_path / "rec.toml"
    path.write_text('name = "rec"\nscenarios = ["baseline"]\nreplicates = 3\ndays = 15\n'
                    'record = ["groups", "members"]\n', encoding="utf-8")
    e = load_experiment(path)
    out = run_experiment(e, tmp_path / "out", ["test"], chunk_size=2, progress=False).path
    members = pd.read_parquet(out / "members.parquet")
    groups = pd.read_parquet(out / "groups.parquet")
    daily = pd.read_parquet(out / "daily.parquet")
    assert sorted(members["run_id"].unique()) == [0, 1, 2]  # both chunks merged
    assert np.array_equal(groups["messages"].to_numpy(), daily["messages"].to_numpy())
    path.write_text('scenarios = ["baseline"]\nrecord = ["people"]\n', encoding="utf-8")
    with pytest.raises(UserError, match="record.*unknown record 'people'"):
        load_experiment(path)


def test_run_record_option(tmp_path, capsys):
    assert main(["run", "baseline", "--replicates", "2", "--days", "10", "--record", "groups",
                 "--out", str(tmp_path / "r")]) == 0
    assert (tmp_path / "r" / "groups.parquet").is_file()
    assert not (tmp_path / "r" / "members.parquet").exists()
    assert main(["run", "baseline", "--record", "posts", "--out", str(tmp_path / "s")]) == 2
    assert "--record: unknown record 'posts'" in capsys.readouterr().err


def test_the_folder_files_are_the_same_with_and_without_recording(tmp_path, capsys):
    common = ["run", "baseline", "--replicates", "3", "--days", "20", "--set", "shills=1"]
    assert main([*common, "--out", str(tmp_path / "plain")]) == 0
    assert main([*common, "--record", "members,groups", "--out", str(tmp_path / "rec")]) == 0
    for name in ("daily.parquet", "runs.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "plain" / name),
                                      pd.read_parquet(tmp_path / "rec" / name))
    assert not (tmp_path / "plain" / "members.parquet").exists()


def test_recorded_files_do_not_depend_on_the_chunks(tmp_path):
    path = tmp_path / "rec.toml"
    path.write_text('name = "rec"\nscenarios = ["baseline", "shills"]\nreplicates = 3\n'
                    'days = 12\nrecord = ["members", "groups"]\n', encoding="utf-8")
    e = load_experiment(path)
    one = run_experiment(e, tmp_path / "a", ["t"], chunk_size=6, progress=False).path
    many = run_experiment(e, tmp_path / "b", ["t"], chunk_size=2, progress=False).path
    for name in ("members.parquet", "groups.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(one / name), pd.read_parquet(many / name))

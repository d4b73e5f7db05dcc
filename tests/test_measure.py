"""Measurement of real chat groups (sim.measure): known answers by hand and the shared Slack log."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from sim.errors import UserError
from sim.io import read_events
from sim.measure import measure

# a sample of the shared haskell-jp log, shipped with its licence note (see its README.md)
SAMPLE = Path(__file__).parent / "fixtures" / "data" / "slack-haskell-jp-sample" / "events.csv"

# Group A (8 days, 1-8 Jan): m1 joins and posts 5, m2 posts 3 without a join, m3 joins and
# leaves on day 7, m4 joins on day 3. Daily messages 6, 2, 0, 0, 0, 0, 0, 0.
# Group B (2 days, 3-4 Jan): x1 posts just before and just after midnight UTC, x2 joins at the
# same second, m1 (another membership of the same person id) posts. Daily messages 1, 2.
EVENTS = [
    ("2024-01-01 08:00", "A", "m1", "join"),
    ("2024-01-01 08:30", "A", "m3", "join"),
    ("2024-01-01 09:00", "A", "m1", "message"),
    ("2024-01-01 09:10", "A", "m1", "message"),
    ("2024-01-01 09:20", "A", "m1", "message"),
    ("2024-01-01 09:30", "A", "m1", "message"),
    ("2024-01-01 10:00", "A", "m2", "message"),
    ("2024-01-01 10:10", "A", "m2", "message"),
    ("2024-01-02 12:00", "A", "m1", "message"),
    ("2024-01-02 13:00", "A", "m2", "message"),
    ("2024-01-03 23:59:59", "B", "x1", "message"),
    ("2024-01-04 00:00:01", "B", "x1", "message"),
    ("2024-01-04 00:00:01", "B", "x2", "join"),
    ("2024-01-04 06:00", "B", "m1", "message"),
    ("2024-01-04 15:00", "A", "m4", "join"),
    ("2024-01-08 07:00", "A", "m3", "leave"),
]


def table(events=EVENTS) -> pd.DataFrame:
    df = pd.DataFrame(events, columns=["time", "group", "member", "event"])
    df["time"] = pd.to_datetime(df["time"], format="ISO8601").dt.tz_localize("UTC")
    return df


def day(text: str):
    return pd.Timestamp(text).date()


def test_groups_known_answer():
    """Per-group and pooled outcomes equal the values worked out by hand."""
    groups = measure(table())["groups"].set_index("group")
    assert list(groups.index) == ["A", "B", "(all)"]
    a, b, pooled = groups.loc["A"], groups.loc["B"], groups.loc["(all)"]
    # A: trailing means 6, 4, 8/3, 2, 1.6, 4/3, 8/7, 2/7; 20% of the peak 6 is 1.2.
    assert (a.first_day, a.last_day, a.days) == (day("2024-01-01"), day("2024-01-08"), 8)
    assert (a.members_joined, a.posters, a.messages) == (4, 2, 8)
    assert (a.peak_day, a.peak) == (0, 6.0)
    assert (a.time_to_silence, a.time_to_sustained_silence) == (6.0, 6.0)
    assert a.ever_spoken_share == 0.5
    assert a.top10_share == pytest.approx(5 / 8)  # counts 5, 3, 0, 0
    assert a.gini == pytest.approx(0.5625)  # 2*(3*3 + 4*5)/(4*8) - 5/4
    assert (a.churned, a.leaves_known) == (1.0, True)
    # B: trailing means 1, 1.5, never below 0.3: censored.
    assert (b.first_day, b.days, b.members_joined, b.messages) == (day("2024-01-03"), 2, 3, 3)
    assert (b.peak_day, b.peak) == (1, 1.5)
    assert math.isnan(b.time_to_silence) and math.isnan(b.time_to_sustained_silence)
    assert b.ever_spoken_share == pytest.approx(2 / 3)
    assert b.top10_share == pytest.approx(2 / 3)  # counts 2, 0, 1
    assert b.gini == pytest.approx(4 / 9)
    assert math.isnan(b.churned) and not b.leaves_known
    # Pooled over memberships (m1 counts in A and in B): daily 6, 2, 1, 2, 0, 0, 0, 0;
    # trailing means 6, 4, 3, 2.75, 2.2, 11/6, 11/7, 5/7.
    assert (pooled.first_day, pooled.last_day, pooled.days) == (day("2024-01-01"),
                                                                day("2024-01-08"), 8)
    assert (pooled.members_joined, pooled.posters, pooled.messages) == (7, 4, 11)
    assert (pooled.peak_day, pooled.peak) == (0, 6.0)
    assert (pooled.time_to_silence, pooled.time_to_sustained_silence) == (7.0, 7.0)
    assert pooled.ever_spoken_share == pytest.approx(4 / 7)
    assert pooled.top10_share == pytest.approx(5 / 11)  # counts 5, 3, 0, 0, 2, 0, 1
    assert pooled.gini == pytest.approx(46 / 77)
    assert (pooled.churned, pooled.leaves_known) == (1.0, True)


def test_daily_known_answer():
    """Daily rows cover every day; members count first sightings minus leavers."""
    daily = measure(table())["daily"]
    a = daily[daily["group"] == "A"]
    assert list(a["day"]) == list(range(8))
    assert list(a["date"]) == [day(f"2024-01-0{d}") for d in range(1, 9)]
    assert list(a["messages"]) == [6, 2, 0, 0, 0, 0, 0, 0]
    assert list(a["active_members"]) == [2, 2, 0, 0, 0, 0, 0, 0]
    assert list(a["members"]) == [3, 3, 3, 4, 4, 4, 4, 3]
    b = daily[daily["group"] == "B"]
    assert b[["day", "messages", "active_members", "members"]].to_numpy().tolist() == [
        [0, 1, 1, 1], [1, 2, 2, 3]]
    assert set(daily["group"]) == {"A", "B"}  # the pooled row is in groups only


def test_weekly_known_answer():
    """Weeks are days 0-6, 7-13, ...: summed messages, distinct posters, members at the end."""
    weekly = measure(table())["weekly"]
    assert weekly[["group", "week", "days", "messages", "active_members", "members"]
                  ].to_numpy().tolist() == [["A", 0, 7, 8, 2, 4], ["A", 1, 1, 0, 0, 3],
                                            ["B", 0, 2, 3, 2, 3]]
    assert list(weekly["date"]) == [day("2024-01-01"), day("2024-01-08"), day("2024-01-03")]


def test_member_who_leaves_and_comes_back_counts_again():
    """A member who leaves and posts later is counted as present again from that day."""
    events = [("2024-01-01 10:00", "C", "p", "join"), ("2024-01-01 11:00", "C", "q", "message"),
              ("2024-01-02 10:00", "C", "p", "leave"), ("2024-01-03 10:00", "C", "p", "message")]
    daily = measure(table(events))["daily"]
    assert list(daily["members"]) == [2, 1, 2]


def test_order_of_input_rows_does_not_matter():
    """Shuffled input gives the same tables as sorted input."""
    shuffled = table().sample(frac=1.0, random_state=3).reset_index(drop=True)
    first, second = measure(table()), measure(shuffled)
    for name in ("groups", "daily", "weekly"):
        pd.testing.assert_frame_equal(first[name], second[name])


@pytest.mark.parametrize(("df", "words"), [
    (table().drop(columns="member"), r"missing column\(s\) member"),
    (table().assign(event="post"), "row 0, column event: got 'post'"),
    (table().iloc[:0], "no events"),
    (table().assign(time="soon"), "row 0, column time: got 'soon'"),
])
def test_bad_event_tables_are_user_errors(df, words):
    """Missing columns, unknown events, bad times and empty tables raise UserError saying which."""
    with pytest.raises(UserError, match=words):
        measure(df)


def test_measure_on_a_sample_of_the_shared_slack_log():
    """A real log (a sample of haskell-jp, in tests/fixtures): all rows read and sane
    per-channel outcomes. Its speed is in benchmarks, not asserted here."""
    events = read_events(SAMPLE, keep_group_names=True, salt="test")  # public channel names
    assert len(events) == 2_148  # every line of the sample (its README gives the count)
    result = measure(events)
    groups = result["groups"].set_index("group")
    channels = groups.drop(index="(all)")
    assert len(channels) == 7 and {"questions", "math", "english"} <= set(channels.index)
    assert channels["messages"].sum() == (events["event"] == "message").sum()
    assert groups.loc["(all)", "messages"] == channels["messages"].sum()
    assert channels["ever_spoken_share"].between(0, 1).all()
    assert channels["gini"].between(0, 1).all() and channels["top10_share"].between(0, 1).all()
    assert (channels["posters"] <= channels["members_joined"]).all()
    assert (channels["days"] == result["daily"].groupby("group").size()).all()
    assert result["daily"]["members"].min() >= 0
    known = channels[channels["leaves_known"]]
    assert (known["churned"] >= 1).all() and channels.loc[~channels["leaves_known"],
                                                          "churned"].isna().all()

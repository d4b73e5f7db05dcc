"""Importers (sim.io): each real export format becomes the exact expected event table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim.errors import UserError
from sim.io import FORMATS, detect_format, import_events, load_salt, read_events, write_events
from sim.io.common import hash_member

FIX = Path(__file__).resolve().parent / "fixtures" / "io"
SALT = "test-salt"


def h(member_id: str) -> str:
    """The hash a member id gets with the test salt."""
    return hash_member(SALT, member_id)


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def counts(df: pd.DataFrame) -> dict[str, int]:
    return df["event"].value_counts().to_dict()


def rows(df: pd.DataFrame) -> list[tuple[pd.Timestamp, str, str, str]]:
    return list(df.itertuples(index=False, name=None))


@pytest.fixture(autouse=True)
def _private_config(tmp_path, monkeypatch):
    """Keep every test away from the user's real salt file and COMMSIM_SALT."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("COMMSIM_SALT", raising=False)


# --- detection ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "fmt"), [
    ("csv/events.csv", "csv"),
    ("telegram/result.json", "telegram"),
    ("telegram/full_export.json", "telegram"),
    ("whatsapp/WhatsApp Chat with Hiking Club.txt", "whatsapp"),
    ("whatsapp/Book Club/_chat.txt", "whatsapp"),
    ("slack/export", "slack"),
    ("discord/server", "discord"),
    ("discord/server/Makers - random [902].json", "discord"),
])
def test_detect_format_recognizes_each_export(path, fmt):
    """Each fixture is detected as its own format, all of which are in FORMATS."""
    assert FORMATS == ("csv", "telegram", "whatsapp", "slack", "discord")
    assert detect_format(FIX / path) == fmt


@pytest.mark.parametrize("path", ["unknown/notes.txt", "unknown/config.json", "whatsapp"])
def test_detect_format_lists_formats_tried_when_none_fits(path):
    """A file or folder in no format raises UserError naming it and every format tried."""
    with pytest.raises(UserError, match="no known format") as err:
        detect_format(FIX / path)
    assert str(FIX / path) in str(err.value)
    assert all(fmt in str(err.value) for fmt in FORMATS)


def test_missing_path_is_a_user_error():
    """A path that does not exist raises UserError saying so."""
    with pytest.raises(UserError, match="no such file"):
        import_events(FIX / "nope.json", salt=SALT, keep_group_names=True)


def test_unknown_format_name_suggests_the_closest():
    """An unknown fmt raises UserError listing the formats and the closest name."""
    with pytest.raises(UserError, match="did you mean 'telegram'"):
        import_events(FIX / "telegram/result.json", fmt="telgram", salt=SALT, keep_group_names=True)


def test_format_given_for_the_wrong_kind_of_path_is_a_user_error():
    """Naming a file format for a folder raises UserError saying what was expected."""
    with pytest.raises(UserError, match="is a folder; expected a Telegram"):
        import_events(FIX / "slack/export", fmt="telegram", salt=SALT, keep_group_names=True)


# --- generic CSV -------------------------------------------------------------------------------

def test_csv_hashes_members_and_sorts_rows_by_time():
    """Generic CSV: members hashed (they may be names), zones turned into UTC, rows sorted."""
    df = import_events(FIX / "csv/events.csv", salt=SALT, keep_group_names=True)
    assert list(df.columns) == ["time", "group", "member", "event"]
    assert str(df["time"].dtype) == "datetime64[ns, UTC]"
    assert rows(df) == [
        (utc("2024-01-01 07:30"), "beta", h("b7"), "message"),  # 09:30+02:00
        (utc("2024-01-01 09:00"), "alpha", h("a1"), "join"),
        (utc("2024-01-01 09:00"), "alpha", h("a2"), "message"),  # no zone: taken as UTC
        (utc("2024-01-02 10:00"), "alpha", h("a1"), "message"),
        (utc("2024-01-03 00:00"), "beta", h("b7"), "leave"),
    ]


def test_csv_columns_in_any_order_and_extra_columns_ignored():
    """Generic CSV columns are found by name; extra columns are dropped."""
    df = import_events(FIX / "csv/reordered.csv", salt=SALT, keep_group_names=True)
    assert rows(df) == [(utc("2024-05-01 11:00"), "gamma", h("m2"), "join"),
                        (utc("2024-05-01 12:00"), "gamma", h("m1"), "message")]


def test_csv_import_uses_the_users_salt(tmp_path):
    """Importing a CSV hashes with the user's salt, made on first use like for other formats."""
    df = import_events(FIX / "csv/events.csv")
    salt = (tmp_path / "config" / "commsim" / "salt").read_text().strip()
    assert set(df["member"]) == {hash_member(salt, m) for m in ("a1", "a2", "b7")}


def test_csv_missing_columns_are_named():
    """A CSV without some columns raises UserError naming them and the file."""
    with pytest.raises(UserError, match=r"missing column\(s\) member") as err:
        import_events(FIX / "csv/missing_columns.csv")
    assert "missing_columns.csv" in str(err.value)


def test_csv_bad_time_gives_line_and_value():
    """A time that is not a date-time raises UserError with its line number and value."""
    with pytest.raises(UserError, match="line 4, column time: got 'yesterday'"):
        import_events(FIX / "csv/bad_time.csv")


def test_csv_unknown_event_gives_line_and_value():
    """An unknown event raises UserError with its line, value and the allowed events."""
    with pytest.raises(UserError, match="line 3, column event: got 'post'; expected one of"):
        import_events(FIX / "csv/bad_event.csv")


@pytest.mark.parametrize(("text", "words"), [
    ("", "file is empty"),
    ("time,group,member,event\n", "no messages"),
    ("time,group,member,event\n2024-01-01T00:00:00Z,alpha\n", "line 2"),
    ("time,group,member,event\n2024-01-01T00:00:00Z,alpha,,message\n", "non-empty member"),
])
def test_csv_empty_or_short_input_is_a_user_error(tmp_path, text, words):
    """An empty CSV, one without events, a short row or an empty member raise UserError."""
    path = tmp_path / "log.csv"
    path.write_text(text)
    with pytest.raises(UserError, match=words):
        import_events(path)


# --- Telegram ----------------------------------------------------------------------------------

def test_telegram_single_chat_events():
    """Telegram chat: messages, joins from service entries (names mapped to ids), a leave."""
    df = import_events(FIX / "telegram/result.json", salt=SALT, keep_group_names=True)
    assert counts(df) == {"message": 5, "join": 4, "leave": 1}
    assert set(df["group"]) == {"Climbing Crew"}
    assert [(t, m, e) for t, _, m, e in rows(df)] == [
        (utc("2023-03-01 09:00"), h("user111"), "join"),  # create_group: Anna ...
        (utc("2023-03-01 09:00"), h("user222"), "join"),  # ... and Ben, by name -> id
        (utc("2023-03-01 09:01"), h("user111"), "message"),
        (utc("2023-03-01 09:05"), h("user222"), "message"),  # text as parts, edited: one
        (utc("2023-03-02 09:00"), h("user333"), "join"),  # join_group_by_link: actor_id
        (utc("2023-03-02 10:30"), h("user333"), "message"),  # only "date": taken as UTC
        (utc("2023-03-03 08:00"), h("Dan"), "join"),  # invited, never posts: name hashed
        (utc("2023-03-04 12:00"), h("user222"), "leave"),  # remove_members of self
        (utc("2023-03-04 13:00"), h("user444"), "message"),
        (utc("2023-03-05 00:00"), h("Eve"), "message"),  # no from_id: falls back to from
    ]


def test_telegram_full_export_reads_group_chats_only():
    """Full export: group chats from chats and left_chats; clashing names get their ids."""
    df = import_events(FIX / "telegram/full_export.json", salt=SALT, keep_group_names=True)
    assert rows(df) == [
        (utc("2022-11-20 20:00"), "Old Friends", h("user77"), "message"),
        (utc("2023-06-10 18:00"), "Board Games (2001)", h("user999"), "join"),
        (utc("2023-06-10 18:01"), "Board Games (2001)", h("user999"), "message"),
        (utc("2023-06-11 09:15"), "Board Games (2002)", h("user55"), "message"),
    ]


def test_telegram_truncated_json_says_truncated():
    """A truncated JSON export raises UserError naming the file and saying it is truncated."""
    with pytest.raises(UserError, match="truncated") as err:
        import_events(FIX / "telegram/truncated.json", salt=SALT, keep_group_names=True)
    assert "truncated.json" in str(err.value)


def test_telegram_chat_without_messages_says_so():
    """A chat with no message raises UserError saying the export has no messages."""
    with pytest.raises(UserError, match="contains no messages"):
        import_events(FIX / "telegram/empty_chat.json", salt=SALT, keep_group_names=True)


def test_telegram_bad_date_names_the_message(tmp_path):
    """A message whose date cannot be read raises UserError with chat, message id and value."""
    doc = {"name": "G", "type": "private_group", "id": 1, "messages": [
        {"id": 42, "type": "message", "date": "soon", "from": "A", "from_id": "user1"}]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(UserError, match=r'chat "G", message 42, key "date": got \'soon\''):
        import_events(path, salt=SALT, keep_group_names=True)


def test_telegram_full_export_without_groups_says_so(tmp_path):
    """A full export with only personal chats raises UserError saying there are no groups."""
    doc = {"chats": {"list": [{"name": "Mum", "type": "personal_chat", "id": 1, "messages": []}]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(UserError, match="no group chats"):
        import_events(path, salt=SALT, keep_group_names=True)


# --- WhatsApp ----------------------------------------------------------------------------------

def test_whatsapp_android_12h_events():
    """Android 12h: multi-line message is one, added/joined/left/removed become events."""
    df = import_events(FIX / "whatsapp/WhatsApp Chat with Hiking Club.txt", salt=SALT,
                       keep_group_names=True)
    assert set(df["group"]) == {"Hiking Club"}
    assert [(t, m, e) for t, _, m, e in rows(df)] == [
        (utc("2024-01-05 09:00"), h("Alice"), "join"),  # created group
        (utc("2024-01-05 09:01"), h("Bob"), "join"),
        (utc("2024-01-05 09:01"), h("Carol"), "join"),
        (utc("2024-01-05 09:02"), h("Alice"), "message"),  # three lines, one message
        (utc("2024-01-05 12:30"), h("Bob"), "message"),  # 12:30 PM
        (utc("2024-01-06 00:05"), h("Dave"), "join"),  # 12:05 AM
        (utc("2024-01-06 19:45"), h("Carol"), "message"),
        (utc("2024-01-13 10:00"), h("Bob"), "leave"),
        (utc("2024-01-14 08:15"), h("Carol"), "leave"),  # the subject change is skipped
    ]


def test_whatsapp_ios_24h_events():
    """iOS 24h: brackets, U+200E marks, group-attributed notices, "~" names, folder as group."""
    df = import_events(FIX / "whatsapp/Book Club/_chat.txt", salt=SALT, keep_group_names=True)
    assert set(df["group"]) == {"Book Club"}
    assert counts(df) == {"message": 4, "join": 3, "leave": 1}
    assert h("Book Club") not in set(df["member"])  # the encryption notice is no message
    assert [(t, m, e) for t, _, m, e in rows(df)] == [
        (utc("2024-02-03 18:00:00"), h("Maria"), "join"),  # all dates ambiguous: day first
        (utc("2024-02-03 18:00:05"), h("Tom"), "join"),
        (utc("2024-02-03 18:01:10"), h("Maria"), "message"),
        (utc("2024-02-03 18:02:00"), h("Tom"), "message"),
        (utc("2024-02-04 09:30:00"), h("Lena"), "join"),
        (utc("2024-02-04 09:31:00"), h("Lena"), "message"),
        (utc("2024-02-11 21:15:00"), h("Tom"), "leave"),
        (utc("2024-02-12 07:00:00"), h("Maria"), "message"),  # says "Tom left": a message
    ]


def test_whatsapp_day_first_when_any_first_field_exceeds_12():
    """A file with 13/01 is day-first, so its 02/03 is the 2nd of March."""
    df = import_events(FIX / "whatsapp/Chess Night.txt", salt=SALT, keep_group_names=True)
    assert counts(df) == {"message": 3}
    assert df["time"].iloc[-1] == utc("2024-03-02 19:00")
    assert set(df["group"]) == {"Chess Night"}


def test_whatsapp_ambiguous_12h_file_is_month_first():
    """A 12-hour file whose dates fit both orders is read month-first (2/3 = 3 February)."""
    df = import_events(FIX / "whatsapp/ambiguous_12h.txt", salt=SALT, keep_group_names=True)
    assert list(df["time"]) == [utc("2024-02-03 22:00"), utc("2024-02-03 22:01")]


def test_whatsapp_group_argument_names_the_group():
    """The group argument replaces the name taken from the file."""
    df = import_events(FIX / "whatsapp/Chess Night.txt", salt=SALT, group="Chess Club",
                       keep_group_names=True)
    assert set(df["group"]) == {"Chess Club"}


def test_whatsapp_dates_fitting_no_order_are_a_user_error(tmp_path):
    """13/01 and 01/13 in one file raise UserError naming both lines."""
    path = tmp_path / "chat.txt"
    path.write_text("13/01/2024, 20:00 - A: x\n01/13/2024, 20:00 - B: y\n")
    with pytest.raises(UserError, match="line 1 .*line 2"):
        import_events(path, salt=SALT, keep_group_names=True)


def test_whatsapp_impossible_date_gives_the_line(tmp_path):
    """A date that does not exist raises UserError with its line and value."""
    path = tmp_path / "chat.txt"
    path.write_text("13/01/2024, 20:00 - A: x\ncontinued\n31/02/2024, 20:00 - B: y\n")
    with pytest.raises(UserError, match="line 3: got '31/02/2024, 20:00'"):
        import_events(path, fmt="whatsapp", salt=SALT, keep_group_names=True)


def test_whatsapp_without_messages_says_so():
    """A chat of system lines only raises UserError saying there are no messages."""
    with pytest.raises(UserError, match="no messages"):
        import_events(FIX / "whatsapp/only_system.txt", salt=SALT, keep_group_names=True)


# --- Slack -------------------------------------------------------------------------------------

def test_slack_export_events():
    """Slack: joins, leaves, thread replies and broadcasts; no edits, deletions, bots, notices."""
    df = import_events(FIX / "slack/export", salt=SALT, keep_group_names=True)
    assert counts(df) == {"message": 5, "join": 2, "leave": 1}
    assert rows(df) == [
        (utc("2020-01-31 10:00:00.0001"), "general", h("U01"), "join"),
        (utc("2020-01-31 10:10:00.0002"), "general", h("U01"), "message"),
        (utc("2020-01-31 10:20:00.0003"), "general", h("U02"), "message"),  # thread reply
        (utc("2020-01-31 10:40:00.0005"), "general", h("U02"), "message"),  # edited once
        (utc("2020-01-31 11:00"), "dev", h("U03"), "join"),
        (utc("2020-01-31 11:10"), "dev", h("U03"), "message"),  # Slackbot skipped
        (utc("2020-02-01 10:00"), "general", h("U02"), "leave"),
        (utc("2020-02-01 10:10"), "general", h("U01"), "message"),  # thread_broadcast
    ]


def _slack_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIX / "slack/export", tmp_path / "export"))


def test_slack_truncated_day_file_names_it(tmp_path):
    """A truncated day file raises UserError naming that file and saying it is truncated."""
    export = _slack_copy(tmp_path)
    day = export / "general" / "2020-02-01.json"
    day.write_text(day.read_text()[:120])
    with pytest.raises(UserError, match="truncated") as err:
        import_events(export, salt=SALT, keep_group_names=True)
    assert "2020-02-01.json" in str(err.value)


def test_slack_channel_without_folder_is_named(tmp_path):
    """A channel listed in channels.json without its folder raises UserError naming it."""
    export = _slack_copy(tmp_path)
    shutil.rmtree(export / "dev")
    with pytest.raises(UserError, match="channel 'dev' has no folder"):
        import_events(export, salt=SALT, keep_group_names=True)


def test_slack_export_without_messages_says_so(tmp_path):
    """A Slack export whose channels hold no messages raises UserError saying so."""
    export = tmp_path / "export"
    (export / "general").mkdir(parents=True)
    (export / "channels.json").write_text('[{"id": "C1", "name": "general"}]')
    with pytest.raises(UserError, match="no messages"):
        import_events(export, salt=SALT, keep_group_names=True)


# --- Discord -----------------------------------------------------------------------------------

def test_discord_folder_events():
    """Discord folder: parts of one channel merge; Default/Reply/GuildMemberJoin; bots skipped."""
    df = import_events(FIX / "discord/server", salt=SALT, keep_group_names=True)
    assert counts(df) == {"message": 4, "join": 2}
    assert rows(df) == [
        (utc("2021-05-01 10:00"), "general", h("501"), "join"),
        (utc("2021-05-01 10:00"), "general", h("502"), "message"),  # Reply, 12:00+02:00
        (utc("2021-05-01 10:05:30.123"), "general", h("501"), "message"),
        (utc("2021-05-02 08:00"), "general", h("503"), "join"),
        (utc("2021-05-02 20:00"), "random", h("502"), "message"),
        (utc("2021-05-03 14:00"), "general", h("503"), "message"),  # part 2, 09:00-05:00
    ]


def test_discord_single_file_is_one_group():
    """One DiscordChatExporter file is one group."""
    df = import_events(FIX / "discord/server/Makers - random [902].json", salt=SALT,
                       keep_group_names=True)
    assert rows(df) == [(utc("2021-05-02 20:00"), "random", h("502"), "message")]


def test_discord_bad_timestamp_names_file_and_message(tmp_path):
    """A message time that is not ISO 8601 raises UserError naming file, message and value."""
    doc = json.loads((FIX / "discord/server/Makers - random [902].json").read_text())
    doc["messages"][0]["timestamp"] = "yesterday"
    path = tmp_path / "random.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(UserError, match="random.json, message 2001, key \"timestamp\""):
        import_events(path, salt=SALT, keep_group_names=True)


# --- privacy and salt --------------------------------------------------------------------------

def test_no_names_or_texts_are_stored():
    """Imported tables hold only the four columns; no name or message text appears in them."""
    df = import_events(FIX / "whatsapp/WhatsApp Chat with Hiking Club.txt", salt=SALT)
    values = set(df[["group", "member", "event"]].to_numpy().ravel())
    assert list(df.columns) == ["time", "group", "member", "event"]
    assert not values & {"Alice", "Bob", "Carol", "Dave", "Welcome everyone!", "Thanks Alice",
                         "Hiking Club"}
    assert all(len(m) == 12 for m in df["member"])


def test_hashes_depend_on_the_salt():
    """The same export with another salt gives other member hashes, same otherwise."""
    a = import_events(FIX / "slack/export", salt="one")
    b = import_events(FIX / "slack/export", salt="two")
    assert set(a["member"]).isdisjoint(b["member"])
    assert set(a["group"]).isdisjoint(b["group"])  # group names are hashed with it
    assert a.drop(columns=["member", "group"]).equals(b.drop(columns=["member", "group"]))


def test_load_salt_creates_the_file_once_and_reuses_it(tmp_path):
    """Without a salt, one of 32 hex digits is made in the config folder and then reused."""
    salt = load_salt()
    file = tmp_path / "config" / "commsim" / "salt"
    assert file.read_text().strip() == salt and len(salt) == 32
    int(salt, 16)
    assert file.stat().st_mode & 0o077 == 0
    assert load_salt() == salt


def test_salt_order_is_argument_then_environment_then_file(tmp_path, monkeypatch):
    """An explicit salt file wins over COMMSIM_SALT, which wins over the default file."""
    load_salt()  # the default file exists from here on
    monkeypatch.setenv("COMMSIM_SALT", "from-env")
    assert load_salt() == "from-env"
    mine = tmp_path / "my_salt"
    mine.write_text("from-file\n")
    assert load_salt(mine) == "from-file"
    df = import_events(FIX / "discord/server", salt=None)
    assert df["member"].iloc[0] == hash_member("from-env", "501")


def test_empty_salt_file_is_a_user_error(tmp_path):
    """An empty salt file raises UserError naming it."""
    file = tmp_path / "salt"
    file.write_text("\n")
    with pytest.raises(UserError, match="is empty"):
        load_salt(file)


# --- writing and reading -----------------------------------------------------------------------

def test_write_then_read_round_trips(tmp_path):
    """write_events then read_events gives back the same table, and no temporary file stays."""
    df = import_events(FIX / "slack/export", salt=SALT, keep_group_names=True)
    out = tmp_path / "out" / "events.parquet"
    write_events(df, out)
    assert [p.name for p in out.parent.iterdir()] == ["events.parquet"]
    pd.testing.assert_frame_equal(read_events(out), df)


def test_read_events_reads_the_generic_csv():
    """read_events reads a generic CSV just like import_events."""
    pd.testing.assert_frame_equal(read_events(FIX / "csv/events.csv"),
                                  import_events(FIX / "csv/events.csv"))


def test_write_events_rejects_a_table_without_its_columns(tmp_path):
    """A table missing columns raises UserError naming them, and nothing is written."""
    with pytest.raises(UserError, match=r"missing column\(s\) event"):
        write_events(pd.DataFrame({"time": [], "group": [], "member": []}), tmp_path / "x.parquet")
    assert list(tmp_path.iterdir()) == []


def test_read_events_damaged_parquet_is_a_user_error(tmp_path):
    """A damaged Parquet file raises UserError naming it."""
    path = tmp_path / "events.parquet"
    path.write_bytes(b"PAR1 not really parquet")
    with pytest.raises(UserError, match="not a readable Parquet file"):
        read_events(path)
